"""The optional person keys of probation-cases/1 (INTERCHANGE.md, "Optional person keys"): the person as an officer
needs to know them. Export writes each only when it holds anything; a file without them still imports (and
leaves the person without them, as a file without aliases does).

Beyond the documented keys, two more travel so the round trip stays lossless: `cro` (the CRO number) and a RoSH
assessment's `assessed_by` (a staff code)."""

from decimal import Decimal
from typing import Any

from cases.interchange.reader import Reader, in_order
from cases.models import Circumstance, Disability, Person, PersonalContact, Phone, Predictor, RoshAssessment
from cases.models.person import Rosh
from cases.models.risk import AT_RISK, SETTINGS
from regions.models import StaffMember

PATTERNS = {"cro": r"[0-9]{1,6}/[0-9]{2}[A-Z]", "email": r"[^@\s]+@[^@\s]+\.[^@\s]+"}
LEVELS = frozenset(Rosh.values)
# Person fields carried as optional keys, with their longest value.
TEXT_KEYS = (("preferred_name", 100), ("pronouns", 50), ("language", 100), ("email", 254), ("cro", 12))


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def export(p: Person) -> dict[str, Any]:
    """The optional keys that hold anything, for one person (read from prefetched relations)."""
    out: dict[str, Any] = {key: getattr(p, key) for key, _ in TEXT_KEYS if getattr(p, key)}
    if p.interpreter:
        out["interpreter"] = True
    phones = [{"number": phone.number, "type": phone.type} for phone in p.phones.all()]
    contacts = sorted(
        (
            {
                "name": c.name,
                "relationship": c.relationship,
                "phone": c.phone or None,
                "address": c.address or None,
                "from": _day(c.from_date),
                "to": _day(c.to_date),
                "notes": c.notes or None,
            }
            for c in p.personal_contacts.all()
        ),
        key=lambda c: (c["from"], c["name"], c["relationship"]),
    )
    circumstances = sorted(
        (
            {
                "type": c.type,
                "value": c.value,
                "from": _day(c.from_date),
                "to": _day(c.to_date),
                "notes": c.notes or None,
            }
            for c in p.circumstances.all()
        ),
        key=lambda c: (c["type"], c["from"], c["value"]),
    )
    disabilities = sorted(
        (
            {"type": d.type, "adjustments": d.adjustments or None, "from": _day(d.from_date), "to": _day(d.to_date)}
            for d in p.disabilities.all()
        ),
        key=lambda d: (d["from"], d["type"], d["adjustments"] or ""),
    )
    assessments = [_assessment(a) for a in sorted(p.rosh_assessments.all(), key=lambda a: (a.assessed_on, a.pk))]
    predictors = [
        {"name": x.name, "score": _number(x.score), "band": x.band or None, "on": _day(x.on)}
        for x in sorted(p.predictors.all(), key=lambda x: (x.on, x.name, x.pk))
    ]
    lists = {
        "phones": phones,
        "contacts": contacts,
        "circumstances": circumstances,
        "disabilities": disabilities,
        "rosh_assessments": assessments,
        "predictors": predictors,
    }
    return out | {key: value for key, value in lists.items() if value}


def _assessment(a: RoshAssessment) -> dict[str, Any]:
    out: dict[str, Any] = {"assessed_on": _day(a.assessed_on)}
    for setting in SETTINGS:
        levels = a.breakdown(setting)
        out[setting] = {group: level or None for group, level in levels.items()} if levels else None
    if a.assessed_by is not None:
        out["assessed_by"] = a.assessed_by.code
    return out


def parse(item: Reader, staff: set[str]) -> tuple[dict[str, Any], dict[str, list[dict[str, Any]]]]:
    """The person's fields from the optional keys (defaults when absent), and their lists of records."""
    fields: dict[str, Any] = {}
    for key, limit in TEXT_KEYS:
        fields[key] = item.text(key, required=False, max_length=limit, pattern=PATTERNS.get(key)) or ""
    fields["interpreter"] = item.flag("interpreter", default=False)
    lists = {
        "phones": [
            {"number": p.text("number", max_length=30), "type": p.choice("type", frozenset(Phone.Type.values))}
            for p in item.items("phones")
        ],
        "contacts": [_contact(c) for c in item.items("contacts")],
        "circumstances": [_circumstance(c) for c in item.items("circumstances")],
        "disabilities": [_disability(d) for d in item.items("disabilities")],
        "rosh_assessments": [_rosh(a, staff) for a in item.items("rosh_assessments")],
        "predictors": [_predictor(x) for x in item.items("predictors")],
    }
    return fields, lists


