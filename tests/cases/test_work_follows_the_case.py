"""Who must act now (ARCHITECTURE.md): open National Standards items show with the case's *current* responsible
officer and PDU on My cases, the Standards lists, the team dashboard, the officer's workload page, the reminders
and the daily digest; an unallocated case's items sit with its PDU's SPOs. Every count there equals the list it
links to. Who is accountable (the performance pages) does not move."""

import html
import re
from datetime import date

import pytest
from django.core import mail
from django.test import Client

from cases.allocation.services import allocate
from cases.models import Event, Notification, Obligation
from cases.standards import digest, ledger
from cases.transfers import services as transfers
from probation.roles import Role
from regions.models import StaffMember, Team
from regions.performance import counting
from tests.factories import EventFactory, StaffMemberFactory, TeamFactory

# Thursday 26 November 2026: the due-soon window runs to Monday 30 November, the day November's face-to-face
# contact falls due, so every case has an item due soon as well as the ones overdue since last December.
TODAY = "2026-11-26"
REALLOCATED_ON = date(2026, 11, 20)
TRANSFER_REQUESTED_ON = date(2026, 11, 2)
TRANSFER_ACCEPTED_ON = date(2026, 11, 16)
STANDARDS_LINK = re.compile(r'<a class="govuk-link"[^>]*href="(/cases/standards/\?[^"]+)"[^>]*>(.*?)</a>', re.S)


@pytest.fixture
def newcomer(team: Team) -> StaffMember:
    """The officer Sam Example's order is reallocated to, in the same team."""
    return StaffMemberFactory.create(
        team=team, code="S09001", user__username="newcomer", user__roles=[Role.OFFICER], name="Nadia Newcomer"
    )


@pytest.fixture
def receiving(db: None) -> dict[str, StaffMember]:
    """Another PDU, in another region, with an officer and an SPO who accepts transfers."""
    team = TeamFactory.create(code="YH-SHF-T1", name="Sheffield Team 1", pdu__code="YH-SHF", pdu__name="Sheffield")
    officer = StaffMemberFactory.create(
        team=team, code="S09002", user__username="receiver", user__roles=[Role.OFFICER], name="Rita Receiver"
    )
    spo = StaffMemberFactory.create(
        team=team, code="S09003", grade=StaffMember.Grade.SPO, user__username="spo2", user__roles=[Role.SPO]
    )
    return {"officer": officer, "spo": spo}


@pytest.fixture
def sam(officer, spo, community_order, contact_types) -> Event:
    """Sam Example's order, sentenced 19 December 2025, with no appointment since: its initial appointment has
    been overdue since December, with Olivia Officer as RO throughout."""
    ledger.rebuild()
    return community_order


def _open(event: Event, state: str) -> set[int]:
    return set(
        Obligation.objects.filter(event=event, state=state, starts_on__lte=date(2026, 11, 26)).values_list(
            "pk", flat=True
        )
    )


def _rows(page: str) -> list[tuple[str, str]]:
    """The rows of the Standards list on a page (each with its CRN and event)."""
    if 'id="standards-items"' not in page:
        return []
    table = page.split('id="standards-items"', 1)[1].split("</table>", 1)[0]
    return re.findall(r'<span class="govuk-hint govuk-!-margin-bottom-0">(\w+), event (\w+)</span>', table)


def _counts(page: str) -> list[tuple[str, int]]:
    """Each count on a page that links to a Standards list: (the list's address, the number shown)."""
    found = []
    for href, text in STANDARDS_LINK.findall(page):
        number = re.search(r"\d+", re.sub(r"<span class=\"govuk-visually-hidden\">.*?</span>", "", text))
        assert number, f"a link to a Standards list without a count: {text}"
        found.append((html.unescape(href), int(number.group())))
    return found


def _each_count_equals_its_list(client: Client, address: str) -> list[tuple[str, int]]:
    """Follow every count on the page to its list, on the same pinned day: the number equals the list's rows."""
    counts = _counts(client.get(address).content.decode())
    assert counts, f"no counts on {address}"
    for href, number in counts:
        assert len(_rows(client.get(href).content.decode())) == number, f"{address}: {href} shows {number}"
    return counts


def _login(client: Client, staff: StaffMember) -> None:
    assert staff.user is not None
    client.force_login(staff.user)


def _standards(client: Client, user, query: str = "") -> list[str]:
    client.force_login(user)
    return [crn for crn, _event in _rows(client.get(f"/cases/standards/{query}").content.decode())]


def _my_cases_counts(client: Client, staff: StaffMember, crn: str) -> tuple[int, int]:
    _login(client, staff)
    page = client.get("/cases/").content.decode()
    overdue = re.search(rf"crn={crn}&amp;show=overdue\">.*?(\d+) overdue", page, re.S)
    due = re.search(rf"crn={crn}&amp;show=due\">.*?(\d+) due soon", page, re.S)
    return (int(overdue.group(1)) if overdue else 0, int(due.group(1)) if due else 0)


