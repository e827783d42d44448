"""The organisation home pages run a bounded number of queries however big the unit is."""

import pytest
from django.test import Client

from tests.factories import PDUFactory, StaffMemberFactory, TeamFactory


@pytest.mark.parametrize("size", [3, 60])
def test_the_team_page_lists_members_in_bounded_queries(
    client: Client, spo, size: int, django_assert_max_num_queries
) -> None:
    StaffMemberFactory.create_batch(size, team=spo.team)
    client.force_login(spo.user)
    with django_assert_max_num_queries(21):  # 20, and one more to count the items of any unallocated case
        response = client.get("/team/")
    assert response.status_code == 200
    assert response.content.decode().count("data-officer=") == size + 1  # the spo and the members


@pytest.mark.parametrize("size", [2, 40])
def test_the_pdu_and_region_pages_count_in_bounded_queries(
    client: Client, pdu_head, director, size: int, django_assert_max_num_queries
) -> None:
    TeamFactory.create_batch(size, pdu=pdu_head.pdu)
    PDUFactory.create_batch(size, region=director.region)
    for user, path, most in [(pdu_head.user, "/pdu/", 9), (director.user, "/region/", 8)]:
        client.force_login(user)
        with django_assert_max_num_queries(most):  # the PDU page: and its one read of the rule settings
            assert client.get(path).status_code == 200


def test_the_national_page_lists_every_region(client: Client, national, team, django_assert_max_num_queries) -> None:
    PDUFactory.create_batch(12)
    client.force_login(national.user)
    with django_assert_max_num_queries(8):
        page = client.get("/national/").content.decode()
    assert "North East" in page
    assert page.count('<tr class="govuk-table__row">') == 1 + 13


def test_a_pdu_head_not_linked_to_a_pdu_is_told_so(client: Client, pdu_head) -> None:
    pdu_head.pdu = None
    pdu_head.region = None
    pdu_head.save()
    client.force_login(pdu_head.user)
    assert "Your account is not linked to a PDU" in client.get("/pdu/").content.decode()
