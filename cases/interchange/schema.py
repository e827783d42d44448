"""Parse and validate a whole probation-cases/1 document into plain records (records.py), or list every problem:
the document, its organisation and its people here; each event and its sections in events.py."""

from decimal import Decimal
from typing import Any

from cases.interchange import FORMAT, documents, person_keys
from cases.interchange.events import parse_event
from cases.interchange.reader import Problems, Reader, in_order
from cases.interchange.records import Document, Known, Organisation, PersonRecord, StaffRecord, UnitRecord
from cases.models import AccessRule, Address, Person, Registration
from cases.models.person import TIERS, Rosh
from regions.models import StaffMember

CODE = r"[A-Z0-9][A-Z0-9-]{0,19}"
CRN = r"[A-Z][0-9]{6}"
PNC = r"[0-9]{2,4}/[0-9]{1,7}[A-Z]"


def parse(data: Any, known: Known) -> tuple[Document, Problems]:
    problems = Problems()
    root = Reader(data, "", problems)
    if root.data.get("format") != FORMAT:
        problems.add("format", f"must be {FORMAT}")
    organisation = _organisation(root, problems)
    known = Known(
        pdus=known.pdus | {pdu.code for pdu in organisation.pdus},
        staff=known.staff | {member.code for member in organisation.staff},
        contact_types=known.contact_types,
        regions=known.regions | {region.code for region in organisation.regions},
    )
    skipped: set[str] = set()
    items = root.items("people")
    people = [_person(item, known, skipped) for item in items]
    seen: dict[str, str] = {}
    for item, person in zip(items, people, strict=True):
        crn = person.fields.get("crn")
        if crn and crn in seen:
            problems.add(item.at("crn"), f"{crn} appears twice (also at {seen[crn]})")
        elif crn:
            seen[crn] = item.at("crn")
    return Document(organisation, people, sorted(skipped)), problems


def _organisation(root: Reader, problems: Problems) -> Organisation:
    org = Organisation()
    grades = frozenset(StaffMember.Grade.values)
    seen: dict[tuple[str, str], str] = {}  # codes and names, each namespaced by what they name

    def unique(reader: Reader, key: str, value: str | None, namespace: str) -> None:
        if value and (namespace, value) in seen:
            problems.add(reader.at(key), f"{value} appears twice (also at {seen[namespace, value]})")
        elif value:
            seen[namespace, value] = reader.at(key)

    def staff_of(unit: Reader, code: str | None, level: str) -> None:
        for member in unit.items("staff"):
            staff_code = member.text("code", pattern=CODE, max_length=20)
            unique(member, "code", staff_code, "staff")
            name = member.text("name", max_length=150)
            grade = member.choice("grade", grades)
            hours = member.number("hours", low=Decimal("0.5"), high=Decimal("48"))
            if staff_code and name and grade and hours is not None and (code or level == "national"):
                org.staff.append(StaffRecord(staff_code, name, grade, hours, code or "", level))

    staff_of(root, None, "national")
    for region in root.items("organisation"):
        region_code = region.text("region", pattern=CODE, max_length=20)
        unique(region, "region", region_code, "region")
        region_name = region.text("name", max_length=100)
        unique(region, "name", region_name, "region name")
        if region_code and region_name:
            org.regions.append(UnitRecord(region_code, region_name, None))
        staff_of(region, region_code, "region")
        for pdu in region.items("pdus"):
            pdu_code = pdu.text("code", pattern=CODE, max_length=20)
            unique(pdu, "code", pdu_code, "pdu")
            pdu_name = pdu.text("name", max_length=100)
            unique(pdu, "name", pdu_name and f"{region_code}/{pdu_name}", "pdu name")
            if pdu_code and pdu_name and region_code:
                org.pdus.append(UnitRecord(pdu_code, pdu_name, region_code))
            staff_of(pdu, pdu_code, "pdu")
            for team in pdu.items("teams"):
                team_code = team.text("code", pattern=CODE, max_length=20)
                unique(team, "code", team_code, "team")
                team_name = team.text("name", max_length=100)
                unique(team, "name", team_name and f"{pdu_code}/{team_name}", "team name")
                if team_code and team_name and pdu_code:
                    org.teams.append(UnitRecord(team_code, team_name, pdu_code))
                staff_of(team, team_code, "team")
    return org


