from cases.models.audit import AuditEvent
from cases.models.contact import AbsenceReason, Contact, ContactType, ContactVersion, Outcome
from cases.models.court_report import CourtReport
from cases.models.document import Document
from cases.models.enforcement import EnforcementAction, OversightTask
from cases.models.event import Allocation, Event, Requirement
from cases.models.performance import KpiTarget, PerformanceRollup, PerformanceStale
from cases.models.person import AccessRule, Address, Alias, Person, Registration, RiskLevel
from cases.models.person_details import Circumstance, Disability, PersonalContact, PersonDetailsVersion, Phone
from cases.models.plan import NeedArea, Objective, PlanReview, SentencePlan
from cases.models.risk import Predictor, RoshAssessment
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
    "Circumstance",
    "Contact",
    "ContactType",
    "ContactVersion",
    "CourtReport",
    "Disability",
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
    "PersonDetailsVersion",
    "PersonalContact",
    "Phone",
    "PlanReview",
    "Predictor",
    "Registration",
    "Requirement",
    "RiskLevel",
    "RoshAssessment",
    "RuleSetting",
    "SentencePlan",
    "Transfer",
]
