"""Accredited programme completion, counted for the performance measures (regions/performance/measures.py)."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Count, Q

from interventions.models import Programme
from regions.performance.measures import Row, counter


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
