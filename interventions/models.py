"""Delivery of requirements: Unpaid Work sessions (seed 002 paras 113-130)."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Case, F, Q, When

from cases.models import Contact, Requirement


class UpwSession(models.Model):
    """One Unpaid Work session: hours worked on placement, hours on education, training and employment
    (ETE, at most 20% of the order), and travel time; or a stand-down when the session could not go ahead."""

    class Placement(models.TextChoices):
        GROUP = "group", "Group"
        INDIVIDUAL = "individual", "Individual"

    class Status(models.TextChoices):
        ATTENDED = "attended", "Attended"
        FAILED = "failed", "Attended but failed to comply"
        ABSENT = "absent", "Did not attend"
        STOOD_DOWN = "stood_down", "Stood down"

    requirement = models.ForeignKey(Requirement, models.PROTECT, related_name="upw_sessions")
    date = models.DateField()
    project = models.CharField(max_length=200, blank=True)
    placement = models.CharField(max_length=10, choices=Placement.choices, default=Placement.GROUP)
    status = models.CharField(max_length=10, choices=Status.choices)
    work_hours = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0"))
    ete_hours = models.DecimalField("ETE hours", max_digits=4, decimal_places=2, default=Decimal("0"))
    travel_hours = models.DecimalField(max_digits=4, decimal_places=2, default=Decimal("0"))
    stand_down_reason = models.CharField(max_length=200, blank=True)
    contact = models.OneToOneField(Contact, models.PROTECT, null=True, blank=True, related_name="upw_session")
    # When it was recorded (DOMAIN.md, "Dates people enter"), kept by the service; empty when not known (imported).
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(work_hours__gte=0) & Q(ete_hours__gte=0) & Q(travel_hours__gte=0),
                name="upw_hours_not_negative",
            ),
            models.CheckConstraint(
                condition=~Q(status="stood_down") | ~Q(stand_down_reason=""), name="upw_stand_down_has_reason"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["attended", "failed"]) | (Q(work_hours=0) & Q(ete_hours=0) & Q(travel_hours=0)),
                name="upw_hours_only_when_attended",
            ),
        ]
        indexes = [models.Index(fields=["requirement", "date"], name="upw_requirement_date")]

    def __str__(self) -> str:
        return f"{self.get_status_display()} on {self.date:%d %b %Y}"

    @property
    def credited_hours(self) -> Decimal:
        return self.work_hours + self.ete_hours + self.travel_hours


class ServiceArea(models.TextChoices):
    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employment"
    FINANCE = "finance", "Finance, benefits and debt"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol"
    MENTORING = "mentoring", "Mentoring"
    MENTAL_HEALTH = "mental_health", "Mental health"
    FAMILY = "family", "Family and relationships"
    WOMEN = "women", "Women's services"


class Service(models.Model):
    """An intervention a provider offers, in one region or (with no region) nationally."""

    name = models.CharField(max_length=200)
    provider = models.CharField(max_length=200)
    area = models.CharField(max_length=20, choices=ServiceArea.choices)
    region = models.ForeignKey("regions.Region", models.PROTECT, null=True, blank=True, related_name="services")
    description = models.TextField(blank=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["area", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "provider", "region"], name="service_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"


class Referral(models.Model):
    class Status(models.TextChoices):
        REFERRED = "referred", "Referred, awaiting a response"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"
        STARTED = "started", "Started"
        COMPLETED = "completed", "Completed"
        WITHDRAWN = "withdrawn", "Withdrawn"

    OPEN = frozenset({Status.REFERRED, Status.ACCEPTED, Status.STARTED})

    event = models.ForeignKey("cases.Event", models.PROTECT, related_name="referrals")
    service = models.ForeignKey(Service, models.PROTECT, related_name="referrals")
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.REFERRED)
    referred_on = models.DateField()
    status_on = models.DateField(help_text="When the current status was reached")
    outcome_notes = models.TextField(blank=True)
    objective = models.ForeignKey("cases.Objective", models.SET_NULL, null=True, blank=True, related_name="referrals")
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-referred_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status_on__gte=models.F("referred_on")), name="referral_dates_in_order"),
            models.UniqueConstraint(  # parallel referrals cannot make two (issue 20, item 9)
                fields=["event", "service"],
                condition=Q(status__in=["referred", "accepted", "started"]),
                name="one_open_referral_per_service",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ({self.get_status_display()})"


class UpwReview(models.Model):
    """The six-month review of an Unpaid Work order whose hours are not yet complete."""

    requirement = models.ForeignKey(Requirement, models.PROTECT, related_name="upw_reviews")
    reviewed_on = models.DateField()
    notes = models.TextField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-reviewed_on", "-id"]  # the latest first

    def __str__(self) -> str:
        return f"Unpaid Work review on {self.reviewed_on:%d %b %Y}"


class ProgrammeQuerySet(models.QuerySet["Programme"]):
    def ending_in(self, start: date, end: date) -> "ProgrammeQuerySet":
        """Started programmes that ended in the period, annotated `ends_on` and `completed`: with their own
        outcome, or unfinished when their sentence ended (DOMAIN.md, "Sentences end": completion measures count
        ends), which is a programme not completed. One never started is a referral, not a programme that ended."""
        return (
            self.filter(started_on__isnull=False)
            .filter(~Q(outcome="") | Q(requirement__event__terminated_on__isnull=False))
            .annotate(
                ends_on=Case(When(~Q(outcome=""), then=F("ended_on")), default=F("requirement__event__terminated_on")),
                completed=Q(outcome="completed"),
            )
            .filter(ends_on__gte=start, ends_on__lte=end)
        )


class Programme(models.Model):
    """How an accredited programme requirement is delivered: referral, eligibility, start and end. Its sessions
    are the programme-session contacts of the sentence between the start and the end."""

    class Eligibility(models.TextChoices):
        PENDING = "pending", "Awaiting an eligibility decision"
        ELIGIBLE = "eligible", "Eligible"
        NOT_ELIGIBLE = "not_eligible", "Not eligible"

    class Outcome(models.TextChoices):
        COMPLETED = "completed", "Completed"
        NOT_COMPLETED = "not_completed", "Not completed"

    requirement = models.OneToOneField(Requirement, models.PROTECT, related_name="programme_delivery")
    referred_on = models.DateField()
    eligibility = models.CharField(max_length=12, choices=Eligibility.choices, default=Eligibility.PENDING)
    eligibility_on = models.DateField(null=True, blank=True)
    eligibility_notes = models.TextField(blank=True)
    started_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=13, choices=Outcome.choices, blank=True)
    outcome_reason = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(eligibility="pending", eligibility_on__isnull=True)
                | (~Q(eligibility="pending") & Q(eligibility_on__gte=models.F("referred_on"))),
                name="programme_eligibility_dated",
            ),
            models.CheckConstraint(
                condition=Q(started_on__isnull=True)
                | (Q(eligibility="eligible") & Q(started_on__gte=models.F("eligibility_on"))),
                name="programme_started_when_eligible",
            ),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(outcome=""))
                | (Q(started_on__isnull=False) & Q(ended_on__gte=models.F("started_on")) & ~Q(outcome="")),
                name="programme_ended_after_start_with_outcome",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="not_completed") | ~Q(outcome_reason=""), name="programme_non_completion_reason"
            ),
            models.CheckConstraint(
                condition=~Q(eligibility="not_eligible") | ~Q(eligibility_notes=""),
                name="programme_ineligible_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.requirement.programme}: {self.stage}"

    @property
    def stage(self) -> str:
        if self.outcome:
            return self.get_outcome_display()
        if self.started_on:
            return "Started"
        return self.get_eligibility_display()
