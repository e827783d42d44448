"""How Today reads (cases/today/selectors.py): each row's event and person come from the officer's caseload, read
once with its people, not joined to every row a section counts; the contact sections take their rows by event
from the partial indexes built for them (migration 0029), not from every contact of the caseload."""

import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from psycopg import sql as psycopg_sql
from psycopg.types.numeric import Int2, Int4, Int8

from cases.today import selectors
from tests.cases.test_today import World, durham, world  # noqa: F401 (fixtures)

pytestmark = pytest.mark.today("2026-11-25")


def statements(the: World) -> tuple[selectors.Today, list[tuple[str, Any]]]:
    """Today for the world's officer, and each statement it ran with its parameters."""
    ran: list[tuple[str, Any]] = []

    def keep(execute, sql, params, many, context):
        ran.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(keep):
        day = selectors.today_for(the.officer, the.user)
    return day, ran


def sections(the: World) -> dict[str, str]:
    """The SQL of each part of the statement that reads every section but the transfers, as the ORM compiles it."""
    today = date(2026, 11, 25)
    until = datetime(2026, 12, 3, tzinfo=UTC)
    limit: dict[str, int | None] = dict.fromkeys(selectors.SECTIONS, selectors.SHOWN)
    built = selectors._sections(limit, [the.event.pk], the.officer.pk, the.officer.pk, until, today, today)
    return {name: str(qs.query) for name, qs in built.items()}


def test_rows_take_their_event_and_person_from_the_caseload_read_once(world: World) -> None:  # noqa: F811
    day, ran = statements(world)
    # the caseload with the transfers requested; every other section: two statements, each read together
    assert len([sql for sql, _ in ran if "json_agg" in sql]) == 2
    held = str(selectors._caseload(world.officer.pk, world.officer.pk, world.user.pk, date(2026, 11, 11))["held"].query)
    assert '"cases_person"."crn"' in held  # the caseload's events come with their people
    # the absences and failures, the standards items, the referrals and the recalls join no event
    parts = sections(world)
    assert 'JOIN "cases_event"' in parts["appointments"]  # an appointment with the officer may be on any case
    for name in ("standards", "decide", "referrals", "recalls"):
        assert 'JOIN "cases_event"' not in parts[name], name
    # one person a case, read once with the caseload and shared by its rows in every section but appointments
    taken = [day[key].items for key in ("standards", "evidence", "referrals", "enforcement")]
    sams = [item.person for items in taken for item in items if item.person.crn == "X123456"]
    assert len(sams) >= 4
    assert len({id(person) for person in sams}) == 1
    assert [item.event_ref for item in day["evidence"].items + day["enforcement"].items] == [world.event.ref] * 2


def reading_contacts(ran: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """The statements that read contacts (the sections' statement)."""
    return [(sql, params) for sql, params in ran if 'FROM "cases_contact"' in sql]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partial indexes built on PostgreSQL only")
def test_the_contact_sections_read_by_event_from_their_own_indexes(world: World) -> None:  # noqa: F811
    """With a sequential scan ruled out (the test's few rows would take it), PostgreSQL takes the appointments
    on the officer's events and the absences and failures from the partial indexes holding only them."""
    for _ in range(2):  # the second read is the statement kept (probation/read_together_kept.py)
        _, ran = statements(world)
    contacts = reading_contacts(ran)
    assert len(contacts) == 1
    plans = []
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql, params in contacts:
            cursor.execute(f"EXPLAIN {sql}", params)
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
    assert any("contact_event_open" in plan for plan in plans)
    assert any("contact_event_to_decide" in plan for plan in plans)


def numbered(sql: str) -> str:
    """The statement with its parameters numbered ($1, $2...) for PREPARE."""
    places = iter(range(1, sql.count("%s") + 1))
    return re.sub("%s", lambda _: f"${next(places)}", sql)


# PostgreSQL's types of the parameters, as psycopg sends them
TYPES = {int: "bigint", str: "text", bool: "boolean", list: "bigint[]", date: "date", datetime: "timestamptz"}
TYPES |= {timedelta: "interval", Int2: "smallint", Int4: "integer", Int8: "bigint"}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="partial indexes built on PostgreSQL only")
def test_the_statements_prepared_once_can_take_the_partial_indexes(world: World) -> None:  # noqa: F811
    """A statement prepared once is planned for any values (its generic plan), and PostgreSQL can then use a
    partial index only if the statement writes the index's condition itself: the appointments' `outcome = ''`,
    the absences' and failures' outcomes (probation/among.py, Written). With their values as parameters, the
    appointments were planned afresh on every request (about 2 ms at national scale)."""
    for _ in range(2):  # the second read is the statement kept (probation/read_together_kept.py)
        _, ran = statements(world)
    plans = []
    with connection.cursor() as cursor:
        for n, (sql, params) in enumerate(reading_contacts(ran)):
            written = numbered(sql)
            types = ", ".join(next(TYPES[kind] for kind in type(value).__mro__ if kind in TYPES) for value in params)
            cursor.execute(f"PREPARE today_{n} ({types}) AS {written}")
            values = ", ".join(psycopg_sql.Literal(value).as_string(cursor.connection) for value in params)
            cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN EXECUTE today_{n}({values})")
            plans.append("\n".join(row[0] for row in cursor.fetchall()))
            cursor.execute(f"DEALLOCATE today_{n}")
    [plan] = plans  # the sections, read together
    assert "contact_event_to_decide" in plan
    assert "contact_event_open" in plan
