"""Every kind of page meets WCAG 2.2 AA as axe-core checks it, at 1280 and at 320 pixels wide, and is titled the
GOV.UK way; pages with errors say so in the title and link each error to its field.

The walk goes over the demo organisation (probation.demo), so the pages are as full as their users see them:
long caseloads with pagination and sorting, flags, charts, compliance panels, performance tables."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, ViewportSize, expect

from cases.contacts import services as contacts
from cases.enforcement import services as enforcement
from cases.models import (
    AbsenceReason,
    AccessRule,
    Contact,
    ContactType,
    EnforcementAction,
    Event,
    Outcome,
    OversightTask,
    Person,
    Registration,
    Requirement,
)
from cases.record import services
from cases.transfers import services as transfers
from interventions.models import Referral
from probation.demo import DEMO_PASSWORD, load_demo
from regions.models import PDU, StaffMember
from tests.browser.axe import axe_violations, describe
from tests.browser.reflow import reflow
from tests.browser.test_sign_in import sign_in
from tests.factories import PASSWORD, UserFactory, book, case_for

# 320 CSS pixels is 1280 zoomed to 400%, where content must still reflow (WCAG 1.4.10), GOV.UK Frontend's
# mobile styles apply and touch targets are at their smallest (2.5.8). The wide size is last: the walk goes on in it.
NARROW = ViewportSize(width=320, height=640)
VIEWPORTS = {"320px wide": NARROW, "1280px wide": ViewportSize(width=1280, height=720)}
# Data tables need two dimensions to make sense: each scrolls sideways in its own focusable, labelled region, and
# the page around it does not (tests/browser/reflow.py), measured with the tables shown.
TITLE = re.compile(rf"^(?P<error>Error: )?.+ - {re.escape(settings.SERVICE_NAME)} - GOV\.UK$")


class Walk:
    """Goes from page to page in one browser tab and keeps every problem it finds, so one run reports them all."""

    def __init__(self, page: Page, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.problems: list[str] = []
        self.scrolling: set[str] = set()  # the pages where a table is wider than 320 px and scrolls in its region
        page.set_default_timeout(20_000)

    def visit(self, path: str, heading: str | re.Pattern[str], status: int = 200) -> None:
        response = self.page.goto(f"{self.base_url}{path}")
        assert response is not None
        assert response.status == status, f"{path} answered {response.status}"
        self.check(path, heading)

    def check(self, name: str, heading: str | re.Pattern[str]) -> None:
        """The page now open: its heading (so the walk is where it means to be), title, error summary, and axe."""
        expect(self.page.get_by_role("heading", level=1)).to_have_text(heading)
        problems = [*self._title_and_errors()]
        for size_name, size in VIEWPORTS.items():
            self.page.set_viewport_size(size)
            if violations := axe_violations(self.page):
                problems.append(f"  {size_name}:\n{describe(violations)}")
            if size == NARROW:
                narrow = reflow(self.page, NARROW["width"])
                problems.extend(f"  {size_name}: {problem}" for problem in narrow.problems)
                if narrow.scrolling:
                    self.scrolling.add(name)
        if problems:
            self.problems.append(f"{name} ({self.page.url}):\n" + "\n".join(problems))

    def _title_and_errors(self) -> list[str]:
        """GOV.UK: 'Page - Service - GOV.UK', with 'Error: ' first when the page shows an error summary, whose
        every link goes to a field."""
        problems = []
        title = self.page.title()
        has_errors = self.page.locator(".govuk-error-summary").count() > 0
        match = TITLE.match(title)
        if match is None:
            problems.append(f"  the title {title!r} is not 'Page - {settings.SERVICE_NAME} - GOV.UK'")
        elif bool(match["error"]) != has_errors:
            problems.append(f"  the title {title!r} {'lacks' if has_errors else 'has'} 'Error: '")
        if has_errors:
            links = self.page.locator(".govuk-error-summary__list a")
            if links.count() == 0:
                problems.append("  the error summary links to no field")
            for href in links.evaluate_all("links => links.map(link => link.getAttribute('href'))"):
                if self.page.locator(f"{href}:is(input, select, textarea)").count() != 1:
                    problems.append(f"  the error summary links to {href}, which is not a field on the page")
        return problems

    def assert_no_problems(self) -> None:
        assert self.problems == [], f"{len(self.problems)} pages fall short:\n\n" + "\n\n".join(self.problems)


@pytest.fixture
def demo(transactional_db: None) -> None:
    load_demo()


def _staff(username: str) -> tuple[StaffMember, User]:
    staff = StaffMember.objects.select_related("user").get(user__username=username)
    assert staff.user is not None
    return staff, staff.user


def _a_case_of(officer: StaffMember, *types: str) -> Event:
    """The officer's first running case with a requirement of each type given, and no enforcement yet (the walk
    records its own: the demo's warnings would rule out another)."""
    events = (
        Event.objects.active()
        .filter(allocations__staff=officer, allocations__to_date__isnull=True, enforcement_actions__isnull=True)
        .order_by("pk")
    )
    for kind in types:
        events = events.filter(requirements__type=kind)
    event = events.distinct().first()
    assert event is not None, f"the demo officer has no case with {types}"
    return event