def _dashboard_counts(client: Client, spo: StaffMember, officer: StaffMember) -> tuple[int, int]:
    _login(client, spo)
    page = client.get("/team/").content.decode()
    links = dict(_counts(page))
    return (
        links[f"/cases/standards/?officer={officer.code}&show=overdue"],
        links[f"/cases/standards/?officer={officer.code}&show=due"],
    )


@pytest.mark.today(TODAY)
def test_an_overdue_item_follows_a_reallocation_to_the_new_officer(client: Client, sam, officer, spo, newcomer) -> None:
    overdue = _open(sam, "overdue")
    initial = Obligation.objects.get(event=sam, rule="initial_appointment")
    assert (initial.state, initial.officer_id) == ("overdue", officer.pk)
    assert _my_cases_counts(client, officer, "X123456") == (len(overdue), 1)
    assert _dashboard_counts(client, spo, officer) == (len(overdue), 1)
    assert _dashboard_counts(client, spo, newcomer) == (0, 0)
    figures = counting.officer_figures(officer.team, date(2025, 12, 1), date(2026, 1, 31))
    assert figures[officer.pk]["initial_contact_order"] == (0, 1)

    allocate(event=sam, staff=newcomer, user=spo.user, from_date=REALLOCATED_ON, reason_code="caseload_adjustment")

    assert overdue
    assert _open(sam, "overdue") == overdue  # nothing was met: the same items, still overdue
    assert _my_cases_counts(client, newcomer, "X123456") == (len(overdue), 1)
    assert _my_cases_counts(client, officer, "X123456") == (0, 0)  # and no longer on the old officer's list
    assert _standards(client, newcomer.user).count("X123456") == len(overdue) + 1
    assert _standards(client, newcomer.user, "?show=overdue").count("X123456") == len(overdue)
    assert "X123456" not in _standards(client, officer.user)
    assert _standards(client, spo.user).count("X123456") == len(overdue) + 1  # the team's list: still in the team
    assert _dashboard_counts(client, spo, newcomer) == (len(overdue), 1)
    assert _dashboard_counts(client, spo, officer) == (0, 0)
    client.force_login(newcomer.user)
    page = client.get("/cases/standards/?show=overdue").content.decode()
    assert "Nadia Newcomer" in page  # the officer who must act is named
    assert "Olivia Officer" not in page
    # Who is accountable does not move: the initial appointment fell overdue while Olivia Officer held the case
    initial.refresh_from_db()
    assert initial.officer_id == officer.pk
    assert counting.officer_figures(officer.team, date(2025, 12, 1), date(2026, 1, 31)) == figures


@pytest.mark.today(TODAY)
def test_reminders_flags_and_the_digest_go_to_the_current_officer(sam, officer, spo, newcomer) -> None:
    for staff, email in ((officer, "olivia@example.gov.uk"), (newcomer, "nadia@example.gov.uk")):
        staff.user.email = email
        staff.user.save(update_fields=["email"])
    Obligation.objects.filter(event=sam, due_on__gte=date(2026, 11, 1), state="overdue").update(state="pending")
    allocate(event=sam, staff=newcomer, user=spo.user, from_date=REALLOCATED_ON, reason_code="caseload_adjustment")
    Obligation.objects.filter(event=sam, state="overdue").update(state="pending")  # as if last swept before
    ledger.sweep(as_of=date(2026, 11, 26), flag_since=date(2025, 12, 1))
    ledger.remind(as_of=date(2026, 11, 26))

    flagged = Notification.objects.filter(obligation__event=sam)
    assert set(flagged.values_list("staff__code", flat=True)) == {"S09001"}
    assert flagged.filter(kind="overdue").count() == len(_open(sam, "overdue"))
    assert flagged.filter(kind="due_soon").get().obligation.due_on == date(2026, 11, 30)

    # A flag raised for the old officer before the reallocation is not emailed to them afterwards
    initial = Obligation.objects.get(event=sam, rule="initial_appointment")
    Notification.objects.create(staff=officer, obligation=initial, kind="overdue", created_on=date(2026, 11, 19))
    assert digest.send() == 1
    (message,) = mail.outbox
    assert message.to == ["nadia@example.gov.uk"]
    assert "X123456" in message.body
    assert Notification.objects.get(staff=officer).emailed_at is None


