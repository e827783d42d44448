"""Sessions end after SESSION_IDLE_TIMEOUT seconds without activity; each page carries a warning that
appears SESSION_TIMEOUT_WARNING seconds before (static/src/session-timeout.mjs), with a button to stay
signed in. Activity is stamped in the session at most once a minute, so most pages write nothing.
Every signed-in session is listed (`UserSession`), so someone can sign out everywhere at once."""

import time
from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from probation.models import UserSession
from probation.throttle import address

LAST_ACTIVE = "last_active"
SIGNED_IN_AT = "signed_in_at"
STAMP_EVERY = 60
TIMED_OUT = "You have been signed out because you had not done anything for {minutes} minutes."
DAY_ENDED = "You have been signed out because you signed in more than {hours} hours ago. Sign in again to carry on."


def seconds_left(request: HttpRequest, now: float | None = None) -> int:
    now = time.time() if now is None else now
    last_active = request.session.get(LAST_ACTIVE, now)
    return max(0, round(settings.SESSION_IDLE_TIMEOUT - (now - last_active)))


def stamp_activity(request: HttpRequest, now: float | None = None) -> None:
    request.session[LAST_ACTIVE] = time.time() if now is None else now


def sign_out_for_inactivity(request: HttpRequest) -> None:
    logout(request)
    messages.info(request, TIMED_OUT.format(minutes=settings.SESSION_IDLE_TIMEOUT // 60))


def passive(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a view that does not count as activity (the warning's own check of the time left)."""
    view.session_passive = True  # type: ignore[attr-defined]
    return view


class IdleTimeoutMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> HttpResponse | None:
        if not request.user.is_authenticated:
            return None
        now = time.time()
        if now - request.session.setdefault(SIGNED_IN_AT, now) >= settings.SESSION_ABSOLUTE_LIFETIME:
            logout(request)
            messages.info(request, DAY_ENDED.format(hours=settings.SESSION_ABSOLUTE_LIFETIME // 3600))
            return redirect_to_login(request.get_full_path())
        if seconds_left(request, now) == 0:
            sign_out_for_inactivity(request)
            return redirect_to_login(request.get_full_path())
        last_active = request.session.get(LAST_ACTIVE)
        if not getattr(view, "session_passive", False) and (last_active is None or now - last_active >= STAMP_EVERY):
            stamp_activity(request, now)
        return None


@receiver(user_logged_in)
def remember_session(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    if request is None:
        return
    stamp_activity(request)
    request.session[SIGNED_IN_AT] = time.time()
    if request.session.session_key is None:  # signing in over someone else's session flushed it
        request.session.save()
    forget_ended_sessions(user)
    UserSession.objects.update_or_create(
        session_key=request.session.session_key,
        defaults={
            "user": user,
            "started_at": timezone.now(),
            "ip": address(request),
            "browser": request.headers.get("User-Agent", "")[:200],
        },
    )


@receiver(user_logged_out)
def forget_session(sender: object, request: HttpRequest | None, user: Any, **kwargs: object) -> None:
    if request is not None and request.session.session_key:
        UserSession.objects.filter(session_key=request.session.session_key).delete()


def session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


def forget_ended_sessions(user: Any) -> None:
    """Drop the rows of sessions that expired or were cleared without a sign-out."""
    store = session_store()
    ended = [s.pk for s in UserSession.objects.filter(user=user) if not store().exists(s.session_key)]
    UserSession.objects.filter(pk__in=ended).delete()


def sign_out_everywhere(user: Any) -> int:
    """End every session the user is signed in to, on every device; returns how many."""
    store = session_store()
    sessions = list(UserSession.objects.filter(user=user))
    for session in sessions:
        store(session_key=session.session_key).delete()
    UserSession.objects.filter(pk__in=[s.pk for s in sessions]).delete()
    return len(sessions)


def close_account(user: Any) -> None:
    """Someone who has left: their login no longer works and every session they had ends now."""
    type(user).objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    sign_out_everywhere(user)
