"""Writes to the case record: each is one business action in one transaction, audited."""

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.db.models import Max
from django.utils import timezone

from cases import entered_dates
from cases.access import may_change_case
from cases.calendar_months import add_months
from cases.models import Address, Event, Person, Registration, Requirement, RiskLevel
from cases.risk_levels import risk_level_write
from cases.unit_of_work import case_change
from regions.models import PDU

ORDERS = frozenset({Event.Type.COMMUNITY_ORDER, Event.Type.SUSPENDED_SENTENCE_ORDER})
NO_REQUIREMENT = "A community order or suspended sentence order has at least one requirement: enter one"
NOT_ON_LICENCE = frozenset({Requirement.Type.UNPAID_WORK, Requirement.Type.RAR, Requirement.Type.ACCREDITED_PROGRAMME})


def _next_ref(person: Person) -> str:
    refs = [int(ref) for ref in person.events.values_list("ref", flat=True) if ref.isdigit()]
    return str(max(refs, default=0) + 1)


def event_record(
    *,
    person: Person,
    user: User | AnonymousUser,
    type: str,
    sentence_date: date,
    release_date: date | None = None,
    length_months: int | None = None,
    court: str = "",
    offence: str = "",
    requirements: list[dict[str, Any]] | tuple[dict[str, Any], ...] = (),
    custody: dict[str, Any] | None = None,
) -> Event:
    """A new sentence from court (to custody, with its release dates), or a release on licence or PSS,
    supervised in the person's PDU."""
    with case_change(person, user, "event.create") as change:
        entered_dates.refuse(sentence_date, field="sentence_date", called="The sentence date")
        entered_dates.refuse(
            release_date, field="release_date", called="The release date", limits=[(sentence_date, "the sentence date")]
        )
        if type in ORDERS and not requirements:
            raise ValidationError({"type": NO_REQUIREMENT})
        if type in Event.RELEASE_TYPES and any(r.get("type") in NOT_ON_LICENCE for r in requirements):
            raise ValidationError({"type": "A licence has licence conditions, not Unpaid Work, RAR or a programme"})
        event = Event(
            person=person,
            ref=_next_ref(person),
            type=type,
            pdu_id=person.pdu_id,
            sentence_date=sentence_date,
            release_date=release_date,
            released_recorded_at=timezone.now() if release_date else None,
            length_months=length_months,
            expected_end_date=None
            if type == Event.Type.CUSTODY
            else _expected_end(release_date or sentence_date, length_months),
            court=court,
            offence=offence,
            **(custody or {}),
        )
        event.full_clean()
        event.save()
        for fields in requirements:
            requirement = Requirement(event=event, **fields)
            requirement.full_clean()
            requirement.save()
        change.touches(event, type=type, requirements=len(requirements))
        return event


def _expected_end(start: date, months: int | None) -> date | None:
    if not months:
        return None
    try:
        return add_months(start, months) - timedelta(days=1)
    except (ValueError, OverflowError) as error:
        raise ValidationError({"length_months": "The sentence would end after the year 9999"}) from error


def risk_level_record(
    *, person: Person, user: User | AnonymousUser, rosh: str, tier: str, assessed_on: date
) -> RiskLevel:
    with case_change(person, user, "risk.change") as change:
        entered_dates.refuse(assessed_on, field="assessed_on", called="The date of assessment")
        level = risk_level_write(
            person=person, rosh=rosh, tier=tier, assessed_on=assessed_on, staff=getattr(user, "staff", None)
        )
        change.touches(level, rosh=rosh, tier=tier)
        return level


def _next_crn(prefix: str) -> str:
    highest = Person.objects.filter(crn__startswith=prefix).aggregate(highest=Max("crn"))["highest"]
    number = int(highest[1:]) + 1 if highest else 1
    if number > 999_999:
        raise ValidationError(f"No CRNs are left for the prefix {prefix}")
    return f"{prefix}{number:06d}"


def person_record(
    *, user: User | AnonymousUser, pdu: PDU, person_fields: dict[str, Any], event_fields: dict[str, Any]
) -> Event:
    """A person new to probation, with their first sentence, given the next CRN of their region's letter."""
    prefix = pdu.region.code[0]
    for _attempt in range(3):
        try:
            with case_change(None, user, "person.create") as change:
                person = Person(crn=_next_crn(prefix), pdu=pdu, **person_fields)
                person.full_clean()
                person.save()
                change.of_new_case(person)
                change.touches(person)
                return event_record(person=person, user=user, **event_fields)
        except IntegrityError:
            continue  # another intake took the same CRN at the same moment: take the next one
    raise ValidationError("Could not give this person a CRN: try again")


def registration_add(*, person: Person, user: User | AnonymousUser, **fields: Any) -> Registration:
    with case_change(person, user, "registration.create") as change:
        entered_dates.refuse(fields.get("from_date"), field="from_date", called="The start date")
        registration = Registration(person=person, recorded_at=timezone.now(), **fields)
        registration.full_clean()
        registration.save()
        change.touches(registration, type=registration.type)
        return registration


def registration_review(
    *, registration: Registration, user: User | AnonymousUser, next_review: date | None, ended_on: date | None
) -> Registration:
    """Record a flag's review: either a new review date, or the end of the flag."""
    with case_change(registration.person_id, user, "registration.review") as change:
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        before = {"review_due": str(registration.review_due), "ended_on": str(registration.ended_on)}
        if ended_on:
            entered_dates.refuse(
                ended_on,
                field="ended_on",
                called="The end date",
                limits=[(registration.from_date, "when the flag started")],
            )
            registration.ended_on = ended_on
        else:
            registration.review_due = next_review
        registration.full_clean()
        registration.save(update_fields=["review_due", "ended_on"])
        change.touches(registration, before=before)
        return registration


def contact_details_change(
    *, person: Person, user: User | AnonymousUser, lines: str, postcode: str, email: str
) -> list[str]:
    """The person's current main address and email, changed by their RO or an SPO or head of their PDU.
    The current main address is corrected in place (a move is recorded by cases.person.services.address_move;
    phone numbers are among the personal details there); the audit row names what changed, not the values.
    Returns the names of what changed."""
    with case_change(person, user, "person.contact_details") as change:
        if not may_change_case(user, person):
            raise PermissionDenied("Only the responsible officer, and SPOs and heads of the case's PDU, may do this")
        locked = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        current = Address.objects.filter(person=locked, to_date__isnull=True, type__in=Address.HOME_TYPES).first()
        changed = ["email"] if locked.email != email else []
        if changed:
            locked.email = email
            locked.full_clean()
            locked.save(update_fields=["email"])
        if current is not None and (current.lines, current.postcode) != (lines, postcode):
            if not lines:
                raise ValidationError({"lines": "Enter the address: it cannot be removed, only corrected"})
            current.lines, current.postcode = lines, postcode
            current.full_clean()
            current.save(update_fields=["lines", "postcode"])
            changed.append("address")
        elif current is None and lines:
            Address(person=locked, lines=lines, postcode=postcode, from_date=timezone.localdate()).save()
            changed.append("address")
        change.touches(locked, changed=changed)
        return changed
