"""One source for each rule's parameters (issue 17): an administrator changes a parameter in admin, the ledger
is rebuilt as the admin's save asks, and every page and list that shows the rule agrees with the ledger.

Dates are written out: the clock is pinned (25 November 2026, a Wednesday, unless a test says otherwise), and
no expected date is computed with the code under test. 2026's bank holidays after the summer: 31 August,
25 and 28 December."""

from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.admin import queue_rebuild
from cases.allocation import services as allocation
from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import (
    CalendarDay,
    ContactType,
    Event,
    Notification,
    Objective,
    Obligation,
    OversightTask,
    Requirement,
)
from cases.plans import services as plans
from cases.record import services as record
from cases.standards import calendar, ledger
from cases.tasks import standards_rebuild
from cases.transfers import services as transfers
from interventions.upw import services as upw
from regions.dashboard import selectors as dashboard
from regions.performance import counting
from regions.performance.measures import MEASURES
from tests.factories import PDUFactory, PersonFactory, RegistrationFactory

TODAY = date(2026, 11, 25)
pytestmark = pytest.mark.today("2026-11-25")  # every test's facts are written for this day, whatever day the run is


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def admin(administrator) -> Client:
    administrator.user.is_superuser = True  # as the demo's administrator is
    administrator.user.save()
    client = Client()
    client.force_login(administrator.user)
    return client


@pytest.fixture
def change(admin: Client, django_capture_on_commit_callbacks):
    """Change a parameter as an administrator does: the admin's form, then the rebuild its save queues, run as
    the worker runs it; afterwards `standards_rebuild --check` finds nothing to repair."""

    def changing(name: str, value: int) -> None:
        with django_capture_on_commit_callbacks() as queued:
            response = admin.post("/admin/cases/rulesetting/add/", {"rule": name, "period": str(value), "option": ""})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert queue_rebuild in queued
        standards_rebuild.apply()
        call_command("standards_rebuild", "--check", stdout=StringIO())

    return changing


@pytest.fixture
def officers_view(client: Client, officer) -> Client:
    client.force_login(officer.user)
    return client


def sentence(officer, day: date, type: str = "community_order", allocate: bool = True, **fields: Any) -> Event:
    person = PersonFactory.create(pdu=officer.pdu)
    if type == "licence":
        fields.setdefault("release_date", day)
        day = date(2025, 1, 6)
    if type != "licence":
        fields.setdefault("requirements", [{"type": "curfew"}])  # an order has at least one requirement
    event = record.event_record(
        person=person, user=officer.user, type=type, sentence_date=day, length_months=24, **fields
    )
    if allocate:
        start = fields.get("release_date") or day
        allocation.allocate(event=event, staff=officer, user=officer.user, from_date=start, reason="New case")
    return event


def appointment(officer, event: Event, day: date, code: str, outcome: str, **fields: Any):
    contact = contacts.book(
        event=event, user=officer.user, type=ContactType.objects.get(code=code), starts_at=at(day), staff=officer
    )[0]
    return contacts.record_outcome(contact=contact, user=officer.user, outcome=outcome, **fields)


def due(event: Event, rule: str, subject: str = "") -> date:
    rows = Obligation.objects.filter(event=event, rule=rule)
    if subject:
        rows = rows.filter(subject=subject)
    return rows.order_by("-starts_on").first().due_on  # type: ignore[union-attr]


def missed(client: Client, event: Event) -> str:
    """The case page's history of missed National Standards items."""
    page = client.get(f"/cases/{event.person.crn}/").content.decode()
    start = page.find('id="missed-standards"')
    return page[start : page.index("</details>", start)] if start >= 0 else ""


def clocks(client: Client, event: Event) -> str:
    """The case page's table of the National Standards clocks running."""
    page = client.get(f"/cases/{event.person.crn}/").content.decode()
    start = page.index('id="national-standards"')
    return page[start : page.index("</table>", start)]


# The rules whose pages show the ledger's own rows: the case page's clocks -------------------------------------


