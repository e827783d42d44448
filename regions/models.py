"""The organisation: Region > PDU > Team > StaffMember. Depends on nothing else of ours."""

from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

code_validator = RegexValidator(r"^[A-Z0-9][A-Z0-9-]{0,19}$", "Use capital letters, digits and hyphens, like NE-TYN")


class Region(models.Model):
    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PDU(models.Model):
    """A Probation Delivery Unit."""

    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=100)
    region = models.ForeignKey(Region, models.PROTECT, related_name="pdus")

    class Meta:
        ordering = ["name"]
        verbose_name = "PDU"
        verbose_name_plural = "PDUs"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="pdu_name_unique_in_region")]

    def __str__(self) -> str:
        return self.name


class Team(models.Model):
    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=100)
    pdu = models.ForeignKey(PDU, models.PROTECT, related_name="teams")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["pdu", "name"], name="team_name_unique_in_pdu")]

    def __str__(self) -> str:
        return self.name


class StaffMemberQuerySet(models.QuerySet["StaffMember"]):
    def active(self) -> "StaffMemberQuerySet":
        return self.filter(active=True)


class StaffMember(models.Model):
    """A member of staff. Officers and SPOs sit in a team; a PDU head in a PDU; a director in a region;
    national staff in none. The parents of the most specific unit are filled in on save."""

    class Grade(models.TextChoices):
        PSO = "PSO", "Probation services officer"
        PO = "PO", "Probation officer"
        SPO = "SPO", "Senior probation officer"
        HEAD_OF_PDU = "HOPDU", "Head of PDU"
        REGIONAL_DIRECTOR = "RPD", "Regional probation director"
        NATIONAL = "HQ", "National / HQ"
        ADMIN = "ADMIN", "Administrator"

    code = models.CharField(max_length=20, unique=True, validators=[code_validator])
    name = models.CharField(max_length=150)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="staff")
    grade = models.CharField(max_length=5, choices=Grade.choices)
    contracted_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("37"),
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("48"))],
        help_text="Contracted hours a week",
    )
    reduction_hours = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="Hours a week taken off caseload work (training, union duties, other roles)",
    )
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="staff")
    pdu = models.ForeignKey(PDU, models.PROTECT, null=True, blank=True, related_name="staff")
    region = models.ForeignKey(Region, models.PROTECT, null=True, blank=True, related_name="staff")
    active = models.BooleanField(default=True)

    objects = StaffMemberQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "staff member"
        constraints = [
            models.CheckConstraint(
                condition=Q(contracted_hours__gt=0) & Q(contracted_hours__lte=48),
                name="staff_hours_in_range",
            ),
            models.CheckConstraint(
                condition=Q(reduction_hours__gte=0) & Q(reduction_hours__lte=models.F("contracted_hours")),
                name="staff_reduction_within_hours",
            ),
            models.CheckConstraint(condition=Q(team__isnull=True) | Q(pdu__isnull=False), name="staff_team_has_pdu"),
            models.CheckConstraint(
                condition=Q(pdu__isnull=True) | Q(region__isnull=False), name="staff_pdu_has_region"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.team_id is not None:
            self.pdu = self.team.pdu  # type: ignore[union-attr]
        if self.pdu_id is not None:
            self.region_id = self.pdu.region_id  # type: ignore[union-attr]
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if (
            self.reduction_hours is not None
            and self.contracted_hours is not None
            and self.reduction_hours > self.contracted_hours
        ):
            raise ValidationError({"reduction_hours": "Reduction hours must not be more than contracted hours"})
