from celery import shared_task
from django.db import OperationalError

from probation import jobs


@shared_task(autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def heartbeat() -> int:
    """Proves beat and a worker are alive end to end; the admin status page shows the last run."""
    return jobs.record_run("heartbeat").runs
