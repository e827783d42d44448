"""The fact that met an obligation, and how late it was recorded (DOMAIN.md, "Dates people enter").

Beside each timeliness measure the performance pages give the share of obligations met on time whose meeting
fact was recorded late. The ledger works that out as it derives each obligation, from the facts it has just
read: the obligation keeps the recording lag of its meeting fact (`Obligation.met_recording_lag`, in working
days), so the count is a filter on the ledger (`met_recording_lag > the recorded_late setting`) and the
setting can change without a rebuild. A fact whose recording time is not known (imported) has no lag: never
recorded late. Where several facts of the day could have met it (two contacts seen), the latest recorded
counts: any one recorded late marks it.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime

from django.utils import timezone

from cases.models import EnforcementAction, Transfer
from cases.standards.calendar import FIRST_YEAR, business_days_between
from cases.standards.derive import HOME_VISIT, Facts

# (the day it happened, the day it was recorded: None when not known)
Stamped = tuple[date, date | None]
MeetingFacts = Callable[[Facts, date], Iterable[Stamped]]

# For each ledger rule a timeliness measure counts, the facts that met one of its obligations on `met_on`.
# Other apps add theirs (interventions: Unpaid Work completion).
MEETING_FACTS: dict[str, MeetingFacts] = {}


def meeting(*rule_names: str) -> Callable[[MeetingFacts], MeetingFacts]:
    def register(function: MeetingFacts) -> MeetingFacts:
        for name in rule_names:
            MEETING_FACTS[name] = function
        return function

    return register


def recording_lag(item: Facts, rule: str, met_on: date | None) -> int | None:
    """Working days from the day the fact that met this obligation happened to the day it was recorded (the
    latest, if several); None when it is not met, its rule has no meeting fact, or no recording time is known."""
    facts = MEETING_FACTS.get(rule)
    if met_on is None or facts is None:
        return None
    lags = [_lag(happened, recorded) for happened, recorded in facts(item, met_on) if recorded]
    return max((lag for lag in lags if lag is not None), default=None)


def _lag(happened: date, recorded: date) -> int | None:
    """As cases.entered_dates.lag: business days after the day it happened, to the day it was recorded; not known
    for a day before the calendar begins (calendar.FIRST_YEAR)."""
    if happened.year < FIRST_YEAR:
        return None
    return business_days_between(happened, recorded)


def recorded_day(recorded: datetime | None) -> date | None:
    """The day in England of a recording moment."""
    return timezone.localtime(recorded).date() if recorded else None


# The contacts of the day that could have met it: seen in person (the initial appointment), seen face to face (the
# month's contact: a video within its share), seen at home (a home visit). A telephone call on the day of the visit
# did not meet it, however late it was recorded (the migration cases 0032 says the same of the rows stored).


@meeting("initial_appointment")
def _seen_in_person(item: Facts, met_on: date) -> Iterable[Stamped]:
    return [(c.day, c.recorded_on) for c in item.seen_that_day(met_on) if c.in_person]


@meeting("monthly_contact")
def _seen_face_to_face(item: Facts, met_on: date) -> Iterable[Stamped]:
    return [(c.day, c.recorded_on) for c in item.seen_that_day(met_on) if c.face_to_face]


@meeting("home_visit")
def _seen_at_home(item: Facts, met_on: date) -> Iterable[Stamped]:
    return [(c.day, c.recorded_on) for c in item.seen_that_day(met_on) if c.type == HOME_VISIT]


@meeting("initial_sentence_plan")
def _plan_completed(item: Facts, met_on: date) -> Iterable[Stamped]:
    plan = item.plan
    if plan is None or plan.completed_on != met_on:
        return []
    return [(plan.completed_on, recorded_day(plan.completed_recorded_at))]


@meeting("ro_allocation")
def _first_allocation(item: Facts, met_on: date) -> Iterable[Stamped]:
    first = min((a.from_date for a in item.allocations), default=None)
    return [(a.from_date, recorded_day(a.recorded_at)) for a in item.allocations if a.from_date == first]


@meeting("transfer")
def _transfer_accepted(item: Facts, met_on: date) -> Iterable[Stamped]:
    return [
        (t.decided_on, recorded_day(t.decided_recorded_at))
        for t in item.transfers
        if t.status == Transfer.Status.COMPLETED and t.decided_on == met_on
    ]


def _actions(item: Facts, kind: str) -> list[EnforcementAction]:
    return [a for a in item.actions if a.kind == kind]  # the ledger reads only standing actions


@meeting("breach")
def _breach_initiated(item: Facts, met_on: date) -> Iterable[Stamped]:
    return [
        (a.on, recorded_day(a.recorded_at)) for a in _actions(item, EnforcementAction.Kind.BREACH) if a.on == met_on
    ]


@meeting("recall")
def _recall_request_sent(item: Facts, met_on: date) -> Iterable[Stamped]:
    sent = [a for a in _actions(item, EnforcementAction.Kind.RECALL) if a.requested_at]
    return [
        (met_on, recorded_day(a.request_recorded_at))
        for a in sent
        if timezone.localtime(a.requested_at).date() == met_on
    ]


@meeting("recall_review")
def _recall_review_completed(item: Facts, met_on: date) -> Iterable[Stamped]:
    recalls = _actions(item, EnforcementAction.Kind.RECALL)
    return [(met_on, recorded_day(a.review_recorded_at)) for a in recalls if a.review_completed_on == met_on]
