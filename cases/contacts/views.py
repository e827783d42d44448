"""The contact log, booking, outcomes, amendments and the officer's outcomes to log."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.access import may_change_as_read, officer_in_view, staff_of
from cases.case_pages import case_page
from cases.contacts import selectors as contact_selectors
from cases.contacts import services as contacts
from cases.contacts.forms import (
    AmendForm,
    BookingForm,
    CancelAppointmentForm,
    ContactLogFilterForm,
    EnteredInErrorForm,
    LogContactForm,
    OutcomeForm,
)
from cases.models import AbsenceReason, Contact, Event, Outcome, Person, Requirement
from cases.plans.services import STALE
from probation import reference
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role
from regions.models import StaffMember


@case_page(rights=True)
def contact_log(request: HttpRequest, person: Person) -> HttpResponse:
    form = ContactLogFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    may_change = may_change_as_read(request.user, person)
    log = contact_selectors.contact_log(person.pk, filters, may_change, request.GET.get("page"))
    return render(
        request,
        "cases/contact_log.html",
        {
            "person": person,
            "form": form,
            "page": log.page,
            "may_change": may_change,
            "events": log.events,
            "now": timezone.now(),
        },
    )


def _officers(
    request: HttpRequest, person: Person, event: Event
) -> tuple[list[StaffMember], Callable[[], int | None], Callable[[], contact_selectors.BeforeSeeing]]:
    """Whom a contact on this event may be with (the staff of its PDU, a cached reference list); who is chosen
    first (its RO, else the user); and what the page tells whoever will see the person: the last two read once,
    only when the form is drawn (not for a POST that saves)."""
    staff = StaffMember.objects.active().filter(pdu_id=event.pdu_id).exclude(grade__in=[StaffMember.Grade.ADMIN])
    listed = reference.rows(StaffMember, f"contact-staff:pdu:{event.pdu_id}", lambda: list(staff))
    read: list[contact_selectors.BeforeSeeing] = []  # this request's, read at most once

    def seeing() -> contact_selectors.BeforeSeeing:
        if not read:
            read.append(contact_selectors.before_seeing(person, event))
        return read[0]

    def chosen() -> int | None:
        return seeing().responsible_officer or getattr(staff_of(request.user), "pk", None)

    return listed, chosen, seeing


# Whether the sentence has a running RAR requirement (the booking may count as a RAR day), read with the event.
WITH_RAR = Event.objects.active().annotate(
    has_rar=Exists(Requirement.objects.filter(event=OuterRef("pk"), type=Requirement.Type.RAR, terminated_on=None))
)


@case_page(write=True, events=WITH_RAR)
def book(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    staff, officer, seeing = _officers(request, person, event)
    initial = {"staff": officer, "rar": request.GET.get("rar") == "1"}
    has_rar: bool = event.has_rar  # type: ignore[attr-defined]
    form = BookingForm(
        request.POST if request.method == "POST" else None, staff=staff, has_rar=has_rar, initial=initial
    )
    warnings: list[str] = []
    if form.is_valid():
        booking = form.booking()
        warnings = contacts.booking_warnings(
            event, contacts.appointment_times(booking["starts_at"], booking["repeat"], booking["count"])
        )
    if form.is_valid() and form.confirmed(warnings):
        try:
            booked = contacts.book(event=event, user=request.user, **form.booking())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{len(booked)} appointment{'s' if len(booked) > 1 else ''} booked")
            return redirect("cases:contacts", crn=event.person.crn)
    title = f"Book an appointment: event {event.ref}, {event.get_type_display().lower()}"
    context = {
        "person": event.person,
        "form": form,
        "title": title,
        "warnings": warnings,
        "risk_to_staff": seeing().risk_to_staff,
        "adjustments": seeing().adjustments,
    }
    return render(request, "cases/book.html", context)


@case_page(write=True)
def log_contact(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    """A contact that was not booked (a call, an email or letter, a visit without an appointment), logged with
    its outcome in one step. Booking stays for future appointments."""
    staff, officer, seeing = _officers(request, person, event)
    form = LogContactForm(request.POST if request.method == "POST" else None, staff=staff, initial={"staff": officer})
    if form.is_valid():
        try:
            contact = contacts.log_contact(event=event, user=request.user, **form.contact())
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Contact logged: {contact.type.name.lower()}")
            if contact.is_failure_to_comply:
                return redirect("cases:decide", crn=person.crn, pk=contact.pk)
            return redirect("cases:contacts", crn=person.crn)
    title = f"Log a contact: event {event.ref}, {event.get_type_display().lower()}"
    context = {"person": person, "form": form, "title": title, "risk_to_staff": seeing().risk_to_staff}
    return render(request, "cases/book.html", context)


@case_page(write=True, record=Contact.objects.select_related("type"))
def outcome(request: HttpRequest, person: Person, record: Contact) -> HttpResponse:
    contact = record
    if contact.outcome and contact.outcome != Outcome.AWAITING_EVIDENCE:
        messages.info(request, "This contact already has an outcome: change it here, giving a reason")
        return redirect("cases:amend", crn=contact.event.person.crn, pk=contact.pk)
    form = OutcomeForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            contact = contacts.record_outcome(contact=contact, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"Outcome recorded: {contact.get_outcome_display()}")
            if contact.is_failure_to_comply and contact.event.is_active:
                return redirect("cases:decide", crn=contact.event.person.crn, pk=contact.pk)
            return redirect("cases:contacts", crn=contact.event.person.crn)
    title = (
        f"Record the outcome of the {contact.type.name.lower()} on {timezone.localtime(contact.starts_at):%-d %B %Y}"
    )
    risk = contact_selectors.before_seeing(person).risk_to_staff
    context = {"person": person, "form": form, "title": title, "risk_to_staff": risk}
    return render(request, "cases/book.html", context)


@case_page(record=Contact.objects.select_related("type", "staff", "recorded_by"), rights=True)
def detail(request: HttpRequest, person: Person, record: Contact) -> HttpResponse:
    contact = record
    versions = list(contact.versions.order_by("number"))
    outcomes, reasons = dict(Outcome.choices), dict(AbsenceReason.choices)
    for version in versions:  # what each version said, in words: never a stored code
        reason = reasons.get(version.data.get("absence_reason") or "", "")
        outcome = outcomes.get(version.data.get("outcome") or "", version.data.get("outcome") or "")
        version.outcome_label = f"{outcome}: {reason.lower()}" if reason else outcome  # type: ignore[attr-defined]
    may_change = may_change_as_read(request.user, person)
    # Once any version was sensitive, every version's notes are hidden from those who may not see them
    # (contact_selectors.ever_sensitive, the same rule as the contact log's).
    hide_notes = not may_change and (contact.sensitive or any(v.data.get("sensitive") for v in versions))
    return render(
        request,
        "cases/contact_detail.html",
        {
            "person": person,
            "contact": contact,
            "versions": versions,
            "may_change": may_change,
            "hide_notes": hide_notes,
            "now": timezone.now(),
            "risk_to_staff": contact_selectors.before_seeing(person).risk_to_staff,
        },
    )


@case_page(write=True, record=Contact.objects.select_related("type"))
def amend(request: HttpRequest, person: Person, record: Contact) -> HttpResponse:
    contact = record
    if contact.entered_in_error:
        raise PermissionDenied("A contact entered in error cannot be changed")
    warning = contacts.standing_warning(contact)
    form = AmendForm(
        request.POST if request.method == "POST" else None, initial=AmendForm.initial_for(contact), warning=warning
    )
    stale = None
    if form.is_valid():
        try:
            contacts.amend(
                contact=contact,
                user=request.user,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
                withdraw_warning=form.cleaned_data.get("withdraw_warning", False),
                **form.changes(),
            )
        except ValidationError as error:
            if getattr(error, "code", None) == STALE:  # saving again, after comparing, applies the change
                contact.refresh_from_db()
                form.data = {**form.data.dict(), "version": str(contact.version)}  # type: ignore[attr-defined]
                outcome = contact.get_outcome_display() or "no outcome yet"
                stale = f"{timezone.localtime(contact.starts_at):%-d %B %Y %H:%M}, {outcome}\n{contact.notes}"
            add_validation_error(form, error)
        else:
            withdrawn = warning is not None and contacts.standing_warning(contact) is None
            messages.success(
                request,
                "Contact changed: the previous version is kept"
                + (". The warning it led to is withdrawn" if withdrawn else ""),
            )
            return redirect("cases:contact", crn=contact.event.person.crn, pk=contact.pk)
    context = {"person": contact.event.person, "form": form, "title": "Change a contact", "stale": stale}
    return render(request, "cases/simple_form.html", context)


@case_page(write=True, record=Contact.objects.select_related("type"))
def entered_in_error(request: HttpRequest, person: Person, record: Contact) -> HttpResponse:
    contact = record
    form = EnteredInErrorForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            contacts.mark_entered_in_error(contact=contact, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Contact marked as entered in error. It is kept, but no longer counts.")
            return redirect("cases:contact", crn=contact.event.person.crn, pk=contact.pk)
    return render(
        request,
        "cases/simple_form.html",
        {"person": contact.event.person, "form": form, "title": "Mark a contact as entered in error"},
    )


@role_required(Role.OFFICER, Role.SPO, Role.PDU_HEAD)
def outcomes_to_log(request: HttpRequest) -> HttpResponse:
    staff = officer_in_view(request.user, request.GET.get("officer"))
    items = contact_selectors.outcomes_to_log(staff, request.user) if staff else Contact.objects.none()
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    own = staff == staff_of(request.user)
    return render(request, "cases/outcomes_to_log.html", {"page": page, "officer": staff, "own": own})


@case_page(write=True, record=Contact.objects.select_related("type", "staff"))
def cancel(request: HttpRequest, person: Person, record: Contact) -> HttpResponse:
    """Cancel a booked appointment that has not happened (after a transfer, say): kept, marked cancelled."""
    contact = record
    if not contact.is_booked or contact.starts_at <= timezone.now():
        messages.info(request, "Only a booked appointment that has not happened yet can be cancelled")
        return redirect("cases:contact", crn=person.crn, pk=contact.pk)
    form = CancelAppointmentForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        try:
            contacts.cancel_appointment(contact=contact, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, "Appointment cancelled. It is kept, marked cancelled, and no longer counts.")
            return redirect("cases:contacts", crn=person.crn)
    when = timezone.localtime(contact.starts_at)
    with_whom = f" with {contact.staff.name}" if contact.staff else ""
    title = f"Cancel the {contact.type.name.lower()}{with_whom} on {when:%-d %B %Y} at {when:%H:%M}"
    return render(request, "cases/simple_form.html", {"person": person, "form": form, "title": title})
