"""Today: the officer's home page. Every section lists what the officer must act on, on the cases they are now
responsible officer for, each row linking to the page that acts on it; counts equal the rows (under the cap:
test_today_capped.py); ended events and limited cases contribute nothing; the page reads a bounded number of
queries, whatever the caseload."""

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.allocation import services as allocation
from cases.contacts import services as contacts
from cases.ending import services as ending
from cases.enforcement import services as enforcement
from cases.models import AccessRule, Contact, EnforcementAction, Event, Obligation, Outcome, Transfer
from cases.today import selectors
from cases.transfers import services as transfers
from interventions.models import Referral, Service
from interventions.referrals import services as referrals
from probation.roles import Role
from regions.models import StaffMember
from tests.factories import PASSWORD, PDUFactory, StaffMemberFactory, TeamFactory, book, case_for

# The facts are dated from Wednesday 25 November 2026 (a week on is a working day; deadlines in business days).
pytestmark = pytest.mark.today("2026-11-25")

SECTIONS = ["appointments", "standards", "evidence", "referrals", "transfers", "enforcement"]


def at(days: int, hour: int = 10) -> datetime:
    """A moment `days` from the pinned today (Wednesday 25 November 2026), at `hour` London time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@dataclass
class World:
    officer: StaffMember
    event: Event
    past: Contact
    later_today: Contact
    this_week: Contact
    next_fortnight: Contact
    absence: Contact
    failure: Contact
    referral: Referral
    transfer: Transfer
    durham_spo: StaffMember

    @property
    def user(self) -> User:
        assert self.officer.user is not None
        return self.officer.user


@pytest.fixture
def durham(team):
    other = TeamFactory.create(
        code="NE-DUR-T1",
        name="Durham Team 1",
        pdu=PDUFactory.create(code="NE-DUR", name="County Durham", region=team.pdu.region),
    )
    spo = StaffMemberFactory.create(team=other, grade="SPO", user__username="durham_spo", user__roles=[Role.SPO])
    receiving = StaffMemberFactory.create(team=other, user__username="durham_po", user__roles=[Role.OFFICER])
    return other.pdu, spo, receiving


@pytest.fixture
def world(officer, community_order, contact_types, durham) -> World:
    """Sam Example's order with an item of every kind, and a second case being transferred to Durham."""
    user, office = officer.user, contact_types["office_visit"]
    event = community_order
    past = book(officer, event, office, at(-2))
    later_today = book(officer, event, office, at(0, 15))
    this_week = book(officer, event, office, at(5))
    next_fortnight = book(officer, event, office, at(10))
    absence = contacts.record_outcome(
        contact=book(officer, event, office, at(-1)), user=user, outcome=Outcome.AWAITING_EVIDENCE
    )
    failure = contacts.record_outcome(
        contact=book(officer, event, office, at(-6)), user=user, outcome=Outcome.UNACCEPTABLE_ABSENCE
    )
    service = Service.objects.create(name="Housing advice", provider="Shelter", area="accommodation")
    referral = referrals.refer(event=event, user=user, service=service, reason="No fixed abode", on=date(2026, 11, 20))
    moving = case_for(officer, crn="T000001", first_name="Tia", last_name="Moving")
    transfer = transfers.request(
        event=moving, user=user, to_pdu=durham[0], reason="Moved to Durham", on=date(2026, 11, 23)
    )
    return World(
        officer, event, past, later_today, this_week, next_fortnight, absence, failure, referral, transfer, durham[1]
    )


def links(page: str, section: str) -> list[str]:
    """The action links of one section's rows, in order."""
    body = page.split(f'data-section="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(
        r'<tr class="govuk-table__row" data-row="[a-z]+">.*?<a class="govuk-link" href="([^"]+)"', body, re.S
    )


def count(page: str, section: str) -> int:
    match = re.search(rf'id="{section}">[^<]*<span class="app-count" data-count="(\d+)"', page)
    assert match, section
    return int(match.group(1))


