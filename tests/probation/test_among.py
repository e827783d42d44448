"""Among (probation/among.py): a column among a list of ids, as one array parameter on PostgreSQL, so the
statement is the same whatever the list's length; the rows are those of `__in` (the SQLite quick-start's `IN`
list is served in tests/probation/test_embedded_smoke.py, which reads Today). Written: a word of the code
written into the statement, not passed as a parameter."""

import pytest
from django.db import connection
from django.db.models import F
from django.db.models.lookups import Exact

from cases.models import Event
from probation.among import Among, AmongRows, Written
from tests.factories import case_for


@pytest.fixture
def events(officer) -> list[Event]:
    return [case_for(officer, crn=f"A{n:06d}") for n in range(3)]


def test_the_rows_are_those_of_in(events: list[Event]) -> None:
    for ids in ([events[0].pk], [events[0].pk, events[2].pk], [e.pk for e in events], [], [-1]):
        among = Event.objects.filter(Among(F("pk"), ids)).order_by("pk")
        assert list(among) == list(Event.objects.filter(pk__in=ids).order_by("pk"))


def test_it_combines_with_other_conditions(events: list[Event]) -> None:
    either = Event.objects.filter(Among(F("pk"), [events[0].pk]) | Among(F("pk"), [events[1].pk]))
    assert set(either) == set(events[:2])


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an array parameter on PostgreSQL")
def test_one_statement_serves_every_length_of_list(events: list[Event]) -> None:
    one, three = (
        Event.objects.filter(Among(F("pk"), ids)).order_by().query.sql_with_params() for ids in ([1], [1, 2, 3])
    )
    assert one[0] == three[0]
    assert one[0].endswith('"cases_event"."id" = ANY(%s)')
    assert three[1] == ([1, 2, 3],)


def test_a_written_word_is_in_the_statement_not_a_parameter(events: list[Event]) -> None:
    sql, params = Event.objects.filter(Exact(F("ref"), Written("one"))).order_by().query.sql_with_params()
    assert sql.endswith('"cases_event"."ref" = \'one\'')
    assert params == ()
    assert list(Event.objects.filter(Exact(F("type"), Written("community_order")))) == list(
        Event.objects.filter(type="community_order")
    )


@pytest.mark.parametrize("text", ["it's", "DROP TABLE", "a b", "é"])
def test_only_the_code_s_own_words_are_written(text: str) -> None:
    with pytest.raises(ValueError, match="not a word of the code"):
        Written(text)


def test_among_rows_gives_the_rows_of_in_a_subquery(events: list[Event], officer) -> None:
    """AmongRows: a column among a subquery's rows (`= ANY(ARRAY(...))` on PostgreSQL), the rows of `__in`."""
    for chosen in (Event.objects.filter(pk=events[1].pk), Event.objects.filter(pdu=officer.pdu), Event.objects.none()):
        ids = chosen.values("id").order_by()
        among = Event.objects.filter(AmongRows(F("pk"), ids)).order_by("pk")
        assert list(among) == list(Event.objects.filter(pk__in=ids).order_by("pk"))


@pytest.mark.skipif(connection.vendor != "postgresql", reason="an array of the subquery's rows on PostgreSQL")
def test_among_rows_looks_the_subquerys_rows_up_as_an_array(events: list[Event]) -> None:
    sql, params = Event.objects.filter(
        AmongRows(F("pk"), Event.objects.filter(ref="x").values("id"))
    ).query.sql_with_params()
    assert '"cases_event"."id" = ANY(ARRAY(SELECT' in sql
    assert params == ("x",)
