"""Synthetic national-scale data, bulk-loaded with PostgreSQL COPY: deterministic for a seed, with progress.

The organisation, people, sentences, requirements, allocations, risk flags, restrictions and contacts are
written straight into their tables (one COPY per table, never one ORM save per row); the National Standards
ledger is then derived from them as `standards_rebuild` would.
"""

import random
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any, TextIO

from django.db import connection, transaction
from django.utils import timezone

from cases.calendar_months import add_months
from cases.models import ContactType
from cases.reference import ensure_contact_types
from tools import bulk_load

FIRST_NAMES = ["Sam", "Alex", "Jo", "Chris", "Lee", "Jamie", "Ryan", "Dean", "Kirsty", "Gemma", "Liam", "Connor"]
SURNAME_STARTS = [
    "Ash",
    "Black",
    "Brad",
    "Brook",
    "Cart",
    "Chad",
    "Clay",
    "Dal",
    "Dun",
    "Ed",
    "Fair",
    "Fen",
    "Gold",
    "Green",
    "Hal",
    "Hart",
    "Hay",
    "Hol",
    "Kings",
    "Lang",
    "Lin",
    "Mar",
    "Mid",
    "Mor",
    "New",
    "Nor",
    "Oak",
    "Pen",
    "Rad",
    "Red",
    "Ros",
    "Sal",
    "Shel",
    "Stan",
    "Sut",
    "Thorn",
    "War",
    "West",
    "Whit",
    "Wood",
]
SURNAME_ENDS = [
    "ley",
    "ton",
    "wood",
    "field",
    "ford",
    "well",
    "by",
    "ham",
    "worth",
    "more",
    "dale",
    "son",
    "man",
    "wick",
    "combe",
    "hurst",
    "shaw",
    "cliffe",
    "land",
    "stone",
    "bridge",
    "brook",
    "gate",
    "hill",
    "house",
    "ridge",
    "bury",
    "lock",
    "mont",
    "ward",
    "win",
    "cott",
    "den",
    "er",
    "ing",
    "kin",
    "lake",
    "moor",
    "ock",
    "well",
]
LAST_NAMES = sorted({start + end for start in SURNAME_STARTS for end in SURNAME_ENDS})  # about 1,500, like a town
EVENT_MIX = [("community_order", 40), ("suspended_sentence_order", 20), ("licence", 30), ("pss", 10)]
OUTCOMES = [
    ("attended", 78),
    ("failed_to_comply", 4),
    ("acceptable_absence", 8),
    ("unacceptable_absence", 7),
    ("awaiting_evidence", 3),
]
ROSH = [("low", 35), ("medium", 45), ("high", 17), ("very_high", 3)]
TIERS = [f"{letter}{number}" for letter in "ABCD" for number in "0123"]


@dataclass(frozen=True)
class Scale:
    regions: int
    pdus_per_region: int
    teams_per_pdu: int
    officers_per_team: int
    people: int
    contacts_per_year: int  # per active sentence: fortnightly appointments


SCALES = {
    "national": Scale(
        regions=12, pdus_per_region=9, teams_per_pdu=10, officers_per_team=10, people=300_000, contacts_per_year=24
    ),
    "region": Scale(
        regions=1, pdus_per_region=9, teams_per_pdu=10, officers_per_team=10, people=25_000, contacts_per_year=24
    ),
    "small": Scale(
        regions=1, pdus_per_region=2, teams_per_pdu=2, officers_per_team=4, people=400, contacts_per_year=24
    ),
}


