"""Addresses no page asks for. A NUL character has no place in a URL, and PostgreSQL cannot compare text with
one in it: a view looking up a CRN, a team code or an officer (?officer=) with it would fail with a server
error. Such a request is refused (400) before any view or middleware looks anything up. (In a form field the
form refuses it, with a GOV.UK message: probation/govuk_forms.py.)"""

from collections.abc import Callable

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse


def has_nul(request: HttpRequest) -> bool:
    return "\x00" in request.path or any(
        "\x00" in name or any("\x00" in value for value in values) for name, values in request.GET.lists()
    )


class RefuseNulMiddleware:
    """Last in MIDDLEWARE, so it runs before every process_view and its 400 still gets the security headers."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if has_nul(request):
            raise BadRequest("The address contains a NUL character")
        return self.get_response(request)
