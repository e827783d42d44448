"""Services behind the scheduled jobs that belong to the service as a whole."""

from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from celery.schedules import crontab
from django.conf import settings
from django.db import InterfaceError, OperationalError, connection, transaction
from django.db.models import F, QuerySet
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

# Rows the purge deletes in one statement (and one short transaction): at national scale a night's expired
# sessions and keys run to a million, and one DELETE of them all would hold that many row locks at once.
PURGE_BATCH = 10_000


def delete_in_batches(rows: QuerySet[Any]) -> int:
    """Delete the rows a batch at a time by primary key, until a batch comes back short; returns how many went."""
    model = rows.model
    total = 0
    while True:
        with transaction.atomic():
            deleted = model._default_manager.filter(pk__in=rows.values("pk")[:PURGE_BATCH]).delete()[0]
        total += deleted
        if deleted < PURGE_BATCH:
            return total


def end_expired_sessions(now: datetime) -> tuple[int, int]:
    """Delete expired sessions a batch at a time, and in the same statement the sign-in list's rows for them
    (a data-modifying WITH): each list row is found by its unique session key, never by scanning the list."""
    from django.contrib.sessions.models import Session

    from probation.models import UserSession

    sessions, listed = Session._meta.db_table, UserSession._meta.db_table
    ended = unlisted = 0
    while True:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"""WITH gone AS (
                        DELETE FROM {sessions} WHERE session_key IN (
                            SELECT session_key FROM {sessions} WHERE expire_date < %s LIMIT %s)
                        RETURNING session_key),
                    unlisted AS (
                        DELETE FROM {listed} WHERE session_key IN (SELECT session_key FROM gone) RETURNING 1)
                    SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM unlisted)""",  # noqa: S608 - our tables
                [now, PURGE_BATCH],
            )
            batch, rows = cursor.fetchone()
        ended, unlisted = ended + batch, unlisted + rows
        if batch < PURGE_BATCH:
            return ended, unlisted


def purge_expired(now: datetime | None = None) -> dict[str, int]:
    """Nightly: once-only keys older than a week, sessions past their expiry and the sign-in list's rows for
    sessions that no longer exist, and lock rows of usernames not tried within the lock-out window. Set-based, in
    batches of PURGE_BATCH, idempotent: run twice, the second deletes nothing. A session's row on the sign-in
    list goes with the session; what is left on the list without a session (signed out, cleared by hand) goes
    in one anti-join (NOT EXISTS). NOT IN over a million sessions is planned as a subquery scanned once a row:
    more than 12 minutes at national scale (docs/BENCHMARKS.md). Returns how many rows of each went."""
    from django.contrib.sessions.models import Session
    from django.db.models import Exists, OuterRef
    from django.db.models.functions import Lower

    from probation.models import SignInAttempt, SignInGuard, Submission, UserSession
    from probation.throttle import WINDOW

    now = now or timezone.now()
    deleted = {"once_only_keys": delete_in_batches(Submission.objects.filter(at__lt=now - ONCE_ONLY_KEPT))}
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        deleted["sessions"], listed = end_expired_sessions(now)
        orphans = UserSession.objects.exclude(Exists(Session.objects.filter(session_key=OuterRef("session_key"))))
        deleted["signed_in_list"] = listed + orphans.delete()[0]
    recent = SignInAttempt.objects.filter(at__gt=now - WINDOW).annotate(key=Lower("username")).values("key")
    deleted["sign_in_locks"] = delete_in_batches(SignInGuard.objects.exclude(username__in=recent))
    return deleted
