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
    office_address = models.TextField(blank=True, help_text="The PDU's main office, for letters when a team has none")

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
    office_address = models.TextField(blank=True, help_text="Where the team works from: the address on its letters")

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


class WorkloadWeight(models.Model):
    """Reference data: the workload points of one case or court report (NPS Workload Management Tool).
    An administrator may change them; the dashboard and the monthly history read them as they stand."""

    class Kind(models.TextChoices):
        COMMUNITY = "community", "Community case (community order, suspended sentence order)"
        LICENCE = "licence", "Licence case (licence, post-sentence supervision)"
        CUSTODY = "custody", "Custody case (before release)"
        COURT_REPORT = "court_report", "Court report"

    kind = models.CharField(max_length=12, choices=Kind.choices)
    tier = models.CharField(max_length=10, help_text="The tier (A3 to D0); for a court report, standard or fast")
    points = models.PositiveIntegerField()

    class Meta:
        ordering = ["kind", "tier"]
        constraints = [models.UniqueConstraint(fields=["kind", "tier"], name="workload_weight_unique")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.tier}: {self.points} points"


class Reduction(models.Model):
    """Hours a week taken off an officer's caseload work, for a time (or until further notice)."""

    class Kind(models.TextChoices):
        TRAINEE = "trainee", "Trainee"
        PART_TIME = "part_time", "Part-time arrangement (beyond contracted hours)"
        LEAVE = "leave", "Leave (long-term sickness, parental or other leave)"
        OTHER = "other", "Other"

    staff = models.ForeignKey(StaffMember, models.CASCADE, related_name="reductions")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    hours = models.DecimalField(
        max_digits=4, decimal_places=1, validators=[MinValueValidator(Decimal("0.5"))], help_text="Hours a week"
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True, help_text="Leave empty until it is known")
    reason = models.CharField(max_length=200, blank=True, help_text="Required for other reductions")

    class Meta:
        ordering = ["staff", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="reduction_dates_ordered",
            ),
            models.CheckConstraint(condition=~Q(kind="other") | ~Q(reason=""), name="reduction_other_has_reason"),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name}: {self.hours} hours ({self.get_kind_display()})"

    def clean(self) -> None:
        if self.kind == self.Kind.OTHER and not self.reason.strip():
            raise ValidationError({"reason": "Enter the reason for the reduction"})
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "The end date must be on or after the start date"})
        if self.staff_id and self.hours and self.hours > self.staff.contracted_hours:
            raise ValidationError({"hours": "A reduction cannot be more than the officer's contracted hours"})


class CapacitySnapshot(models.Model):
    """An officer's workload at the end of a month (the current month is refreshed nightly)."""

    staff = models.ForeignKey(StaffMember, models.CASCADE, related_name="capacity_history")
    team = models.ForeignKey(Team, models.CASCADE, null=True, related_name="capacity_history")
    month = models.DateField(help_text="The first day of the month")
    cases = models.PositiveIntegerField()
    points = models.PositiveIntegerField()
    available_points = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField(help_text="National Standards items overdue at the month's end")

    class Meta:
        ordering = ["staff", "month"]
        constraints = [models.UniqueConstraint(fields=["staff", "month"], name="capacity_snapshot_unique")]
        indexes = [models.Index(fields=["team", "month"], name="capacity_team_month")]

    def __str__(self) -> str:
        return f"{self.staff} {self.month:%B %Y}: {self.points}/{self.available_points}"
