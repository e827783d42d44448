from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.access import limited_for, manages_pdu_of, staff_of
from cases.allocation import selectors, services
from cases.allocation.forms import AllocationForm, ReallocateCaseloadForm
from cases.case_pages import case_page
from cases.models import Allocation, Event, Person
from cases.person import selectors as person_selectors
from cases.record import selectors as record
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role
from regions.models import PDU, StaffMember


@role_required(Role.SPO, Role.PDU_HEAD)
def unallocated(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    events = record.unallocated_events(staff.pdu, request.user) if staff and staff.pdu else Event.objects.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/unallocated.html", {"page": page, "pdu": staff.pdu if staff else None})


@role_required(Role.SPO, Role.PDU_HEAD)
@case_page(write=True, managers=True, events=Event.objects.active().select_related("pdu"))
def allocate(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    """The SPO's allocation: the case, and each officer with their workload and this case's impact on it."""
    current = Allocation.objects.current().filter(event=event).select_related("staff").first()
    officers = selectors.allocatable_officers(event, person, exclude=current.staff_id if current else None)
    staff = list(officers)
    options = selectors.officer_options(event, person, staff, timezone.localdate())
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        initial={"from_date": timezone.localdate()},
        officers=officers,
        reallocation=current is not None,
        options=options,
    )
    if form.is_valid():
        try:
            allocation = services.allocate(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{allocation.staff.name} is now the responsible officer for {event.person.name}")
            return redirect("cases:overview", crn=event.person.crn)
    summary = selectors.case_summary(event)
    needing = [option for option in options if option.conditions]
    context = {
        "event": event,
        "current": current,
        "form": form,
        "case": summary,
        "needing": needing,
        "risk": person_selectors.risk_summary(summary.person, registrations=summary.flags),
    }
    return render(request, "cases/allocate.html", context)


@case_page()
def history(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    """The event's responsible officers: when, who, who allocated them and why."""
    allocations = list(selectors.history(event))
    return render(
        request, "cases/allocation_history.html", {"person": person, "event": event, "allocations": allocations}
    )


@role_required(Role.SPO, Role.PDU_HEAD)
def overrides(request: HttpRequest, code: str | None = None) -> HttpResponse:
    """Allocations made against the rule in a PDU, with their justifications: for its head and SPOs."""
    own = staff_of(request.user)
    pdu = get_object_or_404(PDU, code=code.upper()) if code else (own.pdu if own else None)
    if pdu is None or not manages_pdu_of(request.user, pdu.pk):
        raise PermissionDenied("Only the head and SPOs of the PDU may see its allocation overrides")
    page = Paginator(selectors.overrides_in_pdu(pdu.pk, request.user), 50).get_page(request.GET.get("page"))
    return render(request, "cases/allocation_overrides.html", {"pdu": pdu, "page": page})


@role_required(Role.SPO, Role.PDU_HEAD)
def reallocate_caseload(request: HttpRequest, code: str) -> HttpResponse:
    """An officer leaving (or over capacity): move their cases to others, some at a time."""
    leaving = get_object_or_404(StaffMember.objects.select_related("team", "pdu"), code=code.upper())
    if leaving.pdu_id is None or not manages_pdu_of(request.user, leaving.pdu_id):
        raise PermissionDenied("Only SPOs and heads of the officer's PDU may move their cases")
    if request.method == "POST" and request.POST.get("action") == "left":
        try:
            services.staff_left(leaving=leaving, user=request.user)
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, f"{leaving.name} is marked as having left")
            return redirect("regions:team-detail", code=leaving.team.code) if leaving.team else redirect("home")
        return redirect("cases:reallocate-caseload", code=leaving.code)
    events = list(
        Event.objects.active()
        .filter(allocations__staff=leaving, allocations__to_date__isnull=True)
        .filter(pdu_id=leaving.pdu_id)  # only the cases of the PDU this manager manages
        .exclude(person__in=Person.objects.filter(limited_for(request.user)))
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "id")
    )
    officers = (
        StaffMember.objects.active()
        .filter(pdu_id=leaving.pdu_id, grade__in=selectors.ALLOCATABLE_GRADES)
        .exclude(pk=leaving.pk)
        .select_related("team")
        .order_by("name")
    )
    form = ReallocateCaseloadForm(
        request.POST if request.method == "POST" else None,
        initial={"from_date": timezone.localdate()},
        events=events,
        officers=officers,
        options=selectors.officers_by_room(list(officers), timezone.localdate()),
    )
    if form.is_valid():
        chosen = [e for e in events if e.pk in form.cleaned_data["cases"]]
        data = form.cleaned_data
        try:
            moved = services.reallocate_caseload(
                leaving=leaving,
                events=chosen,
                staff=data["staff"],
                user=request.user,
                from_date=data["from_date"],
                reason=data["reason"],
                justification=data["justification"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{moved} case{'s' if moved != 1 else ''} moved to {data['staff'].name}")
            return redirect("cases:reallocate-caseload", code=leaving.code)
    return render(request, "cases/reallocate_caseload.html", {"leaving": leaving, "form": form, "events": events})
