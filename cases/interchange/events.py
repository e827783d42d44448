"""One event of a probation-cases/1 document and its sections (requirements, allocations, contacts, enforcement,
the sentence plan, transfers, custody, interventions and oversight), parsed and checked against each other."""

from datetime import timedelta
from itertools import pairwise
from typing import Any

from cases.interchange.judged import warnings_kept
from cases.interchange.reader import Reader, in_order
from cases.interchange.records import EventRecord, Known
from cases.models import (
    AbsenceReason,
    EnforcementAction,
    Event,
    NeedArea,
    Outcome,
    OversightTask,
    Requirement,
)
from cases.models.contact import FAILURES
from cases.standards import rules
from interventions import interchange

NOT_YET_IMPORTED: tuple[str, ...] = ()  # sections this version does not import yet


def parse_event(event: Reader, known: Known, skipped: set[str]) -> EventRecord:
    staff = known.staff
    kind = event.choice("type", frozenset(Event.Type.values))
    fields: dict[str, Any] = {
        "ref": event.text("ref", max_length=10),
        "type": kind,
        "sentence_date": event.day("sentence_date"),
        "length_months": event.integer("length_months", required=False, low=1, high=32767),
        "release_date": event.day("release_date", required=kind in Event.RELEASE_TYPES),
        "expected_end_date": event.day("expected_end_date", required=False),
        "terminated_on": event.day("terminated_on", required=False),
        "termination_reason": event.choice(
            "termination_reason", frozenset(Event.TerminationReason.values), required=False
        )
        or "",
        "court": event.text("court", required=False, max_length=100) or "",
        "offence": event.text("offence", required=False, max_length=200) or "",
    }
    sentence = fields["sentence_date"]
    if kind and kind not in Event.RELEASE_TYPES and fields["release_date"]:
        event.problems.add(event.at("release_date"), "only a licence or PSS has a release date")
    in_order(event, sentence, fields["release_date"], "release_date", "the sentence date")
    in_order(event, sentence, fields["expected_end_date"], "expected_end_date", "the sentence date")
    in_order(event, sentence, fields["terminated_on"], "terminated_on", "the sentence date")
    if bool(fields["terminated_on"]) != bool(fields["termination_reason"]):
        event.problems.add(event.path, "terminated_on and termination_reason go together")
    requirements = [_requirement(requirement) for requirement in event.items("requirements")]
    allocations = _closed_by_the_next([_allocation(allocation, staff) for allocation in event.items("allocations")])
    current = [a for a in allocations if a["to_date"] is None]
    if len(current) > 1:
        event.problems.add(event.at("allocations"), "more than one current allocation (with no 'to' date)")
    for section in NOT_YET_IMPORTED:
        if event.items(section):
            skipped.add(section)
    contacts = [_contact(contact, known) for contact in event.items("contacts")]
    seen: set[tuple[Any, Any]] = set()
    for index, contact in enumerate(contacts):
        key = (contact["starts_at"], contact["type"])
        if key in seen:
            event.problems.add(f"{event.at('contacts')}[{index}]", "a contact of this type at this time appears twice")
        seen.add(key)
    failure_times = {
        c["starts_at"] for c in contacts if c["enforceable"] and c["outcome"] in FAILURES and not c["entered_in_error"]
    }
    actions = [_enforcement(action, failure_times, staff) for action in event.items("enforcement")]
    open_recalls = [
        a for a in actions if a["kind"] == "recall" and not a["returned_on"] and a["decision"] != "not_agreed"
    ]
    if len(open_recalls) > 1:
        event.problems.add(event.at("enforcement"), "more than one open recall (undecided, or agreed and not returned)")
    plans = [_plan(plan, len(requirements)) for plan in event.items("sentence_plans")]
    if len(plans) > 1:
        event.problems.add(event.at("sentence_plans"), "a sentence has one plan")
    transfers = [_transfer(item, known) for item in event.items("transfers")]
    if sum(1 for t in transfers if not t["completed_on"] and not t["rejected_on"]) > 1:
        event.problems.add(event.at("transfers"), "more than one transfer waiting for a decision")
    if event.data.get("custody") is not None:
        custody = Reader(event.data["custody"], event.at("custody"), event.problems)
        fields["expected_release_date"] = custody.day("expected_release_date", required=kind == Event.Type.CUSTODY)
        fields["parole"] = custody.flag("parole", default=False)
        fields["parole_eligibility_date"] = custody.day("parole_eligibility_date", required=bool(fields["parole"]))
        fields["handover_meeting_on"] = custody.day("handover_meeting_on", required=False)
    elif kind == Event.Type.CUSTODY:
        event.problems.add(event.at("custody"), "is required for a sentence in custody")
    sections = interchange.event_sections(event, requirements, len(plans[0]["objectives"]) if plans else 0)
    for index, referral in enumerate(sections["referrals"]):
        if referral["region"] and referral["region"] not in known.regions:
            event.problems.add(f"{event.at('referrals')}[{index}].region", f"no region with code {referral['region']}")
    plan = plans[0] if plans else None
    oversight = [_oversight(item, {c["starts_at"] for c in contacts}, staff) for item in event.items("oversight")]
    if sum(1 for task in oversight if task["closed_at"] is None) > 1:
        event.problems.add(event.at("oversight"), "more than one open oversight task")
    kept = warnings_kept(event.path, kind, contacts, actions, requirements, sections["upw"], rules.current())
    return EventRecord(fields, requirements, allocations, contacts, actions, plan, transfers, sections, oversight, kept)


