from celery import shared_task
from django.db import OperationalError

from probation import jobs


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def heartbeat() -> int:
    """Proves beat and a worker are alive end to end; the admin status page shows the last run."""
    return jobs.record_run("heartbeat").runs


@shared_task(autoretry_for=jobs.LOST_CONNECTION, retry_backoff=True, max_retries=5)
def purge_expired() -> dict[str, int]:
    """Nightly: expired once-only keys and sessions (probation/jobs.py purge_expired)."""
    deleted = jobs.purge_expired()
    jobs.record_run("purge_expired")
    return deleted
