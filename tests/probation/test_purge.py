"""The nightly purge: once-only keys older than a week, expired sessions and their rows on the sign-in list, and
idle sign-in lock rows go; everything current stays; a second run deletes nothing (issue 20, "Also")."""

from datetime import timedelta

from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.utils import timezone

from probation import jobs
from probation.models import SignInAttempt, SignInGuard, Submission, UserSession


def test_the_purge_removes_what_expired_and_nothing_else(officer) -> None:
    now = timezone.now()
    old, new = Submission.objects.create(key="a" * 32), Submission.objects.create(key="b" * 32)
    Submission.objects.filter(pk=old.pk).update(at=now - timedelta(days=8))
    live, ended = SessionStore(), SessionStore()
    live.create()
    ended.create()
    Session.objects.filter(session_key=ended.session_key).update(expire_date=now - timedelta(seconds=1))
    for key in (str(live.session_key), str(ended.session_key), "gone-already"):
        UserSession.objects.create(session_key=key, user=officer.user, started_at=now)
    SignInGuard.objects.bulk_create([SignInGuard(username="officer"), SignInGuard(username="someone")])
    SignInAttempt.objects.create(username="OFFICER", at=now - timedelta(minutes=1), succeeded=False)

    assert jobs.purge_expired(now) == {"once_only_keys": 1, "sessions": 1, "signed_in_list": 2, "sign_in_locks": 1}
    assert list(Submission.objects.values_list("pk", flat=True)) == [new.pk]
    assert list(Session.objects.values_list("session_key", flat=True)) == [str(live.session_key)]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [str(live.session_key)]
    assert list(SignInGuard.objects.values_list("username", flat=True)) == ["officer"]
    assert jobs.purge_expired(now) == {"once_only_keys": 0, "sessions": 0, "signed_in_list": 0, "sign_in_locks": 0}
