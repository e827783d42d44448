"""Enforcement: warnings, breach, recall and professional-judgement decisions, and management oversight."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models.contact import Contact
from cases.models.event import Event
from regions.models import StaffMember


class EnforcementActionQuerySet(models.QuerySet["EnforcementAction"]):
    def standing(self) -> "EnforcementActionQuerySet":
        """Not withdrawn: a warning withdrawn when its failure was changed to an outcome that is not one
        answers nothing, and counts for nothing (not even the 12 months in which breach is required)."""
        return self.filter(withdrawn_on__isnull=True)


# A recall waiting for a decision, or agreed and the person not yet back in custody: one at a time per event.
OPEN_RECALL = Q(kind="recall", withdrawn_on__isnull=True, returned_on__isnull=True) & ~Q(decision="not_agreed")


class EnforcementAction(models.Model):
    class Kind(models.TextChoices):
        WARNING = "warning", "Warning"
        BREACH = "breach", "Breach"
        RECALL = "recall", "Recall"
        PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement: no enforcement action"

    class Decision(models.TextChoices):
        AGREED = "agreed", "Agreed"
        NOT_AGREED = "not_agreed", "Not agreed"

    class RecallType(models.TextChoices):
        STANDARD = "standard", "Standard"
        FIXED_TERM = "fixed_term", "Fixed term"

    event = models.ForeignKey(Event, models.PROTECT, related_name="enforcement_actions")
    kind = models.CharField(max_length=22, choices=Kind.choices)
    failure = models.ForeignKey(
        Contact,
        models.PROTECT,
        null=True,
        blank=True,
        related_name="enforcement_actions",
        help_text="The failure it answers",
    )
    on = models.DateField(help_text="Warning letter date; breach: date initiated; recall: date decided")
    rationale = models.TextField(blank=True)
    letter = models.TextField(blank=True, help_text="The warning letter as sent")
    # Breach (Sentencing Act 2020 Sch. 10, Sch. 16): awareness starts the 10-business-day clock (NPS SL014).
    aware_on = models.DateField(null=True, blank=True)
    court_outcome = models.CharField(max_length=200, blank=True)
    resolved_on = models.DateField(null=True, blank=True, help_text="Breach dealt with by the court")
    # Recall: the RO recommends, the SPO decides, the request goes to the recall casework section.
    recall_type = models.CharField(max_length=10, choices=RecallType.choices, blank=True)
    decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    decision_rationale = models.TextField(blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    requested_at = models.DateTimeField(null=True, blank=True)
    returned_on = models.DateField(null=True, blank=True, help_text="Recall: back in custody (the review clock starts)")
    review_completed_on = models.DateField(null=True, blank=True, help_text="Recall: review (Part B) completed")
    withdrawn_on = models.DateField(
        null=True,
        blank=True,
        help_text="Warning withdrawn: its failure's outcome was changed to one that is no failure",
    )
    # When each entered date was recorded (DOMAIN.md, "Dates people enter"), kept by the services, never edited;
    # empty when not known (imported): the warning, breach, judgement or recommendation itself; the recall's
    # decision, request, return to custody and review.
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    decision_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    request_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    returned_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    review_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    resolved_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.PROTECT, null=True, blank=True, related_name="+")

    objects = EnforcementActionQuerySet.as_manager()

    class Meta:
        ordering = ["event", "on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="professional_judgement") | ~Q(rationale=""), name="judgement_has_rationale"
            ),
            models.CheckConstraint(
                condition=~Q(kind="breach") | Q(aware_on__isnull=False), name="breach_has_aware_date"
            ),
            models.CheckConstraint(
                condition=Q(aware_on__isnull=True) | Q(on__gte=F("aware_on")), name="breach_initiated_after_aware"
            ),
            models.CheckConstraint(
                condition=Q(resolved_on__isnull=True) | Q(resolved_on__gte=F("on")),
                name="breach_resolved_after_initiated",
            ),
            models.CheckConstraint(
                condition=Q(requested_at__isnull=True) | Q(decided_at__isnull=False),
                name="recall_requested_after_decision",
            ),
            models.UniqueConstraint(  # parallel recommendations cannot make two (issue 20, item 9)
                fields=["event"], condition=OPEN_RECALL, name="one_open_recall_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.on:%d %b %Y}"

    @property
    def is_standing(self) -> bool:
        """EnforcementActionQuerySet.standing() asked of a row already read: not withdrawn."""
        return self.withdrawn_on is None


class OversightTask(models.Model):
    """Management oversight the SPO owes a case: after the 3rd acceptable absence since the last oversight
    (seed 002 para 106 (iv)), and after an officer's professional judgement not to enforce a failure."""

    class Reason(models.TextChoices):
        ACCEPTABLE_ABSENCES = "acceptable_absences", "Three acceptable absences"
        PROFESSIONAL_JUDGEMENT = "professional_judgement", "Professional judgement not to enforce"

    class Outcome(models.TextChoices):
        AGREE = "agree", "Agrees with the officer"
        DISAGREE = "disagree", "Disagrees with the officer"

    event = models.ForeignKey(Event, models.PROTECT, related_name="oversight_tasks")
    reason = models.CharField(max_length=30, choices=Reason.choices)
    opened_on = models.DateField()
    trigger = models.ForeignKey(Contact, models.PROTECT, null=True, blank=True, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(blank=True)
    # The SPO's view of the officer's handling (blank on oversight recorded before it was asked, or imported).
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["opened_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "reason"], condition=Q(closed_at__isnull=True), name="one_open_oversight_per_reason"
            ),
            models.CheckConstraint(
                condition=Q(closed_at__isnull=True) | ~Q(note="") | Q(outcome="agree"),
                name="oversight_closed_with_note",
            ),
            models.CheckConstraint(
                condition=~Q(outcome="disagree") | ~Q(note=""), name="oversight_disagreement_has_note"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} since {self.opened_on:%d %b %Y}"
