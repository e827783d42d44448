"""National Standards items for the people who must act: an officer's own, an SPO's team's, a PDU head's PDU."""

from collections.abc import Callable
from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from cases.access import officer_in_view, staff_of, visible_people
from cases.models import Notification, Obligation
from cases.standards import rules
from probation.roles import Role, roles_of

PAGE_SIZE = 50


def _needs_action(soon: date) -> Q:
    """Overdue, or due soon: by `soon`, the last day of the due-soon window (the default list)."""
    return Q(state=Obligation.State.OVERDUE) | Q(state=Obligation.State.PENDING, due_on__lte=soon)


# The team dashboard's counts link here with ?officer=CODE&show=...: each list is the count it came from.
SHOWN: dict[str, Callable[[date], Q]] = {
    "": _needs_action,
    "overdue": lambda soon: Q(state=Obligation.State.OVERDUE),
    "due": lambda soon: Q(state=Obligation.State.PENDING, due_on__lte=soon),
    "enforcement": lambda soon: Q(
        state__in=[Obligation.State.OVERDUE, Obligation.State.PENDING], rule__in=rules.ENFORCEMENT_RULES
    ),
}


def standards(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    roles = roles_of(request.user)
    if staff is None:
        context: dict[str, object] = {"page": None, "flags": [], "scope": "", "soon_days": rules.value("due_soon")}
        return render(request, "cases/standards.html", context)
    if request.method == "POST":
        read = Notification.objects.filter(staff=staff, read_at__isnull=True).update(read_at=timezone.now())
        messages.success(request, f"{read} notification{'s' if read != 1 else ''} marked as read")
        return redirect("cases:standards")
    today = timezone.localdate()
    soon_days = rules.value("due_soon")
    officer = officer_in_view(request.user, request.GET.get("officer"))
    show = request.GET.get("show", "")
    managing = (Role.PDU_HEAD in roles or Role.SPO in roles) and staff.pdu_id
    # Who must act now: the event's current responsible officer and PDU (Obligation.objects.to_act_on_by)
    mine: dict[str, object]
    if request.GET.get("unallocated") and managing:
        scope, mine = f"on unallocated cases in {staff.pdu}", {"unallocated_in": staff.pdu_id}
    elif officer is not None and (officer != staff or request.GET.get("officer")):
        scope, mine = f"on {officer.name}'s cases", {"officer": officer}
    elif Role.PDU_HEAD in roles and staff.pdu_id:
        scope, mine = f"in {staff.pdu}", {"pdu": staff.pdu_id}
    elif Role.SPO in roles and staff.team_id:
        scope, mine = f"in {staff.team}", {"team": staff.team_id}
    else:
        scope, mine = "on your cases", {"officer": staff}
    items = (
        Obligation.objects.to_act_on_by(**mine)  # type: ignore[arg-type]
        .filter(starts_on__lte=today, person__in=visible_people(request.user))
        .filter(SHOWN.get(show, _needs_action)(rules.due_soon_until(today)))
        .annotate(acting_name=F("acting__staff__name"))
        .select_related("person", "event")
        .order_by("due_on", "person__crn", "id")
    )
    if request.GET.get("crn"):  # one case's items, as My cases counts them
        items = items.filter(person__crn=request.GET["crn"].strip().upper())
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    flags = list(
        Notification.objects.filter(
            staff=staff,
            read_at__isnull=True,
            obligation__person__in=visible_people(request.user),
            obligation__in=Obligation.objects.to_act_on_by(officer=staff).values("pk"),
        )
        .select_related("obligation__person")
        .order_by("-created_on", "-id")[:50]
    )
    return render(
        request,
        "cases/standards.html",
        {
            "page": page,
            "flags": flags,
            "scope": scope,
            "today": today,
            "show": show,
            "soon_days": soon_days,
        },
    )
