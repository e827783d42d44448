"""Sign-in lock-out, wherever someone authenticates (the service's sign-in, the admin's, any other): the
authentication backend (probation/auth.py) asks here first and records every attempt here, one attempt per
username at a time.

A username is locked for 15 minutes after the last of 5 failures from one client address, or of 20 from any
addresses, since its last success within 15 minutes; even the right password is refused while it is locked.
Locking by address alone let anyone lock everyone out behind the TLS proxy, so an address never locks a
username that has not failed. The client address is REMOTE_ADDR, or, when the request came through a proxy
listed in TRUSTED_PROXIES, the address that proxy forwarded (X-Forwarded-For). Attempts are rows, so every
web process sees them; the count and the check happen under a row lock on the username, so parallel guesses
cannot overrun the limit."""

import ipaddress
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Q
from django.http import HttpRequest
from django.utils import timezone

from probation.models import SignInAttempt, SignInGuard

WINDOW = timedelta(minutes=15)
FROM_ONE_ADDRESS = 5
FROM_ANYWHERE = 20


def _trusted(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(proxy, strict=False) for proxy in settings.TRUSTED_PROXIES)


def address(request: HttpRequest | None) -> str | None:
    """The client's address: the right-most forwarded address that is not itself a trusted proxy, when the
    request came from a trusted proxy; otherwise the address that connected."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    if not remote or not _trusted(remote):
        return remote
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    for hop in reversed(forwarded):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return remote  # a forged or broken header: count the proxy, never trust the text
    return remote


def _key(username: str) -> str:
    return username.lower()[:150]


def locked_until(username: str, ip: str | None, now: datetime | None = None) -> datetime | None:
    """When sign-in opens again for this username from this address, if it is locked now."""
    now = now or timezone.now()
    recent = SignInAttempt.objects.filter(username__iexact=username, at__gt=now - WINDOW)
    since = recent.filter(succeeded=True).aggregate(at=Max("at"))["at"] or now - WINDOW
    failures = recent.filter(succeeded=False, at__gt=since).aggregate(
        anywhere=Count("id"), here=Count("id", filter=Q(ip=ip)), last=Max("at"), last_here=Max("at", filter=Q(ip=ip))
    )
    if failures["anywhere"] >= FROM_ANYWHERE:
        return failures["last"] + WINDOW
    if failures["here"] >= FROM_ONE_ADDRESS:
        return failures["last_here"] + WINDOW
    return None


@contextmanager
def one_attempt_at_a_time(username: str) -> Iterator[None]:
    """A transaction holding the username's row lock: the check and the record of one attempt are atomic."""
    key = _key(username)
    with transaction.atomic():
        SignInGuard.objects.bulk_create([SignInGuard(username=key)], ignore_conflicts=True)
        SignInGuard.objects.select_for_update().get(username=key)
        yield


def record(username: str, ip: str | None, succeeded: bool) -> None:
    SignInAttempt.objects.create(username=username[:150], ip=ip, at=timezone.now(), succeeded=succeeded)
