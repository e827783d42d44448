from datetime import UTC, datetime

import pytest
from django.test import Client

from cases.models import Event, Obligation, Registration
from cases.standards import ledger
from tests.factories import RegistrationFactory, book, case_for


def rows(page: str) -> int:
    return page.count('<tr class="govuk-table__row">') - 1  # less the header row


@pytest.mark.parametrize("size", [5, 200])
def test_my_cases_runs_a_bounded_number_of_queries(
    client: Client, officer, size: int, django_assert_max_num_queries
) -> None:
    for n in range(size):
        event = case_for(officer, last_name=f"Person{n:03d}")
        RegistrationFactory.create(person=event.person)
    client.force_login(officer.user)
    # 2 the session and user; the rules (for "due soon"); a page of people with their next and last contacts and
    # standards counts, how many there are, and the caseload's running events and current flags, in one statement
    # (4 whatever the caseload)
    with django_assert_max_num_queries(4):
        response = client.get("/cases/")
    assert response.status_code == 200
    assert rows(response.content.decode()) == min(size, 25)
    assert f"{size} people" in response.content.decode()


def test_my_cases_shows_only_the_officers_own_active_cases(client: Client, officer, colleague, community_order) -> None:
    case_for(colleague, last_name="Elsewhere")
    ended = case_for(officer, last_name="Finished")
    Event.objects.filter(pk=ended.pk).update(terminated_on="2026-06-01", termination_reason="completed")
    client.force_login(officer.user)
    page = client.get("/cases/").content.decode()
    assert "EXAMPLE, Sam" in page
    assert "ELSEWHERE" not in page
    assert "FINISHED" not in page


def test_my_cases_filters_by_tier_rosh_sentence_type_flag_and_name(client: Client, officer) -> None:
    a = case_for(officer, last_name="Alpha", tier="A3", rosh="very_high")
    case_for(officer, last_name="Bravo", tier="C1", rosh="low")
    RegistrationFactory.create(person=a.person, type=Registration.Type.STALKING)
    client.force_login(officer.user)
    for query in [{"tier": "A3"}, {"rosh": "very_high"}, {"flag": "stalking"}, {"name": "alp"}]:
        page = client.get("/cases/", query).content.decode()
        assert "ALPHA" in page, query
        assert "BRAVO" not in page, query
    assert "No one on your caseload matches" in client.get("/cases/", {"sentence_type": "licence"}).content.decode()


def test_my_cases_sorts_by_rosh_highest_first_and_by_name(client: Client, officer) -> None:
    case_for(officer, last_name="Low", rosh="low")
    case_for(officer, last_name="Very", rosh="very_high")
    case_for(officer, last_name="Medium", rosh="medium")
    client.force_login(officer.user)
    page = client.get("/cases/", {"sort": "-rosh"}).content.decode()
    assert page.index("VERY") < page.index("MEDIUM") < page.index("LOW")
    page = client.get("/cases/", {"sort": "name"}).content.decode()
    assert page.index("LOW") < page.index("MEDIUM") < page.index("VERY")


def test_my_cases_pages_as_the_paginator_does_past_the_end_the_last_page(
    client: Client, officer, django_assert_max_num_queries
) -> None:
    for n in range(30):
        case_for(officer, last_name=f"Person{n:03d}")
    client.force_login(officer.user)
    client.get("/cases/")
    assert rows(client.get("/cases/", {"page": "2"}).content.decode()) == 5
    assert "PERSON000" in client.get("/cases/", {"page": "abc"}).content.decode()
    with django_assert_max_num_queries(6):  # page 99 is empty: counted with the first, then the last page read
        page = client.get("/cases/", {"page": "99"}).content.decode()
    assert rows(page) == 5
    assert "PERSON029" in page
    assert "30 people" in page
    assert 'aria-current="page">2</a>' in page


def test_a_name_filter_matches_its_text_not_a_pattern(client: Client, officer) -> None:
    case_for(officer, last_name="Percent")
    client.force_login(officer.user)
    for text in ["%", "_", "P_rcent", "Per%"]:
        assert "No one on your caseload matches" in client.get("/cases/", {"name": text}).content.decode(), text
    assert "PERCENT" in client.get("/cases/", {"name": "rcen"}).content.decode()


def test_a_bad_filter_value_is_ignored_not_a_server_error(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    response = client.get("/cases/", {"tier": "Z9", "sort": "drop table", "page": "999"})
    assert response.status_code == 200
    assert "EXAMPLE, Sam" in response.content.decode()


@pytest.mark.today("2026-11-25")
def test_each_row_shows_the_person_their_risk_sentences_contacts_flags_and_standards(
    client: Client, officer, contact_types
) -> None:
    flagged = case_for(officer, last_name="O'Neil", first_name="<Sam>", crn="X100001", tier="A1", rosh="very_high")
    RegistrationFactory.create(person=flagged.person, type=Registration.Type.MAPPA)
    book(officer, flagged, contact_types["office_visit"], datetime(2026, 12, 1, 10, 30, tzinfo=UTC))
    ledger.refresh_person(flagged.person_id)  # the factory made the case without deriving it; a booking derives nothing
    case_for(officer, last_name="Quiet", crn="X100002", tier="", rosh="")
    overdue = 3  # sentenced 19 December 2025, booked only for 1 December 2026: as the ledger has it on 25 November
    assert Obligation.objects.filter(event=flagged, state="overdue").count() == overdue
    client.force_login(officer.user)
    page = client.get("/cases/").content.decode()
    flagged_row = page[page.index("X100001") - 200 : page.index("X100002") - 200]
    assert '<a class="govuk-link" href="/cases/X100001/">O&#x27;NEIL, &lt;Sam&gt;</a>' in page
    assert '<strong class="govuk-tag govuk-tag--red">Very high</strong>' in flagged_row
    assert "Community order" in flagged_row
    assert "1 Dec 2026 10:30" in flagged_row
    assert '<strong class="govuk-tag govuk-tag--grey app-flag">MAPPA' in flagged_row
    assert (
        f'href="/cases/standards/?officer={officer.code}&amp;crn=X100001&amp;show=overdue">'
        f'<strong class="govuk-tag govuk-tag--red">{overdue} overdue</strong>'
    ) in flagged_row
    quiet_row = page[page.index("X100002") - 200 :]
    for shown in ('<td class="govuk-table__cell">—</td>', "Not assessed", "None booked", ">None</td>", "Up to date"):
        assert shown in quiet_row
