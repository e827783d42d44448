"""A session ends at most a working day after signing in, however active (issue 20, item 4); and a leaver's
login and sessions end when they are marked as left, and every access check treats them as no one (item 6)."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cases.access import staff_of, visible_people
from cases.models import Person
from probation.models import UserSession
from probation.roles import roles_of
from tests.factories import PASSWORD


def test_an_active_session_still_ends_ten_hours_after_signing_in(client: Client, officer, time_machine) -> None:
    time_machine.move_to(timezone.now(), tick=False)
    assert client.post("/sign-in/", {"username": "officer", "password": PASSWORD}).status_code == 302
    for _ in range(23):  # a page every 25 minutes, never idle: 9 hours 35 minutes
        time_machine.shift(timedelta(minutes=25))
        assert client.get("/cases/").status_code == 200
    time_machine.shift(timedelta(minutes=25))  # 10 hours
    response = client.get("/cases/", follow=True)
    assert response.redirect_chain[-1][0].startswith("/sign-in/")
    assert "you signed in more than 10 hours ago" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.fixture
def leaver(officer, spo, client: Client):
    """The officer, signed in on their own browser, then marked as left by their SPO."""
    signed_in = Client()
    assert signed_in.post("/sign-in/", {"username": "officer", "password": PASSWORD}).status_code == 302
    client.force_login(spo.user)
    response = client.post(f"/cases/officers/{officer.code}/reallocate/", {"action": "left"})
    assert response.status_code == 302
    officer.refresh_from_db()
    officer.user.refresh_from_db()
    return officer, signed_in


@pytest.mark.parametrize("path", ["/", "/cases/", "/team/", "/cases/search/?q=Example", "/account/"])
def test_a_leaver_is_signed_out_everywhere_and_cannot_sign_in(leaver, path: str, community_order) -> None:
    officer, signed_in = leaver
    assert not officer.active
    assert not officer.user.is_active
    assert not UserSession.objects.filter(user=officer.user).exists()
    response = signed_in.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/sign-in/")
    page = Client().post("/sign-in/", {"username": "officer", "password": PASSWORD}).content.decode()
    assert "Enter a correct username and password" in page or "disabled" in page


def test_an_inactive_staff_record_has_no_access_even_if_the_login_is_active(
    client: Client, officer, community_order
) -> None:
    type(officer).objects.filter(pk=officer.pk).update(active=False)
    officer.user.refresh_from_db()
    assert roles_of(officer.user) == frozenset()
    assert staff_of(officer.user) is None
    assert not visible_people(officer.user).exists()
    assert Person.objects.exists()
    client.force_login(officer.user)
    assert client.get("/").status_code == 403
    assert client.get(f"/cases/{community_order.person.crn}/").status_code in {302, 403, 404}
    assert client.get("/team/").status_code in {302, 403}
