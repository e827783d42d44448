from cases.models.audit import AuditEvent
from cases.models.event import Allocation, Event, Requirement
from cases.models.person import AccessRule, Address, Alias, Person, Registration, RiskLevel

__all__ = [
    "AccessRule",
    "Address",
    "Alias",
    "Allocation",
    "AuditEvent",
    "Event",
    "Person",
    "Registration",
    "Requirement",
    "RiskLevel",
]
