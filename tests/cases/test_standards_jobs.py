"""The National Standards jobs: concurrent sweeps, reminders, the digest, the calendar command, the schedule."""

import threading
from datetime import date, datetime
from io import StringIO

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from cases.enforcement import services as enforcement
from cases.models import CalendarDay, EnforcementAction, Event, Notification, Obligation
from cases.standards import ledger
from cases.tasks import standards_rebuild
from tests.factories import case_for


@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_give_the_ledger_one_sweep_gives(officer, contact_types) -> None:
    for number in range(20):
        case_for(officer, crn=f"C{number:06d}")
    ledger.rebuild()
    Obligation.objects.update(state="pending")
    errors: list[BaseException] = []

    def run() -> None:
        try:
            ledger.sweep()  # today, whatever day it is: all that matters is that both sweep the same day
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    after_two = sorted(Obligation.objects.values_list("pk", "state"))
    flags = Notification.objects.count()
    Obligation.objects.update(state="pending")
    Notification.objects.all().delete()
    ledger.sweep()
    assert sorted(Obligation.objects.values_list("pk", "state")) == after_two
    assert Notification.objects.count() == flags


@pytest.mark.today("2026-11-25")
def test_reminders_go_once_for_what_falls_due_in_two_business_days(officer, contact_types) -> None:
    event = case_for(officer, crn="D000777")
    event.sentence_date = date(2026, 11, 20)  # a Friday: initial appointment due Friday 27 November
    event.save()
    ledger.refresh_events([event.pk], today=date(2026, 11, 25))
    assert ledger.remind(date(2026, 11, 24)) == 0  # Tuesday: the 27th is 3 business days away
    assert ledger.remind(date(2026, 11, 25)) >= 1
    assert ledger.remind(date(2026, 11, 25)) == 0
    assert Notification.objects.filter(kind="due_soon", obligation__rule="initial_appointment").count() == 1


def test_the_digest_emails_each_officer_once(officer, community_order, contact_types) -> None:
    officer.user.email = "officer@probation.example"
    officer.user.save()
    ledger.rebuild()
    Obligation.objects.update(state="pending")  # as if last swept before they fell due: the sweep flags them
    ledger.sweep()
    from cases.standards import digest

    assert digest.send() == 1
    assert len(mail.outbox) == 1
    assert "Initial appointment for X123456" in mail.outbox[0].body
    assert mail.outbox[0].to == ["officer@probation.example"]
    assert digest.send() == 0


def test_the_digest_marks_every_flag_it_emails_however_many(officer, contact_types, monkeypatch) -> None:
    from cases.standards import digest

    officer.user.email = "officer@probation.example"
    officer.user.save()
    for number in range(3):
        case_for(officer, crn=f"D{number:06d}")
    ledger.rebuild()
    Obligation.objects.update(state="pending")
    ledger.sweep()
    flags = Notification.objects.count()
    assert flags >= 3
    monkeypatch.setattr(digest, "IDS_A_STATEMENT", 2)  # several statements, as at national scale
    assert digest.send() == 1
    assert Notification.objects.filter(emailed_at__isnull=False).count() == flags
    assert digest.send() == 0


def test_recall_review_runs_from_the_return_to_custody(client: Client, officer, spo, contact_types) -> None:
    event = case_for(officer, crn="K000001")
    event.type, event.release_date = Event.Type.LICENCE, date(2026, 3, 2)
    event.save()
    action = enforcement.recall_recommend(event=event, user=officer.user, recall_type="standard", rationale="Risk")
    EnforcementAction.objects.filter(pk=action.pk).update(on=date(2026, 11, 2))  # recommended that morning
    action.refresh_from_db()
    decided = timezone.make_aware(datetime(2026, 11, 2, 9))
    enforcement.recall_decide(
        action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=decided
    )
    enforcement.recall_requested(
        action=action, user=spo.user, requested_at=timezone.make_aware(datetime(2026, 11, 2, 15))
    )
    client.force_login(officer.user)
    page = client.post(
        "/cases/K000001/events/1/recall/return/", {"returned_on_0": "4", "returned_on_1": "11", "returned_on_2": "2026"}
    )
    assert page.status_code == 302
    review = Obligation.objects.get(event=event, rule="recall_review")
    assert (review.starts_on, review.due_on, review.met_on) == (date(2026, 11, 4), date(2026, 11, 24), None)
    recall = Obligation.objects.get(event=event, rule="recall")
    assert (recall.due_on, recall.met_on, recall.state) == (date(2026, 11, 3), date(2026, 11, 2), "met")
    november = Obligation.objects.filter(event=event, rule="monthly_contact").order_by("starts_on").reverse()[0]
    assert (november.starts_on, november.void_on) == (date(2026, 11, 1), date(2026, 11, 2))  # back in custody
    assert EnforcementAction.objects.get(pk=action.pk).returned_on == date(2026, 11, 4)