def _oversight(item: Reader, contact_times: set[Any], staff: set[str]) -> dict[str, Any]:
    """Management oversight an SPO owed or gave (the 3rd acceptable absence since the last oversight)."""
    trigger_at = item.moment("trigger_at", required=False)
    if trigger_at and trigger_at not in contact_times:
        item.problems.add(item.at("trigger_at"), "no contact on this event at that time")
    closed_by = item.text("closed_by", required=False, max_length=20)
    if closed_by and closed_by not in staff:
        item.problems.add(item.at("closed_by"), f"no staff member with code {closed_by}")
    record = {
        "reason": item.choice("reason", frozenset(OversightTask.Reason.values)),
        "opened_on": item.day("opened_on"),
        "closed_at": item.moment("closed_at", required=False),
        "closed_by": closed_by,
        "note": item.text("note", required=False, max_length=100_000) or "",
        "trigger_at": trigger_at,
        "outcome": item.choice("outcome", frozenset(OversightTask.Outcome.values), required=False) or "",
    }
    if record["closed_at"] and not record["note"] and record["outcome"] != OversightTask.Outcome.AGREE:
        item.problems.add(item.at("note"), "is required for closed oversight, unless its outcome is agree")
    if record["outcome"] == OversightTask.Outcome.DISAGREE and not record["note"]:
        item.problems.add(item.at("note"), "is required when the outcome is disagree")
    return record


def _plan(plan: Reader, requirement_count: int) -> dict[str, Any]:
    objectives = [
        {
            "area": item.choice("area", frozenset(NeedArea.values)),
            "description": item.text("description", max_length=100_000),
            "steps": item.text("steps", required=False, max_length=100_000) or "",
            "who": item.text("who", required=False) or "",
            "target_date": item.day("target_date", required=False),
            "progress": item.text("progress", required=False, max_length=100_000) or "",
            "achieved": item.flag("achieved", default=False),
            "requirements": _positions(item, "requirements", requirement_count),
        }
        for item in plan.items("objectives")
    ]
    reviews: list[dict[str, Any]] = [
        {
            "reviewed_on": item.day("reviewed_on"),
            "summary": item.text("summary", required=False, max_length=100_000) or "",
            "progress": item.mapping("progress") if item.data.get("progress") is not None else {},
        }
        for item in plan.items("reviews")
    ]
    if not reviews:  # the documented short form: review dates only
        dates = plan.data.get("reviewed_on") or []
        if not isinstance(dates, list):
            plan.problems.add(plan.at("reviewed_on"), "not a list")
            dates = []
        reviews = [
            {
                "reviewed_on": Reader({"d": d}, plan.at(f"reviewed_on[{i}]"), plan.problems).day("d"),
                "summary": "",
                "progress": {},
            }
            for i, d in enumerate(dates)
        ]
    completed_on = plan.day("completed_on", required=False)
    for index, review in enumerate(reviews):
        if review["reviewed_on"] and not completed_on:
            plan.problems.add(f"{plan.path}.reviews[{index}]", "a plan is reviewed once it is completed (completed_on)")
        elif review["reviewed_on"] and completed_on and review["reviewed_on"] < completed_on:
            plan.problems.add(f"{plan.path}.reviews[{index}].reviewed_on", "before the plan was completed")
        for key in review["progress"]:
            if not (isinstance(key, str) and key.isascii() and key.isdigit() and int(key) < len(objectives)):
                plan.problems.add(
                    f"{plan.path}.reviews[{index}].progress", f"{key!r} is not the number of an objective"
                )
    return {
        "completed_on": completed_on,
        "persons_view": plan.text("persons_view", required=False, max_length=100_000) or "",
        "objectives": objectives,
        "reviews": reviews,
    }


