"""Demo caseloads for every PDU of the demo organisation: about 40 cases a probation officer and 30 a probation
services officer (pro rata for part-timers), a few new cases left for each PDU's SPOs to allocate, and the
history a real team would recognise: appointments on business days in office hours, tiers consistent with RoSH,
sentence plans (on time, late, not yet done) and their reviews, warnings, breaches and recalls answering the
failures, absences accepted, awaiting evidence and overseen, transfers between PDUs and regions (completed,
rejected, waiting), and sentences ended early for their reasons. One restricted and one excluded case.

Deterministic (seeded; the dates count back from the day it is loaded) and idempotent: people are keyed by CRN,
so loading twice changes nothing. Written in bulk: the caller derives the ledger afterwards (probation.demo)."""

import random
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from cases.calendar_months import add_months
from cases.contacts.services import snapshot
from cases.models import (
    AbsenceReason,
    AccessRule,
    Address,
    Alias,
    Allocation,
    AuditEvent,
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
from cases.models.contact import FAILURES
from cases.models.person import Rosh
from cases.models.plan import NeedArea
from cases.reference import ensure_contact_types
from cases.standards.calendar import add_business_days, is_business_day
from regions.models import PDU, StaffMember

FIRST_NAMES = {
    "male": [
        "Aaron",
        "Adam",
        "Ben",
        "Callum",
        "Carl",
        "Connor",
        "Craig",
        "Dan",
        "Darren",
        "Dean",
        "Gary",
        "Jack",
        "Jamie",
        "Jason",
        "Jordan",
        "Kyle",
        "Lee",
        "Liam",
        "Luke",
        "Mark",
        "Nathan",
        "Paul",
        "Ryan",
        "Scott",
        "Sean",
        "Tom",
        "Wayne",
    ],
    "female": [
        "Aisha",
        "Amy",
        "Chloe",
        "Ellie",
        "Emma",
        "Grace",
        "Hannah",
        "Jade",
        "Kelly",
        "Lisa",
        "Megan",
        "Sarah",
        "Stacey",
        "Zoe",
    ],
}
LAST_NAMES = [
    "Armstrong",
    "Bell",
    "Brown",
    "Charlton",
    "Clark",
    "Cook",
    "Davison",
    "Dixon",
    "Elliott",
    "Fenwick",
    "Forster",
    "Graham",
    "Hall",
    "Harrison",
    "Hope",
    "Hunter",
    "Jackson",
    "Johnson",
    "Kerr",
    "Lamb",
    "Milburn",
    "Moore",
    "Nichol",
    "Oliver",
    "Park",
    "Robson",
    "Scott",
    "Shearer",
    "Smith",
    "Stephenson",
    "Taylor",
    "Thompson",
    "Turnbull",
    "Walker",
    "Watson",
    "White",
    "Wilson",
    "Wright",
    "Young",
]


@dataclass(frozen=True)
class Place:
    town: str
    postcode_area: str
    streets: tuple[str, ...]
    courts: tuple[str, ...]


PLACES = {
    "NE-TYN": Place(
        "Newcastle upon Tyne",
        "NE",
        (
            "Grainger Street",
            "Shields Road",
            "Westgate Road",
            "Chillingham Road",
            "Elswick Road",
            "Front Street",
            "Station Road",
            "Park View",
        ),
        ("Newcastle Magistrates' Court", "Newcastle Crown Court", "North Tyneside Magistrates' Court"),
    ),
    "NE-DUR": Place(
        "Durham",
        "DH",
        ("Claypath", "Gilesgate", "North Road", "Framwellgate Peth", "Sherburn Road", "Front Street"),
        ("Durham Crown Court", "Peterlee Magistrates' Court", "Newton Aycliffe Magistrates' Court"),
    ),
    "YH-LDS": Place(
        "Leeds",
        "LS",
        ("Roundhay Road", "Harehills Lane", "Kirkstall Road", "Dewsbury Road", "Chapeltown Road", "York Road"),
        ("Leeds Magistrates' Court", "Leeds Crown Court"),
    ),
    "YH-SHF": Place(
        "Sheffield",
        "S",
        ("Abbeydale Road", "London Road", "Staniforth Road", "Penistone Road", "Firth Park Road", "Manor Lane"),
        ("Sheffield Magistrates' Court", "Sheffield Crown Court"),
    ),
}
FIRST_PDU = "NE-TYN"  # its cases come first (D000001...), and hold the restricted and the excluded case
CASELOAD: dict[str, int] = {StaffMember.Grade.PO: 40, StaffMember.Grade.PSO: 30}  # a full-time officer's cases
UNALLOCATED = {FIRST_PDU: 6}  # new cases left for the SPOs to allocate; 3 in the other PDUs
CASES_PER_OFFICER = CASELOAD[StaffMember.Grade.PO]
OFFICE_HOURS = [(9, 0), (9, 30), (10, 0), (10, 30), (11, 0), (11, 30), (14, 0), (14, 30), (15, 0), (15, 30), (16, 0)]
PROTECTED = 10  # the first cases of each PDU keep a plain history (the restricted and excluded cases are among them)

Reason = Event.TerminationReason
Kind = EnforcementAction.Kind


def _caseload(officer: StaffMember) -> int:
    return round(CASELOAD.get(officer.grade, 30) * Decimal(officer.contracted_hours) / Decimal(37))


def _postcode(rng: random.Random, place: Place) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"{place.postcode_area}{rng.randint(1, 15)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _tier(rng: random.Random, rosh: str) -> str:
    """The tier's letter follows RoSH (A and B for high and very high, C and D for low); the digit, needs."""
    letters = {Rosh.VERY_HIGH: "AAB", Rosh.HIGH: "AB", Rosh.MEDIUM: "BCC", Rosh.LOW: "CDD"}[Rosh(rosh)]
    return rng.choice(letters) + rng.choice("0123")


def business_day_on_or_after(day: date) -> date:
    while not is_business_day(day):
        day += timedelta(days=1)
    return day


def business_day_on_or_before(day: date) -> date:
    while not is_business_day(day):
        day -= timedelta(days=1)
    return day


def business_days_before(day: date, days: int) -> date:
    for _ in range(days):
        day = business_day_on_or_before(day - timedelta(days=1))
    return day


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _day_of(moment: datetime) -> date:
    return timezone.localtime(moment).date()


STAMPS = 4_2026  # the recording times' own random streams: the rest of the demo draws as it did before them


def _recorded(stamps: random.Random, happened: date | datetime) -> datetime:
    """When a fact was recorded (DOMAIN.md, "Dates people enter"): mostly the day it happened or the next
    working day, now and then back-filled a week or two later (seed 004); never before it, nor in the future."""
    day = _day_of(happened) if isinstance(happened, datetime) else happened
    lag = stamps.choices([0, 1, 2, 5, 9], weights=[60, 24, 9, 5, 2])[0]
    moment = _at(add_business_days(day, lag), 17, 0)
    if isinstance(happened, datetime):
        moment = max(moment, happened + timedelta(minutes=10))
    return min(moment, timezone.now())


@dataclass
class _Case:
    person: Person
    event: Event
    requirements: list[Requirement]
    place: Place
    officer: StaffMember | None
    allocations: list[Allocation] = field(default_factory=list)
    ends_on: date | None = None  # an early end
    reason: str = ""
    note: str = ""
    forced_failures: list[date] = field(default_factory=list)
    transfer: Transfer | None = None
    recall: bool = False  # a recall recommended, waiting for the SPO


def _event(rng: random.Random, person: Person, today: date, place: Place, new: bool) -> _Case:
    supervised = [Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER, Event.Type.LICENCE, Event.Type.PSS]
    kind = rng.choices(supervised, weights=[45, 20, 30, 5])[0]
    months = rng.choice([6, 12, 18, 24])
    if kind in Event.RELEASE_TYPES:
        sentence = today - timedelta(days=rng.randint(200, 900))
        release = today - timedelta(days=rng.randint(1, 6) if new else rng.randint(12, 180))
        start = release
    else:
        sentence = today - timedelta(days=rng.randint(1, 6) if new else rng.randint(12, 400))
        release = None
        start = sentence
    event = Event(
        person=person,
        ref="1",
        type=kind,
        pdu_id=person.pdu_id,
        sentence_date=sentence,
        release_date=release,
        length_months=months,
        expected_end_date=add_months(start, months) - timedelta(days=1),
        court=rng.choice(place.courts),
        offence=rng.choice(
            [
                "Theft from a shop",
                "Assault by beating",
                "Burglary (dwelling)",
                "Possession with intent to supply",
                "Criminal damage",
                "Drink driving",
            ]
        ),
    )
    requirements: list[Requirement] = []
    if kind in Event.RELEASE_TYPES:
        requirements.append(
            Requirement(
                event=event,
                type=Requirement.Type.LICENCE_CONDITION,
                description="Reside at an address approved by the supervising officer",
            )
        )
        if rng.random() < 0.4:
            requirements.append(
                Requirement(
                    event=event,
                    type=Requirement.Type.LICENCE_CONDITION,
                    description="Not to contact the victim directly or indirectly",
                )
            )
    else:
        if rng.random() < 0.5:
            requirements.append(
                Requirement(
                    event=event,
                    type=Requirement.Type.UNPAID_WORK,
                    hours=rng.choice([40, 60, 80, 100, 120, 150, 200, 300]),
                )
            )
        if rng.random() < 0.6 or not requirements:  # a community order has at least one requirement
            requirements.append(
                Requirement(event=event, type=Requirement.Type.RAR, days=rng.choice([10, 15, 20, 25, 30]))
            )
        if rng.random() < 0.15:
            requirements.append(
                Requirement(
                    event=event, type=Requirement.Type.ACCREDITED_PROGRAMME, programme=rng.choice(["TSP", "BBR"])
                )
            )
        if rng.random() < 0.1:
            requirements.append(
                Requirement(event=event, type=Requirement.Type.DRUG_REHABILITATION, description="6 months")
            )
    return _Case(person, event, requirements, place, None)


def _person(rng: random.Random, number: int, pdu: PDU, officer: StaffMember | None) -> Person:
    gender = rng.choices([Person.Gender.MALE, Person.Gender.FEMALE], weights=[85, 15])[0]
    if officer is not None and officer.grade == StaffMember.Grade.PSO:
        rosh_weights = [55, 45, 0, 0]  # probation services officers hold low and medium RoSH cases
    elif officer is not None:
        rosh_weights = [25, 45, 25, 5]
    else:
        rosh_weights = [35, 45, 17, 3]
    rosh = rng.choices(list(Rosh), weights=rosh_weights)[0]
    return Person(
        crn=f"D{number:06d}",
        first_name=rng.choice(FIRST_NAMES[gender]),
        last_name=rng.choice(LAST_NAMES),
        date_of_birth=date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
        pnc=f"{rng.randint(1995, 2024)}/{rng.randint(1, 9999999):07d}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}",
        gender=gender,
        pdu=pdu,
        rosh=rosh,
        tier=_tier(rng, rosh),
    )


@transaction.atomic
def load_caseloads() -> int:
    """Create the demo caseloads once; returns how many people were created (0 on a second run)."""
    if Person.objects.filter(crn__startswith="D").exists():
        return 0
    pdus = sorted(PDU.objects.select_related("region"), key=lambda p: (p.code != FIRST_PDU, p.code))
    grades = [StaffMember.Grade.PO, StaffMember.Grade.PSO]
    officers_of = {
        pdu.pk: list(StaffMember.objects.filter(pdu=pdu, grade__in=grades).select_related("user").order_by("code"))
        for pdu in pdus
    }
    if not any(officers_of.values()):
        return 0
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security
    today = timezone.localdate()  # sentences dated back from the day the demo is loaded, so it never ages
    cases: list[_Case] = []
    number = 0
    for pdu in pdus:
        officers = officers_of[pdu.pk]
        if not officers:
            continue
        loads = {officer.pk: _caseload(officer) for officer in officers}
        slots: list[StaffMember | None] = [
            officer for turn in range(max(loads.values())) for officer in officers if turn < loads[officer.pk]
        ]
        slots += [None] * UNALLOCATED.get(pdu.code, 3)
        place = PLACES.get(pdu.code, PLACES[FIRST_PDU])
        for officer in slots:
            number += 1
            person = _person(rng, number, pdu, officer)
            case = _event(rng, person, today, place, new=officer is None)
            case.officer = officer
            cases.append(case)
    Person.objects.bulk_create([c.person for c in cases])
    for case in cases:
        case.event.pdu_id = case.person.pdu_id
        _allocate(rng, case, today)
    _fates(rng, cases, officers_of, pdus, today)
    Event.objects.bulk_create([c.event for c in cases])
    Requirement.objects.bulk_create([r for c in cases for r in c.requirements])
    spo_of = _spos()
    _decided_by(cases, spo_of)
    stamps = random.Random(STAMPS)  # noqa: S311 - repeatable demo data, not security
    for a in (a for c in cases for a in c.allocations):
        a.recorded_at = _recorded(stamps, a.from_date)
    for t in (c.transfer for c in cases if c.transfer):
        t.recorded_at = _recorded(stamps, t.requested_on)
        t.decided_recorded_at = _recorded(stamps, t.decided_on) if t.decided_on else None
    Allocation.objects.bulk_create([a for c in cases for a in c.allocations])
    Transfer.objects.bulk_create([c.transfer for c in cases if c.transfer])
    _person_details(rng, cases)
    contacts = _contacts(rng, cases, today)
    _enforcement(rng, cases, contacts, spo_of, today)
    _plans(rng, cases, today)
    _end(cases)
    _limit_access([c.person for c in cases], [o for officers in officers_of.values() for o in officers])
    return len(cases)


def _allocate(rng: random.Random, case: _Case, today: date) -> None:
    if case.officer is None:
        return
    start = case.event.supervision_starts_on
    if case.event.type in Event.RELEASE_TYPES:  # allocated before release, seen on the day or the next
        days = rng.choices([0, 1, 2], weights=[70, 22, 8])[0]
    else:  # 5 business days: most in time
        days = rng.choices([0, 1, 2, 3, 4, 5, 7], weights=[30, 30, 15, 10, 5, 5, 5])[0]
    case.allocations.append(
        Allocation(
            event=case.event,
            staff=case.officer,
            from_date=min(add_business_days(start, days), today),
            reason="Initial allocation",
            reason_code=Allocation.Reason.INITIAL,
        )
    )


def _spos() -> dict[int, StaffMember]:
    """The SPO of each team (the first by code), and of each PDU (keyed by -pdu id) for those without one."""
    spos: dict[int, StaffMember] = {}
    for spo in StaffMember.objects.filter(grade=StaffMember.Grade.SPO).order_by("code"):
        if spo.team_id:
            spos.setdefault(spo.team_id, spo)
        if spo.pdu_id:
            spos.setdefault(-spo.pdu_id, spo)
    return spos


def _decided_by(cases: list[_Case], spo_of: dict[int, StaffMember]) -> None:
    """Transfers are decided by an SPO of the receiving PDU, who allocates the case on acceptance."""
    for case in cases:
        transfer = case.transfer
        if transfer is None or transfer.status == Transfer.Status.REQUESTED:
            continue
        transfer.decided_by = spo_of.get(-transfer.to_pdu.pk)
        if transfer.status == Transfer.Status.COMPLETED:
            case.allocations[-1].allocated_by = _spo_for(spo_of, case.officer)


def _spo_for(spo_of: dict[int, StaffMember], staff: StaffMember | None) -> StaffMember | None:
    if staff is None:
        return None
    return spo_of.get(staff.team_id or 0) or spo_of.get(-(staff.pdu_id or 0))


def _between(rng: random.Random, first: date, last: date) -> date | None:
    """A business day from first to last, or None if there is none."""
    if last < first:
        return None
    day = business_day_on_or_after(first + timedelta(days=rng.randint(0, (last - first).days)))
    return day if day <= last else None


def _fates(
    rng: random.Random,
    cases: list[_Case],
    officers_of: dict[int, list[StaffMember]],
    pdus: list[PDU],
    today: date,
) -> None:
    """Early ends, transfers (completed, rejected and waiting) and a recall waiting for the SPO, in proportions
    a PDU would see; the first cases of each PDU keep a plain history."""
    everyone = [officer for officers in officers_of.values() for officer in officers]
    demo_officer = next((o for o in everyone if o.user and o.user.username == "officer"), None)
    seen: dict[int, int] = {}
    singles = [Reason.DIED, Reason.TRANSFERRED_OUT, Reason.OTHER]
    pdu_by_id = {p.pk: p for p in pdus}
    receiving = next((p for p in pdus if p.code == "YH-LDS"), None)
    forced_out = forced_in = forced_recall = False
    for case in cases:
        event, officer = case.event, case.officer
        seen[event.pdu_id] = seen.get(event.pdu_id, 0) + 1
        if officer is None or seen[event.pdu_id] <= PROTECTED:
            continue
        start = case.allocations[0].from_date
        end = event.expected_end_date or today
        running = end > today + timedelta(days=30)
        # A transfer from the demo officer to Leeds, waiting for Leeds' SPO (the spo_leeds login), and one to
        # Tyneside from Leeds, waiting for the demo SPO.
        if not forced_out and receiving and officer == demo_officer and running and start < today - timedelta(60):
            _request(case, receiving, business_days_before(today, 2), "Moved to Leeds to live with family")
            case.transfer.requested_by = demo_officer.user  # type: ignore[union-attr]
            forced_out = True
            continue
        if not forced_in and receiving and event.pdu_id == receiving.pk and running:
            tyneside = next(p for p in pdus if p.code == FIRST_PDU)
            _request(case, tyneside, business_days_before(today, 3), "Moved to Gateshead for work at the Metrocentre")
            forced_in = True
            continue
        if (
            not forced_recall
            and officer == demo_officer
            and event.type == Event.Type.LICENCE
            and running
            and start < today - timedelta(30)
        ):
            case.recall = True
            forced_recall = True
            continue
        chance = rng.random()
        latest_end = min(end, today) - timedelta(days=5)
        early = _between(rng, start + timedelta(days=60), latest_end)
        if early and singles and chance < 0.004 * len(singles) * 3:
            case.ends_on, case.reason = early, singles.pop(0)
            case.note = {
                Reason.DIED: "Died in hospital; confirmed by the coroner's office.",
                Reason.TRANSFERRED_OUT: "Moved to Scotland; supervision transferred to Glasgow Justice Social Work.",
                Reason.OTHER: "Order discharged on appeal at the Crown Court.",
            }[Reason(case.reason)]
        elif early and event.type in Event.RELEASE_TYPES and chance < 0.07:
            case.ends_on, case.reason = early, Reason.RECALLED
            case.note = "Recalled to custody: licence conditions breached (address)."
        elif early and event.type not in Event.RELEASE_TYPES and chance < 0.03:
            case.ends_on, case.reason = early, Reason.EARLY_REVOCATION
            case.note = "Revoked early for good progress: all requirements completed, in full-time work."
        elif early and event.type not in Event.RELEASE_TYPES and chance < 0.05 and early > start + timedelta(90):
            case.ends_on, case.reason = early, Reason.REVOKED_BREACH
            case.note = "Revoked by the court on breach; re-sentenced to 16 weeks' custody."
            case.forced_failures = [early - timedelta(days=75), early - timedelta(days=40)]
        elif early and event.type not in Event.RELEASE_TYPES and chance < 0.07:
            case.ends_on, case.reason = early, Reason.REVOKED_FURTHER_OFFENCE
            case.note = "Revoked on conviction for a further offence; sentenced to custody."
        elif not running or chance < 0.07:
            continue
        elif chance < 0.12:
            if start < today - timedelta(days=100):
                _completed_transfer(rng, case, officers_of, pdu_by_id, today)
        elif chance < 0.13:
            others = [p for p in pdus if p.pk != event.pdu_id]
            requested = _between(rng, start + timedelta(days=20), today - timedelta(days=20))
            if requested:
                transfer = _request(case, rng.choice(others), requested, "Says they are moving in with a partner there")
                transfer.status, transfer.decided_on = Transfer.Status.REJECTED, add_business_days(requested, 4)
                transfer.rejection_reason = "The address could not be verified: no tenancy there."
        elif chance < 0.145:
            others = [p for p in pdus if p.pk != event.pdu_id]
            requested = max(business_days_before(today, rng.randint(1, 25)), business_day_on_or_after(start))
            _request(case, rng.choice(others), min(requested, today), "Rehoused there by the council")


def _request(case: _Case, to_pdu: PDU, on: date, reason: str) -> Transfer:
    case.transfer = Transfer(
        event=case.event, from_pdu_id=case.event.pdu_id, to_pdu=to_pdu, reason=reason, requested_on=on
    )
    return case.transfer


def _completed_transfer(
    rng: random.Random,
    case: _Case,
    officers_of: dict[int, list[StaffMember]],
    pdu_by_id: dict[int, PDU],
    today: date,
) -> None:
    """The case came from another PDU (of the other region, more often than not): its first officer was there."""
    here = pdu_by_id[case.event.pdu_id]
    elsewhere = [p for p in pdu_by_id.values() if p.pk != here.pk and officers_of[p.pk]]
    if not elsewhere:
        return
    other_region = [p for p in elsewhere if p.region_id != here.region_id]
    origin = rng.choice(other_region if other_region and rng.random() < 0.6 else elsewhere)
    first = case.allocations[0]
    requested = _between(rng, first.from_date + timedelta(days=30), today - timedelta(days=45))
    if requested is None:
        return
    decided = add_business_days(requested, rng.choices([5, 10, 15, 18, 25], weights=[20, 35, 25, 10, 10])[0])
    case.allocations = [
        Allocation(
            event=case.event,
            staff=rng.choice(
                [o for o in officers_of[origin.pk] if o.grade == StaffMember.Grade.PO] or officers_of[origin.pk]
            ),
            from_date=first.from_date,
            to_date=decided - timedelta(days=1),
            reason="Initial allocation",
            reason_code=Allocation.Reason.INITIAL,
        ),
        Allocation(
            event=case.event,
            staff=case.officer,
            from_date=decided,
            reason=f"Transfer from {origin.name}",
            reason_code=Allocation.Reason.TRANSFER_IN,
        ),
    ]
    case.event.court = rng.choice(PLACES.get(origin.code, case.place).courts)
    case.transfer = Transfer(
        event=case.event,
        from_pdu=origin,
        to_pdu=here,
        reason=f"Moved to {case.place.town}",
        requested_on=requested,
        status=Transfer.Status.COMPLETED,
        decided_on=decided,
        receiving_officer=case.officer,
    )
    case.place = PLACES.get(origin.code, case.place)  # the first address, in the PDU it came from


def _person_details(rng: random.Random, cases: list[_Case]) -> None:
    registrations, aliases, addresses = [], [], []
    for case in cases:
        person, event = case.person, case.event
        completed = case.transfer is not None and case.transfer.status == Transfer.Status.COMPLETED
        moved = case.transfer.decided_on if case.transfer and completed else None
        addresses.append(
            Address(
                person=person,
                lines=f"{rng.randint(1, 200)} {rng.choice(case.place.streets)}\n{case.place.town}",
                postcode=_postcode(rng, case.place),
                from_date=event.sentence_date,
                to_date=moved - timedelta(days=1) if moved else None,
            )
        )
        if moved:
            here = PLACES.get(case.transfer.to_pdu.code, case.place)  # type: ignore[union-attr]
            addresses.append(
                Address(
                    person=person,
                    lines=f"{rng.randint(1, 200)} {rng.choice(here.streets)}\n{here.town}",
                    postcode=_postcode(rng, here),
                    from_date=moved,
                )
            )
            case.place = here
        if rng.random() < 0.1:
            aliases.append(Alias(person=person, first_name=person.first_name, last_name=rng.choice(LAST_NAMES)))
        pso = case.officer is not None and case.officer.grade == StaffMember.Grade.PSO
        for flag, chance in [
            (Registration.Type.DOMESTIC_ABUSE, 0.25),
            (Registration.Type.CHILD_PROTECTION, 0 if pso else 0.08),
            (Registration.Type.SELF_HARM, 0.1),
            (Registration.Type.STALKING, 0.03),
        ]:
            if rng.random() < chance:
                start = event.supervision_starts_on
                registrations.append(
                    Registration(person=person, type=flag, from_date=start, review_due=add_months(start, 6))
                )
        high = person.rosh in {Rosh.HIGH, Rosh.VERY_HIGH}
        if not pso and rng.random() < (0.12 if high else 0.01):
            registrations.append(
                Registration(
                    person=person,
                    type=Registration.Type.MAPPA,
                    mappa_level=rng.choice([1, 2]),
                    mappa_category=rng.choice([1, 2]),
                    from_date=event.sentence_date,
                    review_due=add_months(event.sentence_date, 3),
                )
            )
    Registration.objects.bulk_create(registrations)
    Alias.objects.bulk_create(aliases)
    Address.objects.bulk_create(addresses)


def _staff_on(case: _Case, day: date) -> StaffMember | None:
    for allocation in reversed(case.allocations):
        if allocation.from_date <= day:
            return allocation.staff
    return case.allocations[0].staff if case.allocations else None


ABSENCE_REASONS = [
    AbsenceReason.ILLNESS,
    AbsenceReason.ILLNESS,
    AbsenceReason.MEDICAL,
    AbsenceReason.FAMILY_EMERGENCY,
    AbsenceReason.EMPLOYMENT,
    AbsenceReason.CHILDCARE,
]


def _contacts(rng: random.Random, cases: list[_Case], today: date) -> dict[int, list[Contact]]:
    """A believable diary: an initial appointment, visits every one to three weeks with mixed outcomes, one
    booked ahead; on business days, in office hours; none after the sentence ended."""
    ensure_contact_types(ContactType)  # present after migrate; restored if a database was flushed
    types = {t.code: t for t in ContactType.objects.all()}
    now = timezone.now()
    diary: dict[int, list[Contact]] = {}
    flagged = set(
        Registration.objects.filter(
            type__in=Registration.HOME_VISIT_TYPES, person__in=[c.person for c in cases]
        ).values_list("person_id", flat=True)
    )
    for case in cases:
        if not case.allocations:
            continue
        event = case.event
        last = min(filter(None, [case.ends_on, event.expected_end_date]))
        forced = sorted(case.forced_failures)
        contacts = diary.setdefault(event.pk, [])
        allocated = case.allocations[0].from_date
        day = business_day_on_or_after(allocated + timedelta(days=rng.choices([0, 1], weights=[80, 20])[0]))
        kind = "initial_appointment"
        home_visits = case.person.rosh in {Rosh.HIGH, Rosh.VERY_HIGH} or case.person.pk in flagged
        last_home: date | None = None
        while day <= last:
            hour, minute = rng.choice(OFFICE_HOURS)
            starts = _at(day, hour, minute)
            staff = _staff_on(case, day)
            if starts > now:
                contacts.append(
                    Contact(
                        event=event,
                        type=types["office_visit"],
                        starts_at=starts,
                        staff=staff,
                        enforceable=True,
                        recorded_at=now,
                    )
                )
                break
            outcome = rng.choices(
                [
                    Outcome.ATTENDED,
                    Outcome.FAILED_TO_COMPLY,
                    Outcome.ACCEPTABLE_ABSENCE,
                    Outcome.UNACCEPTABLE_ABSENCE,
                    "",
                ],
                weights=[84, 2, 6, 3, 5] if kind != "initial_appointment" else [95, 0, 3, 2, 0],
            )[0]
            if (now - starts).days > 14 and not outcome:
                outcome = Outcome.ATTENDED
            if not types[kind].enforceable and outcome:
                outcome = Outcome.ATTENDED  # a telephone call is not an appointment to fail
            if forced and day >= forced[0] and types[kind].enforceable:
                forced.pop(0)
                outcome = Outcome.UNACCEPTABLE_ABSENCE
            contact = Contact(
                event=event,
                type=types[kind],
                starts_at=starts,
                staff=staff,
                enforceable=types[kind].enforceable,
                outcome=outcome,
                notes=rng.choice(NOTES) if outcome == Outcome.ATTENDED else "",
                recorded_at=min(starts + timedelta(hours=rng.randint(1, 30)), now),
            )
            if outcome == Outcome.ACCEPTABLE_ABSENCE:
                _absence(rng, contact, day, today)
            contacts.append(contact)
            if kind == "home_visit" and outcome == Outcome.ATTENDED:
                last_home = day
            day = business_day_on_or_after(day + timedelta(days=rng.choice([7, 14, 14, 14, 21])))
            if home_visits and last_home is None:  # within 10 business days of the start
                day = business_day_on_or_after(_day_of(starts) + timedelta(days=rng.randint(2, 6)))
                kind = "home_visit"
            elif home_visits and last_home is not None and (day - last_home).days >= 60:  # then every 3 months
                kind = "home_visit"
            else:
                kind = rng.choice(["office_visit"] * 6 + ["home_visit", "telephone"])
    return diary


def _absence(rng: random.Random, contact: Contact, day: date, today: date) -> None:
    """Most absences awaited evidence first (5 business days); the latest may still be waiting for it."""
    if rng.random() < 0.3:
        contact.absence_reason = rng.choice(ABSENCE_REASONS)  # accepted there and then
        return
    contact.evidence_due = add_business_days(day, 5)
    decided = add_business_days(day, rng.choices([1, 2, 3, 4, 7], weights=[30, 30, 20, 12, 8])[0])
    if decided > today:
        contact.outcome, contact.absence_reason = Outcome.AWAITING_EVIDENCE, ""
        return
    contact.evidence_decided_on = decided
    if rng.random() < 0.15:
        contact.outcome = Outcome.UNACCEPTABLE_ABSENCE  # the evidence never came
    else:
        contact.absence_reason = rng.choice(ABSENCE_REASONS)


def _save_contacts(diary: dict[int, list[Contact]]) -> None:
    contacts = [c for contacts in diary.values() for c in contacts]
    Contact.objects.bulk_create(contacts, batch_size=1000)
    ContactVersion.objects.bulk_create(
        (
            ContactVersion(
                contact=c,
                number=1,
                data=snapshot(c),
                changed_at=c.recorded_at,
                changed_by_name=c.staff.name if c.staff else "",
            )
            for c in contacts
        ),
        batch_size=1000,
    )


def _enforcement(
    rng: random.Random,
    cases: list[_Case],
    diary: dict[int, list[Contact]],
    spo_of: dict[int, StaffMember],
    today: date,
) -> None:
    """Each failure answered as the rules say, mostly within 2 business days: a warning, then breach on an order
    within its 12 months, a professional judgement now and then (overseen by the SPO); three acceptable absences
    overseen by the SPO; recalls of licences (the ended ones returned to custody, one waiting for a decision)."""
    actions: list[EnforcementAction] = []
    tasks: list[OversightTask] = []
    for case in cases:
        event = case.event
        contacts = diary.get(event.pk, [])
        warnings: list[date] = []
        breach: EnforcementAction | None = None
        answered: set[date] = set()
        absences, absence_task = 0, None
        for contact in contacts:
            day = _day_of(contact.starts_at)
            if contact.outcome == Outcome.ACCEPTABLE_ABSENCE and not (absence_task and absence_task.closed_at is None):
                absences += 1
                if absences >= 3:
                    absence_task = OversightTask(
                        event=event, reason=OversightTask.Reason.ACCEPTABLE_ABSENCES, opened_on=day, trigger=contact
                    )
                    _close(rng, absence_task, _spo_for(spo_of, contact.staff), today, ABSENCES_OVERSEEN)
                    tasks.append(absence_task)
                    absences = 0
                continue
            if contact.outcome not in FAILURES or not contact.enforceable:
                continue
            if breach is not None and day <= (breach.resolved_on or today):
                contact.outcome, contact.notes = Outcome.ATTENDED, rng.choice(NOTES)  # complied while before the court
                continue
            if day in answered:
                continue
            on = add_business_days(day, rng.choices([0, 1, 2, 3, 5], weights=[32, 42, 18, 5, 3])[0])
            order = event.type in (Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER)
            # a warning rules out another within its 12 months, and a failure inside them needs breach (the pages'
            # rule, cases/enforcement/services.py covering_warning)
            covered = order and any(
                given <= on <= add_months(given - timedelta(days=1), 12)
                or given <= day <= add_months(given - timedelta(days=1), 12)
                for given in warnings
            )
            if covered:
                # decided within the enforcement decision's 2 business days, mostly; laid within breach's 10
                initiated = add_business_days(day, rng.choices([0, 1, 2, 5, 12], weights=[25, 40, 25, 7, 3])[0])
                if initiated > today:
                    continue  # being prepared
                resolved = initiated + timedelta(days=rng.randint(21, 42))
                breach = EnforcementAction(
                    event=event,
                    kind=Kind.BREACH,
                    failure=contact,
                    on=initiated,
                    aware_on=day,
                    resolved_on=resolved if resolved <= today else None,
                    court_outcome=rng.choice(COURT_OUTCOMES) if resolved <= today else "",
                )
                actions.append(breach)
            elif on > today:
                continue  # the decision is still to be made
            elif rng.random() < 0.1:
                actions.append(
                    EnforcementAction(
                        event=event,
                        kind=Kind.PROFESSIONAL_JUDGEMENT,
                        failure=contact,
                        on=on,
                        rationale="Late by twenty minutes after a bus cancellation; seen the same day.",
                    )
                )
                judgement = OversightTask.Reason.PROFESSIONAL_JUDGEMENT
                if not any(t.event is event and t.reason == judgement and t.closed_at is None for t in tasks):
                    task = OversightTask(event=event, reason=judgement, opened_on=on, trigger=contact)
                    _close(rng, task, _spo_for(spo_of, contact.staff), today, JUDGEMENT_OVERSEEN)
                    tasks.append(task)
            else:
                warnings.append(on)
                actions.append(
                    EnforcementAction(
                        event=event,
                        kind=Kind.WARNING,
                        failure=contact,
                        on=on,
                        letter=render_to_string(
                            "cases/warning_letter.txt", {"event": event, "failure": contact, "on": on, "months": 12}
                        ),
                    )
                )
            answered.add(day)
        if case.reason == Reason.REVOKED_BREACH:
            if breach is not None and case.ends_on and case.ends_on >= breach.on:
                breach.resolved_on, breach.court_outcome = case.ends_on, "Order revoked; re-sentenced to custody"
            else:
                case.reason, case.note = Reason.REVOKED, "Revoked by the court on the officer's application."
        if case.reason == Reason.RECALLED and case.ends_on:
            actions.append(_recall(rng, case, spo_of, today))
        if case.recall:
            recommended = business_days_before(today, 1)
            actions.append(
                EnforcementAction(
                    event=event,
                    kind=Kind.RECALL,
                    on=recommended,
                    recall_type=EnforcementAction.RecallType.STANDARD,
                    rationale="Missed two appointments and left the approved address; police have concerns.",
                    recorded_by=case.officer.user if case.officer else None,
                )
            )
    _save_contacts(diary)
    stamps = random.Random(STAMPS + 1)  # noqa: S311 - repeatable demo data, not security
    for action in actions:
        action.recorded_at = _recorded(stamps, action.on)
        for happened, stamp in [
            ("decided_at", "decision_recorded_at"),
            ("requested_at", "request_recorded_at"),
            ("returned_on", "returned_recorded_at"),
            ("review_completed_on", "review_recorded_at"),
            ("resolved_on", "resolved_recorded_at"),
        ]:
            if getattr(action, happened) is not None:
                setattr(action, stamp, _recorded(stamps, getattr(action, happened)))
    EnforcementAction.objects.bulk_create(actions, batch_size=1000)
    OversightTask.objects.bulk_create(tasks, batch_size=1000)


ABSENCES_OVERSEEN = "Reviewed the absences with the officer: evidence seen, engagement otherwise good."
JUDGEMENT_OVERSEEN = "Agree with the officer's judgement: a one-off, explained."
COURT_OUTCOMES = [
    "Order continued; fined £100",
    "Order varied: 20 more hours of unpaid work",
    "Order continued with a warning from the court",
    "Order varied: curfew added for 8 weeks",
]


def _close(rng: random.Random, task: OversightTask, spo: StaffMember | None, today: date, note: str) -> None:
    closed = add_business_days(task.opened_on, rng.choices([1, 2, 4, 7], weights=[35, 35, 20, 10])[0])
    if spo is not None and closed <= today - timedelta(days=1):
        task.closed_at, task.closed_by, task.note, task.outcome = _at(closed, 15, 30), spo, note, "agree"


def _recall(rng: random.Random, case: _Case, spo_of: dict[int, StaffMember], today: date) -> EnforcementAction:
    """Recommended by the RO, agreed by the SPO, sent to the recall casework section, back in custody on the day
    the licence ended, and reviewed."""
    assert case.ends_on is not None
    returned = case.ends_on
    recommended = business_days_before(returned, 2)
    decided = _at(recommended, 16, 0)
    requested = decided + (timedelta(hours=rng.randint(1, 4)) if rng.random() < 0.9 else timedelta(days=2))
    returned = max(returned, _day_of(requested))
    case.ends_on = returned
    review = add_business_days(returned, rng.choices([6, 10, 14, 18], weights=[30, 40, 20, 10])[0])
    if review < today:
        case.ends_on = review  # the licence ends once the recall is reviewed (Part B) and the case closed
    return EnforcementAction(
        event=case.event,
        kind=Kind.RECALL,
        on=recommended,
        recall_type=rng.choices(list(EnforcementAction.RecallType), weights=[70, 30])[0],
        rationale="Left the approved address without permission and stopped reporting.",
        decision=EnforcementAction.Decision.AGREED,
        decision_rationale="Risk can no longer be managed in the community.",
        decided_at=decided,
        decided_by=_spo_for(spo_of, _staff_on(case, recommended)),
        requested_at=requested,
        returned_on=returned,
        review_completed_on=review if review <= today else None,
    )


OBJECTIVES = {
    NeedArea.ACCOMMODATION: "Find and keep a settled address",
    NeedArea.ETE: "Get into work or training",
    NeedArea.FINANCE: "Pay down rent arrears and manage money",
    NeedArea.RELATIONSHIPS: "Keep contact with the children safe and regular",
    NeedArea.SUBSTANCE_MISUSE: "Stop using drugs and stay abstinent",
    NeedArea.THINKING: "Recognise and manage the situations that lead to offending",
    NeedArea.ATTITUDES: "Take responsibility for the offence and its victim",
    NeedArea.HEALTH: "Register with a GP and attend mental health appointments",
    NeedArea.LIFESTYLE: "Spend time away from the associates linked to offending",
}
PERSONS_VIEWS = [
    "I want to stay out of trouble and get back to work.",
    "I need somewhere to live first, then I can sort the rest.",
    "I want to be a better dad.",
    "",
]


def _plans(rng: random.Random, cases: list[_Case], today: date) -> None:
    """Most plans completed within 15 business days of the start, some late, some not yet done; completed plans
    reviewed about every 6 months, the odd review overdue."""
    plans: list[SentencePlan] = []
    objectives: list[Objective] = []
    reviews: list[PlanReview] = []
    for case in cases:
        if not case.allocations:
            continue
        event = case.event
        start = event.supervision_starts_on
        last = min(filter(None, [case.ends_on, event.expected_end_date, today]))
        due = add_business_days(start, 15)
        chance = rng.random()
        completed: date | None = None
        if due > today:
            if chance < 0.5:
                continue  # not begun: still in time
        elif chance < 0.82:
            completed = add_business_days(start, rng.randint(4, 15))
        elif chance < 0.92:
            completed = add_business_days(start, rng.randint(16, 35))
        if completed is not None and completed > last:
            completed = None
            if due > last:
                continue  # ended before a plan fell due
        plan = SentencePlan(
            event=event,
            status=SentencePlan.Status.COMPLETED if completed else SentencePlan.Status.DRAFT,
            completed_on=completed,
            persons_view=rng.choice(PERSONS_VIEWS) if completed else "",
        )
        plans.append(plan)
        for area in rng.sample(sorted(OBJECTIVES), rng.randint(2, 3)):
            objectives.append(
                Objective(
                    plan=plan,
                    area=area,
                    description=OBJECTIVES[area],
                    steps="Attend the appointments agreed; tell the officer about any change.",
                    who="Person on probation and the officer",
                    target_date=add_months(completed or today, rng.choice([3, 6])),
                    achieved=completed is not None and completed < today - timedelta(days=180) and rng.random() < 0.4,
                )
            )
        reviewed = completed
        while reviewed is not None:
            next_due = add_months(reviewed, 6)
            if next_due > last or rng.random() < 0.08:
                break  # not yet due, or overdue: the odd review is late
            reviewed = next_due - timedelta(days=rng.randint(0, 14))
            reviews.append(PlanReview(plan=plan, reviewed_on=reviewed, summary="Progress reviewed with them."))
    stamps = random.Random(STAMPS + 2)  # noqa: S311 - repeatable demo data, not security
    for plan in plans:
        plan.completed_recorded_at = _recorded(stamps, plan.completed_on) if plan.completed_on else None
    for review in reviews:
        review.recorded_at = _recorded(stamps, review.reviewed_on)
    SentencePlan.objects.bulk_create(plans, batch_size=1000)
    Objective.objects.bulk_create(objectives, batch_size=1000)
    PlanReview.objects.bulk_create(reviews, batch_size=1000)


def _end(cases: list[_Case]) -> None:
    """The sentences that ended early, with their reasons, and an audit row each (as the early-end page writes)."""
    ended = [c for c in cases if c.ends_on and c.reason]
    for case in ended:
        case.event.terminated_on, case.event.termination_reason = case.ends_on, case.reason
        case.event.termination_note = case.note
    Event.objects.bulk_update([c.event for c in ended], ["terminated_on", "termination_reason", "termination_note"])
    AuditEvent.objects.bulk_create(
        AuditEvent(
            action="event.end",
            person=case.person,
            object_type="event",
            object_id=str(case.event.pk),
            detail={"on": case.ends_on.isoformat(), "reason": case.reason},  # type: ignore[union-attr]
        )
        for case in ended
    )


NOTES = [
    "Discussed accommodation; still sofa-surfing with a friend. Referral to housing options to follow.",
    "Reported settling into work at the warehouse. Reviewed licence conditions.",
    "Talked through the thinking skills exercises. Engaged well.",
    "Reports reduced drinking. Agreed to attend the alcohol service drop-in.",
    "Money worries: rent arrears. Signposted to debt advice.",
    "Family contact going well; no concerns raised.",
]


def _limit_access(people: list[Person], officers: list[StaffMember]) -> None:
    """One case restricted to its RO and the SPO; one case its RO's colleague (the demo officer) may not see."""
    restricted, excluded = people[1], people[2]
    restricted.access_contact = "Sanjay Senior, SPO, Tyneside Team 1"
    excluded.access_contact = "Sanjay Senior, SPO, Tyneside Team 1"
    Person.objects.bulk_update([restricted, excluded], ["access_contact"])
    ro_of_restricted = Allocation.objects.get(event__person=restricted).staff
    spo = StaffMember.objects.filter(pdu=restricted.pdu, grade=StaffMember.Grade.SPO).first()
    for staff in filter(None, [ro_of_restricted, spo]):
        AccessRule.objects.create(
            person=restricted, staff=staff, kind=AccessRule.Kind.RESTRICTION, reason="High-profile case"
        )
    demo_officer = StaffMember.objects.filter(user__username="officer").first()
    if demo_officer:
        AccessRule.objects.create(
            person=excluded,
            staff=demo_officer,
            kind=AccessRule.Kind.EXCLUSION,
            reason="Known to the officer personally",
        )
