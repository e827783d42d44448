"""Writes to what an officer knows of the person: their personal details (kept as history), addresses and moves,
personal contacts, circumstances, disabilities, and their risk in full. Each is one change to the case, audited,
made by the case's RO or the SPOs and heads of its PDU (cases.access.may_change_case)."""

from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils import timezone

from cases import entered_dates
from cases.access import may_change_case, staff_of
from cases.models import (
    Address,
    Circumstance,
    Disability,
    Person,
    PersonalContact,
    PersonDetailsVersion,
    Phone,
    Predictor,
    RoshAssessment,
)
from cases.models.risk import LEVEL_FIELDS
from cases.risk_levels import risk_level_write
from cases.unit_of_work import CaseChange, case_change

# The personal details an officer edits on one form (phones are edited with them).
DETAIL_FIELDS = (
    "first_name",
    "last_name",
    "preferred_name",
    "pronouns",
    "date_of_birth",
    "gender",
    "pnc",
    "cro",
    "email",
    "language",
    "interpreter",
)
REFUSED = "Only the responsible officer, and SPOs and heads of the case's PDU, may do this"

Record = TypeVar("Record", bound=models.Model)


def _may_change(user: User | AnonymousUser, person: Person) -> None:
    if not may_change_case(user, person):
        raise PermissionDenied(REFUSED)