@pytest.mark.parametrize(
    ("name", "value", "scenario", "rule", "before", "after"),
    [
        # sentenced Monday 23 November, nobody allocated: 5 business days, then 3
        ("ro_allocation", 3, "unallocated", "ro_allocation", date(2026, 11, 30), date(2026, 11, 26)),
        ("initial_appointment", 2, "order", "initial_appointment", date(2026, 11, 30), date(2026, 11, 25)),
        # released on licence Monday 23 November: 1 business day, then 3
        ("initial_appointment.licence", 3, "licence", "initial_appointment", date(2026, 11, 24), date(2026, 11, 26)),
        # 15 business days, then 10: 24-27, 30 November, 1-4 December, 7 December
        ("initial_sentence_plan", 10, "order", "initial_sentence_plan", date(2026, 12, 14), date(2026, 12, 7)),
        # an unacceptable absence on Monday 23 November: 2 business days, then 4
        ("enforcement_decision", 4, "failure", "enforcement_decision", date(2026, 11, 25), date(2026, 11, 27)),
    ],
)
def test_a_rule_period_changed_in_admin_moves_the_ledger_and_the_case_page(
    change, officers_view: Client, officer, contact_types, name, value, scenario, rule, before, after
) -> None:
    day = date(2026, 11, 23)
    event = sentence(officer, day, type="licence" if scenario == "licence" else "community_order",
                     allocate=scenario != "unallocated")  # fmt: skip
    if scenario == "failure":
        appointment(officer, event, day, "office_visit", "unacceptable_absence")
    assert due(event, rule) == before
    assert f"{before:%-d %b %Y}" in clocks(officers_view, event)
    change(name, value)
    assert due(event, rule) == after
    assert f"{after:%-d %b %Y}" in clocks(officers_view, event)


# Evidence for an absence ----------------------------------------------------------------------------------------


def test_evidence_days_move_the_contact_page_and_the_ledger_together(
    change, officers_view: Client, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 11, 2))
    first = appointment(officer, event, date(2026, 11, 23), "office_visit", "awaiting_evidence")
    change("absence_evidence", 3)
    second = appointment(officer, event, date(2026, 11, 24), "office_visit", "awaiting_evidence")
    # Both recorded today, Wednesday 25 November, each counted from its appointment: 5 business days from Monday
    # 23 November (to Monday 30 November) before the change, 3 from Tuesday 24 (to Friday 27) after it. The
    # deadline the person was given stands for the first.
    expected = {first: date(2026, 11, 30), second: date(2026, 11, 27)}
    for contact, deadline in expected.items():
        assert due(event, "absence_evidence", f"contact:{contact.pk}") == deadline
        page = officers_view.get(f"/cases/{event.person.crn}/contacts/{contact.pk}/").content.decode()
        assert f"(evidence due {deadline:%-d %B %Y})" in page


# Transfers ------------------------------------------------------------------------------------------------------


def test_transfer_days_move_the_dashboards_late_transfers_and_the_ledger_together(
    change, client: Client, officer, spo, contact_types
) -> None:
    event = sentence(officer, date(2026, 10, 1))
    durham = PDUFactory.create(code="NE-DUR", name="County Durham", region=officer.pdu.region)
    transfer = transfers.request(event=event, user=officer.user, to_pdu=durham, reason="Moving", on=date(2026, 11, 2))
    client.force_login(spo.user)
    # requested Monday 2 November: 20 business days is Monday 30 November, not yet late
    assert (due(event, "transfer"), dashboard.late_transfers(officer.pdu_id, TODAY)) == (date(2026, 11, 30), [])
    assert "Transfers past" not in client.get("/team/").content.decode()
    change("transfer", 10)
    # 10 business days is Monday 16 November: late today, on the ledger, the dashboard and the transfers page
    row = Obligation.objects.get(event=event, rule="transfer")
    assert (row.due_on, row.state) == (date(2026, 11, 16), "overdue")
    assert dashboard.late_transfers(officer.pdu_id, TODAY) == [transfer]
    assert "awaiting your oversight: transfers past 10 working days" in client.get("/team/").content.decode()
    assert "within 10 business days of the request" in client.get("/cases/transfers/").content.decode()


# Sentence plan review -------------------------------------------------------------------------------------------