@pytest.mark.today("2026-11-25")
def test_the_calendar_command_and_the_schedule(db: None) -> None:
    out = StringIO()
    call_command("calendar_refresh", "--years", "2", stdout=out)
    assert "to the end of 2028" in out.getvalue()
    assert CalendarDay.objects.filter(day=date(2027, 12, 27), is_working=False).exists()  # Boxing Day substitute
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"cases.tasks.standards_sweep", "cases.tasks.standards_digest"} <= tasks


def test_the_month_task_opens_each_sentences_month_once(officer, community_order, contact_types) -> None:
    from cases.tasks import standards_open_month

    Obligation.objects.filter(rule="monthly_contact").delete()
    assert standards_open_month() == 2  # this month and, to catch up, last month
    assert standards_open_month() == 0
    ledger.refresh_events([community_order.pk])  # the facts derive the earlier months too


def test_the_rebuild_task_repairs_the_ledger(officer, community_order, contact_types) -> None:
    assert standards_rebuild() > 0  # the fixture's case had no obligations: they are derived now
    assert standards_rebuild() == 0


def test_the_recall_page_links_to_the_return_once_the_request_is_sent(client: Client, officer, spo) -> None:
    event = case_for(officer, crn="K000002")
    event.type, event.release_date = Event.Type.LICENCE, date(2026, 3, 2)
    event.save()
    action = enforcement.recall_recommend(event=event, user=officer.user, recall_type="standard", rationale="Risk")
    EnforcementAction.objects.filter(pk=action.pk).update(on=date(2026, 11, 2))  # recommended that morning
    action.refresh_from_db()
    decided = timezone.make_aware(datetime(2026, 11, 2, 9))
    enforcement.recall_decide(
        action=action, user=spo.user, decider=spo, decision="agreed", rationale="Agreed", decided_at=decided
    )
    client.force_login(officer.user)
    assert "Record the return to custody" not in client.get("/cases/K000002/events/1/recall/").content.decode()
    enforcement.recall_requested(action=action, user=spo.user, requested_at=decided)
    assert "Record the return to custody" in client.get("/cases/K000002/events/1/recall/").content.decode()
    refused = client.post(
        "/cases/K000002/events/1/recall/return/", {"returned_on_0": "1", "returned_on_1": "11", "returned_on_2": "2026"}
    )
    assert "must be on or after 2 November 2026, when the recall request was sent" in refused.content.decode()


@pytest.mark.today("2026-11-25")  # rebuilt today and swept as of today, when October's was a month ago
def test_long_overdue_items_found_by_a_rebuild_are_listed_not_newly_flagged(
    officer, community_order, contact_types
) -> None:
    ledger.rebuild()
    ledger.sweep(date(2026, 11, 25))
    flagged = set(Notification.objects.values_list("obligation__rule", flat=True))
    assert "initial_appointment" not in flagged  # overdue since December 2025: on the pages, not a new flag
    # October's fell due within the last 35 days, but a month that ended unmet is missed: history, never flagged
    assert "monthly_contact" not in flagged
    october = Obligation.objects.get(rule="monthly_contact", starts_on=date(2026, 10, 1))
    assert (october.state, october.missed_on) == ("missed", date(2026, 11, 1))


def test_the_embedded_databases_sweep_gives_the_same_ledger(officer, community_order, contact_types) -> None:
    """SQLite has no data-modifying WITH: its two-statement sweep must agree with PostgreSQL's one."""
    from unittest import mock

    ledger.rebuild()
    Obligation.objects.update(state="pending")
    ledger.sweep()  # today, whatever day it is: both dialects sweep the same day
    expected = (sorted(Obligation.objects.values_list("pk", "state")), Notification.objects.count())
    Obligation.objects.update(state="pending")
    Notification.objects.all().delete()
    from django.db import connections

    with mock.patch.object(connections["default"], "vendor", "sqlite"):
        ledger.sweep()
    assert (sorted(Obligation.objects.values_list("pk", "state")), Notification.objects.count()) == expected


def test_the_sweep_finds_what_changes_today_through_its_index(officer, community_order) -> None:
    """The sweep selects each rule's open obligations by their next day of change (ledger.NEXT_CHANGE), and the
    index the migration built holds that very expression, so PostgreSQL reads only the rows whose day has come
    instead of every row of the rule (about 1.2 s a rule at national scale)."""
    from importlib import import_module

    migration = import_module("cases.migrations.0028_obligation_next_change")
    assert migration.NEXT_CHANGE == ledger.NEXT_CHANGE
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            f"EXPLAIN UPDATE cases_obligation SET state = state WHERE rule = 'monthly_contact' "  # noqa: S608
            f"AND state IN ('pending', 'overdue') AND {ledger.NEXT_CHANGE} <= %s",
            [date(2026, 11, 25)],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "obligation_next_change" in plan
