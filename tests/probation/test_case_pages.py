"""One way into a case page: every view of one case is wrapped in cases.case_pages.case_page, which finds the
person, refuses a limited case, checks the right to change it and audits the read before the view runs."""

from datetime import UTC, datetime

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases import case_pages
from cases.access import acting_as, may_change_as_read, may_change_case, people_with_rights
from cases.case_pages import CasePage
from cases.models import AuditEvent, Event, Requirement
from cases.record.views import overview
from probation import read_together_kept
from tests.factories import AllocationFactory, EventFactory, book


def case_views() -> dict[str, object]:
    """Every URL with a <crn> in its route, with the view it calls."""
    found: dict[str, object] = {}

    def walk(patterns: list, prefix: str = "") -> None:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif isinstance(pattern, URLPattern) and "crn" in pattern.pattern.converters:
                found[route] = pattern.callback

    walk(get_resolver().url_patterns)
    return found


def test_every_view_of_a_case_is_entered_through_case_page() -> None:
    views = case_views()
    assert len(views) >= 35  # the case record's pages and the requirements' and referrals' pages
    bare = [route for route, view in views.items() if not isinstance(getattr(view, "case_page", None), CasePage)]
    assert bare == [], "wrap these views in @case_page(...) (cases/case_pages.py)"


def audit_trail(person_id: int) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(person_id=person_id).order_by("id")
    return list(rows.values_list("user__username", "action", "object_type"))


def test_a_read_is_audited_once_naming_what_the_page_shows(client: Client, colleague, community_order) -> None:
    requirement = community_order.requirements.get(type=Requirement.Type.UNPAID_WORK)
    client.force_login(colleague.user)
    assert client.get(f"/cases/X123456/events/{community_order.ref}/plan/").status_code == 200
    assert client.get(f"/interventions/X123456/unpaid-work/{requirement.pk}/").status_code == 200
    assert audit_trail(community_order.person_id) == [
        ("colleague", "case.view", "event"),
        ("colleague", "case.view", "requirement"),
    ]


def test_a_change_page_shows_a_limited_case_only_as_existing(client: Client, officer, excluded_case) -> None:
    client.force_login(officer.user)
    response = client.get(f"/cases/{excluded_case.crn}/risk/")
    assert response.status_code == 403
    assert "This case has limited access" in response.content.decode()
    assert excluded_case.last_name not in response.content.decode()
    assert audit_trail(excluded_case.pk) == [("officer", "case.view_refused", "")]


def test_a_change_is_not_audited_as_a_read(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    response = client.post("/cases/X123456/flags/new/", {})  # refused by the form, so nothing is written
    assert response.status_code == 200
    assert audit_trail(community_order.person_id) == []


def test_the_ro_of_one_sentence_may_not_change_another(client: Client, officer, colleague, community_order) -> None:
    other: Event = EventFactory.create(person=community_order.person, ref="2", pdu=community_order.pdu)
    AllocationFactory.create(event=other, staff=colleague)
    client.force_login(officer.user)
    assert client.get(f"/cases/X123456/events/{community_order.ref}/appointments/new/").status_code == 200
    assert client.get("/cases/X123456/events/2/appointments/new/").status_code == 403
    assert audit_trail(community_order.person_id) == [
        ("officer", "case.view", "event"),
        ("officer", "case.change_refused", "event"),
    ]


def test_the_checks_of_a_change_page_cost_one_query_for_the_person_and_one_for_the_event(
    client: Client, officer, community_order, django_assert_max_num_queries
) -> None:
    """Session, user, staff, roles; the person with its visibility and writable events; the event with its
    writability; the audit row; the page's own two. Before case_page the checks were five queries, not two."""
    client.force_login(officer.user)
    with django_assert_max_num_queries(9):
        response = client.get(f"/cases/X123456/events/{community_order.ref}/recall/")
    assert response.status_code == 200


def test_the_rights_read_with_the_person_answer_as_may_change_case_does(
    everyone, colleague, community_order, excluded_case, restricted_case
) -> None:
    """A case page's person carries whether the user may change the case (people_with_rights): the pages that
    show the links to change it read that answer (may_change_as_read), the services ask may_change_case()."""
    answers = set()
    for staff in [*everyone.values(), colleague]:
        for person in (community_order.person, excluded_case, restricted_case):
            read = people_with_rights(staff.user, changing=True).get(pk=person.pk)
            answer = may_change_case(staff.user, person)
            assert may_change_as_read(staff.user, read) == answer, (staff.user.username, person.crn)
            answers.add(answer)
    assert answers == {True, False}


def test_the_whole_person_is_read_by_a_statement_kept_with_their_pdu_and_region(
    officer, colleague, community_order, django_assert_num_queries
) -> None:
    """The overview reads the whole person with their PDU and its region (`whole`): by a statement compiled once
    and kept (probation/read_together_kept.py), not compiled on every request; each person read with their own."""
    page: CasePage = overview.case_page  # type: ignore[attr-defined]
    acting = acting_as(officer.user)  # the user's roles: read with the user
    other = EventFactory.create(person__crn="K200002", person__pdu=colleague.pdu).person
    for person in (community_order.person, other, community_order.person):
        with django_assert_num_queries(1):
            found = case_pages._person(page, person.crn, True, acting)
        assert found is not None
        assert (found.pk, found.first_name, found.pdu.name, found.pdu.region.name) == (
            person.pk, person.first_name, person.pdu.name, person.pdu.region.name
        )  # fmt: skip
    shapes = [key[0] for key in read_together_kept._kept if isinstance(key, tuple)]  # (shape, types, database)
    assert ("case_pages.person", (), True, True, True, False) in shapes


@pytest.mark.today("2026-11-25")  # the appointments booked are in December, still to come
def test_a_record_read_by_a_kept_statement_is_the_cases_own_and_a_number_too_large_is_not_found(
    client: Client, officer, colleague, community_order, contact_types
) -> None:
    """The record a case page names (a contact here) is read by a statement kept once compiled: another case's
    record, or a number no record can have, is not found (404), never an error."""
    other = EventFactory.create(person__crn="K200002", person__pdu=colleague.pdu)
    AllocationFactory.create(event=other, staff=colleague)
    ours = book(officer, community_order, contact_types["office_visit"], datetime(2026, 12, 20, 10, tzinfo=UTC))
    theirs = book(colleague, other, contact_types["office_visit"], datetime(2026, 12, 20, 11, tzinfo=UTC))
    client.force_login(officer.user)
    for _ in range(2):  # the first read compiles the page's statement; the second reads by the one kept
        assert client.get(f"/cases/X123456/contacts/{ours.pk}/").status_code == 200
        assert client.get(f"/cases/X123456/contacts/{theirs.pk}/").status_code == 404
        assert client.get(f"/cases/X123456/contacts/{ours.pk}/change/").status_code == 200
        for number in (2**63, 10**30):
            assert client.get(f"/cases/X123456/contacts/{number}/").status_code == 404
            assert client.get(f"/cases/X123456/contacts/{number}/change/").status_code == 404
