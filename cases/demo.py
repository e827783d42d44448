"""Demo caseloads: ~40 believable cases per officer in Tyneside, with one restricted and one excluded case.
Deterministic (seeded; the dates count back from the day it is loaded) and idempotent: people are keyed by CRN,
so loading twice changes nothing."""

import random
from datetime import date, datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from cases.calendar_months import add_months
from cases.contacts.services import snapshot
from cases.models import (
    AbsenceReason,
    AccessRule,
    Address,
    Alias,
    Allocation,
    Contact,
    ContactType,
    ContactVersion,
    Event,
    Outcome,
    Person,
    Registration,
    Requirement,
)
from cases.models.person import Rosh
from cases.reference import ensure_contact_types
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
STREETS = [
    "Grainger Street",
    "Shields Road",
    "Westgate Road",
    "Chillingham Road",
    "Elswick Road",
    "Front Street",
    "Station Road",
    "Park View",
]
CASES_PER_OFFICER = 40


def _postcode(rng: random.Random) -> str:
    letters = "ABDEFGHJLNPQRSTUWXYZ"
    return f"NE{rng.randint(1, 15)} {rng.randint(1, 9)}{rng.choice(letters)}{rng.choice(letters)}"


def _tier(rng: random.Random) -> str:
    return rng.choice("ABCD") + rng.choice("0123")


def _event(rng: random.Random, person: Person, today: date) -> tuple[Event, list[Requirement]]:
    supervised = [Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER, Event.Type.LICENCE, Event.Type.PSS]
    kind = rng.choices(supervised, weights=[45, 20, 30, 5])[0]
    months = rng.choice([6, 12, 18, 24])
    if kind in Event.RELEASE_TYPES:
        sentence = today - timedelta(days=rng.randint(200, 900))
        release = today - timedelta(days=rng.randint(5, 180))
        start = release
    else:
        sentence = today - timedelta(days=rng.randint(5, 400))
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
        court=rng.choice(
            ["Newcastle Magistrates' Court", "Newcastle Crown Court", "North Tyneside Magistrates' Court"]
        ),
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
        if rng.random() < 0.6:
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
    return event, requirements


@transaction.atomic
def load_caseloads(pdu_code: str = "NE-TYN") -> int:
    """Create the demo caseloads once; returns how many people were created (0 on a second run)."""
    pdu = PDU.objects.get(code=pdu_code)
    officers = list(
        StaffMember.objects.filter(pdu=pdu, grade__in=[StaffMember.Grade.PO, StaffMember.Grade.PSO]).order_by("code")
    )
    if Person.objects.filter(crn__startswith="D").exists() or not officers:
        return 0
    rng = random.Random(2026)  # noqa: S311 - repeatable demo data, not security
    people, events, requirements, allocations, registrations, aliases, addresses = [], [], [], [], [], [], []
    count = CASES_PER_OFFICER * len(officers) + 6  # the last few are left for the SPO to allocate
    for number in range(1, count + 1):
        gender = rng.choices([Person.Gender.MALE, Person.Gender.FEMALE], weights=[85, 15])[0]
        person = Person(
            crn=f"D{number:06d}",
            first_name=rng.choice(FIRST_NAMES[gender]),
            last_name=rng.choice(LAST_NAMES),
            date_of_birth=date(rng.randint(1960, 2006), rng.randint(1, 12), rng.randint(1, 28)),
            pnc=f"{rng.randint(1995, 2024)}/{rng.randint(1, 9999999):07d}{rng.choice('ABCDEFGHJKLMNPQRSTUVWXYZ')}",
            gender=gender,
            pdu=pdu,
            rosh=rng.choices(list(Rosh), weights=[35, 45, 17, 3])[0],
            tier=_tier(rng),
        )
        people.append(person)
    Person.objects.bulk_create(people)
    today = timezone.localdate()  # sentences dated back from the day the demo is loaded, so it never ages
    for index, person in enumerate(people):
        event, reqs = _event(rng, person, today)
        events.append(event)
        requirements.extend(reqs)
        addresses.append(
            Address(
                person=person,
                lines=f"{rng.randint(1, 200)} {rng.choice(STREETS)}\nNewcastle upon Tyne",
                postcode=_postcode(rng),
                from_date=event.sentence_date,
            )
        )
        if rng.random() < 0.1:
            aliases.append(Alias(person=person, first_name=person.first_name, last_name=rng.choice(LAST_NAMES)))
        for flag, chance in [
            (Registration.Type.DOMESTIC_ABUSE, 0.25),
            (Registration.Type.CHILD_PROTECTION, 0.08),
            (Registration.Type.SELF_HARM, 0.1),
            (Registration.Type.STALKING, 0.03),
        ]:
            if rng.random() < chance:
                start = event.sentence_date
                registrations.append(
                    Registration(person=person, type=flag, from_date=start, review_due=add_months(start, 6))
                )
        if rng.random() < 0.04:
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
        if index < CASES_PER_OFFICER * len(officers):
            officer = officers[index % len(officers)]
            allocations.append(
                Allocation(
                    event=event,
                    staff=officer,
                    from_date=event.supervision_starts_on + timedelta(days=rng.randint(0, 3)),
                    reason="Initial allocation",
                    reason_code=Allocation.Reason.INITIAL,
                )
            )
    Event.objects.bulk_create(events)
    Requirement.objects.bulk_create(requirements)
    Allocation.objects.bulk_create(allocations)
    Registration.objects.bulk_create(registrations)
    Alias.objects.bulk_create(aliases)
    Address.objects.bulk_create(addresses)
    _limit_access(people, officers)
    _contacts(rng, allocations)
    return len(people)


def _contacts(rng: random.Random, allocations: list[Allocation]) -> None:
    """A believable diary: an initial appointment, fortnightly visits with mixed outcomes, one booked ahead."""
    ensure_contact_types(ContactType)  # present after migrate; restored if a database was flushed
    types = {t.code: t for t in ContactType.objects.all()}
    now = timezone.now()
    contacts = []
    for allocation in allocations:
        event, staff = allocation.event, allocation.staff
        day = allocation.from_date + timedelta(days=rng.randint(0, 3))
        kind = "initial_appointment"
        while True:
            starts = timezone.make_aware(
                datetime.combine(day, time(rng.choice([9, 10, 11, 14, 15]), rng.choice([0, 30])))
            )
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
                weights=[80, 3, 7, 5, 5] if kind != "initial_appointment" else [95, 0, 3, 2, 0],
            )[0]
            if (now - starts).days > 14 and not outcome:
                outcome = Outcome.ATTENDED
            contacts.append(
                Contact(
                    event=event,
                    type=types[kind],
                    starts_at=starts,
                    staff=staff,
                    enforceable=types[kind].enforceable,
                    outcome=outcome,
                    absence_reason=AbsenceReason.ILLNESS if outcome == Outcome.ACCEPTABLE_ABSENCE else "",
                    notes=rng.choice(NOTES) if outcome == Outcome.ATTENDED else "",
                    recorded_at=starts + timedelta(hours=rng.randint(1, 30)),
                )
            )
            kind = rng.choice(["office_visit", "office_visit", "office_visit", "home_visit", "telephone"])
            day += timedelta(days=rng.choice([7, 14, 14, 21]))
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
