"""The interventions part of a probation-cases/1 document: Unpaid Work sessions and reviews, programme
delivery, and referrals to services. RAR days travel as contacts marked "rar".

    event.upw:         [{"date", "hours", "kind": work|ete|travel, "status"?, "project"?, "placement"?, "reason"?}]
    requirement (unpaid_work).reviews:        [{"reviewed_on", "notes"}]
    requirement (accredited_programme).delivery: {"referred_on", "eligibility", "eligibility_on",
                   "eligibility_notes", "started_on", "ended_on", "outcome", "outcome_reason"}
    event.referrals:   [{"service", "provider", "area", "region", "reason", "status", "referred_on",
                         "status_on", "outcome_notes", "objective"}]

A session with hours of several kinds is one entry per kind on the same date; a stand-down or absence is
one entry of 0 hours with its status.
"""

from collections import defaultdict
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from cases.interchange.reader import Reader
from cases.models import Contact, Event, Requirement
from interventions.models import Programme, Referral, Service, ServiceArea, UpwReview, UpwSession
from regions.models import Region

KINDS = {"work": "work_hours", "ete": "ete_hours", "travel": "travel_hours"}
SessionKey = tuple[date, str, str, str, str]  # date, status, project, placement, stand-down reason


# Reading ---------------------------------------------------------------------------------------------


def requirement_extras(reader: Reader, kind: str | None) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    if kind == Requirement.Type.UNPAID_WORK:
        extras["reviews"] = [
            {"reviewed_on": r.day("reviewed_on"), "notes": r.text("notes", max_length=100_000)}
            for r in reader.items("reviews")
        ]
    elif reader.data.get("reviews") is not None:
        reader.problems.add(reader.at("reviews"), "only for unpaid work")
    if kind == Requirement.Type.ACCREDITED_PROGRAMME and reader.data.get("delivery") is not None:
        extras["delivery"] = _delivery(Reader(reader.data["delivery"], reader.at("delivery"), reader.problems))
    elif reader.data.get("delivery") is not None:
        reader.problems.add(reader.at("delivery"), "only for an accredited programme")
    return extras


def _delivery(item: Reader) -> dict[str, Any]:
    record: dict[str, Any] = {
        "referred_on": item.day("referred_on"),
        "eligibility": item.choice("eligibility", frozenset(Programme.Eligibility.values)),
        "eligibility_on": item.day("eligibility_on", required=False),
        "eligibility_notes": item.text("eligibility_notes", required=False, max_length=100_000) or "",
        "started_on": item.day("started_on", required=False),
        "ended_on": item.day("ended_on", required=False),
        "outcome": item.choice("outcome", frozenset(Programme.Outcome.values), required=False) or "",
        "outcome_reason": item.text("outcome_reason", required=False, max_length=100_000) or "",
    }
    pending = record["eligibility"] == Programme.Eligibility.PENDING
    if pending == bool(record["eligibility_on"]):
        item.problems.add(item.at("eligibility_on"), "goes with a decided eligibility, and only with one")
    if record["started_on"] and record["eligibility"] != Programme.Eligibility.ELIGIBLE:
        item.problems.add(item.at("started_on"), "only once eligible")
    if bool(record["ended_on"]) != bool(record["outcome"]) or (record["ended_on"] and not record["started_on"]):
        item.problems.add(item.path, "ended_on and outcome go together, after started_on")
    if record["outcome"] == Programme.Outcome.NOT_COMPLETED and not record["outcome_reason"]:
        item.problems.add(item.at("outcome_reason"), "is required when the programme was not completed")
    if record["eligibility"] == Programme.Eligibility.NOT_ELIGIBLE and not record["eligibility_notes"]:
        item.problems.add(item.at("eligibility_notes"), "is required when not eligible")
    dates: list[date] = [record[k] for k in ("referred_on", "eligibility_on", "started_on", "ended_on") if record[k]]
    if dates != sorted(dates):
        item.problems.add(item.path, "the dates must run referred_on, eligibility_on, started_on, ended_on")
    return record


