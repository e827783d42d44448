"""The one way anyone authenticates: Django's model backend behind the lock-out (probation/throttle.py). The
service's sign-in page and the admin's both authenticate through it, so neither can bypass the other's count."""

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, User
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import QuerySet
from django.http import HttpRequest

from probation import throttle
from probation.read_together_kept import read_together_kept
from regions.models import StaffMember


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
        roles, probation/roles.py) read in the same statement, compiled once per process: one query where
        there were three, and no queryset built on each request."""
        if connection.vendor != "postgresql" or not isinstance(user_id, int):
            return super().get_user(user_id)
        rows = read_together_kept(("auth.user",), _user_rows, user_id)
        user = next(iter(rows["user"]), None)
        if user is None or not self.user_can_authenticate(user):
            return None
        staff = next(iter(rows["staff"]), None)
        STAFF.related.set_cached_value(user, staff)  # read: `user.staff` asks nothing more, and None is known
        if staff is not None:
            STAFF.related.field.set_cached_value(staff, user)
        user.group_names = [name for (name,) in rows["groups"]]
        return user


STAFF = get_user_model().staff  # the staff record of a user (StaffMember.user, reverse)


def _user_rows(user_id: int) -> dict[str, QuerySet[Any]]:
    return {
        "user": get_user_model()._default_manager.filter(pk=user_id),
        "staff": StaffMember.objects.filter(user_id=user_id),
        "groups": Group.objects.filter(user=user_id).values_list("name"),
    }
