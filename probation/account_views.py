"""Your account: where you are signed in, and signing out everywhere; the session time-out's endpoints."""

from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cases.access import staff_of
from probation import sessions
from probation.models import UserSession


@require_GET
def account(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "account.html",
        {
            "staff": staff_of(request.user),
            "signed_in_sessions": UserSession.objects.filter(user_id=request.user.pk or 0),
            "this_session": request.session.session_key,
        },
    )


@require_POST
def sign_out_everywhere(request: HttpRequest) -> HttpResponse:
    ended = sessions.sign_out_everywhere(request.user)
    logout(request)
    messages.success(request, f"You have been signed out on every device ({ended} signed in).")
    return redirect("login")


@sessions.passive
@never_cache
@require_GET
def session_status(request: HttpRequest) -> JsonResponse:
    """How long until this session ends for inactivity. Asking does not count as activity."""
    return JsonResponse({"seconds_left": sessions.seconds_left(request)})


@never_cache
@require_POST
def stay_signed_in(request: HttpRequest) -> JsonResponse:
    sessions.stamp_activity(request)
    return JsonResponse({"seconds_left": sessions.seconds_left(request)})
