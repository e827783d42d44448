"""Services behind the scheduled jobs that belong to the service as a whole."""

from collections.abc import Mapping
from datetime import datetime, timedelta

from celery.schedules import crontab
from django.conf import settings
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from probation.models import JobRun

# A job is retried when it loses the database or the broker
LOST_CONNECTION = (OperationalError, InterfaceError, BrokerError)

# How long after its time a job that has not recorded a run counts as lost (longer than any job takes)
CATCH_UP_GRACE = timedelta(minutes=10)


@transaction.atomic
def record_run(name: str, at: datetime | None = None) -> JobRun:
    """Record that a job ran now: one upsert, safe to run from two workers at once."""
    now = at or timezone.now()
    updated = JobRun.objects.filter(name=name).update(last_run_at=now, runs=F("runs") + 1)
    if not updated:
        JobRun.objects.get_or_create(name=name, defaults={"last_run_at": now, "runs": 1})
    return JobRun.objects.get(name=name)


def last_run(name: str) -> datetime | None:
    return JobRun.objects.filter(name=name).values_list("last_run_at", flat=True).first()


def lost_runs(since: datetime | None, now: datetime, asked: Mapping[str, datetime | None] | None = None) -> list[str]:
    """The tasks whose run was lost. Beat sends a job once, at its time, and drops it if the broker is down then
    (a Redis restart drops what was queued, too); a change that queues a job on commit cannot while the broker
    is down (`asked`: task -> when a change last asked for it). A run counts as lost once the first time it was
    due after the job's last recorded run is CATCH_UP_GRACE past; each is reported by the one catch-up whose
    window (`since`, `now`] holds that moment, so it is sent again once. A job that never ran is left to beat."""
    runs = dict(JobRun.objects.values_list("name", "last_run_at"))
    due: dict[str, datetime] = {}
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        task, schedule = str(entry["task"]), entry["schedule"]
        last = runs.get(task.rsplit(".", 1)[-1])
        if isinstance(schedule, crontab) and last is not None:
            start, delta, _ = schedule.remaining_delta(last)
            due[task] = start + delta
    for task, at in (asked or {}).items():
        last = runs.get(task.rsplit(".", 1)[-1])
        if at is not None and (last is None or at > last):
            due[task] = min(at, due.get(task, at))
    noticed = {task: at + CATCH_UP_GRACE for task, at in due.items()}
    return sorted(task for task, at in noticed.items() if at <= now and (since is None or at > since))


ONCE_ONLY_KEPT = timedelta(days=7)  # a form left open longer than a week is posted as new


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Nightly: once-only keys older than a week, sessions past their expiry and the sign-in list's rows for
    sessions that no longer exist, and lock rows of usernames not tried within the lock-out window. Set-based,
    idempotent: run twice, the second deletes nothing. Returns how many rows of each went."""
    from django.contrib.sessions.models import Session
    from django.db.models.functions import Lower

    from probation.models import SignInAttempt, SignInGuard, Submission, UserSession
    from probation.throttle import WINDOW

    now = now or timezone.now()
    deleted = {"once_only_keys": Submission.objects.filter(at__lt=now - ONCE_ONLY_KEPT).delete()[0]}
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        deleted["sessions"] = Session.objects.filter(expire_date__lt=now).delete()[0]
        deleted["signed_in_list"] = UserSession.objects.exclude(
            session_key__in=Session.objects.values("session_key")
        ).delete()[0]
    recent = SignInAttempt.objects.filter(at__gt=now - WINDOW).annotate(key=Lower("username")).values("key")
    deleted["sign_in_locks"] = SignInGuard.objects.exclude(username__in=recent).delete()[0]
    return deleted
