"""An event (sentence) on a person, its requirements and licence conditions, and its RO history."""

from datetime import date
from typing import TYPE_CHECKING

from django.db import models
from django.db.models import F, Q

from cases.models.person import Person
from regions.models import PDU, StaffMember

if TYPE_CHECKING:
    from django.db.models.fields.related_descriptors import RelatedManager

    from cases.models.contact import Contact
    from cases.models.enforcement import EnforcementAction


class EventQuerySet(models.QuerySet["Event"]):
    def active(self) -> "EventQuerySet":
        return self.filter(terminated_on__isnull=True)


class Event(models.Model):
    class Type(models.TextChoices):
        COMMUNITY_ORDER = "community_order", "Community order"
        SUSPENDED_SENTENCE_ORDER = "suspended_sentence_order", "Suspended sentence order"
        LICENCE = "licence", "Licence"
        PSS = "pss", "Post-sentence supervision"
        CUSTODY = "custody", "Custody (before release)"

    class TerminationReason(models.TextChoices):
        COMPLETED = "completed", "Completed"
        EARLY_REVOCATION = "early_revocation", "Revoked early for good progress"
        REVOKED = "revoked", "Revoked (with or without re-sentence)"
        REVOKED_BREACH = "revoked_breach", "Revoked for breach"
        REVOKED_FURTHER_OFFENCE = "revoked_further_offence", "Revoked for a further offence"
        RECALLED = "recalled", "Recalled to custody"
        TRANSFERRED_OUT = "transferred_out", "Transferred out of England and Wales"
        DIED = "died", "Died"
        OTHER = "other", "Other"

    # Custodial sentences supervised in the community start from release, not sentence.
    RELEASE_TYPES = frozenset({Type.LICENCE, Type.PSS})

    person = models.ForeignKey(Person, models.PROTECT, related_name="events")
    ref = models.CharField("event number", max_length=10)
    type = models.CharField(max_length=24, choices=Type.choices)
    pdu = models.ForeignKey(PDU, models.PROTECT, related_name="events", verbose_name="PDU")
    sentence_date = models.DateField()
    release_date = models.DateField(null=True, blank=True)
    length_months = models.PositiveSmallIntegerField(null=True, blank=True)
    expected_end_date = models.DateField(null=True, blank=True)
    terminated_on = models.DateField(null=True, blank=True)
    termination_reason = models.CharField(max_length=24, choices=TerminationReason.choices, blank=True)
    termination_note = models.TextField(blank=True, db_default="")  # bulk loads (COPY) may leave it out
    # Custody, before release: the pre-release handover clocks run from these dates (seed 003 rec. 1c-d, 16).
    expected_release_date = models.DateField(null=True, blank=True)
    parole = models.BooleanField("parole case", default=False)
    parole_eligibility_date = models.DateField(null=True, blank=True)
    handover_meeting_on = models.DateField(null=True, blank=True)
    # When the entered dates were recorded (DOMAIN.md, "Dates people enter"): kept by the services, never
    # edited; empty when not known (imported, or ended by the nightly sweep, which enters no date).
    released_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    handover_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    terminated_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    court = models.CharField(max_length=100, blank=True)
    offence = models.CharField(max_length=200, blank=True)

    objects = EventQuerySet.as_manager()

    if TYPE_CHECKING:  # reverse relations declared in modules that import this one
        contacts: RelatedManager[Contact]
        enforcement_actions: RelatedManager[EnforcementAction]

    class Meta:
        ordering = ["person", "ref"]
        constraints = [
            models.UniqueConstraint(fields=["person", "ref"], name="event_ref_unique_per_person"),
            models.CheckConstraint(
                condition=Q(release_date__isnull=True) | Q(release_date__gte=F("sentence_date")),
                name="event_release_after_sentence",
            ),
            models.CheckConstraint(
                condition=~Q(type__in=["licence", "pss"]) | Q(release_date__isnull=False),
                name="event_licence_has_release_date",
            ),
            models.CheckConstraint(
                condition=Q(type__in=["licence", "pss"]) | Q(release_date__isnull=True),
                name="event_order_has_no_release_date",
            ),
            models.CheckConstraint(
                condition=~Q(type="custody") | Q(expected_release_date__isnull=False),
                name="custody_has_expected_release",
            ),
            models.CheckConstraint(
                condition=Q(parole=False) | Q(parole_eligibility_date__isnull=False),
                name="parole_case_has_eligibility_date",
            ),
            models.CheckConstraint(
                condition=Q(expected_end_date__isnull=True) | Q(expected_end_date__gte=F("sentence_date")),
                name="event_end_after_sentence",
            ),
            models.CheckConstraint(
                condition=Q(terminated_on__isnull=True) | Q(terminated_on__gte=F("sentence_date")),
                name="event_terminated_after_sentence",
            ),
            models.CheckConstraint(
                condition=(Q(terminated_on__isnull=True) & Q(termination_reason=""))
                | (Q(terminated_on__isnull=False) & ~Q(termination_reason="")),
                name="event_termination_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(length_months__isnull=True) | Q(length_months__gt=0), name="event_length_positive"
            ),
        ]
        indexes = [
            # The PDU's running sentences without a heap visit: the unallocated list reads 2,000+ a PDU.
            models.Index(
                fields=["pdu"],
                include=["id", "sentence_date", "release_date", "person"],
                condition=Q(terminated_on__isnull=True),
                name="event_pdu_running",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} ({self.sentence_date:%d %b %Y})"

    @property
    def is_active(self) -> bool:
        return self.terminated_on is None

    def refuse_if_ended(self, what: str) -> None:
        """Nothing new is booked, enforced, transferred or planned on an ended sentence (DOMAIN.md)."""
        if self.terminated_on is not None:
            from django.core.exceptions import ValidationError

            raise ValidationError(
                f"This sentence has ended (on {self.terminated_on:%-d %B %Y}, "
                f"{self.get_termination_reason_display().lower()}): {what} cannot be recorded on it"
            )

    @property
    def supervision_starts_on(self) -> date:
        """Sentence date for orders, release date for licences and PSS (DOMAIN.md, RO allocation)."""
        return self.release_date if self.type in self.RELEASE_TYPES and self.release_date else self.sentence_date


class Requirement(models.Model):
    class Type(models.TextChoices):
        UNPAID_WORK = "unpaid_work", "Unpaid work"
        RAR = "rar", "Rehabilitation activity requirement"
        ACCREDITED_PROGRAMME = "accredited_programme", "Accredited programme"
        DRUG_REHABILITATION = "drr", "Drug rehabilitation"
        ALCOHOL_TREATMENT = "atr", "Alcohol treatment"
        MENTAL_HEALTH_TREATMENT = "mhtr", "Mental health treatment"
        CURFEW = "curfew", "Curfew"
        EXCLUSION = "exclusion", "Exclusion"
        OTHER = "other", "Other"
        LICENCE_CONDITION = "licence_condition", "Licence condition"

    event = models.ForeignKey(Event, models.CASCADE, related_name="requirements")
    type = models.CharField(max_length=24, choices=Type.choices)
    hours = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Unpaid work hours (40 to 300)")
    days = models.PositiveSmallIntegerField(null=True, blank=True, help_text="RAR days")
    programme = models.CharField(max_length=100, blank=True, help_text="For example TSP or BBR")
    description = models.CharField(max_length=300, blank=True)
    terminated_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(type="unpaid_work") | (Q(hours__isnull=False) & Q(hours__gte=40) & Q(hours__lte=300)),
                name="requirement_upw_hours_40_to_300",
            ),
            models.CheckConstraint(
                condition=Q(type="unpaid_work") | Q(hours__isnull=True), name="requirement_hours_only_upw"
            ),
            models.CheckConstraint(
                condition=~Q(type="rar") | (Q(days__isnull=False) & Q(days__gt=0)), name="requirement_rar_has_days"
            ),
            models.CheckConstraint(condition=Q(type="rar") | Q(days__isnull=True), name="requirement_days_only_rar"),
            models.CheckConstraint(
                condition=~Q(type="accredited_programme") | ~Q(programme=""), name="requirement_programme_named"
            ),
        ]

    def __str__(self) -> str:
        if self.type == self.Type.UNPAID_WORK:
            return f"Unpaid work: {self.hours} hours"
        if self.type == self.Type.RAR:
            return f"RAR: {self.days} days"
        if self.type == self.Type.ACCREDITED_PROGRAMME:
            return f"Accredited programme: {self.programme}"
        detail = f": {self.description}" if self.description else ""
        return f"{self.get_type_display()}{detail}"


