from cases.models.audit import AuditEvent
from cases.models.contact import AbsenceReason, Contact, ContactType, ContactVersion, Outcome
from cases.models.court_report import CourtReport
from cases.models.document import Document
from cases.models.enforcement import EnforcementAction, OversightTask
from cases.models.event import Allocation, Event, Requirement
from cases.models.performance import KpiTarget, PerformanceRollup, PerformanceStale
from cases.models.person import AccessRule, Address, Alias, Person, Registration, RiskLevel
from cases.models.plan import NeedArea, Objective, PlanReview, SentencePlan
from cases.models.standards import CalendarDay, Notification, Obligation, RuleSetting
from cases.models.transfer import Transfer

__all__ = [
    "AbsenceReason",
    "AccessRule",
    "Address",
    "Alias",
    "Allocation",
    "AuditEvent",
    "CalendarDay",
    "Contact",
    "ContactType",
    "ContactVersion",
    "CourtReport",
    "Document",
    "EnforcementAction",
    "Event",
    "KpiTarget",
    "NeedArea",
    "Notification",
    "Objective",
    "Obligation",
    "Outcome",
    "OversightTask",
    "PerformanceRollup",
    "PerformanceStale",
    "Person",
    "PlanReview",
    "Registration",
    "Requirement",
    "RiskLevel",
    "RuleSetting",
    "SentencePlan",
    "Transfer",
]
