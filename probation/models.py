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
