"""Every rule exact at its edges, whichever way the facts arrive (issue 23): the monthly contact's cumulative
video share, each home-visit clock its own, acceptable-absence oversight and enforcement decisions derived from
the facts however they arrived, the evidence deadline and the decision clock from the right day, the ETE cap."""

import copy
import dataclasses
import json
from datetime import date, datetime
from decimal import Decimal
from io import StringIO
from itertools import count

import pytest
from django.core.management import call_command
from django.utils import timezone

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.interchange import exporter
from cases.interchange.importer import import_document
from cases.models import ContactType, Event, Obligation, OversightTask
from cases.reference import ensure_contact_types
from cases.standards import ledger, rules
from cases.standards.case_clocks import home_visit, monthly_contact
from cases.standards.derive import Facts, Seen
from tests.cases.test_interchange import EXAMPLE
from tests.cases.test_standards_rules import appointment, one

ids = count(1)


def contact(day: str, code: str = "office_visit", outcome: str = "attended", hour: int = 10) -> Seen:
    face_to_face = code in {"office_visit", "home_visit", "video", "initial_appointment"}
    return Seen(next(ids), code, date.fromisoformat(day), outcome, True, None, None, None, face_to_face)


def months_met(contacts: list[Seen], minimum: int = 1, share: int = 50, today: str = "2026-05-15") -> list[str]:
    """Each month from January 2026: 'met' or 'missed' (the month ended unmet), or 'open' (this month)."""
    event = Event(type="community_order", sentence_date=date(2026, 1, 1))
    rule = rules.current()["monthly_contact"]
    rule = dataclasses.replace(rule, parts={"monthly_contact.minimum": minimum, "monthly_contact.video_share": share})
    item = Facts(event, contacts=contacts)
    states = []
    for row in monthly_contact(item, {"monthly_contact": rule}, date.fromisoformat(today)):
        states.append("met" if row.met_on else "missed" if row.due_on < date.fromisoformat(today) else "open")
    return states


VID, OFF, HOME, TEL = "video", "office_visit", "home_visit", "telephone"


@pytest.mark.parametrize(
    ("seen", "expected"),
    [
        # a video-only start: 1 of 1 is a video, more than half: January is missed
        ([("2026-01-05", VID)], ["missed", "missed", "missed", "missed", "open"]),
        # in person in January; a video in February is 1 of 2, no more than half: February is met
        ([("2026-01-05", OFF), ("2026-02-05", VID)], ["met", "met", "missed", "missed", "open"]),
        # a second video alone in March would be 2 of 3: March is missed
        ([("2026-01-05", OFF), ("2026-02-05", VID), ("2026-03-05", VID)], ["met", "met", "missed", "missed", "open"]),
        # two in person first: the videos of February and March are 1 of 3 and 2 of 4, both no more than half
        (
            [("2026-01-05", OFF), ("2026-01-20", HOME), ("2026-02-05", VID), ("2026-03-05", VID)],
            ["met", "met", "met", "missed", "open"],
        ),
        # telephone never counts and is not counted: February's video is still 1 of 2
        ([("2026-01-05", OFF), ("2026-02-02", TEL), ("2026-02-05", VID)], ["met", "met", "missed", "missed", "open"]),
        # order within a day: a video before the in-person contact of 31 January is 1 of 1, it does not count;
        # the office visit does; February's video is then 2 of 3
        (
            [("2026-01-31", VID), ("2026-01-31", OFF), ("2026-02-27", VID)],
            ["met", "missed", "missed", "missed", "open"],
        ),
        # the last day of a month counts for it; the first of the next starts the next
        ([("2026-01-31", OFF), ("2026-02-01", OFF), ("2026-04-30", OFF)], ["met", "met", "missed", "met", "open"]),
        # the month is met by this month's contact while it is still open
        ([("2026-05-04", OFF)], ["missed", "missed", "missed", "missed", "met"]),
    ],
)
def test_monthly_contact_counts_videos_by_their_cumulative_share(db, seen, expected) -> None:
    assert months_met([contact(day, code) for day, code in seen]) == expected


def test_monthly_contact_counts_what_was_attended_with_the_officer(db) -> None:
    failed = contact("2026-01-05", OFF, "failed_to_comply")  # attended, though failed to comply: seen
    absent = contact("2026-02-05", OFF, "acceptable_absence")
    sent_home = contact("2026-03-05", OFF, "sent_home_service")
    assert months_met([failed, absent, sent_home]) == ["met", "missed", "met", "missed", "open"]