def _dates(reader: Reader) -> dict[str, Any]:
    dates = {"from_date": reader.day("from"), "to_date": reader.day("to", required=False)}
    in_order(reader, dates["from_date"], dates["to_date"], "to", "the 'from' date")
    return dates


def _contact(c: Reader) -> dict[str, Any]:
    return {
        "name": c.text("name", max_length=200),
        "relationship": c.choice("relationship", frozenset(PersonalContact.Relationship.values)),
        "phone": c.text("phone", required=False, max_length=30) or "",
        "address": c.text("address", required=False, max_length=500) or "",
        "notes": c.text("notes", required=False, max_length=10_000) or "",
        **_dates(c),
    }


def _circumstance(c: Reader) -> dict[str, Any]:
    return {
        "type": c.choice("type", frozenset(Circumstance.Type.values)),
        "value": c.text("value", max_length=200),
        "notes": c.text("notes", required=False, max_length=10_000) or "",
        **_dates(c),
    }


def _disability(d: Reader) -> dict[str, Any]:
    return {
        "type": d.choice("type", frozenset(Disability.Type.values)),
        "adjustments": d.text("adjustments", required=False, max_length=10_000) or "",
        **_dates(d),
    }


def _rosh(a: Reader, staff: set[str]) -> dict[str, Any]:
    record: dict[str, Any] = {"assessed_on": a.day("assessed_on"), "assessed_by": None}
    for setting in SETTINGS:
        value = a.data.get(setting)
        if value is None:
            continue
        levels = Reader(value, a.at(setting), a.problems)
        for group in AT_RISK:
            record[f"{setting}_{group}"] = levels.choice(group, LEVELS, required=False) or ""
    if not any(record.get(f"{s}_{g}") for s in SETTINGS for g in AT_RISK):
        a.problems.add(a.path, "a RoSH assessment needs at least one level in 'community' or 'custody'")
    code = a.text("assessed_by", required=False, max_length=20)
    if code and code not in staff:
        a.problems.add(a.at("assessed_by"), f"no staff member with code {code}")
    record["assessed_by"] = code
    return record


def _predictor(x: Reader) -> dict[str, Any]:
    score = x.number("score", required=False, low=Decimal(0), high=Decimal(100))
    record = {
        "name": x.choice("name", frozenset(Predictor.Name.values)),
        "score": score,
        "band": x.choice("band", LEVELS, required=False) or "",
        "on": x.day("on"),
    }
    if score is not None and score != round(score, 2):
        x.problems.add(x.at("score"), "more than 2 decimal places")
    if x.data.get("score") is None and x.data.get("band") is None:
        x.problems.add(x.path, "a predictor needs a score, a band, or both")
    return record


def write(person: Person, lists: dict[str, list[dict[str, Any]]], staff: dict[str, StaffMember]) -> None:
    """Replace the person's lists with the document's (the person's own fields are written with the others)."""
    person.phones.all().delete()
    Phone.objects.bulk_create(Phone(person=person, **phone) for phone in lists["phones"])
    person.personal_contacts.all().delete()
    PersonalContact.objects.bulk_create(PersonalContact(person=person, **c) for c in lists["contacts"])
    person.circumstances.all().delete()
    Circumstance.objects.bulk_create(Circumstance(person=person, **c) for c in lists["circumstances"])
    person.disabilities.all().delete()
    Disability.objects.bulk_create(Disability(person=person, **d) for d in lists["disabilities"])
    person.rosh_assessments.all().delete()
    assessments = []
    for record in lists["rosh_assessments"]:
        code = record["assessed_by"]
        levels = {k: v for k, v in record.items() if k not in {"assessed_on", "assessed_by"}}
        assessment = RoshAssessment(
            person=person, assessed_on=record["assessed_on"], assessed_by=staff[code] if code else None, **levels
        )
        assessment.overall = assessment.highest()
        assessments.append(assessment)
    RoshAssessment.objects.bulk_create(assessments)
    person.predictors.all().delete()
    Predictor.objects.bulk_create(Predictor(person=person, **x) for x in lists["predictors"])
