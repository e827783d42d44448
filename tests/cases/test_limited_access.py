"""Restriction and exclusion lists: everyone not allowed sees only that the case exists, and whom to ask."""

from django.test import Client

from cases.access import visible_people
from cases.models import AuditEvent


def test_an_excluded_officer_sees_only_that_the_case_exists(client: Client, officer, excluded_case) -> None:
    client.force_login(officer.user)
    response = client.get(f"/cases/{excluded_case.crn}/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "This case has limited access" in page
    assert "ask the SPO of Tyneside Team 1" in page
    assert excluded_case.first_name not in page
    assert excluded_case.last_name not in page


def test_the_refusal_and_a_permitted_read_are_both_audited(client: Client, officer, colleague, excluded_case) -> None:
    client.force_login(officer.user)
    client.get(f"/cases/{excluded_case.crn}/")
    client.force_login(colleague.user)
    assert client.get(f"/cases/{excluded_case.crn}/").status_code == 200
    trail = list(AuditEvent.objects.filter(person=excluded_case).order_by("id").values_list("user__username", "action"))
    assert trail == [("officer", "case.view_refused"), ("colleague", "case.view")]


def test_a_restricted_case_is_seen_only_by_the_named_staff(
    client: Client, officer, colleague, spo, restricted_case
) -> None:
    for staff, status in [(colleague, 200), (officer, 403), (spo, 403)]:
        client.force_login(staff.user)
        assert client.get(f"/cases/{restricted_case.crn}/").status_code == status, staff.user.username


def test_the_visibility_helper_hides_both_kinds_of_limited_case(
    officer, colleague, excluded_case, restricted_case, community_order
) -> None:
    assert set(visible_people(officer.user)) == {community_order.person}
    assert set(visible_people(colleague.user)) == {community_order.person, excluded_case, restricted_case}


def test_limited_cases_are_not_found_by_name_but_a_crn_shows_they_exist(client: Client, officer, excluded_case) -> None:
    client.force_login(officer.user)
    by_name = client.get("/cases/search/", {"q": "Excluded"}).content.decode()
    assert "E000001" not in by_name
    assert "No one matches your search" in by_name
    by_crn = client.get("/cases/search/", {"q": "e000001"}).content.decode()
    assert "exists, but it has limited access" in by_crn
    assert "Erin" not in by_crn


def test_a_limited_case_cannot_be_changed_through_its_forms(client: Client, officer, excluded_case) -> None:
    client.force_login(officer.user)
    for path in ["sentences/new/", "releases/new/"]:
        assert client.get(f"/cases/{excluded_case.crn}/{path}").status_code == 403
