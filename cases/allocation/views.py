from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases.access import limited_for, manages_pdu_of, staff_of, staff_who_may_see
from cases.allocation import services
from cases.allocation.forms import AllocationForm, ReallocateCaseloadForm
from cases.case_pages import case_page
from cases.models import Allocation, Event, Person
from cases.record import selectors
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role
from regions.models import StaffMember
from regions.workload import CASEWORK_GRADES, workloads


@role_required(Role.SPO, Role.PDU_HEAD)
def unallocated(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    events = selectors.unallocated_events(staff.pdu, request.user) if staff and staff.pdu else Event.objects.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/unallocated.html", {"page": page, "pdu": staff.pdu if staff else None})


@role_required(Role.SPO, Role.PDU_HEAD)
@case_page(write=True, managers=True, events=Event.objects.active().select_related("pdu"))
def allocate(request: HttpRequest, person: Person, event: Event) -> HttpResponse:
    current = Allocation.objects.current().filter(event=event).select_related("staff").first()
    officers = StaffMember.objects.active().filter(
        staff_who_may_see(person),
        pdu=event.pdu,
        grade__in=[StaffMember.Grade.PO, StaffMember.Grade.PSO, StaffMember.Grade.SPO],
    )
    initial = {"from_date": timezone.localdate()}
    officers = officers.select_related("team").order_by("name")
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        officers=officers,
        reallocation=current is not None,
        workload=workloads(list(officers), timezone.localdate()),
    )
    if form.is_valid():
        try:
            allocation = services.allocate(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{allocation.staff.name} is now the responsible officer for {event.person.name}")
            return redirect("cases:overview", crn=event.person.crn)
    return render(request, "cases/allocate.html", {"event": event, "current": current, "form": form})


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
        .filter(pdu_id=leaving.pdu_id, grade__in=CASEWORK_GRADES)
        .exclude(pk=leaving.pk)
        .select_related("team")
        .order_by("name")
    )
    form = ReallocateCaseloadForm(
        request.POST if request.method == "POST" else None,
        initial={"from_date": timezone.localdate()},
        events=events,
        officers=officers,
        workload=workloads(list(officers), timezone.localdate()),
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
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{moved} case{'s' if moved != 1 else ''} moved to {data['staff'].name}")
            return redirect("cases:reallocate-caseload", code=leaving.code)
    return render(request, "cases/reallocate_caseload.html", {"leaving": leaving, "form": form, "events": events})
