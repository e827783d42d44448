from django.db import models

from cases.models.person import Person
from regions.models import StaffMember


class CourtReport(models.Model):
    """A pre-sentence report an officer is writing for court: it weighs on their workload until completed."""

    class Kind(models.TextChoices):
        STANDARD = "standard", "Standard delivery report"
        FAST = "fast", "Fast delivery report"

    person = models.ForeignKey(Person, models.PROTECT, related_name="court_reports")
    staff = models.ForeignKey(StaffMember, models.PROTECT, related_name="court_reports")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    requested_on = models.DateField()
    due_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on"]
        indexes = [
            models.Index(fields=["staff"], condition=models.Q(completed_on__isnull=True), name="court_report_open")
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.person.crn}, due {self.due_on:%-d %B %Y}"
