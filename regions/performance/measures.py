"""The probation performance measures (shared/DOMAIN.md, "Performance measures"; names in INTERCHANGE.md):
what each measure is, how it reads, the sentence types and ledger rules it covers, and the registry of
counters (`counter`) that count them: this package's own (counting.py) and other apps' (interventions).

The package: measures (this), counting (live counts from the ledger and the case facts), rollups (the
nightly months, and the figures, targets and report read from them), league (periods, league tables, RAG,
trend), intervals (95% intervals, rank bands, against target: fair to small units), cases_behind (the cases
behind a number), outliers (who may need support) and views, outlier_views (the pages).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from string import Formatter

from cases.models import Event
from cases.standards import rules

ORDERS: list[str] = [Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER]
LICENCES: list[str] = [Event.Type.LICENCE]
RELEASES: list[str] = [Event.Type.LICENCE, Event.Type.PSS]
DEFAULT_TARGET = 0.9


def recorded_late_after() -> int:
    """A fact recorded more than this many working days after it happened is recorded late (the recorded_late
    setting, changed in admin like a rule's period)."""
    return rules.value("recorded_late")


@dataclass(frozen=True)
class Measure:
    name: str
    label: str  # may name a rule's period or setting, "{transfer}": the title shows it as it is set now
    unit: str = "rate"  # rate (a share), per_100 (per 100 appointments), per_case_year (numerator per case-year)
    higher_is_better: bool = True
    by_team: bool = True

    @property
    def title(self) -> str:
        if "{" not in self.label:
            return self.label
        names = [name for _, name, _, _ in Formatter().parse(self.label) if name]
        return self.label.format(**{name: rules.value(name) for name in names})

    def display(self, value: float | None, change: bool = False) -> str:
        """A value as people read it: 87.5% for a share, 7.9 per 100, 0.42 a case-year; changes signed."""
        if value is None:
            return "\u2013"  # an en dash, as the tables show a missing value
        sign = "+" if change and value > 0 else ""
        if self.unit == "rate":
            return f"{sign}{value * 100:.1f}{' points' if change else '%'}"
        if self.unit == "per_100":
            return f"{sign}{value:.1f}"
        return f"{sign}{value:.2f}"

    def value(self, numerator: int, denominator: int) -> float | None:
        if not denominator:
            return None
        if self.unit == "per_100":
            return numerator / denominator * 100
        if self.unit == "per_case_year":
            return numerator / (denominator / 365.25)
        return numerator / denominator


# A timeliness measure: its ledger rule and the sentence types it covers (None: all).
CLOCKS: dict[str, tuple[str, list[str] | None]] = {
    "initial_contact_order": ("initial_appointment", ORDERS),
    "initial_contact_licence": ("initial_appointment", LICENCES),
    "sentence_plan_order": ("initial_sentence_plan", ORDERS),
    "sentence_plan_licence": ("initial_sentence_plan", LICENCES),
    "ro_allocation": ("ro_allocation", None),
    "monthly_contact": ("monthly_contact", None),
    "home_visit": ("home_visit", None),
    "transfer_timeliness": ("transfer", None),
    "breach_timeliness": ("breach", None),
    "recall_timeliness": ("recall", None),
    "recall_review_timeliness": ("recall_review", None),
    "upw_completion": ("upw_completion", None),
}

# Beside every timeliness measure (every measure of CLOCKS), the share of the obligations it counts as met on
# time whose meeting fact was recorded late (DOMAIN.md: data quality, "beside each timeliness measure"): counted
# per unit under this name, numerator the met on time by a fact recorded late, denominator the met on time (the
# meeting facts: cases/standards/meeting_facts.py). Not a measure of its own: no league, no target.
RECORDED_LATE_BESIDE: dict[str, str] = {name: f"{name}.recorded_late" for name in CLOCKS}


def recorded_late_share() -> float:
    """A row whose share of facts recorded late is at least this is marked (the recorded_late_share setting, a
    percentage, changed in admin like a rule's period)."""
    return rules.value("recorded_late_share") / 100


MEASURES: dict[str, Measure] = {
    m.name: m
    for m in [
        Measure("initial_contact_order", "Initial contact: orders"),
        Measure("initial_contact_licence", "Initial contact: licences"),
        Measure("sentence_plan_order", "Sentence plan on time: orders"),
        Measure("sentence_plan_licence", "Sentence plan on time: licences"),
        Measure("ro_allocation", "Responsible officer allocated on time"),
        Measure("monthly_contact", "Monthly face-to-face contact"),
        Measure("home_visit", "Home visit on time"),
        Measure("appointments_attended", "Appointments attended"),
        Measure("acceptable_absences", "Acceptable absences per 100 appointments", "per_100", False),
        Measure("unacceptable_absences", "Unacceptable absences per 100 appointments", "per_100", False),
        Measure("breach_timeliness", "Breach initiated on time"),
        Measure("recall_timeliness", "Recall request sent on time"),
        Measure("recall_review_timeliness", "Recall review on time"),
        Measure("transfer_timeliness", "Transfers completed within {transfer} working days"),
        Measure("licence_compliance", "Licence and PSS periods completed without recall or breach", by_team=False),
        Measure("order_completion", "Community and suspended orders completed", by_team=False),
        Measure("upw_completion", "Unpaid Work completed within {upw_completion} months"),
        Measure("programme_completion", "Accredited programmes completed", by_team=False),
        Measure("ro_continuity", "Changes of responsible officer per case-year", "per_case_year", False, False),
        Measure("recording_lag", "Contacts recorded more than {recorded_late} working days late", "rate", False),
    ]
}

Row = tuple[str, int, int | None, int, int]  # measure, PDU, team (or None), numerator, denominator
Figures = dict[int | None, dict[str, tuple[int, int]]]
Counter = Callable[[date, date, date], Iterable[Row]]
COUNTERS: list[Counter] = []  # other apps add theirs (interventions: programme completion)


def counter(function: Counter) -> Counter:
    COUNTERS.append(function)
    return function
