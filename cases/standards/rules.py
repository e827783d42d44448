"""The National Standards rules as data (DOMAIN.md, "National Standards: the clocks"). Names are those of the
standards report (INTERCHANGE.md). Periods and thresholds are defaults an administrator can change
(RuleSetting, in admin); a change rebuilds the ledger. This is the one place they are read from: the ledger,
the pages, the forms and the services all ask `current()` / `value()`, never a constant of their own.

Each rule has its period (`DEFAULTS`); its other parameters, and the two that are not clocks (the "due soon"
window of the work lists and reminders, and when a fact counts as recorded late), are `SETTINGS`, named
"<rule>.<part>" or by a name of their own, stored in the same RuleSetting table."""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from threading import local
from typing import Any, NamedTuple

from django.core.signals import request_finished, request_started
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cases.calendar_months import add_months
from cases.standards.calendar import add_business_days


class Unit:
    BUSINESS_DAYS = "business days"
    DAYS = "days"
    MONTHS = "months"
    PERCENT = "per cent"


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    period: int
    unit: str
    source: str
    option: str = ""  # initial_sentence_plan: the clock starts at "sentence" (default) or "first_appointment"
    licence_period: int | None = None  # initial_appointment: the licence / PSS period
    parts: Mapping[str, int] = field(default_factory=dict, compare=False)  # its SETTINGS, as changed in admin

    def part(self, name: str) -> int:
        """One of the rule's other parameters (SETTINGS "<rule>.<name>"), as an administrator left it."""
        key = f"{self.name}.{name}"
        return self.parts[key] if key in self.parts else SETTINGS[key].default

    def due(self, start: date, licence: bool = False) -> date:
        period = self.licence_period if licence and self.licence_period is not None else self.period
        if self.unit == Unit.BUSINESS_DAYS:
            return add_business_days(start, period)
        if self.unit == Unit.MONTHS:
            return add_months(start, period)
        return date.fromordinal(start.toordinal() + period)


DEFAULTS: dict[str, Rule] = {
    rule.name: rule
    for rule in [
        Rule("ro_allocation", "Responsible officer allocated", 5, Unit.BUSINESS_DAYS, "seed 002 OM design principles"),
        Rule(
            "initial_appointment",
            "Initial appointment",
            5,
            Unit.BUSINESS_DAYS,
            "SL004 (order: 5 business days); SL004R (licence: 1 business day)",
            licence_period=1,
        ),
        Rule("initial_sentence_plan", "Sentence plan", 15, Unit.BUSINESS_DAYS, "seed 002 para 104; SL006", "sentence"),
        Rule("sentence_plan_review", "Sentence plan review", 6, Unit.MONTHS, "seed 002 para 104"),
        Rule("monthly_contact", "Face-to-face contact this month", 0, Unit.DAYS, "seed 002 para 94"),
        Rule("home_visit", "Home visit", 10, Unit.BUSINESS_DAYS, "seed 002 para 94 (vi); then every 3 months"),
        Rule("absence_evidence", "Decide on the evidence for an absence", 5, Unit.BUSINESS_DAYS, "MoJ design"),
        Rule("acceptable_absence_oversight", "SPO oversight of absences", 5, Unit.BUSINESS_DAYS, "seed 002 para 106"),
        Rule("enforcement_decision", "Enforcement decision", 2, Unit.BUSINESS_DAYS, "Sentencing Act 2020 Sch. 10"),
        Rule("breach", "Breach initiated", 10, Unit.BUSINESS_DAYS, "NPS SL014"),
        Rule("recall", "Recall request sent", 1, Unit.BUSINESS_DAYS, "MoJ recall services"),
        Rule("recall_review", "Recall review (Part B)", 14, Unit.BUSINESS_DAYS, "MoJ recall services"),
        Rule("transfer", "Case transfer completed", 20, Unit.BUSINESS_DAYS, "seed 002 para 112"),
        Rule("upw_first_session", "First Unpaid Work session", 1, Unit.MONTHS, "seed 002 para 124"),
        Rule("upw_review", "Unpaid Work six-month review", 6, Unit.MONTHS, "seed 002 UPW design principles"),
        Rule("upw_completion", "Unpaid Work hours completed", 12, Unit.MONTHS, "seed 002 paras 118, 127, 130"),
        Rule("pre_release_handover", "Pre-release handover", 28, Unit.DAYS, "seed 003 recs. 1c-d, 16"),
    ]
}


@dataclass(frozen=True)
class Setting:
    """A parameter other than a rule's period: a part of a rule ("<rule>.<part>"), or one of its own."""

    name: str
    title: str
    default: int
    unit: str


