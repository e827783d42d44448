"""Holes found in review: limited cases on the allocation list, audit of the audit trail, partial dates."""

from datetime import date

from django.test import Client

from cases.models import AccessRule, AuditEvent
from tests.factories import EventFactory


def test_a_limited_unallocated_case_shows_only_its_crn_to_the_spo(client: Client, spo, officer, team) -> None:
    event = EventFactory.create(person__crn="H000001", person__last_name="Hidden", person__pdu=team.pdu)
    AccessRule.objects.create(person=event.person, staff=officer, kind=AccessRule.Kind.RESTRICTION)
    client.force_login(spo.user)
    page = client.get("/cases/unallocated/").content.decode()
    assert "H000001" in page
    assert "Hidden" not in page
    assert "HIDDEN" not in page
    assert client.get("/cases/H000001/events/1/allocate/").status_code == 403


def test_an_excluded_officer_is_not_offered_as_responsible_officer(
    client: Client, spo, officer, colleague, team
) -> None:
    event = EventFactory.create(person__crn="H000002", person__pdu=team.pdu, sentence_date=date(2026, 11, 2))
    AccessRule.objects.create(person=event.person, staff=officer, kind=AccessRule.Kind.EXCLUSION)
    client.force_login(spo.user)
    page = client.get("/cases/H000002/events/1/allocate/").content.decode()
    assert colleague.name in page
    assert officer.name not in page
    response = client.post(
        "/cases/H000002/events/1/allocate/",
        {"staff": officer.pk, "from_date_0": "3", "from_date_1": "11", "from_date_2": "2026"},
    )
    assert response.status_code == 200  # refused with a message, not allocated
    assert not event.allocations.exists()


def test_a_pdu_head_not_on_a_restriction_list_cannot_read_its_audit_trail(
    client: Client, pdu_head, restricted_case
) -> None:
    client.force_login(pdu_head.user)
    assert client.get(f"/cases/{restricted_case.crn}/audit/").status_code == 403


def test_reading_an_audit_trail_is_itself_audited(client: Client, administrator, community_order) -> None:
    client.force_login(administrator.user)
    client.get("/cases/X123456/audit/")
    assert AuditEvent.objects.filter(action="audit.view", user=administrator.user).count() == 1


def test_opening_a_change_page_is_audited_and_so_is_a_refusal(
    client: Client, officer, colleague, community_order
) -> None:
    client.force_login(officer.user)
    client.get("/cases/X123456/risk/")
    client.force_login(colleague.user)
    client.get("/cases/X123456/risk/")
    actions = list(
        AuditEvent.objects.filter(person=community_order.person).order_by("id").values_list("user__username", "action")
    )
    assert actions == [("officer", "case.view"), ("colleague", "case.view_refused")]


def test_a_partly_filled_date_is_an_error_not_ignored(client: Client, officer) -> None:
    client.force_login(officer.user)
    page = client.get(
        "/cases/search/", {"q": "smith", "date_of_birth_0": "12", "date_of_birth_1": "3"}
    ).content.decode()
    assert "Date of birth must include a year" in page


def test_a_flag_cannot_start_in_the_future(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    page = client.post(
        "/cases/X123456/flags/new/", {"type": "stalking", "from_date_0": "1", "from_date_1": "1", "from_date_2": "2099"}
    ).content.decode()
    assert "The start date must be today or in the past" in page


def test_a_release_date_cannot_be_in_the_future(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    data = {"type": "licence", "sentence_date_0": "1", "sentence_date_1": "1", "sentence_date_2": "2025"}
    data |= {"release_date_0": "1", "release_date_1": "6", "release_date_2": "2099", "length_months": "12"}
    response = client.post("/cases/X123456/releases/new/", data)
    assert response.status_code == 200
    assert "The release date must be today or in the past" in response.content.decode()
