"""Sign-in lock-out: after 5 failed attempts on one username, or 20 from one address, within 15 minutes,
sign-in is refused there until 15 minutes after the last failure (even with the right password). A
successful sign-in clears the username's count. Attempts are rows, so every web process sees them."""

from datetime import datetime, timedelta

from django.db.models import Count, Max
from django.http import HttpRequest
from django.utils import timezone

from probation.models import SignInAttempt

WINDOW = timedelta(minutes=15)
PER_USERNAME = 5
PER_ADDRESS = 20


def address(request: HttpRequest | None) -> str | None:
    return request.META.get("REMOTE_ADDR") if request is not None else None


def locked_until(username: str, ip: str | None, now: datetime | None = None) -> datetime | None:
    """When sign-in opens again for this username or address, if it is locked now."""
    now = now or timezone.now()
    recent = SignInAttempt.objects.filter(at__gt=now - WINDOW)
    last_success = (
        recent.filter(username__iexact=username, succeeded=True).aggregate(at=Max("at"))["at"] or now - WINDOW
    )
    failures = recent.filter(succeeded=False)
    by_name = failures.filter(username__iexact=username, at__gt=last_success)
    by_address = failures.filter(ip=ip) if ip else failures.none()
    for attempts, limit in ((by_name, PER_USERNAME), (by_address, PER_ADDRESS)):
        stats = attempts.aggregate(n=Count("id"), last=Max("at"))
        if stats["n"] >= limit:
            return stats["last"] + WINDOW
    return None


def record(username: str, ip: str | None, succeeded: bool) -> None:
    SignInAttempt.objects.create(username=username[:150], ip=ip, at=timezone.now(), succeeded=succeeded)
