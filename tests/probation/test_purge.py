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


def test_the_purge_deletes_in_batches_until_none_is_left(officer, monkeypatch) -> None:
    """Batches smaller than what expired: every expired row still goes, every live one stays, and the sign-in
    list loses exactly the rows whose session has gone (matched with NOT EXISTS)."""
    monkeypatch.setattr(jobs, "PURGE_BATCH", 2)
    now = timezone.now()
    Submission.objects.bulk_create([Submission(key=f"{n:032d}") for n in range(7)])
    Submission.objects.exclude(key=f"{6:032d}").update(at=now - timedelta(days=8))
    stores = [SessionStore() for _ in range(6)]
    for store in stores:
        store.create()
    ended = [str(store.session_key) for store in stores[:5]]
    Session.objects.filter(session_key__in=ended).update(expire_date=now - timedelta(seconds=1))
    live = str(stores[5].session_key)
    for key in [*ended, live]:
        UserSession.objects.create(session_key=key, user=officer.user, started_at=now)

    assert jobs.purge_expired(now) == {"once_only_keys": 6, "sessions": 5, "signed_in_list": 5, "sign_in_locks": 0}
    assert list(Submission.objects.values_list("key", flat=True)) == [f"{6:032d}"]
    assert list(Session.objects.values_list("session_key", flat=True)) == [live]
    assert list(UserSession.objects.values_list("session_key", flat=True)) == [live]
    assert jobs.purge_expired(now) == {"once_only_keys": 0, "sessions": 0, "signed_in_list": 0, "sign_in_locks": 0}
