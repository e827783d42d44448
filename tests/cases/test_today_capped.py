"""Today shows each section's SHOWN most urgent rows, with the section's true total in its heading and in the
contents list, and below a capped table a link that shows that one section in full (?all=<section>); the
rows are limited in SQL, so a caseload larger than the cap reads no more queries. The failures waiting for a
decision are chosen in SQL too: one a day per event (the day in London), none on a day a decision answers."""

import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.enforcement import services as enforcement
from cases.models import Contact, EnforcementAction, Event, Outcome
from cases.standards import ledger
from cases.today import selectors
from probation import read_together, read_together_kept
from probation.read_together import run
from regions.models import StaffMember
from tests.cases.test_today import SECTIONS, World, at, count, durham, links, world  # noqa: F401 (fixtures)
from tests.factories import case_for

pytestmark = pytest.mark.today("2026-11-25")

TITLES = {
    "appointments": "Appointments",
    "standards": "National Standards items due and overdue",
    "evidence": "Absences awaiting evidence",
    "referrals": "Referrals awaiting a response",
    "transfers": "Transfers you requested",
    "enforcement": "Enforcement decisions waiting",
}


def contents(page: str, section: str) -> int:
    """The count the contents list gives the section."""
    match = re.search(rf'href="#{section}">{re.escape(TITLES[section])} \((\d+)\)</a>', page)
    assert match, section
    return int(match.group(1))


def show_all(page: str, section: str) -> str | None:
    """The text of the section's "Show all" link (None: there is none), which must open the section in full."""
    body = page.split(f'data-section="{section}"', 1)[1].split("</section>", 1)[0]
    found = re.findall(r'<a class="govuk-link" href="([^"]+)">(Show all [^<]+)</a>', body)
    if not found:
        return None
    [(href, text)] = found
    assert href == f"/cases/today/?all={section}#{section}"
    return text


def appointments(officer: StaffMember, event: Event, office, n: int) -> list[Contact]:
    """`n` appointments with the officer, an hour apart from 9:00 on Thursday (within the coming week)."""
    return Contact.objects.bulk_create(
        Contact(event=event, type=office, starts_at=at(1, 9) + timedelta(hours=i), staff=officer, recorded_at=at(0))
        for i in range(n)
    )


def page_of(client: Client, officer: StaffMember, **query: str) -> str:
    assert officer.user is not None
    client.force_login(officer.user)
    response = client.get("/cases/today/", query)
    assert response.status_code == 200
    return response.content.decode()


def test_a_section_at_exactly_the_cap_shows_every_row_and_no_link(
    client: Client, officer, community_order, contact_types
) -> None:
    booked = appointments(officer, community_order, contact_types["office_visit"], selectors.SHOWN)
    page = page_of(client, officer)
    assert links(page, "appointments") == [f"/cases/X123456/contacts/{c.pk}/" for c in booked]
    assert count(page, "appointments") == contents(page, "appointments") == selectors.SHOWN == 25
    assert show_all(page, "appointments") is None


def test_a_section_over_the_cap_shows_the_most_urgent_with_its_true_total_and_a_link_to_all(
    client: Client, officer, community_order, contact_types
) -> None:
    booked = appointments(officer, community_order, contact_types["office_visit"], selectors.SHOWN + 1)
    page = page_of(client, officer)
    assert links(page, "appointments") == [f"/cases/X123456/contacts/{c.pk}/" for c in booked[:25]]  # soonest
    assert count(page, "appointments") == contents(page, "appointments") == 26
    assert show_all(page, "appointments") == "Show all 26 appointments"

    full = page_of(client, officer, all="appointments")
    assert links(full, "appointments") == [f"/cases/X123456/contacts/{c.pk}/" for c in booked]
    assert count(full, "appointments") == contents(full, "appointments") == 26
    assert show_all(full, "appointments") is None


def test_an_empty_section_says_so_with_no_link(client: Client, officer) -> None:
    page = page_of(client, officer, all="appointments")
    for section in SECTIONS:
        assert count(page, section) == contents(page, section) == 0
        assert show_all(page, section) is None
    assert "You have no appointments today or this week, and no outcomes to record." in page


