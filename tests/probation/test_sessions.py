"""Sessions end after 30 minutes without activity, the warning's check does not count as activity, and
someone can sign out of every session at once."""

import time

import pytest
from django.test import Client

from probation.models import UserSession
from probation.sessions import LAST_ACTIVE
from tests.factories import PASSWORD


def signed_in(username: str) -> Client:
    client = Client()
    response = client.post("/sign-in/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def idle_for(client: Client, seconds: float) -> None:
    session = client.session
    session[LAST_ACTIVE] = time.time() - seconds
    session.save()


def test_a_session_idle_for_30_minutes_is_signed_out_and_sent_to_sign_in_with_a_reason(officer) -> None:
    client = signed_in("officer")
    idle_for(client, 29 * 60)
    assert client.get("/cases/").status_code == 200
    idle_for(client, 30 * 60 + 1)
    response = client.get("/cases/?sort=name")
    assert response.status_code == 302
    assert response["Location"] == "/sign-in/?next=/cases/%3Fsort%3Dname"
    page = client.get(response["Location"]).content.decode()
    assert "You have been signed out because you had not done anything for 30 minutes." in page
    assert client.get("/cases/").status_code == 302  # signed out for good, not just redirected once
    assert not UserSession.objects.exists()


def test_a_page_stamps_activity_at_most_once_a_minute(officer) -> None:
    client = signed_in("officer")
    idle_for(client, 30)
    before = client.session[LAST_ACTIVE]
    client.get("/cases/")
    assert client.session[LAST_ACTIVE] == before  # no session write for every page
    idle_for(client, 61)
    client.get("/cases/")
    assert time.time() - client.session[LAST_ACTIVE] < 5


def test_asking_how_long_is_left_does_not_count_as_activity_but_staying_signed_in_does(officer) -> None:
    client = signed_in("officer")
    assert client.get("/session/stay-signed-in/").status_code == 405
    idle_for(client, 25 * 60)
    response = client.get("/session/")
    assert response["Cache-Control"].startswith("max-age=0")
    assert 299 <= response.json()["seconds_left"] <= 300
    assert 299 <= client.get("/session/").json()["seconds_left"] <= 300
    assert client.post("/session/stay-signed-in/").json()["seconds_left"] == 30 * 60
    assert client.get("/session/").json()["seconds_left"] >= 30 * 60 - 2


def test_the_status_of_an_ended_session_sends_the_page_to_sign_in(officer) -> None:
    client = signed_in("officer")
    idle_for(client, 31 * 60)
    assert client.get("/session/")["Location"].startswith("/sign-in/")


def test_sign_out_everywhere_ends_every_session_of_that_person_and_no_one_elses(officer, colleague) -> None:
    laptop, phone, someone_else = signed_in("officer"), signed_in("officer"), signed_in("colleague")
    assert UserSession.objects.filter(user=officer.user).count() == 2
    page = laptop.get("/account/").content.decode()
    assert page.count('<tr class="govuk-table__row">') == 3  # header and two sessions
    assert "This browser" in page

    response = laptop.post("/account/sign-out-everywhere/", follow=True)

    assert "You have been signed out on every device (2 signed in)." in response.content.decode()
    assert laptop.get("/cases/").status_code == 302
    assert phone.get("/cases/").status_code == 302
    assert someone_else.get("/cases/").status_code == 200
    assert list(UserSession.objects.values_list("user__username", flat=True)) == ["colleague"]


def test_signing_out_forgets_the_session_and_signing_in_drops_ended_ones(officer) -> None:
    client = signed_in("officer")
    client.post("/sign-out/")
    assert not UserSession.objects.exists()
    stale = signed_in("officer")
    stale.session.flush()  # ended without a sign-out, as an expired session is
    from django.contrib.sessions.models import Session

    Session.objects.all().delete()
    signed_in("officer")
    assert UserSession.objects.count() == 1


@pytest.mark.parametrize("path", ["/sign-in/", "/cases/"])
def test_pages_carry_a_strict_content_security_policy_and_private_pages_are_not_stored(officer, path) -> None:
    response = signed_in("officer").get(path) if path != "/sign-in/" else Client().get(path)
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "unsafe" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response["Permissions-Policy"].startswith("camera=()")
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    if path == "/cases/":
        assert "no-store" in response["Cache-Control"]
        assert "private" in response["Cache-Control"]


def test_an_administrator_signs_someone_out_everywhere_from_the_admin(officer, administrator) -> None:
    laptop, phone = signed_in("officer"), signed_in("officer")
    administrator.user.is_superuser = True  # as the demo's administrator is
    administrator.user.save()
    admin_client = Client()
    admin_client.force_login(administrator.user)
    chosen = UserSession.objects.filter(user=officer.user).first()
    assert chosen is not None
    response = admin_client.post(
        "/admin/probation/usersession/",
        {"action": "sign_out_everywhere", "_selected_action": [chosen.pk]},
        follow=True,
    )
    assert "2 sessions ended" in response.content.decode()
    assert laptop.get("/cases/").status_code == 302
    assert phone.get("/cases/").status_code == 302
