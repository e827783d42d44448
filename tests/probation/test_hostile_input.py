"""Hostile input to every form that takes a POST: random, huge, odd-unicode, script, SQL-looking, far-off dates
and silly numbers. The answer is always the page again with a GOV.UK error summary (and nothing half-recorded) or
a redirect; never a server error; and text that was stored is shown escaped.

FORMS lists every page that takes a POST: who may use it, the case it is tried on (hostile_cases.py), and the
fields its form reads (hostile_strategies.py). A new URL must be added to FORMS or to READ_ONLY
(test_every_url_is_in_the_hostile_table). HOSTILE_EXAMPLES=300 runs a deeper hunt than the suite's 15 a form.
"""

import inspect
import os
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from cases.models import (
    AbsenceReason,
    Contact,
    CourtReport,
    Document,
    EnforcementAction,
    Event,
    NeedArea,
    Outcome,
    Registration,
    Requirement,
)
from cases.models.person import TIERS, Person, Rosh
from cases.today.selectors import SECTIONS
from interventions.models import UpwSession
from interventions.programmes import services as programmes
from interventions.sessions import Attendance
from probation.govuk_forms import TEXT_LIMIT
from probation.idempotency import KEY
from probation.models import Submission
from regions.performance.measures import MEASURES
from regions.performance.views import SORTS
from tests.factories import PASSWORD
from tests.probation.hostile_cases import (
    Target,
    World,
    arrange_allocate,
    arrange_book,
    arrange_breach,
    arrange_cancel_appointment,
    arrange_case_access,
    arrange_contact,
    arrange_contact_details,
    arrange_contact_log,
    arrange_court_report_complete,
    arrange_court_report_new,
    arrange_custody,
    arrange_event,
    arrange_event_end,
    arrange_log_contact,
    arrange_oversight,
    arrange_person_new,
    arrange_person_record,
    arrange_programme,
    arrange_reallocate,
    arrange_refer,
    arrange_referral,
    arrange_registration_review,
    arrange_sign_in,
    arrange_sign_out,
    arrange_standards,
    arrange_transfer_decision,
    arrange_transfer_request,
    arrange_upw,
    latest_contact,
    make_world,
    overview,
    plan_page,
    plan_stage,
    recall_stage,
    redirected,
    same_contact,
    same_page,
    user_of,
)
from tests.probation.hostile_strategies import (
    AGAIN,
    ESCAPED,
    FRESH,
    SCRIPT,
    SQL,
    Spec,
    choice,
    clock,
    day_month_year,
    fingerprint,
    flag,
    hours,
    is_local,
    month,
    number,
    posted_size,
    posts,
    text,
)

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "15"))
hostile = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # nothing written to .hypothesis/ in the working tree
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture
def world(officer, spo, pdu_head, contact_types) -> World:
    return make_world(officer, spo, pdu_head, contact_types)


@dataclass(frozen=True)
class Form:
    label: str
    url_name: str
    role: str | None  # who posts: the case's officer, the SPO of its PDU, or nobody signed in
    arrange: Callable[[World], Target]
    fields: dict[str, Spec]
    shown_at: Callable[[Target, str], str] | None = None  # the page that shows what the form stored
    shown: Callable[[dict[str, Any]], Iterable[str]] = lambda data: ()
    reports_errors: Callable[[dict[str, Any]], bool] = lambda data: True  # a 200 carries the error summary

    def __str__(self) -> str:
        return self.label


def fields_shown(*names: str) -> Callable[[dict[str, Any]], Iterable[str]]:
    return lambda data: names


def read(data: dict[str, Any], name: str) -> Any:
    """The value Django reads for a field posted as drawn: the last, where a name was posted more than once."""
    value = data.get(name)
    return value[-1] if isinstance(value, list) and value else value


EVENT = {
    "type": choice(*Event.Type.values),
    "sentence_date": day_month_year(),
    "length_months": number(1, 240),
    "court": text("Newcastle Magistrates", limit=100),
    "offence": text("Theft from a shop", limit=200),
    "unpaid_work_hours": number(40, 300),
    "rar_days": number(1, 365),
    "programme": text("TSP", limit=100),
}

