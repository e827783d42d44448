from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from probation.access import role_required
from probation.roles import Role


@role_required(Role.OFFICER)
def my_cases(request: HttpRequest) -> HttpResponse:
    staff = getattr(request.user, "staff", None)
    return render(request, "cases/my_cases.html", {"staff": staff})
