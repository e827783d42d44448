from django.conf import settings
from django.db import models


class JobRun(models.Model):
    """When each scheduled job last ran: the admin status page shows it, so a stopped beat is visible."""

    name = models.CharField(max_length=100, unique=True)
    last_run_at = models.DateTimeField()
    runs = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} (last ran {self.last_run_at:%d %b %Y %H:%M})"


class SignInGuard(models.Model):
    """One row per username ever tried (lower-cased): the lock each sign-in attempt holds while it checks the
    lock-out and records itself (probation/throttle.py), so parallel attempts are counted one at a time."""

    username = models.CharField(max_length=150, primary_key=True)

    def __str__(self) -> str:
        return self.username


class SignInAttempt(models.Model):
    """Each sign-in attempt: the lock-out counts recent failures from it, and administrators can see it.
    The username is kept as typed (it may not be an account); no password, ever."""

    username = models.CharField(max_length=150, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    at = models.DateTimeField(db_index=True)
    succeeded = models.BooleanField()

    class Meta:
        ordering = ["-at"]
        indexes = [models.Index(fields=["ip", "at"], name="sign_in_attempt_ip_at")]

    def __str__(self) -> str:
        return f"{self.username} from {self.ip} at {self.at:%d %b %Y %H:%M}: {'ok' if self.succeeded else 'failed'}"


class Submission(models.Model):
    """A form submission already carried out: a form posted twice (a double click, a resend after a
    timeout) carries the same key, and the second is not carried out again."""

    key = models.CharField(max_length=64, unique=True)
    at = models.DateTimeField(auto_now_add=True)
    location = models.CharField(max_length=500, blank=True, help_text="Where the first submission was sent")

    def __str__(self) -> str:
        return self.key


class UserSession(models.Model):
    """A session in which someone is signed in: "sign out everywhere" ends every one of theirs (a lost
    laptop, a shared computer, someone leaving), and they can see where they are signed in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    started_at = models.DateTimeField()
    ip = models.GenericIPAddressField(null=True, blank=True)
    browser = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"{self.user} since {self.started_at:%d %b %Y %H:%M}"