def test_the_minimum_and_the_share_are_rule_settings(db) -> None:
    videos = [contact("2026-01-05", VID), contact("2026-02-05", VID)]
    assert months_met(videos, share=100) == ["met", "met", "missed", "missed", "open"]
    twice = [contact("2026-01-05", OFF), contact("2026-01-12", OFF), contact("2026-02-05", OFF)]
    assert months_met(twice, minimum=2) == ["met", "missed", "missed", "missed", "open"]


def test_a_first_home_visit_on_the_day_its_clock_starts_keeps_its_own_clock(db) -> None:
    """Visited on the day of sentence: the first clock is met that day and the three-monthly one starts the same
    day; each is its own obligation, the first never replaced by the next."""
    from cases.models.person import Person

    event = Event(type="community_order", sentence_date=date(2026, 1, 5))
    event.person = Person(rosh="high")
    item = Facts(event, contacts=[contact("2026-01-05", HOME)])
    rows = list(home_visit(item, rules.current(), date(2026, 5, 1)))
    assert [(r.starts_on, r.met_on, r.subject) for r in rows] == [
        (date(2026, 1, 5), date(2026, 1, 5), "first"),
        (date(2026, 1, 5), None, ""),
    ]
    keys = {(r.rule, r.starts_on, r.subject) for r in rows}
    assert len(keys) == 2  # the ledger keeps both (event, rule, starts_on, subject)


def document_with(contacts: list[dict], enforcement: list[dict] | None = None, **event: object) -> dict:
    document = copy.deepcopy(EXAMPLE)
    entry = document["people"][0]["events"][0]
    entry["contacts"], entry["enforcement"] = contacts, enforcement or []
    entry.update(event)
    return document


def imported_states(document: dict, rule: str) -> list[tuple]:
    import_document(document)
    event = Event.objects.get(person__crn="X123456")
    ledger.refresh_events([event.pk])
    return list(
        Obligation.objects.filter(event=event, rule=rule)
        .order_by("starts_on", "id")
        .values_list("starts_on", "due_on", "met_on", "state")
    )


def absence(moment: str, outcome: str, **fields: object) -> dict:
    return {"type": "office_visit", "at": moment, "outcome": outcome, "enforceable": True, **fields}


@pytest.mark.today("2026-03-31")
def test_imported_acceptable_absences_open_the_oversight_clock(contact_types, officer, spo) -> None:
    absences = [
        absence(f"2026-02-{day:02d}T10:00:00Z", "acceptable_absence", absence_reason="illness") for day in (2, 9, 16)
    ]
    # the third absence, Monday 16 February: 5 business days to 23 February
    assert imported_states(document_with(absences), "acceptable_absence_oversight") == [
        (date(2026, 2, 16), date(2026, 2, 23), None, "overdue")
    ]
    assert ledger.sweep(date(2026, 3, 31))["oversight_tasks"] == 1  # the SPO's task, for the imported clock
    task = OversightTask.objects.get()
    assert (task.opened_on, task.closed_at) == (date(2026, 2, 16), None)
    assert ledger.sweep(date(2026, 3, 31))["oversight_tasks"] == 0


@pytest.mark.today("2026-06-30")
@pytest.mark.parametrize(
    ("second", "met"),
    [
        ({"type": "warning", "on": "2026-03-04"}, None),  # a warning where breach was required meets nothing
        ({"type": "professional_judgement", "on": "2026-03-04", "rationale": "In hospital"}, None),
        ({"type": "breach", "aware_on": "2026-03-03", "initiated_on": "2026-03-04"}, date(2026, 3, 4)),
    ],
)
def test_a_second_failure_within_twelve_months_of_a_warning_is_met_only_by_breach(
    contact_types, officer, second, met, tmp_path
) -> None:
    failures = [
        absence("2026-01-05T10:00:00Z", "unacceptable_absence"),
        absence("2026-03-02T10:00:00Z", "failed_to_comply"),
    ]
    decisions = [{"type": "warning", "on": "2026-01-06"}, second]
    out = StringIO()
    path = tmp_path / "failures.json"
    path.write_text(json.dumps(document_with(failures, decisions)))
    call_command("import_cases", path, stderr=out)
    assert ("where breach was required" in out.getvalue()) is (second["type"] != "breach")
    event = Event.objects.get(person__crn="X123456")
    ledger.refresh_events([event.pk])
    rows = Obligation.objects.filter(event=event, rule="enforcement_decision").order_by("starts_on")
    assert [r.met_on for r in rows] == [date(2026, 1, 6), met]


