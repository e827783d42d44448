"""The one way anyone authenticates: Django's model backend behind the lock-out (probation/throttle.py). The
service's sign-in page and the admin's both authenticate through it, so neither can bypass the other's count."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import OuterRef
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

    def get_user(self, user_id: Any) -> Any:
        """The signed-in user of each request, with their staff record and the names of their groups (their
        roles, probation/roles.py) read in the same query: one query where there were three."""
        if connection.vendor != "postgresql":
            return super().get_user(user_id)
        groups = Group.objects.filter(user=OuterRef("pk")).values("name")
        users = get_user_model()._default_manager.select_related("staff").annotate(group_names=ArraySubquery(groups))
        user = users.filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
