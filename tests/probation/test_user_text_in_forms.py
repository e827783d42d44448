"""What people type never becomes markup in a form (issue 20, item 7): crispy-forms-gds writes labels, legends
and hints into the page as HTML, so text a user typed (an objective, a name) that becomes a label, a hint or a
choice is escaped first, in every form that shows it."""

from datetime import date
from typing import Any

import pytest
from crispy_forms.utils import render_crispy_form
from django.test import Client

from cases.allocation.forms import AllocationForm, ReallocateCaseloadForm
from cases.allocation.selectors import officer_options
from cases.contacts.forms import BookingForm, ContactLogFilterForm, LogContactForm
from cases.court_reports.forms import CourtReportForm
from cases.models import ContactType, Event, Objective, Requirement, SentencePlan
from cases.plans.forms import ObjectiveForm, ReviewForm
from cases.transfers.forms import TransferDecisionForm, TransferRequestForm
from interventions.forms import ReferralForm
from interventions.models import Service
from regions.models import StaffMember
from tests.factories import PDUFactory, StaffMemberFactory

META = "<meta http-equiv=refresh content=0>"
BOLD = "<b>x</b>"


def assert_escaped(html: str) -> None:
    assert META not in html
    assert BOLD not in html
    assert "&lt;meta http-equiv=refresh content=0&gt;" in html or "&lt;b&gt;x&lt;/b&gt;" in html


@pytest.fixture
def marked_up(community_order: Event, contact_types: dict[str, ContactType]) -> dict[str, Any]:
    """Markup in every user-typed text a form can echo as a label, a hint or a choice."""
    plan = SentencePlan.objects.create(event=community_order)
    objective = Objective.objects.create(plan=plan, area="accommodation", description=f"Housing {META} {BOLD}")
    officer = StaffMemberFactory.create(team=community_order.pdu.teams.first(), name=f"Eve {META} {BOLD}")
    pdu = PDUFactory.create(name=f"Far {META} {BOLD}", region__name=f"Region {BOLD}")
    service = Service.objects.create(name=f"Hostel {META}", provider=f"Provider {BOLD}", area="accommodation")
    requirement = Requirement.objects.create(
        event=community_order, type=Requirement.Type.ACCREDITED_PROGRAMME, programme=f"TSP {BOLD}", hours=None
    )
    ContactType.objects.filter(code="other").update(name=f"Other {BOLD}")
    person = community_order.person
    person.first_name = f"Sam {BOLD}"
    person.save()
    return {"objective": objective, "officer": officer, "pdu": pdu, "service": service, "requirement": requirement}


def test_markup_typed_into_any_text_a_form_echoes_is_escaped_in_every_such_form(marked_up, community_order) -> None:
    staff = StaffMember.objects.filter(pk=marked_up["officer"].pk)
    objectives = Objective.objects.filter(pk=marked_up["objective"].pk)
    event = Event.objects.select_related("person").get(pk=community_order.pk)
    options = officer_options(event, event.person, list(staff), date(2026, 11, 25))
    forms = [
        ReviewForm(objectives=list(objectives), initial={"version": 1}),
        ObjectiveForm(requirements=Requirement.objects.filter(pk=marked_up["requirement"].pk)),
        ReferralForm(services=Service.objects.filter(pk=marked_up["service"].pk), objectives=objectives),
        AllocationForm(officers=staff, reallocation=False, options=options),
        ReallocateCaseloadForm(events=[event], officers=staff, options=options),
        BookingForm(staff=staff),
        LogContactForm(staff=staff),
        ContactLogFilterForm(),
        TransferRequestForm(from_pdu_id=community_order.pdu_id),
        TransferDecisionForm(officers=staff),
        CourtReportForm(authors=staff),
    ]
    for form in forms:
        html = render_crispy_form(form)
        assert_escaped(html)


def test_the_plan_review_page_shows_an_objective_with_markup_as_text(client: Client, officer, marked_up) -> None:
    client.force_login(officer.user)
    page = client.get("/cases/X123456/events/1/plan/review/")
    assert page.status_code == 200
    html = page.content.decode()
    assert META not in html
    assert BOLD not in html
    assert "Progress: Accommodation: Housing &lt;meta http-equiv=refresh content=0&gt; &lt;b&gt;x&lt;/b&gt;" in html


def test_an_error_message_names_an_escaped_label_in_plain_words(client: Client, officer, marked_up) -> None:
    """The label is escaped for the page once, not twice: an apostrophe in an objective reads as one."""
    objective = marked_up["objective"]
    objective.description = "Keep Sam's tenancy"
    objective.save()
    client.force_login(officer.user)
    plan = SentencePlan.objects.get()
    data = {"version": str(plan.version), "reviewed_on_0": "20", "reviewed_on_1": "11", "reviewed_on_2": "2026"}
    data["summary"] = "On track"
    data[f"progress_{objective.pk}"] = "x" * 10_001
    page = client.post("/cases/X123456/events/1/plan/review/", data).content.decode()
    assert "Progress: Accommodation: Keep Sam&#x27;s tenancy must be 10,000 characters or fewer" in page
    assert "&amp;#x27;" not in page
