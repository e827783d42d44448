"""Risk in full: RoSH by who is at risk, in the community and in custody, and the predictor scores."""

from decimal import Decimal

from django.db import models

from cases.models.person import Person, Rosh, highest_rosh
from regions.models import StaffMember

AT_RISK = ("children", "public", "known_adult", "staff")
SETTINGS = ("community", "custody")
LEVEL_FIELDS = tuple(f"{setting}_{group}" for setting in SETTINGS for group in AT_RISK)


def _level(label: str) -> models.CharField:
    return models.CharField(label, max_length=10, choices=Rosh.choices, blank=True)


class RoshAssessment(models.Model):
    """A RoSH assessment with its breakdown; `overall` is the highest level in it. The latest one's
    overall level is the person's RoSH (through their RiskLevel history, the one way Person.rosh is set)."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="rosh_assessments")
    assessed_on = models.DateField()
    assessed_by = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    community_children = _level("Children in the community")
    community_public = _level("The public in the community")
    community_known_adult = _level("A known adult in the community")
    community_staff = _level("Staff in the community")
    custody_children = _level("Children in custody")
    custody_public = _level("The public in custody")
    custody_known_adult = _level("A known adult in custody")
    custody_staff = _level("Staff in custody")
    overall = models.CharField("Overall RoSH", max_length=10, choices=Rosh.choices)
    # When it was recorded (DOMAIN.md, "Dates people enter"): kept by the service; empty when not known (imported).
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_overall_display()} on {self.assessed_on}"

    def highest(self) -> str:
        return highest_rosh([getattr(self, name) for name in LEVEL_FIELDS])

    def breakdown(self, setting: str) -> dict[str, str] | None:
        """The levels in one setting ('community' or 'custody') by who is at risk, or None if not assessed."""
        levels = {group: getattr(self, f"{setting}_{group}") for group in AT_RISK}
        return levels if any(levels.values()) else None


class Predictor(models.Model):
    """A predictor score as recorded (OGRS3, RSR, OSP-C, OSP-I)."""

    class Name(models.TextChoices):
        OGRS3 = "OGRS3", "OGRS3"
        RSR = "RSR", "RSR"
        OSP_C = "OSP-C", "OSP-C"
        OSP_I = "OSP-I", "OSP-I"

    person = models.ForeignKey(Person, models.CASCADE, related_name="predictors")
    name = models.CharField(max_length=5, choices=Name.choices)
    score = models.DecimalField(max_digits=6, decimal_places=2, null=True, blank=True)
    band = models.CharField(max_length=10, choices=Rosh.choices, blank=True)
    on = models.DateField("Date")
    # When it was recorded (DOMAIN.md, "Dates people enter"): kept by the service; empty when not known (imported).
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name", "-on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__isnull=True) | models.Q(score__gte=0), name="predictor_score_not_negative"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.score_text} ({self.band}) on {self.on}"

    @property
    def score_text(self) -> str:
        """The score as recorded, without trailing zeros (34.5, not 34.50)."""
        return "" if self.score is None else f"{Decimal(self.score).normalize():f}"
