"""A change that writes only contacts at which the person was seen (an office visit logged, its outcome recorded,
its time corrected) derives only the clocks of seeing the person, from the month of its earliest day, reading the
contacts from then and the first seen in person before (ledger.refresh_seen): the cost of logging a visit does not
grow with the sentence's history. Each change here is also checked by the suite against the derivation of the
whole history (settings.CASE_CHANGE_CHECK_SCOPE: the event's ledger after it is what `standards_rebuild --check`
derives), and so is every such change in every other test."""

from datetime import date, datetime

import pytest
from django.utils import timezone

from cases.contacts import services as contacts
from cases.models import Contact, Event, Obligation, Outcome, RuleSetting
from cases.standards import ledger
from tests.factories import AllocationFactory, StaffMemberFactory, case_for

pytestmark = pytest.mark.today("2026-11-25")  # a Wednesday in November 2026


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour, minute))


@pytest.fixture
def refreshes(monkeypatch) -> dict[str, list[date | None]]:
    """How each change derived its event: in full ("full"), or from a window ("seen": the day it was from)."""
    called: dict[str, list[date | None]] = {"full": [], "seen": []}
    full, seen = ledger.refresh_person, ledger.refresh_seen

    def full_spy(person, event_id=None):
        called["full"].append(None)
        return full(person, event_id)

    def seen_spy(person_id, event_id, since):
        called["seen"].append(since)
        return seen(person_id, event_id, since)

    monkeypatch.setattr(ledger, "refresh_person", full_spy)
    monkeypatch.setattr(ledger, "refresh_seen", seen_spy)
    return called


Counted = tuple[date, list[tuple[int | None, int, int, date, date]], tuple[int, int]]


@pytest.fixture
def counting(monkeypatch) -> list[Counted]:
    """Each count of the contacts before a window (ledger.counted_before): the window's month, the contacts counted
    by member of staff and span, and the counts kept before them."""
    calls: list[Counted] = []
    counted_before = ledger.counted_before

    def spy(item, begins, seen, since):
        calls.append((begins, list(seen), since))
        return counted_before(item, begins, seen, since)

    monkeypatch.setattr(ledger, "counted_before", spy)
    return calls


@pytest.fixture
def order(officer, community_order: Event, contact_types) -> Event:
    """The community order (sentenced 19 December 2025) with its ledger derived, and a call on 2 January."""
    ledger.refresh_person(community_order.person_id)
    log(officer, community_order, contact_types["telephone"], at(date(2026, 1, 2)))
    return community_order


def log(officer, event: Event, kind, starts_at: datetime, outcome: str = Outcome.ATTENDED, staff=None) -> Contact:
    return contacts.log_contact(
        event=event, user=officer.user, type=kind, starts_at=starts_at, staff=staff or officer, outcome=outcome
    )


def row(event: Event, rule: str, starts_on: date | None = None) -> Obligation:
    rows = Obligation.objects.filter(event=event, rule=rule)
    return rows.get(starts_on=starts_on) if starts_on else rows.get()


def test_an_office_visit_this_month_derives_from_this_month(officer, order, contact_types, refreshes) -> None:
    log(officer, order, contact_types["office_visit"], at(date(2025, 12, 22)))  # the initial appointment
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 24)))
    assert refreshes == {"full": [], "seen": [date(2025, 12, 22), date(2026, 11, 24)]}
    assert row(order, "initial_appointment").met_on == date(2025, 12, 22)
    assert row(order, "monthly_contact", date(2026, 11, 1)).met_on == date(2026, 11, 24)
    assert row(order, "monthly_contact", date(2026, 10, 1)).state == Obligation.State.MISSED


def test_a_visit_back_dated_to_an_earlier_month_meets_that_month(officer, order, contact_types, refreshes) -> None:
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 24)))  # the first seen: initial, met late
    assert row(order, "initial_appointment").met_on == date(2026, 11, 24)
    log(officer, order, contact_types["office_visit"], at(date(2026, 3, 31), 17))  # the last day of March
    assert refreshes["full"] == []
    assert row(order, "initial_appointment").met_on == date(2026, 3, 31)  # earlier than the window's visit
    assert row(order, "monthly_contact", date(2026, 3, 1)).met_on == date(2026, 3, 31)
    assert row(order, "monthly_contact", date(2026, 4, 1)).state == Obligation.State.MISSED


