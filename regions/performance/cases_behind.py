"""The cases behind a performance number: exactly the obligations, appointments or sentences it counted (as
many rows as its denominator, the met ones as many as its numerator), limited to the cases the viewer may see.
The unit is chosen as the counts attribute it: a team's rows are its PDU's rows held by the team, an officer's
the team's rows held by the officer, and a PDU's "no team" row what no team of the PDU holds."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from cases.access import User, visible_people
from cases.models import Allocation, Event, Obligation
from cases.models.contact import SEEN, Outcome
from cases.standards.meeting_facts import MEETING_FACTS
from interventions.models import Programme
from regions.performance.counting import (
    ORDER_DONE,
    appointments_in,
    counted_on,
    judged,
    lagged,
    licence_clean,
    met_on_time,
    recorded_late,
)
from regions.performance.measures import CLOCKS, ORDERS, RELEASES, recorded_late_after

# The appointment measures: each lists every appointment with an outcome; its numerator is those matching.
APPOINTMENTS = {
    "appointments_attended": Q(outcome__in=SEEN),
    "acceptable_absences": Q(outcome=Outcome.ACCEPTABLE_ABSENCE),
    "unacceptable_absences": Q(outcome=Outcome.UNACCEPTABLE_ABSENCE),
    "recording_lag": Q(),
}


@dataclass
class Behind:
    kind: str  # obligations, contacts, events, or "" where the measure has no list yet
    rows: QuerySet[Any] | None
    as_of: date
    pending: int = 0  # obligations due in the period but not yet due: listed nowhere, counted nowhere
    met: int | None = None  # how many of the rows the numerator counts (None: every row is counted in it)
    late_after: int | None = None  # recording lag: more working days than this is late
    met_late: int | None = None  # of the met on time, how many by a fact recorded late (timeliness measures)


def _held(
    pdu_field: str,
    team_field: str,
    officer_field: str,
    pdu: Any = None,
    team: Any = None,
    region: Any = None,
    officer: Any = None,
    no_team: bool = False,
) -> Q:
    """The filter that picks a unit's rows, the way the counts attribute them (PDU, then team within it)."""
    if officer is not None:
        return Q(**{officer_field: officer, team_field: officer.team_id, pdu_field: officer.team.pdu_id})
    if team is not None:
        return Q(**{team_field: team, pdu_field: team.pdu_id})
    if pdu is not None and no_team:
        return Q(**{pdu_field: pdu}) & (Q(**{f"{team_field}__isnull": True}) | ~Q(**{f"{team_field}__pdu": pdu}))
    if pdu is not None:
        return Q(**{pdu_field: pdu})
    return Q(**{f"{pdu_field}__region": region})


def _beside_recorded_late(obligations: QuerySet[Any], rule: str, as_of: date) -> tuple[QuerySet[Any], int | None]:
    """Each obligation met on time marked `met_late` when the fact that met it was recorded late (the rows behind
    the share beside a timeliness measure), and how many are (one query)."""
    if rule not in MEETING_FACTS:
        return obligations, None
    late = recorded_late() & met_on_time(as_of)
    marked = obligations.annotate(met_late=ExpressionWrapper(late, output_field=BooleanField()))
    return marked, marked.filter(met_late=True).count()


def cases_behind(measure: str, start: date, end: date, user: User, **unit: Any) -> Behind:
    as_of = counted_on()
    visible = visible_people(user)
    if measure in CLOCKS:
        rule, types = CLOCKS[measure]
        due = Obligation.objects.filter(_held("pdu", "team", "officer", **unit), rule=rule)
        due = due.filter(due_on__gte=start, due_on__lte=end, person__in=visible)
        if types is not None:
            due = due.filter(event__type__in=types)
        counted = due.filter(judged(as_of))
        pending = due.exclude(judged(as_of)).exclude(void_on__lte=as_of).count()
        marked, met_late = _beside_recorded_late(counted, rule, as_of)
        items = marked.select_related("person", "event", "officer").order_by("due_on", "id")
        met = counted.filter(met_on_time(as_of)).count()
        return Behind("obligations", items, as_of, pending, met, met_late=met_late)
    if measure in APPOINTMENTS:
        where = _held("event__pdu", "staff__team", "staff", **unit)
        appointments = appointments_in(start, end).filter(where, event__person__in=visible)
        late = recorded_late_after()
        if measure == "recording_lag":
            appointments = lagged(appointments)
            met = appointments.filter(lag__gt=late).count()  # type: ignore[misc]
        else:
            met = appointments.filter(APPOINTMENTS[measure]).count()
        listed = appointments.select_related("event__person", "type", "staff").order_by("starts_at", "id")
        return Behind("contacts", listed, as_of, met=met, late_after=late if measure == "recording_lag" else None)
    if unit.get("officer") is not None or unit.get("team") is not None or unit.get("no_team"):
        return Behind("", None, as_of)  # counted for whole PDUs only (not offered below them)
    where = _held("pdu", "", "", **unit)
    if measure in {"licence_compliance", "order_completion"}:
        types = RELEASES if measure == "licence_compliance" else ORDERS
        events = Event.objects.filter(terminated_on__gte=start, terminated_on__lte=end, type__in=types)
        ended = events.filter(where, person__in=visible).select_related("person")
        done = licence_clean() if measure == "licence_compliance" else Q(termination_reason__in=ORDER_DONE)
        return Behind("events", ended.order_by("terminated_on", "id"), as_of, met=ended.filter(done).count())
    if measure == "ro_continuity":
        earlier = Allocation.objects.filter(event=OuterRef("event_id"), from_date__lt=OuterRef("from_date"))
        changes = Allocation.objects.filter(from_date__gte=start, from_date__lte=end).filter(Exists(earlier))
        changes = changes.filter(_held("event__pdu", "", "", **unit), event__person__in=visible)
        return Behind(
            "allocations", changes.select_related("event__person", "staff").order_by("from_date", "id"), as_of
        )
    if measure == "programme_completion":
        finished = Programme.objects.ending_in(start, end)
        finished = finished.filter(_held("requirement__event__pdu", "", "", **unit))
        finished = finished.filter(requirement__event__person__in=visible)
        programmes = finished.select_related("requirement__event__person")
        met = programmes.filter(completed=True).count()  # type: ignore[misc]
        return Behind("programmes", programmes.order_by("ends_on", "id"), as_of, met=met)  # type: ignore[misc]
    return Behind("", None, as_of)
