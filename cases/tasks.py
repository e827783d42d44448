"""The National Standards jobs: thin, idempotent wrappers around the ledger services, retried when the
database or broker connection is lost."""

from datetime import timedelta

from celery import current_app, shared_task
from django.db import InterfaceError, OperationalError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from cases.standards import digest, ledger, rules
from probation import jobs

LOST_CONNECTION = (OperationalError, InterfaceError, BrokerError)


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def standards_sweep() -> int:
    """Nightly: open the month's contact obligations, move states, flag overdue, remind what is due soon.
    A missed night is caught up: states are worked out from the dates, not from the nights that ran."""
    moved = sum(ledger.sweep().values())
    ledger.remind()
    jobs.record_run("standards_sweep")
    return moved


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def standards_open_month() -> int:
    """On the 1st: open the new month's face-to-face obligations for every sentence in scope (one statement;
    the nightly sweep does the same, so a missed 1st is caught up the next night)."""
    with transaction.atomic():
        ledger.lock()
        opened = ledger.open_months(timezone.localdate())
    jobs.record_run("standards_open_month")
    return opened


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def standards_rebuild() -> int:
    """After a rule's parameters change: re-derive the whole ledger from the facts."""
    with transaction.atomic():
        ledger.lock()
        repaired = len(ledger.rebuild())
    jobs.record_run("standards_rebuild")
    return repaired


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def standards_digest() -> int:
    """Each morning: one email per officer listing what became overdue or falls due soon."""
    sent = digest.send()
    jobs.record_run("standards_digest")
    return sent


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def workload_snapshot() -> int:
    """Nightly: each caseworker's workload for the month so far, and last month's end again (so a missed
    night at the turn of the month is caught up). Idempotent: the rows are upserted."""
    from regions import workload

    today = timezone.localdate()
    first = today.replace(day=1)
    written = workload.snapshot((first - timedelta(days=1)).replace(day=1))
    written += workload.snapshot(first, on=today)
    jobs.record_run("workload_snapshot")
    return written


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def performance_rollup() -> int:
    """Nightly, after the sweep: recount the last 13 months of performance measures (late recording and
    late-met obligations change past months too). Idempotent: each month is replaced whole."""
    from regions import performance

    today = timezone.localdate()
    first = (today.replace(day=1) - timedelta(days=366)).replace(day=1)
    written = performance.refresh(performance.month_starts(first, today))
    jobs.record_run("performance_rollup")
    return written


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def catch_up() -> list[str]:
    """Every minute: send again, once, each job whose run was lost while the broker was down: a run beat could
    not send (or Redis dropped), or the rebuild a rule change could not queue (cases/admin.py)."""
    now = timezone.now()
    lost = jobs.lost_runs(jobs.last_run("catch_up"), now, asked={standards_rebuild.name: rules.changed_at()})
    for task in lost:
        current_app.send_task(task)
    jobs.record_run("catch_up", at=now)
    return lost