def test_plan_review_months_move_the_plan_page_and_the_ledger_together(
    change, officers_view: Client, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 1, 5))
    plan = plans.plan_for(event, officer.user)
    fields = {"area": "accommodation", "description": "Find settled housing", "steps": "Housing options"}
    plans.objective_save(plan=plan, user=officer.user, expected_version=1, objective=None, fields=fields)
    Objective.objects.update(created_at=at(date(2026, 2, 2)))  # written the day it was completed
    plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 2, 2))
    url = f"/cases/{event.person.crn}/events/{event.ref}/plan/"
    assert due(event, "sentence_plan_review") == date(2026, 8, 2)  # six months after 2 February
    assert "Next review due by 2 August 2026" in officers_view.get(url).content.decode()
    change("sentence_plan_review", 3)
    assert due(event, "sentence_plan_review") == date(2026, 5, 2)
    assert "Next review due by 2 May 2026" in officers_view.get(url).content.decode()


# Unpaid Work ----------------------------------------------------------------------------------------------------


def test_unpaid_work_periods_and_limits_move_the_upw_page_the_service_and_the_ledger_together(
    change, officers_view: Client, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 6, 15), requirements=[{"type": Requirement.Type.UNPAID_WORK, "hours": 100}])
    requirement = event.requirements.get()
    subject, url = f"requirement:{requirement.pk}", f"/interventions/{event.person.crn}/unpaid-work/{requirement.pk}/"
    defaults = [date(2026, 7, 15), date(2026, 12, 15), date(2027, 6, 15)]
    assert [due(event, rule, subject) for rule in ("upw_first_session", "upw_review", "upw_completion")] == defaults
    page = officers_view.get(url).content.decode()
    assert "15 June 2027 (12 months from sentence)" in page
    assert "of at most 20 hours (20%)" in page
    for name, value in [
        ("upw_first_session", 2),
        ("upw_review", 4),
        ("upw_completion", 9),
        ("upw_completion.ete_share", 10),
        ("upw_completion.weekly_hours", 20),
    ]:
        change(name, value)
    changed = [date(2026, 8, 15), date(2026, 10, 15), date(2027, 3, 15)]
    assert [due(event, rule, subject) for rule in ("upw_first_session", "upw_review", "upw_completion")] == changed
    page = officers_view.get(url).content.decode()
    assert "Due by 15 August 2026" in page  # the first session
    assert "Due by 15 October 2026 if the hours are not done" in page
    assert "15 March 2027 (9 months from sentence)" in page
    assert "of at most 10 hours (10%)" in page
    assert "at most 10% of the hours ordered" in page  # the form's hint
    with pytest.raises(ValidationError, match="at most 10% of the 100 hours ordered"):
        upw.log_session(
            requirement=requirement, user=officer.user, day=date(2026, 11, 23), status="attended",
            work_hours=Decimal("2"), ete_hours=Decimal("11"),
        )  # fmt: skip
    with pytest.raises(ValidationError, match="at most 20"):
        upw.log_session(
            requirement=requirement, user=officer.user, day=date(2026, 11, 23), status="attended",
            work_hours=Decimal("21"),
        )  # fmt: skip


# The pre-release handover -------------------------------------------------------------------------------------


def test_handover_periods_move_the_case_page_and_the_ledger_together(
    change, officers_view: Client, officer, contact_types
) -> None:
    person = PersonFactory.create(pdu=officer.pdu)
    event = record.event_record(
        person=person,
        user=officer.user,
        type="custody",
        sentence_date=date(2025, 6, 1),
        custody={"expected_release_date": date(2027, 9, 30), "parole": False},
    )
    row = Obligation.objects.get(event=event, rule="pre_release_handover")
    # the COM 8 months and 15 days before release on 30 September 2027; the meeting within 28 days of that
    assert (row.starts_on, row.due_on) == (date(2027, 1, 15), date(2027, 2, 12))
    assert "Due by 15 January 2027" in officers_view.get(f"/cases/{person.crn}/").content.decode()
    change("pre_release_handover.standard", 6)
    row = Obligation.objects.get(event=event, rule="pre_release_handover")
    assert (row.starts_on, row.due_on) == (date(2027, 3, 15), date(2027, 4, 12))
    assert "Due by 15 March 2027" in officers_view.get(f"/cases/{person.crn}/").content.decode()

    allocation.allocate(event=event, staff=officer, user=officer.user, from_date=date(2026, 11, 2), reason="COM")
    # the meeting: 28 days after the COM's allocation on 2 November
    assert "Due by 30 November 2026" in officers_view.get(f"/cases/{person.crn}/").content.decode()
    change("pre_release_handover", 14)
    row = Obligation.objects.get(event=event, rule="pre_release_handover")
    assert (row.starts_on, row.due_on) == (date(2027, 3, 15), date(2027, 3, 29))
    assert "Due by 16 November 2026" in officers_view.get(f"/cases/{person.crn}/").content.decode()