def _positions(item: Reader, key: str, count: int) -> list[int]:
    """A list of positions in another list of the document (an objective's requirements)."""
    values = item.data.get(key) or []
    if not isinstance(values, list) or not all(
        isinstance(v, int) and not isinstance(v, bool) and 0 <= v < count for v in values
    ):
        item.problems.add(item.at(key), f"not a list of requirement numbers from 0 to {count - 1}")
        return []
    return sorted(set(values))


def _transfer(item: Reader, known: Known) -> dict[str, Any]:
    codes = {}
    for key in ("from_pdu", "to_pdu"):
        code = item.text(key, max_length=20)
        if code and code not in known.pdus:
            item.problems.add(item.at(key), f"no PDU with code {code}")
        codes[key] = code
    officer = item.text("receiving_officer", required=False, max_length=20)
    if officer and officer not in known.staff:
        item.problems.add(item.at("receiving_officer"), f"no staff member with code {officer}")
    record: dict[str, Any] = {
        **codes,
        "requested_on": item.day("requested_on"),
        "completed_on": item.day("completed_on", required=False),
        "reason": item.text("reason", required=False, max_length=100_000) or "",
        "rejected_on": item.day("rejected_on", required=False),
        "rejection_reason": item.text("rejection_reason", required=False, max_length=100_000) or "",
        "receiving_officer": officer,
    }
    if codes["from_pdu"] and codes["from_pdu"] == codes["to_pdu"]:
        item.problems.add(item.at("to_pdu"), "the same PDU as from_pdu")
    in_order(item, record["requested_on"], record["completed_on"], "completed_on", "the request")
    in_order(item, record["requested_on"], record["rejected_on"], "rejected_on", "the request")
    if record["completed_on"] and record["rejected_on"]:
        item.problems.add(item.path, "a transfer is either completed or rejected")
    if record["rejected_on"] and not record["rejection_reason"]:
        item.problems.add(item.at("rejection_reason"), "is required for a rejected transfer")
    return record


def _contact(contact: Reader, known: Known) -> dict[str, Any]:
    staff = contact.text("staff", required=False, max_length=20)
    if staff and staff not in known.staff:
        contact.problems.add(contact.at("staff"), f"no staff member with code {staff}")
    entered_in_error = contact.flag("entered_in_error", default=False)
    outcome = contact.choice("outcome", frozenset(Outcome.values), required=False) or ""
    record: dict[str, Any] = {
        "type": contact.choice("type", frozenset(known.contact_types)),
        "starts_at": contact.moment("at"),
        "outcome": outcome,
        "enforceable": contact.flag("enforceable", default=False),
        "recorded_at": contact.moment("recorded_at", required=False),
        "notes": contact.text("notes", required=False, max_length=1_000_000) or "",
        "location": contact.text("location", required=False) or "",
        "staff": staff,
        "absence_reason": contact.choice("absence_reason", frozenset(AbsenceReason.values), required=False) or "",
        "evidence_due": contact.day("evidence_due", required=False),
        "evidence_decided_on": contact.day("evidence_decided_on", required=False),
        "sensitive": contact.flag("sensitive", default=False),
        "rar": contact.flag("rar", default=False),
        "entered_in_error": entered_in_error,
        "error_reason": contact.text("error_reason", required=bool(entered_in_error), max_length=300) or "",
    }
    if record["absence_reason"] and outcome != Outcome.ACCEPTABLE_ABSENCE:
        contact.problems.add(contact.at("absence_reason"), "only for an acceptable absence")
    record["versions"] = [
        {
            "number": version.integer("number", low=1, high=1_000_000),
            "changed_at": version.moment("changed_at"),
            "changed_by_name": version.text("changed_by", required=False, max_length=150) or "",
            "reason": version.text("reason", required=False, max_length=300) or "",
            "data": version.mapping("data"),
        }
        for version in contact.items("versions")
    ]
    return record


