"""The plain records a probation-cases/1 document is read into (schema.py), which the importer writes."""

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass
class StaffRecord:
    code: str
    name: str
    grade: str
    hours: Decimal
    unit: str  # the code of the team, PDU or region the staff member sits in
    level: str  # "team", "pdu", "region" or "national"


@dataclass
class UnitRecord:
    code: str
    name: str
    parent: str | None  # the code of the region (for a PDU) or PDU (for a team)


@dataclass
class Organisation:
    regions: list[UnitRecord] = field(default_factory=list)
    pdus: list[UnitRecord] = field(default_factory=list)
    teams: list[UnitRecord] = field(default_factory=list)
    staff: list[StaffRecord] = field(default_factory=list)


@dataclass
class EventRecord:
    fields: dict[str, Any]
    requirements: list[dict[str, Any]]
    allocations: list[dict[str, Any]]
    contacts: list[dict[str, Any]] = field(default_factory=list)
    enforcement: list[dict[str, Any]] = field(default_factory=list)
    plan: dict[str, Any] | None = None
    transfers: list[dict[str, Any]] = field(default_factory=list)
    interventions: dict[str, Any] = field(default_factory=dict)  # upw sessions and referrals
    oversight: list[dict[str, Any]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # facts kept as they happened that the pages would refuse


@dataclass
class Known:
    """Codes the document may refer to: those in the database plus those the document itself defines."""

    pdus: set[str]
    staff: set[str]
    contact_types: set[str]
    regions: set[str] = field(default_factory=set)


@dataclass
class PersonRecord:
    fields: dict[str, Any]
    pdu: str
    aliases: list[dict[str, Any]]
    addresses: list[dict[str, Any]]
    registrations: list[dict[str, Any]]
    access: list[dict[str, Any]]
    events: list[EventRecord]
    details: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # the optional lists (person_keys.py)
    documents: list[dict[str, Any]] | None = None  # metadata only; None: the file has no `documents` key


@dataclass
class Document:
    organisation: Organisation
    people: list[PersonRecord]
    skipped: list[str]  # sections this version does not import yet