# Home visits ----------------------------------------------------------------------------------------------------


def test_home_visit_repeat_months_move_the_case_page_and_the_ledger_together(
    change, officers_view: Client, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 6, 1))
    RegistrationFactory.create(person=event.person, from_date=date(2026, 6, 1), review_due=date(2026, 12, 1))
    appointment(officer, event, date(2026, 6, 8), "home_visit", "attended")
    assert due(event, "home_visit") == date(2026, 9, 8)  # three months after the visit on 8 June
    assert "8 Sep 2026" in clocks(officers_view, event)
    change("home_visit.repeat", 2)
    assert due(event, "home_visit") == date(2026, 8, 8)
    assert "8 Aug 2026" in clocks(officers_view, event)


# Face to face: a contact type's flag, in admin -----------------------------------------------------------------


def test_face_to_face_changed_on_a_contact_type_in_admin_meets_the_monthly_contact(
    admin: Client, officers_view: Client, officer, contact_types, django_capture_on_commit_callbacks
) -> None:
    event = sentence(officer, date(2026, 9, 1))
    appointment(officer, event, date(2026, 9, 2), "office_visit", "attended")
    appointment(officer, event, date(2026, 10, 14), "telephone", "attended")
    appointment(officer, event, date(2026, 11, 10), "office_visit", "attended")
    october = Obligation.objects.get(event=event, rule="monthly_contact", starts_on=date(2026, 10, 1))
    assert (october.met_on, october.state) == (None, "missed")  # a telephone call is not face to face
    assert "31 Oct 2026" not in clocks(officers_view, event)  # missed: history, not a clock still running
    assert "Face-to-face contact this month, event 1: due 31 Oct 2026" in missed(officers_view, event)

    telephone = contact_types["telephone"]
    with django_capture_on_commit_callbacks() as queued:
        response = admin.post(
            f"/admin/cases/contacttype/{telephone.pk}/change/",
            {"code": "telephone", "name": telephone.name, "face_to_face": "on", "needs_outcome": "on", "active": "on",
             "order": telephone.order},
        )  # fmt: skip
    assert response.status_code == 302
    assert queue_rebuild in queued
    standards_rebuild.apply()
    call_command("standards_rebuild", "--check", stdout=StringIO())
    october.refresh_from_db()
    assert (october.met_on, october.state) == (date(2026, 10, 14), "met")
    assert "31 Oct 2026" not in clocks(officers_view, event)
    assert "31 Oct 2026" not in missed(officers_view, event)


def test_only_the_types_the_ro_sees_the_person_at_are_face_to_face(contact_types) -> None:
    """The ledger counted office and home visits, initial appointments and video calls: so do the flags now."""
    counted = {code for code, kind in contact_types.items() if kind.face_to_face}
    assert counted == {"initial_appointment", "office_visit", "home_visit", "video"}


# The due-soon window ------------------------------------------------------------------------------------------


def test_the_due_soon_window_moves_my_cases_the_standards_list_the_dashboard_and_the_reminders(
    change, client: Client, officer, spo, contact_types
) -> None:
    event = sentence(officer, date(2026, 11, 24))  # the initial appointment is due Tuesday 1 December
    assert due(event, "initial_appointment") == date(2026, 12, 1)
    client.force_login(officer.user)
    assert "Up to date" in client.get("/cases/").content.decode()  # not within 2 business days of today
    assert "Nothing is overdue or due in the next 2 working days" in client.get("/cases/standards/").content.decode()
    assert ledger.remind(TODAY) == 0

    change("due_soon", 4)  # Thursday 26, Friday 27, Monday 30 November, Tuesday 1 December
    assert "1 due soon" in client.get("/cases/").content.decode()
    listed = client.get("/cases/standards/").content.decode()
    assert "Overdue and due in the next 4 working days on your cases" in listed
    assert "Initial appointment" in listed
    assert "1 Dec 2026" in listed
    assert ledger.remind(TODAY) == 1
    assert Notification.objects.get(kind="due_soon").obligation.rule == "initial_appointment"
    client.force_login(spo.user)
    board = client.get("/team/").content.decode()
    assert "Due in 4 working days" in board
    assert f'?officer={officer.code}&amp;show=due">1<' in board
    assert "1 Dec 2026" in client.get(f"/cases/standards/?officer={officer.code}&show=due").content.decode()