def test_each_section_caps_its_rows_and_only_the_one_asked_for_is_shown_in_full(
    client: Client,
    world: World,  # noqa: F811
    spo,
    monkeypatch,
) -> None:
    """With a cap of one, each section of the world is at the cap or over it (a recall after the failure)."""
    moving = Event.objects.get(person__crn="T000001")
    Event.objects.filter(pk=moving.pk).update(type="licence", release_date=date(2026, 10, 1))
    moving.refresh_from_db()
    action = enforcement.recall_recommend(event=moving, user=world.user, recall_type="standard", rationale="Risk")
    enforcement.recall_decide(
        action=action, user=spo.user, decider=spo, decision="agreed", rationale="Risk", decided_at=timezone.now()
    )
    everything = page_of(client, world.officer, all="standards")  # the cap is 25: all of them
    full = {section: links(everything, section) for section in SECTIONS}
    assert [len(full[s]) for s in SECTIONS if s != "standards"] == [3, 1, 1, 1, 2]
    assert len(full["standards"]) >= 2

    monkeypatch.setattr(selectors, "SHOWN", 1)
    page = page_of(client, world.officer)
    for section in SECTIONS:
        assert links(page, section) == full[section][:1], section  # the most urgent
        assert count(page, section) == contents(page, section) == len(full[section]), section
    assert show_all(page, "appointments") == "Show all 3 appointments"
    assert show_all(page, "standards") == f"Show all {len(full['standards'])} National Standards items due and overdue"
    assert show_all(page, "enforcement") == "Show all 2 enforcement decisions waiting"
    assert show_all(page, "evidence") is show_all(page, "referrals") is show_all(page, "transfers") is None

    for shown in ("appointments", "standards", "enforcement"):
        page = page_of(client, world.officer, all=shown)
        assert links(page, shown) == full[shown]
        assert show_all(page, shown) is None
        for other in {"appointments", "standards", "enforcement"} - {shown}:
            assert links(page, other) == full[other][:1]  # the others stay capped
            assert show_all(page, other) is not None


@pytest.mark.parametrize("value", ["", "nonsense", "APPOINTMENTS", "appointments ", "<script>", "x" * 500])
def test_an_unknown_section_to_show_in_full_is_ignored(
    client: Client,
    world: World,  # noqa: F811
    monkeypatch,
    value: str,
) -> None:
    monkeypatch.setattr(selectors, "SHOWN", 1)
    capped = page_of(client, world.officer)
    page = page_of(client, world.officer, all=value)
    for section in SECTIONS:
        assert links(page, section) == links(capped, section)
    assert show_all(page, "appointments") == "Show all 3 appointments"


def test_a_caseload_larger_than_the_cap_reads_no_more_queries_and_no_more_rows(
    client: Client, officer, contact_types, django_assert_max_num_queries, monkeypatch
) -> None:
    office = contact_types["office_visit"]
    cases = [case_for(officer, crn=f"M{n:06d}") for n in range(30)]
    Contact.objects.bulk_create(
        Contact(event=event, type=office, staff=officer, recorded_at=at(0), enforceable=True, **facts)
        for n, event in enumerate(cases)
        for day in (0, 1)
        for facts in (
            {"starts_at": at(1 + day, 9) + timedelta(minutes=n)},
            {"starts_at": at(-10 - day, 9) + timedelta(minutes=n), "outcome": Outcome.UNACCEPTABLE_ABSENCE},
            {"starts_at": at(-5 - day, 9) + timedelta(minutes=n), "outcome": Outcome.AWAITING_EVIDENCE},
        )
    )
    client.force_login(officer.user)
    rows: list[int] = []

    def read(together, params=None):  # each part of a statement read together: its rows
        found = run(together, params)
        rows.extend(len(part) for part in found.values())
        return found

    monkeypatch.setattr(read_together, "run", read)
    monkeypatch.setattr(read_together_kept, "run", read)
    # the most rows a part reads: the absences and failures, 25 of each or all of one of them; all appointments
    most = {"": 50, "appointments": 60, "enforcement": 60 + 25, "evidence": 60 + 25, "standards": 50}
    for shown in most:
        for _ in range(2):  # the first read of each shape is compiled as it is, the second kept
            rows.clear()
            # the session and user; the rules; the caseload and the transfers; every other section
            with django_assert_max_num_queries(5):
                page = client.get("/cases/today/", {"all": shown}).content.decode()
            assert max(rows) == most[shown]
        for section in ("appointments", "evidence", "enforcement"):
            assert count(page, section) == contents(page, section) == 60
            assert len(links(page, section)) == (60 if section == shown else 25)