@pytest.mark.django_db(transaction=True)
def test_every_page_an_officer_uses_meets_wcag_22_aa(page: Page, live_server, demo) -> None:
    officer, user = _staff("officer")
    event = _a_case_of(officer, Requirement.Type.UNPAID_WORK, Requirement.Type.RAR)
    person, crn = event.person, event.person.crn
    upw = event.requirements.get(type=Requirement.Type.UNPAID_WORK)
    rar = event.requirements.get(type=Requirement.Type.RAR)
    programme = _a_case_of(officer, Requirement.Type.ACCREDITED_PROGRAMME).requirements.get(
        type=Requirement.Type.ACCREDITED_PROGRAMME
    )
    licence = _a_case_of(officer, Requirement.Type.LICENCE_CONDITION)
    contact = Contact.objects.filter(event=event).exclude(outcome="").order_by("starts_at").first()
    assert contact is not None
    # Two failures to comply, the first warned, so the decision page shows that the second must go to breach.
    office_visit = ContactType.objects.get(code="office_visit")
    now = timezone.now()
    warned, failed, to_record = (book(officer, event, office_visit, now - timedelta(hours=h)) for h in (50, 26, 2))
    warned, failed = (
        contacts.record_outcome(contact=failure, user=user, outcome=Outcome.UNACCEPTABLE_ABSENCE)
        for failure in (warned, failed)
    )
    warning = enforcement.decide(
        event=event, user=user, kind=EnforcementAction.Kind.WARNING, failure=warned, on=timezone.localdate()
    )
    flag = person.registrations.filter(ended_on__isnull=True).first() or services.registration_add(
        person=person, user=user, type=Registration.Type.SELF_HARM, from_date=event.sentence_date
    )
    referral = Referral.objects.filter(event__allocations__staff=officer).select_related("event__person").first()
    assert referral is not None
    excluded = Person.objects.get(access_rules__staff=officer, access_rules__kind=AccessRule.Kind.EXCLUSION)

    walk = Walk(page, live_server.url)
    walk.visit("/sign-in/", "Sign in")
    walk.visit("/accessibility/", f"Accessibility statement for {settings.SERVICE_NAME}")
    sign_in(page, live_server.url, "officer", "not-the-password")
    walk.check("sign in, wrong password", "Sign in")
    sign_in(page, live_server.url, "officer", DEMO_PASSWORD)
    walk.check("today", "Today")
    walk.visit("/cases/", "My cases")
    walk.visit("/cases/transfers/requested/", "Your transfer requests")
    walk.visit("/cases/?page=2&sort=-tier", "My cases")
    walk.visit("/cases/?tier=Z9", "My cases")  # a filter that is not a choice: the error summary
    walk.visit("/cases/search/?q=smith", "Find a person")
    walk.visit("/cases/search/?q=", "Find a person")
    walk.visit(f"/cases/{crn}/", person.name)
    walk.visit(f"/cases/{licence.person.crn}/", licence.person.name)
    walk.visit(f"/cases/{crn}/contacts/", "Contacts")
    walk.visit(f"/cases/{crn}/contacts/?date_from_0=31&date_from_1=2&date_from_2=2026", "Contacts")
    walk.visit(f"/cases/{crn}/contacts/{contact.pk}/", re.compile(f"^{contact.type.name} on "))
    walk.visit(f"/cases/{crn}/contacts/{contact.pk}/change/", "Change a contact")
    walk.visit(f"/cases/{crn}/contacts/{contact.pk}/entered-in-error/", "Mark a contact as entered in error")
    walk.visit(f"/cases/{crn}/events/1/appointments/new/", re.compile("^Book an appointment"))
    page.get_by_role("button", name="Save").click()
    walk.check("book an appointment, nothing entered", re.compile("^Book an appointment"))
    walk.visit(f"/cases/{crn}/events/1/contacts/new/", re.compile("^Log a contact"))
    page.get_by_role("button", name="Save").click()
    walk.check("log a contact, nothing entered", re.compile("^Log a contact"))
    walk.visit(f"/cases/{crn}/contacts/{to_record.pk}/outcome/", re.compile("^Record the outcome"))
    page.get_by_role("button", name="Save").click()
    walk.check("record an outcome, nothing chosen", re.compile("^Record the outcome"))
    walk.visit(f"/cases/{crn}/contacts/{failed.pk}/decision/", "Decide on a failure to comply")
    page.get_by_role("button", name="Record decision").click()
    walk.check("decide on a failure, nothing chosen", "Decide on a failure to comply")
    walk.visit(f"/cases/{crn}/warnings/{warning.pk}/letter/", "Warning letter")
    walk.visit(f"/cases/{crn}/documents/", "Documents")
    walk.visit(f"/cases/{crn}/documents/new/", "Upload a document")
    page.get_by_role("button", name="Upload", exact=True).click()
    walk.check("upload a document, nothing chosen", "Upload a document")
    walk.visit(f"/cases/{crn}/events/1/letters/new/", "Make a letter about event 1")
    page.get_by_label("Warning letter").check()
    page.get_by_role("button", name="Save").click()
    walk.check("a warning letter made from the case", "Warning letter")
    walk.visit(f"/cases/{crn}/documents/", "Documents")  # with the letter's copy listed
    walk.visit("/cases/outcomes/", "Outcomes to log")
    walk.visit("/cases/standards/", "National Standards")
    walk.visit(f"/cases/{crn}/events/1/plan/", "Sentence plan")
    walk.visit(f"/cases/{crn}/events/1/plan/objectives/new/", "Add an objective")
    page.get_by_role("button", name="Save").click()
    walk.check("add an objective, nothing entered", "Add an objective")
    walk.visit(f"/cases/{crn}/events/1/plan/own-words/", "In their own words")
    walk.visit(f"/cases/{crn}/events/1/plan/complete/", "Complete the sentence plan")
    walk.visit(f"/cases/{crn}/risk/", "Update RoSH and tier")
    walk.visit(f"/cases/{crn}/details/", "Correct the address and email")
    walk.visit(f"/cases/{crn}/person/", "Personal details")
    walk.visit(f"/cases/{crn}/person/details/", "Change personal details")
    walk.visit(f"/cases/{crn}/person/addresses/move/", "Record a move of address")
    walk.visit(f"/cases/{crn}/person/addresses/new/", "Add another address")
    walk.visit(f"/cases/{crn}/person/contacts/new/", "Add a personal contact")
    walk.visit(f"/cases/{crn}/person/circumstances/new/", "Add a circumstance")
    walk.visit(f"/cases/{crn}/person/disabilities/new/", "Add a disability or condition")
    walk.visit(f"/cases/{crn}/risk/full/", "Risk")
    walk.visit(f"/cases/{crn}/risk/rosh/new/", "Record a RoSH assessment")
    walk.visit(f"/cases/{crn}/risk/predictors/new/", "Record a predictor score")
    walk.visit(f"/cases/{crn}/flags/new/", "Add a flag")
    page.get_by_role("button", name="Save").click()
    walk.check("add a flag, nothing entered", "Add a flag")
    walk.visit(f"/cases/{crn}/flags/{flag.pk}/review/", f"Review the {flag} flag")
    walk.visit(f"/cases/{crn}/sentences/new/", "Record a new sentence from court")
    walk.visit(f"/cases/{licence.person.crn}/events/{licence.ref}/recall/", "Recommend recall")
    walk.visit(f"/cases/{crn}/events/1/transfer/", re.compile("^Request a transfer of event 1"))
    walk.visit("/cases/new/", "Add a person from court")
    walk.visit(f"/interventions/{crn}/unpaid-work/{upw.pk}/", re.compile("^Unpaid work: "))
    page.get_by_role("button", name="Save session").click()
    walk.check("log an unpaid work session, nothing entered", re.compile("^Unpaid work: "))
    walk.visit(f"/interventions/{crn}/rar/{rar.pk}/", re.compile("^Rehabilitation activity: "))
    programme_heading = re.compile("^Accredited programme: ")
    walk.visit(f"/interventions/{programme.event.person.crn}/programme/{programme.pk}/", programme_heading)
    page.get_by_role("button", name="Save", exact=True).click()
    walk.check("record programme progress, nothing entered", programme_heading)
    walk.visit("/interventions/referrals/", "Referrals awaiting a response")
    walk.visit(f"/interventions/{crn}/events/1/referrals/new/", "Refer to a service: event 1")
    walk.visit(f"/interventions/{referral.event.person.crn}/referrals/{referral.pk}/", re.compile("^Update the"))
    walk.visit(f"/officers/{officer.code}/workload/", officer.name)
    walk.visit(f"/cases/{excluded.crn}/", "This case has limited access", status=403)
    walk.visit("/cases/unallocated/", "You do not have access to this page", status=403)
    walk.visit("/cases/NO-SUCH-CASE/", "Page not found", status=404)
    walk.assert_no_problems()
    # The wide tables the issue names were wider than 320 px, so the regions around them were put to the test.
    assert {"today", "/cases/", f"/cases/{crn}/contacts/"} <= walk.scrolling