def test_each_section_lists_what_the_officer_must_act_on(world: World) -> None:
    day = selectors.today_for(world.officer, world.user)
    appointments = [item.link for item in day["appointments"].items]
    assert appointments == [
        f"/cases/X123456/contacts/{world.past.pk}/outcome/",
        f"/cases/X123456/contacts/{world.later_today.pk}/",
        f"/cases/X123456/contacts/{world.this_week.pk}/",
    ]  # the one in 10 days is beyond the coming week; the absence and the failure have their outcomes
    assert [item.tag for item in day["appointments"].items] == ["Outcome to record", "Today", ""]
    assert [item.link for item in day["evidence"].items] == [f"/cases/X123456/contacts/{world.absence.pk}/change/"]
    assert (
        day["evidence"].items[0].when == world.absence.evidence_due == date(2026, 12, 1)
    )  # 5 business days from the appointment
    assert [item.link for item in day["referrals"].items] == [f"/interventions/X123456/referrals/{world.referral.pk}/"]
    assert [item.link for item in day["enforcement"].items] == [f"/cases/X123456/contacts/{world.failure.pk}/decision/"]
    assert [(item.link, item.tag) for item in day["transfers"].items] == [("/cases/T000001/", "Pending")]
    standards = day["standards"].items
    assert {item.what for item in standards} >= {"Initial appointment", "Face-to-face contact this month"}
    assert "/cases/X123456/events/1/appointments/new/" in {item.link for item in standards}
    # the items with a section of their own are not listed twice
    assert not {"Decide on the evidence for an absence", "Enforcement decision"} & {item.what for item in standards}


def test_standards_items_are_those_to_act_on_now_overdue_or_due_this_week(world: World) -> None:
    today = timezone.localdate()
    expected = set(
        Obligation.objects.to_act_on_by(officer=world.officer)
        .filter(starts_on__lte=today)
        .exclude(rule__in=selectors.OWN_SECTIONS)
        .filter(due_on__lte=today + timedelta(days=7))
        .values_list("pk", flat=True)
    )
    day = selectors.today_for(world.officer, world.user)
    assert len(day["standards"].items) == len(expected) > 0
    assert Obligation.objects.filter(event=world.event, state=Obligation.State.MISSED).exists()
    assert "Missed" not in {item.tag for item in day["standards"].items}  # missed items never appear


def test_each_count_on_the_page_equals_the_rows_listed(client: Client, world: World) -> None:
    client.force_login(world.user)
    response = client.get("/cases/today/")
    page = response.content.decode()
    assert response.status_code == 200
    for section in SECTIONS:
        assert count(page, section) == len(links(page, section)), section
        assert f'href="#{section}">' in page
    assert count(page, "appointments") == 3
    assert count(page, "evidence") == count(page, "referrals") == count(page, "enforcement") == 1
    assert count(page, "transfers") == 1
    assert count(page, "standards") >= 2


def test_an_officer_signing_in_lands_on_today_with_my_cases_one_click_away(client: Client, world: World) -> None:
    response = client.post("/sign-in/", {"username": "officer", "password": PASSWORD}, follow=True)
    assert response.redirect_chain[-1][0] == "/cases/today/"
    page = response.content.decode()
    assert '<h1 class="govuk-heading-l">Today</h1>' in page
    assert 'href="/cases/">My cases</a>' in page


def test_empty_sections_say_so(client: Client, officer, community_order) -> None:
    Event.objects.filter(pk=community_order.pk).update(terminated_on=date(2026, 11, 1), termination_reason="other")
    client.force_login(officer.user)
    page = client.get("/cases/today/").content.decode()
    for section in SECTIONS:
        assert count(page, section) == 0
    assert "You have no appointments today or this week, and no outcomes to record." in page
    assert "Nothing is overdue or due in the coming week." in page
    assert "No absences are waiting for evidence." in page
    assert "No referrals are waiting for a provider&#x27;s response." in page
    assert "You have no transfer requests pending or decided in the last two weeks." in page
    assert "No failures to comply are waiting for your decision." in page


