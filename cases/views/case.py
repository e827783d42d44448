from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cases import audit, contact_selectors, custody, enforcement, selectors
from cases.access import case_access, manages_pdu_of, may_change_case, may_see_audit, staff_of, writable_events
from cases.models import AuditEvent, Event, Obligation, Person


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


def overview(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_object_or_404(Person.objects.only("pk", "crn", "access_contact", "pdu_id"), crn=crn.upper())
    if case_access(request.user, person).is_limited:
        return limited_access(request, person)
    full = selectors.person_for_overview(person.crn)
    if full is None:
        raise Http404
    audit.record(request.user, "case.view", full)
    staff = staff_of(request.user)
    managed_pdu_id = staff.pdu_id if staff and staff.pdu_id and manages_pdu_of(request.user, staff.pdu_id) else None
    return render(
        request,
        "cases/overview.html",
        {
            "person": full,
            "today": timezone.localdate(),
            "may_change": may_change_case(request.user, full),
            "compliance": enforcement.compliance_for([e for e in full.events.all() if e.is_active]),
            "due": contact_selectors.due_next(full),
            "open_referral_states": ["referred", "accepted", "started"],
            "handovers": {
                e.pk: custody.handover(e) for e in full.events.all() if e.is_active and e.type == Event.Type.CUSTODY
            },
            "managed_pdu_id": managed_pdu_id,
            "may_see_audit": may_see_audit(request.user, full),
            "standards": list(
                Obligation.objects.filter(person=full, state__in=Obligation.OPEN, starts_on__lte=timezone.localdate())
                .select_related("event")
                .order_by("due_on", "id")[:25]
            ),
        },
    )


def audit_trail(request: HttpRequest, crn: str) -> HttpResponse:
    person = get_object_or_404(Person, crn=crn.upper())
    if not may_see_audit(request.user, person):
        raise PermissionDenied("Only administrators and heads of the case's PDU may see its audit trail")
    audit.record(request.user, "audit.view", person)
    events = AuditEvent.objects.filter(person=person).select_related("user").order_by("-at", "-id")
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "cases/audit_trail.html", {"person": person, "page": page})