SETTINGS: dict[str, Setting] = {
    setting.name: setting
    for setting in [
        Setting("initial_appointment.licence", "Initial appointment on licence or PSS", 1, Unit.BUSINESS_DAYS),
        Setting("home_visit.repeat", "Home visits after the first: every", 3, Unit.MONTHS),
        Setting("monthly_contact.minimum", "Face-to-face contacts needed each month", 1, "contacts"),
        Setting("monthly_contact.video_share", "Video calls: at most this share of those counted", 50, Unit.PERCENT),
        Setting("acceptable_absence_oversight.absences", "Acceptable absences that need SPO oversight", 3, "absences"),
        Setting("enforcement_decision.warning_period", "After a warning, breach is required for", 12, Unit.MONTHS),
        Setting("upw_completion.ete_share", "Unpaid Work: ETE counts for at most", 20, Unit.PERCENT),
        Setting("upw_completion.weekly_hours", "Unpaid Work: most hours in a week (intensive orders)", 28, "hours"),
        Setting("pre_release_handover.standard", "COM allocated before release (standard determinate)", 8, Unit.MONTHS),
        Setting("pre_release_handover.standard_days", "... and this many days more (8.5 months)", 15, Unit.DAYS),
        Setting("pre_release_handover.parole", "COM allocated before parole eligibility", 12, Unit.MONTHS),
        Setting("due_soon", "Due soon, on work lists, dashboards and reminders: within", 2, Unit.BUSINESS_DAYS),
        Setting("recorded_late", "Recorded late: more than this after it happened", 2, Unit.BUSINESS_DAYS),
        Setting("recorded_late_share", "Performance: mark a unit whose facts recorded late reach", 10, Unit.PERCENT),
    ]
}


def current() -> dict[str, Rule]:
    """The rules with any administrator's changes applied, each carrying its other parameters (one query)."""
    return _apply(snapshot().settings)


def value(name: str) -> int:
    """One parameter by its setting name (a rule's period by the rule's name) as an administrator left it
    (one query)."""
    if name in DEFAULTS:
        return current()[name].period
    stored = {setting.rule: setting.period for setting in snapshot().settings}
    return stored.get(name, SETTINGS[name].default)


ENFORCEMENT_RULES = ["enforcement_decision", "breach", "recall"]  # the clocks an enforcement decision meets


def due_soon_until(today: date) -> date:
    """The last day of the "due soon" window: what every work list, count and reminder calls due soon."""
    return add_business_days(today, value("due_soon"))


class Stored(NamedTuple):
    rule: str
    period: int
    option: str


@dataclass(frozen=True)
class Snapshot:
    """Every parameter as it is in the database now: the rule settings, and the version of the business-day
    calendar (its latest CalendarDay.changed_at), which cases/standards/calendar.py checks its copy against."""

    settings: list[Stored]
    calendar: datetime | None


# Within a request the parameters are read once (a page, its selectors, its forms and the calendar all ask):
# the first ask reads them, the rest of the request reuses them. Outside requests (jobs, commands, the shell)
# every ask reads.
_request = local()


def snapshot() -> Snapshot:
    """The rule settings and the calendar's version, in one query (none more within a request)."""
    if not getattr(_request, "active", False):
        return _read()
    if _request.stored is None:
        _request.stored = _read()
    return _request.stored


def _read() -> Snapshot:
    from cases.models import CalendarDay, RuleSetting

    days, settings = CalendarDay._meta.db_table, RuleSetting._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""SELECT c.latest, r.rule, r.period, r.option
                FROM (SELECT max(changed_at) AS latest FROM {days}) c LEFT JOIN {settings} r ON 1 = 1"""  # noqa: S608 - our own tables
        )
        rows = cursor.fetchall()
    latest = rows[0][0]
    if isinstance(latest, str):  # SQLite (the embedded quick-start) gives the text
        latest = parse_datetime(latest)
    if latest is not None and timezone.is_naive(latest):
        latest = timezone.make_aware(latest, UTC)
    return Snapshot([Stored(rule, period, option) for _, rule, period, option in rows if rule is not None], latest)


def _request_started(**signal: Any) -> None:
    _request.active, _request.stored = True, None


def _request_finished(**signal: Any) -> None:
    _request.active, _request.stored = False, None


def _changed(**signal: Any) -> None:
    _request.stored = None


request_started.connect(_request_started, dispatch_uid="cases.standards.rules.request_started")
request_finished.connect(_request_finished, dispatch_uid="cases.standards.rules.request_finished")
post_save.connect(_changed, sender="cases.RuleSetting", dispatch_uid="cases.standards.rules.saved")
post_delete.connect(_changed, sender="cases.RuleSetting", dispatch_uid="cases.standards.rules.deleted")


def _apply(stored: list[Stored]) -> dict[str, Rule]:
    rules = dict(DEFAULTS)
    parts: dict[str, dict[str, int]] = {name: {} for name in rules}
    for setting in stored:
        name, _, part = setting.rule.partition(".")
        if name not in rules:
            continue
        if part:
            if setting.rule in SETTINGS:
                parts[name][setting.rule] = setting.period
            if part == "licence":
                rules[name] = replace(rules[name], licence_period=setting.period)
        else:
            rules[name] = replace(rules[name], period=setting.period, option=setting.option or rules[name].option)
    return {name: replace(rule, parts=parts[name]) for name, rule in rules.items()}


def title(name: str) -> str:
    return DEFAULTS[name].title if name in DEFAULTS else name


def changed_at() -> datetime | None:
    """When an administrator last changed a rule's parameters: saved (RuleSetting.changed_at) or removed (only
    the admin's log keeps that)."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Max

    from cases.models import RuleSetting

    saved = RuleSetting.objects.aggregate(at=Max("changed_at"))["at"]
    logged = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(RuleSetting)).aggregate(
        at=Max("action_time")
    )["at"]
    return max((at for at in (saved, logged) if at is not None), default=None)
