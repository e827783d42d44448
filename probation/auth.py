"""The one way anyone authenticates: Django's model backend behind the lock-out (probation/throttle.py). The
service's sign-in page and the admin's both authenticate through it, so neither can bypass the other's count."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from probation import throttle


class LockOutBackend(ModelBackend):
    def authenticate(
        self, request: HttpRequest | None, username: str | None = None, password: str | None = None, **kwargs: Any
    ) -> User | None:
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if not username or password is None:
            return None
        ip = throttle.address(request)
        with throttle.one_attempt_at_a_time(username):
            if throttle.locked_until(username, ip):
                raise PermissionDenied  # Django stops here: no other backend is tried, the failure is signalled
            user = super().authenticate(request, username=username, password=password, **kwargs)
            throttle.record(username, ip, succeeded=user is not None)
        return user
