"""Import a probation-cases/1 document: all or nothing, upserting by natural keys, audited per person changed."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.db import DataError, IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from cases.contacts.services import snapshot
from cases.interchange import documents, exporter, person_keys
from cases.interchange.reader import Problems
from cases.interchange.records import Document, EventRecord, Known, Organisation, PersonRecord
from cases.interchange.schema import parse
from cases.models import (
    AccessRule,
    Address,
    Alias,
    Allocation,
    Contact,
    ContactType,
    ContactVersion,
    EnforcementAction,
    Event,
    Objective,
    Outcome,
    OversightTask,
    Person,
    PlanReview,
    Registration,
    Requirement,
    SentencePlan,
    Transfer,
)
from cases.standards import rules
from cases.unit_of_work import case_change
from interventions import interchange
from regions.models import PDU, Region, StaffMember, Team


class ImportRefused(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped_sections: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # facts kept as they happened, judged by the rules


def import_document(data: Any, user: User | AnonymousUser | None = None) -> ImportResult:
    """Validate the whole document, then write it in one transaction; raise ImportRefused listing every problem."""
    known = Known(
        pdus=set(PDU.objects.values_list("code", flat=True)),
        staff=set(StaffMember.objects.values_list("code", flat=True)),
        contact_types=set(ContactType.objects.values_list("code", flat=True)),
        regions=set(Region.objects.values_list("code", flat=True)),
    )
    document, problems = parse(data, known)
    if problems:
        raise ImportRefused(problems)
    return _write(document, user or AnonymousUser())


@transaction.atomic
def _write(document: Document, user: User | AnonymousUser) -> ImportResult:
    try:
        with transaction.atomic():
            _organisation(document.organisation)
    except (IntegrityError, DataError) as error:
        raise ImportRefused([f"organisation: refused by the database: {str(error).splitlines()[0]}"]) from error
    pdus = {pdu.code: pdu for pdu in PDU.objects.all()}
    staff = {member.code: member for member in StaffMember.objects.all()}
    kept = [w for person in document.people for event in person.events for w in event.warnings]
    result = ImportResult(skipped_sections=document.skipped, warnings=kept)
    problems = Problems()
    for index, record in enumerate(document.people):
        try:
            outcome = _person(record, pdus, staff, user)
        except (IntegrityError, DataError, ProtectedError) as error:
            problems.add(f"people[{index}]", f"refused by the database: {str(error).splitlines()[0]}")
            continue
        setattr(result, outcome, getattr(result, outcome) + 1)
    if problems:
        transaction.set_rollback(True)
        raise ImportRefused(problems)
    return result


def _organisation(org: Organisation) -> None:
    for region in org.regions:
        Region.objects.update_or_create(code=region.code, defaults={"name": region.name})
    regions = {r.code: r for r in Region.objects.all()}
    for pdu in org.pdus:
        PDU.objects.update_or_create(code=pdu.code, defaults={"name": pdu.name, "region": regions[pdu.parent or ""]})
    pdus = {p.code: p for p in PDU.objects.all()}
    for team in org.teams:
        Team.objects.update_or_create(code=team.code, defaults={"name": team.name, "pdu": pdus[team.parent or ""]})
    teams = {t.code: t for t in Team.objects.select_related("pdu")}
    for member in org.staff:
        unit: dict[str, Any] = {"team": None, "pdu": None, "region": None}
        if member.level == "team":
            unit["team"] = teams[member.unit]
        elif member.level == "pdu":
            unit["pdu"] = pdus[member.unit]
        elif member.level == "region":
            unit["region"] = regions[member.unit]
        StaffMember.objects.update_or_create(
            code=member.code,
            defaults={"name": member.name, "grade": member.grade, "contracted_hours": member.hours, **unit},
        )


def _person(
    record: PersonRecord, pdus: dict[str, PDU], staff: dict[str, StaffMember], user: User | AnonymousUser
) -> str:
    """Write one person as one change to their case; if nothing differs from what was there, undo the writes."""
    existing = exporter.people_queryset().filter(crn=record.fields["crn"]).first()
    before = exporter.person(existing) if existing else None
    try:
        with case_change(existing, user, "import.update" if existing else "import.create") as change:
            person, _ = Person.objects.update_or_create(
                crn=record.fields["crn"], defaults={**record.fields, "pdu": pdus[record.pdu]}
            )
            if existing is None:
                change.of_new_case(person)
            _replace_children(person, record, staff)
            if exporter.person(exporter.people_queryset().get(pk=person.pk)) == before:
                raise _Unchanged
    except _Unchanged:
        return "unchanged"
    return "updated" if existing else "created"


class _Unchanged(Exception):
    """The document says what the record already holds: the change is undone, so nothing is audited."""


def _replace_children(person: Person, record: PersonRecord, staff: dict[str, StaffMember]) -> None:
    person.aliases.all().delete()
    Alias.objects.bulk_create(Alias(person=person, **alias) for alias in record.aliases)
    person.addresses.all().delete()
    Address.objects.bulk_create(Address(person=person, **address) for address in record.addresses)
    person.registrations.all().delete()
    Registration.objects.bulk_create(Registration(person=person, **r) for r in record.registrations)
    documents.write(person, record.documents)
    person_keys.write(person, record.details, staff)
    person.access_rules.all().delete()
    AccessRule.objects.bulk_create(
        AccessRule(person=person, kind=rule["kind"], staff=staff[rule["staff"]], reason=rule["reason"])
        for rule in record.access
    )
    for event_record in record.events:
        # A new event is supervised in the person's PDU; an existing one keeps its own (it may have transferred).
        event, _ = Event.objects.update_or_create(
            person=person,
            ref=event_record.fields["ref"],
            defaults=event_record.fields,
            create_defaults={**event_record.fields, "pdu": person.pdu},
        )
        requirements = _requirements(event, event_record.requirements)
        _contacts(event, event_record, staff)
        objectives = _plan(event, event_record.plan, requirements)
        interchange.write_event_sections(event, event_record.interventions, objectives)
        _transfers(event, event_record.transfers, staff)
        _oversight(event, event_record.oversight, staff)
        event.allocations.all().delete()
        # The format has no coded reason (INTERCHANGE.md): the earliest allocation is the initial one; a later
        # one's reason is not recorded (its note in words, `reason`, is kept).
        first = min((a["from_date"] for a in event_record.allocations), default=None)
        Allocation.objects.bulk_create(
            Allocation(
                event=event,
                staff=staff[a["staff"]],
                from_date=a["from_date"],
                to_date=a["to_date"],
                reason=a["reason"],
                reason_code=Allocation.Reason.INITIAL if a["from_date"] == first else "",
            )
            for a in event_record.allocations
        )


def _requirements(event: Event, records: list[dict[str, Any]]) -> list[Requirement]:
    """Matched by type and order within the type, so what hangs off a requirement (sessions, a programme's
    delivery, plan links) stays with it; one the file no longer has is removed."""
    existing: dict[str, list[Requirement]] = {}
    for requirement in event.requirements.order_by("id"):
        existing.setdefault(requirement.type, []).append(requirement)
    written = []
    for record in records:
        fields = dict(record)
        extras = fields.pop("extras")
        matches = existing.get(fields["type"]) or []
        requirement = matches.pop(0) if matches else Requirement(event=event)
        for name, value in fields.items():
            setattr(requirement, name, value)
        requirement.save()
        interchange.write_requirement_extras(requirement, extras)
        written.append(requirement)
    for left_over in existing.values():
        for requirement in left_over:
            requirement.objectives.clear()
            requirement.delete()
    return written


def _contacts(event: Event, record: EventRecord, staff: dict[str, StaffMember]) -> None:
    """Contacts are matched by time and type and never deleted, and neither is their history: a contact the
    file changes gains a version saying so. Enforcement decisions are matched by kind, date and failure."""
    types = {t.code: t for t in ContactType.objects.all()}
    existing = {(c.starts_at, c.type.code): c for c in event.contacts.select_related("type", "staff")}
    by_time: dict[Any, Contact] = {}
    evidence: rules.Rule | None = None  # read once, if a contact awaits evidence with no deadline given
    for item in record.contacts:
        fields = {
            "outcome": item["outcome"],
            "enforceable": item["enforceable"],
            "recorded_at": item["recorded_at"] or item["starts_at"],
            "notes": item["notes"],
            "location": item["location"],
            "staff": staff.get(item["staff"]) if item["staff"] else None,
            "absence_reason": item["absence_reason"],
            "evidence_due": item["evidence_due"],
            "evidence_decided_on": item["evidence_decided_on"],
            "sensitive": item["sensitive"],
            "rar": item["rar"],
            "entered_in_error": item["entered_in_error"],
            "error_reason": item["error_reason"],
        }
        if fields["outcome"] == Outcome.AWAITING_EVIDENCE and fields["evidence_due"] is None:
            day = timezone.localtime(item["starts_at"]).date()
            evidence = evidence or rules.current()["absence_evidence"]
            fields["evidence_due"] = evidence.due(day)
        versions = item["versions"] or []
        contact = existing.get((item["starts_at"], item["type"]))
        if contact is None:
            contact = Contact(event=event, type=types[item["type"]], starts_at=item["starts_at"], **fields)
            contact.version = max((v["number"] for v in versions), default=1)
            contact.save()
            ContactVersion.objects.bulk_create(ContactVersion(contact=contact, **v) for v in versions)
            if not versions:
                ContactVersion.objects.create(contact=contact, number=1, data=snapshot(contact), reason="Imported")
        else:
            before = snapshot(contact)
            for name, value in fields.items():
                setattr(contact, name, value)
            known = set(contact.versions.values_list("number", flat=True))
            ContactVersion.objects.bulk_create(
                ContactVersion(contact=contact, **v) for v in versions if v["number"] not in known
            )
            contact.version = max([contact.version, *(v["number"] for v in versions)])
            if snapshot(contact) != before:
                contact.version += 1
                ContactVersion.objects.create(
                    contact=contact, number=contact.version, data=snapshot(contact), reason="Imported"
                )
            contact.save()
        by_time[item["starts_at"]] = contact
    for item in record.enforcement:
        fields = dict(item)
        failure_at, decided_by = fields.pop("failure_at"), fields.pop("decided_by")
        failure = by_time.get(failure_at) if failure_at else None
        EnforcementAction.objects.update_or_create(
            event=event,
            kind=fields.pop("kind"),
            on=fields.pop("on"),
            failure=failure,
            defaults={**fields, "decided_by": staff.get(decided_by) if decided_by else None},
        )


def _plan(event: Event, record: dict[str, Any] | None, requirements: list[Requirement]) -> list[Objective]:
    """The file's plan replaces the sentence's plan (objectives and reviews included)."""
    if record is None:
        return list(Objective.objects.filter(plan__event=event).order_by("id"))
    plan, _ = SentencePlan.objects.get_or_create(event=event)
    plan.reviews.all().delete()
    plan.objectives.all().delete()
    completed = record["completed_on"]
    plan.status = SentencePlan.Status.COMPLETED if completed else SentencePlan.Status.DRAFT
    plan.completed_on, plan.persons_view = completed, record["persons_view"]
    plan.version += 1  # a plan form left open across the import must not save over it
    plan.save()
    links = [fields["requirements"] for fields in record["objectives"]]
    objectives = Objective.objects.bulk_create(
        Objective(plan=plan, **{k: v for k, v in fields.items() if k != "requirements"})
        for fields in record["objectives"]
    )
    for objective, positions in zip(objectives, links, strict=True):
        if positions:
            objective.requirements.set([requirements[i] for i in positions])
    for review in record["reviews"]:
        progress = {
            str(objectives[int(i)].pk): text
            for i, text in review["progress"].items()
            if str(i).isascii() and str(i).isdigit() and int(i) < len(objectives)
        }
        PlanReview.objects.create(
            plan=plan, reviewed_on=review["reviewed_on"], summary=review["summary"], progress=progress
        )
    return objectives


def _oversight(event: Event, records: list[dict[str, Any]], staff: dict[str, StaffMember]) -> None:
    """The file's oversight history replaces the sentence's."""
    by_time = {c.starts_at: c for c in event.contacts.all()}
    event.oversight_tasks.all().delete()
    OversightTask.objects.bulk_create(
        OversightTask(
            event=event,
            reason=r["reason"],
            opened_on=r["opened_on"],
            closed_at=r["closed_at"],
            closed_by=staff.get(r["closed_by"]) if r["closed_by"] else None,
            note=r["note"],
            outcome=r["outcome"],
            trigger=by_time.get(r["trigger_at"]) if r["trigger_at"] else None,
        )
        for r in records
    )


def _transfers(event: Event, records: list[dict[str, Any]], staff: dict[str, StaffMember]) -> None:
    """The file's transfer history replaces the sentence's; the last completed one says where it is now."""
    if not records:
        return
    pdus = {
        p.code: p
        for p in PDU.objects.filter(code__in={r["from_pdu"] for r in records} | {r["to_pdu"] for r in records})
    }
    event.transfers.all().delete()
    for item in records:
        status = (
            Transfer.Status.COMPLETED
            if item["completed_on"]
            else Transfer.Status.REJECTED
            if item["rejected_on"]
            else Transfer.Status.REQUESTED
        )
        Transfer.objects.create(
            event=event,
            from_pdu=pdus[item["from_pdu"]],
            to_pdu=pdus[item["to_pdu"]],
            reason=item["reason"],
            requested_on=item["requested_on"],
            status=status,
            decided_on=item["completed_on"] or item["rejected_on"],
            rejection_reason=item["rejection_reason"],
            receiving_officer=staff.get(item["receiving_officer"]) if item["receiving_officer"] else None,
        )
    completed = sorted((r for r in records if r["completed_on"]), key=lambda r: r["completed_on"])
    if completed:
        Event.objects.filter(pk=event.pk).update(pdu=pdus[completed[-1]["to_pdu"]])