def test_a_visit_after_an_earlier_first_leaves_the_initial_appointment(officer, order, contact_types) -> None:
    first = log(officer, order, contact_types["office_visit"], at(date(2026, 2, 3)))
    first.recorded_at = at(date(2026, 2, 10))  # recorded 5 working days late
    Contact.objects.filter(pk=first.pk).update(recorded_at=first.recorded_at)
    ledger.refresh_person(order.person_id)
    assert row(order, "initial_appointment").met_recording_lag == 5
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 24)))
    initial = row(order, "initial_appointment")
    assert (initial.met_on, initial.met_recording_lag) == (date(2026, 2, 3), 5)  # as stored: read before the window


@pytest.mark.parametrize("kept", [True, False])
@pytest.mark.parametrize("share", [50, 34])
def test_a_video_in_the_window_counts_those_before_it(officer, order, contact_types, refreshes, share, kept) -> None:
    """The share of video calls is counted from the start of the sentence, not from the window: after an office
    visit in September, November's video is one of two (50%): counted within a share of 50%, not of 34%."""
    RuleSetting.objects.create(rule="monthly_contact.video_share", period=share)
    ledger.refresh_person(order.person_id)
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    if not kept:
        Obligation.objects.update(seen_in_person_before=None, seen_by_video_before=None)
    refreshes["full"].clear()
    log(officer, order, contact_types["video"], at(date(2026, 11, 3)))
    assert refreshes == {"full": [], "seen": [date(2026, 9, 8), date(2026, 11, 3)]}
    november = row(order, "monthly_contact", date(2026, 11, 1))
    assert november.met_on == (date(2026, 11, 3) if share == 50 else None)
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 4)))
    november.refresh_from_db()
    assert november.met_on == (date(2026, 11, 3) if share == 50 else date(2026, 11, 4))


def test_a_visit_with_another_officer_meets_no_months_contact(officer, order, contact_types, team) -> None:
    other = StaffMemberFactory.create(team=team)
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 2)), staff=other)
    assert row(order, "monthly_contact", date(2026, 11, 1)).met_on is None
    assert row(order, "initial_appointment").met_on == date(2026, 11, 2)  # but the person was seen


def test_a_visit_in_the_first_minutes_of_a_month_in_england(officer, order, contact_types) -> None:
    """00:30 on 1 October in England is 23:30 on 30 September in UTC: October's, and the window from October."""
    log(officer, order, contact_types["office_visit"], at(date(2026, 10, 1), 0, 30))
    assert row(order, "monthly_contact", date(2026, 10, 1)).met_on == date(2026, 10, 1)
    assert row(order, "monthly_contact", date(2026, 9, 1)).met_on is None


def test_a_visit_moved_to_another_month_derives_both(officer, order, contact_types, refreshes) -> None:
    visit = log(officer, order, contact_types["office_visit"], at(date(2026, 10, 14)))
    contacts.amend(contact=visit, user=officer.user, reason="Wrong month", starts_at=at(date(2026, 11, 4)))
    assert refreshes["seen"][-1] == date(2026, 10, 14)
    assert row(order, "monthly_contact", date(2026, 10, 1)).met_on is None
    assert row(order, "monthly_contact", date(2026, 11, 1)).met_on == date(2026, 11, 4)
    assert row(order, "initial_appointment").met_on == date(2026, 11, 4)
    contacts.mark_entered_in_error(contact=visit, user=officer.user, reason="Not seen after all")
    assert refreshes["full"] == []
    assert row(order, "monthly_contact", date(2026, 11, 1)).met_on is None
    assert row(order, "initial_appointment").met_on is None


