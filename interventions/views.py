from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from cases import audit
from cases.access import case_access, may_change_case
from cases.models import Person, Requirement
from cases.views.case import check_event_writable, limited_access, person_to_change
from interventions import upw
from interventions.forms import UpwSessionForm
from interventions.models import UpwSession
from probation.forms_errors import add_validation_error


def upw_page(request: HttpRequest, crn: str, pk: int) -> HttpResponse:
    """An Unpaid Work requirement: hours so far, what remains, whether it will be done in time, and a
    form to log the next session (for those who may change the case)."""
    if request.method == "POST":
        person = person_to_change(request, crn)
    else:
        person = get_object_or_404(Person, crn=crn.upper())
        if case_access(request.user, person).is_limited:
            return limited_access(request, person)
        audit.record(request.user, "case.view", person, page="unpaid work")
    requirement = get_object_or_404(
        Requirement.objects.select_related("event__person"),
        pk=pk,
        event__person=person,
        type=Requirement.Type.UNPAID_WORK,
    )
    form = UpwSessionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        check_event_writable(request, requirement.event)
        if form.is_valid():
            try:
                upw.log_session(requirement=requirement, user=request.user, **form.session())
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Session recorded")
                return redirect("interventions:upw", crn=person.crn, pk=requirement.pk)
    sessions = list(UpwSession.objects.filter(requirement=requirement).order_by("-date", "-id"))
    context = {
        "person": person,
        "requirement": requirement,
        "sessions": sessions,
        "summary": upw.summary(requirement, sessions),
        "form": form,
        "may_change": may_change_case(request.user, person) and requirement.event.is_active,
    }
    return render(request, "interventions/upw.html", context)
