import pytest
from django.test import Client

from probation.roles import Role
from tests.factories import PASSWORD

HOMES = {
    Role.OFFICER: ("/cases/today/", "Today"),
    Role.SPO: ("/team/", "Tyneside Team 1"),
    Role.PDU_HEAD: ("/pdu/", "Tyneside"),
    Role.REGIONAL_DIRECTOR: ("/region/", "North East"),
    Role.NATIONAL: ("/national/", "All regions"),
    Role.ADMIN: ("/admin-home/", "Service status"),
}


@pytest.mark.parametrize("role", list(Role))
def test_each_role_lands_on_its_own_home_page_after_signing_in(client: Client, everyone, role: Role) -> None:
    username = everyone[role].user.username
    response = client.post("/sign-in/", {"username": username, "password": PASSWORD}, follow=True)
    path, text = HOMES[role]
    assert response.redirect_chain[-1][0] == path
    assert response.status_code == 200
    assert text in response.content.decode()


def test_a_wrong_password_shows_a_govuk_error_summary_and_keeps_the_username(client: Client, officer) -> None:
    response = client.post("/sign-in/", {"username": "officer", "password": "not-it"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in page
    assert "Enter a correct username and password" in page
    assert 'value="officer"' in page
    assert "<title>Error: Sign in - " in page


def test_empty_fields_get_a_message_each(client: Client, db) -> None:
    page = client.post("/sign-in/", {"username": "", "password": ""}).content.decode()
    assert '<a href="#id_username">Enter your username</a>' in page
    assert '<a href="#id_password">Enter your password</a>' in page
    assert "govuk-error-message" in page


def test_every_page_but_sign_in_and_health_asks_you_to_sign_in_first(client: Client, db) -> None:
    for path in ["/", "/cases/", "/team/", "/pdu/", "/region/", "/national/", "/admin-home/"]:
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"].startswith("/sign-in/?next="), path
    assert client.get("/sign-in/").status_code == 200


def test_signing_out_ends_the_session(client: Client, officer) -> None:
    client.force_login(officer.user)
    response = client.post("/sign-out/")
    assert response.status_code == 302
    assert client.get("/cases/").status_code == 302


def test_someone_with_no_role_is_told_to_ask_for_one(client: Client, user_without_role) -> None:
    client.force_login(user_without_role)
    response = client.get("/")
    assert response.status_code == 403
    assert "You do not have a role yet" in response.content.decode()


def test_a_person_with_several_roles_lands_on_the_most_senior_and_sees_each_in_navigation(client: Client, spo) -> None:
    from django.contrib.auth.models import Group

    spo.user.groups.add(Group.objects.get_or_create(name="officer")[0])
    client.force_login(spo.user)
    response = client.get("/", follow=True)
    assert response.redirect_chain[-1][0] == "/team/"
    page = response.content.decode()
    assert 'href="/cases/"' in page
    assert 'aria-current="page"' in page


def test_five_wrong_passwords_lock_the_username_for_15_minutes_even_with_the_right_one(client: Client, officer) -> None:
    from datetime import timedelta

    from probation.models import SignInAttempt

    for _ in range(5):
        client.post("/sign-in/", {"username": "officer", "password": "not-it"})
    refused = client.post("/sign-in/", {"username": "officer", "password": PASSWORD})
    assert refused.status_code == 200
    assert "You have tried to sign in too many times" in refused.content.decode()
    assert "_auth_user_id" not in client.session
    assert {f.name for f in SignInAttempt._meta.get_fields()} == {"id", "username", "ip", "at", "succeeded"}
    SignInAttempt.objects.update(at=SignInAttempt.objects.earliest("at").at - timedelta(minutes=16))
    allowed = client.post("/sign-in/", {"username": "officer", "password": PASSWORD})
    assert allowed.status_code == 302
    assert SignInAttempt.objects.filter(username="officer", succeeded=True).count() == 1


def test_a_success_clears_the_count_and_other_usernames_are_not_locked(client: Client, officer, colleague) -> None:
    for _ in range(4):
        client.post("/sign-in/", {"username": "officer", "password": "not-it"})
    assert client.post("/sign-in/", {"username": "officer", "password": PASSWORD}).status_code == 302
    client.post("/sign-out/")
    for _ in range(4):
        client.post("/sign-in/", {"username": "officer", "password": "not-it"})
    assert client.post("/sign-in/", {"username": "officer", "password": PASSWORD}).status_code == 302
    client.post("/sign-out/")
    assert client.post("/sign-in/", {"username": "colleague", "password": PASSWORD}).status_code == 302
