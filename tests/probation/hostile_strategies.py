"""What the hostile-input tests post, field by field, and how they judge the answer (test_hostile_input.py).

Each field kind gives two strategies of POST fragments: `fair` values a user could send, which the form should
take (text among them is still hostile to a page: script, SQL, right-to-left marks, emoji, the longest allowed),
and `odd` ones it should refuse (NUL, 100 kB, 31 February, year 99999, NaN, the field twice or not at all). A
date's fragment is its three boxes. Posting most fields fair and a few odd reaches the services; all odd
reaches the validation.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlsplit

from django.apps import apps
from django.db import connection
from django.utils import timezone
from hypothesis import strategies as st

from cases.models import CalendarDay
from probation.models import SignInAttempt, SignInGuard

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"
SQL = "'; DROP TABLE cases_person; --"
HUGE = 100_000  # characters; every huge value is at most 100 kB, so a whole form stays under Django's 2.5 MB

# Text a form may well accept, and a page must then show as typed.
STORABLE = [
    SCRIPT,
    SQL,
    f"{SQL} {SCRIPT}",
    '"><img src=x onerror=alert(1)>',
    "\u202eevil.exe\u202c \u200f\u200e",
    "שלום مرحبا",
    "😀👩‍👩‍👧‍👦🏴󠁧󠁢󠁥󠁮󠁧󠁿",
    "Z̷̡̛a̶l̵g̸o̷",
    "\ufeff\u200b\u2028\u2029",
    "\uffff\U0010ffff",
    "\x01\x07\x1b[31m\x7f",
    "{{ request }}{% debug %}",
    "%s %n %(x)s",
    "' OR '1'='1",
    "null",
]
# Text a form must refuse, or take as empty.
REFUSED = [
    "",
    " ",
    "\t \r\n ",
    "\x00",
    "Moved to\x00 Gateshead",
    "A" * HUGE,
    "é" * (HUGE // 2),
    "😀" * (HUGE // 4),
]
NASTY = STORABLE + REFUSED
OMIT: dict[str, Any] = {}


@dataclass(frozen=True)
class Values:
    fair: st.SearchStrategy[dict[str, Any]]
    odd: st.SearchStrategy[dict[str, Any]]


Spec = Callable[[str, Any], Values]  # (field name, the arranged Target) -> its values


def _named(name: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    return values.map(lambda value: {name: value})


def _odd(name: str, values: st.SearchStrategy[Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Odd values, or the field posted twice (a list), or not posted at all."""
    twice = st.lists(st.sampled_from(NASTY[:8]), min_size=2, max_size=3)
    return st.one_of(st.just(OMIT), _named(name, st.one_of(values, twice)))


printable = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)
with_script = st.builds(lambda before, after: f"{before}{SCRIPT}{after}", printable, printable)


def text(*fair: str, limit: int | None = None) -> Spec:
    """limit: the field's max_length, so the fair values include the longest it takes."""
    longest = [("x" * (limit - len(SCRIPT))) + SCRIPT] if limit and limit > len(SCRIPT) else []
    fair_values = st.one_of(st.sampled_from([*(fair or ("Discussed housing",)), *longest]), st.sampled_from(STORABLE))
    odd = st.one_of(st.sampled_from(REFUSED), st.text(max_size=30))  # any text: NUL and other control characters
    return lambda name, target: Values(_named(name, st.one_of(fair_values, with_script)), _odd(name, odd))


NUMBERS = ["0", "-1", "-0", "1.5", "1e3", "NaN", "inf", "-999999999999", "9" * 5000, "99999999999999999999", " 12 "]
NUMBERS += ["\uff11\uff12", "\u0663", "0x10", "1_000", "", " "]  # fullwidth 12, Arabic-Indic 3


def number(low: int, high: int) -> Spec:
    odd = st.sampled_from([str(low - 1), str(high + 1), *NUMBERS, *NASTY])
    return lambda name, target: Values(_named(name, st.integers(low, high).map(str)), _odd(name, odd))


def hours() -> Spec:
    strange = ["12.01", "0.001", "-0.5", "1e2", "NaN", "sNaN", "Infinity", "-0", "1E+999999999", "1E-999999999", "6,5"]
    fair = st.decimals(min_value=0, max_value=12, places=2, allow_nan=False).map(str)
    odd = st.sampled_from([*strange, *NUMBERS, *NASTY])
    return lambda name, target: Values(_named(name, fair), _odd(name, odd))


def choice(*fair: str) -> Spec:
    """One of the choices (fixed, or the rows arranged for this example: Target.choices[name])."""

    def spec(name: str, target: Any) -> Values:
        options = list(fair) or target.choices.get(name) or ["1"]
        # By index, not sampled_from(options): the options are rows made for each example, and hypothesis
        # needs the same draws each time it replays one.
        good = st.integers(0, 31).map(lambda i: options[i % len(options)])
        odd = st.one_of(
            good.map(str.upper),
            good.map(lambda v: f" {v} "),
            st.lists(good, min_size=2, max_size=3),
            st.sampled_from(["0", "-1", "99999999999999999999", "1.5", "None", "[1]", *NASTY]),
        )
        return Values(_named(name, good), _odd(name, odd))

    return spec


def flag() -> Spec:
    odd = st.sampled_from(["true", "false", "1", "0", "yes", *NASTY])
    return lambda name, target: Values(_named(name, st.sampled_from(["on", ""])), _odd(name, odd))