def test_an_outcome_recorded_at_a_booked_visit(officer, order, contact_types, refreshes) -> None:
    booked = contacts.book(
        event=order, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 23)),
        staff=officer,
    )[0]  # fmt: skip
    contacts.record_outcome(contact=booked, user=officer.user, outcome=Outcome.SENT_HOME_SERVICE)
    assert refreshes == {"full": [], "seen": [date(2026, 11, 23)]}
    assert row(order, "monthly_contact", date(2026, 11, 1)).met_on == date(2026, 11, 23)


@pytest.mark.parametrize(
    ("outcome", "full"),
    [(Outcome.FAILED_TO_COMPLY, True), (Outcome.ACCEPTABLE_ABSENCE, True), (Outcome.ATTENDED, False)],
)
def test_a_failure_or_an_absence_derives_the_whole_event(
    officer, order, contact_types, refreshes, outcome: str, full: bool
) -> None:
    booked = contacts.book(
        event=order, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 23)),
        staff=officer,
    )[0]  # fmt: skip
    contacts.record_outcome(contact=booked, user=officer.user, outcome=outcome, absence_reason="illness")
    assert bool(refreshes["full"]) is full
    assert Obligation.objects.filter(event=order, rule="enforcement_decision").exists() is (
        outcome == Outcome.FAILED_TO_COMPLY
    )


def test_a_home_visit_derives_the_whole_event(officer, order, contact_types, refreshes) -> None:
    log(officer, order, contact_types["home_visit"], at(date(2026, 11, 23)))
    assert len(refreshes["full"]) == 1


def test_a_licence_first_seen_after_release(officer, order, contact_types, refreshes) -> None:
    """On licence supervision starts at release: a visit in custody before it is not the initial appointment."""
    licence = Event.objects.create(
        person=order.person, ref="2", type=Event.Type.LICENCE, pdu=order.pdu, sentence_date=date(2025, 6, 2),
        length_months=24, release_date=date(2026, 9, 14),
    )  # fmt: skip
    AllocationFactory.create(event=licence, staff=officer, from_date=date(2026, 9, 1))
    Contact.objects.create(
        event=licence,
        type=contact_types["office_visit"],
        starts_at=at(date(2026, 9, 10)),
        staff=officer,
        outcome=Outcome.ATTENDED,
        recorded_at=at(date(2026, 9, 10)),
    )  # fmt: skip - a visit in custody, before release (imported: the pages take none before release)
    ledger.refresh_person(order.person_id)
    log(officer, licence, contact_types["office_visit"], at(date(2026, 9, 15)))
    log(officer, licence, contact_types["office_visit"], at(date(2026, 11, 24)))
    assert refreshes["seen"][-2:] == [date(2026, 9, 15), date(2026, 11, 24)]
    assert row(licence, "initial_appointment").met_on == date(2026, 9, 15)


def test_an_ended_sentence_derives_in_full(officer, order, contact_types, refreshes) -> None:
    visit = log(officer, order, contact_types["office_visit"], at(date(2026, 10, 14)))
    Event.objects.filter(pk=order.pk).update(terminated_on=date(2026, 11, 20), termination_reason="completed")
    ledger.refresh_person(order.person_id)
    refreshes["full"].clear()
    contacts.amend(contact=visit, user=officer.user, reason="Wrong day", starts_at=at(date(2026, 10, 15)))
    assert refreshes["seen"][-1] == date(2026, 10, 14)
    assert len(refreshes["full"]) == 1
    assert row(order, "monthly_contact", date(2026, 10, 1)).met_on == date(2026, 10, 15)


