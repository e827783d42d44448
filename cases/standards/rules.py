"""The National Standards rules as data (DOMAIN.md, "National Standards: the clocks"). Names are those of the
standards report (INTERCHANGE.md). Periods are defaults an administrator can change (RuleSetting); a change
rebuilds the ledger for that rule."""

from dataclasses import dataclass, replace
from datetime import date, datetime

from cases.calendar_months import add_months
from cases.standards.calendar import add_business_days


class Unit:
    BUSINESS_DAYS = "business days"
    DAYS = "days"
    MONTHS = "months"


@dataclass(frozen=True)
class Rule:
    name: str
    title: str
    period: int
    unit: str
    source: str
    option: str = ""  # initial_sentence_plan: the clock starts at "sentence" (default) or "first_appointment"
    licence_period: int | None = None  # initial_appointment: the licence / PSS period

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
HOME_VISIT_REPEAT_MONTHS = 3


def current() -> dict[str, Rule]:
    """The rules with any administrator's changes applied (one query)."""
    from cases.models import RuleSetting

    rules = dict(DEFAULTS)
    for setting in RuleSetting.objects.all():
        name, _, part = setting.rule.partition(".")
        if name not in rules:
            continue
        if part == "licence":
            rules[name] = replace(rules[name], licence_period=setting.period)
        else:
            rules[name] = replace(rules[name], period=setting.period, option=setting.option or rules[name].option)
    return rules


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