@pytest.mark.today("2026-06-30")
def test_the_same_facts_through_the_pages_are_judged_the_same(officer, community_order, contact_types) -> None:
    """The pages refuse a second warning; a professional judgement there is recorded but does not meet the clock."""
    first = appointment(officer, community_order, date(2026, 1, 5), "office_visit", "unacceptable_absence")
    enforcement.decide(event=community_order, user=officer.user, kind="warning", failure=first, on=date(2026, 1, 6))
    second = appointment(officer, community_order, date(2026, 3, 2), "office_visit", "failed_to_comply")
    enforcement.decide(
        event=community_order,
        user=officer.user,
        kind="professional_judgement",
        failure=second,
        on=date(2026, 3, 3),
        rationale="In hospital",
    )
    rows = Obligation.objects.filter(event=community_order, rule="enforcement_decision").order_by("starts_on")
    assert [(r.met_on, r.state) for r in rows] == [(date(2026, 1, 6), "met"), (None, "overdue")]


@pytest.mark.today("2026-06-30")
def test_one_decision_answers_every_failure_of_its_day(officer, community_order, contact_types) -> None:
    morning = appointment(officer, community_order, date(2026, 2, 2), "office_visit", "unacceptable_absence")
    contacts.book(
        event=community_order,
        user=officer.user,
        type=ContactType.objects.get(code="home_visit"),
        starts_at=timezone.make_aware(datetime(2026, 2, 2, 15)),
        staff=officer,
    )
    afternoon = community_order.contacts.get(type__code="home_visit")
    contacts.record_outcome(contact=afternoon, user=officer.user, outcome="failed_to_comply")
    enforcement.decide(event=community_order, user=officer.user, kind="warning", failure=morning, on=date(2026, 2, 3))
    rows = Obligation.objects.filter(event=community_order, rule="enforcement_decision")
    assert sorted((r.met_on, r.state) for r in rows) == [(date(2026, 2, 3), "met")] * 2


@pytest.mark.today("2026-06-30")
def test_a_decision_clock_after_awaiting_evidence_starts_when_it_was_decided_unacceptable(
    officer, community_order, contact_types, time_machine
) -> None:
    time_machine.move_to(timezone.make_aware(datetime(2026, 2, 2, 12)), tick=False)
    absent = appointment(officer, community_order, date(2026, 2, 2), "office_visit", "awaiting_evidence")
    time_machine.move_to(timezone.make_aware(datetime(2026, 2, 9, 12)), tick=False)  # no evidence came
    contacts.amend(contact=absent, user=officer.user, reason="No evidence", outcome="unacceptable_absence")
    row = one(community_order, "enforcement_decision")
    # decided unacceptable on Monday 9 February: two business days to Wednesday 11 February
    assert (row.starts_on, row.due_on) == (date(2026, 2, 9), date(2026, 2, 11))
    evidence = one(community_order, "absence_evidence")
    assert (evidence.starts_on, evidence.due_on, evidence.met_on) == (
        date(2026, 2, 2),
        date(2026, 2, 9),
        date(2026, 2, 9),
    )


@pytest.mark.today("2026-06-30")
def test_the_evidence_deadline_is_the_same_through_the_pages_and_the_importer(officer, contact_types) -> None:
    states = imported_states(document_with([absence("2026-02-06T10:00:00Z", "awaiting_evidence")]), "absence_evidence")
    # Friday 6 February: 5 business days to Friday 13 February, whichever way the absence arrived
    assert states == [(date(2026, 2, 6), date(2026, 2, 13), None, "overdue")]
    assert Event.objects.get().contacts.get().evidence_due == date(2026, 2, 13)


@pytest.mark.today("2027-03-01")
def test_ete_over_its_share_does_not_complete_unpaid_work_however_it_arrived(officer, contact_types, tmp_path) -> None:
    sessions = [{"date": f"2026-01-{d:02d}", "kind": "work", "hours": 8} for d in (5, 6, 7, 8, 9, 12, 13, 14, 15, 16)]
    sessions += [{"date": f"2026-02-{d:02d}", "kind": "ete", "hours": 8} for d in (2, 3, 4, 5)]  # 32 of 120: over 24
    path = tmp_path / "ete.json"
    path.write_text(json.dumps(document_with([], upw=sessions)))
    out = StringIO()
    call_command("import_cases", path, stderr=out)
    assert "32 hours of ETE, more than 20% of the 120 hours ordered" in out.getvalue()
    event = Event.objects.get()
    ledger.refresh_events([event.pk])
    completion = Obligation.objects.get(event=event, rule="upw_completion")
    assert (completion.met_on, completion.state) == (None, "overdue")  # 80 work + 24 ETE = 104 of 120
    assert Decimal(exporter.document()["people"][0]["events"][0]["upw"][-1]["hours"]) == Decimal("8")


