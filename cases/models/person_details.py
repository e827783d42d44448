"""What an officer needs to know of the person: how to reach them, who matters in their life, their
circumstances and disabilities (with the adjustments agreed), and the history of their personal details."""

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from cases.models.person import Person


def _dates_in_order(name: str) -> models.CheckConstraint:
    return models.CheckConstraint(condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")), name=name)


class CurrentQuerySet(models.QuerySet):
    def current(self, on: date) -> "CurrentQuerySet":
        """Those running on this day: started on or before it and not ended before it."""
        return self.filter(Q(from_date__lte=on), Q(to_date__isnull=True) | Q(to_date__gte=on))


class Phone(models.Model):
    class Type(models.TextChoices):
        MOBILE = "mobile", "Mobile"
        HOME = "home", "Home"
        WORK = "work", "Work"

    person = models.ForeignKey(Person, models.CASCADE, related_name="phones")
    number = models.CharField(max_length=30)
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.MOBILE)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.number} ({self.get_type_display()})"


class PersonalContact(models.Model):
    """Someone who matters in the person's life: next of kin, family, a GP, an employer."""

    class Relationship(models.TextChoices):
        NEXT_OF_KIN = "next_of_kin", "Next of kin"
        FAMILY = "family", "Family member"
        PARTNER = "partner", "Partner"
        GP = "gp", "GP"
        SOCIAL_WORKER = "social_worker", "Social worker"
        EMPLOYER = "employer", "Employer"
        OTHER_PROFESSIONAL = "other_professional", "Other professional"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, models.CASCADE, related_name="personal_contacts")
    name = models.CharField(max_length=200)
    relationship = models.CharField(max_length=20, choices=Relationship.choices)
    phone = models.CharField(max_length=30, blank=True)
    address = models.TextField(blank=True)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["to_date", "name", "id"]
        constraints = [_dates_in_order("personal_contact_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_relationship_display()})"


class Circumstance(models.Model):
    class Type(models.TextChoices):
        ACCOMMODATION = "accommodation", "Accommodation"
        EMPLOYMENT = "employment", "Employment"
        BENEFITS = "benefits", "Benefits"
        CARING_RESPONSIBILITIES = "caring_responsibilities", "Caring responsibilities"
        CHILDREN_IN_HOUSEHOLD = "children_in_household", "Children in the household"

    person = models.ForeignKey(Person, models.CASCADE, related_name="circumstances")
    type = models.CharField(max_length=30, choices=Type.choices)
    value = models.CharField(max_length=200)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["type", "-from_date", "-id"]
        constraints = [_dates_in_order("circumstance_dates_in_order")]

    def __str__(self) -> str:
        return f"{self.get_type_display()}: {self.value}"


class Disability(models.Model):
    """A disability or condition, with the adjustments agreed so the person can comply (shown where
    appointments are booked and letters made)."""

    class Type(models.TextChoices):
        LEARNING_DIFFICULTY = "learning_difficulty", "Learning difficulty"
        LEARNING_DISABILITY = "learning_disability", "Learning disability"
        MENTAL_HEALTH = "mental_health", "Mental health condition"
        MOBILITY = "mobility", "Mobility"
        HEARING = "hearing", "Hearing"
        VISUAL = "visual", "Visual"
        SPEECH = "speech", "Speech"
        NEURODIVERGENCE = "neurodivergence", "Neurodivergence (such as autism or ADHD)"
        LONG_TERM_CONDITION = "long_term_condition", "Long-term health condition"
        OTHER = "other", "Other"

    person = models.ForeignKey(Person, models.CASCADE, related_name="disabilities")
    type = models.CharField(max_length=30, choices=Type.choices)
    adjustments = models.TextField(blank=True, help_text="The adjustments agreed, such as appointments downstairs")
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)

    objects = CurrentQuerySet.as_manager()

    class Meta:
        ordering = ["-from_date", "-id"]
        verbose_name_plural = "disabilities"
        constraints = [_dates_in_order("disability_dates_in_order")]

    def __str__(self) -> str:
        return self.get_type_display()


class PersonDetailsVersion(models.Model):
    """One change to the person's personal details: what each changed field was and became."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="details_history")
    changed_at = models.DateTimeField()
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True, related_name="+")
    changes = models.JSONField(help_text="{field: [before, after]}")

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self) -> str:
        return f"{self.person_id} at {self.changed_at}"

    def was(self) -> list[tuple[str, str]]:
        """Each changed field by its label (in order of the labels), with what it was before the change, in words."""
        labels = {f.name: str(f.verbose_name) for f in Person._meta.get_fields() if hasattr(f, "verbose_name")}

        def shown(value: object) -> str:
            if isinstance(value, bool):
                return "yes" if value else "no"
            if isinstance(value, list):
                return "; ".join(f"{number} ({kind})" for number, kind in value) or "none"
            return str(value) if value else "blank"

        return sorted(
            (labels.get(name, "phone numbers").capitalize(), shown(values[0])) for name, values in self.changes.items()
        )
