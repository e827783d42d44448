"""Passwords are kept with Argon2id at OWASP's cost (probation/passwords.py); one kept before with PBKDF2 still
signs in, and is kept again with Argon2id when it does."""

from django.contrib.auth.hashers import PBKDF2PasswordHasher, check_password, identify_hasher, make_password
from django.test import Client

from probation.settings import PASSWORD_HASHERS as PRODUCTION
from tests.factories import PASSWORD


def test_a_new_password_is_kept_with_argon2id_at_owasp_cost(settings) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION
    kept = make_password("a long passphrase")
    assert kept.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$"), kept
    assert check_password("a long passphrase", kept)
    assert not check_password("a long passphrase!", kept)


def test_a_password_kept_with_pbkdf2_signs_in_and_is_kept_again_with_argon2id(
    settings, client: Client, officer
) -> None:
    settings.PASSWORD_HASHERS = PRODUCTION
    user = officer.user
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save(update_fields=["password"])
    response = client.post("/sign-in/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert identify_hasher(user.password).algorithm == "argon2"
    assert "$m=19456,t=2,p=1$" in user.password


def test_an_argon2_password_with_other_parameters_is_kept_again_at_ours(settings, client: Client, officer) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # Django's own: 100 MiB
    user = officer.user
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    assert "$m=102400,t=2,p=8$" in user.password
    settings.PASSWORD_HASHERS = PRODUCTION
    assert client.post("/sign-in/", {"username": user.username, "password": PASSWORD}).status_code == 302
    user.refresh_from_db()
    assert "$m=19456,t=2,p=1$" in user.password
