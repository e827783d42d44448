"""Home pages for the roles above the caseload: team (SPO), PDU, region and national."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from probation.access import role_required
from probation.roles import Role
from regions import selectors
from regions.models import StaffMember


def _staff(request: HttpRequest) -> StaffMember | None:
    return getattr(request.user, "staff", None)


@role_required(Role.SPO)
def team(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    unit = staff.team if staff else None
    members = selectors.team_members(unit) if unit else []
    return render(request, "regions/team.html", {"team": unit, "members": members})


@role_required(Role.PDU_HEAD)
def pdu(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    unit = staff.pdu if staff else None
    teams = selectors.pdu_teams(unit) if unit else []
    return render(request, "regions/pdu.html", {"pdu": unit, "teams": teams})


@role_required(Role.REGIONAL_DIRECTOR)
def region(request: HttpRequest) -> HttpResponse:
    staff = _staff(request)
    unit = staff.region if staff else None
    pdus = selectors.region_pdus(unit) if unit else []
    return render(request, "regions/region.html", {"region": unit, "pdus": pdus})


@role_required(Role.NATIONAL)
def national(request: HttpRequest) -> HttpResponse:
    return render(request, "regions/national.html", {"regions": selectors.all_regions()})
