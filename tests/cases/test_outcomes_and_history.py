"""Sent home for behaviour is a failure to comply, sent home for service issues is not; sensitive notes carry a
tag for those who may read them; a contact's history reads in words; and a changed outcome asks again about
the warning it led to."""

from datetime import UTC, date, datetime

import pytest
from django.test import Client

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import Contact, EnforcementAction, Obligation, Outcome
from cases.standards import ledger
from tests.factories import book

pytestmark = pytest.mark.today("2026-11-25")
SENSITIVE_TAG = '<strong class="govuk-tag govuk-tag--red">Sensitive</strong>'


@pytest.fixture
def initial_visit(officer, community_order, contact_types) -> Contact:
    """The initial appointment, Monday 22 December 2025 (sentenced Friday 19 December)."""
    return book(officer, community_order, contact_types["office_visit"], datetime(2025, 12, 22, 10, tzinfo=UTC))


def initial_appointment(event) -> Obligation:
    return Obligation.objects.get(event=event, rule="initial_appointment")


def test_sent_home_for_behaviour_is_an_enforceable_failure_and_the_person_was_seen(
    officer, community_order, initial_visit
) -> None:
    contact = contacts.record_outcome(contact=initial_visit, user=officer.user, outcome=Outcome.SENT_HOME_BEHAVIOUR)
    assert contact.is_failure_to_comply
    assert list(Contact.objects.failures()) == [contact]
    assert initial_appointment(community_order).met_on == date(2025, 12, 22)
    decision = Obligation.objects.get(event=community_order, rule="enforcement_decision")
    assert decision.starts_on == date(2025, 12, 22)
    assert ledger.rebuild(check=True, event_ids=[community_order.pk]) == []


def test_sent_home_for_service_issues_counts_as_attended_not_a_failure(officer, community_order, initial_visit) -> None:
    contact = contacts.record_outcome(contact=initial_visit, user=officer.user, outcome=Outcome.SENT_HOME_SERVICE)
    assert not contact.is_failure_to_comply
    assert not Contact.objects.failures().exists()
    assert initial_appointment(community_order).met_on == date(2025, 12, 22)
    assert not Obligation.objects.filter(event=community_order, rule="enforcement_decision").exists()


def test_the_outcome_form_offers_both_ways_of_being_sent_home(client: Client, officer, initial_visit) -> None:
    client.force_login(officer.user)
    page = client.get(f"/cases/X123456/contacts/{initial_visit.pk}/outcome/").content.decode()
    assert Outcome.SENT_HOME_BEHAVIOUR.label in page
    assert Outcome.SENT_HOME_SERVICE.label in page


def test_sensitive_notes_carry_a_tag_in_the_log_the_detail_and_its_history(
    client: Client, officer, colleague, initial_visit
) -> None:
    contacts.record_outcome(
        contact=initial_visit,
        user=officer.user,
        outcome=Outcome.ATTENDED,
        notes="Disclosed a diagnosis",
        sensitive=True,
    )
    client.force_login(officer.user)
    log = client.get("/cases/X123456/contacts/").content.decode()
    assert log.count(SENSITIVE_TAG) == 1
    detail = client.get(f"/cases/X123456/contacts/{initial_visit.pk}/").content.decode()
    assert detail.count(SENSITIVE_TAG) == 2  # the notes, and the version that made them sensitive
    client.force_login(colleague.user)  # who may not read them sees that they are hidden, not the tag
    for path in ("/cases/X123456/contacts/", f"/cases/X123456/contacts/{initial_visit.pk}/"):
        page = client.get(path).content.decode()
        assert SENSITIVE_TAG not in page
        assert "Sensitive notes: hidden" in page


def test_the_history_shows_outcomes_in_words_never_their_codes(client: Client, officer, initial_visit) -> None:
    contacts.record_outcome(contact=initial_visit, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE,
                            absence_reason="medical")  # fmt: skip
    contacts.amend(contact=initial_visit, user=officer.user, reason="Wrong one", outcome=Outcome.UNACCEPTABLE_ABSENCE)
    client.force_login(officer.user)
    history = client.get(f"/cases/X123456/contacts/{initial_visit.pk}/").content.decode().split('id="versions"')[1]
    assert "Acceptable absence: medical or hospital appointment" in history
    assert "Unacceptable absence" in history
    for code in ("unacceptable_absence", "acceptable_absence", "medical<"):
        assert code not in history


@pytest.fixture
def warned(officer, community_order, initial_visit) -> EnforcementAction:
    failure = contacts.record_outcome(contact=initial_visit, user=officer.user, outcome=Outcome.FAILED_TO_COMPLY)
    return enforcement.decide(
        event=community_order, user=officer.user, kind="warning", failure=failure, on=date(2025, 12, 23)
    )


def amendment(initial_visit, outcome: str, **more: str) -> dict[str, str]:
    return {
        "day_0": "22",
        "day_1": "12",
        "day_2": "2025",
        "at": "10:00",
        "outcome": outcome,
        "enforceable": "on",
        "reason": "The room was double-booked: they were sent home",
        "version": str(Contact.objects.get(pk=initial_visit.pk).version),
    } | more


def test_changing_a_warned_failure_to_sent_home_for_service_issues_asks_to_withdraw_the_warning(
    client: Client, officer, community_order, initial_visit, warned
) -> None:
    client.force_login(officer.user)
    url = f"/cases/X123456/contacts/{initial_visit.pk}/change/"
    form = client.get(url).content.decode()
    assert "Withdraw the warning given on 23 December 2025" in form

    refused = client.post(url, amendment(initial_visit, Outcome.SENT_HOME_SERVICE)).content.decode()
    assert "withdraw the warning to change it" in refused
    initial_visit.refresh_from_db()
    assert initial_visit.outcome == Outcome.FAILED_TO_COMPLY

    response = client.post(url, amendment(initial_visit, Outcome.SENT_HOME_SERVICE, withdraw_warning="on"))
    assert response.status_code == 302
    initial_visit.refresh_from_db()
    warned.refresh_from_db()
    assert initial_visit.outcome == Outcome.SENT_HOME_SERVICE
    assert warned.withdrawn_on == date(2026, 11, 25)
    assert enforcement.compliance(community_order).warnings == []  # it counts for nothing now
    assert ledger.rebuild(check=True, event_ids=[community_order.pk]) == []


def test_a_warned_failure_may_change_to_another_failure_and_the_warning_stands(officer, initial_visit, warned) -> None:
    contacts.amend(contact=initial_visit, user=officer.user, reason="Sent home", outcome=Outcome.SENT_HOME_BEHAVIOUR)
    warned.refresh_from_db()
    assert warned.withdrawn_on is None


def test_a_withdrawn_warning_leaves_the_failure_to_be_decided_again_if_it_becomes_one(
    officer, community_order, initial_visit, warned
) -> None:
    contacts.amend(
        contact=initial_visit, user=officer.user, reason="Mistake", outcome=Outcome.ATTENDED, withdraw_warning=True
    )
    failure = contacts.amend(
        contact=initial_visit, user=officer.user, reason="It was right", outcome=Outcome.FAILED_TO_COMPLY
    )
    decision = Obligation.objects.get(event=community_order, rule="enforcement_decision")
    assert decision.met_on is None
    enforcement.decide(event=community_order, user=officer.user, kind="warning", failure=failure, on=date(2026, 11, 25))
    assert ledger.rebuild(check=True, event_ids=[community_order.pk]) == []