class AllocationQuerySet(models.QuerySet["Allocation"]):
    def current(self) -> "AllocationQuerySet":
        return self.filter(to_date__isnull=True)


class Allocation(models.Model):
    """Who is the Responsible Officer for an event, from when to when, and why it changed (seed 002 para 92).

    `reason_code` is why, coded (blank: not recorded, as for a reallocation imported without one); `reason` is
    a note in words. An override is an allocation made against the rule (a high or very high RoSH, child
    protection or MAPPA case to a probation services officer, or any case to someone at or over capacity): it
    carries the conditions it overrode, the justification, who (allocated_by) and when (override_at)."""

    class Reason(models.TextChoices):
        INITIAL = "initial", "Initial allocation"
        CASELOAD_ADJUSTMENT = "caseload_adjustment", "Caseload adjustment"
        TIER_OR_RISK = "tier_or_risk", "Change of tier or risk"
        ADDRESS = "address", "Change of address"
        OFFICER_LEFT = "officer_left", "Officer left"
        RISK_TO_STAFF = "risk_to_staff", "Risk to staff"
        TRANSFER_IN = "transfer_in", "Transfer in"

    event = models.ForeignKey(Event, models.CASCADE, related_name="allocations")
    staff = models.ForeignKey(StaffMember, models.PROTECT, related_name="allocations")
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=200, blank=True)
    reason_code = models.CharField(
        "reason", max_length=20, choices=Reason.choices, blank=True, default="", db_default=""
    )
    allocated_by = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    override = models.BooleanField(default=False, db_default=False)  # bulk loads (COPY) may leave these out
    override_conditions = models.CharField(max_length=400, blank=True, default="", db_default="")
    override_justification = models.TextField(blank=True, default="", db_default="")
    override_at = models.DateTimeField(null=True, blank=True)
    # When it was recorded (from_date is entered): empty when not known (imported).
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = AllocationQuerySet.as_manager()

    class Meta:
        ordering = ["event", "from_date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"], condition=Q(to_date__isnull=True), name="one_active_ro_per_event"
            ),
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")), name="allocation_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(override=False) | (~Q(override_justification="") & Q(override_at__isnull=False)),
                name="allocation_override_justified",
            ),
        ]
        indexes = [
            models.Index(fields=["staff"], condition=Q(to_date__isnull=True), name="allocation_current_by_staff"),
            models.Index(fields=["-override_at"], condition=Q(override=True), name="allocation_overrides"),
        ]

    def __str__(self) -> str:
        return f"{self.staff.name} from {self.from_date}"