FORMS = [
    Form(
        "sign in",
        "login",
        None,
        arrange_sign_in,
        {
            "username": text("officer", "OFFICER", "nobody"),
            "password": text(PASSWORD, "wrong"),
            "next": text("/cases/", "//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil"),
        },
    ),
    Form("sign out", "logout", "officer", arrange_sign_out, {"next": text("/cases/", "//evil.example/")}),
    Form(
        "sign out everywhere",
        "sign-out-everywhere",
        "officer",
        lambda world: Target("/account/sign-out-everywhere/"),
        {},
    ),
    Form(
        "stay signed in",
        "stay-signed-in",
        "officer",
        lambda world: Target("/session/stay-signed-in/"),
        {},
        reports_errors=lambda data: False,  # its 200 is the answer: how long the session has left
    ),
    Form("notifications read", "cases:standards", "officer", arrange_standards, {}),
    Form(
        "new person",
        "cases:person-new",
        "officer",
        arrange_person_new,
        {
            "first_name": text("Sam", limit=100),
            "last_name": text("O'Brien-Smith", limit=100),
            "date_of_birth": day_month_year(since=date(1950, 1, 1)),
            "pnc": text("2010/0123456X"),
            "gender": choice(*Person.Gender.values),
        }
        | EVENT,
        redirected,
        fields_shown("first_name", "last_name", "court", "offence"),
    ),
    Form(
        "new sentence",
        "cases:event-new",
        "officer",
        arrange_event("sentences/new/"),
        EVENT,
        overview,
        fields_shown("court", "offence"),
    ),
    Form(
        "release on licence",
        "cases:release-new",
        "officer",
        arrange_event("releases/new/"),
        EVENT | {"release_date": day_month_year(), "licence_conditions": text("No contact with the victim")},
        overview,
        fields_shown("court", "offence"),
    ),
    Form(
        "custody",
        "cases:custody-new",
        "officer",
        arrange_event("custody/new/"),
        {
            "sentence_date": day_month_year(),
            "length_months": number(1, 1200),
            "expected_release_date": day_month_year(),
            "parole": flag(),
            "parole_eligibility_date": day_month_year(),
            "court": text("Newcastle Crown Court", limit=100),
            "offence": text("Burglary", limit=200),
        },
        overview,
        fields_shown("court", "offence"),
    ),
    Form(
        "handover meeting",
        "cases:handover-meeting",
        "officer",
        arrange_custody("handover-meeting/"),
        {
            "on": day_month_year(),
        },
    ),
    Form(
        "release from custody",
        "cases:release",
        "officer",
        arrange_custody("release/"),
        {
            "released_on": day_month_year(),
            "licence_type": choice(Event.Type.LICENCE, Event.Type.PSS),
            "conditions": text("Live where approved\nNo contact with the victim"),
        },
    ),
    Form(
        "allocate",
        "cases:allocate",
        "spo",
        arrange_allocate,
        {
            "staff": choice(),
            "from_date": day_month_year(),
            "reason": text("New case", limit=200),
            "justification": text("Agreed with the head of PDU"),
        },
    ),
    Form(
        "reallocate a caseload",
        "cases:reallocate-caseload",
        "spo",
        arrange_reallocate,
        {
            "cases": choice(),
            "staff": choice(),
            "from_date": day_month_year(),
            "reason": text("Leaving the team", limit=200),
            "justification": text("Covering until a PO starts"),
            "action": choice("left", "move"),
        },
    ),
    Form(
        "book an appointment",
        "cases:book",
        "officer",
        arrange_book,
        {
            "type": choice(),
            "day": day_month_year(),
            "at": clock(),
            "location": text("Newcastle office", limit=200),
            "staff": choice(),
            "enforceable": choice("", "yes", "no"),
            "repeat": choice("", "weekly", "fortnightly", "monthly"),
            "count": number(1, 26),
            "rar": flag(),
            "notes": text("Bring proof of address", limit=TEXT_LIMIT),
            "confirm": flag(),
        },
        latest_contact,
        fields_shown("location", "notes"),
    ),
    Form(
        "log a contact",
        "cases:log-contact",
        "officer",
        arrange_log_contact,
        {
            "type": choice(),
            "day": day_month_year(),
            "at": clock(),
            "staff": choice(),
            "outcome": choice("", *Outcome.values),
            "absence_reason": choice("", *AbsenceReason.values),
            "notes": text("Rang to say the bus was late", limit=TEXT_LIMIT),
            "sensitive": flag(),
        },
        latest_contact,
        fields_shown("notes"),
    ),
    Form(
        "record an outcome",
        "cases:outcome",
        "officer",
        arrange_contact("outcome/"),
        {
            "outcome": choice(*Outcome.values),
            "absence_reason": choice(*AbsenceReason.values),
            "notes": text("Came on time", limit=TEXT_LIMIT),
            "sensitive": flag(),
        },
        same_contact,
        fields_shown("notes"),
    ),
    Form(
        "change a contact",
        "cases:amend",
        "officer",
        arrange_contact("change/", Outcome.ATTENDED),
        {
            "day": day_month_year(),
            "at": clock(),
            "location": text("Home", limit=200),
            "outcome": choice("", *Outcome.values),
            "absence_reason": choice("", *AbsenceReason.values),
            "enforceable": flag(),
            "notes": text("Corrected the time", limit=TEXT_LIMIT),
            "sensitive": flag(),
            "reason": text("Typo", limit=300),
            "version": choice(),
        },
        same_contact,
        fields_shown("location", "notes", "reason"),
    ),
    Form(
        "entered in error",
        "cases:entered-in-error",
        "officer",
        arrange_contact("entered-in-error/"),
        {"reason": text("Wrong person", limit=300)},
        same_contact,
        fields_shown("reason"),
    ),
    Form(
        "enforcement decision",
        "cases:decide",
        "officer",
        arrange_contact("decision/", Outcome.FAILED_TO_COMPLY),
        {
            "kind": choice(*EnforcementAction.Kind.values),
            "on": day_month_year(),
            "aware_on": day_month_year(),
            "rationale": text("First failure in a year", limit=TEXT_LIMIT),
        },
    ),
    Form(
        "breach outcome",
        "cases:breach-outcome",
        "officer",
        arrange_breach,
        {"on": day_month_year(), "court_outcome": text("Fine", limit=200)},
    ),
    Form(
        "recommend recall",
        "cases:recall",
        "officer",
        lambda world: recall_stage(world, "recommend"),
        {
            "recall_type": choice(*EnforcementAction.RecallType.values),
            "rationale": text("Contact with the victim", limit=TEXT_LIMIT),
        },
    ),
    Form(
        "decide on recall",
        "cases:recall",
        "spo",
        lambda world: recall_stage(world, "decide"),
        {
            "decision": choice(*EnforcementAction.Decision.values),
            "rationale": text("Risk to the victim", limit=TEXT_LIMIT),
            "decided_day": day_month_year(),
            "decided_time": clock(),
        },
        same_page,
        lambda data: ("rationale",) if read(data, "decision") == "agreed" else (),
    ),
    Form(
        "recall request sent",
        "cases:recall",
        "spo",
        lambda world: recall_stage(world, "request"),
        {"day": day_month_year(), "at": clock()},
    ),
    Form(
        "return to custody",
        "cases:recall-return",
        "officer",
        lambda world: recall_stage(world, "return"),
        {"returned_on": day_month_year(), "review_completed_on": day_month_year()},
    ),
    Form(
        "add a court report",
        "cases:court-report-new",
        "spo",
        arrange_court_report_new,
        {
            "staff": choice(),
            "kind": choice(*CourtReport.Kind.values),
            "requested_on": day_month_year(),
            "due_on": day_month_year(),
        },
    ),
    Form(
        "upload a document (no file: the other fields hostile)",
        "cases:document-upload",
        "officer",
        arrange_event("documents/new/"),
        {"type": choice(*Document.Type.values), "dated_on": day_month_year()},
    ),
    Form(
        "make a letter",
        "cases:letter-new",
        "officer",
        arrange_event("events/1/letters/new/"),
        {"kind": choice(*Document.Letter.values)},
    ),
    Form(
        "court report completed",
        "cases:court-report-complete",
        "officer",
        arrange_court_report_complete,
        {"completed_on": day_month_year()},
    ),
    Form(
        "add to who may see a case",
        "cases:case-access",
        "spo",
        arrange_case_access,
        {
            "kind": choice("restriction", "exclusion"),
            "staff": choice(),
            "reason": text("Knows the family", limit=200),
            "confirm": flag(),
        },
    ),
    Form(
        "take off who may see a case",
        "cases:case-access",
        "spo",
        arrange_case_access,
        {"remove": choice(), "confirm": flag()},
    ),
    Form(
        "oversight",
        "cases:oversight-record",
        "spo",
        arrange_oversight,
        {"outcome": choice("agree", "disagree"), "note": text("Agreed: keep under review", limit=TEXT_LIMIT)},
    ),
    Form(
        "cancel an appointment",
        "cases:cancel-appointment",
        "officer",
        arrange_cancel_appointment,
        {"reason": text("Transferred to Durham", limit=250)},
    ),
    Form(
        "address and contact details",
        "cases:contact-details",
        "officer",
        arrange_contact_details,
        {
            "lines": text("1 High Street\nNewcastle", limit=500),
            "postcode": text("NE1 4ST", limit=10),
            "email": text("sam@example.com", limit=254),
        },
    ),
    Form(
        "end a sentence early",
        "cases:event-end",
        "officer",
        arrange_event_end,
        {
            "reason": choice(*(r for r in Event.TerminationReason.values if r != "completed")),
            "on": day_month_year(),
            "note": text("Moved to Scotland", limit=TEXT_LIMIT),
            "confirm": choice("1"),
        },
        # without "confirm", a form that checks out comes back as its answers to confirm, with no error summary
        reports_errors=lambda data: "confirm" in data,
    ),
    Form(
        "request a transfer",
        "cases:transfer-request",
        "officer",
        arrange_transfer_request,
        {"to_pdu": choice(), "reason": text("Moving to Durham", limit=TEXT_LIMIT), "on": day_month_year()},
    ),
    Form(
        "decide a transfer",
        "cases:transfer-decide",
        "spo",
        arrange_transfer_decision,
        {
            "decision": choice("accept", "reject"),
            "officer": choice(),
            "rejection_reason": text("Not resident here", limit=TEXT_LIMIT),
            "on": day_month_year(),
        },
    ),
    Form(
        "in their own words",
        "cases:plan-view",
        "officer",
        lambda world: plan_stage(world, "view"),
        {"version": choice(), "persons_view": text("I want a job", limit=TEXT_LIMIT)},
        plan_page,
        fields_shown("persons_view"),
    ),
    *[
        Form(
            label,
            name,
            "officer",
            lambda world, stage=stage: plan_stage(world, stage),  # type: ignore[misc]
            {
                "version": choice(),
                "area": choice(*NeedArea.values),
                "description": text("Find a settled home", limit=TEXT_LIMIT),
                "steps": text("Register with Housing Options", limit=TEXT_LIMIT),
                "who": text("Sam, with the officer", limit=200),
                "target_date": day_month_year(),
                "progress": text("Registered", limit=TEXT_LIMIT),
                "achieved": flag(),
                "requirements": choice(),
            },
            plan_page,
            fields_shown("description", "steps", "who", "progress"),
        )
        for label, name, stage in (
            ("add an objective", "cases:objective-new", "objective-new"),
            ("change an objective", "cases:objective", "objective"),
        )
    ],
    Form(
        "complete the plan",
        "cases:plan-complete",
        "officer",
        lambda world: plan_stage(world, "complete"),
        {"version": choice(), "on": day_month_year()},
    ),
    Form(
        "review the plan",
        "cases:plan-review",
        "officer",
        lambda world: plan_stage(world, "review"),
        {"version": choice(), "reviewed_on": day_month_year(), "summary": text("Good progress", limit=TEXT_LIMIT)},
        plan_page,
        fields_shown("summary"),
    ),
    Form(
        "RoSH and tier",
        "cases:risk",
        "officer",
        arrange_event("risk/"),
        {"rosh": choice(*Rosh.values), "tier": choice(*TIERS), "assessed_on": day_month_year()},
    ),
    # The person in full (issue 22)
    Form(
        "personal details",
        "cases:person-details",
        "officer",
        arrange_event("person/details/"),
        {
            "first_name": text("Sam", limit=100),
            "last_name": text("Example", limit=100),
            "preferred_name": text("Sammy", limit=100),
            "pronouns": text("they/them", limit=50),
            "date_of_birth": day_month_year(date(1950, 1, 1)),
            "gender": choice(*Person.Gender.values),
            "pnc": text("2010/0123456X", limit=14),
            "cro": text("123456/08A", limit=12),
            "email": text("sam@example.com", limit=254),
            "language": text("Polish", limit=100),
            "interpreter": flag(),
            "phone_0": text("0191 496 0000", limit=30),
            "phone_type_0": choice("mobile", "home", "work"),
            "phone_1": text("07700 900123", limit=30),
            "phone_type_1": choice("mobile", "home", "work"),
        },
        shown_at=lambda target, location: location,
        shown=fields_shown("preferred_name", "pronouns", "language"),
    ),
    Form(
        "record a move of address",
        "cases:address-move",
        "officer",
        arrange_event("person/addresses/move/"),
        {
            "type": choice("main", "approved_premises", "no_fixed_abode", "secondary"),
            "lines": text("1 High Street\nNewcastle", limit=500),
            "postcode": text("NE1 4ST", limit=10),
            "moved_on": day_month_year(),
        },
        shown_at=lambda target, location: location,
        shown=fields_shown("lines"),
    ),
    Form(
        "add another address",
        "cases:address-new",
        "officer",
        arrange_event("person/addresses/new/"),
        {
            "type": choice("secondary", "main", "approved_premises", "no_fixed_abode"),
            "lines": text("2 Flat Lane", limit=500),
            "postcode": text("NE1 4ST", limit=10),
            "from_date": day_month_year(),
            "to_date": day_month_year(),
        },
    ),
    Form(
        "end an address",
        "cases:address-end",
        "officer",
        arrange_person_record("addresses"),
        {"to_date": day_month_year()},
    ),
    *(
        Form(
            f"{'change' if pk else 'add'} a personal contact",
            name,
            "officer",
            arrange,
            {
                "name": text("Alex Example", limit=200),
                "relationship": choice("next_of_kin", "family", "gp", "other"),
                "phone": text("0191 496 0000", limit=30),
                "address": text("3 Low Road", limit=500),
                "from_date": day_month_year(date(2026, 1, 1)),
                "to_date": day_month_year(date(2026, 1, 1)),
                "notes": text("Call first", limit=2000),
            },
            shown_at=lambda target, location: location,
            shown=fields_shown("name", "notes"),
        )
        for name, arrange, pk in (
            ("cases:personal-contact-new", arrange_event("person/contacts/new/"), False),
            ("cases:personal-contact", arrange_person_record("contacts"), True),
        )
    ),
    *(
        Form(
            f"{'change' if pk else 'add'} a circumstance",
            name,
            "officer",
            arrange,
            {
                "type": choice("accommodation", "employment", "benefits"),
                "value": text("Settled", limit=200),
                "from_date": day_month_year(date(2026, 1, 1)),
                "to_date": day_month_year(date(2026, 1, 1)),
                "notes": text("Council tenancy", limit=2000),
            },
        )
        for name, arrange, pk in (
            ("cases:circumstance-new", arrange_event("person/circumstances/new/"), False),
            ("cases:circumstance", arrange_person_record("circumstances"), True),
        )
    ),
    *(
        Form(
            f"{'change' if pk else 'add'} a disability",
            name,
            "officer",
            arrange,
            {
                "type": choice("mobility", "visual", "learning_difficulty"),
                "adjustments": text("Appointments downstairs", limit=2000),
                "from_date": day_month_year(date(2026, 1, 1)),
                "to_date": day_month_year(date(2026, 1, 1)),
            },
            shown_at=lambda target, location: location,
            shown=fields_shown("adjustments"),
        )
        for name, arrange, pk in (
            ("cases:disability-new", arrange_event("person/disabilities/new/"), False),
            ("cases:disability", arrange_person_record("disabilities"), True),
        )
    ),
    Form(
        "record a RoSH assessment",
        "cases:rosh-new",
        "officer",
        arrange_event("risk/rosh/new/"),
        {
            "assessed_on": day_month_year(),
            **{
                f"{setting}_{group}": choice("", *Rosh.values)
                for setting in ("community", "custody")
                for group in ("children", "public", "known_adult", "staff")
            },
        },
    ),
    Form(
        "record a predictor score",
        "cases:predictor-new",
        "officer",
        arrange_event("risk/predictors/new/"),
        {
            "name": choice("OGRS3", "RSR", "OSP-C", "OSP-I"),
            "score": hours(),
            "band": choice("", *Rosh.values),
            "on": day_month_year(),
        },
    ),
    Form(
        "add a flag",
        "cases:registration-new",
        "officer",
        arrange_event("flags/new/"),
        {
            "type": choice(*Registration.Type.values),
            "from_date": day_month_year(),
            "review_due": day_month_year(),
            "mappa_level": choice("", "1", "2", "3"),
            "mappa_category": choice("", "1", "2", "3", "4"),
            "notes": text("Victim lives nearby", limit=2000),
        },
    ),
    Form(
        "review a flag",
        "cases:registration-review",
        "officer",
        arrange_registration_review,
        {"outcome": choice("continue", "end"), "next_review": day_month_year(), "ended_on": day_month_year()},
    ),
    Form(
        "refer to a service",
        "interventions:refer",
        "officer",
        arrange_refer,
        {
            "service": choice(),
            "reason": text("Sofa-surfing", limit=TEXT_LIMIT),
            "on": day_month_year(),
            "objective": choice("1"),
        },
    ),
    Form(
        "update a referral",
        "interventions:referral",
        "officer",
        arrange_referral,
        {
            "status": choice("accepted", "declined", "withdrawn", "completed"),
            "on": day_month_year(),
            "notes": text(limit=TEXT_LIMIT),
        },
    ),
    Form(
        "unpaid work",
        "interventions:upw",
        "officer",
        arrange_upw,
        {
            "form": choice("review", "session"),
            "day": day_month_year(),
            "status": choice(*UpwSession.Status.values),
            "project": text("Community garden", limit=200),
            "placement": choice(*UpwSession.Placement.values),
            "work_hours": hours(),
            "ete_hours": hours(),
            "travel_hours": hours(),
            "stand_down_reason": text("Snow", limit=200),
            "review-on": day_month_year(),
            "review-notes": text("Working nights: weekend sessions from now on", limit=TEXT_LIMIT),
        },
        same_page,
        lambda data: ("review-notes",) if read(data, "form") == "review" else ("project", "stand_down_reason"),
    ),
    Form(
        "accredited programme",
        "interventions:programme",
        "officer",
        arrange_programme,
        {
            "form": choice("step", "session"),
            "step-step": choice(*programmes.LABELS),
            "step-on": day_month_year(),
            "step-notes": text("Moved away", limit=TEXT_LIMIT),
            "session-day": day_month_year(),
            "session-attendance": choice(*Attendance.values),
            "session-rar": flag(),
        },
        same_page,
        lambda data: ("step-notes",) if read(data, "form") == "step" else (),
        reports_errors=lambda data: read(data, "form") in ("step", "session"),
    ),
]

