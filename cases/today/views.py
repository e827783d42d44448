"""Today: the officer's home page, and the transfers they requested."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from cases.access import staff_of
from cases.today import selectors
from probation.access import role_required
from probation.roles import Role

PAGE_SIZE = 50


@role_required(Role.OFFICER)
def today(request: HttpRequest) -> HttpResponse:
    staff = staff_of(request.user)
    full = request.GET.get("all")  # the one section shown in full (?all=standards); any other value: none
    day = selectors.today_for(staff, request.user, full) if staff is not None else None
    return render(request, "cases/today.html", {"day": day, "staff": staff})


@role_required(Role.OFFICER)
def my_transfers(request: HttpRequest) -> HttpResponse:
    transfers = selectors.requested_by(request.user)
    page = Paginator(transfers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [(t, *selectors.transfer_state(t), selectors.decided(t)) for t in page.object_list]
    return render(request, "cases/my_transfers.html", {"page": page, "rows": rows})