@pytest.mark.parametrize("kept", [True, False])  # the counts before November kept with it, or counted from contacts
@pytest.mark.parametrize("after_the_move", [False, True])
def test_a_video_after_a_reallocation_counts_only_those_with_the_ro(
    officer, order, contact_types, refreshes, team, after_the_move: bool, kept: bool
) -> None:
    """The RO moved from the officer to a colleague on 16 October. The officer's video on 14 October (or, seen
    after the move, on 20 October: no longer the RO's) and the colleague's on 3 November: with an office visit on
    8 September, November's video is counted within a share of 50% only if the second video was not the RO's. The
    contacts before the window are counted in spans of days with one RO, so the officer's days on either side of
    the move are counted apart, from the window."""
    colleague = StaffMemberFactory.create(team=team)
    order.allocations.update(to_date=date(2026, 10, 15))
    AllocationFactory.create(event=order, staff=colleague, from_date=date(2026, 10, 16))
    ledger.refresh_person(order.person_id)
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    log(officer, order, contact_types["video"], at(date(2026, 10, 20 if after_the_move else 14)))
    if not kept:
        Obligation.objects.update(seen_in_person_before=None, seen_by_video_before=None)
    refreshes["full"].clear()
    log(officer, order, contact_types["video"], at(date(2026, 11, 3)), staff=colleague)
    assert refreshes["full"] == []
    november = row(order, "monthly_contact", date(2026, 11, 1))
    assert november.met_on == (date(2026, 11, 3) if after_the_move else None)


@pytest.mark.parametrize("kept", [True, False])
@pytest.mark.parametrize(("moment", "counted"), [((15, 23, 30), True), ((16, 0, 30), False)])
def test_a_video_in_the_minutes_around_midnight_of_a_reallocation_is_counted_by_its_day_in_england(
    officer, order, contact_types, refreshes, team, moment: tuple[int, int, int], counted: bool, kept: bool
) -> None:
    """The RO moved from the officer to a colleague on 16 October (British Summer Time: midnight in England is
    23:00 the day before in UTC). The officer's video at 23:30 on the 15th was with the RO; at 00:30 on the 16th
    (23:30 on the 15th in UTC) it was not. With an office visit on 8 September, November's video with the colleague
    is counted within a share of 50% only if the officer's was not the RO's; the window counts those before it by
    the spans of days in England, without deriving the whole history."""
    colleague = StaffMemberFactory.create(team=team)
    order.allocations.update(to_date=date(2026, 10, 15))
    AllocationFactory.create(event=order, staff=colleague, from_date=date(2026, 10, 16))
    ledger.refresh_person(order.person_id)
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    day, hour, minute = moment
    log(officer, order, contact_types["video"], at(date(2026, 10, day), hour, minute))
    if not kept:
        Obligation.objects.update(seen_in_person_before=None, seen_by_video_before=None)
    refreshes["full"].clear()
    log(officer, order, contact_types["video"], at(date(2026, 11, 3)), staff=colleague)
    assert refreshes["full"] == []  # the counts before the window, by span, were enough: no derivation in full
    november = row(order, "monthly_contact", date(2026, 11, 1))
    assert november.met_on == (None if counted else date(2026, 11, 3))


def kept_counts(event: Event) -> dict[date, tuple[int | None, int | None]]:
    rows = Obligation.objects.filter(event=event, rule="monthly_contact").order_by("starts_on")
    return {r.starts_on: (r.seen_in_person_before, r.seen_by_video_before) for r in rows}


def test_each_months_contact_keeps_the_contacts_seen_with_the_ro_before_it(officer, order, contact_types, team) -> None:
    """From the sentence's start (19 December 2025): a visit on 8 September, a video on 14 October, a visit with
    another officer on 20 October (not the RO's: not counted), a telephone call (never counted) and a visit on 3
    November (counted from December's)."""
    colleague = StaffMemberFactory.create(team=team)
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    log(officer, order, contact_types["video"], at(date(2026, 10, 14)))
    log(officer, order, contact_types["office_visit"], at(date(2026, 10, 20)), staff=colleague)
    log(officer, order, contact_types["telephone"], at(date(2026, 10, 21)))
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 3)))
    counts = kept_counts(order)
    assert counts[date(2026, 9, 1)] == (0, 0)
    assert counts[date(2026, 10, 1)] == (1, 0)
    assert counts[date(2026, 11, 1)] == (1, 1)
    assert set(counts.values()) == {(0, 0), (1, 0), (1, 1)}


