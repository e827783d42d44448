from cases.models.audit import AuditEvent
from cases.models.contact import AbsenceReason, Contact, ContactType, ContactVersion, Outcome
from cases.models.enforcement import EnforcementAction, OversightTask
from cases.models.event import Allocation, Event, Requirement
from cases.models.person import AccessRule, Address, Alias, Person, Registration, RiskLevel

__all__ = [
    "AbsenceReason",
    "AccessRule",
    "Address",
    "Alias",
    "Allocation",
    "AuditEvent",
    "Contact",
    "ContactType",
    "ContactVersion",
    "EnforcementAction",
    "Event",
    "Outcome",
    "OversightTask",
    "Person",
    "Registration",
    "Requirement",
    "RiskLevel",
]
