"""Sentences end (issue 18): the nightly job ends what reached its end date, the RO or an SPO records an early end,
and the ledger closes the ended sentence's open items as missed (due by its end day) or not applicable (due after).
A month whose face-to-face contact was not met is missed, never overdue."""

import copy
import json
from datetime import date, datetime
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases.contacts import services as contacts
from cases.ending import services as ending
from cases.interchange.importer import import_document
from cases.models import Allocation, AuditEvent, ContactType, Event, Notification, Obligation
from cases.standards import ledger
from cases.transfers import services as transfers
from tests.cases.test_interchange import EXAMPLE
from tests.factories import PDUFactory, case_for


def at(day: date, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def ending_on(officer, end: date, crn: str = "X123456") -> Event:
    event = case_for(officer, crn=crn)
    event.expected_end_date = end
    event.save()
    ledger.refresh_events([event.pk])
    return event


def states(event: Event) -> dict[tuple[str, date], tuple[str, date | None]]:
    return {(o.rule, o.starts_on): (o.state, o.missed_on) for o in Obligation.objects.filter(event=event)}


@pytest.mark.today("2026-08-29")  # Saturday: the order ended at the end of Friday 28 August (Monday 31st a holiday)
def test_the_nightly_job_ends_an_order_on_its_end_date_and_closes_its_items(officer, contact_types) -> None:
    event = ending_on(officer, date(2026, 8, 28))
    later = ending_on(officer, date(2026, 8, 29), crn="X123457")  # ends at the end of today: still running
    before = states(event)
    assert before[("initial_appointment", date(2025, 12, 19))] == ("overdue", None)
    assert before[("monthly_contact", date(2026, 8, 1))] == ("pending", date(2026, 9, 1))
    assert before[("monthly_contact", date(2026, 7, 1))] == ("missed", date(2026, 8, 1))  # July ended unmet

    assert ending.end_completed() == [event.pk]

    event.refresh_from_db()
    assert (event.terminated_on, event.termination_reason) == (date(2026, 8, 28), "completed")
    after = states(event)
    assert after[("initial_appointment", date(2025, 12, 19))] == ("missed", date(2026, 8, 29))  # overdue at the end
    assert after[("monthly_contact", date(2026, 8, 1))] == ("not_applicable", None)  # due 31 August, after the end
    assert after[("monthly_contact", date(2026, 7, 1))] == ("missed", date(2026, 8, 1))
    assert not Obligation.objects.filter(event=event, state__in=Obligation.OPEN).exists()
    assert Event.objects.get(pk=later.pk).terminated_on is None
    audit = AuditEvent.objects.filter(action="event.end").get()
    assert (audit.person_id, audit.object_id, audit.detail["reason"]) == (event.person_id, str(event.pk), "completed")

    # idempotent: a second night ends nothing and writes nothing
    assert ending.end_completed() == []
    assert AuditEvent.objects.filter(action="event.end").count() == 1
    ledger.sweep()
    assert not Notification.objects.filter(obligation__event=event).exists()


@pytest.mark.today("2026-10-01")
@pytest.mark.parametrize(("met", "september"), [(True, "met"), (False, "missed")])
def test_an_order_ending_on_a_month_end_keeps_that_months_contact(officer, contact_types, met, september) -> None:
    event = ending_on(officer, date(2026, 9, 30))  # Wednesday 30 September, the month's last day
    if met:
        contact = contacts.book(
            event=event,
            user=officer.user,
            type=ContactType.objects.get(code="office_visit"),
            starts_at=at(date(2026, 9, 30)),
            staff=officer,
        )[0]
        contacts.record_outcome(contact=contact, user=officer.user, outcome="attended")
    ending.end_completed()
    row = Obligation.objects.get(event=event, rule="monthly_contact", starts_on=date(2026, 9, 1))
    assert row.state == september  # due on the end day itself: met, or missed, never not applicable
    assert not Obligation.objects.filter(event=event, rule="monthly_contact", starts_on=date(2026, 10, 1)).exists()


@pytest.mark.today("2026-11-25")
def test_an_early_end_makes_overdue_items_missed_and_later_ones_not_applicable(officer, spo, contact_types) -> None:
    event = case_for(officer, crn="X123456")
    elsewhere = PDUFactory.create()
    transfer = transfers.request(
        event=event, user=officer.user, to_pdu=elsewhere, reason="Moving", on=date(2026, 11, 2)
    )
    assert Obligation.objects.get(event=event, rule="transfer").due_on == date(2026, 11, 30)  # due after the end
    ending.event_end(event, spo.user, date(2026, 11, 20), "died", "Notified by the police")
    event.refresh_from_db()
    assert (event.terminated_on, event.termination_reason, event.termination_note) == (
        date(2026, 11, 20),
        "died",
        "Notified by the police",
    )
    assert Obligation.objects.get(event=event, rule="initial_appointment").state == "missed"
    assert Obligation.objects.get(event=event, rule="transfer", subject=f"transfer:{transfer.pk}").state == (
        "not_applicable"
    )
    november = Obligation.objects.get(event=event, rule="monthly_contact", starts_on=date(2026, 11, 1))
    assert (november.state, november.void_on) == ("not_applicable", date(2026, 11, 20))
    with pytest.raises(ValidationError, match="has ended"):
        contacts.book(
            event=event,
            user=officer.user,
            type=ContactType.objects.get(code="office_visit"),
            starts_at=at(date(2026, 11, 30)),
            staff=officer,
        )
    with pytest.raises(ValidationError, match="already ended"):
        ending.event_end(event, spo.user, date(2026, 11, 21), "other", "again")
    report = ledger.report(date(2026, 11, 25), "X123456")
    assert {r["state"] for r in report if r["rule"] == "initial_appointment"} == {"missed"}


def test_the_end_job_runs_the_same_queries_for_one_ended_order_as_for_many(officer, contact_types) -> None:
    def night(count: int, first: int) -> int:
        for n in range(count):
            ending_on(officer, date(2026, 10, 30), crn=f"Q{first + n:06d}")
        with CaptureQueriesContext(connection) as queries:
            assert len(ending.end_completed()) == count
        return len(queries)

    one, many = night(1, 0), night(6, 10)
    assert one == many
    assert one <= 25


def test_ended_orders_leave_my_cases_and_the_case_shows_why(client: Client, officer, contact_types) -> None:
    ending_on(officer, date(2026, 10, 30))
    client.force_login(officer.user)
    assert "X123456" in client.get("/cases/").content.decode()
    call_command("standards_sweep", stdout=StringIO())
    assert "X123456" not in client.get("/cases/").content.decode()
    page = client.get("/cases/X123456/").content.decode()
    assert "This sentence ended on 30 October 2026 (completed)" in page
    assert "/cases/X123456/events/1/end/" not in page
    assert "/cases/X123456/events/1/appointments/new/" not in page
    assert client.get("/cases/X123456/events/1/end/").status_code in {403, 404}  # nothing left to change


def end_form(day: str, month: str, year: str, reason: str = "revoked_breach", note: str = "", **more: str) -> dict:
    return {"reason": reason, "on_0": day, "on_1": month, "on_2": year, "note": note, **more}


@pytest.mark.today("2026-11-25")
@pytest.mark.parametrize(
    ("posted", "error"),
    [
        (end_form("26", "11", "2026"), "The date the sentence ended must be today or in the past"),
        (end_form("18", "12", "2025"), "must be on or after the sentence date, 19 December 2025"),
        (end_form("20", "11", "2026", reason="other"), "Enter a note saying why the sentence ended"),
        (end_form("20", "11", "2026", reason="recalled"), "Select a valid choice"),  # an order is not recalled
        (end_form("20", "11", "2026", reason=""), "Select why the sentence ended"),
        (end_form("31", "11", "2026"), "must be a real date"),
    ],
)
def test_the_early_end_form_refuses_at_its_edges(client: Client, officer, contact_types, posted, error) -> None:
    case_for(officer, crn="X123456")
    client.force_login(officer.user)
    page = client.post("/cases/X123456/events/1/end/", posted | {"confirm": "1"}).content.decode()
    assert "govuk-error-summary" in page
    assert error in page
    assert Event.objects.get().terminated_on is None


@pytest.mark.today("2026-11-25")
@pytest.mark.parametrize("day", ["19/12/2025", "25/11/2026"])  # the sentence date and today: both allowed
def test_the_early_end_is_checked_then_confirmed(client: Client, officer, contact_types, day) -> None:
    case_for(officer, crn="X123456")
    client.force_login(officer.user)
    d, m, y = day.split("/")
    assert "Record an early end" in client.get("/cases/X123456/").content.decode()
    checked = client.post("/cases/X123456/events/1/end/", end_form(d, m, y, "early_revocation", "Good progress"))
    page = checked.content.decode()
    assert checked.status_code == 200
    assert "Check your answers" in page
    assert "Revoked early for good progress" in page
    assert Event.objects.get().terminated_on is None
    changed = client.post("/cases/X123456/events/1/end/", end_form(d, m, y, "early_revocation", "x", change="on"))
    assert 'name="on_0"' in changed.content.decode()
    assert "Check your answers" not in changed.content.decode()
    done = client.post(
        "/cases/X123456/events/1/end/", end_form(d, m, y, "early_revocation", "Good progress", confirm="1")
    )
    assert done.status_code == 302
    event = Event.objects.get()
    assert (event.terminated_on, event.termination_reason) == (date(int(y), int(m), int(d)), "early_revocation")
    assert AuditEvent.objects.filter(action="event.end", person=event.person).count() == 1
    assert "Revoked early for good progress" in client.get("/cases/X123456/").content.decode()


@pytest.mark.today("2026-11-25")
def test_import_takes_terminations_and_from_only_allocations_and_the_sweep_ends_what_has_passed(db, tmp_path) -> None:
    data = copy.deepcopy(EXAMPLE)
    data["organisation"][0]["pdus"][0]["teams"][0]["staff"].append(
        {"code": "NE002", "name": "Al Other", "grade": "PO", "hours": 37}
    )
    first = data["people"][0]["events"][0]
    first["allocations"] = [{"staff": "NE001", "from": "2025-12-22"}, {"staff": "NE002", "from": "2026-03-02"}]
    first["expected_end_date"] = "2026-11-20"
    second = copy.deepcopy(first) | {"ref": "2", "terminated_on": "2026-06-05", "termination_reason": "died"}
    second["allocations"] = [{"staff": "NE002", "from": "2025-12-22"}]
    data["people"][0]["events"].append(second)
    import_document(data)
    history = list(Allocation.objects.filter(event__ref="1").values_list("staff__code", "from_date", "to_date"))
    assert history == [("NE001", date(2025, 12, 22), date(2026, 3, 1)), ("NE002", date(2026, 3, 2), None)]
    died = Event.objects.get(ref="2")
    assert (died.terminated_on, died.termination_reason) == (date(2026, 6, 5), "died")
    assert Event.objects.get(ref="1").terminated_on is None  # ended by the next sweep, not by the import
    call_command("standards_sweep", stdout=StringIO())
    assert Event.objects.get(ref="1").terminated_on == date(2026, 11, 20)
    call_command("export_cases", str(tmp_path / "out.json"))
    exported = {e["ref"]: e for e in json.loads((tmp_path / "out.json").read_text())["people"][0]["events"]}
    assert (exported["1"]["terminated_on"], exported["1"]["termination_reason"]) == ("2026-11-20", "completed")
    assert (exported["2"]["terminated_on"], exported["2"]["termination_reason"]) == ("2026-06-05", "died")