def test_an_ended_event_contributes_nothing(world: World) -> None:
    ending.event_end(world.event, world.user, date(2026, 11, 24), "revoked", note="Revoked by the court")
    day = selectors.today_for(world.officer, world.user)
    assert [s.count for s in day.sections] == [0, len(day["standards"].items), 0, 0, 1, 0]
    assert all(item.person.crn != "X123456" for item in day["standards"].items)


def test_a_limited_access_case_is_not_shown(world: World) -> None:
    AccessRule.objects.create(person=world.event.person, staff=world.officer, kind=AccessRule.Kind.EXCLUSION)
    day = selectors.today_for(world.officer, world.user)
    shown = {item.person.crn for section in day.sections for item in section.items}
    assert "X123456" not in shown
    assert "T000001" in shown


def test_work_follows_the_case_to_its_new_officer(world: World, colleague, spo) -> None:
    allocation.allocate(
        event=world.event,
        staff=colleague,
        user=spo.user,
        from_date=timezone.localdate(),
        reason_code="caseload_adjustment",
    )
    mine = selectors.today_for(world.officer, world.user)
    theirs = selectors.today_for(colleague, colleague.user)
    assert {i.person.crn for i in mine["standards"].items} == {"T000001"}  # Sam's items left with the case
    assert {i.person.crn for i in theirs["standards"].items} == {"X123456"}
    assert mine["enforcement"].count == mine["evidence"].count == mine["referrals"].count == 0
    assert [i.link for i in theirs["enforcement"].items] == [f"/cases/X123456/contacts/{world.failure.pk}/decision/"]
    # the appointments the officer still holds stay theirs to record
    assert f"/cases/X123456/contacts/{world.past.pk}/outcome/" in [i.link for i in mine["appointments"].items]


def test_a_decided_failure_and_failures_on_a_decided_day_leave_the_list(world: World, contact_types) -> None:
    same_day = contacts.record_outcome(
        contact=book(world.officer, world.event, contact_types["office_visit"], at(-6, 14)),
        user=world.user,
        outcome=Outcome.FAILED_TO_COMPLY,
    )
    day = selectors.today_for(world.officer, world.user)
    assert day["enforcement"].count == 1  # two failures on one day are one failure
    enforcement.decide(
        event=world.event,
        user=world.user,
        kind=EnforcementAction.Kind.WARNING,
        failure=world.failure,
        on=timezone.localdate(),
    )
    assert same_day.pk
    assert selectors.today_for(world.officer, world.user)["enforcement"].count == 0


def test_an_agreed_recall_not_yet_sent_waits_for_the_officer(client: Client, world: World, spo) -> None:
    moving = Event.objects.get(person__crn="T000001")
    Event.objects.filter(pk=moving.pk).update(type="licence", release_date=date(2026, 10, 1))
    moving.refresh_from_db()
    action = enforcement.recall_recommend(
        event=moving, user=world.user, recall_type="standard", rationale="Contact with the victim"
    )
    assert selectors.today_for(world.officer, world.user)["enforcement"].count == 1  # only the failure
    enforcement.recall_decide(
        action=action,
        user=spo.user,
        decider=spo,
        decision="agreed",
        rationale="Risk to the victim",
        decided_at=timezone.now() - timedelta(hours=1),
    )
    items = selectors.today_for(world.officer, world.user)["enforcement"].items
    assert [i.link for i in items][-1] == "/cases/T000001/events/1/recall/"