def event_sections(event: Reader, requirements: list[dict[str, Any]], objectives: int) -> dict[str, Any]:
    """The event's upw and referrals, validated against its requirements and its plan's objectives."""
    sessions: dict[SessionKey, dict[str, Any]] = {}
    for item in event.items("upw"):
        kind = item.choice("kind", frozenset(KINDS))
        hours = item.number("hours", low=Decimal("0"), high=Decimal("24"))
        status = item.choice("status", frozenset(UpwSession.Status.values), required=False) or "attended"
        day = item.day("date")
        key = (
            day or date.min,
            status,
            item.text("project", required=False) or "",
            item.choice("placement", frozenset(UpwSession.Placement.values), required=False) or "group",
            item.text("reason", required=status == UpwSession.Status.STOOD_DOWN) or "",
        )
        session = sessions.setdefault(key, dict.fromkeys(KINDS.values(), Decimal("0")))
        if kind and hours is not None:
            session[KINDS[kind]] += hours
        if hours and status not in (UpwSession.Status.ATTENDED, UpwSession.Status.FAILED):
            item.problems.add(item.at("hours"), "hours are only credited for an attended session")
    if sessions and not any(r.get("type") == Requirement.Type.UNPAID_WORK for r in requirements):
        event.problems.add(event.at("upw"), "the sentence has no unpaid work requirement")
    referrals = []
    for item in event.items("referrals"):
        record: dict[str, Any] = {
            "service": item.text("service"),
            "provider": item.text("provider"),
            "area": item.choice("area", frozenset(ServiceArea.values)),
            "region": item.text("region", required=False, max_length=20),
            "reason": item.text("reason", max_length=100_000),
            "status": item.choice("status", frozenset(Referral.Status.values)),
            "referred_on": item.day("referred_on"),
            "status_on": item.day("status_on"),
            "outcome_notes": item.text("outcome_notes", required=False, max_length=100_000) or "",
            "objective": item.integer("objective", required=False, low=0, high=max(objectives - 1, 0)),
        }
        if record["objective"] is not None and not objectives:
            item.problems.add(item.at("objective"), "the sentence has no plan objectives")
        if record["referred_on"] and record["status_on"] and record["status_on"] < record["referred_on"]:
            item.problems.add(item.at("status_on"), "before the referral")
        referrals.append(record)
    open_to = [(r["service"], r["provider"], r["region"]) for r in referrals if r["status"] in Referral.OPEN]
    if len(open_to) > len(set(open_to)):
        event.problems.add(event.at("referrals"), "more than one open referral to the same service")
    return {"upw": sessions, "referrals": referrals}


# Writing ---------------------------------------------------------------------------------------------


def write_requirement_extras(requirement: Requirement, extras: dict[str, Any]) -> None:
    if "reviews" in extras:
        wanted = {r["reviewed_on"]: r["notes"] for r in extras["reviews"]}
        requirement.upw_reviews.exclude(reviewed_on__in=wanted).delete()
        for reviewed_on, notes in wanted.items():
            UpwReview.objects.update_or_create(
                requirement=requirement, reviewed_on=reviewed_on, defaults={"notes": notes}
            )
    if "delivery" in extras:
        Programme.objects.update_or_create(requirement=requirement, defaults=extras["delivery"])


def write_event_sections(event: Event, sections: dict[str, Any], objectives: list[Any]) -> None:
    _write_upw(event, sections["upw"])
    _write_referrals(event, sections["referrals"], objectives)


def _write_upw(event: Event, sessions: dict[SessionKey, dict[str, Any]]) -> None:
    requirement = event.requirements.filter(type=Requirement.Type.UNPAID_WORK).order_by("id").first()
    if requirement is None:
        return
    existing = {_key(s): s for s in requirement.upw_sessions.all()}
    for key, session in list(existing.items()):
        if key not in sessions:
            session.delete()
    linked = set(UpwSession.objects.filter(contact__event=event).values_list("contact_id", flat=True))
    unlinked: dict[date, list[Contact]] = defaultdict(list)
    for contact in event.contacts.filter(type__code="upw_session").exclude(pk__in=linked).order_by("starts_at"):
        unlinked[timezone.localtime(contact.starts_at).date()].append(contact)
    for key, hours in sessions.items():
        day, status, project, placement, reason = key
        session = existing.get(key) or UpwSession(
            requirement=requirement, date=day, status=status, project=project, placement=placement
        )
        session.stand_down_reason = reason
        for name, value in hours.items():
            setattr(session, name, value)
        if session.contact_id is None and unlinked[day] and status != UpwSession.Status.STOOD_DOWN:
            session.contact = unlinked[day].pop(0)
        session.save()