@pytest.mark.django_db(transaction=True)
def test_every_page_a_manager_uses_meets_wcag_22_aa(page: Page, live_server, demo) -> None:
    officer, user = _staff("officer")
    event = _a_case_of(officer)
    crn = event.person.crn
    office_visit = ContactType.objects.get(code="office_visit")
    for days_ago in (3, 2, 1):  # the third acceptable absence opens a task for the SPO's oversight
        absence = book(officer, event, office_visit, timezone.now() - timedelta(days=days_ago))
        contacts.record_outcome(
            contact=absence, user=user, outcome=Outcome.ACCEPTABLE_ABSENCE, absence_reason=AbsenceReason.ILLNESS
        )
    oversight = OversightTask.objects.get(event=event, closed_at__isnull=True)
    durham_case = case_for(StaffMember.objects.get(code="NE104"), first_name="Dan", last_name="Durham")
    incoming = transfers.request(
        event=durham_case, user=user, to_pdu=PDU.objects.get(code="NE-TYN"), reason="Moved", on=timezone.localdate()
    )
    unallocated = Event.objects.filter(pdu__code="NE-TYN", allocations__isnull=True).first()
    assert unallocated is not None

    walk = Walk(page, live_server.url)
    sign_in(page, live_server.url, "spo", DEMO_PASSWORD)
    walk.check("team dashboard", "Tyneside Team 1")
    walk.visit("/team/NE-TYN-T2/", "Tyneside Team 2")
    walk.visit("/cases/unallocated/", "Cases to allocate")
    walk.visit(f"/cases/{unallocated.person.crn}/events/{unallocated.ref}/allocate/", "Allocate a responsible officer")
    page.get_by_role("button", name="Allocate").click()
    walk.check("allocate, nobody chosen", "Allocate a responsible officer")
    walk.visit("/cases/oversight/", "Management oversight")
    walk.visit(f"/cases/{crn}/oversight/{oversight.pk}/", re.compile("^Management oversight: "))
    walk.visit("/cases/transfers/", "Transfers")
    walk.visit(f"/cases/transfers/{incoming.pk}/", "Transfer request for Dan Durham")
    walk.visit("/cases/standards/", "National Standards")
    walk.visit(f"/officers/{officer.code}/workload/", officer.name)
    walk.visit(f"/cases/officers/{officer.code}/reallocate/", "Move their cases")
    walk.visit(f"/cases/{crn}/court-reports/", "Court reports")
    walk.visit(f"/cases/{crn}/court-reports/new/", "Add a court report")
    page.get_by_role("button", name="Save").click()
    walk.check("add a court report, nothing entered", "Add a court report")
    walk.visit(f"/cases/{crn}/access/", "Who may see this case")
    page.get_by_role("button", name="Add", exact=True).click()
    walk.check("who may see a case, nothing entered", "Who may see this case")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "pdu_head", DEMO_PASSWORD)
    walk.check("PDU home", "Tyneside")
    walk.visit(f"/cases/{crn}/audit/", "Audit trail")
    walk.visit("/performance/pdu/NE-TYN/", "Tyneside")
    walk.visit("/performance/team/NE-TYN-T1/", "Tyneside Team 1")
    walk.visit("/performance/pdu/NE-TYN/cases/?measure=initial_contact_order", re.compile("cases behind the number$"))
    walk.visit("/performance/pdu/NE-TYN/outliers/", "Teams and officers who may need support")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "director", DEMO_PASSWORD)
    walk.check("region home", "North East")
    walk.visit("/performance/region/NE/", "North East")
    walk.visit("/performance/region/NE/outliers/?period=quarter", "Teams and officers who may need support")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "national", DEMO_PASSWORD)
    walk.check("national home", "All regions")
    walk.visit("/performance/national/", "England and Wales")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "admin", DEMO_PASSWORD)
    walk.check("admin home", "Admin")
    page.get_by_role("button", name="Sign out").click()

    UserFactory.create(username="nobody")
    sign_in(page, live_server.url, "nobody", PASSWORD)
    walk.check("signed in without a role", "You do not have a role yet")
    walk.assert_no_problems()
    # The wide tables the issue names were wider than 320 px, so the regions around them were put to the test.
    leagues = {"/performance/pdu/NE-TYN/", "/performance/team/NE-TYN-T1/", "/performance/region/NE/"}
    assert {"team dashboard", *leagues, "/performance/national/"} <= walk.scrolling
