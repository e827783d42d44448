"""The case record's pages: My cases, search, recording a sentence, risk and flags."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.access import manages_pdu_of, may_change_as_read, may_see_audit, officer_in_view, staff_of
from cases.case_pages import case_page
from cases.contacts import selectors as contact_selectors
from cases.enforcement import services as enforcement
from cases.models import Address, AuditEvent, Event, Person, Registration
from cases.person import selectors as person_selectors
from cases.record import selectors, services
from cases.record.forms import (
    CaseloadFilterForm,
    ContactDetailsForm,
    EventForm,
    NewPersonForm,
    RegistrationForm,
    RegistrationReviewForm,
    RiskLevelForm,
    SearchForm,
)
from cases.standards.handover import handover
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role


@role_required(Role.OFFICER, Role.SPO, Role.PDU_HEAD)
def my_cases(request: HttpRequest) -> HttpResponse:
    staff = officer_in_view(request.user, request.GET.get("officer"))
    own = staff is not None and staff == staff_of(request.user)
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.CaseloadFilters()
    sort = request.GET.get("sort", "name")
    page = None
    if staff is not None:
        page = selectors.caseload_page(staff, filters, sort, viewer=request.user, number=request.GET.get("page"))
    return render(
        request,
        "cases/my_cases.html",
        {"staff": staff, "own": own, "form": form, "page": page, "sort": sort},
    )


MAX_RESULTS = 50


def search(request: HttpRequest) -> HttpResponse:
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid():
        found = selectors.search_people(
            request.user, form.cleaned_data["q"], form.cleaned_data["date_of_birth"], limit=MAX_RESULTS + 1
        )
        people = found.people
        results = {
            "people": people[:MAX_RESULTS],
            "more": len(people) > MAX_RESULTS,
            "limited_crn": found.limited_crn,
        }
    return render(request, "cases/search.html", {"form": form, "results": results})


def _record(request: HttpRequest, person: Person, *, release: bool) -> HttpResponse:
    form = EventForm(request.POST if request.method == "POST" else None, release=release)
    if form.is_valid():
        try:
            event = services.event_record(person=person, user=request.user, **form.event_fields())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{event.get_type_display()} recorded as event {event.ref}")
            return redirect("cases:overview", crn=person.crn)
    title = "Record a release on licence" if release else "Record a new sentence from court"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@case_page(write=True)
def event_new(request: HttpRequest, person: Person) -> HttpResponse:
    return _record(request, person, release=False)


@case_page(write=True)
def release_new(request: HttpRequest, person: Person) -> HttpResponse:
    return _record(request, person, release=True)


@role_required(Role.OFFICER, Role.SPO, Role.PDU_HEAD)
def person_new(request: HttpRequest) -> HttpResponse:
    """Court intake: a person new to probation and their sentence, in the user's PDU."""
    staff = staff_of(request.user)
    if staff is None or staff.pdu is None:
        raise PermissionDenied("Your account is not linked to a PDU, so you cannot add people to one")
    form = NewPersonForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            event = services.person_record(
                user=request.user, pdu=staff.pdu, person_fields=form.person_fields(), event_fields=form.event_fields()
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{event.person.name} added with CRN {event.person.crn}")
            return redirect("cases:overview", crn=event.person.crn)
    return render(request, "cases/person_form.html", {"form": form, "pdu": staff.pdu})


@case_page(write=True, fields=("rosh", "tier"))
def risk_level(request: HttpRequest, person: Person) -> HttpResponse:
    initial = {"rosh": person.rosh, "tier": person.tier, "assessed_on": timezone.localdate()}
    form = RiskLevelForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        services.risk_level_record(person=person, user=request.user, **form.cleaned_data)
        messages.success(request, "RoSH and tier updated")
        return redirect("cases:overview", crn=person.crn)
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": "Update RoSH and tier"})


@case_page(write=True)
def registration_new(request: HttpRequest, person: Person) -> HttpResponse:
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            registration = services.registration_add(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{registration} flag added")
            return redirect("cases:overview", crn=person.crn)
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": "Add a flag"})


@case_page(write=True, record=Registration.objects.filter(ended_on__isnull=True))
def registration_review(request: HttpRequest, person: Person, record: Registration) -> HttpResponse:
    registration = record
    form = RegistrationReviewForm(request.POST if request.method == "POST" else None, registration=registration)
    if form.is_valid():
        data = form.cleaned_data
        ending = data["outcome"] == "end"
        try:
            services.registration_review(
                registration=registration,
                user=request.user,
                next_review=None if ending else data["next_review"],
                ended_on=data["ended_on"] if ending else None,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{registration} flag {'ended' if ending else 'reviewed'}")
            return redirect("cases:overview", crn=person.crn)
    title = f"Review the {registration} flag"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@case_page(write=True, fields=("email",))
def contact_details(request: HttpRequest, person: Person) -> HttpResponse:
    """The person's current main address and email: for their RO and the SPOs and heads of their PDU."""
    current = Address.objects.filter(person=person, to_date__isnull=True, type__in=Address.HOME_TYPES).first()
    initial = {
        "lines": current.lines if current else "",
        "postcode": current.postcode if current else "",
        "email": person.email,
    }
    form = ContactDetailsForm(request.POST if request.method == "POST" else None, initial=initial)
    if form.is_valid():
        try:
            changed = services.contact_details_change(person=person, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Address and contact details saved" if changed else "Nothing was changed")
            return redirect("cases:overview", crn=person.crn)
    title = "Correct the address and email"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})


@case_page(rights=True, whole=True)
def overview(request: HttpRequest, person: Person) -> HttpResponse:
    read = selectors.overview_of(person)
    full = read.person
    events = list(full.events.all())
    staff = staff_of(request.user)
    managed_pdu_id = staff.pdu_id if staff and staff.pdu_id and manages_pdu_of(request.user, staff.pdu_id) else None
    return render(
        request,
        "cases/overview.html",
        {
            "person": full,
            "today": timezone.localdate(),
            "may_change": may_change_as_read(request.user, full),
            "risk": person_selectors.summarised(read.rosh, list(full.predictors.all()), list(full.registrations.all())),
            "adjustments": read.adjustments,
            "home": next((a for a in full.addresses.all() if a.to_date is None and a.type in Address.HOME_TYPES), None),
            "compliance": enforcement.compliance_for(
                [e for e in events if e.is_active], actions_read=True, failures_read=read.failures
            ),
            "due": contact_selectors.due_next(read.coming),
            "pending": selectors.pending_for(full),
            "recorded_late": selectors.recorded_late_for(full),
            "open_referral_states": ["referred", "accepted", "started"],
            "handovers": {e.pk: handover(e) for e in events if e.is_active and e.type == Event.Type.CUSTODY},
            "managed_pdu_id": managed_pdu_id,
            "may_see_audit": may_see_audit(request.user, full, can_read=True),
            "standards": read.standards,
            "missed": read.missed,
            "oversight": read.oversight,
        },
    )


@case_page(audit_trail=True)
def audit_trail(request: HttpRequest, person: Person) -> HttpResponse:
    events = AuditEvent.objects.filter(person=person).select_related("user").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/audit_trail.html", {"person": person, "page": page})
