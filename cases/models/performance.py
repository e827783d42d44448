from django.db import models

from regions.models import PDU, Team


class PerformanceRollup(models.Model):
    """A measure's counts for one PDU (and team, where the measure is attributed to teams) in one month,
    refreshed nightly from the ledger and the case facts so the performance pages read months, not rows."""

    month = models.DateField(help_text="The first day of the month")
    measure = models.CharField(max_length=40)
    pdu = models.ForeignKey(PDU, models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, models.CASCADE, null=True, blank=True, related_name="+")
    pdu_total = models.BooleanField(default=False, help_text="The PDU's whole count (pages above teams read these)")
    numerator = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    refreshed_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["pdu_total", "month", "measure"], name="rollup_month_measure")]

    def __str__(self) -> str:
        return f"{self.measure} {self.month:%b %Y} {self.pdu_id}: {self.numerator}/{self.denominator}"


class PerformanceStale(models.Model):
    """A month whose performance counts a change to a case has made out of date: marked by the unit of work
    (cases/unit_of_work.py) after the ledger refresh, recounted and cleared by the frequent job
    (regions.tasks.performance_recount). A mark made while a recount runs outlives it (marked_at)."""

    month = models.DateField(unique=True, help_text="The first day of the month")
    marked_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.month:%b %Y} stale since {self.marked_at:%Y-%m-%d %H:%M}"


class KpiTarget(models.Model):
    """Reference data: a measure's target from a date (the latest one in force at the period's end counts)."""

    measure = models.CharField(max_length=40)
    target = models.DecimalField(max_digits=6, decimal_places=4, help_text="As a fraction: 0.9 for 90%")
    effective_from = models.DateField()
    higher_is_better = models.BooleanField(default=True)

    class Meta:
        ordering = ["measure", "-effective_from"]
        constraints = [models.UniqueConstraint(fields=["measure", "effective_from"], name="kpi_target_once_a_day")]
        verbose_name = "KPI target"

    def __str__(self) -> str:
        return f"{self.measure}: {self.target} from {self.effective_from}"
