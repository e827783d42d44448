"""A page's statements are prepared on the server once its connection has run them a few times
(probation/settings.py, DATABASE_PREPARE_THRESHOLD): PostgreSQL then plans them once a connection."""

import pytest
from django.conf import settings
from django.db import connection

from cases.models import Person

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="prepared statements are PostgreSQL's"),
]


def _prepared(marker: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        return [statement for (statement,) in cursor.fetchall() if marker in statement]


def _run(marker: str, times: int) -> None:
    for pk in range(times):
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM cases_person WHERE id = %s /* {marker} */", [pk])  # noqa: S608 - a test marker


def test_a_statement_run_often_on_a_connection_is_prepared_with_its_values_as_parameters() -> None:
    _run("often", settings.DATABASES["default"]["OPTIONS"]["prepare_threshold"] + 1)
    prepared = _prepared("often")
    assert len(prepared) == 1  # one statement for every id asked
    assert "id = $1" in prepared[0]


def test_a_statement_run_less_often_is_not_prepared() -> None:
    _run("seldom", 1)
    assert _prepared("seldom") == []


def test_the_orm_sends_values_apart_from_the_statement() -> None:
    Person.objects.filter(last_name="O'Brien").count()  # a connection, if the test has none yet
    assert connection.connection.cursor_factory.__name__ == "ServerBindingCursor"