def _shown(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def details_change(
    *, person: Person, user: User | AnonymousUser, phones: Sequence[tuple[str, str]], **fields: Any
) -> list[str]:
    """The person's personal details and phone numbers (number, type). What changed is kept as a
    PersonDetailsVersion (before and after); the audit row names the fields, not the values. Returns the
    names of what changed."""
    unknown = set(fields) - set(DETAIL_FIELDS)
    if unknown:
        raise TypeError(f"Not personal details: {sorted(unknown)}")
    with case_change(person, user, "person.details") as change:
        _may_change(user, person)
        locked = Person.objects.select_for_update(of=("self",)).get(pk=person.pk)
        changes = {
            name: [_shown(getattr(locked, name)), _shown(value)]
            for name, value in fields.items()
            if getattr(locked, name) != value
        }
        for name in changes:
            setattr(locked, name, fields[name])
        before_phones = [[p.number, p.type] for p in locked.phones.order_by("id")]
        after_phones = [[number, type] for number, type in phones if number]
        if before_phones != after_phones:
            changes["phones"] = [before_phones, after_phones]
        if not changes:
            change.touches(locked, changed=[])
            return []
        if entered := fields.get("date_of_birth"):
            entered_dates.refuse(entered, field="date_of_birth", called="The date of birth")
        locked.full_clean()
        if fields_changed := [name for name in changes if name != "phones"]:
            locked.save(update_fields=fields_changed)
        if "phones" in changes:
            locked.phones.all().delete()
            Phone.objects.bulk_create(Phone(person=locked, number=n, type=t) for n, t in after_phones)
        PersonDetailsVersion.objects.create(
            person=locked,
            changed_at=timezone.now(),
            changed_by=user if user.is_authenticated else None,
            changes=changes,
        )
        change.touches(locked, changed=sorted(changes))
        return sorted(changes)


def _save(record: Record, change: CaseChange, **detail: Any) -> Record:
    record.full_clean()
    record.save()
    change.touches(record, **detail)
    return record


def _from_to(from_date: date, to_date: date | None, *, called: str = "The start date") -> None:
    entered_dates.refuse(from_date, field="from_date", called=called)
    if to_date is not None and to_date < from_date:
        raise ValidationError({"to_date": f"The end date must be on or after the start date ({from_date:%-d %B %Y})"})


def address_move(
    *, person: Person, user: User | AnonymousUser, moved_on: date, type: str, lines: str, postcode: str
) -> Address:
    """A move: the address they live at now (main, approved premises or no fixed abode) ends the day before
    the move, and the new one starts on the day of the move."""
    with case_change(person, user, "address.move") as change:
        _may_change(user, person)
        if type not in Address.HOME_TYPES:
            raise ValidationError(
                {"type": "Choose where they have moved to: a main address, approved premises or no fixed abode"}
            )
        entered_dates.refuse(moved_on, field="moved_on", called="The date of the move")
        current = (
            Address.objects.select_for_update()
            .filter(person=person, to_date__isnull=True, type__in=Address.HOME_TYPES)
            .first()
        )
        if current is not None:
            if moved_on <= current.from_date:
                raise ValidationError(
                    {
                        "moved_on": "The date of the move must be after "
                        f"{current.from_date:%-d %B %Y}, when they moved to the address they live at now"
                    }
                )
            current.to_date = moved_on - timedelta(days=1)
            current.save(update_fields=["to_date"])
        new = Address(person=person, type=type, lines=lines, postcode=postcode, from_date=moved_on)
        return _save(new, change, type=type, closed=current.pk if current else None)


def address_add(
    *,
    person: Person,
    user: User | AnonymousUser,
    type: str,
    lines: str,
    postcode: str,
    from_date: date,
    to_date: date | None = None,
) -> Address:
    """Another address: a secondary one alongside where they live, or a past one. Where they live now
    changes only by a move."""
    with case_change(person, user, "address.create") as change:
        _may_change(user, person)
        _from_to(from_date, to_date)
        living = Address.objects.filter(person=person, to_date__isnull=True, type__in=Address.HOME_TYPES)
        if to_date is None and type in Address.HOME_TYPES and living.exists():
            raise ValidationError({"type": "They already live at an address: record a move instead"})
        return _save(
            Address(person=person, type=type, lines=lines, postcode=postcode, from_date=from_date, to_date=to_date),
            change,
            type=type,
        )


def address_end(*, address: Address, user: User | AnonymousUser, to_date: date) -> Address:
    """The end of a secondary address (where they live ends only by a move)."""
    with case_change(address.person_id, user, "address.end") as change:
        _may_change(user, address.person)
        address = Address.objects.select_for_update().get(pk=address.pk)
        if address.to_date is not None:
            raise ValidationError(f"This address already ended on {address.to_date:%-d %B %Y}")
        if address.type in Address.HOME_TYPES:
            raise ValidationError({"to_date": "Record a move to end the address they live at"})
        entered_dates.refuse(
            to_date, field="to_date", called="The end date", limits=[(address.from_date, "when the address started")]
        )
        address.to_date = to_date
        return _save(address, change, to_date=to_date.isoformat())


def _kept(record: Record, person: Person, fields: dict[str, Any]) -> Record:
    if record.pk is not None and record.person_id != person.pk:  # type: ignore[attr-defined]
        raise ValidationError("This record belongs to another case")
    for name, value in fields.items():
        setattr(record, name, value)
    return record


def personal_contact_save(
    *, person: Person, user: User | AnonymousUser, contact: PersonalContact | None = None, **fields: Any
) -> PersonalContact:
    """Add or change (and so end, with a `to_date`) someone who matters in the person's life."""
    with case_change(person, user, "personal_contact.change" if contact else "personal_contact.create") as change:
        _may_change(user, person)
        _from_to(fields["from_date"], fields.get("to_date"))
        record = _kept(contact or PersonalContact(person=person), person, fields)
        return _save(record, change, relationship=record.relationship, ended=record.to_date is not None)


def circumstance_save(
    *, person: Person, user: User | AnonymousUser, circumstance: Circumstance | None = None, **fields: Any
) -> Circumstance:
    with case_change(person, user, "circumstance.change" if circumstance else "circumstance.create") as change:
        _may_change(user, person)
        _from_to(fields["from_date"], fields.get("to_date"))
        record = _kept(circumstance or Circumstance(person=person), person, fields)
        return _save(record, change, type=record.type, ended=record.to_date is not None)


def disability_save(
    *, person: Person, user: User | AnonymousUser, disability: Disability | None = None, **fields: Any
) -> Disability:
    """A disability or condition with the adjustments agreed; shown where appointments are booked."""
    with case_change(person, user, "disability.change" if disability else "disability.create") as change:
        _may_change(user, person)
        _from_to(fields["from_date"], fields.get("to_date"))
        record = _kept(disability or Disability(person=person), person, fields)
        return _save(record, change, type=record.type, ended=record.to_date is not None)


def rosh_assessment_record(
    *, person: Person, user: User | AnonymousUser, assessed_on: date, levels: dict[str, str]
) -> RoshAssessment:
    """A RoSH assessment by who is at risk, in the community and in custody. Its overall level is the highest
    of them, and becomes the person's RoSH through their RiskLevel history (risk_level_write, the one way
    Person.rosh changes) when it is the latest assessed."""
    unknown = set(levels) - set(LEVEL_FIELDS)
    if unknown:
        raise TypeError(f"Not RoSH levels: {sorted(unknown)}")
    with case_change(person, user, "rosh.assess") as change:
        _may_change(user, person)
        entered_dates.refuse(assessed_on, field="assessed_on", called="The date of the assessment")
        assessment = RoshAssessment(
            person=person, assessed_on=assessed_on, assessed_by=staff_of(user), recorded_at=timezone.now(), **levels
        )
        assessment.overall = assessment.highest()
        if not assessment.overall:
            raise ValidationError("Enter at least one level of risk")
        assessment.full_clean()
        assessment.save()
        locked = Person.objects.only("pk", "tier").get(pk=person.pk)
        risk_level_write(
            person=locked, rosh=assessment.overall, tier=locked.tier, assessed_on=assessed_on, staff=staff_of(user)
        )
        change.touches(assessment, overall=assessment.overall, assessed_on=assessed_on.isoformat())
        return assessment


def predictor_record(
    *, person: Person, user: User | AnonymousUser, name: str, score: Decimal | None, band: str, on: date
) -> Predictor:
    with case_change(person, user, "predictor.record") as change:
        _may_change(user, person)
        entered_dates.refuse(on, field="on", called="The date of the score")
        return _save(
            Predictor(person=person, name=name, score=score, band=band, on=on, recorded_at=timezone.now()),
            change,
            name=name,
        )
