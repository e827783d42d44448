"""The SPO's decisions with what they need to decide (issue 18): management oversight (its subject, the case's
compliance, agree or disagree with a note), recall (the recommender cannot decide), transfers (a case summary,
and the appointments left with the previous officer once accepted), and the RO's edit of the address and
contact details."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import (
    Address,
    AuditEvent,
    Contact,
    EnforcementAction,
    Event,
    Outcome,
    OversightTask,
    Person,
    Transfer,
)
from cases.record import services as record_services
from cases.transfers import services as transfers
from probation.roles import Role
from regions.models import StaffMember
from tests.factories import PDUFactory, StaffMemberFactory, TeamFactory, book

pytestmark = pytest.mark.today("2026-11-25")  # the facts below are dated around this Wednesday
LONDON = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LONDON)


@pytest.fixture
def absences(officer, community_order, contact_types) -> list[Contact]:
    """Three acceptable absences in October 2026 (the third opens oversight), and an attended appointment."""
    visit = contact_types["office_visit"]
    attended = book(officer, community_order, visit, at(date(2026, 9, 30)))
    contacts.record_outcome(contact=attended, user=officer.user, outcome=Outcome.ATTENDED)
    reasons = [("illness", "GP letter seen"), ("court", "Attending Crown Court as a witness"), ("medical", "")]
    recorded = []
    for day, (reason, notes) in zip((7, 14, 21), reasons, strict=True):
        contact = book(officer, community_order, visit, at(date(2026, 10, day)))
        recorded.append(
            contacts.record_outcome(
                contact=contact,
                user=officer.user,
                outcome=Outcome.ACCEPTABLE_ABSENCE,
                absence_reason=reason,
                notes=notes,
            )
        )
    return recorded


@pytest.fixture
def judgement(officer, community_order, contact_types) -> EnforcementAction:
    failure = book(officer, community_order, contact_types["office_visit"], at(date(2026, 11, 2)))
    contacts.record_outcome(contact=failure, user=officer.user, outcome=Outcome.FAILED_TO_COMPLY)
    return enforcement.decide(
        event=community_order,
        user=officer.user,
        kind=EnforcementAction.Kind.PROFESSIONAL_JUDGEMENT,
        failure=Contact.objects.get(pk=failure.pk),
        on=date(2026, 11, 3),
        rationale="Arrived late after a hospital appointment; discharge letter seen",
    )


# Oversight


def test_the_oversight_page_shows_the_absences_the_rationale_and_the_compliance(
    client: Client, spo, absences, django_assert_max_num_queries
) -> None:
    task = OversightTask.objects.get()
    client.force_login(spo.user)
    with django_assert_max_num_queries(30):
        page = client.get(f"/cases/X123456/oversight/{task.pk}/").content.decode()
    assert "Management oversight: Three acceptable absences since" in page
    for shown in ("7 Oct 2026", "14 Oct 2026", "21 Oct 2026", "Illness, with evidence", "Attending court"):
        assert shown in page
    assert "GP letter seen" in page
    assert "Attending Crown Court as a witness" in page
    compliance = page[page.index('id="oversight-compliance"') :]
    assert "4 with an outcome since 25 Nov 2025" in compliance
    assert 'Attended and complied</dt><dd class="govuk-summary-list__value">1<' in compliance
    assert 'Acceptable absences</dt><dd class="govuk-summary-list__value">3<' in compliance
    assert "Do you agree with how the officer dealt with this?" in page


def test_the_oversight_page_reads_a_fixed_number_of_queries_however_many_absences(
    client: Client, officer, spo, absences, community_order, contact_types, django_assert_max_num_queries
) -> None:
    task = OversightTask.objects.get()
    client.force_login(spo.user)
    with django_assert_max_num_queries(30) as few:
        client.get(f"/cases/X123456/oversight/{task.pk}/")
    for day in (3, 10, 17, 24):  # four more acceptable absences: more rows, no more queries
        contact = book(officer, community_order, contact_types["office_visit"], at(date(2026, 11, day)))
        contacts.record_outcome(
            contact=contact, user=officer.user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason="illness"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(f"/cases/X123456/oversight/{task.pk}/").content.decode()
    assert "24 Nov 2026" in page


def test_the_oversight_of_a_professional_judgement_shows_the_failure_and_the_officers_rationale(
    client: Client, spo, judgement
) -> None:
    task = OversightTask.objects.get(reason=OversightTask.Reason.PROFESSIONAL_JUDGEMENT)
    client.force_login(spo.user)
    page = client.get(f"/cases/X123456/oversight/{task.pk}/").content.decode()
    assert "Attended but failed to comply: office visit on Monday 2 November 2026" in page
    assert "Professional judgement: no enforcement action, 3 November 2026, by Olivia Officer" in page
    assert "Arrived late after a hospital appointment; discharge letter seen" in page
    assert 'Failures to comply</dt><dd class="govuk-summary-list__value">1<' in page


def test_disagreeing_needs_a_note_and_the_outcome_shows_on_the_case_and_the_oversight_list(
    client: Client, spo, judgement
) -> None:
    task = OversightTask.objects.get()
    url = f"/cases/X123456/oversight/{task.pk}/"
    client.force_login(spo.user)
    refused = client.post(url, {"outcome": "disagree", "note": "  "}).content.decode()
    assert "govuk-error-summary" in refused
    assert "Enter why you disagree with the officer" in refused
    assert "Select whether you agree with the officer" in client.post(url, {"note": "x"}).content.decode()
    assert OversightTask.objects.get().closed_at is None
    response = client.post(url, {"outcome": "disagree", "note": "A warning should have been given"})
    assert response.status_code == 302
    task = OversightTask.objects.get()
    assert (task.outcome, task.note, task.closed_by) == ("disagree", "A warning should have been given", spo)
    audit = AuditEvent.objects.get(action="oversight.record")
    assert (audit.user, audit.object_id, audit.detail["outcome"]) == (spo.user, str(task.pk), "disagree")
    overview = client.get("/cases/X123456/").content.decode()
    history = overview[overview.index('id="oversight-history"') :]
    assert "Disagreed" in history
    assert "A warning should have been given" in history
    listed = client.get("/cases/oversight/").content.decode()
    assert "No case is waiting for your oversight" in listed
    assert "Disagreed" in listed[listed.index('id="oversight-recorded"') :]


def test_agreeing_needs_no_note(client: Client, spo, absences) -> None:
    task = OversightTask.objects.get()
    client.force_login(spo.user)
    assert client.post(f"/cases/X123456/oversight/{task.pk}/", {"outcome": "agree", "note": ""}).status_code == 302
    assert (OversightTask.objects.get().outcome, OversightTask.objects.get().note) == ("agree", "")
    assert "Agreed" in client.get("/cases/X123456/").content.decode()


def test_only_the_spos_of_the_cases_pdu_record_oversight(client: Client, officer, spo, judgement) -> None:
    task = OversightTask.objects.get()
    with pytest.raises(ValidationError, match="Enter why you disagree"):
        enforcement.oversight_record(task=task, user=spo.user, by=spo, note="", outcome="disagree")
    elsewhere = TeamFactory.create(pdu=PDUFactory.create(region=officer.region))
    other_spo = StaffMemberFactory.create(team=elsewhere, grade=StaffMember.Grade.SPO, user__roles=[Role.SPO])
    assert other_spo.user is not None
    with pytest.raises(PermissionDenied):
        enforcement.oversight_record(task=task, user=other_spo.user, by=other_spo, note="Fine", outcome="agree")
    with pytest.raises(PermissionDenied):
        enforcement.oversight_record(task=task, user=officer.user, by=officer, note="Fine", outcome="agree")
    client.force_login(officer.user)
    assert client.post(f"/cases/X123456/oversight/{task.pk}/", {"outcome": "agree"}).status_code == 403
    client.force_login(other_spo.user)
    assert client.post(f"/cases/X123456/oversight/{task.pk}/", {"outcome": "agree"}).status_code == 403
    assert OversightTask.objects.get().closed_at is None


# Recall


def _licence(event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(type=Event.Type.LICENCE, release_date=date(2025, 12, 22))
    event.refresh_from_db()
    return event


def test_whoever_recommended_a_recall_cannot_decide_it(client: Client, spo, community_order) -> None:
    event = _licence(community_order)
    recall = enforcement.recall_recommend(
        event=event, user=spo.user, recall_type="standard", rationale="Contact with the victim"
    )
    with pytest.raises(ValidationError, match="You recommended this recall"):
        enforcement.recall_decide(
            action=recall,
            user=spo.user,
            decider=spo,
            decision="agreed",
            rationale="Risk",
            decided_at=at(date(2026, 11, 25), 9),
        )
    client.force_login(spo.user)
    url = "/cases/X123456/events/1/recall/"
    assert "You recommended this recall, so another SPO" in client.get(url).content.decode()
    data = {
        "decision": "agreed",
        "rationale": "Risk to victim",
        "decided_day_0": "25",
        "decided_day_1": "11",
        "decided_day_2": "2026",
        "decided_time": "09:00",
    }
    page = client.post(url, data)
    assert page.status_code == 200
    content = page.content.decode()
    assert "govuk-error-summary" in content
    assert 'href="#id_decision' in content or "#decision" in content
    assert EnforcementAction.objects.get().decision == ""


def test_another_spo_decides_seeing_the_recommendation_who_made_it_when_and_why(
    client: Client, officer, spo, community_order
) -> None:
    event = _licence(community_order)
    enforcement.recall_recommend(
        event=event, user=officer.user, recall_type="fixed_term", rationale="Contact with the victim"
    )
    client.force_login(spo.user)
    page = client.get("/cases/X123456/events/1/recall/").content.decode()
    assert "Decide on the recommended recall" in page
    assert "Fixed term recall" in page
    assert 'Recommended by</dt><dd class="govuk-summary-list__value">Olivia Officer' in page
    assert "25 November 2026, 10:" in page
    assert "Contact with the victim" in page
    assert "You recommended this recall" not in page


# Transfers


@pytest.fixture
def durham(team):
    other = TeamFactory.create(
        code="NE-DUR-T1",
        name="Durham Team 1",
        pdu=PDUFactory.create(code="NE-DUR", name="County Durham", region=team.pdu.region),
    )
    spo = StaffMemberFactory.create(team=other, grade="SPO", user__username="durham_spo", user__roles=[Role.SPO])
    dana = StaffMemberFactory.create(team=other, user__username="dana", user__roles=[Role.OFFICER], name="Dana Durham")
    return other.pdu, spo, dana


def test_the_transfer_decision_page_summarises_the_case(
    client: Client, officer, community_order, durham, django_assert_max_num_queries
) -> None:
    pdu, spo, _dana = durham
    transfer = transfers.request(
        event=community_order,
        user=officer.user,
        to_pdu=pdu,
        reason="Moved in with family in Durham",
        on=date(2026, 11, 20),
    )
    client.force_login(spo.user)
    with django_assert_max_num_queries(25):
        page = client.get(f"/cases/transfers/{transfer.pk}/").content.decode()
    heading = page[page.index("<h1") : page.index("</h1>")]
    assert "Transfer request for Sam Example" in heading
    assert "Moved in with family" not in heading
    summary = page[page.index('id="transfer-summary"') : page.index("</dl>", page.index('id="transfer-summary"'))]
    for row, value in [
        ("CRN", "X123456"),
        ("Sentence", "Event 1: Community order"),
        ("RoSH", "Medium"),
        ("Tier", "B2"),
        ("Flags", "Domestic abuse perpetrator"),
        ("Current officer", "Olivia Officer, Tyneside Team 1"),
        ("Requesting PDU", "Tyneside (North East)"),
        ("Receiving PDU", "County Durham (North East)"),
        ("Reason", "Moved in with family in Durham"),
    ]:
        assert f'{row}</dt><dd class="govuk-summary-list__value">' in summary, row
        assert value in summary[summary.index(f"{row}</dt>") :], row
    assert "20 November 2026 by Olivia Officer" in summary
    assert AuditEvent.objects.filter(action="case.view", object_id=str(transfer.pk)).exists()


def test_on_acceptance_the_previous_officers_future_appointments_are_listed_to_book_again_or_cancel(
    client: Client, officer, colleague, community_order, contact_types, durham, django_assert_max_num_queries
) -> None:
    pdu, spo, dana = durham
    visit, home = contact_types["office_visit"], contact_types["home_visit"]
    past = book(officer, community_order, visit, at(date(2026, 11, 18)))
    soon = book(officer, community_order, visit, at(date(2026, 12, 2), 14))
    later = book(colleague, community_order, home, at(date(2026, 12, 9), 11))
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=pdu, reason="Moved to Durham", on=date(2026, 11, 20)
    )
    client.force_login(spo.user)
    response = client.post(
        f"/cases/transfers/{transfer.pk}/",
        {"decision": "accept", "officer": dana.pk, "on_0": "25", "on_1": "11", "on_2": "2026"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/cases/X123456/transfers/{transfer.pk}/appointments/"
    assert Transfer.objects.get().status == Transfer.Status.COMPLETED
    with django_assert_max_num_queries(20):
        page = client.get(response["Location"]).content.decode()
    table = page[page.index('id="appointments-left-behind"') :]
    assert "Wed 2 Dec 2026" in table
    assert "14:00" in table
    assert "Office visit" in table
    assert "Olivia Officer" in table
    assert "Wed 9 Dec 2026" in table
    assert "11:00" in table
    assert "Colin Colleague" in table
    assert "18 Nov 2026" not in table  # already happened
    assert f"/cases/X123456/contacts/{soon.pk}/cancel/" in table
    assert f"/cases/X123456/contacts/{later.pk}/cancel/" in table
    assert "/cases/X123456/events/1/appointments/new/" in table
    assert f"/contacts/{past.pk}/cancel/" not in table
    accepted = client.get("/cases/transfers/").content.decode()
    assert f'href="/cases/X123456/transfers/{transfer.pk}/appointments/"' in accepted


def test_cancelling_a_booked_appointment_keeps_it_marked_and_audited(
    client: Client, officer, colleague, community_order, contact_types
) -> None:
    past = book(officer, community_order, contact_types["office_visit"], at(date(2026, 11, 18)))
    future = book(officer, community_order, contact_types["office_visit"], at(date(2026, 12, 2)))
    client.force_login(colleague.user)  # not the RO, nor a manager
    assert client.get(f"/cases/X123456/contacts/{future.pk}/cancel/").status_code == 403
    client.force_login(officer.user)
    url = f"/cases/X123456/contacts/{future.pk}/cancel/"
    assert "Cancel the office visit with Olivia Officer on 2 December 2026 at 10:00" in client.get(url).content.decode()
    assert "Enter why the appointment is cancelled" in client.post(url, {"reason": ""}).content.decode()
    assert client.post(url, {"reason": "Transferred to Durham"}).status_code == 302
    cancelled = Contact.objects.get(pk=future.pk)
    assert cancelled.entered_in_error
    assert cancelled.error_reason == "Appointment cancelled: Transferred to Durham"
    assert cancelled.versions.count() == 2  # the booked version is kept
    assert AuditEvent.objects.filter(action="contact.cancel", object_id=str(future.pk)).exists()
    assert client.get(f"/cases/X123456/contacts/{past.pk}/cancel/").status_code == 302  # not cancellable
    with pytest.raises(ValidationError, match="has not happened yet"):
        contacts.cancel_appointment(contact=past, user=officer.user, reason="Too late")


# Address and contact details


def test_the_ro_changes_the_address_and_contact_details(client: Client, officer, community_order) -> None:
    person = community_order.person
    Address.objects.create(person=person, lines="1 Old Road\nGateshead", postcode="NE8 1AA", from_date=date(2025, 1, 1))
    client.force_login(officer.user)
    url = "/cases/X123456/details/"
    page = client.get(url).content.decode()
    assert "Correct the address and email" in page
    assert "1 Old Road" in page
    refused = client.post(url, {"lines": "2 New Street", "postcode": "NOT A CODE", "email": "nope"}).content.decode()
    assert "govuk-error-summary" in refused
    assert "Enter a real postcode, like NE1 4ST" in refused
    assert "Enter an email address in the correct format" in refused
    response = client.post(
        url,
        {
            "lines": "2 New Street\r\nNewcastle",
            "postcode": "ne14st",
            "email": "sam@example.com",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(pk=person.pk)
    assert person.email == "sam@example.com"
    address = Address.objects.get(person=person)
    assert (address.lines, address.postcode, address.to_date) == ("2 New Street\nNewcastle", "NE1 4ST", None)
    audit = AuditEvent.objects.get(action="person.contact_details")
    assert audit.user == officer.user
    assert sorted(audit.detail["changed"]) == ["address", "email"]
    overview = client.get("/cases/X123456/").content.decode()
    assert "2 New Street" in overview
    assert "sam@example.com" in overview


def test_an_spo_may_change_contact_details_and_another_officer_may_not(
    client: Client, spo, colleague, community_order
) -> None:
    data = {"lines": "3 Quay Side", "postcode": "NE1 3AA", "email": ""}
    client.force_login(colleague.user)
    assert client.get("/cases/X123456/details/").status_code == 403
    assert client.post("/cases/X123456/details/", data).status_code == 403
    assert not Address.objects.exists()
    with pytest.raises(PermissionDenied):
        record_services.contact_details_change(person=community_order.person, user=colleague.user, **data)
    client.force_login(spo.user)
    assert client.post("/cases/X123456/details/", data).status_code == 302
    assert Address.objects.get().lines == "3 Quay Side"
    assert AuditEvent.objects.filter(action="person.contact_details", user=spo.user).exists()


@pytest.mark.django_db(transaction=True)
def test_oversight_outcomes_survive_an_export_and_import(spo, absences, judgement) -> None:
    from django.core.management import call_command

    from cases.interchange import exporter
    from cases.interchange.importer import import_document
    from cases.models import ContactType
    from cases.reference import ensure_contact_types

    assert spo.user is not None
    by_reason = {task.reason: task for task in OversightTask.objects.all()}
    enforcement.oversight_record(task=by_reason["acceptable_absences"], user=spo.user, by=spo, note="", outcome="agree")
    enforcement.oversight_record(
        task=by_reason["professional_judgement"], user=spo.user, by=spo, note="Warn next time", outcome="disagree"
    )
    first = exporter.document()
    oversight = first["people"][0]["events"][0]["oversight"]
    assert sorted((o["outcome"], o["note"]) for o in oversight) == [("agree", None), ("disagree", "Warn next time")]
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(first)
    assert exporter.document() == first
    assert sorted(OversightTask.objects.values_list("outcome", "note")) == [
        ("agree", ""),
        ("disagree", "Warn next time"),
    ]
