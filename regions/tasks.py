"""The regions' nightly jobs: thin, idempotent wrappers around workload snapshots and the performance rollups,
retried when the database or broker connection is lost."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from probation import jobs
from regions import workload
from regions.performance import rollups


@shared_task(autoretry_for=jobs.LOST_CONNECTION, retry_backoff=True, max_retries=8)
def workload_snapshot() -> int:
    """Nightly: each caseworker's workload for the month so far, and last month's end again (so a missed
    night at the turn of the month is caught up). Idempotent: the rows are upserted."""
    today = timezone.localdate()
    first = today.replace(day=1)
    written = workload.snapshot((first - timedelta(days=1)).replace(day=1))
    written += workload.snapshot(first, on=today)
    jobs.record_run("workload_snapshot")
    return written


@shared_task(autoretry_for=jobs.LOST_CONNECTION, retry_backoff=True, max_retries=8)
def performance_rollup() -> int:
    """Nightly, after the sweep: recount the last 13 months of performance measures (late recording and
    late-met obligations change past months too). Idempotent: each month is replaced whole."""
    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=366)).replace(day=1)
    written = rollups.refresh(rollups.month_starts(first, today))
    jobs.record_run("performance_rollup")
    return written


@shared_task(autoretry_for=jobs.LOST_CONNECTION, retry_backoff=True, max_retries=8)
def performance_recount() -> int:
    """Every few minutes: recount the months a change to a case made out of date (marked by the unit of work),
    so a contact logged or a breach recorded moves its counts within minutes. Advisory-locked and idempotent;
    the nightly rollup stays as the full recount."""
    written = rollups.recount_stale()
    jobs.record_run("performance_recount")
    return written
