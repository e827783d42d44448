"""The National Standards jobs: thin, idempotent wrappers around the ledger services, retried when the
database or broker connection is lost."""

from celery import current_app, shared_task
from django.db import transaction
from django.utils import timezone

from cases.ending import services as ending
from cases.standards import digest, ledger, rules
from probation import jobs

LOST_CONNECTION = jobs.LOST_CONNECTION


@shared_task(autoretry_for=LOST_CONNECTION, retry_backoff=True, max_retries=8)
def standards_sweep() -> int:
    """Nightly: end the sentences whose end date has passed, open the month's contact obligations, move states,
    flag overdue, remind what is due soon. A missed night is caught up: states are worked out from the dates,
    not from the nights that ran."""
    ending.end_completed()
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
def catch_up() -> list[str]:
    """Every minute: send again, once, each job whose run was lost while the broker was down: a run beat could
    not send (or Redis dropped), or the rebuild a rule change could not queue (cases/admin.py)."""
    now = timezone.now()
    lost = jobs.lost_runs(jobs.last_run("catch_up"), now, asked={standards_rebuild.name: rules.changed_at()})
    for task in lost:
        current_app.send_task(task)
    jobs.record_run("catch_up", at=now)
    return lost
