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


# What someone signed in without a role may still use: the page saying so, their account, signing out.
OPEN_TO_ANYONE_SIGNED_IN = frozenset(
    {"home", "login", "logout", "account", "sign-out-everywhere", "session-status", "stay-signed-in"}
)


class RoleRequiredMiddleware:
    """Someone signed in without a role (not given one yet, or a staff record that says they have left, see
    roles_of) gets no page but those above: every other view answers 403 before it runs, whatever it checks
    itself. Pages open to everyone (login_not_required) stay open; the admin site checks its own permissions."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: View, args: object, kwargs: object) -> None:
        if not request.user.is_authenticated or roles_of(request.user):
            return
        match = request.resolver_match
        if getattr(view, "login_required", True) is False or match is None or match.namespace == "admin":
            return
        if match.view_name not in OPEN_TO_ANYONE_SIGNED_IN:
            raise PermissionDenied("You do not have a role in this service")
