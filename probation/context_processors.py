from django.conf import settings
from django.http import HttpRequest

from probation.roles import homes_for


def service(request: HttpRequest) -> dict[str, object]:
    return {
        "service_name": settings.SERVICE_NAME,
        "navigation": homes_for(request.user) if hasattr(request, "user") else [],
    }