@pytest.mark.today(TODAY)
def test_an_overdue_item_follows_a_transfer_accepted_into_another_pdu(
    client: Client, sam, officer, spo, pdu_head, receiving
) -> None:
    overdue = _open(sam, "overdue")
    accountable_pdu = Obligation.objects.get(event=sam, rule="initial_appointment").pdu_id
    assert "X123456" in _standards(client, pdu_head.user)
    transfer = transfers.request(
        event=sam,
        user=officer.user,
        to_pdu=receiving["officer"].pdu,
        reason="Moved to Sheffield",
        on=TRANSFER_REQUESTED_ON,
    )
    transfers.accept(
        transfer=transfer,
        user=receiving["spo"].user,
        by=receiving["spo"],
        officer=receiving["officer"],
        on=TRANSFER_ACCEPTED_ON,
    )

    assert overdue
    assert _open(sam, "overdue") >= overdue
    now_overdue = len(_open(sam, "overdue"))
    assert _my_cases_counts(client, receiving["officer"], "X123456") == (now_overdue, 1)
    assert _standards(client, receiving["officer"].user, "?show=overdue").count("X123456") == now_overdue
    assert _standards(client, receiving["spo"].user, "?show=overdue").count("X123456") == now_overdue
    assert _dashboard_counts(client, receiving["spo"], receiving["officer"]) == (now_overdue, 1)
    assert _my_cases_counts(client, officer, "X123456") == (0, 0)
    assert "X123456" not in _standards(client, officer.user)
    assert "X123456" not in _standards(client, spo.user)
    assert "X123456" not in _standards(client, pdu_head.user)  # the old PDU's list: no longer theirs to act on
    # Accountable for the initial appointment: the PDU that held the order when it fell overdue
    assert Obligation.objects.get(event=sam, rule="initial_appointment").pdu_id == accountable_pdu


@pytest.mark.today(TODAY)
def test_an_unallocated_cases_items_are_the_pdus_spos_to_act_on(client: Client, sam, spo, officer) -> None:
    waiting = EventFactory.create(person__pdu=officer.pdu, person__crn="U000001", sentence_date=date(2026, 11, 2))
    ledger.refresh_events([waiting.pk])
    allocation = Obligation.objects.get(event=waiting, rule="ro_allocation")
    assert allocation.state == "overdue"
    assert allocation.officer_id is None

    _login(client, spo)
    page = client.get("/team/").content.decode()
    links = dict(_counts(page))
    overdue = len(_open(waiting, "overdue"))
    assert links["/cases/standards/?unallocated=1&show=overdue"] == overdue
    listed = _standards(client, spo.user, "?unallocated=1&show=overdue")
    assert listed == ["U000001"] * overdue
    assert "X123456" not in listed  # an allocated case's items are its officer's
    assert "U000001" not in _standards(client, officer.user)


# Every count equals the list it links to, on the same request day ------------------------------------------


@pytest.fixture
def busy(sam, officer, colleague, newcomer, spo) -> None:
    """Three cases and an unallocated one in the PDU, with items overdue and due soon."""
    from tests.factories import case_for

    for n, staff in enumerate([officer, colleague, newcomer]):
        case_for(staff, crn=f"B{n:06d}")
    EventFactory.create(person__pdu=officer.pdu, person__crn="U000002", sentence_date=date(2026, 11, 2))
    ledger.rebuild()


def _every_count(client: Client, spo: StaffMember, officers: list[StaffMember]) -> None:
    _login(client, spo)
    counted = _each_count_equals_its_list(client, "/team/")
    assert any("unallocated=1" in href for href, _ in counted)
    for staff in officers:
        _login(client, spo)
        _each_count_equals_its_list(client, f"/officers/{staff.code}/workload/")
        _login(client, staff)
        if _counts(client.get("/cases/").content.decode()):  # an officer whose cases are all up to date has none
            _each_count_equals_its_list(client, "/cases/")


@pytest.mark.today(TODAY)
def test_every_count_equals_its_list(client: Client, busy, officer, colleague, newcomer, spo) -> None:
    _every_count(client, spo, [officer, colleague, newcomer])


@pytest.mark.today(TODAY)
def test_every_count_equals_its_list_after_a_reallocation(
    client: Client, busy, sam, officer, colleague, newcomer, spo
) -> None:
    allocate(event=sam, staff=newcomer, user=spo.user, from_date=REALLOCATED_ON, reason_code="caseload_adjustment")
    client.force_login(newcomer.user)
    assert _counts(client.get("/cases/").content.decode())  # Sam's items now count on the newcomer's My cases
    _every_count(client, spo, [officer, colleague, newcomer])


@pytest.mark.today(TODAY)
def test_every_count_equals_its_list_after_a_transfer_between_pdus(
    client: Client, busy, sam, officer, colleague, newcomer, spo, receiving
) -> None:
    transfer = transfers.request(
        event=sam,
        user=officer.user,
        to_pdu=receiving["officer"].pdu,
        reason="Moved to Sheffield",
        on=TRANSFER_REQUESTED_ON,
    )
    transfers.accept(
        transfer=transfer,
        user=receiving["spo"].user,
        by=receiving["spo"],
        officer=receiving["officer"],
        on=TRANSFER_ACCEPTED_ON,
    )
    _every_count(client, spo, [officer, colleague, newcomer])
    client.force_login(receiving["officer"].user)
    counted = _each_count_equals_its_list(client, "/cases/")
    assert any("crn=X123456" in href for href, _ in counted)
    _every_count(client, receiving["spo"], [receiving["officer"]])
