import re
from datetime import date

import pytest
from django.test import Client

from cases.models import AccessRule, Alias
from tests.factories import EventFactory, PersonFactory, case_for


@pytest.fixture
def smiths(officer):
    jo = case_for(officer, crn="S000001", first_name="Jo", last_name="Smithson", pnc="2010/0123456X").person
    jo.date_of_birth = "1985-06-15"
    jo.save()
    ann = case_for(officer, crn="S000002", first_name="Ann", last_name="Jones").person
    Alias.objects.create(person=ann, first_name="Annie", last_name="Smith")
    return jo, ann


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "smi"}, {"S000001", "S000002"}),  # partial, any case, alias included
        ({"q": "SMITHSON"}, {"S000001"}),
        ({"q": "jo smith"}, {"S000001", "S000002"}),  # every word must match: Ann Jones is alias Smith
        ({"q": "jo smithson"}, {"S000001"}),
        ({"q": "s000002"}, {"S000002"}),
        ({"q": "2010/0123456x"}, {"S000001"}),
        ({"date_of_birth_0": "15", "date_of_birth_1": "6", "date_of_birth_2": "1985"}, {"S000001"}),
        ({"q": "smi", "date_of_birth_0": "15", "date_of_birth_1": "6", "date_of_birth_2": "1985"}, {"S000001"}),
    ],
)
def test_search_finds_people_by_crn_name_alias_pnc_and_date_of_birth(
    client: Client, officer, smiths, query, expected
) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/search/", query).content.decode()
    found = {crn for crn in ["S000001", "S000002"] if f'<td class="govuk-table__cell">{crn}</td>' in page}
    assert found == expected


def test_an_empty_search_asks_for_something_to_search_for(client: Client, officer) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/search/", {"q": " "}).content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a CRN, name, PNC number or date of birth" in page


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (" ".join("abcdefghijklmnopqrstuvwxy" * 2), "Enter no more than 4 words"),  # 50 one-letter words
        ("a b c d e", "Enter no more than 4 words"),
        ("j", "Enter at least 2 letters of a name, or a CRN or PNC number"),
    ],
)
def test_a_search_of_many_or_very_short_words_is_refused_before_it_reaches_the_database(
    client: Client, officer, q: str, message: str, django_assert_max_num_queries
) -> None:
    """50 one-letter words took 0.6-1.4 s in the planner, whatever the data (issue 20, item 11)."""
    client.force_login(officer.user)
    client.get("/cases/")
    with django_assert_max_num_queries(6):  # the session, the user and their roles: no search
        page = client.get("/cases/search/", {"q": q}).content.decode()
    assert "govuk-error-summary" in page
    assert message in page


def test_a_search_matches_its_text_not_a_pattern(client: Client, officer, smiths) -> None:
    client.force_login(officer.user)
    for text in ["sm_th", "sm%th"]:
        assert "No one matches your search" in client.get("/cases/search/", {"q": text}).content.decode(), text


def test_one_letter_words_beside_a_longer_one_are_left_out(client: Client, officer, smiths) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/search/", {"q": "j smithson"}).content.decode()
    assert '<td class="govuk-table__cell">S000001</td>' in page
    assert "govuk-error-summary" not in page


def test_an_impossible_date_of_birth_gets_an_error_not_a_crash(client: Client, officer) -> None:
    client.force_login(officer.user)
    response = client.get(
        "/cases/search/", {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "1990"}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


@pytest.mark.parametrize("size", [5, 200])
def test_search_runs_a_bounded_number_of_queries(
    client: Client, officer, size: int, django_assert_max_num_queries
) -> None:
    for n in range(size):
        case_for(officer, last_name=f"Walker{n}")
        PersonFactory.create(last_name=f"Walkerton{n}")
    client.force_login(officer.user)
    # 2 the session and user; the people found, and their running events and ROs, in one statement; the search of
    # a name asks nothing about limited cases (only a CRN can name one)
    with django_assert_max_num_queries(3):
        response = client.get("/cases/search/", {"q": "walker"})
    assert response.status_code == 200
    assert "Showing the first 50" in response.content.decode() or size * 2 <= 50


def test_each_result_names_the_officer_of_each_running_sentence(client: Client, officer, colleague) -> None:
    two = case_for(officer, crn="S000011", first_name="<Al>", last_name="Smythe").person
    EventFactory.create(person=two, ref="2")  # a second sentence, not yet allocated
    ended = case_for(colleague, crn="S000012", first_name="Bo", last_name="Smythe")
    ended.terminated_on, ended.termination_reason = date(2026, 1, 5), "completed"
    ended.save()
    client.force_login(officer.user)
    page = client.get("/cases/search/", {"q": "smythe"}).content.decode()
    first = page[page.index("S000011/") : page.index("S000012/")]
    assert '<a class="govuk-link" href="/cases/S000011/">SMYTHE, &lt;Al&gt;</a>' in page
    assert f"{officer.name}<br>Unallocated</td>" in first
    assert "No active sentence</td>" in page[page.index("S000012/") :]


def test_two_letters_find_names_that_begin_with_them_three_find_names_that_hold_them(client: Client, officer) -> None:
    """Two letters anywhere in a name match a quarter of everyone, from no index; a name of two letters (Ng)
    is found at the start of a name. The kept statement of a search is of its words' kinds: a search of a longer
    word first, then of two letters, is not read by the longer word's statement."""
    case_for(officer, crn="N000001", first_name="Mei", last_name="Ng")
    case_for(officer, crn="N000002", first_name="Sam", last_name="Young")
    case_for(officer, crn="N000003", first_name="Ngozi", last_name="Adeyemi")
    client.force_login(officer.user)

    def found(q: str) -> set[str]:
        page = client.get("/cases/search/", {"q": q}).content.decode()
        return {crn for crn in ["N000001", "N000002", "N000003"] if f'<td class="govuk-table__cell">{crn}</td>' in page}

    for _ in range(2):  # the second time, each search reads a kept statement
        assert found("oun") == {"N000002"}
        assert found("ng") == {"N000001", "N000003"}  # not Young
        assert found("sam yo") == {"N000002"}
        assert found("mei ng") == {"N000001"}
        assert found("sam ng") == set()


def test_a_common_start_of_names_lists_the_first_50_by_name_of_those_the_officer_may_see(
    client: Client, officer, colleague
) -> None:
    """Each way of finding someone (number, name, alias) gives its first 50 by name, narrowed by the other words
    and the access check before it is cut: a case the officer may not see takes no place, an alias sorts by the
    person's own name, and a further word narrows before the first 50 are taken."""
    walkers = [case_for(officer, crn=f"W{n:06}", first_name="Jo", last_name=f"Walker{n:02}").person for n in range(55)]
    AccessRule.objects.create(person=walkers[0], staff=colleague, kind=AccessRule.Kind.RESTRICTION)
    adams = case_for(officer, crn="A000001", first_name="Zed", last_name="Adams").person
    Alias.objects.create(person=adams, first_name="Joanna", last_name="Zimmer")
    client.force_login(officer.user)

    def found(q: str) -> list[str]:
        return re.findall(
            r'<td class="govuk-table__cell">([AW]\d{6})</td>', client.get("/cases/search/", {"q": q}).content.decode()
        )

    for _ in range(2):  # the second time, each search reads a kept statement
        assert found("jo") == ["A000001", *(f"W{n:06}" for n in range(1, 50))]
        assert found("jo walker5") == [f"W{n:06}" for n in range(50, 55)]
        assert found("walker") == [f"W{n:06}" for n in range(1, 51)]
        assert found("w000000") == []  # a CRN the officer may not see is not listed
