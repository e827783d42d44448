"""When the performance pages say their counts were taken (regions/performance/rollups.py): the oldest recount of
the months shown, a probe a month on PostgreSQL, the same as the minimum over the months' rows."""

from datetime import UTC, date, datetime

import pytest
from django.db.models import Min

from cases.models import PerformanceRollup
from regions.performance import rollups

pytestmark = pytest.mark.today("2026-11-25")


def _recounted(month: date, at: datetime, pdu, rows: int = 3) -> None:
    for n in range(rows):
        PerformanceRollup.objects.create(
            month=month, measure=f"m{n}", pdu=pdu, pdu_total=True, numerator=1, denominator=2, refreshed_at=at
        )


def test_the_counts_are_as_old_as_the_oldest_recount_of_the_months_shown(officer) -> None:
    pdu = officer.team.pdu
    _recounted(date(2026, 8, 1), datetime(2026, 8, 2, tzinfo=UTC), pdu)  # before the months shown
    _recounted(date(2026, 9, 1), datetime(2026, 11, 3, tzinfo=UTC), pdu)
    _recounted(date(2026, 10, 1), datetime(2026, 11, 1, 4, tzinfo=UTC), pdu)
    _recounted(date(2026, 11, 1), datetime(2026, 11, 25, 4, tzinfo=UTC), pdu)
    for first, last in [
        (date(2026, 9, 1), date(2026, 11, 30)),
        (date(2026, 9, 1), date(2026, 11, 1)),
        (date(2026, 9, 15), date(2026, 11, 30)),  # from October: a month counts from its first day
        (date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 12, 1), date(2026, 12, 31)),  # nothing counted yet
        (date(2025, 1, 1), date(2026, 12, 31)),  # months with no rows among them
    ]:
        rows = PerformanceRollup.objects.filter(month__gte=first, month__lte=last)
        assert rollups.counted_at(first, last)[0] == rows.aggregate(at=Min("refreshed_at"))["at"], (first, last)
    assert rollups.counted_at(date(2026, 9, 1), date(2026, 11, 30))[0] == datetime(2026, 11, 1, 4, tzinfo=UTC)
    assert rollups.last_refreshed() == datetime(2026, 11, 25, 4, tzinfo=UTC)
