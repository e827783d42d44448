"""import_cases / export_cases: all or nothing, every problem by JSON path, idempotent, round trip identical."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from cases.interchange import exporter
from cases.interchange.importer import ImportRefused, import_document
from cases.models import Allocation, AuditEvent, ContactType, Event, Person, Requirement
from cases.reference import ensure_contact_types
from probation.demo import load_demo
from regions.models import StaffMember
from tests.factories import book

EXAMPLE: dict[str, Any] = {
    "format": "probation-cases/1",
    "organisation": [
        {
            "region": "NE",
            "name": "North East",
            "pdus": [
                {
                    "code": "NE-TYN",
                    "name": "Tyneside",
                    "teams": [
                        {
                            "code": "NE-TYN-T1",
                            "name": "Tyneside Team 1",
                            "staff": [{"code": "NE001", "name": "Jo Bloggs", "grade": "PO", "hours": 37}],
                        }
                    ],
                },
                {"code": "NE-DUR", "name": "County Durham", "teams": []},
            ],
        }
    ],
    "people": [
        {
            "crn": "X123456",
            "first_name": "Sam",
            "last_name": "Example",
            "date_of_birth": "1990-04-01",
            "pdu": "NE-TYN",
            "rosh": "medium",
            "tier": "B2",
            "registrations": [{"type": "domestic_abuse", "from": "2025-11-01"}],
            "events": [
                {
                    "ref": "1",
                    "type": "community_order",
                    "sentence_date": "2025-12-19",
                    "length_months": 12,
                    "release_date": None,
                    "terminated_on": None,
                    "termination_reason": None,
                    "requirements": [
                        {"type": "unpaid_work", "hours": 120},
                        {"type": "rar", "days": 20},
                        {"type": "accredited_programme", "programme": "TSP"},
                    ],
                    "allocations": [{"staff": "NE001", "from": "2025-12-22"}],
                }
            ],
        }
    ],
}


def write(tmp_path: Path, data: Any, name: str = "cases.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return path


def snapshot() -> tuple[dict[str, Any], int]:
    return exporter.document(), AuditEvent.objects.count()


@pytest.mark.django_db
def test_the_documented_example_imports(tmp_path: Path) -> None:
    call_command("import_cases", write(tmp_path, EXAMPLE))
    event = Event.objects.get(person__crn="X123456", ref="1")
    assert event.pdu.code == "NE-TYN"
    assert [str(r) for r in event.requirements.order_by("id")] == [
        "Unpaid work: 120 hours",
        "RAR: 20 days",
        "Accredited programme: TSP",
    ]
    assert Allocation.objects.get(event=event).staff.code == "NE001"
    assert AuditEvent.objects.filter(action="import.create", person=event.person, user=None).count() == 1


@pytest.mark.django_db
def test_importing_the_same_file_twice_changes_nothing_the_second_time(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, EXAMPLE)
    call_command("import_cases", path)
    before = snapshot()
    ids = sorted(Requirement.objects.values_list("id", flat=True))
    call_command("import_cases", path)
    assert snapshot() == before
    assert sorted(Requirement.objects.values_list("id", flat=True)) == ids
    assert "0 people created, 0 updated, 1 unchanged" in capsys.readouterr().out


@pytest.mark.django_db
def test_a_changed_file_updates_the_person_and_audits_it(tmp_path: Path) -> None:
    call_command("import_cases", write(tmp_path, EXAMPLE))
    changed = copy.deepcopy(EXAMPLE)
    changed["people"][0]["tier"] = "A3"
    call_command("import_cases", write(tmp_path, changed))
    assert Person.objects.get(crn="X123456").tier == "A3"
    assert AuditEvent.objects.filter(action="import.update").count() == 1


@pytest.mark.django_db
def test_a_file_with_errors_imports_nothing_and_names_every_error_by_path(tmp_path: Path, capsys) -> None:
    bad = copy.deepcopy(EXAMPLE)
    person = bad["people"][0]
    person["date_of_birth"] = "01/04/1990"
    person["events"][0]["requirements"][0]["hours"] = 301
    person["events"][0]["allocations"][0]["staff"] = "NOBODY"
    person["events"][0]["sentence_date"] = "2025-12-32"
    bad["people"].append(
        {"crn": "bad", "first_name": "", "last_name": "X", "date_of_birth": "2000-01-01", "pdu": "NOWHERE"}
    )
    with pytest.raises(CommandError, match="Nothing was imported: 7 problem"):
        call_command("import_cases", write(tmp_path, bad))
    errors = capsys.readouterr().err.splitlines()
    assert errors == [
        "people[0].date_of_birth: not a date",
        "people[0].events[0].sentence_date: not a date",
        "people[0].events[0].requirements[0].hours: must be from 40 to 300",
        "people[0].events[0].allocations[0].staff: no staff member with code NOBODY",
        "people[1].pdu: no PDU with code NOWHERE",
        "people[1].crn: not in the format [A-Z][0-9]{6}",
        "people[1].first_name: is required",
    ]
    assert Person.objects.count() == 0
    assert StaffMember.objects.count() == 0  # not even the organisation


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d.update(format="probation-cases/2"), "format: must be probation-cases/1"),
        (lambda d: d["people"][0]["events"][0].update(type="licence"), "people[0].events[0].release_date: is required"),
        (
            lambda d: d["people"][0]["events"][0].update(terminated_on="2025-12-01", termination_reason="completed"),
            "people[0].events[0].terminated_on: before the sentence date",
        ),
        (
            lambda d: d["people"].append(copy.deepcopy(d["people"][0])),
            "people[1].crn: X123456 appears twice (also at people[0].crn)",
        ),
        (
            lambda d: d["people"][0]["events"][0].update(length_months="12"),
            "people[0].events[0].length_months: not a whole number",
        ),
        (lambda d: d["people"][0].update(events={}), "people[0].events: not a list"),
        (
            lambda d: d["people"][0]["events"][0]["requirements"][1].update(hours=40),
            "people[0].events[0].requirements[1].hours: only for unpaid work",
        ),
    ],
)
def test_each_kind_of_problem_is_reported_at_its_path(change, problem: str) -> None:
    bad = copy.deepcopy(EXAMPLE)
    change(bad)
    with pytest.raises(ImportRefused) as refused:
        import_document(bad)
    assert problem in refused.value.problems
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_a_file_that_is_not_json_is_refused_with_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"format": ')
    with pytest.raises(CommandError, match="not valid JSON: line 1"):
        call_command("import_cases", path)


@pytest.mark.django_db(transaction=True)
def test_export_import_export_gives_an_identical_document(tmp_path: Path) -> None:
    load_demo()
    first = tmp_path / "first.json"
    call_command("export_cases", first)
    exported = json.loads(first.read_text())
    assert len(exported["people"]) > 100
    assert any(p["access"] for p in exported["people"])  # limited access travels with the case

    call_command("flush", "--noinput")  # an empty database, as migrations leave it: with its reference data
    ensure_contact_types(ContactType)
    assert Person.objects.count() == 0
    call_command("import_cases", first)
    second = tmp_path / "second.json"
    call_command("export_cases", second)
    assert second.read_text() == first.read_text()


@pytest.mark.django_db
def test_the_documented_upw_entry_imports_as_a_session(tmp_path: Path, capsys) -> None:
    from interventions.models import UpwSession

    document = copy.deepcopy(EXAMPLE)
    document["people"][0]["events"][0]["upw"] = [{"date": "2026-01-10", "hours": 7, "kind": "work"}]
    call_command("import_cases", write(tmp_path, document))
    assert "not imported" not in capsys.readouterr().err
    session = UpwSession.objects.get()
    assert (session.date.isoformat(), session.work_hours, session.status) == ("2026-01-10", 7, "attended")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda d: d["people"][0].update(rosh=["low"]), "people[0].rosh: not one of high, low, medium, very_high"),
        (
            lambda d: d["organisation"][0]["pdus"][0]["teams"][0]["staff"][0].update(hours=float("nan")),
            "hours: not a number",
        ),
        (lambda d: d["people"][0].update(first_name="Sam\x00"), "people[0].first_name: contains a NUL character"),
        (lambda d: d["people"][0].update(date_of_birth="1990-W01-1"), "people[0].date_of_birth: not a date"),
        (lambda d: d["organisation"][0]["pdus"][1].update(name="Tyneside"), "appears twice"),
    ],
)
def test_malformed_values_are_problems_not_crashes(change, problem: str) -> None:
    bad = copy.deepcopy(EXAMPLE)
    change(bad)
    with pytest.raises(ImportRefused) as refused:
        import_document(bad)
    assert any(problem in p for p in refused.value.problems), refused.value.problems


@pytest.mark.django_db
def test_an_organisation_clash_with_the_database_is_refused_cleanly() -> None:
    from regions.models import Region

    Region.objects.create(code="XX", name="North East")  # the example's region name, under another code
    with pytest.raises(ImportRefused) as refused:
        import_document(copy.deepcopy(EXAMPLE))
    assert refused.value.problems[0].startswith("organisation: refused by the database")
    assert Person.objects.count() == 0


@pytest.mark.django_db
def test_national_staff_and_access_reasons_travel_in_the_export(national, community_order) -> None:
    from cases.models import AccessRule

    AccessRule.objects.create(
        person=community_order.person, staff=national, kind="exclusion", reason="Conflict of interest"
    )
    document = exporter.document()
    assert [s["code"] for s in document["staff"]] == [national.code]
    assert document["people"][0]["access"] == [
        {"kind": "exclusion", "staff": national.code, "reason": "Conflict of interest"}
    ]


CONTACTS = [
    {
        "type": "initial_appointment",
        "at": "2025-12-22T10:00:00Z",
        "outcome": "attended",
        "enforceable": True,
        "recorded_at": "2025-12-22T11:00:00Z",
        "notes": "",
    },
    {
        "type": "office_visit",
        "at": "2026-01-05T10:00:00Z",
        "outcome": "unacceptable_absence",
        "enforceable": True,
        "recorded_at": "2026-01-05T12:00:00Z",
        "notes": "Did not attend",
    },
]
ENFORCEMENT = [
    {"type": "warning", "on": "2026-01-06", "failure_at": "2026-01-05T10:00:00Z"},
    {"type": "breach", "aware_on": "2026-02-10", "initiated_on": "2026-02-18"},
]


@pytest.mark.django_db
def test_contacts_and_enforcement_in_the_documented_shape_import(contact_types) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["people"][0]["events"][0] |= {"contacts": CONTACTS, "enforcement": ENFORCEMENT}
    import_document(document)
    event = Event.objects.get(person__crn="X123456")
    assert list(event.contacts.order_by("starts_at").values_list("type__code", "outcome")) == [
        ("initial_appointment", "attended"),
        ("office_visit", "unacceptable_absence"),
    ]
    warning = event.enforcement_actions.get(kind="warning")
    assert warning.failure is not None
    assert warning.failure.notes == "Did not attend"
    assert str(event.enforcement_actions.get(kind="breach").aware_on) == "2026-02-10"


@pytest.mark.django_db
def test_an_enforcement_decision_must_point_at_a_contact_of_its_event(contact_types) -> None:
    document = copy.deepcopy(EXAMPLE)
    document["people"][0]["events"][0] |= {
        "contacts": CONTACTS,
        "enforcement": [{"type": "warning", "on": "2026-01-06", "failure_at": "2026-01-07T10:00:00Z"}],
    }
    with pytest.raises(ImportRefused) as refused:
        import_document(document)
    assert refused.value.problems == [
        "people[0].events[0].enforcement[0].failure_at: no failure to comply on this event at that time"
    ]


@pytest.mark.django_db(transaction=True)
def test_contact_history_and_enforcement_survive_a_round_trip(officer, spo, community_order, contact_types) -> None:
    from datetime import UTC, datetime

    from cases.contacts import services as contacts
    from cases.enforcement import services as enforcement

    visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, 5, 10, tzinfo=UTC))
    failure = contacts.record_outcome(
        contact=visit, user=officer.user, outcome="unacceptable_absence", notes="No answer", sensitive=True
    )
    contacts.amend(contact=failure, user=officer.user, reason="Spelling", notes="No answer at the door")
    enforcement.decide(
        event=community_order, user=officer.user, kind="warning", failure=failure, on=failure.starts_at.date()
    )
    first = exporter.document()
    assert len(first["people"][0]["events"][0]["contacts"][0]["versions"]) == 3
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(first)
    assert exporter.document() == first


@pytest.mark.django_db
def test_the_documented_plan_and_transfer_shapes_import() -> None:
    document = copy.deepcopy(EXAMPLE)
    document["people"][0]["events"][0] |= {
        "sentence_plans": [{"completed_on": "2026-01-05", "reviewed_on": ["2026-07-01"]}],
        "transfers": [
            {"from_pdu": "NE-TYN", "to_pdu": "NE-DUR", "requested_on": "2026-02-02", "completed_on": "2026-02-20"}
        ],
    }
    import_document(document)
    event = Event.objects.get(person__crn="X123456")
    assert event.pdu.code == "NE-DUR"  # a completed transfer has moved the event
    assert str(event.plan.completed_on) == "2026-01-05"
    assert str(event.plan.reviews.get().reviewed_on) == "2026-07-01"


@pytest.mark.django_db(transaction=True)
def test_plans_transfers_and_custody_survive_a_round_trip(officer, community_order) -> None:
    from datetime import UTC, date, datetime

    from cases.models import Objective
    from cases.plans import services as plans
    from cases.transfers import services as transfers
    from tests.factories import EventFactory, PDUFactory, StaffMemberFactory, TeamFactory

    plan = plans.plan_for(community_order, officer.user)
    plans.objective_save(
        plan=plan,
        user=officer.user,
        expected_version=1,
        objective=None,
        fields={"area": "ete", "description": "Find work"},
    )
    Objective.objects.update(created_at=datetime(2026, 1, 5, 9, tzinfo=UTC))  # written the day it was completed
    plans.complete(plan=plan, user=officer.user, expected_version=2, on=date(2026, 1, 5))
    objective = Objective.objects.get()
    plans.review(
        expected_version=3,
        plan=plan,
        user=officer.user,
        reviewed_on=date(2026, 7, 1),
        summary="Working part time",
        progress={str(objective.pk): "Job at the depot"},
    )
    durham = TeamFactory.create(code="NE-DUR-T1", pdu=PDUFactory.create(code="NE-DUR", region=officer.region))
    receiving = StaffMemberFactory.create(team=durham)
    transfer = transfers.request(
        event=community_order, user=officer.user, to_pdu=durham.pdu, reason="Moved", on=date(2026, 2, 2)
    )
    transfers.accept(transfer=transfer, user=officer.user, by=receiving, officer=receiving, on=date(2026, 2, 10))
    EventFactory.create(
        person=community_order.person,
        ref="2",
        type="custody",
        expected_release_date=date(2027, 1, 4),
        parole=True,
        parole_eligibility_date=date(2026, 12, 1),
    )
    first = exporter.document()
    event_one = first["people"][0]["events"][0]
    assert event_one["sentence_plans"][0]["reviews"][0]["progress"] == {"0": "Job at the depot"}
    assert event_one["transfers"][0]["completed_on"] == "2026-02-10"
    assert first["people"][0]["events"][1]["custody"]["parole"] is True
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(first)
    assert exporter.document() == first


@pytest.mark.django_db(transaction=True)
def test_export_writes_only_the_published_contact_types_and_outcomes(officer, community_order, contact_types) -> None:
    """The product records an email or letter and two ways of being sent home; the format has neither: each is
    written as the published value the rules judge it by, and reads back judged the same."""
    from datetime import UTC, datetime

    from cases.contacts import services as contacts
    from cases.models import Contact
    from cases.models.contact import FAILURES, SEEN

    contacts.log_contact(
        event=community_order,
        user=officer.user,
        type=contact_types["email_letter"],
        starts_at=datetime(2026, 1, 6, 10, tzinfo=UTC),
        staff=officer,
    )
    for day, outcome in ((7, "sent_home_behaviour"), (8, "sent_home_service")):
        visit = book(officer, community_order, contact_types["office_visit"], datetime(2026, 1, day, 10, tzinfo=UTC))
        contacts.record_outcome(contact=visit, user=officer.user, outcome=outcome, notes="")
    judged = {(c.starts_at, c.outcome in FAILURES, c.outcome in SEEN) for c in Contact.objects.all()}

    document = exporter.document()
    written = document["people"][0]["events"][0]["contacts"]
    assert [(c["type"], c["outcome"]) for c in written] == [
        ("other", None),
        ("office_visit", "failed_to_comply"),
        ("office_visit", "attended"),
    ]
    call_command("flush", "--noinput")
    ensure_contact_types(ContactType)
    import_document(document)
    assert {(c.starts_at, c.outcome in FAILURES, c.outcome in SEEN) for c in Contact.objects.all()} == judged
    assert exporter.document() == document
