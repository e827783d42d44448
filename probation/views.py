from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from probation import health
from probation.access import role_required
from probation.models import JobRun
from probation.roles import Role, homes_for


def home(request: HttpRequest) -> HttpResponse:
    """Send each person to the home page of their most senior role."""
    homes = homes_for(request.user)
    if not homes:
        return render(request, "no_role.html", status=403)
    return redirect(homes[0].url_name)


@role_required(Role.ADMIN)
def admin_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "admin_home.html",
        {"checks": health.checks(), "replica": health.replica(), "job_runs": JobRun.objects.all()},
    )


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    checks = health.checks()
    healthy = all(checks.values())
    body = {
        "status": "ok" if healthy else "unavailable",
        **{k: "ok" if v else "unreachable" for k, v in checks.items()},
        "replica": health.replica(),  # reported, never failing the check: its reads fall back to the primary
    }
    return JsonResponse(body, status=200 if healthy else 503)


# The service owner's contact details and the statement's dates, from settings where the deployment sets them
# (SERVICE_OWNER_NAME, SERVICE_OWNER_EMAIL, SERVICE_OWNER_PHONE, ACCESSIBILITY_*), else these defaults.
ACCESSIBILITY_DEFAULTS = {
    "SERVICE_OWNER_NAME": "HM Prison and Probation Service",
    "SERVICE_OWNER_EMAIL": "probation-digital@justice.gov.uk",
    "SERVICE_OWNER_PHONE": "",
    "ACCESSIBILITY_PREPARED_ON": "4 December 2026",
    "ACCESSIBILITY_REVIEWED_ON": "4 December 2026",
}


@login_not_required
@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement (GOV.UK's model statement), public: it is for anyone who cannot use the service."""
    context = {name.lower(): getattr(settings, name, default) for name, default in ACCESSIBILITY_DEFAULTS.items()}
    return render(request, "accessibility.html", context)


def server_error(request: HttpRequest) -> HttpResponse:
    # Rendered without the request, so no context processor touches the database: it may be what failed.
    html = render_to_string("500.html", {"service_name": settings.SERVICE_NAME})
    return HttpResponse(html, status=500)


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "400.html", status=400)