def _enforcement(action: Reader, contact_times: set[Any], staff: set[str]) -> dict[str, Any]:
    kind = action.choice("type", frozenset(EnforcementAction.Kind.values))
    breach = kind == EnforcementAction.Kind.BREACH
    recall = kind == EnforcementAction.Kind.RECALL
    failure_at = action.moment("failure_at", required=False)
    if failure_at and failure_at not in contact_times:
        action.problems.add(action.at("failure_at"), "no failure to comply on this event at that time")
    decided_by = action.text("decided_by", required=False, max_length=20)
    if decided_by and decided_by not in staff:
        action.problems.add(action.at("decided_by"), f"no staff member with code {decided_by}")
    record: dict[str, Any] = {
        "kind": kind,
        "on": action.day("initiated_on" if breach else "on"),
        "aware_on": action.day("aware_on") if breach else None,
        "resolved_on": action.day("resolved_on", required=False) if breach else None,
        "court_outcome": (action.text("court_outcome", required=False) or "") if breach else "",
        "recall_type": (
            action.choice("recall_type", frozenset(EnforcementAction.RecallType.values), required=False) or ""
        )
        if recall
        else "",
        "decision": (action.choice("decision", frozenset(EnforcementAction.Decision.values), required=False) or "")
        if recall
        else "",
        "decision_rationale": (action.text("decision_rationale", required=False, max_length=100_000) or "")
        if recall
        else "",
        "decided_at": action.moment("decided_at", required=False) if recall else None,
        "decided_by": decided_by if recall else None,
        "requested_at": action.moment("requested_at", required=False) if recall else None,
        "returned_on": action.day("returned_on", required=False) if recall else None,
        "review_completed_on": action.day("review_completed_on", required=False) if recall else None,
        "failure_at": failure_at,
        "rationale": action.text(
            "rationale", required=kind == EnforcementAction.Kind.PROFESSIONAL_JUDGEMENT, max_length=100_000
        )
        or "",
        "letter": action.text("letter", required=False, max_length=100_000) or "",
    }
    if breach:
        in_order(action, record["aware_on"], record["on"], "initiated_on", "the date you became aware")
        in_order(action, record["on"], record["resolved_on"], "resolved_on", "the date it was initiated")
    in_order(action, record["returned_on"], record["review_completed_on"], "review_completed_on", "the return")
    if record["review_completed_on"] and not record["returned_on"]:
        action.problems.add(action.at("review_completed_on"), "a recall review follows the return (returned_on)")
    if record["requested_at"] and not record["decided_at"]:
        action.problems.add(action.at("requested_at"), "a recall request follows a decision (decided_at)")
    return record


def _requirement(requirement: Reader) -> dict[str, Any]:
    kind = requirement.choice("type", frozenset(Requirement.Type.values))
    return {
        "type": kind,
        "hours": requirement.integer("hours", required=kind == Requirement.Type.UNPAID_WORK, low=40, high=300)
        if kind == Requirement.Type.UNPAID_WORK
        else _absent(requirement, "hours"),
        "days": requirement.integer("days", required=True, low=1, high=32767)
        if kind == Requirement.Type.RAR
        else _absent(requirement, "days"),
        "programme": requirement.text(
            "programme", required=kind == Requirement.Type.ACCREDITED_PROGRAMME, max_length=100
        )
        or "",
        "description": requirement.text("description", required=False, max_length=300) or "",
        "terminated_on": requirement.day("terminated_on", required=False),
        "extras": interchange.requirement_extras(requirement, kind),
    }


def _absent(reader: Reader, key: str) -> int | None:
    """A number that only another requirement type may carry: always None, with a problem if it is there."""
    if reader.data.get(key) is not None:
        reader.problems.add(reader.at(key), f"only for {'unpaid work' if key == 'hours' else 'a RAR'}")
    return None


def _closed_by_the_next(allocations: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A history given by `from` dates alone (INTERCHANGE.md): an allocation with no `to`, other than the latest,
    ended the day before the next one began (the day the next began, if both began the same day)."""
    dated = sorted((a for a in allocations if a["from_date"] is not None), key=lambda a: a["from_date"])
    for allocation, following in pairwise(dated):
        if allocation["to_date"] is None:
            allocation["to_date"] = max(allocation["from_date"], following["from_date"] - timedelta(days=1))
    return allocations


def _allocation(allocation: Reader, staff: set[str]) -> dict[str, Any]:
    code = allocation.text("staff", max_length=20)
    if code and code not in staff:
        allocation.problems.add(allocation.at("staff"), f"no staff member with code {code}")
    record: dict[str, Any] = {
        "staff": code,
        "from_date": allocation.day("from"),
        "to_date": allocation.day("to", required=False),
        "reason": allocation.text("reason", required=False, max_length=200) or "",
    }
    in_order(allocation, record["from_date"], record["to_date"], "to", "the 'from' date")
    return record