# Pages that take no POST (a POST to them is answered like a GET, or refused).
READ_ONLY = {
    "home",
    "account",
    "session-status",
    "healthz",
    "accessibility",
    "admin-home",
    "cases:my-cases",
    "cases:today",
    "cases:my-transfers",
    "cases:search",
    "cases:unallocated",
    "cases:allocation-overrides",
    "cases:allocation-overrides-pdu",
    "cases:allocation-history",
    "cases:outcomes",
    "cases:oversight",
    "cases:transfers",
    "cases:transfer-appointments",
    "cases:overview",
    "cases:person",
    "cases:risk-full",
    "cases:audit",
    "cases:court-reports",
    "cases:documents",
    "cases:document-download",
    "cases:letter-print",
    "cases:plan",
    "cases:contacts",
    "cases:contact",
    "cases:letter",
    "interventions:awaiting",
    "interventions:rar",
    "regions:team",
    "regions:team-detail",
    "regions:officer-workload",
    "regions:pdu",
    "regions:region",
    "regions:national",
    "regions:performance-national",
    "regions:performance-region",
    "regions:performance-pdu",
    "regions:performance-team",
    "regions:performance-cases",
    "regions:performance-outliers",
}


def url_patterns() -> dict[str, Callable[..., Any]]:
    """Every named URL outside Django admin, with its view."""

    def walk(patterns: list[Any], namespace: str = "") -> dict[str, Callable[..., Any]]:
        found: dict[str, Callable[..., Any]] = {}
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if str(pattern.pattern) != "admin/":
                    found |= walk(pattern.url_patterns, f"{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                found[namespace + pattern.name] = pattern.callback
        return found

    return walk(get_resolver().url_patterns)


def test_every_url_is_in_the_hostile_table() -> None:
    names = set(url_patterns())
    tried = {form.url_name for form in FORMS}
    assert names - tried - READ_ONLY == set(), "add these URLs to FORMS (if they take a POST) or to READ_ONLY"
    assert (tried | READ_ONLY) - names == set(), "these URLs are gone: take them out of the table"
    for name in READ_ONLY:
        view = inspect.unwrap(url_patterns()[name])
        source = inspect.getsource(getattr(view, "view_class", view))
        assert "request.POST" not in source, f"{name} reads a POST: add it to FORMS"
        assert '"POST"' not in source, f"{name} reads a POST: add it to FORMS"


# Posting to each form: what the answer must be


def _with_keys(posted: dict[str, Any], world: World) -> dict[str, Any]:
    """The post with a new once-only key, or the one the last example sent (a second click), where drawn."""
    sent = dict(posted)
    if sent.get("submission") == FRESH:
        sent["submission"] = uuid.uuid4().hex  # not drawn: a replayed example must not find its own key taken
    elif sent.get("submission") == AGAIN:
        sent["submission"] = world.last_key or uuid.uuid4().hex
    if isinstance(sent.get("submission"), str) and KEY.fullmatch(sent["submission"]):
        world.last_key = sent["submission"]
    return sent


@pytest.mark.parametrize("form", FORMS, ids=str)
@hostile
@given(data=st.data())
def test_hostile_input_gets_errors_or_a_redirect_never_a_crash(client: Client, world: World, form: Form, data) -> None:
    target = form.arrange(world)
    user = world.user(form.role)
    if user is None:
        client.logout()
    else:
        client.force_login(user)
    posted = data.draw(posts({name: spec(name, target) for name, spec in form.fields.items()}), label="posted")
    address = data.draw(st.ip_addresses().map(str), label="address")
    sent = _with_keys(posted, world)
    key = sent.get("submission")
    replayed = isinstance(key, str) and bool(KEY.fullmatch(key)) and Submission.objects.filter(key=key).exists()
    before = fingerprint()

    response = client.post(target.url, sent, REMOTE_ADDR=address)
    event(f"answered {response.status_code}")

    if posted_size(sent) > django_settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
        assert response.status_code == 400  # Django refuses a request bigger than it will read
        return
    assert response.status_code in {200, 302}, response.status_code
    page = response.content.decode()
    assert SCRIPT not in page
    if replayed:  # a form posted again is sent where the first went, and changes nothing
        assert (response.status_code, fingerprint()) == (302, before)
        return
    if response.status_code == 200:
        assert fingerprint() == before, "a refused form changed the database"
        if form.reports_errors(sent):
            assert "govuk-error-summary" in page, "the page came back without saying what is wrong"
        return
    location = response["Location"]
    assert is_local(location), location
    if user is not None and form.url_name not in {"logout", "sign-out-everywhere"}:
        assert not location.startswith("/sign-in/"), "the post lost the session"
    stored = [name for name in form.shown(sent) if isinstance(sent.get(name), str) and SCRIPT in sent[name]]
    if stored and form.shown_at is not None:
        shown = client.get(form.shown_at(target, location)).content.decode()
        assert ESCAPED in shown, f"{stored} not shown"
        assert SCRIPT not in shown


# The forms that search and filter with a GET: the same values in the query string

GET_FORMS = [
    Form(
        "today",
        "cases:today",
        "officer",
        lambda world: Target("/cases/today/"),
        {"all": choice(*SECTIONS)},  # the one section shown in full
    ),
    Form(
        "search",
        "cases:search",
        "officer",
        lambda world: Target("/cases/search/"),
        {"q": text("Smith", "X123456", "2010/0123456X", limit=100), "date_of_birth": day_month_year(date(1950, 1, 1))},
    ),
    Form(
        "my cases",
        "cases:my-cases",
        "officer",
        lambda world: Target("/cases/", choices={"officer": [world.officer.code, world.spo.code]}),
        {
            "name": text("Smith", limit=100),
            "tier": choice(*TIERS),
            "rosh": choice(*Rosh.values),
            "sentence_type": choice(*Event.Type.values),
            "flag": choice(*Registration.Type.values),
            "sort": choice("name", "-name", "tier", "rosh", "next"),
            "page": number(1, 3),
            "officer": choice(),
        },
    ),
    Form(
        "contact log",
        "cases:contacts",
        "officer",
        arrange_contact_log,
        {
            "type": choice(),
            "outcome": choice("none", *Outcome.values),
            "enforceable": choice("yes", "no"),
            "date_from": day_month_year(),
            "date_to": day_month_year(),
            "text": text("housing", limit=100),
            "page": number(1, 3),
        },
    ),
    Form(
        "outcomes to log",
        "cases:outcomes",
        "officer",
        lambda world: Target("/cases/outcomes/", choices={"officer": [world.officer.code]}),
        {"officer": choice(), "page": number(1, 3)},
    ),
    Form(
        "standards",
        "cases:standards",
        "spo",
        lambda world: Target("/cases/standards/", choices={"officer": [world.officer.code]}),
        {"officer": choice(), "show": choice("", "overdue", "due", "enforcement"), "page": number(1, 3)},
    ),
    *[
        Form(
            label,
            name,
            "head",
            lambda world, path=path: Target(f"/performance/pdu/{world.pdu.code}/{path}"),  # type: ignore[misc]
            {
                "period": choice("month", "quarter", "year", "custom"),
                "from": month(),
                "to": month(),
                "measure": choice(*MEASURES),
                "sort": choice(*SORTS),
                "dir": choice("asc", "desc"),
                "format": choice("", "csv", "xlsx"),
                "page": number(1, 3),
            },
        )
        for label, name, path in (
            ("performance", "regions:performance-pdu", ""),
            ("cases behind a number", "regions:performance-cases", "cases/"),
            ("who may need support", "regions:performance-outliers", "outliers/"),
        )
    ],
]


@pytest.mark.parametrize("form", GET_FORMS, ids=str)
@hostile
@given(data=st.data())
def test_hostile_search_and_filters_get_a_page_never_a_crash(client: Client, world: World, form: Form, data) -> None:
    target = form.arrange(world)
    client.force_login(user_of(getattr(world, str(form.role))))
    query = data.draw(posts({name: spec(name, target) for name, spec in form.fields.items()}), label="query")
    query.pop("submission", None)

    response = client.get(target.url, query)
    event(f"answered {response.status_code}")

    nul = any("\x00" in name or "\x00" in str(value) for name, value in query.items())
    # An officer or a measure that is not there, or not theirs to see, is a 404 or 403 as from a link.
    assert response.status_code in ({400} if nul else {200, 403, 404})
    assert SCRIPT.encode() not in response.content


@pytest.mark.parametrize(
    "address",
    [
        "/cases/%00/",
        "/cases/X123456/events/%00/plan/",
        "/cases/X123456/contacts/?text=%00",
        "/cases/?officer=%00",
        "/cases/?%00=1",
        "/cases/outcomes/?officer=x%00",
        "/officers/%00/workload/",
        "/team/%00/",
    ],
)
def test_an_address_with_a_nul_is_refused_not_a_crash(client: Client, world: World, address: str) -> None:
    client.force_login(user_of(world.officer))
    response = client.get(address)
    assert response.status_code == 400
    assert response["Content-Security-Policy"]  # refused inside the middleware that adds the security headers


@pytest.mark.today("2026-11-25")
def test_a_performance_period_outside_the_ledgers_years_shows_the_usual_period(client: Client, world: World) -> None:
    client.force_login(user_of(world.head))
    url = f"/performance/pdu/{world.pdu.code}/"
    for far in ("0001-01", "9999-12", "1999-12"):
        response = client.get(url, {"period": "custom", "from": far, "to": far})
        assert response.status_code == 200
        period = response.context["period"]
        assert (period.first, period.last) == (date(2026, 11, 1), date(2026, 11, 1))  # this month


def test_the_date_boxes_are_named_as_the_strategies_post_them() -> None:
    from cases.record.forms import RiskLevelForm

    form = RiskLevelForm(
        {"rosh": "low", "tier": "B2", "assessed_on_0": "2", "assessed_on_1": "3", "assessed_on_2": "2026"}
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["assessed_on"] == date(2026, 3, 2)


def booking(world: World, **changes: str) -> dict[str, Any]:
    data = {
        "type": str(world.types["office_visit"].pk),
        "day_0": "2",
        "day_1": "12",
        "day_2": "2026",
        "at": "10:00",
        "staff": str(world.officer.pk),
    }
    return data | changes


def test_script_in_a_contact_note_is_stored_as_typed_and_shown_escaped(client: Client, world: World) -> None:
    target = arrange_book(world)
    client.force_login(user_of(world.officer))
    assert client.post(target.url, booking(world, notes=f"{SCRIPT} {SQL}")).status_code == 302
    contact = Contact.objects.filter(event=target.event).latest("id")
    assert contact.notes == f"{SCRIPT} {SQL}"
    page = client.get(f"/cases/{contact.event.person.crn}/contacts/{contact.pk}/").content.decode()
    assert SCRIPT not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &#x27;; DROP TABLE cases_person; --" in page
    assert timezone.localtime(contact.starts_at).date() == date(2026, 12, 2)


# The fixes the hostile posts led to, each shown once with an ordinary example


def test_notes_longer_than_the_limit_are_refused_in_govuk_words_and_nothing_is_booked(
    client: Client, world: World
) -> None:
    target = arrange_book(world)
    client.force_login(user_of(world.officer))
    page = client.post(target.url, booking(world, notes="A" * (TEXT_LIMIT + 1))).content.decode()
    assert "Notes must be 10,000 characters or fewer" in page
    assert not Contact.objects.filter(event=target.event).exists()
    assert client.post(target.url, booking(world, notes="A" * TEXT_LIMIT)).status_code == 302
    assert len(Contact.objects.get(event=target.event).notes) == TEXT_LIMIT


def test_a_null_character_is_refused_in_govuk_words_not_a_server_error(client: Client, world: World) -> None:
    target = arrange_book(world)
    client.force_login(user_of(world.officer))
    response = client.post(target.url, booking(world, location="Moved to\x00 Gateshead"))
    assert response.status_code == 200
    assert "Location must not include hidden characters: type it in again rather than pasting it" in (
        response.content.decode()
    )
    assert not Contact.objects.filter(event=target.event).exists()


def test_text_that_is_not_utf8_gets_an_error_not_a_crash(client: Client, world: World) -> None:
    target = arrange_book(world)
    client.force_login(user_of(world.officer))
    before = fingerprint()
    body = b"notes=%FF%FE%00%ED%A0%80&location=%C0%AF&day_0=%FF&at=%00"
    response = client.post(target.url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 200
    assert "Notes must not include hidden characters" in response.content.decode()
    assert fingerprint() == before


def test_each_licence_condition_must_fit_whole_rather_than_be_cut_short(client: Client, world: World) -> None:
    target = arrange_custody("release/")(world)
    client.force_login(user_of(world.officer))
    data = {"released_on_0": "2", "released_on_1": "3", "released_on_2": "2026", "licence_type": "licence"}
    page = client.post(target.url, data | {"conditions": "x" * 301}).content.decode()
    assert "Each licence condition must be 300 characters or fewer: one a line" in page
    assert client.post(target.url, data | {"conditions": f"{'x' * 300}\nNo contact with the victim"}).status_code == 302
    conditions = Requirement.objects.filter(event=target.event, type=Requirement.Type.LICENCE_CONDITION)
    assert sorted(len(c.description) for c in conditions) == [26, 300]


def test_a_plan_form_that_lost_its_version_says_so_rather_than_nothing(client: Client, world: World) -> None:
    target = plan_stage(world, "view")
    client.force_login(user_of(world.officer))
    response = client.post(target.url, {"persons_view": "I want a job"})
    assert response.status_code == 200
    summary = response.content.decode().split('class="govuk-error-summary"')[1].split("</div>")[0]
    assert "This form is out of date: go back to the sentence plan and make your changes again" in summary


def test_a_once_only_key_this_site_did_not_make_is_ignored_not_a_crash(client: Client, world: World) -> None:
    target = arrange_book(world)
    client.force_login(user_of(world.officer))
    assert client.post(target.url, booking(world, submission="\x00")).status_code == 302
    assert Contact.objects.filter(event=target.event).count() == 1
    assert not Submission.objects.exists()


def test_a_second_click_is_sent_where_the_first_went_even_to_an_address_without_a_slash(
    client: Client, world: World
) -> None:
    key = uuid.uuid4().hex
    client.force_login(user_of(world.officer))
    first = client.post("/sign-out/", {"next": "elsewhere", "submission": key})
    client.force_login(user_of(world.officer))
    again = client.post("/sign-out/", {"next": "elsewhere", "submission": key})
    assert (first.status_code, first["Location"]) == (again.status_code, again["Location"]) == (302, "elsewhere")
