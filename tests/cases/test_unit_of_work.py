"""Every change to a case goes through one visible unit of work (cases/unit_of_work.py): the transaction, the
case's lock first, the facts, the ledger derived again, the audit row, the jobs after commit."""

import ast
from datetime import date, datetime, timedelta
from pathlib import Path
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cases import audit
from cases.contacts import services as contacts
from cases.models import AuditEvent, Contact, Obligation
from cases.record import services as record
from cases.unit_of_work import case_change

ROOT = Path(__file__).resolve().parents[2]
WRITE_MODULES = sorted(
    [
        *ROOT.glob("cases/*/services.py"),
        ROOT / "cases/interchange/importer.py",
        *(
            path
            for path in (ROOT / "interventions").rglob("*.py")
            if path.stem not in {"views", "forms", "admin", "apps", "urls", "models", "demo", "__init__"}
            and "migrations" not in path.parts
        ),
    ]
)
WRITES = {"save", "create", "update", "delete", "bulk_create", "bulk_update", "get_or_create", "update_or_create"}
EXEMPT = {
    ("cases/allocation/services.py", "staff_left"): "marks a staff member as left: no case changes",
    # the nightly job: one set-based UPDATE across every case (ARCHITECTURE.md), its audit rows in one INSERT and
    # the ledger refreshed batch by batch, under the ledger's advisory lock: a case_change per case would be a loop
    ("cases/ending/services.py", "end_completed"): "the nightly set-based end of sentences",
    ("cases/interchange/importer.py", "_organisation"): "the organisation's reference data, not a case",
    # the import's interventions sections: called only by cases/interchange/importer.py, inside its case_change
    ("interventions/interchange.py", "write_requirement_extras"): "part of an import's case_change",
    ("interventions/interchange.py", "write_event_sections"): "part of an import's case_change",
}


def _inside_case_change(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.With) and any(
            isinstance(item.context_expr, ast.Call) and ast.unparse(item.context_expr.func) == "case_change"
            for item in node.items
        ):
            return True
    return False


def unguarded_writes(path: Path) -> list[str]:
    """Each write to the database (or call of a private helper that writes) outside `with case_change(...)`."""
    relative = str(path.relative_to(ROOT))
    tree = ast.parse(path.read_text())
    functions = {f.name: f for f in tree.body if isinstance(f, ast.FunctionDef)}
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}

    def calls(function: ast.FunctionDef) -> list[ast.Call]:
        return [node for node in ast.walk(function) if isinstance(node, ast.Call)]

    def writes_directly(call: ast.Call) -> bool:
        return isinstance(call.func, ast.Attribute) and call.func.attr in WRITES

    def private_helper(call: ast.Call) -> str | None:
        name = call.func.id if isinstance(call.func, ast.Name) else None
        return name if name in functions and name.startswith("_") else None

    def unguarded(function: ast.FunctionDef, writers: set[str]) -> list[ast.Call]:
        return [
            c
            for c in calls(function)
            if (writes_directly(c) or private_helper(c) in writers) and not _inside_case_change(c, parents)
        ]

    writers: set[str] = set()  # the private helpers that write outside a case_change of their own
    changed = True
    while changed:
        changed = False
        for name, function in functions.items():
            candidate = name.startswith("_") and name not in writers and (relative, name) not in EXEMPT
            if candidate and unguarded(function, writers):
                writers.add(name)
                changed = True
    return [
        f"{relative}:{call.lineno} {name}() writes outside case_change: {ast.unparse(call)[:60]}"
        for name, function in functions.items()
        if not name.startswith("_") and (relative, name) not in EXEMPT
        for call in unguarded(function, writers)
    ]


def test_every_service_that_writes_case_facts_does_it_in_one_case_change() -> None:
    assert len(WRITE_MODULES) >= 10
    assert [problem for path in WRITE_MODULES for problem in unguarded_writes(path)] == []


