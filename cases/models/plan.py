"""Sentence plans: objectives by area of need, the person's own words, completion and reviews (seed 002 para 104)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from cases.models.event import Event


class NeedArea(models.TextChoices):
    ACCOMMODATION = "accommodation", "Accommodation"
    ETE = "ete", "Education, training and employment"
    FINANCE = "finance", "Finance, benefits and debt"
    RELATIONSHIPS = "relationships", "Relationships and family"
    SUBSTANCE_MISUSE = "substance_misuse", "Drug and alcohol misuse"
    THINKING = "thinking", "Thinking and behaviour"
    ATTITUDES = "attitudes", "Attitudes"
    HEALTH = "health", "Health and wellbeing"
    LIFESTYLE = "lifestyle", "Lifestyle and associates"


class SentencePlan(models.Model):
    """One plan per event. `version` guards against two people saving over each other."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        COMPLETED = "completed", "Completed"

    event = models.OneToOneField(Event, models.PROTECT, related_name="plan")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    completed_on = models.DateField(null=True, blank=True)
    # When the completion was recorded (DOMAIN.md, "Dates people enter"): empty when not known (imported).
    completed_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    persons_view = models.TextField("in their own words", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(status="completed") & Q(completed_on__isnull=False))
                | (Q(status="draft") & Q(completed_on__isnull=True)),
                name="plan_completed_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"Sentence plan for event {self.event.ref}"


class Objective(models.Model):
    plan = models.ForeignKey(SentencePlan, models.CASCADE, related_name="objectives")
    area = models.CharField("area of need", max_length=20, choices=NeedArea.choices)
    description = models.TextField("objective")
    steps = models.TextField(blank=True)
    who = models.CharField("who will do them", max_length=200, blank=True)
    target_date = models.DateField(null=True, blank=True)
    progress = models.TextField(blank=True)
    achieved = models.BooleanField(default=False)
    requirements = models.ManyToManyField(
        "cases.Requirement", blank=True, related_name="objectives", help_text="The requirements that serve it"
    )
    updated_at = models.DateTimeField(auto_now=True)
    # When it was first recorded: a plan cannot be completed before its first objective existed (DOMAIN.md).
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.get_area_display()}: {self.description[:60]}"


class PlanReview(models.Model):
    plan = models.ForeignKey(SentencePlan, models.PROTECT, related_name="reviews")
    reviewed_on = models.DateField()
    summary = models.TextField()
    progress = models.JSONField(default=dict, help_text="Progress recorded against each objective, by objective id")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)  # empty: not known (imported)

    class Meta:
        ordering = ["reviewed_on", "id"]

    def __str__(self) -> str:
        return f"Review on {self.reviewed_on:%d %b %Y}"
