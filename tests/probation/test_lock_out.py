"""One lock-out wherever someone authenticates (issue 20, items 1-3): the admin's sign-in and the service's
count together; a username is locked by its own failures, never by an address's; parallel guesses are counted
one at a time; the client address comes from a proxy only when that proxy is trusted."""

import threading

import pytest
from django.contrib.auth import authenticate
from django.db import connection
from django.test import Client, RequestFactory, override_settings

from probation.models import SignInAttempt
from tests.factories import PASSWORD

WRONG = "not-the-password"


def sign_in(client: Client, path: str, username: str, password: str, **headers: str) -> bool:
    """True when the attempt signed in."""
    client.post(path, {"username": username, "password": password}, **headers)  # type: ignore[arg-type]
    return "_auth_user_id" in client.session


def test_the_admin_sign_in_counts_and_is_refused_like_the_service(client: Client, administrator) -> None:
    for _ in range(5):
        assert not sign_in(client, "/admin/login/", "admin", WRONG)
    assert SignInAttempt.objects.filter(username="admin", succeeded=False).count() == 5
    assert not sign_in(client, "/admin/login/", "admin", PASSWORD)
    page = client.post("/sign-in/", {"username": "admin", "password": PASSWORD}).content.decode()
    assert "You have tried to sign in too many times" in page
    assert "_auth_user_id" not in client.session


def test_failures_at_the_service_lock_the_admin_sign_in_too(client: Client, administrator) -> None:
    for _ in range(5):
        sign_in(client, "/sign-in/", "ADMIN", WRONG)  # usernames are counted whatever their case
    assert not sign_in(client, "/admin/login/", "admin", PASSWORD)


def test_authenticate_itself_refuses_a_locked_username(officer) -> None:
    request = RequestFactory().post("/anywhere/", REMOTE_ADDR="192.0.2.1")
    for _ in range(5):
        assert authenticate(request, username="officer", password=WRONG) is None
    assert authenticate(request, username="officer", password=PASSWORD) is None
    assert SignInAttempt.objects.filter(username="officer").count() == 5  # refusals are not attempts


def test_an_address_with_many_failures_never_locks_a_username_that_has_not_failed(client: Client, officer) -> None:
    for n in range(25):
        sign_in(client, "/sign-in/", f"nobody{n}", WRONG)
    assert sign_in(client, "/sign-in/", "officer", PASSWORD)


@override_settings(TRUSTED_PROXIES=["10.0.0.0/8"])
def test_behind_a_trusted_proxy_the_forwarded_client_is_counted(client: Client, officer) -> None:
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    for _ in range(5):
        sign_in(client, "/sign-in/", "officer", WRONG, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    assert set(SignInAttempt.objects.values_list("ip", flat=True)) == {"203.0.113.5"}
    assert not sign_in(client, "/sign-in/", "officer", PASSWORD, **proxy, HTTP_X_FORWARDED_FOR="203.0.113.5")
    # the officer at their own desk, through the same proxy, is not locked out by someone else's guesses
    assert sign_in(Client(), "/sign-in/", "officer", PASSWORD, **proxy, HTTP_X_FORWARDED_FOR="198.51.100.7, 10.0.0.9")


def test_a_forwarded_header_from_an_untrusted_address_is_ignored(client: Client, officer) -> None:
    for n in range(5):
        sign_in(client, "/sign-in/", "officer", WRONG, REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert set(SignInAttempt.objects.values_list("ip", flat=True)) == {"192.0.2.1"}
    assert not sign_in(client, "/sign-in/", "officer", PASSWORD, REMOTE_ADDR="192.0.2.1")


def test_twenty_failures_from_anywhere_lock_the_username_everywhere(client: Client, officer) -> None:
    for n in range(20):
        sign_in(client, "/sign-in/", "officer", WRONG, REMOTE_ADDR=f"192.0.2.{n + 1}")
    assert not sign_in(client, "/sign-in/", "officer", PASSWORD, REMOTE_ADDR="198.51.100.1")


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_are_counted_one_at_a_time(officer) -> None:
    """12 guesses at once: exactly 5 are checked, the rest refused, and then the right password is refused."""
    start = threading.Barrier(12)
    results: list[object] = []

    def guess() -> None:
        try:
            start.wait()
            request = RequestFactory().post("/sign-in/", REMOTE_ADDR="192.0.2.1")
            results.append(authenticate(request, username="officer", password=WRONG))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [None] * 12
    assert SignInAttempt.objects.filter(username="officer", succeeded=False).count() == 5
    request = RequestFactory().post("/sign-in/", REMOTE_ADDR="192.0.2.1")
    assert authenticate(request, username="officer", password=PASSWORD) is None
