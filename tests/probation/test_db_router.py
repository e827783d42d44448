"""The read-replica router's decisions (probation/db_router.py), with the replica's presence and state stood in
for. `make test-replica` checks the same against a real streaming standby (tests/probation/test_replica_live.py)."""

import io
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db import connections
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory, override_settings

from probation import db_router
from probation.db_router import DOWN, LAGGING, NOT_CONFIGURED, OK, REPLICA, ReplicaRouter, ReplicaState
from tests.probation.test_settings import PRODUCTION, run_manage


@pytest.fixture
def replica(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """A replica configured, in the state the test sets."""
    monkeypatch.setattr(db_router, "configured", lambda: True)
    state = {"now": OK}
    monkeypatch.setattr(db_router, "replica_state", lambda: ReplicaState(state["now"], 0.0, time.monotonic()))
    yield lambda s: state.update(now=s)
    db_router.forget_state()


def test_reads_go_to_the_primary_outside_reads_from_replica(replica: Callable[[str], None]) -> None:
    assert ReplicaRouter().db_for_read(object) == "default"


def test_reads_inside_reads_from_replica_go_to_a_healthy_replica(replica: Callable[[str], None]) -> None:
    with db_router.reads_from_replica():
        assert ReplicaRouter().db_for_read(object) == REPLICA
    assert ReplicaRouter().db_for_read(object) == "default", "the scope ends with the block"


def test_the_decorator_scopes_a_view_or_command(replica: Callable[[str], None]) -> None:
    seen = db_router.reads_from_replica(lambda: ReplicaRouter().db_for_read(object))()
    assert seen == REPLICA


@pytest.mark.parametrize("state", [LAGGING, DOWN, NOT_CONFIGURED])
def test_reads_fall_back_to_the_primary_when_the_replica_is_not_ok(replica: Callable[[str], None], state: str) -> None:
    replica(state)
    with db_router.reads_from_replica():
        assert ReplicaRouter().db_for_read(object) == "default"


def test_without_a_replica_configured_every_read_is_the_primarys() -> None:
    assert not db_router.configured()
    with db_router.reads_from_replica():
        assert ReplicaRouter().db_for_read(object) == "default"
    assert db_router.replica_state().state == NOT_CONFIGURED


def test_reads_inside_a_transaction_go_to_the_primary(
    replica: Callable[[str], None], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(connections["default"], "in_atomic_block", True)
    with db_router.reads_from_replica():
        assert ReplicaRouter().db_for_read(object) == "default"


def test_reads_pinned_to_the_primary_stay_there(replica: Callable[[str], None]) -> None:
    with db_router.reads_from_replica(), db_router.reads_from_primary():
        assert ReplicaRouter().db_for_read(object) == "default"


def test_writes_migrations_and_relations(replica: Callable[[str], None]) -> None:
    router = ReplicaRouter()
    with db_router.reads_from_replica():
        assert router.db_for_write(object) == "default"
    assert router.allow_migrate(REPLICA, "cases") is False
    assert router.allow_migrate("default", "cases") is None
    on_replica, on_primary = mock.Mock(), mock.Mock()
    on_replica._state.db, on_primary._state.db = REPLICA, "default"
    assert router.allow_relation(on_replica, on_primary) is True


# --- The replica's state ----------------------------------------------------------------------------------


def _answering(row: tuple[Any, ...] | Exception) -> mock.MagicMock:
    cursor = mock.MagicMock()
    if isinstance(row, Exception):
        cursor.execute.side_effect = row
    cursor.fetchone.return_value = row
    connection = mock.MagicMock()
    connection.cursor.return_value.__enter__.return_value = cursor
    return connection


@pytest.mark.parametrize(
    ("row", "state"),
    [
        ((True, "streaming", 0.0), OK),  # replayed all it received: an idle primary is not lag
        ((True, "streaming", 12.0), OK),
        ((True, "streaming", 31.0), LAGGING),  # past REPLICA_MAX_LAG_SECONDS (30)
        ((True, None, 0.0), LAGGING),  # not streaming: it cannot know how far behind it is
        ((False, None, 0.0), DOWN),  # promoted: not a replica any more
        (ConnectionRefusedError("no"), DOWN),
    ],
)
def test_measure_reads_the_replicas_lag(monkeypatch: pytest.MonkeyPatch, row: Any, state: str) -> None:
    monkeypatch.setattr(db_router, "configured", lambda: True)
    handler = mock.MagicMock()
    handler.__getitem__.return_value = _answering(row)
    monkeypatch.setattr(db_router, "connections", handler)
    with override_settings(REPLICA_MAX_LAG_SECONDS=30):
        assert db_router.measure().state == state


def test_the_state_is_measured_at_most_every_few_seconds(monkeypatch: pytest.MonkeyPatch) -> None:
    db_router.forget_state()
    measured = mock.Mock(side_effect=lambda: ReplicaState(OK, 0.0, time.monotonic()))
    monkeypatch.setattr(db_router, "measure", measured)
    with override_settings(REPLICA_CHECK_SECONDS=60):
        for _ in range(5):
            assert db_router.replica_state().state == OK
    assert measured.call_count == 1
    with override_settings(REPLICA_CHECK_SECONDS=0):
        db_router.replica_state()
    assert measured.call_count == 2
    db_router.forget_state()


def test_caught_up_is_false_without_a_healthy_replica(replica: Callable[[str], None]) -> None:
    replica(LAGGING)
    assert db_router.caught_up(0) is False
    with db_router.reads_from_replica(), db_router.reads_from_caught_up_replica(0):
        assert ReplicaRouter().db_for_read(object) == "default", "a job that cannot wait reads the primary"


# --- Read-your-writes ---------------------------------------------------------------------------------------


def _through_middleware(
    request: HttpRequest, status: int = 200, changes_a_case: bool = False
) -> tuple[HttpResponse, str]:
    seen = {}

    def view(request: HttpRequest) -> HttpResponse:
        if changes_a_case:
            db_router.wrote()
        with db_router.reads_from_replica():
            seen["alias"] = ReplicaRouter().db_for_read(object)
        return HttpResponse(status=status)

    response = db_router.ReadYourWritesMiddleware(view)(request)
    return response, seen["alias"]


def test_a_get_reads_the_replica_and_sets_no_cookie(replica: Callable[[str], None], rf: RequestFactory) -> None:
    response, alias = _through_middleware(rf.get("/performance/national/"))
    assert alias == REPLICA
    assert db_router.COOKIE not in response.cookies


def test_a_post_reads_the_primary_and_pins_its_user_for_the_window(
    replica: Callable[[str], None], rf: RequestFactory
) -> None:
    response, alias = _through_middleware(rf.post("/cases/X1/contacts/new/"), status=302)
    assert alias == "default", "every read of a request that writes is the primary's"
    cookie = response.cookies[db_router.COOKIE]
    assert cookie["max-age"] == 10
    assert cookie["httponly"]
    following = rf.get("/performance/national/")
    following.COOKIES[db_router.COOKIE] = cookie.value
    assert _through_middleware(following)[1] == "default", "read-your-writes: the next page reads the primary"
    later = datetime.now() + timedelta(seconds=11)
    with time_machine.travel(later, tick=False):
        assert _through_middleware(following)[1] == REPLICA, "after the window the replica again"


def test_a_forged_cookie_pins_nothing(replica: Callable[[str], None], rf: RequestFactory) -> None:
    request = rf.get("/performance/national/")
    request.COOKIES[db_router.COOKIE] = "1:forged:signature"
    assert _through_middleware(request)[1] == REPLICA


def test_a_refused_post_sets_no_cookie(replica: Callable[[str], None], rf: RequestFactory) -> None:
    response, _ = _through_middleware(rf.post("/cases/X1/contacts/new/"), status=400)
    assert db_router.COOKIE not in response.cookies


def test_a_case_change_in_any_request_sets_the_cookie(replica: Callable[[str], None], rf: RequestFactory) -> None:
    response, _ = _through_middleware(rf.get("/cases/X1/"), changes_a_case=True)
    assert db_router.COOKIE in response.cookies


def test_without_a_replica_the_middleware_does_nothing(rf: RequestFactory) -> None:
    response, alias = _through_middleware(rf.post("/cases/X1/contacts/new/"), status=302)
    assert alias == "default"
    assert db_router.COOKIE not in response.cookies


def test_the_replica_url_makes_a_replica_alias_mirroring_the_primary_in_tests() -> None:
    script = (
        "from django.conf import settings as s; r = s.DATABASES['replica'];"
        "print(r['PORT'], r['TEST']['MIRROR'], r['OPTIONS']['connect_timeout'], s.DATABASE_ROUTERS)"
    )
    replica_url = "postgres://postgres@127.0.0.1:5433/probation"
    result = run_manage("shell", "-v0", "-c", script, env={**PRODUCTION, "DATABASE_REPLICA_URL": replica_url})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "5433 default 2 ['probation.db_router.ReplicaRouter']"


# --- Who asks for the replica (the scope seen by what they call) --------------------------------------------


def _scope_seen_by(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> list[bool]:
    seen: list[bool] = []
    real = getattr(module, name)

    def spy(*args: Any, **kwargs: Any) -> Any:
        seen.append(db_router._scope.get())
        return real(*args, **kwargs)

    monkeypatch.setattr(module, name, spy)
    return seen


@pytest.mark.django_db
def test_the_performance_pages_and_downloads_read_in_the_replicas_scope(
    client: Any, national: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from regions.performance import rollups

    seen = _scope_seen_by(monkeypatch, rollups, "figures")
    client.force_login(national.user)
    assert client.get("/performance/national/").status_code == 200
    assert client.get("/performance/national/", {"format": "csv"}).status_code == 200
    assert seen == [True] * 4, "this and the previous period, for the page and for its download"


@pytest.mark.django_db
def test_kpi_report_and_export_cases_read_in_the_replicas_scope(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.management import call_command

    from cases.management.commands import export_cases
    from regions.performance import rollups

    reported = _scope_seen_by(monkeypatch, rollups, "report")
    exported = _scope_seen_by(monkeypatch, export_cases, "document")
    call_command("kpi_report", "--from", "2026-11-01", "--to", "2026-11-30", stdout=io.StringIO())
    call_command("export_cases", "-", stdout=io.StringIO())
    assert reported == [True]
    assert exported == [True]
