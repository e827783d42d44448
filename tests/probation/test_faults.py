"""Faults, for real: a Redis of our own stopped (and hung) while officers work, and a database connection cut in
the middle of the nightly sweep. Longer drills (a PostgreSQL killed with -9, gunicorn through an outage) are
`make drill` (docs/OPERATIONS.md)."""

import threading
import time
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.test import Client
from django.utils import timezone

from cases.admin import queue_rebuild
from cases.models import Contact, Notification, Obligation, RuleSetting
from cases.standards import calendar, ledger
from cases.standards.rules import DEFAULTS
from cases.tasks import catch_up, standards_sweep
from probation import health, jobs
from probation.celery import app
from probation.models import JobRun
from regions.models import WorkloadWeight
from regions.workload_points import ensure_weights
from tests.factories import PASSWORD, case_for
from tools.drill_servers import RedisServer, wait_for

needs_redis = pytest.mark.skipif(
    not settings.CELERY_BROKER_URL.startswith("redis"), reason="runs with the Redis broker's settings"
)


def _fresh_broker_connections() -> None:
    # The app keeps a pool of connections to the broker it first used; start again with the current URL.
    app._pool = None  # type: ignore[attr-defined]
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


@pytest.fixture
def own_redis() -> Iterator[RedisServer]:
    """The web, the health check and Celery all use a Redis of the test's own, never the shared one."""
    redis = RedisServer()
    redis.start()
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setenv("CELERY_BROKER_URL", redis.url)  # Celery reads the environment before its settings
            _fresh_broker_connections()
            yield redis
    finally:
        redis.stop()
        _fresh_broker_connections()