# Acceptable absences and SPO oversight ---------------------------------------------------------------------


def test_the_number_of_acceptable_absences_that_need_oversight_is_the_admins(
    change, officers_view: Client, officer, contact_types
) -> None:
    before = sentence(officer, date(2026, 11, 2))
    for day in (date(2026, 11, 16), date(2026, 11, 23)):
        appointment(officer, before, day, "office_visit", "acceptable_absence", absence_reason="illness")
    assert not OversightTask.objects.exists()  # the third would need it
    change("acceptable_absence_oversight.absences", 2)
    after = sentence(officer, date(2026, 11, 2))
    for day in (date(2026, 11, 16), date(2026, 11, 23)):
        appointment(officer, after, day, "office_visit", "acceptable_absence", absence_reason="illness")
    task = OversightTask.objects.get()
    assert (task.event, task.opened_on) == (after, date(2026, 11, 23))  # the day of the second absence
    assert due(after, "acceptable_absence_oversight") == date(2026, 11, 30)  # 5 business days
    assert "30 Nov 2026" in clocks(officers_view, after)


# The warning period ------------------------------------------------------------------------------------------


def test_the_warning_period_moves_the_decision_page_and_the_service_together(
    change, officers_view: Client, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 5, 4))
    first = appointment(officer, event, date(2026, 6, 1), "office_visit", "unacceptable_absence")
    enforcement.decide(event=event, user=officer.user, kind="warning", failure=first, on=date(2026, 6, 2))
    second = appointment(officer, event, date(2026, 11, 23), "office_visit", "unacceptable_absence")
    url = f"/cases/{event.person.crn}/contacts/{second.pk}/decision/"
    page = officers_view.get(url).content.decode()
    assert "within 12 months of a warning must be referred for breach" in page
    assert 'value="warning"' not in page
    change("enforcement_decision.warning_period", 3)  # the warning of 2 June covered decisions to 1 September
    page = officers_view.get(url).content.decode()
    assert "must be referred for breach" not in page
    assert 'value="warning"' in page
    enforcement.decide(event=event, user=officer.user, kind="warning", failure=second, on=TODAY)
    row = Obligation.objects.get(event=event, rule="enforcement_decision", subject=f"contact:{second.pk}")
    assert (row.due_on, row.met_on, row.state) == (date(2026, 11, 25), TODAY, "met")


# Recorded late ------------------------------------------------------------------------------------------------


def test_when_a_contact_counts_as_recorded_late_is_the_admins(change, officer, contact_types) -> None:
    event = sentence(officer, date(2026, 11, 2))
    appointment(officer, event, date(2026, 11, 20), "office_visit", "attended")  # recorded 3 business days on

    def late() -> tuple[int, int]:
        rows = counting.appointments(date(2026, 11, 1), date(2026, 11, 30), TODAY)
        return next((late, n) for name, pdu, _, late, n in rows if name == "recording_lag" and pdu == event.pdu_id)

    assert late() == (1, 1)
    assert MEASURES["recording_lag"].title == "Contacts recorded more than 2 working days late"
    change("recorded_late", 5)
    assert late() == (0, 1)
    assert MEASURES["recording_lag"].title == "Contacts recorded more than 5 working days late"
    assert MEASURES["transfer_timeliness"].title == "Transfers completed within 20 working days"


def test_a_percentage_over_100_is_refused_in_admin(admin: Client) -> None:
    response = admin.post("/admin/cases/rulesetting/add/", {"rule": "monthly_contact.video_share", "period": "150"})
    assert response.status_code == 200
    assert "Enter a percentage from 0 to 100" in response.content.decode()