def _key(session: UpwSession) -> SessionKey:
    return (session.date, session.status, session.project, session.placement, session.stand_down_reason)


def _write_referrals(event: Event, records: list[dict[str, Any]], objectives: list[Any]) -> None:
    regions = {r.code: r for r in Region.objects.filter(code__in={r["region"] for r in records if r["region"]})}
    kept = []
    for record in records:
        service, _ = Service.objects.get_or_create(
            name=record["service"],
            provider=record["provider"],
            region=regions.get(record["region"]) if record["region"] else None,
            defaults={"area": record["area"]},
        )
        objective = objectives[record["objective"]] if record["objective"] is not None else None
        referral, _ = Referral.objects.update_or_create(
            event=event,
            service=service,
            referred_on=record["referred_on"],
            defaults={
                "reason": record["reason"],
                "status": record["status"],
                "status_on": record["status_on"],
                "outcome_notes": record["outcome_notes"],
                "objective": objective,
            },
        )
        kept.append(referral.pk)
    event.referrals.exclude(pk__in=kept).delete()


# Exporting -------------------------------------------------------------------------------------------


def event_prefetches() -> list[Any]:
    return [
        Prefetch(
            "referrals", queryset=Referral.objects.select_related("service__region").order_by("referred_on", "id")
        ),
        "requirements__upw_sessions",
        "requirements__upw_reviews",
        "requirements__programme_delivery",
        "plan__objectives__requirements",
    ]


def _day(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _hours(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def requirement_extras_export(r: Requirement) -> dict[str, Any]:
    entry: dict[str, Any] = {}
    if r.type == Requirement.Type.UNPAID_WORK:
        reviews = sorted(r.upw_reviews.all(), key=lambda v: v.reviewed_on)
        entry["reviews"] = [{"reviewed_on": _day(v.reviewed_on), "notes": v.notes} for v in reviews]
    if r.type == Requirement.Type.ACCREDITED_PROGRAMME:
        try:
            p = r.programme_delivery
        except Programme.DoesNotExist:
            return entry
        entry["delivery"] = {
            "referred_on": _day(p.referred_on),
            "eligibility": p.eligibility,
            "eligibility_on": _day(p.eligibility_on),
            "eligibility_notes": p.eligibility_notes or None,
            "started_on": _day(p.started_on),
            "ended_on": _day(p.ended_on),
            "outcome": p.outcome or None,
            "outcome_reason": p.outcome_reason or None,
        }
    return entry


def event_sections_export(e: Event, objective_position: dict[int, int]) -> dict[str, Any]:
    upw = []
    for r in e.requirements.all():
        if r.type != Requirement.Type.UNPAID_WORK:
            continue
        for s in sorted(r.upw_sessions.all(), key=lambda s: (s.date, *_key(s)[1:])):
            extra = {"status": s.status, "project": s.project or None, "placement": s.placement}
            extra["reason"] = s.stand_down_reason or None
            kinds = [(kind, getattr(s, name)) for kind, name in KINDS.items() if getattr(s, name)]
            for kind, hours in kinds or [("work", Decimal("0"))]:
                upw.append({"date": _day(s.date), "hours": _hours(hours), "kind": kind, **extra})
    referrals = [
        {
            "service": f.service.name,
            "provider": f.service.provider,
            "area": f.service.area,
            "region": f.service.region.code if f.service.region else None,
            "reason": f.reason,
            "status": f.status,
            "referred_on": _day(f.referred_on),
            "status_on": _day(f.status_on),
            "outcome_notes": f.outcome_notes or None,
            "objective": objective_position.get(f.objective_id) if f.objective_id else None,
        }
        for f in e.referrals.all()
    ]
    return {"upw": upw, "referrals": referrals}
