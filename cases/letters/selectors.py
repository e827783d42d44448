"""What a letter says: the officer, their office, the next appointment, the adjustments the person needs, and
for a warning or breach letter the failure behind it. A fixed number of queries, however long the case."""

import re
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from cases.models import Address, Allocation, Contact, EnforcementAction, Event, Person
from cases.person.selectors import current_adjustments
from regions.models import StaffMember

# An adjustment asking for large print (or a bigger font) makes the letter large print.
LARGE_PRINT = re.compile(r"large[\s-]*print|larger (print|font|text)|big(ger)? (print|font|text)", re.IGNORECASE)


@dataclass
class LetterFacts:
    person: Person
    event: Event
    today: date
    officer: StaffMember | None
    office_address: list[str]
    home_address: list[str]
    next_appointment: Contact | None
    adjustments: list[str] = field(default_factory=list)
    warning: EnforcementAction | None = None
    breach: EnforcementAction | None = None

    @property
    def large_print(self) -> bool:
        return any(LARGE_PRINT.search(adjustment) for adjustment in self.adjustments)


def letter_facts(event: Event) -> LetterFacts:
    person = event.person
    allocation = (
        Allocation.objects.current()
        .filter(event=event)
        .select_related("staff__team__pdu", "staff__pdu")
        .order_by("-from_date")
        .first()
    )
    officer = allocation.staff if allocation is not None else None
    current = list(Address.objects.filter(person=person, to_date__isnull=True).order_by("-from_date", "-id"))
    home = next((address for address in current if address.type == Address.Type.MAIN), None) or next(
        iter(current), None
    )
    upcoming = (
        Contact.objects.valid()
        .filter(event=event, outcome="", starts_at__gte=timezone.now())
        .select_related("type", "staff")
        .order_by("starts_at")
        .first()
    )
    actions = EnforcementAction.objects.filter(event=event).select_related("failure__type").order_by("-on", "-id")
    return LetterFacts(
        person=person,
        event=event,
        today=timezone.localdate(),
        officer=officer,
        office_address=_lines(_office_of(officer, event)),
        home_address=_lines(home.lines) + ([home.postcode] if home and home.postcode else []) if home else [],
        next_appointment=upcoming,
        adjustments=adjustments_of(person),
        warning=actions.filter(kind=EnforcementAction.Kind.WARNING, withdrawn_on__isnull=True).first(),
        breach=actions.filter(kind=EnforcementAction.Kind.BREACH).first(),
    )


def adjustments_of(person: Person) -> list[str]:
    """The adjustments agreed for the disabilities the person has today (cases/person), one a line as recorded."""
    return [line.strip() for text in current_adjustments(person) for line in text.splitlines() if line.strip()]


def _office_of(officer: StaffMember | None, event: Event) -> str:
    """The officer's team's office, else their PDU's, else the PDU of the sentence."""
    if officer is not None and officer.team is not None:
        if officer.team.office_address:
            return officer.team.office_address
        if officer.team.pdu.office_address:
            return officer.team.pdu.office_address
    if officer is not None and officer.pdu is not None and officer.pdu.office_address:
        return officer.pdu.office_address
    return event.pdu.office_address


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]