def _sign_in(client: Client, username: str) -> None:
    response = client.post("/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302, "signed in"


def _log_yesterdays_visit(client: Client, officer: Any, office_visit: Any) -> Contact:
    yesterday = timezone.localdate() - timedelta(days=1)
    while not calendar.is_business_day(yesterday):  # a booking on a weekend or bank holiday asks to be confirmed
        yesterday -= timedelta(days=1)
    booking = {
        "type": office_visit.pk,
        "day_0": yesterday.day,
        "day_1": yesterday.month,
        "day_2": yesterday.year,
        "at": "10:00",
        "staff": officer.pk,
    }
    assert client.post("/cases/X123456/events/1/appointments/new/", booking).status_code == 302
    contact = Contact.objects.get(event__person__crn="X123456")
    assert client.post(f"/cases/X123456/contacts/{contact.pk}/outcome/", {"outcome": "attended"}).status_code == 302
    contact.refresh_from_db()
    return contact


def _wait_for(condition: Any, what: str, timeout: float = 20) -> None:
    assert wait_for(condition, timeout), f"timed out waiting for {what}"


@needs_redis
@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-11-25")
def test_with_redis_stopped_officers_work_on_and_the_jobs_catch_up_when_it_returns(
    own_redis: RedisServer, officer, administrator, community_order, contact_types, monkeypatch
) -> None:
    ensure_weights(WorkloadWeight)  # transactional tests flush the migration's rows
    administrator.user.is_superuser = True  # as the demo's administrator is
    administrator.user.save()
    jobs.record_run("standards_sweep", at=timezone.now() - timedelta(days=2))  # last night's run will be lost
    own_redis.stop()
    started = time.monotonic()

    officers = Client()
    _sign_in(officers, "officer")
    contact = _log_yesterdays_visit(officers, officer, contact_types["office_visit"])
    assert (contact.outcome, Contact.objects.count()) == ("attended", 1)
    initial = Obligation.objects.get(event=community_order, rule="initial_appointment")
    assert (initial.met_on, initial.state) == (date(2026, 11, 24), "met_late")  # yesterday's visit, at once
    for page in ["/cases/", "/cases/X123456/", "/cases/X123456/contacts/"]:
        assert officers.get(page).status_code == 200, page
    status = officers.get("/healthz")
    assert (status.status_code, status.json()["broker"], status.json()["database"]) == (503, "unreachable", "ok")

    # An administrator lengthens a rule: saved, though its rebuild cannot be queued
    admins = Client()
    _sign_in(admins, "admin")
    response = admins.post("/admin/cases/rulesetting/add/", {"rule": "initial_appointment", "period": "10"})
    assert response.status_code == 302
    assert RuleSetting.objects.get(rule="initial_appointment").period == 10
    assert admins.get("/admin-home/").status_code == 200
    assert time.monotonic() - started < 15, "nothing waited on the broker"
    assert Obligation.objects.get(pk=initial.pk).due_on == date(2025, 12, 30)  # not yet rebuilt
    assert not Notification.objects.exists()  # not yet swept

    # Redis returns; beat sends the catch-up job (every minute) and a worker runs what was lost
    monkeypatch.setattr(jobs, "CATCH_UP_GRACE", timedelta(0))  # as if the outage outlasted the grace
    own_redis.start()
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        catch_up.delay()
        _wait_for(lambda: JobRun.objects.filter(name="standards_rebuild").exists(), "the rebuild")
        _wait_for(lambda: JobRun.objects.get(name="standards_sweep").runs == 2, "the sweep")
    assert catch_up.apply().get() == []  # the next catch-up finds nothing more lost
    runs = dict(JobRun.objects.values_list("name", "runs"))
    assert (runs["standards_sweep"], runs["standards_rebuild"]) == (2, 1)
    # sentenced Friday 19 December 2025, 10 business days: 22, 23, 24, 29, 30, 31 December (25 and 26 are bank
    # holidays), 2, 5, 6, 7 January 2026 (1 January is New Year's Day)
    assert Obligation.objects.get(pk=initial.pk).due_on == date(2026, 1, 7)
    today = timezone.localdate()
    overdue = Obligation.objects.filter(state="overdue", officer=officer, due_on__gte=today - timedelta(days=35))
    flagged = Notification.objects.filter(kind="overdue", staff=officer).values_list("obligation_id", flat=True)
    assert set(flagged) == set(overdue.values_list("pk", flat=True))
    # October's face-to-face contact, unmet at the month's end, is missed: history, never flagged
    october = Obligation.objects.get(event=community_order, rule="monthly_contact", due_on=date(2026, 10, 31))
    assert october.state == "missed"
    assert not Notification.objects.filter(obligation=october).exists()
    assert officers.get("/healthz").status_code == 200


def test_the_catch_up_sends_each_lost_run_once_after_a_grace(db: None) -> None:
    now, sweep, rebuild = timezone.now(), "cases.tasks.standards_sweep", "cases.tasks.standards_rebuild"
    assert jobs.lost_runs(None, now) == []  # a job that never ran is left to beat
    jobs.record_run("standards_sweep", at=now - timedelta(days=2))
    assert jobs.lost_runs(None, now) == [sweep]  # last night's run never happened
    assert jobs.lost_runs(now - timedelta(minutes=1), now) == []  # the last catch-up sent it: not again
    jobs.record_run("standards_sweep", at=now)
    assert jobs.lost_runs(None, now) == []
    asked = now - jobs.CATCH_UP_GRACE + timedelta(minutes=1)  # a rule changed, its rebuild queued on commit
    assert jobs.lost_runs(None, now, asked={rebuild: asked}) == []  # still in time to run as queued
    assert jobs.lost_runs(None, now + timedelta(minutes=1), asked={rebuild: asked}) == [rebuild]
    jobs.record_run("standards_rebuild", at=now + timedelta(minutes=2))
    assert jobs.lost_runs(None, now + timedelta(minutes=3), asked={rebuild: asked}) == []


def _finishes_within(seconds: float, call: Any) -> Any:
    """Run the call in a thread and fail the test if it is still waiting after so many seconds (stopping the
    hung server then lets the thread end)."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"{call.__name__} still waiting after {seconds}s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@needs_redis
def test_a_hung_redis_costs_the_health_check_and_a_queued_job_seconds_not_minutes(own_redis: RedisServer) -> None:
    own_redis.hang()  # accepts connections, never answers
    assert _finishes_within(4, health.broker_ok) is False
    _finishes_within(8, queue_rebuild)  # gives up: the catch-up job sends the rebuild later


class CutMidSweep:
    """A query wrapper that, just before the sweep's rule statement number `at`, terminates this connection's
    PostgreSQL backend from a second connection (pg_terminate_backend): the sweep has by then moved the earlier
    rules' obligations inside its open transaction."""

    def __init__(self, at: int) -> None:
        self.at, self.statements, self.overdue_when_cut = at, 0, 0
        self.errors: list[DatabaseError] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: dict[str, Any]) -> Any:
        if "WITH moved AS" in sql:
            self.statements += 1
            if self.statements == self.at:
                sweeps = context["connection"].connection  # the sweep's own connection sees its uncommitted writes
                with sweeps.cursor() as cursor:
                    cursor.execute("SELECT count(*) FROM cases_obligation WHERE state = 'overdue'")
                    self.overdue_when_cut = cursor.fetchone()[0]
                self._terminate(sweeps.info.backend_pid)
        try:
            return execute(sql, params, many, context)
        except DatabaseError as error:
            self.errors.append(error)
            raise

    @staticmethod
    def _terminate(pid: int) -> None:
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
                assert cursor.fetchone() == (True,)
                _wait_for(lambda: _backend_gone(cursor, pid), f"backend {pid} to end", timeout=10)
        finally:
            other.close()


