from django.conf import settings
from django.http import HttpRequest

from probation.roles import navigation_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": navigation_for(request.user) if hasattr(request, "user") else [],
        "session_timeout": {"seconds": settings.SESSION_IDLE_TIMEOUT, "warning": settings.SESSION_TIMEOUT_WARNING},
    }
