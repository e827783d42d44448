from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases import selectors
from cases.access import officer_in_view, staff_of
from cases.forms import CaseloadFilterForm
from probation.access import role_required
from probation.querystring import query_without
from probation.roles import Role

PAGE_SIZE = 25


@role_required(Role.OFFICER, Role.SPO, Role.PDU_HEAD)
def my_cases(request: HttpRequest) -> HttpResponse:
    staff = officer_in_view(request.user, request.GET.get("officer"))
    own = staff is not None and staff == staff_of(request.user)
    form = CaseloadFilterForm(request.GET or None)
    filters = form.filters() if form.is_valid() else selectors.CaseloadFilters()
    sort = request.GET.get("sort", "name")
    page = None
    if staff is not None:
        people = selectors.caseload_for(staff, filters, sort, viewer=request.user)
        page = Paginator(people, PAGE_SIZE).get_page(request.GET.get("page"))
    query = query_without(request, "page", "sort")
    return render(
        request,
        "cases/my_cases.html",
        {"staff": staff, "own": own, "form": form, "page": page, "sort": sort, "query": query},
    )