class Progress:
    def __init__(self, out: TextIO, quiet: bool) -> None:
        self.out, self.quiet, self.started = out, quiet, datetime.now()

    def __call__(self, label: str, done: int, total: int) -> None:
        if self.quiet or (done % max(total // 20, 1) and done != total):
            return
        width = 30
        filled = width * done // max(total, 1)
        seconds = (datetime.now() - self.started).total_seconds()
        self.out.write(f"\r{label:<14} [{'#' * filled}{'.' * (width - filled)}] {done:>10,}/{total:,} {seconds:6.0f}s")
        if done == total:
            self.out.write("\n")
        self.out.flush()


def _weighted(rng: random.Random, options: list[tuple[str, int]]) -> str:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _next_id(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - our own table names
        return int(cursor.fetchone()[0])


def _copy(table: str, columns: list[str], rows: Iterator[tuple[Any, ...]]) -> int:
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _reset_sequences(tables: list[str]) -> None:
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")  # noqa: S608


@transaction.atomic
def generate(
    scale: Scale, seed: int = 2026, out: TextIO = sys.stdout, quiet: bool = False, today: date | None = None
) -> dict[str, int]:
    """Write one synthetic organisation and caseload; returns the rows written per table."""
    if connection.vendor != "postgresql":
        raise RuntimeError("National-scale data needs PostgreSQL (COPY); use --scale pdu for the embedded quick-start")
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not security
    today = today or timezone.localdate()
    progress = Progress(out, quiet)
    ensure_contact_types(ContactType)
    types = dict(ContactType.objects.values_list("code", "pk"))
    counts: dict[str, int] = {}
    region_id, pdu_id, team_id, staff_id = (
        _next_id(t) for t in ("regions_region", "regions_pdu", "regions_team", "regions_staffmember")
    )
    regions: list[tuple[Any, ...]] = []
    pdus: list[tuple[Any, ...]] = []
    teams: list[tuple[Any, ...]] = []
    staff: list[tuple[Any, ...]] = []
    officers_by_pdu: dict[int, list[tuple[int, int]]] = {}  # pdu -> [(staff id, team id)]
    for r in range(scale.regions):
        rid = region_id + r
        regions.append((rid, f"S{rid:02d}", f"Synthetic region {rid}"))
        for p in range(scale.pdus_per_region):
            pid = pdu_id + len(pdus)
            pdus.append((pid, f"S{rid:02d}-P{pid:03d}", f"Synthetic PDU {rid}.{p + 1}", rid, ""))
            officers_by_pdu[pid] = []
            for t in range(scale.teams_per_pdu):
                tid = team_id + len(teams)
                teams.append((tid, f"S{rid:02d}-T{tid:04d}", f"Team {t + 1}", pid, ""))
                for o in range(scale.officers_per_team + 1):  # the officers and their SPO
                    sid = staff_id + len(staff)
                    grade = "SPO" if o == 0 else ("PO" if o % 3 else "PSO")
                    hours = 22.5 if o % 7 == 6 else 37  # some part-time officers
                    staff.append((sid, f"S{sid:07d}", f"Officer {sid}", grade, hours, True, pid, rid, tid))
                    if grade != "SPO":
                        officers_by_pdu[pid].append((sid, tid))
    counts["regions"] = _copy("regions_region", ["id", "code", "name"], iter(regions))
    counts["pdus"] = _copy("regions_pdu", ["id", "code", "name", "region_id", "office_address"], iter(pdus))
    counts["teams"] = _copy("regions_team", ["id", "code", "name", "pdu_id", "office_address"], iter(teams))
    columns = [
        "id",
        "code",
        "name",
        "grade",
        "contracted_hours",
        "active",
        "pdu_id",
        "region_id",
        "team_id",
    ]
    counts["staff"] = _copy("regions_staffmember", columns, iter(staff))

    person_id, event_id, allocation_id = (_next_id(t) for t in ("cases_person", "cases_event", "cases_allocation"))
    people: list[tuple[Any, ...]] = []
    events: list[tuple[Any, ...]] = []
    allocations: list[tuple[Any, ...]] = []
    requirements: list[tuple[Any, ...]] = []
    registrations: list[tuple[Any, ...]] = []
    restrictions: list[tuple[Any, ...]] = []
    active_events: list[tuple[int, date, int, str]] = []  # event id, supervision start, officer, type
    pdu_ids = [p[0] for p in pdus]
    for n in range(scale.people):
        pid, eid = person_id + n, event_id + n
        pdu = pdu_ids[n % len(pdu_ids)]
        rosh = _weighted(rng, ROSH)
        people.append(
            (
                pid,
                f"S{pid % 1_000_000:06d}",
                rng.choice(FIRST_NAMES),
                rng.choice(LAST_NAMES),
                date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
                "",
                "M",
                rosh,
                rng.choice(TIERS),
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                False,
                pdu,
            )
        )
        kind = _weighted(rng, EVENT_MIX)
        length = rng.choice([12, 18, 24, 36])
        start = today - timedelta(days=rng.randint(5, int(length * 30.4 * 1.2)))  # about 5 in 6 still running
        ends = add_months(start, length) - timedelta(days=1)
        early = max(start, today - timedelta(days=rng.randint(1, 60)))  # revoked or transferred out early
        terminated = ends if ends < today else (early if n % 25 == 0 else None)
        sentence = start - timedelta(days=400) if kind in ("licence", "pss") else start
        release = start if kind in ("licence", "pss") else None
        events.append(
            (
                eid,
                "1",
                kind,
                sentence,
                release,
                length,
                ends,
                terminated,
                "completed" if terminated else "",
                "",
                "",
                pdu,
                pid,
                None,
                None,
                False,
                None,
            )
        )
        officer, _team = officers_by_pdu[pdu][n % len(officers_by_pdu[pdu])]
        allocations.append(
            (allocation_id + n, start + timedelta(days=rng.randint(0, 4)), None, "Initial allocation", officer, eid)
        )
        if kind in ("community_order", "suspended_sentence_order"):
            requirements.append(("unpaid_work", rng.choice([60, 100, 120, 150, 200]), None, "", eid))
            if n % 2:
                requirements.append(("rar", None, rng.choice([10, 20, 30]), "", eid))
        if rng.random() < 0.2:
            registrations.append(("domestic_abuse", None, None, start, add_months(start, 6), None, "", pid))
        if n % 200 == 7:
            restrictions.append(("restriction", "", officer, pid))
        if terminated is None:
            active_events.append((eid, start, officer, kind))
        progress("people", n + 1, scale.people)
    counts["people"] = _copy(
        "cases_person",
        [
            "id",
            "crn",
            "first_name",
            "last_name",
            "date_of_birth",
            "pnc",
            "gender",
            "rosh",
            "tier",
            "email",
            "ethnicity",
            "religion",
            "sexual_orientation",
            "disability",
            "access_contact",
            "preferred_name",
            "pronouns",
            "cro",
            "language",
            "interpreter",
            "pdu_id",
        ],
        iter(people),
    )
    counts["events"] = _copy(
        "cases_event",
        [
            "id",
            "ref",
            "type",
            "sentence_date",
            "release_date",
            "length_months",
            "expected_end_date",
            "terminated_on",
            "termination_reason",
            "court",
            "offence",
            "pdu_id",
            "person_id",
            "expected_release_date",
            "handover_meeting_on",
            "parole",
            "parole_eligibility_date",
        ],
        iter(events),
    )
    counts["allocations"] = _copy(
        "cases_allocation", ["id", "from_date", "to_date", "reason", "staff_id", "event_id"], iter(allocations)
    )
    counts["requirements"] = _copy(
        "cases_requirement",
        ["type", "hours", "days", "programme", "description", "event_id"],
        ((t, h, d, p, "", e) for t, h, d, p, e in requirements),
    )
    counts["registrations"] = _copy(
        "cases_registration",
        ["type", "mappa_level", "mappa_category", "from_date", "review_due", "ended_on", "notes", "person_id"],
        iter(registrations),
    )
    counts["access_rules"] = _copy("cases_accessrule", ["kind", "reason", "staff_id", "person_id"], iter(restrictions))
    with bulk_load.indexes_built_after("cases_contact"):  # millions of rows: their indexes built after
        counts["contacts"] = _copy_contacts(rng, events, allocations, types, scale, today, progress)
    _reset_sequences(
        [
            "regions_region",
            "regions_pdu",
            "regions_team",
            "regions_staffmember",
            "cases_person",
            "cases_event",
            "cases_allocation",
            "cases_requirement",
            "cases_registration",
            "cases_accessrule",
            "cases_contact",
        ]
    )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return counts


def _copy_contacts(
    rng: random.Random,
    events: list[tuple[Any, ...]],
    allocations: list[tuple[Any, ...]],
    types: dict[str, int],
    scale: Scale,
    today: date,
    progress: Callable[[str, int, int], None],
) -> int:
    officer_of = {a[5]: a[4] for a in allocations}
    every = timedelta(days=365 // scale.contacts_per_year)
    office, home, first, video = (
        types["office_visit"],
        types["home_visit"],
        types["initial_appointment"],
        types["video"],
    )
    outcome_names = [o for o, _ in OUTCOMES]
    outcome_weights = [w for _, w in OUTCOMES]

    def rows() -> Iterator[tuple[Any, ...]]:
        for index, event in enumerate(events):
            event_id, start, ends, terminated = event[0], event[4] or event[3], event[6], event[7]
            last = min(d for d in (today + timedelta(days=14), ends, terminated) if d is not None)
            officer = officer_of[event_id]
            day, number = start + timedelta(days=rng.randint(0, 3)), 0
            while day <= last:
                moment = datetime(day.year, day.month, day.day, 9 + number % 8, tzinfo=UTC)
                future = day > today
                outcome = "" if future else rng.choices(outcome_names, weights=outcome_weights)[0]
                kind = first if number == 0 else (home if number % 6 == 5 else (video if number % 7 == 6 else office))
                evidence = day + timedelta(days=7) if outcome == "awaiting_evidence" else None
                yield (
                    moment,
                    "",
                    outcome,
                    "",
                    evidence,
                    True,
                    "",
                    False,
                    False,
                    "",
                    1,
                    moment,
                    moment,
                    event_id,
                    officer,
                    kind,
                    False,
                )
                day += every
                number += 1
            progress("contacts", index + 1, len(events))

    columns = [
        "starts_at",
        "location",
        "outcome",
        "absence_reason",
        "evidence_due",
        "enforceable",
        "notes",
        "sensitive",
        "entered_in_error",
        "error_reason",
        "version",
        "created_at",
        "recorded_at",
        "event_id",
        "staff_id",
        "type_id",
        "rar",
    ]
    return _copy("cases_contact", columns, rows())
