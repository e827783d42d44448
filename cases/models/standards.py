"""The National Standards ledger: the business-day calendar, rule settings, obligations and the flags they raise."""

from django.db import models
from django.db.models import F, FilteredRelation, Q

from cases.models.event import Event
from cases.models.person import Person
from regions.models import PDU, StaffMember, Team


class CalendarDay(models.Model):
    """One row per day: whether it is a working day in England & Wales, and the running count of working days
    up to and including it, so "date + N business days" is one lookup."""

    day = models.DateField(primary_key=True)
    is_working = models.BooleanField()
    working_index = models.PositiveIntegerField(db_index=True)
    holiday = models.CharField(max_length=100, blank=True)
    changed_at = models.DateTimeField(auto_now=True, db_index=True, help_text="Every refresh rewrites it")

    class Meta:
        ordering = ["day"]

    def __str__(self) -> str:
        return f"{self.day:%a %d %b %Y}{' (working)' if self.is_working else ''}"


class RuleSetting(models.Model):
    """An administrator's change to a rule's default period, or to another of its parameters (SETTINGS in
    cases/standards/rules.py). Saving one rebuilds the ledger."""

    rule = models.CharField(max_length=40, unique=True)
    period = models.PositiveSmallIntegerField(
        help_text="In the parameter's own unit, as the list of rules shows: business days, days, months, a number "
        "or a percentage"
    )
    option = models.CharField(
        max_length=40, blank=True, help_text="For the initial sentence plan: 'sentence' or 'first_appointment'"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.rule}: {self.period}"

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        from cases.standards.rules import SETTINGS, Unit

        setting = SETTINGS.get(self.rule)
        if setting is not None and setting.unit == Unit.PERCENT and self.period > 100:
            raise ValidationError({"period": "Enter a percentage from 0 to 100"})


class ObligationQuerySet(models.QuerySet["Obligation"]):
    def to_act_on_by(
        self,
        *,
        officer: StaffMember | int | None = None,
        officers: list[int] | None = None,
        team: Team | int | None = None,
        pdu: PDU | int | None = None,
        unallocated_in: PDU | int | None = None,
    ) -> "ObligationQuerySet":
        """Who must act now (ARCHITECTURE.md): the open items of running events, by the event's *current*
        responsible officer (`officer`, `officers`, or any officer of a `team`), its current PDU (`pdu`), or, for
        the PDU's SPOs, of its events with no responsible officer (`unallocated_in`). Not who is accountable: the
        obligation's own officer, team and PDU stay fixed for the performance pages. Each row carries `acting_id`,
        the current responsible officer (None when unallocated). One join, whatever the caseload."""
        current = FilteredRelation("event__allocations", condition=Q(event__allocations__to_date__isnull=True))
        items = (
            self.filter(state__in=Obligation.OPEN, event__terminated_on__isnull=True)
            .annotate(acting=current)
            .annotate(acting_id=F("acting__staff_id"))
        )
        # Filter through the annotation: a filter on acting__... in a later call would join the allocations again.
        if officer is not None:
            items = items.filter(acting_id=officer.pk if isinstance(officer, StaffMember) else officer)
        if officers is not None:
            items = items.filter(acting_id__in=officers)
        if team is not None:
            items = items.filter(acting_id__in=StaffMember.objects.filter(team=team).values("pk"))
        if pdu is not None:
            items = items.filter(event__pdu=pdu)
        if unallocated_in is not None:
            items = items.filter(event__pdu=unallocated_in, acting__isnull=True)
        return items


class Obligation(models.Model):
    class State(models.TextChoices):
        PENDING = "pending", "Due"
        MET = "met", "Met"
        MET_LATE = "met_late", "Met late"
        OVERDUE = "overdue", "Overdue"
        MISSED = "missed", "Missed"
        NOT_APPLICABLE = "not_applicable", "Not applicable"

    OPEN = (State.PENDING, State.OVERDUE)
    # Counted against a timeliness measure (INTERCHANGE.md): met, met late, overdue and missed.
    JUDGED = (State.MET, State.MET_LATE, State.OVERDUE, State.MISSED)

    person = models.ForeignKey(Person, models.PROTECT, related_name="obligations")
    event = models.ForeignKey(Event, models.PROTECT, related_name="obligations")
    rule = models.CharField(max_length=40)
    subject = models.CharField(max_length=40, blank=True, help_text="What it is about, when a rule opens many")
    starts_on = models.DateField()
    due_on = models.DateField()
    met_on = models.DateField(null=True, blank=True)
    void_on = models.DateField(null=True, blank=True, help_text="When it stopped applying, if before it fell due")
    missed_on = models.DateField(
        null=True, blank=True, help_text="When it closed unmet: its window ended, or its event ended while it was due"
    )
    state = models.CharField(max_length=14, choices=State.choices)
    met_recording_lag = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="Working days from the day the fact that met it happened to the day that fact was recorded; "
        "empty when not met or not known (cases/standards/meeting_facts.py)",
    )
    seen_in_person_before = models.PositiveIntegerField(
        null=True,
        blank=True,
        help_text="A month's face-to-face contact: how many contacts before its month, from the sentence's start, "
        "the person was seen at in person with their RO (the video share counts from there); empty if not counted",
    )
    seen_by_video_before = models.PositiveIntegerField(
        null=True, blank=True, help_text="As seen_in_person_before, seen by video call"
    )
    pdu = models.ForeignKey(PDU, models.PROTECT, related_name="obligations")
    team = models.ForeignKey(Team, models.PROTECT, null=True, blank=True, related_name="obligations")
    officer = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="obligations")
    updated_at = models.DateTimeField(auto_now=True)

    objects = ObligationQuerySet.as_manager()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "rule", "starts_on", "subject"], name="obligation_unique"),
            models.CheckConstraint(condition=Q(due_on__gte=models.F("starts_on")), name="obligation_due_after_start"),
        ]
        indexes = [
            models.Index(fields=["rule", "state", "due_on"], name="obligation_sweep"),
            models.Index(fields=["officer", "state", "due_on"], name="obligation_officer"),
            models.Index(fields=["team", "state", "due_on"], name="obligation_team"),
            models.Index(fields=["pdu", "rule", "due_on"], name="obligation_pdu_rule"),
        ]

    def __str__(self) -> str:
        return f"{self.rule} for {self.event_id}: due {self.due_on}, {self.state}"

    @property
    def title(self) -> str:
        from cases.standards.rules import title

        return title(self.rule)


class Notification(models.Model):
    class Kind(models.TextChoices):
        OVERDUE = "overdue", "Overdue"
        DUE_SOON = "due_soon", "Due soon"

    staff = models.ForeignKey(StaffMember, models.CASCADE, related_name="notifications")
    obligation = models.ForeignKey(Obligation, models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    created_on = models.DateField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["staff", "obligation", "kind"], name="notification_once"),
        ]
        indexes = [models.Index(fields=["staff", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.obligation}"
