"""The signed-in user of each request (probation/auth.py, LockOutBackend.get_user): the user, their staff record
and their roles in one statement, so the pages' checks ask nothing more about them."""

import pytest
from django.contrib.auth.models import User

from probation.auth import LockOutBackend
from probation.roles import Role, roles_of
from regions.models import StaffMember

pytestmark = pytest.mark.django_db


def user_id(staff: StaffMember) -> int:
    assert staff.user is not None
    return staff.user.pk


def test_the_user_comes_with_their_staff_record_and_roles_in_one_query(
    officer: StaffMember, django_assert_num_queries
) -> None:
    for _ in range(2):  # the second read uses the statement kept from the first
        with django_assert_num_queries(1):
            user = LockOutBackend().get_user(user_id(officer))
            assert user.staff.pk == officer.pk
            assert user.staff.user is user
            assert roles_of(user) == {Role.OFFICER}


def test_a_user_without_a_staff_record_is_known_to_have_none(django_assert_num_queries) -> None:
    plain = User.objects.create(username="helpdesk")
    with django_assert_num_queries(1):
        user = LockOutBackend().get_user(plain.pk)
        assert getattr(user, "staff", None) is None
        assert roles_of(user) == frozenset()


def test_a_deactivated_or_unknown_user_is_signed_in_as_no_one(officer: StaffMember) -> None:
    User.objects.filter(pk=user_id(officer)).update(is_active=False)
    assert LockOutBackend().get_user(user_id(officer)) is None
    assert LockOutBackend().get_user(10**9) is None


def test_a_staff_member_who_has_left_holds_no_role(officer: StaffMember) -> None:
    StaffMember.objects.filter(pk=officer.pk).update(active=False)
    assert roles_of(LockOutBackend().get_user(user_id(officer))) == frozenset()
