"""Write the organisation and the case record as a probation-cases/1 document, in a stable order."""

from collections.abc import Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from cases.interchange import FORMAT, documents, person_keys, published_contact_type, published_outcome
from cases.models import (
    Allocation,
    Contact,
    ContactVersion,
    EnforcementAction,
    Event,
    OversightTask,
    Person,
    Registration,
    Requirement,
    SentencePlan,
    Transfer,
)
from interventions import interchange
from regions.models import PDU, Region, StaffMember, Team


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _moment(value: datetime | None) -> str | None:
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z") if value else None


def _hours(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def _staff(members: Iterable[StaffMember]) -> list[dict[str, Any]]:
    return [
        {"code": m.code, "name": m.name, "grade": m.grade, "hours": _hours(m.contracted_hours)}
        for m in sorted(members, key=lambda m: m.code)
    ]


def national_staff() -> list[dict[str, Any]]:
    """Staff above any region (national and HQ staff, administrators)."""
    return _staff(StaffMember.objects.filter(region__isnull=True))


def organisation() -> list[dict[str, Any]]:
    staff = list(StaffMember.objects.filter(region__isnull=False))
    by_team: dict[int, list[StaffMember]] = {}
    by_pdu: dict[int, list[StaffMember]] = {}
    by_region: dict[int, list[StaffMember]] = {}
    for member in staff:
        if member.team_id:
            by_team.setdefault(member.team_id, []).append(member)
        elif member.pdu_id:
            by_pdu.setdefault(member.pdu_id, []).append(member)
        elif member.region_id:
            by_region.setdefault(member.region_id, []).append(member)
    teams = Prefetch("teams", queryset=Team.objects.order_by("code"))
    pdus = Prefetch("pdus", queryset=PDU.objects.order_by("code").prefetch_related(teams))
    regions = []
    for region in Region.objects.order_by("code").prefetch_related(pdus):
        entry: dict[str, Any] = {"region": region.code, "name": region.name}
        if region.pk in by_region:
            entry["staff"] = _staff(by_region[region.pk])
        entry["pdus"] = []
        for pdu in region.pdus.all():
            pdu_entry: dict[str, Any] = {"code": pdu.code, "name": pdu.name}
            if pdu.pk in by_pdu:
                pdu_entry["staff"] = _staff(by_pdu[pdu.pk])
            pdu_entry["teams"] = [
                {"code": t.code, "name": t.name, "staff": _staff(by_team.get(t.pk, []))} for t in pdu.teams.all()
            ]
            entry["pdus"].append(pdu_entry)
        regions.append(entry)
    return regions


def people_queryset() -> QuerySet[Person]:
    contacts = Contact.objects.select_related("type", "staff").prefetch_related(
        Prefetch("versions", queryset=ContactVersion.objects.order_by("number"))
    )
    events = Event.objects.select_related("plan").prefetch_related(
        "plan__objectives",
        "plan__reviews",
        Prefetch("contacts", queryset=contacts.order_by("starts_at", "id")),
        Prefetch(
            "enforcement_actions",
            # A withdrawn warning answers nothing: probation-cases/1 has no way to say so, and leaves it out.
            queryset=EnforcementAction.objects.standing().select_related("failure", "decided_by").order_by("on", "id"),
        ),
        Prefetch("requirements", queryset=Requirement.objects.order_by("id")),
        Prefetch(
            "transfers",
            queryset=Transfer.objects.select_related("from_pdu", "to_pdu", "receiving_officer").order_by(
                "requested_on", "id"
            ),
        ),
        Prefetch("allocations", queryset=Allocation.objects.select_related("staff").order_by("from_date", "id")),
        Prefetch(
            "oversight_tasks",
            queryset=OversightTask.objects.select_related("closed_by", "trigger").order_by("opened_on", "id"),
        ),
        *interchange.event_prefetches(),
    )
    return Person.objects.select_related("pdu").prefetch_related(
        Prefetch("events", queryset=events),
        Prefetch("registrations", queryset=Registration.objects.order_by("type", "from_date", "id")),
        "aliases",
        "addresses",
        "access_rules__staff",
        "documents",
        "phones",
        "personal_contacts",
        "circumstances",
        "disabilities",
        "rosh_assessments__assessed_by",
        "predictors",
    )


def person(p: Person) -> dict[str, Any]:
    return (
        {
            "crn": p.crn,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "date_of_birth": _day(p.date_of_birth),
            "pdu": p.pdu.code,
            "rosh": p.rosh or None,
            "tier": p.tier or None,
            "pnc": p.pnc or None,
            "gender": p.gender,
            "access_contact": p.access_contact or None,
            "aliases": sorted(
                (
                    {"first_name": a.first_name, "last_name": a.last_name, "date_of_birth": _day(a.date_of_birth)}
                    for a in p.aliases.all()
                ),
                key=lambda a: (a["last_name"], a["first_name"], a["date_of_birth"] or ""),
            ),
            "addresses": sorted(
                (
                    {
                        "lines": a.lines,
                        "postcode": a.postcode or None,
                        "type": a.type,
                        "from": _day(a.from_date),
                        "to": _day(a.to_date),
                    }
                    for a in p.addresses.all()
                ),
                key=lambda a: (a["from"], a["type"], a["lines"]),
            ),
            "access": sorted(
                ({"kind": r.kind, "staff": r.staff.code, "reason": r.reason or None} for r in p.access_rules.all()),
                key=lambda r: (r["kind"], r["staff"]),
            ),
            "registrations": [
                {
                    "type": r.type,
                    "from": _day(r.from_date),
                    "review_on": _day(r.review_due),
                    "ended_on": _day(r.ended_on),
                    "mappa_level": r.mappa_level,
                    "mappa_category": r.mappa_category,
                    "notes": r.notes or None,
                }
                for r in p.registrations.all()
            ],
            "events": [event(e) for e in sorted(p.events.all(), key=lambda e: (len(e.ref), e.ref))],
        }
        | person_keys.export(p)
        | ({documents.KEY: listed} if (listed := documents.export(p)) else {})
    )


def event(e: Event) -> dict[str, Any]:
    requirements = list(e.requirements.all())
    position = {r.pk: index for index, r in enumerate(requirements)}
    plan = e.plan if has_plan(e) else None
    objective_position = (
        {o.pk: index for index, o in enumerate(sorted(plan.objectives.all(), key=lambda o: o.pk))} if plan else {}
    )
    return {
        "ref": e.ref,
        "type": e.type,
        "sentence_date": _day(e.sentence_date),
        "length_months": e.length_months,
        "release_date": _day(e.release_date),
        "terminated_on": _day(e.terminated_on),
        "termination_reason": e.termination_reason or None,
        "expected_end_date": _day(e.expected_end_date),
        "court": e.court or None,
        "offence": e.offence or None,
        "requirements": [requirement(r) for r in requirements],
        "allocations": [
            {"staff": a.staff.code, "from": _day(a.from_date), "to": _day(a.to_date), "reason": a.reason or None}
            for a in e.allocations.all()
        ],
        "contacts": [contact(c) for c in e.contacts.all()],
        "enforcement": [enforcement(a) for a in e.enforcement_actions.all()],
        "sentence_plans": [sentence_plan(plan, position)] if plan else [],
        "transfers": [transfer(t) for t in e.transfers.all()],
        "oversight": [
            {
                "reason": t.reason,
                "opened_on": _day(t.opened_on),
                "closed_at": _moment(t.closed_at),
                "closed_by": t.closed_by.code if t.closed_by else None,
                "note": t.note or None,
                "trigger_at": _moment(t.trigger.starts_at) if t.trigger else None,
                "outcome": t.outcome or None,
            }
            for t in e.oversight_tasks.all()
        ],
        **interchange.event_sections_export(e, objective_position),
        **({"custody": custody(e)} if e.expected_release_date else {}),
    }


def has_plan(e: Event) -> bool:
    try:
        return e.plan is not None
    except SentencePlan.DoesNotExist:
        return False


def custody(e: Event) -> dict[str, Any]:
    return {
        "expected_release_date": _day(e.expected_release_date),
        "parole": e.parole,
        "parole_eligibility_date": _day(e.parole_eligibility_date),
        "handover_meeting_on": _day(e.handover_meeting_on),
    }


def sentence_plan(p: SentencePlan, requirement_position: dict[int, int]) -> dict[str, Any]:
    objectives = sorted(p.objectives.all(), key=lambda o: o.pk)
    position = {o.pk: index for index, o in enumerate(objectives)}
    reviews = sorted(p.reviews.all(), key=lambda r: (r.reviewed_on, r.pk))
    return {
        "completed_on": _day(p.completed_on),
        "reviewed_on": [_day(r.reviewed_on) for r in reviews],
        "persons_view": p.persons_view or None,
        "objectives": [
            {
                "area": o.area,
                "description": o.description,
                "steps": o.steps or None,
                "who": o.who or None,
                "target_date": _day(o.target_date),
                "progress": o.progress or None,
                "achieved": o.achieved,
                "requirements": sorted(requirement_position[r.pk] for r in o.requirements.all()),
            }
            for o in objectives
        ],
        "reviews": [
            {
                "reviewed_on": _day(r.reviewed_on),
                "summary": r.summary,
                "progress": {
                    str(index): text
                    for index, text in sorted(
                        (position[int(key)], text)
                        for key, text in r.progress.items()
                        if key.isascii() and key.isdigit() and int(key) in position
                    )
                },
            }
            for r in reviews
        ],
    }


def transfer(t: Transfer) -> dict[str, Any]:
    completed = t.status == Transfer.Status.COMPLETED
    return {
        "from_pdu": t.from_pdu.code,
        "to_pdu": t.to_pdu.code,
        "requested_on": _day(t.requested_on),
        "completed_on": _day(t.decided_on) if completed else None,
        "reason": t.reason,
        "rejected_on": _day(t.decided_on) if t.status == Transfer.Status.REJECTED else None,
        "rejection_reason": t.rejection_reason or None,
        "receiving_officer": t.receiving_officer.code if t.receiving_officer else None,
    }


def contact(c: Contact) -> dict[str, Any]:
    return {
        "type": published_contact_type(c.type.code),
        "at": _moment(c.starts_at),
        "outcome": published_outcome(c.outcome),
        "enforceable": c.enforceable,
        "recorded_at": _moment(c.recorded_at),
        "notes": c.notes,
        "location": c.location or None,
        "staff": c.staff.code if c.staff else None,
        "absence_reason": c.absence_reason or None,
        "evidence_due": _day(c.evidence_due),
        "evidence_decided_on": _day(c.evidence_decided_on),
        "sensitive": c.sensitive,
        "rar": c.rar,
        "entered_in_error": c.entered_in_error,
        "error_reason": c.error_reason or None,
        "versions": [
            {
                "number": v.number,
                "changed_at": _moment(v.changed_at),
                "changed_by": v.changed_by_name or None,
                "reason": v.reason or None,
                "data": v.data,
            }
            for v in c.versions.all()
        ],
    }


def enforcement(a: EnforcementAction) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": a.kind}
    if a.kind == EnforcementAction.Kind.BREACH:
        entry |= {"aware_on": _day(a.aware_on), "initiated_on": _day(a.on), "resolved_on": _day(a.resolved_on)}
        entry["court_outcome"] = a.court_outcome or None
    elif a.kind == EnforcementAction.Kind.RECALL:
        entry |= {"on": _day(a.on), "recall_type": a.recall_type or None, "decision": a.decision or None}
        entry |= {"decided_at": _moment(a.decided_at), "decided_by": a.decided_by.code if a.decided_by else None}
        entry |= {"decision_rationale": a.decision_rationale or None, "requested_at": _moment(a.requested_at)}
        entry |= {"returned_on": _day(a.returned_on), "review_completed_on": _day(a.review_completed_on)}
    else:
        entry["on"] = _day(a.on)
    entry |= {"failure_at": _moment(a.failure.starts_at) if a.failure else None, "rationale": a.rationale or None}
    entry["letter"] = a.letter or None
    return entry


def requirement(r: Requirement) -> dict[str, Any]:
    entry: dict[str, Any] = {"type": r.type}
    if r.hours is not None:
        entry["hours"] = r.hours
    if r.days is not None:
        entry["days"] = r.days
    if r.programme:
        entry["programme"] = r.programme
    if r.description:
        entry["description"] = r.description
    if r.terminated_on:
        entry["terminated_on"] = _day(r.terminated_on)
    return entry | interchange.requirement_extras_export(r)


def document(batch_size: int = 2000) -> dict[str, Any]:
    people = people_queryset().order_by("crn")
    document: dict[str, Any] = {"format": FORMAT}
    if staff := national_staff():
        document["staff"] = staff
    return document | {
        "organisation": organisation(),
        "people": [person(p) for p in people.iterator(chunk_size=batch_size)],
    }