def test_the_transfers_requested_show_their_state(client: Client, world: World, durham) -> None:
    pdu, spo, receiving = durham
    transfers.reject(
        transfer=world.transfer, user=spo.user, by=spo, reason="Not resident here", on=timezone.localdate()
    )
    client.force_login(world.user)
    day = selectors.today_for(world.officer, world.user)
    assert [(i.tag, i.detail) for i in day["transfers"].items] == [
        ("Rejected", "Rejected on 25 November 2026: Not resident here")
    ]
    again = transfers.request(
        event=Event.objects.get(person__crn="T000001"),
        user=world.user,
        to_pdu=pdu,
        reason="Moved again",
        on=timezone.localdate(),
    )
    transfers.accept(transfer=again, user=spo.user, by=spo, officer=receiving, on=timezone.localdate())
    page = client.get("/cases/transfers/requested/").content.decode()
    assert "Your transfer requests" in page
    assert page.count("govuk-tag--red") == 1
    assert "Not resident here" in page
    assert "Accepted and completed" in page
    assert "/cases/transfers/requested/" in client.get("/cases/today/").content.decode()
    # the case has left the officer: its completed transfer is still theirs to see on Today
    assert [i.tag for i in selectors.today_for(world.officer, world.user)["transfers"].items] == [
        "Accepted and completed",
        "Rejected",
    ]


def test_the_page_reads_a_bounded_number_of_queries(
    client: Client, world: World, officer, contact_types, django_assert_max_num_queries
) -> None:
    client.force_login(officer.user)
    # 2 the session and user; the rules; the caseload with the transfers requested; every other section (the
    # appointments, standards items, absences and failures, referrals and recalls) read together
    with django_assert_max_num_queries(5) as few:
        client.get("/cases/today/")
    for n in range(6):
        event = case_for(officer, crn=f"M{n:06d}")
        book(officer, event, contact_types["office_visit"], at(-1 - n))
        contacts.record_outcome(
            contact=book(officer, event, contact_types["office_visit"], at(-10 - n)),
            user=officer.user,
            outcome=Outcome.UNACCEPTABLE_ABSENCE,
        )
        contacts.record_outcome(
            contact=book(officer, event, contact_types["office_visit"], at(-20 - n)),
            user=officer.user,
            outcome=Outcome.AWAITING_EVIDENCE,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/cases/today/").content.decode()
    assert count(page, "appointments") == 3 + 6
    assert count(page, "enforcement") == 1 + 6


def test_only_officers_have_a_today_page(client: Client, spo) -> None:
    client.force_login(spo.user)
    assert client.get("/cases/today/").status_code == 403
    assert client.get("/cases/transfers/requested/").status_code == 403


def test_the_case_page_shows_a_pending_transfer_and_a_pending_recall(client: Client, world: World, spo) -> None:
    client.force_login(world.user)
    page = client.get("/cases/T000001/").content.decode()
    assert "Transfer of event 1 to County Durham pending." in page
    assert "Requested on 23 November 2026 by Olivia Officer, from Tyneside" in page
    Event.objects.filter(person__crn="X123456").update(type="licence", release_date=date(2026, 10, 1))
    event = Event.objects.get(person__crn="X123456")
    action = enforcement.recall_recommend(event=event, user=world.user, recall_type="standard", rationale="Risk")
    page = client.get("/cases/X123456/").content.decode()
    assert "Recall of event 1 recommended: awaiting a decision." in page
    assert "Standard recall recommended on 25 November 2026 by Olivia Officer" in page
    enforcement.recall_decide(
        action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=timezone.now()
    )
    page = client.get("/cases/X123456/").content.decode()
    assert "Recall of event 1 agreed: request not yet sent." in page
    assert 'href="/cases/X123456/events/1/recall/">Record that the recall request was sent' in page


def test_a_case_with_nothing_pending_has_no_banner(client: Client, officer, community_order) -> None:
    client.force_login(officer.user)
    assert 'id="pending"' not in client.get("/cases/X123456/").content.decode()


def test_today_s_links_are_what_reverse_makes_of_them() -> None:
    from cases.links import link_to

    assert link_to("cases:outcome", "X123456", 42) == reverse("cases:outcome", args=["X123456", 42])
    assert link_to("cases:recall", "X123456", "2") == reverse("cases:recall", args=["X123456", "2"])
    assert link_to("cases:overview", "X 12&6") == reverse("cases:overview", args=["X 12&6"])  # quoted by reverse
