from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from cases import audit, selectors, services
from cases.access import case_access, manages_pdu_of, staff_of, staff_who_may_see
from cases.forms import AllocationForm
from cases.models import Allocation, Event
from cases.views.case import limited_access
from probation.access import role_required
from probation.forms_errors import add_validation_error
from probation.roles import Role
from regions.models import StaffMember


@role_required(Role.SPO, Role.PDU_HEAD)
def unallocated(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    events = selectors.unallocated_events(staff.pdu, request.user) if staff and staff.pdu else Event.objects.none()
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/unallocated.html", {"page": page, "pdu": staff.pdu if staff else None})


@role_required(Role.SPO, Role.PDU_HEAD)
def allocate(request: HttpRequest, crn: str, ref: str) -> HttpResponse:
    event = get_object_or_404(Event.objects.active().select_related("person", "pdu"), person__crn=crn.upper(), ref=ref)
    if case_access(request.user, event.person).is_limited:
        return limited_access(request, event.person)
    if not manages_pdu_of(request.user, event.pdu_id):
        audit.record(request.user, "case.view_refused", event.person)
        raise PermissionDenied("Only SPOs and heads of the case's PDU may allocate it")
    current = Allocation.objects.current().filter(event=event).select_related("staff").first()
    officers = StaffMember.objects.active().filter(
        staff_who_may_see(event.person),
        pdu=event.pdu,
        grade__in=[StaffMember.Grade.PO, StaffMember.Grade.PSO, StaffMember.Grade.SPO],
    )
    initial = {"from_date": timezone.localdate()}
    form = AllocationForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        officers=officers.select_related("team"),
        reallocation=current is not None,
    )
    if request.method == "GET":
        audit.record(request.user, "case.view", event.person, page="allocate")
    if form.is_valid():
        try:
            allocation = services.allocate(event=event, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, f"{allocation.staff.name} is now the responsible officer for {event.person.name}")
            return redirect("cases:overview", crn=event.person.crn)
    return render(request, "cases/allocate.html", {"event": event, "current": current, "form": form})
