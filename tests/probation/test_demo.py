from datetime import date

import pytest
from django.contrib.auth import authenticate
from django.test import Client

from cases.models import PerformanceRollup
from probation.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo
from probation.roles import Role
from regions.models import PDU, Region, StaffMember, Team


@pytest.mark.django_db
def test_loading_the_demo_twice_changes_nothing() -> None:
    load_demo()
    counts = (Region.objects.count(), PDU.objects.count(), Team.objects.count(), StaffMember.objects.count())
    load_demo()
    assert (Region.objects.count(), PDU.objects.count(), Team.objects.count(), StaffMember.objects.count()) == counts
    assert counts[0] >= 2


@pytest.mark.django_db
def test_there_is_one_demo_login_per_role_and_each_reaches_its_home(client: Client) -> None:
    load_demo()
    assert {login.role for login in DEMO_LOGINS} == set(Role)
    for login in DEMO_LOGINS:
        assert authenticate(username=login.username, password=DEMO_PASSWORD) is not None
        client.logout()
        response = client.post("/sign-in/", {"username": login.username, "password": DEMO_PASSWORD}, follow=True)
        assert response.status_code == 200, login.username
        assert "Your account is not linked" not in response.content.decode(), login.username


@pytest.mark.today("2028-02-29")
@pytest.mark.django_db
def test_the_demo_loads_on_29_february() -> None:
    """The performance history starts a year back, on the first of that month: 29 February 2028 has no
    29 February 2027 to count from (`make run` on a leap day once stopped here)."""
    load_demo()
    months = set(PerformanceRollup.objects.values_list("month", flat=True))
    assert min(months) >= date(2027, 2, 1)
    assert max(months) == date(2028, 2, 1)
