"""Accredited programme completion, counted for the performance measures (regions/performance/measures.py), and
the fact that meets Unpaid Work completion for the share recorded late beside it."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Exists, OuterRef, Q

from interventions.models import Programme, UpwSession
from regions.performance.counting import MEETING_FACTS, recorded_late_facts
from regions.performance.measures import Row, counter


def _completing_session_late(after: int) -> Exists:
    """The hours were completed at a session on the day the obligation was met: was it recorded late?"""
    sessions = UpwSession.objects.filter(
        requirement__event_id=OuterRef("event_id"),
        date=OuterRef("met_on"),
        status__in=[UpwSession.Status.ATTENDED, UpwSession.Status.FAILED],
    )
    return Exists(recorded_late_facts(sessions, "date", "recorded_at", after))


MEETING_FACTS["upw_completion"] = _completing_session_late


@counter
def programme_completion(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Programmes that ended in the period, by their own outcome or by their sentence's end: completed / all."""
    rows = (
        Programme.objects.ending_in(start, end)
        .values_list("requirement__event__pdu_id")
        .annotate(done=Count("id", filter=Q(completed=True)), all=Count("id"))
        .order_by()
    )
    for pdu, done, total in rows:
        yield "programme_completion", pdu, None, done, total