def _person(item: Reader, known: Known, skipped: set[str]) -> PersonRecord:
    staff = known.staff
    pdu = item.text("pdu", max_length=20)
    if pdu and pdu not in known.pdus:
        item.problems.add(item.at("pdu"), f"no PDU with code {pdu}")
    rosh = item.choice("rosh", frozenset(Rosh.values), required=False)
    tier = item.choice("tier", frozenset(TIERS), required=False)
    fields: dict[str, Any] = {
        "crn": item.text("crn", pattern=CRN, max_length=7),
        "first_name": item.text("first_name", max_length=100),
        "last_name": item.text("last_name", max_length=100),
        "date_of_birth": item.day("date_of_birth"),
        "pnc": item.text("pnc", required=False, pattern=PNC, max_length=14) or "",
        "gender": item.choice("gender", frozenset(Person.Gender.values), required=False) or Person.Gender.NOT_KNOWN,
        "rosh": rosh or "",
        "tier": tier or "",
        "access_contact": item.text("access_contact", required=False) or "",
    }
    optional_fields, details = person_keys.parse(item, staff)
    fields |= optional_fields
    aliases = [
        {
            "first_name": alias.text("first_name", max_length=100),
            "last_name": alias.text("last_name", max_length=100),
            "date_of_birth": alias.day("date_of_birth", required=False),
        }
        for alias in item.items("aliases")
    ]
    address_items = item.items("addresses")
    addresses = [_address(address) for address in address_items]
    current = [a for a in addresses if a["to_date"] is None and a["type"] in Address.HOME_TYPES]
    if len(current) > 1:
        item.problems.add(
            item.at("addresses"),
            "more than one current address (with no 'to' date) where they live: main, approved_premises or "
            "no_fixed_abode (others are secondary)",
        )
    registrations = [_registration(registration) for registration in item.items("registrations")]
    access = []
    for rule in item.items("access"):
        code = rule.text("staff", max_length=20)
        if code and code not in staff:
            rule.problems.add(rule.at("staff"), f"no staff member with code {code}")
        access.append(
            {
                "kind": rule.choice("kind", frozenset(AccessRule.Kind.values)),
                "staff": code,
                "reason": rule.text("reason", required=False) or "",
            }
        )
    events = [parse_event(event, known, skipped) for event in item.items("events")]
    refs = [event.fields.get("ref") for event in events]
    for index, ref in enumerate(refs):
        if ref and refs.index(ref) != index:
            item.problems.add(f"{item.at('events')}[{index}].ref", f"event {ref} appears twice")
    return PersonRecord(
        fields, pdu or "", aliases, addresses, registrations, access, events, details, documents.parse(item)
    )


def _address(address: Reader) -> dict[str, Any]:
    kind = address.choice("type", frozenset(Address.Type.values), required=False) or Address.Type.MAIN
    record: dict[str, Any] = {
        "type": kind,
        "lines": address.text("lines", required=kind != Address.Type.NO_FIXED_ABODE, max_length=500) or "",
        "postcode": address.text("postcode", required=False, max_length=10) or "",
        "from_date": address.day("from"),
        "to_date": address.day("to", required=False),
    }
    in_order(address, record["from_date"], record["to_date"], "to", "the 'from' date")
    return record


def _registration(registration: Reader) -> dict[str, Any]:
    kind = registration.choice("type", frozenset(Registration.Type.values))
    record: dict[str, Any] = {
        "type": kind,
        "from_date": registration.day("from"),
        "review_due": registration.day("review_on", required=False),
        "ended_on": registration.day("ended_on", required=False),
        "mappa_level": registration.integer("mappa_level", required=False, low=1, high=3),
        "mappa_category": registration.integer("mappa_category", required=False, low=1, high=4),
        "notes": registration.text("notes", required=False, max_length=100_000) or "",
    }
    in_order(registration, record["from_date"], record["review_due"], "review_on", "the 'from' date")
    in_order(registration, record["from_date"], record["ended_on"], "ended_on", "the 'from' date")
    if kind and kind != Registration.Type.MAPPA and (record["mappa_level"] or record["mappa_category"]):
        registration.problems.add(registration.path, "a MAPPA level or category is only for a MAPPA registration")
    return record
