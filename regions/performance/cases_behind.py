"""The cases behind a performance number: the obligations, appointments or sentences it counted, limited to
the cases the viewer may see."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cases.access import User, visible_people
from cases.models import Allocation, Event, Obligation
from interventions.models import Programme
from regions.performance.counting import appointments_in, lagged
from regions.performance.measures import CLOCKS, ORDERS, RELEASES, recorded_late_after


@dataclass
class Behind:
    kind: str  # obligations, contacts, events, or "" where the measure has no list yet
    rows: QuerySet[Any] | None
    as_of: date


def _where(prefix: str, pdu: Any = None, team: Any = None, region: Any = None, officer: Any = None) -> dict[str, Any]:
    if officer is not None:
        return {f"{prefix}officer": officer} if prefix == "" else {"staff": officer}
    if team is not None:
        return {f"{prefix}team": team}
    if pdu is not None:
        return {f"{prefix}pdu": pdu}
    return {f"{prefix}pdu__region": region}


def cases_behind(measure: str, start: date, end: date, user: User, **unit: Any) -> Behind:
    as_of = max(end, timezone.localdate())
    visible = visible_people(user)
    if measure in CLOCKS:
        rule, types = CLOCKS[measure]
        due = Obligation.objects.filter(rule=rule, due_on__gte=start, due_on__lte=end, **_where("", **unit))
        if types is not None:
            due = due.filter(event__type__in=types)
        due = due.filter(person__in=visible).select_related("person", "event", "officer").order_by("due_on", "id")
        return Behind("obligations", due, as_of)
    if measure in {"appointments_attended", "acceptable_absences", "unacceptable_absences", "recording_lag"}:
        by_staff = unit.get("team") is not None or unit.get("officer") is not None
        where = _where("staff__", **unit) if by_staff else _where("event__", **unit)
        contacts = appointments_in(start, end).filter(**where, event__person__in=visible)
        if measure == "recording_lag":
            contacts = lagged(contacts).filter(lag__gt=recorded_late_after())  # type: ignore[misc]
        listed = contacts.select_related("event__person", "type", "staff").order_by("starts_at", "id")
        return Behind("contacts", listed, as_of)
    if measure in {"licence_compliance", "order_completion"}:
        types = RELEASES if measure == "licence_compliance" else ORDERS
        events = Event.objects.filter(terminated_on__gte=start, terminated_on__lte=end, type__in=types)
        ended = events.filter(**_where("", **unit), person__in=visible).select_related("person")
        return Behind("events", ended.order_by("terminated_on", "id"), as_of)
    if measure == "ro_continuity" and unit.get("officer") is None and unit.get("team") is None:
        earlier = Allocation.objects.filter(event=OuterRef("event_id"), from_date__lt=OuterRef("from_date"))
        changes = Allocation.objects.filter(from_date__gte=start, from_date__lte=end).filter(Exists(earlier))
        changes = changes.filter(**_where("event__", **unit), event__person__in=visible)
        return Behind(
            "allocations", changes.select_related("event__person", "staff").order_by("from_date", "id"), as_of
        )
    if measure == "programme_completion" and unit.get("officer") is None and unit.get("team") is None:
        finished = Programme.objects.ending_in(start, end)
        finished = finished.filter(**_where("requirement__event__", **unit), requirement__event__person__in=visible)
        programmes = finished.select_related("requirement__event__person")
        return Behind("programmes", programmes.order_by("ends_on", "id"), as_of)  # type: ignore[misc]
    return Behind("", None, as_of)
