"""The cases the hostile-input tests post to (test_hostile_input.py): for each form, a fresh case in the state
where the form applies, made the way the services make it, so every example starts clean and the National
Standards ledger stays consistent; and the page that shows again what the form stored."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import (
    AccessRule,
    Contact,
    ContactType,
    CourtReport,
    EnforcementAction,
    Event,
    NeedArea,
    Outcome,
    OversightTask,
    Registration,
    Requirement,
)
from cases.plans import services as plans
from cases.record import services
from cases.reference import UNBOOKED_CONTACT_TYPES
from cases.standards import ledger
from cases.transfers import services as transfers
from interventions.models import Service
from interventions.programmes import services as programmes
from interventions.referrals import services as referrals
from probation.roles import Role
from regions.models import PDU, StaffMember
from regions.workload import CASEWORK_GRADES
from tests.factories import (
    AllocationFactory,
    EventFactory,
    PDUFactory,
    RegistrationFactory,
    RequirementFactory,
    StaffMemberFactory,
    TeamFactory,
    case_for,
)


def user_of(staff: StaffMember) -> User:
    assert staff.user is not None
    return staff.user


@dataclass
class World:
    officer: StaffMember  # the RO of every case made here
    spo: StaffMember  # an SPO of the same PDU
    head: StaffMember  # the head of the PDU (who sees its performance)
    pdu: PDU
    types: dict[str, ContactType]
    elsewhere: StaffMember  # an officer in another PDU, whose case transfers in
    service: Service
    last_key: str = ""  # the once-only key the last example sent

    def user(self, role: str | None) -> User | None:
        return user_of(getattr(self, role)) if role else None


@dataclass
class Target:
    """Where to post; the sentence it changes; the valid values of fields whose choices are rows made for this
    example (primary keys, codes); and the row it is about (a contact, an objective)."""

    url: str
    event: Event | None = None
    choices: dict[str, list[str]] = field(default_factory=dict)
    pk: int | None = None


def make_world(officer: StaffMember, spo: StaffMember, head: StaffMember, types: dict[str, ContactType]) -> World:
    pdu = officer.pdu
    assert pdu is not None
    other = TeamFactory.create(pdu=PDUFactory.create(region=pdu.region))
    elsewhere = StaffMemberFactory.create(team=other, user__roles=[Role.OFFICER])
    service = Service.objects.create(
        name="Housing Options", provider="The Council", area="accommodation", region=pdu.region
    )
    return World(officer=officer, spo=spo, head=head, pdu=pdu, types=types, elsewhere=elsewhere, service=service)


def _settled(target: Target) -> Target:
    """The ledger as the services keep it, for the facts set up directly."""
    if target.event is not None:
        ledger.refresh_person(target.event.person)
    return target


def _case(world: World, **requirements: int) -> Event:
    event = case_for(world.officer)
    if "rar" in requirements:
        RequirementFactory.create(event=event, type=Requirement.Type.RAR, hours=None, days=requirements["rar"])
    if "upw" in requirements:
        RequirementFactory.create(event=event, type=Requirement.Type.UNPAID_WORK, hours=requirements["upw"])
    return event


def _pks(queryset: Any) -> list[str]:
    return [str(pk) for pk in queryset.values_list("pk", flat=True)]


def _staff_of_pdu(event: Event) -> list[str]:
    return _pks(StaffMember.objects.active().filter(pdu=event.pdu, grade__in=CASEWORK_GRADES))


def _past_contact(world: World, event: Event, outcome: str = "") -> Contact:
    when = datetime(2026, 3, 2, 10, tzinfo=UTC)
    contact = contacts.book(
        event=event, user=user_of(world.officer), type=world.types["office_visit"], starts_at=when, staff=world.officer
    )[0]
    if outcome:
        contact = contacts.record_outcome(contact=contact, user=user_of(world.officer), outcome=outcome)
    return contact


def _licence(world: World) -> Event:
    event = _case(world)
    Event.objects.filter(pk=event.pk).update(type=Event.Type.LICENCE, release_date=date(2025, 12, 22))
    event.refresh_from_db()
    return event


def recall_stage(world: World, stage: str) -> Target:
    event = _licence(world)
    crn = event.person.crn
    if stage != "recommend":
        action = enforcement.recall_recommend(
            event=event, user=user_of(world.officer), recall_type="standard", rationale="Contact with the victim"
        )
    if stage in ("request", "return"):
        decided = timezone.now() - timedelta(minutes=2)  # not before it was recommended, today
        enforcement.recall_decide(
            action=action,
            user=user_of(world.spo),
            decider=world.spo,
            decision="agreed",
            rationale="Risk",
            decided_at=decided,
        )
    if stage == "return":
        requested = timezone.now() - timedelta(minutes=1)
        enforcement.recall_requested(action=action, user=user_of(world.spo), requested_at=requested)
        return _settled(Target(f"/cases/{crn}/events/1/recall/return/", event))
    return _settled(Target(f"/cases/{crn}/events/1/recall/", event))


def _custody(world: World) -> Event:
    person = _case(world).person
    event = services.event_record(
        person=person,
        user=user_of(world.officer),
        type=Event.Type.CUSTODY,
        sentence_date=date(2026, 2, 2),
        length_months=24,
        custody={"expected_release_date": date(2027, 2, 1), "parole": False, "parole_eligibility_date": None},
    )
    AllocationFactory.create(event=event, staff=world.officer, from_date=event.sentence_date)
    return event


def plan_stage(world: World, stage: str) -> Target:
    event = _case(world, rar=10)
    plan = plans.plan_for(event, user_of(world.officer))
    crn = event.person.crn
    objective = None
    if stage != "view":
        objective = plans.objective_save(
            plan=plan,
            user=user_of(world.officer),
            expected_version=plan.version,
            objective=None,
            fields={"area": NeedArea.ACCOMMODATION, "description": "Find a settled home"},
        )
        plan.refresh_from_db()
    if stage == "review":
        plan = plans.complete(
            plan=plan, user=user_of(world.officer), expected_version=plan.version, on=timezone.localdate()
        )
    paths = {
        "view": "plan/own-words/",
        "objective-new": "plan/objectives/new/",
        "objective": f"plan/objectives/{objective.pk if objective else 0}/",
        "complete": "plan/complete/",
        "review": "plan/review/",
    }
    choices = {"version": [str(plan.version)], "requirements": _pks(event.requirements.all())}
    return _settled(
        Target(f"/cases/{crn}/events/1/{paths[stage]}", event, choices, objective.pk if objective else None)
    )


def arrange_sign_in(world: World) -> Target:
    return Target("/sign-in/")


def arrange_sign_out(world: World) -> Target:
    return Target("/sign-out/")


def arrange_standards(world: World) -> Target:
    return Target("/cases/standards/")


def arrange_person_new(world: World) -> Target:
    return Target("/cases/new/")


def arrange_event(path: str) -> Callable[[World], Target]:
    def arrange(world: World) -> Target:
        event = _case(world)
        return _settled(Target(f"/cases/{event.person.crn}/{path}", event))

    return arrange


def arrange_court_report_new(world: World) -> Target:
    event = _case(world)
    return _settled(Target(f"/cases/{event.person.crn}/court-reports/new/", event, {"staff": _staff_of_pdu(event)}))


def arrange_court_report_complete(world: World) -> Target:
    event = _case(world)
    report = CourtReport.objects.create(
        person=event.person, staff=world.officer, kind="fast", requested_on=date(2026, 1, 5), due_on=date(2026, 1, 12)
    )
    return _settled(Target(f"/cases/{event.person.crn}/court-reports/{report.pk}/complete/", event, pk=report.pk))


def arrange_case_access(world: World) -> Target:
    """A case with someone on its exclusion list: the SPO adds to its lists, or takes them off."""
    event = _case(world)
    rule = AccessRule.objects.create(person=event.person, staff=world.elsewhere, kind=AccessRule.Kind.EXCLUSION)
    codes = [world.officer.code, world.elsewhere.code, world.spo.code, world.head.code]
    return _settled(Target(f"/cases/{event.person.crn}/access/", event, {"staff": codes, "remove": [str(rule.pk)]}))


def arrange_custody(path: str) -> Callable[[World], Target]:
    def arrange(world: World) -> Target:
        event = _custody(world)
        return _settled(Target(f"/cases/{event.person.crn}/events/{event.ref}/{path}", event))

    return arrange


def arrange_allocate(world: World) -> Target:
    event = EventFactory.create(person__pdu=world.pdu)  # not yet allocated
    url = f"/cases/{event.person.crn}/events/1/allocate/"
    return _settled(Target(url, event, {"staff": _staff_of_pdu(event)}))


def arrange_reallocate(world: World) -> Target:
    leaving = StaffMemberFactory.create(team=world.officer.team, user__roles=[Role.OFFICER])
    events = [case_for(leaving), case_for(leaving)]
    officers = [pk for pk in _staff_of_pdu(events[0]) if pk != str(leaving.pk)]
    choices = {"cases": [str(e.pk) for e in events], "staff": officers}
    return _settled(Target(f"/cases/officers/{leaving.code}/reallocate/", events[0], choices))


def arrange_book(world: World) -> Target:
    event = _case(world, rar=10)
    staff = _pks(StaffMember.objects.active().filter(pdu=event.pdu).exclude(grade=StaffMember.Grade.ADMIN))
    choices = {"type": [str(t.pk) for t in world.types.values()], "staff": staff}
    return _settled(Target(f"/cases/{event.person.crn}/events/1/appointments/new/", event, choices))


def arrange_log_contact(world: World) -> Target:
    event = _case(world)
    staff = _pks(StaffMember.objects.active().filter(pdu=event.pdu).exclude(grade=StaffMember.Grade.ADMIN))
    types = [str(t.pk) for t in ContactType.objects.filter(code__in=UNBOOKED_CONTACT_TYPES)]
    return _settled(Target(f"/cases/{event.person.crn}/events/1/contacts/new/", event, {"type": types, "staff": staff}))


def arrange_contact(path: str, outcome: str = "") -> Callable[[World], Target]:
    def arrange(world: World) -> Target:
        event = _case(world)
        contact = _past_contact(world, event, outcome)
        url = f"/cases/{event.person.crn}/contacts/{contact.pk}/{path}"
        return _settled(Target(url, event, {"version": [str(contact.version)]}, contact.pk))

    return arrange


def arrange_contact_log(world: World) -> Target:
    event = _case(world)
    _past_contact(world, event, Outcome.ATTENDED)
    types = [str(t.pk) for t in world.types.values()]
    return _settled(Target(f"/cases/{event.person.crn}/contacts/", event, {"type": types}))


def arrange_breach(world: World) -> Target:
    event = _case(world)
    failure = _past_contact(world, event, Outcome.FAILED_TO_COMPLY)
    breach = enforcement.decide(
        event=event, user=user_of(world.officer), kind="breach", failure=failure, on=date(2026, 3, 4)
    )
    return _settled(Target(f"/cases/{event.person.crn}/breaches/{breach.pk}/outcome/", event))


def arrange_oversight(world: World) -> Target:
    event = _case(world)
    failure = _past_contact(world, event, Outcome.FAILED_TO_COMPLY)
    enforcement.decide(
        event=event,
        user=user_of(world.officer),
        kind=EnforcementAction.Kind.PROFESSIONAL_JUDGEMENT,
        failure=failure,
        on=date(2026, 3, 4),
        rationale="In hospital that week",
    )
    task = OversightTask.objects.get(event=event)
    return _settled(Target(f"/cases/{event.person.crn}/oversight/{task.pk}/", event))


def arrange_event_end(world: World) -> Target:
    event = _case(world)
    return _settled(Target(f"/cases/{event.person.crn}/events/1/end/", event))


def arrange_transfer_request(world: World) -> Target:
    event = _case(world)
    to = _pks(PDU.objects.exclude(pk=event.pdu_id))
    return _settled(Target(f"/cases/{event.person.crn}/events/1/transfer/", event, {"to_pdu": to}))


def arrange_transfer_decision(world: World) -> Target:
    event = case_for(world.elsewhere)
    transfer = transfers.request(
        event=event, user=user_of(world.elsewhere), to_pdu=world.pdu, reason="Moving in", on=date(2026, 3, 2)
    )
    officers = _pks(StaffMember.objects.active().filter(pdu=world.pdu, grade__in=CASEWORK_GRADES))
    return _settled(Target(f"/cases/transfers/{transfer.pk}/", event, {"officer": officers}))


def arrange_registration_review(world: World) -> Target:
    event = _case(world)
    flag = RegistrationFactory.create(person=event.person, type=Registration.Type.STALKING)
    return _settled(Target(f"/cases/{event.person.crn}/flags/{flag.pk}/review/", event))


def arrange_refer(world: World) -> Target:
    event = _case(world)
    url = f"/interventions/{event.person.crn}/events/1/referrals/new/"
    return _settled(Target(url, event, {"service": [str(world.service.pk)]}))


def arrange_referral(world: World) -> Target:
    event = _case(world)
    referral = referrals.refer(
        event=event, user=user_of(world.officer), service=world.service, reason="Sofa-surfing", on=date(2026, 3, 2)
    )
    return _settled(Target(f"/interventions/{event.person.crn}/referrals/{referral.pk}/", event))


def arrange_upw(world: World) -> Target:
    event = _case(world, upw=120)
    requirement = event.requirements.get(type=Requirement.Type.UNPAID_WORK)
    return _settled(Target(f"/interventions/{event.person.crn}/unpaid-work/{requirement.pk}/", event))


def arrange_programme(world: World) -> Target:
    event = _case(world)
    requirement = RequirementFactory.create(
        event=event, type=Requirement.Type.ACCREDITED_PROGRAMME, hours=None, programme="TSP"
    )
    for step, on in (("referred", date(2026, 1, 6)), ("eligible", date(2026, 1, 20)), ("started", date(2026, 3, 2))):
        programmes.advance(requirement=requirement, user=user_of(world.officer), step=step, on=on)
    return _settled(Target(f"/interventions/{event.person.crn}/programme/{requirement.pk}/", event))


# Where stored text is shown again, given the Target and where the form redirected


def overview(target: Target, location: str) -> str:
    assert target.event is not None
    return f"/cases/{target.event.person.crn}/"


def redirected(target: Target, location: str) -> str:
    return location


def latest_contact(target: Target, location: str) -> str:
    contact = Contact.objects.filter(event=target.event).latest("id")
    return f"/cases/{contact.event.person.crn}/contacts/{contact.pk}/"


def same_contact(target: Target, location: str) -> str:
    assert target.event is not None
    return f"/cases/{target.event.person.crn}/contacts/{target.pk}/"


def plan_page(target: Target, location: str) -> str:
    assert target.event is not None
    return f"/cases/{target.event.person.crn}/events/1/plan/"


def same_page(target: Target, location: str) -> str:
    return target.url


def arrange_cancel_appointment(world: World) -> Target:
    event = _case(world)
    when = datetime(2027, 3, 2, 10, tzinfo=UTC)  # after any day the suite is pinned to
    contact = contacts.book(
        event=event, user=user_of(world.officer), type=world.types["office_visit"], starts_at=when, staff=world.officer
    )[0]
    return _settled(Target(f"/cases/{event.person.crn}/contacts/{contact.pk}/cancel/", event, pk=contact.pk))


def arrange_contact_details(world: World) -> Target:
    event = _case(world)
    return _settled(Target(f"/cases/{event.person.crn}/details/", event))


def arrange_person_record(kind: str) -> Callable[[World], Target]:
    """A case with one record of the person's to change (issue 22): a secondary address, a personal contact,
    a circumstance or a disability, since 1 January 2026."""

    def arrange(world: World) -> Target:
        from cases.models import Address, Circumstance, Disability, PersonalContact

        event = _case(world)
        person, since = event.person, date(2026, 1, 1)
        made: Any
        if kind == "addresses":
            made = Address.objects.create(person=person, type="secondary", lines="2 Flat Lane", from_date=since)
            path = "addresses/{}/end/"
        elif kind == "contacts":
            made = PersonalContact.objects.create(person=person, name="Alex", relationship="gp", from_date=since)
            path = "contacts/{}/"
        elif kind == "circumstances":
            made = Circumstance.objects.create(person=person, type="benefits", value="UC", from_date=since)
            path = "circumstances/{}/"
        else:
            made = Disability.objects.create(person=person, type="mobility", adjustments="Lift", from_date=since)
            path = "disabilities/{}/"
        return _settled(Target(f"/cases/{person.crn}/person/{path.format(made.pk)}", event, pk=made.pk))

    return arrange