def _backend_gone(cursor: Any, pid: int) -> bool:
    cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
    return cursor.fetchone() == (0,)


@pytest.mark.django_db(transaction=True)
def test_a_connection_cut_mid_sweep_leaves_the_ledger_as_it_was_and_the_retry_completes_it(
    officer, contact_types
) -> None:
    today = timezone.localdate()
    last_swept = today - timedelta(days=10)
    for number in range(6):  # sentenced two weeks ago: initial appointments fell due since the last sweep
        event = case_for(officer, crn=f"F{number:06d}")
        event.sentence_date = today - timedelta(days=14 + number)
        event.save()
    ledger.rebuild(today=last_swept)  # the ledger as the sweep ten days ago left it
    before = sorted(Obligation.objects.values_list("pk", "state", "updated_at"))
    overdue_before = Obligation.objects.filter(state="overdue").count()
    assert ledger.rebuild(check=True, today=last_swept) == []

    cut = CutMidSweep(at=4)
    with connection.execute_wrapper(cut), pytest.raises((OperationalError, InterfaceError)):
        standards_sweep()  # a worker's attempt, its connection cut after three rules
    assert (cut.statements, len(cut.errors)) == (4, 1)
    assert cut.overdue_when_cut > overdue_before  # the sweep had moved obligations when it was cut
    assert sorted(Obligation.objects.values_list("pk", "state", "updated_at")) == before  # nothing half-written
    assert ledger.rebuild(check=True, today=last_swept) == []
    assert not Notification.objects.exists()
    assert not JobRun.objects.filter(name="standards_sweep").exists()

    retried = CutMidSweep(at=9)
    with connection.execute_wrapper(retried):
        result = standards_sweep.apply()  # as a worker runs it: cut again, then retried by Celery
    assert result.successful(), result.traceback
    assert (retried.statements, len(retried.errors)) == (9 + len(DEFAULTS), 1)  # one statement a rule
    assert ledger.rebuild(check=True) == []  # the ledger is what the facts give today
    overdue = Obligation.objects.filter(rule="initial_appointment", state="overdue")
    assert overdue.count() == 6
    flagged = Notification.objects.filter(kind="overdue").values_list("obligation_id", flat=True)
    assert set(overdue.values_list("pk", flat=True)) <= set(flagged)
    assert JobRun.objects.get(name="standards_sweep").runs == 1