DAY_PARTS = ["0", "31", "32", "-1", "00", " 5 ", "05", "1.5", "1e1", "\u0663", "\uff15", "", " ", "x", "9" * 5000]
MONTH_PARTS = ["0", "13", "-1", " 2 ", "", "Feb", "99999999999999999999"]
YEAR_PARTS = ["1", "0", "0001", "1899", "1900", "2200", "2201", "9999", "99999", "-2026", "26", ""]
YEAR_PARTS += ["\uff12\uff10\uff12\uff16"]  # fullwidth 2026


def _boxes(name: str, day: Any, month: Any, year: Any) -> dict[str, Any]:
    return {f"{name}_0": day, f"{name}_1": month, f"{name}_2": year}


def day_month_year(since: date = date(2026, 3, 2)) -> Spec:
    """A GOV.UK date input: three boxes named <name>_0 (day), _1 (month), _2 (year). Fair dates fall between
    `since` and yesterday: after the facts each example arranges, and not in the future."""

    def spec(name: str, target: Any) -> Values:
        real = st.dates(since, timezone.localdate() - timedelta(days=1))
        fair = real.map(lambda d: _boxes(name, str(d.day), str(d.month), str(d.year)))
        impossible = st.sampled_from(
            [("31", "2", "2026"), ("29", "2", "2026"), ("30", "2", "2024"), ("31", "4", "2026")]
        )
        part = st.sampled_from([*DAY_PARTS, *NASTY])
        strange = st.tuples(
            st.one_of(st.integers(1, 28).map(str), part),
            st.one_of(st.integers(1, 12).map(str), st.sampled_from(MONTH_PARTS), part),
            st.one_of(st.just("2026"), st.sampled_from(YEAR_PARTS), part),
        )
        boxes = st.one_of(impossible, strange).map(lambda p: _boxes(name, *p))
        far = st.sampled_from([date(1900, 1, 1), date(2200, 12, 31), timezone.localdate() + timedelta(days=1)])
        whole = st.sampled_from(["2026-01-05", SCRIPT, "\x00"]).map(lambda v: {name: v})  # not how it is posted
        odd = st.one_of(boxes, far.map(lambda d: _boxes(name, str(d.day), str(d.month), str(d.year))), whole)
        return Values(fair, st.one_of(odd, st.just(OMIT)))

    return spec


def clock() -> Spec:
    fair = st.sampled_from(["09:30", "14:00", "0:00", "23:59", "9.30"])
    odd = st.sampled_from(
        ["24:00", "12:60", "-1:00", "1230", "12:30:00", "\u0661\u0662:\u0663\u0660", "12:30pm", *NASTY]
    )
    return lambda name, target: Values(_named(name, fair), _odd(name, odd))


def month() -> Spec:
    """A month as the performance pages' period form sends it: 2026-03."""
    fair = st.dates(date(2025, 1, 1), timezone.localdate()).map(lambda d: f"{d:%Y-%m}")
    odd = st.sampled_from(["0001-01", "9999-12", "1999-12", "2026-13", "2026-00", "-2026-01", "2026", *NASTY])
    return lambda name, target: Values(_named(name, fair), _odd(name, odd))


FRESH, AGAIN = "<a new once-only key>", "<the last example's once-only key>"  # filled in as each example posts


def extras() -> st.SearchStrategy[dict[str, Any]]:
    """Fields no form expects, and the once-only key any POST may carry (a middleware reads it)."""
    names = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-0123456789é", min_size=1, max_size=12)
    unknown = st.dictionaries(names, st.sampled_from(NASTY[:-3]), max_size=3)
    key = st.one_of(st.just(OMIT), _named("submission", st.sampled_from([FRESH, AGAIN, *NASTY])))
    return st.tuples(unknown, key).map(lambda parts: parts[0] | parts[1])


def posts(specs: dict[str, Values]) -> st.SearchStrategy[dict[str, Any]]:
    """A POST: every field fair but one or two odd ones, or every field odd; with extras."""
    names = list(specs)
    if not names:
        return extras()
    few = st.sets(st.sampled_from(names), max_size=2)

    def build(odd_names: set[str]) -> st.SearchStrategy[dict[str, Any]]:
        parts = [specs[n].odd if n in odd_names else specs[n].fair for n in names]
        return st.tuples(extras(), *parts).map(_merge)

    return st.one_of(few, few, st.just(set(names))).flatmap(build)


def _merge(parts: tuple[dict[str, Any], ...]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for part in parts:
        merged |= part
    return merged


# Judging the answer


def tables() -> list[str]:
    """Every table of ours, but those a refused form may still write: the sign-in attempts and their per-username
    lock rows (the lock-out counts them) and the business-day calendar (filled on demand)."""
    skip = {CalendarDay, SignInAttempt, SignInGuard}
    return sorted(
        model._meta.db_table
        for label in ("cases", "interventions", "regions", "probation")
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
        if model not in skip
    )


def fingerprint() -> list[tuple[Any, ...]]:
    """Each table's row count and a hash of every row: any insert, update or delete changes it."""
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(  # table names from the models, quoted
        f"SELECT '{table}', count(*), coalesce(sum(hashtext(t::text)::bigint), 0) FROM {quote(table)} t"  # noqa: S608
        for table in tables()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return sorted(cursor.fetchall())


def posted_size(data: dict[str, Any]) -> int:
    """The bytes Django counts against DATA_UPLOAD_MAX_MEMORY_SIZE for a multipart POST."""
    total = 0
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            total += len(name) + 2 + len(str(item).encode())
    return total


def is_local(location: str) -> bool:
    """A path on this site (an open redirect would name another host, or a scheme such as javascript:)."""
    parts = urlsplit(location.replace("\\", "/"))
    return not parts.scheme and parts.netloc in {"", "testserver"}
