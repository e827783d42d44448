"""The one place views ask whether a user may see a page."""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

from probation.roles import Role, roles_of

View = Callable[..., HttpResponse]


def role_required(*allowed: Role) -> Callable[[View], View]:
    """Let the view run only for a signed-in user holding one of the allowed roles (403 otherwise)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            if not roles_of(request.user) & set(allowed):
                raise PermissionDenied("Your role does not give you access to this page")
            return view(request, *args, **kwargs)

        wrapped.allowed_roles = frozenset(allowed)  # type: ignore[attr-defined]
        return wrapped

    return decorator