@pytest.mark.parametrize("kept", [True, False])
def test_a_video_in_the_window_reads_the_months_kept_counts_or_else_counts_the_contacts(
    officer, order, contact_types, refreshes, counting, kept: bool
) -> None:
    """November's video after a visit in September and a video in October (two of three: 67%, within a share of
    70%). The counts before November are those its obligation keeps; where it keeps none (a month the monthly job
    opened, or a row stored before they were kept), they are counted from the contacts, and kept from then on."""
    RuleSetting.objects.create(rule="monthly_contact.video_share", period=70)
    ledger.refresh_person(order.person_id)
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    log(officer, order, contact_types["video"], at(date(2026, 10, 14)))
    if not kept:
        Obligation.objects.update(seen_in_person_before=None, seen_by_video_before=None)
    refreshes["full"].clear()
    counting.clear()
    log(officer, order, contact_types["video"], at(date(2026, 11, 3)))
    assert refreshes["full"] == []
    assert [begins for begins, _, _ in counting] == ([] if kept else [date(2026, 11, 1)])
    assert row(order, "monthly_contact", date(2026, 11, 1)).met_on == date(2026, 11, 3)
    assert kept_counts(order)[date(2026, 11, 1)] == (1, 1)


def test_counts_not_kept_are_no_difference_but_wrong_counts_are_repaired(officer, order, contact_types) -> None:
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    november = row(order, "monthly_contact", date(2026, 11, 1))
    Obligation.objects.filter(pk=november.pk).update(seen_in_person_before=None, seen_by_video_before=None)
    assert ledger.rebuild(check=True, event_ids=[order.pk]) == []
    Obligation.objects.filter(pk=november.pk).update(seen_in_person_before=3, seen_by_video_before=0)
    differences = ledger.rebuild(event_ids=[order.pk])
    assert [d.key for d in differences] == [(order.pk, "monthly_contact", date(2026, 11, 1), "")]
    assert kept_counts(order)[date(2026, 11, 1)] == (1, 0)


def test_counts_not_kept_with_the_month_are_counted_from_the_latest_month_that_keeps_them(
    officer, order, contact_types, counting
) -> None:
    """October and November opened without counts (as the monthly job opens a month): an office visit logged in
    November counts only the contacts from September, the latest month that keeps its counts, and November keeps
    its counts from then on, though no video call needed them."""
    log(officer, order, contact_types["office_visit"], at(date(2026, 8, 10)))
    log(officer, order, contact_types["office_visit"], at(date(2026, 9, 8)))
    log(officer, order, contact_types["video"], at(date(2026, 10, 14)))
    Obligation.objects.filter(starts_on__gte=date(2026, 10, 1)).update(
        seen_in_person_before=None, seen_by_video_before=None
    )
    counting.clear()
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 4)))
    [(_, seen, since)] = counting
    assert since == (1, 0)  # September's: August's visit
    assert [(persons, videos, first) for _, persons, videos, first, _ in seen] == [(1, 1, date(2026, 9, 8))]
    assert kept_counts(order)[date(2026, 11, 1)] == (2, 1)
    log(officer, order, contact_types["office_visit"], at(date(2026, 11, 5)))
    assert len(counting) == 1  # November's kept counts read


@pytest.mark.parametrize("kind", [Event.Type.PSS, Event.Type.LICENCE])
def test_a_video_on_a_sentence_with_no_months_contact_counts_nothing_before_it(
    officer, contact_types, refreshes, counting, kind: str
) -> None:
    """Post-sentence supervision has no month's face-to-face contact to meet: a video call in the window needs no
    count of the contacts before it. A licence released on 1 June does."""
    event = case_for(officer, crn="P000001")
    event.type, event.release_date = kind, date(2026, 6, 1)
    event.save()
    ledger.refresh_person(event.person_id)
    log(officer, event, contact_types["office_visit"], at(date(2026, 9, 8)))
    Obligation.objects.update(seen_in_person_before=None, seen_by_video_before=None)
    refreshes["full"].clear()
    counting.clear()
    log(officer, event, contact_types["video"], at(date(2026, 11, 3)))
    assert refreshes["full"] == []
    assert [begins for begins, _, _ in counting] == ([] if kind == Event.Type.PSS else [date(2026, 11, 1)])