def test_the_walker_finds_a_write_outside_the_unit_of_work(tmp_path: Path) -> None:
    """The check above can fail: a service that saves outside case_change is reported, one inside is not."""
    sneaky = ROOT / "cases" / "_sneaky_services_for_test.py"
    sneaky.write_text(
        "def good(user, event):\n    with case_change(event, user, 'x') as change:\n        event.save()\n\n"
        "def bad(user, event):\n    _helper(event)\n\n"
        "def _helper(event):\n    event.contacts.create()\n"
    )
    try:
        assert [p.split(" ", 1)[1] for p in unguarded_writes(sneaky)] == [
            "bad() writes outside case_change: _helper(event)"
        ]
    finally:
        sneaky.unlink()


def test_the_audit_writer_writes_audit_rows_and_nothing_else(officer, community_order, contact_types) -> None:
    with CaptureQueriesContext(connection) as queries:
        audit.record(officer.user, "contact.book", community_order.person)
    assert len(queries) == 1
    assert queries[0]["sql"].startswith('INSERT INTO "cases_auditevent"')
    assert not Obligation.objects.filter(event=community_order).exists()  # the ledger was not touched


def test_a_change_locks_the_case_first_then_derives_the_ledger_then_audits(
    officer, community_order, contact_types
) -> None:
    with CaptureQueriesContext(connection) as queries:
        contacts.log_contact(
            event=community_order,
            user=officer.user,
            type=contact_types["office_visit"],
            starts_at=timezone.now() - timedelta(hours=1),
            staff=officer,
            outcome="attended",
        )
    statements = [q["sql"] for q in queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE"))]
    assert "FOR NO KEY UPDATE" in statements[0]
    assert statements[-1].startswith('INSERT INTO "cases_auditevent"')
    assert Obligation.objects.filter(event=community_order, rule="initial_appointment").exists()
    logged = AuditEvent.objects.get(action="contact.log")
    assert (logged.person_id, logged.object_type) == (community_order.person_id, "contact")


def test_a_refused_change_leaves_no_fact_no_audit_and_no_ledger_change(officer, community_order, contact_types) -> None:
    with pytest.raises(ValidationError):
        contacts.book(
            event=community_order,
            user=officer.user,
            type=contact_types["office_visit"],
            starts_at=timezone.make_aware(datetime(2026, 11, 27, 10)),
            staff=officer,
            repeat="weekly",
            count=99,
        )
    assert not Contact.objects.filter(event=community_order).exists()
    assert not AuditEvent.objects.exists()
    assert not Obligation.objects.exists()


def test_jobs_asked_for_run_only_once_the_change_commits(officer, community_order, django_capture_on_commit_callbacks):
    job = mock.Mock()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with case_change(community_order, officer.user, "test.change") as change:
            change.after_commit(job)
            change.touches(community_order)
        job.assert_not_called()
    assert len(callbacks) == 1


def test_a_change_must_name_its_case(officer) -> None:
    with pytest.raises(ValueError, match="must say which case"), case_change(None, officer.user, "test.change"):
        pass


def test_a_change_inside_a_change_to_the_same_case_derives_the_ledger_once(
    officer, community_order, contact_types
) -> None:
    from cases.standards import ledger

    with (
        mock.patch.object(ledger, "refresh_person", wraps=ledger.refresh_person) as refresh,
        case_change(community_order, officer.user, "outer.change") as change,
    ):
        record.risk_level_record(
            person=community_order.person,
            user=officer.user,
            rosh="medium",
            tier="B2",
            assessed_on=date(2026, 11, 2),
        )
        change.touches(community_order)
    assert refresh.call_count == 1
    assert list(AuditEvent.objects.order_by("id").values_list("action", flat=True)) == ["risk.change", "outer.change"]


def test_a_person_new_to_probation_is_one_change_with_its_sentence(officer, contact_types) -> None:
    event = record.person_record(
        user=officer.user,
        pdu=officer.pdu,
        person_fields={"first_name": "Nia", "last_name": "New", "date_of_birth": date(1990, 1, 2)},
        event_fields={
            "type": "community_order",
            "sentence_date": date(2026, 11, 20),
            "length_months": 12,
            "requirements": [{"type": "curfew"}],
        },
    )
    actions = list(AuditEvent.objects.filter(person=event.person).order_by("id").values_list("action", flat=True))
    assert actions == ["event.create", "person.create"]
    assert Obligation.objects.filter(event=event, rule="initial_appointment").get().due_on == date(2026, 11, 27)
