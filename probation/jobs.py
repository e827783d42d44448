"""Services behind the scheduled jobs that belong to the service as a whole."""

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from probation.models import JobRun


@transaction.atomic
def record_run(name: str) -> JobRun:
    """Record that a job ran now: one upsert, safe to run from two workers at once."""
    now = timezone.now()
    updated = JobRun.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1)
    if not updated:
        JobRun.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})
    return JobRun.objects.get(name=name)
