"""The read replica against a real PostgreSQL streaming standby: `make test-replica` (tools/replica.py makes a
primary and a standby of their own with pg_basebackup -R, and runs these tests with DATABASE_URL and
DATABASE_REPLICA_URL pointing at them). Skipped in a run without a replica.

The standby's replay is paused to tell its reads from the primary's: a count changed on the primary after the
pause is still the old count on the standby, so the figure a page shows says which server answered."""

import csv
import io
import json
import os
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connections
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.models import ContactType, Event, PerformanceRollup, PerformanceStale
from cases.standards import calendar
from probation import db_router
from regions.models import StaffMember, Team
from regions.performance import rollups
from tools.replica import start_standby, stop_standby

pytestmark = [
    pytest.mark.replica,
    pytest.mark.skipif(not db_router.configured(), reason="needs a standby: make test-replica"),
    pytest.mark.django_db(transaction=True, databases=["default", "replica"]),
]

MEASURE = "initial_contact_order"


def _sign_in(client: Client, staff: StaffMember) -> None:
    assert staff.user is not None
    client.force_login(staff.user)


def _on_standby(sql: str) -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute(sql)


@pytest.fixture(autouse=True)
def standby_replaying() -> Iterator[None]:
    db_router.forget_state()
    yield
    _on_standby("SELECT pg_wal_replay_resume()")
    db_router.forget_state()


@pytest.fixture
def rollup(team: Team) -> PerformanceRollup:
    """7 of 10 in the team this month, counted for its PDU and for the team."""
    month = timezone.localdate().replace(day=1)
    counts = {"month": month, "measure": MEASURE, "pdu": team.pdu, "refreshed_at": timezone.now()}
    PerformanceRollup.objects.create(**counts, team=team, numerator=7, denominator=10)
    return PerformanceRollup.objects.create(**counts, pdu_total=True, numerator=7, denominator=10)


def _team_count(client: Client, pdu_code: str, team_code: str) -> int:
    response = client.get(f"/performance/pdu/{pdu_code}/", {"format": "csv", "measure": MEASURE})
    assert response.status_code == 200
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    return int(rows[team_code]["numerator"])


def _region_count(client: Client, region_code: str) -> int:
    response = client.get("/performance/national/", {"format": "csv", "measure": MEASURE})
    assert response.status_code == 200
    rows = {row["code"]: row for row in csv.DictReader(io.StringIO(response.content.decode()))}
    return int(rows[region_code]["numerator"])


def _pause_replay_and_change(rollup: PerformanceRollup, numerator: int) -> None:
    """The standby stops replaying; the primary's count changes (the standby keeps the old one)."""
    assert db_router.caught_up(10), "the standby replayed the set-up"
    _on_standby("SELECT pg_wal_replay_pause()")
    PerformanceRollup.objects.filter(month=rollup.month, measure=MEASURE).update(numerator=numerator)


def test_the_replica_is_a_streaming_standby() -> None:
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery(), inet_server_port()")
        assert cursor.fetchone() == (True, int(os.environ["PROBATION_STANDBY_PORT"]))
    assert db_router.replica_state().state == db_router.OK


def test_performance_pages_and_downloads_read_the_standby(
    client: Client, national: StaffMember, rollup: PerformanceRollup
) -> None:
    region = rollup.pdu.region
    _sign_in(client, national)
    assert db_router.caught_up(10)
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        assert _region_count(client, region.code) == 7
        assert client.get("/performance/national/").status_code == 200
    rollup_reads = [q["sql"] for q in on_replica.captured_queries if "cases_performancerollup" in q["sql"]]
    assert len(rollup_reads) >= 4, "the league, the previous period, the trend and the counted-at on the standby"
    assert not [q for q in on_primary.captured_queries if "cases_performancerollup" in q["sql"]]
    # The session and the login are read on the primary: only the page's own reads are scoped to the replica.
    assert [q for q in on_primary.captured_queries if "django_session" in q["sql"]]

    _pause_replay_and_change(rollup, 9)
    assert _region_count(client, region.code) == 7, "the standby's count: a few seconds old is allowed"


def test_a_lagging_standby_is_not_read_and_healthz_says_so(
    client: Client, national: StaffMember, rollup: PerformanceRollup
) -> None:
    region = rollup.pdu.region
    _sign_in(client, national)
    _pause_replay_and_change(rollup, 9)
    time.sleep(1.2)
    with override_settings(REPLICA_MAX_LAG_SECONDS=1):
        db_router.forget_state()
        assert _region_count(client, region.code) == 9, "lagging past the limit: the primary's count"
        health = client.get("/healthz")
    assert health.status_code == 200
    assert health.json() | {"broker": "-"} == {"status": "ok", "database": "ok", "broker": "-", "replica": "lagging"}
    _on_standby("SELECT pg_wal_replay_resume()")
    db_router.forget_state()
    assert db_router.caught_up(10)
    assert _region_count(client, region.code) == 9, "caught up, the standby has the new count"


