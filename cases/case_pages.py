"""The way into a case page: who may read or change the case, with every read and refusal audited."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from cases import audit
from cases.access import may_change_case, writable_events
from cases.models import Event, Person


def limited_access(request: HttpRequest, person: Person) -> HttpResponse:
    """What someone who may not see a limited-access case gets: that it exists, and whom to ask."""
    audit.record(request.user, "case.view_refused", person)
    return render(request, "cases/limited_access.html", {"person": person}, status=403)


def person_to_change(request: HttpRequest, crn: str) -> Person:
    """The person behind a page that changes their case: the read is audited, and so is a refusal."""
    person = get_object_or_404(Person, crn=crn.upper())
    if not may_change_case(request.user, person):
        audit.record(request.user, "case.view_refused", person, page=request.path)
        raise PermissionDenied(
            "Only the responsible officer, and SPOs and heads of the case's PDU, may change this case"
        )
    if request.method == "GET":
        audit.record(request.user, "case.view", person, page=request.path)
    return person


def check_event_writable(request: HttpRequest, event: Event) -> None:
    """Changes to one sentence are for its RO and the managers of its PDU, not for the RO of another."""
    if not writable_events(request.user).filter(pk=event.pk).exists():
        audit.record(request.user, "case.change_refused", event.person, event)
        raise PermissionDenied("Only this sentence's responsible officer, and SPOs and heads of its PDU, may change it")
