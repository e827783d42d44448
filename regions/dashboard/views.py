"""Home pages for the roles above the caseload: team (SPO), PDU, region and national."""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from cases.access import manages_pdu_of, may_see_officer
from cases.models import Obligation
from cases.standards import rules
from probation.access import role_required
from probation.roles import Role
from regions import selectors
from regions.charts import bar_chart
from regions.dashboard import selectors as team_selectors
from regions.models import StaffMember, Team
from regions.workload import workloads


def _staff(request: HttpRequest) -> StaffMember | None:
    return getattr(request.user, "staff", None)


def _dashboard(request: HttpRequest, team: Team) -> HttpResponse:
    board = team_selectors.team_dashboard(team, request.user)
    chart = bar_chart(  # capacity % at each month's end, the line at 100%
        [m["capacity"] for m in board.history],
        labels=[f"{m['month']:%b}" for m in board.history],
        limit=100,
        limit_label="Full capacity 100%",
        over=[m["over"] for m in board.history],
        fmt=lambda value: f"{value:.0f}%",
        x_title="Month end",
        y_title="Capacity",
    )
    context = {"team": team, "board": board, "chart": chart, "today": timezone.localdate()}
    context["soon_days"] = rules.value("due_soon")
    return render(request, "regions/team.html", context)


@role_required(Role.SPO)
def team(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    if staff is None or staff.team is None:
        return render(request, "regions/team.html", {"team": None})
    return _dashboard(request, staff.team)


@role_required(Role.SPO, Role.PDU_HEAD)
def team_by_code(request: HttpRequest, code: str) -> HttpResponse:
    """Any team of the viewer's own PDU (a PDU head looks at each of theirs; an SPO at neighbours)."""
    unit = get_object_or_404(Team.objects.select_related("pdu"), code=code)
    if not manages_pdu_of(request.user, unit.pdu_id):
        raise PermissionDenied("This team is in another PDU")
    return _dashboard(request, unit)


@role_required(Role.OFFICER, Role.SPO, Role.PDU_HEAD)
def officer_workload(request: HttpRequest, code: str) -> HttpResponse:
    """One officer's workload, reductions, court reports and monthly history: theirs, or their managers'."""
    officer = get_object_or_404(StaffMember.objects.select_related("team"), code=code.upper())
    viewer = _staff(request)
    own = viewer is not None and viewer.pk == officer.pk
    if not may_see_officer(request.user, officer):
        raise PermissionDenied("Only the officer and the managers of their PDU may see their workload")
    today = timezone.localdate()
    items = team_selectors.standards_counts(
        Obligation.objects.to_act_on_by(officer=officer), today, rules.due_soon_until(today), "acting_id"
    )
    _officer, overdue, due_soon, enforcement = items[0] if items else (officer.pk, 0, 0, 0)
    context = {
        "officer": officer,
        "own": own,
        "items": {"overdue": overdue, "due_soon": due_soon, "enforcement": enforcement},
        "soon_days": rules.value("due_soon"),
        "load": workloads([officer], today)[officer.pk],
        "reductions": officer.reductions.order_by("-starts_on"),
        "reports": officer.court_reports.filter(completed_on__isnull=True).select_related("person"),
        "history": officer.capacity_history.order_by("-month")[:13],
    }
    return render(request, "regions/officer_workload.html", context)


@role_required(Role.PDU_HEAD)
def pdu(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    unit = staff.pdu if staff else None
    summaries = team_selectors.pdu_summary(unit) if unit else []
    context = {"pdu": unit, "summaries": summaries, "soon_days": rules.value("due_soon")}
    return render(request, "regions/pdu.html", context)


@role_required(Role.REGIONAL_DIRECTOR)
def region(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    unit = staff.region if staff else None
    pdus = selectors.region_pdus(unit) if unit else []
    return render(request, "regions/region.html", {"region": unit, "pdus": pdus})


@role_required(Role.NATIONAL)
def national(request: HttpRequest) -> HttpResponse:
    return render(request, "regions/national.html", {"regions": selectors.all_regions()})