def _book_tomorrow(client: Client, event: Event, officer: StaffMember, office_visit: ContactType) -> None:
    day = timezone.localdate() + timedelta(days=1)
    while not calendar.is_business_day(day):
        day += timedelta(days=1)
    booking = {
        "type": office_visit.pk,
        "day_0": day.day,
        "day_1": day.month,
        "day_2": day.year,
        "at": "10:00",
        "staff": officer.pk,
    }
    response = client.post(f"/cases/{event.person.crn}/events/{event.ref}/appointments/new/", booking)
    assert response.status_code == 302, "booked"


def test_who_has_just_changed_something_reads_the_primary_for_a_while(
    pdu_head: StaffMember,
    team: Team,
    officer: StaffMember,
    community_order: Event,
    contact_types: dict[str, ContactType],
    rollup: PerformanceRollup,
) -> None:
    writer, onlooker = Client(), Client()
    _sign_in(writer, pdu_head)
    _sign_in(onlooker, pdu_head)
    _pause_replay_and_change(rollup, 9)

    _book_tomorrow(writer, community_order, officer, contact_types["office_visit"])
    assert db_router.COOKIE in writer.cookies
    assert _team_count(writer, team.pdu.code, team.code) == 9, "read-your-writes: the primary's count"
    assert _team_count(onlooker, team.pdu.code, team.code) == 7, "someone who changed nothing: the standby's"
    with time_machine.travel(datetime.now(tz=timezone.get_current_timezone()) + timedelta(seconds=11), tick=False):
        assert _team_count(writer, team.pdu.code, team.code) == 7, "after 10 seconds the standby again"


def test_a_stopped_standby_falls_back_to_the_primary(
    client: Client, national: StaffMember, rollup: PerformanceRollup
) -> None:
    data = Path(os.environ["PROBATION_STANDBY_DATA"])
    region = rollup.pdu.region
    _sign_in(client, national)
    _pause_replay_and_change(rollup, 9)
    stop_standby(data)
    try:
        db_router.forget_state()
        with CaptureQueriesContext(connections["default"]) as on_primary:
            started = time.monotonic()
            assert _region_count(client, region.code) == 9, "the primary's count"
            assert time.monotonic() - started < 5, "a stopped standby does not hold the page"
        assert [q for q in on_primary.captured_queries if "cases_performancerollup" in q["sql"]]
        health = client.get("/healthz")
        assert health.status_code == 200, "the primary is fine: the service is healthy"
        assert health.json()["replica"] == "down"
        assert health.json()["database"] == "ok"
    finally:
        start_standby(data, int(os.environ["PROBATION_STANDBY_PORT"]))
        connections["replica"].close()
    db_router.forget_state()
    assert db_router.caught_up(20), "started again, the standby catches up"


def test_the_recount_counts_on_the_standby_once_it_has_caught_up(team: Team) -> None:
    month = timezone.localdate().replace(day=1)
    PerformanceStale.objects.create(month=month, marked_at=timezone.now())
    with (
        CaptureQueriesContext(connections["replica"]) as on_replica,
        CaptureQueriesContext(connections["default"]) as on_primary,
    ):
        rollups.recount_stale()
    counting = [q["sql"] for q in on_replica.captured_queries if "cases_obligation" in q["sql"]]
    assert counting, "the month was counted on the standby"
    assert [q for q in on_replica.captured_queries if "pg_last_wal_replay_lsn" in q["sql"]], "after it caught up"
    assert not [q for q in on_primary.captured_queries if "cases_obligation" in q["sql"]]
    assert [q for q in on_primary.captured_queries if q["sql"].startswith('DELETE FROM "cases_performancestale"')]
    assert not PerformanceStale.objects.exists()


def test_kpi_report_reads_the_standby(rollup: PerformanceRollup) -> None:
    """A report may be a few seconds old: it reads what the standby has replayed, so the test waits for the PDU it
    made to reach the standby (on a fast machine the report ran before it had: a race, not a fault)."""
    assert db_router.caught_up(20)
    out = io.StringIO()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        call_command("kpi_report", "--from", "2026-11-01", "--to", "2026-11-30", stdout=out)
    assert [q for q in on_replica.captured_queries if "cases_obligation" in q["sql"]]
    assert {row["code"] for row in json.loads(out.getvalue())} >= {rollup.pdu.code, "national"}