def test_import_then_rebuild_finds_no_drift(contact_types, officer) -> None:
    ensure_contact_types(ContactType)
    import_document(document_with([absence("2026-02-06T10:00:00Z", "awaiting_evidence")]))
    out = StringIO()
    call_command("standards_rebuild", "--check", stdout=out)
    assert "no difference" in out.getvalue().lower() or "0 differ" in out.getvalue().lower()


PUBLISHED_ONLY = ("failure_at", "evidence_due", "evidence_decided_on", "versions", "trigger_at")


def published_shape(document: dict) -> dict:
    """The document as another system would write it from INTERCHANGE.md: none of this product's own keys (which
    failure a decision answers, the evidence deadline it gave, contact versions, its oversight tasks)."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in PUBLISHED_ONLY and k != "oversight"}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(document)  # type: ignore[return-value]


@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-06-30")
def test_the_same_case_through_the_pages_and_through_import_gives_the_same_ledger(
    officer, spo, community_order, contact_types
) -> None:
    """Every rule: a case built through the pages' services, then exported, stripped to the published shape and
    imported into an empty database, gives identical standards_report rows."""
    from interventions.upw import services as upw

    event = community_order
    appointment(officer, event, date(2025, 12, 22), "initial_appointment", "attended")
    appointment(officer, event, date(2026, 1, 12), "home_visit", "attended")
    appointment(officer, event, date(2026, 2, 2), "office_visit", "attended")
    appointment(officer, event, date(2026, 3, 2), "video", "attended")
    for day in (6, 13, 20):
        appointment(officer, event, date(2026, 4, day), "office_visit", "acceptable_absence", absence_reason="illness")
    failure = appointment(officer, event, date(2026, 5, 4), "office_visit", "unacceptable_absence")
    enforcement.decide(event=event, user=officer.user, kind="warning", failure=failure, on=date(2026, 5, 5))
    second = appointment(officer, event, date(2026, 6, 1), "office_visit", "failed_to_comply")
    enforcement.decide(
        event=event, user=officer.user, kind="breach", failure=second, on=date(2026, 6, 3), aware_on=date(2026, 6, 1)
    )
    appointment(officer, event, date(2026, 6, 8), "office_visit", "awaiting_evidence")
    requirement = event.requirements.get(type="unpaid_work")
    for day in (5, 12):
        upw.log_session(
            requirement=requirement, user=officer.user, day=date(2026, 1, day), status="attended", work_hours=Decimal(7)
        )

    def report() -> list[dict]:
        out = StringIO()
        call_command("standards_report", "--as-of", "2026-06-30", "--format", "json", stdout=out)
        return json.loads(out.getvalue())

    through_the_pages = report()
    assert {row["rule"] for row in through_the_pages} >= {
        "ro_allocation", "initial_appointment", "initial_sentence_plan", "monthly_contact", "home_visit",
        "absence_evidence", "acceptable_absence_oversight", "enforcement_decision", "breach", "upw_first_session",
        "upw_review", "upw_completion",
    }  # fmt: skip
    document = published_shape(exporter.document())
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(document)
    assert report() == through_the_pages


@pytest.mark.today("2027-02-10")
def test_the_pages_refuse_a_warning_for_a_failure_inside_a_warning_period_decided_after_it(
    officer, community_order, contact_types
) -> None:
    """Warned on Monday 2 February 2026, the period runs to Monday 1 February 2027: a failure that day needs breach,
    even decided on 3 February 2027 when no warning was given in the 12 months before the decision."""
    from django.core.exceptions import ValidationError

    Event.objects.filter(pk=community_order.pk).update(length_months=24, expected_end_date=date(2027, 12, 19))
    community_order.refresh_from_db()
    first = appointment(officer, community_order, date(2026, 2, 2), "office_visit", "unacceptable_absence")
    enforcement.decide(event=community_order, user=officer.user, kind="warning", failure=first, on=date(2026, 2, 2))
    last_day = appointment(officer, community_order, date(2027, 2, 1), "office_visit", "unacceptable_absence")
    with pytest.raises(ValidationError, match="must be referred for breach"):
        enforcement.decide(
            event=community_order, user=officer.user, kind="warning", failure=last_day, on=date(2027, 2, 3)
        )
    day_after = appointment(officer, community_order, date(2027, 2, 2), "office_visit", "unacceptable_absence")
    enforcement.decide(event=community_order, user=officer.user, kind="warning", failure=day_after, on=date(2027, 2, 3))
    rows = Obligation.objects.filter(event=community_order, rule="enforcement_decision").order_by("starts_on")
    assert [(r.starts_on, r.met_on) for r in rows] == [
        (date(2026, 2, 2), date(2026, 2, 2)),
        (date(2027, 2, 1), None),  # still needs its breach
        (date(2027, 2, 2), date(2027, 2, 3)),  # the day after the period: a warning may answer it
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.today("2026-09-30")
def test_licences_plans_transfers_recalls_and_custody_through_the_pages_and_through_import_agree(
    officer, spo, pdu_head, contact_types
) -> None:
    """The rules the first test cannot reach: a licence with its plan reviewed, a transfer and a recall returned and
    reviewed; a custodial sentence with its pre-release handover. Through the pages, then exported, stripped to the
    published shape and imported into an empty database: identical standards_report rows."""
    from cases.allocation import services as allocation
    from cases.plans import services as plans
    from cases.record import services as record
    from cases.transfers import services as transfers
    from tests.factories import PDUFactory, PersonFactory, StaffMemberFactory

    durham = PDUFactory.create(code="NE-DUR", name="County Durham", region=officer.pdu.region)
    receiving = StaffMemberFactory.create(pdu=durham, team=None, name="Dana Durham")
    person = PersonFactory.create(pdu=officer.pdu, crn="L000001")
    licence = record.event_record(
        person=person, user=officer.user, type="licence", sentence_date=date(2025, 6, 2),
        release_date=date(2026, 1, 5), length_months=12,
    )  # fmt: skip
    allocation.allocate(event=licence, staff=officer, user=spo.user, from_date=date(2026, 1, 5))
    appointment(officer, licence, date(2026, 1, 6), "initial_appointment", "attended")
    plan = plans.plan_for(licence, officer.user)
    plans.objective_save(
        plan=plan, user=officer.user, expected_version=plan.version, objective=None,
        fields={"area": "accommodation", "description": "Settled housing", "steps": "Housing options"},
    )  # fmt: skip
    plan.refresh_from_db()
    plans.complete(plan=plan, user=officer.user, expected_version=plan.version, on=date(2026, 9, 30))
    request = transfers.request(
        event=licence, user=officer.user, to_pdu=durham, reason="Moved to Durham", on=date(2026, 2, 2)
    )
    transfers.accept(transfer=request, user=spo.user, by=spo, officer=receiving, on=date(2026, 2, 20))
    recall = enforcement.recall_recommend(
        event=licence, user=officer.user, recall_type="standard", rationale="Contact with the victim"
    )
    enforcement.recall_decide(
        action=recall, user=pdu_head.user, decider=pdu_head, decision="agreed", rationale="Risk to the victim",
        decided_at=timezone.now(),
    )  # fmt: skip
    enforcement.recall_requested(action=recall, user=pdu_head.user, requested_at=timezone.now())
    enforcement.recall_return(action=recall, user=officer.user, returned_on=date(2026, 9, 30))
    prisoner = PersonFactory.create(pdu=officer.pdu, crn="C000001")
    custody = record.event_record(
        person=prisoner, user=officer.user, type="custody", sentence_date=date(2026, 3, 2),
        custody={"expected_release_date": date(2027, 3, 1)},
    )  # fmt: skip
    allocation.allocate(event=custody, staff=officer, user=spo.user, from_date=date(2026, 6, 1))

    def report() -> list[dict]:
        out = StringIO()
        call_command("standards_report", "--as-of", "2026-09-30", "--format", "json", stdout=out)
        return [row for row in json.loads(out.getvalue()) if row["crn"] in {"L000001", "C000001"}]

    through_the_pages = report()
    assert {row["rule"] for row in through_the_pages} >= {
        "initial_sentence_plan", "sentence_plan_review", "transfer", "recall", "recall_review", "pre_release_handover",
    }  # fmt: skip
    document = published_shape(exporter.document())
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(document)
    assert report() == through_the_pages