def failure(the: World, office, starts_at: datetime, outcome: str = Outcome.UNACCEPTABLE_ABSENCE) -> Contact:
    """A failure recorded as it was (the ledger derived again from the case's facts)."""
    made = Contact.objects.create(
        event=the.event,
        type=office,
        starts_at=starts_at,
        staff=the.officer,
        outcome=outcome,
        enforceable=True,
        recorded_at=starts_at,
    )
    ledger.refresh_person(the.event.person_id)
    return made


def waiting(the: World) -> list[str]:
    return [item.link for item in selectors.today_for(the.officer, the.user)["enforcement"].items]


def test_failures_on_one_london_day_are_one_failure_and_the_first_of_them_is_listed(
    world: World,  # noqa: F811
    contact_types,
) -> None:
    office = contact_types["office_visit"]
    late = failure(world, office, datetime(2026, 7, 1, 22, 30, tzinfo=UTC))  # 23:30 on 1 July in London
    first = failure(world, office, datetime(2026, 7, 1, 23, 30, tzinfo=UTC))  # 00:30 on 2 July in London
    failure(world, office, datetime(2026, 7, 2, 9, 0, tzinfo=UTC), Outcome.FAILED_TO_COMPLY)  # 10:00 on 2 July
    not_enforceable = failure(world, office, datetime(2026, 7, 3, 9, 0, tzinfo=UTC))
    Contact.objects.filter(pk=not_enforceable.pk).update(enforceable=False)
    ledger.refresh_person(world.event.person_id)
    assert waiting(world) == [
        f"/cases/X123456/contacts/{late.pk}/decision/",
        f"/cases/X123456/contacts/{first.pk}/decision/",
        f"/cases/X123456/contacts/{world.failure.pk}/decision/",
    ]


def test_a_decision_on_any_failure_of_a_day_answers_the_day(
    world: World,  # noqa: F811
    contact_types,
) -> None:
    office = contact_types["office_visit"]
    morning = failure(world, office, datetime(2026, 11, 2, 10, 0, tzinfo=UTC))
    afternoon = failure(world, office, datetime(2026, 11, 2, 15, 0, tzinfo=UTC))
    assert waiting(world)[0] == f"/cases/X123456/contacts/{morning.pk}/decision/"
    action = enforcement.decide(
        event=world.event, user=world.user, kind=EnforcementAction.Kind.WARNING, failure=afternoon, on=date(2026, 11, 3)
    )
    assert waiting(world) == [f"/cases/X123456/contacts/{world.failure.pk}/decision/"]
    EnforcementAction.objects.filter(pk=action.pk).update(withdrawn_on=date(2026, 11, 4))  # answers nothing now
    ledger.refresh_person(world.event.person_id)
    assert waiting(world)[0] == f"/cases/X123456/contacts/{morning.pk}/decision/"


def test_absences_are_listed_soonest_deadline_first_and_those_without_one_last(
    world: World,  # noqa: F811
    contact_types,
    monkeypatch,
) -> None:
    office = contact_types["office_visit"]
    made = {
        due: Contact.objects.create(
            event=world.event,
            type=office,
            starts_at=at(-20 + n),
            staff=world.officer,
            outcome=Outcome.AWAITING_EVIDENCE,
            evidence_due=due,
            enforceable=True,
            recorded_at=at(0),
        )
        for n, due in enumerate([None, date(2026, 12, 9), date(2026, 11, 20)])
    }
    ledger.refresh_person(world.event.person_id)
    soonest = [made[date(2026, 11, 20)], world.absence, made[date(2026, 12, 9)], made[None]]
    expected = [f"/cases/X123456/contacts/{c.pk}/change/" for c in soonest]
    assert [i.link for i in selectors.today_for(world.officer, world.user)["evidence"].items] == expected
    monkeypatch.setattr(selectors, "SHOWN", 2)
    section = selectors.today_for(world.officer, world.user)["evidence"]
    assert ([i.link for i in section.items], section.count) == (expected[:2], 4)
