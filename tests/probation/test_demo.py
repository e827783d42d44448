import pytest
from django.contrib.auth import authenticate
from django.test import Client

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