# The business-day calendar ----------------------------------------------------------------------------------


def test_the_calendar_is_read_only_in_admin(admin: Client) -> None:
    url = "/admin/cases/calendarday/2026-12-25/change/"
    page = admin.get(url).content.decode()
    assert "Christmas Day" in page
    for field in ("day", "is_working", "working_index", "holiday"):
        assert f'name="{field}"' not in page
    assert 'name="_save"' not in page
    refused = admin.post(url, {"day": "2026-12-25", "is_working": "on", "working_index": "1", "holiday": ""})
    assert refused.status_code == 403
    assert CalendarDay.objects.get(day=date(2026, 12, 25)).is_working is False
    assert admin.get("/admin/cases/calendarday/add/").status_code == 403
    assert admin.post("/admin/cases/calendarday/2026-12-25/delete/", {"post": "yes"}).status_code == 403


@pytest.fixture
def another_process_refreshes(monkeypatch):
    """`calendar_refresh`, run by another process, adding a bank holiday on Tuesday 1 December 2026: the same
    code, except that what it does to its own memory (recheck) happens in that process, not this one."""
    real = calendar.bank_holidays

    def refresh() -> None:
        with monkeypatch.context() as patched:
            patched.setattr(calendar, "recheck", lambda **signal: None)
            patched.setattr(
                calendar, "bank_holidays", lambda first, last: {**real(first, last), date(2026, 12, 1): "Extra"}
            )
            calendar.fill(2036)

    yield refresh
    calendar.recheck()  # the test's changes are rolled back: the next call compares the table again


def test_a_calendar_refreshed_elsewhere_is_seen_by_the_next_request_without_a_restart(
    another_process_refreshes, officers_view: Client, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 11, 2))
    absence = contacts.book(
        event=event, user=officer.user, type=contact_types["office_visit"], starts_at=at(date(2026, 11, 24)),
        staff=officer,
    )[0]  # fmt: skip
    assert calendar.add_business_days(TODAY, 5) == date(2026, 12, 2)
    another_process_refreshes()
    url = f"/cases/{event.person.crn}/contacts/{absence.pk}/outcome/"
    assert officers_view.post(url, {"outcome": "awaiting_evidence"}).status_code == 302
    # from the appointment on Tuesday 24 November: 25, 26, 27, 30 November, (Tuesday 1 December a holiday now),
    # Wednesday 2 December
    absence.refresh_from_db()
    assert absence.evidence_due == date(2026, 12, 2)
    assert due(event, "absence_evidence") == date(2026, 12, 2)
    assert calendar.add_business_days(TODAY, 5) == date(2026, 12, 3)


def test_a_calendar_refreshed_elsewhere_is_seen_by_the_next_job(
    another_process_refreshes, officer, contact_types
) -> None:
    event = sentence(officer, date(2026, 11, 25))  # the initial appointment: 5 business days, Wednesday 2 December
    assert due(event, "initial_appointment") == date(2026, 12, 2)
    another_process_refreshes()
    standards_rebuild.apply()  # a worker's next task compares the calendar with the table
    assert due(event, "initial_appointment") == date(2026, 12, 3)


def test_the_calendar_costs_one_query_a_request_however_often_it_is_asked(officer) -> None:
    calendar.add_business_days(TODAY, 1)  # the copy in memory is the table's (an earlier test may have changed it)
    request_started.disconnect(close_old_connections)  # as the test client does: keep the test's transaction
    request_finished.disconnect(close_old_connections)
    request_started.send(sender=None)  # what the handler sends as each request starts
    try:
        with CaptureQueriesContext(connection) as first:
            days = [calendar.add_business_days(TODAY, n) for n in range(500)]
            soon = [calendar.is_business_day(day) for day in days]
        with CaptureQueriesContext(connection) as then:
            for n in range(500):
                calendar.add_business_days(TODAY, n)
    finally:
        request_finished.send(sender=None)
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    assert len(soon) == 500
    assert len(first) == 1  # the request's one read of the parameters, with the calendar's version
    assert "cases_calendarday" in first[0]["sql"]
    assert len(then) == 0
