"""The person on probation, their aliases, addresses, risk levels, registrations and access rules."""

from datetime import date

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import F, Q

from regions.models import PDU, StaffMember

crn_validator = RegexValidator(r"^[A-Z][0-9]{6}$", "Enter a CRN in the correct format, like X123456")
pnc_validator = RegexValidator(
    r"^[0-9]{2,4}/[0-9]{1,7}[A-Z]$", "Enter a PNC number in the correct format, like 2010/0123456X"
)
cro_validator = RegexValidator(
    r"^[0-9]{1,6}/[0-9]{2}[A-Z]$", "Enter a CRO number in the correct format, like 123456/08A"
)


class Rosh(models.TextChoices):
    """Risk of Serious Harm."""

    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"
    VERY_HIGH = "very_high", "Very high"


ROSH_ORDER = {level: rank for rank, level in enumerate(Rosh.values)}


def highest_rosh(levels: "list[str]") -> str:
    """The highest of these RoSH levels (blank ones ignored), or blank when none is given."""
    given = [level for level in levels if level]
    return max(given, key=ROSH_ORDER.__getitem__) if given else ""


TIERS = [f"{letter}{number}" for letter in "ABCD" for number in "3210"] + list("ABCDEFG")
TIER_CHOICES = [(tier, tier) for tier in TIERS]


class Person(models.Model):
    class Gender(models.TextChoices):
        FEMALE = "female", "Female"
        MALE = "male", "Male"
        OTHER = "other", "Other"
        NOT_KNOWN = "not_known", "Not known"

    crn = models.CharField("CRN", max_length=7, unique=True, validators=[crn_validator])
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    pronouns = models.CharField(max_length=50, blank=True)
    date_of_birth = models.DateField()
    cro = models.CharField("CRO number", max_length=12, blank=True, validators=[cro_validator])
    language = models.CharField("Preferred language", max_length=100, blank=True)
    interpreter = models.BooleanField("Interpreter needed", default=False)
    pnc = models.CharField("PNC number", max_length=14, blank=True, validators=[pnc_validator], db_index=True)
    gender = models.CharField(max_length=10, choices=Gender.choices, default=Gender.NOT_KNOWN)
    pdu = models.ForeignKey(PDU, models.PROTECT, related_name="people", verbose_name="PDU")
    rosh = models.CharField("RoSH", max_length=10, choices=Rosh.choices, blank=True)
    tier = models.CharField(max_length=2, choices=TIER_CHOICES, blank=True)
    email = models.EmailField(blank=True)
    # Protected characteristics, recorded for equality monitoring (seed 002 para 174).
    ethnicity = models.CharField(max_length=100, blank=True)
    religion = models.CharField(max_length=100, blank=True)
    sexual_orientation = models.CharField(max_length=100, blank=True)
    disability = models.CharField(max_length=200, blank=True)
    # Shown to staff who may not see a limited-access case.
    access_contact = models.CharField(
        max_length=200, blank=True, help_text="Who to ask about this case if you cannot see it"
    )

    class Meta:
        ordering = ["last_name", "first_name"]
        indexes = [
            models.Index(fields=["date_of_birth"], name="person_dob"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(crn__regex=r"^[A-Z][0-9]{6}$"), name="person_crn_format"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.crn})"

    @property
    def name(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Alias(models.Model):
    person = models.ForeignKey(Person, models.CASCADE, related_name="aliases")
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "aliases"

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class Address(models.Model):
    class Type(models.TextChoices):
        MAIN = "main", "Main address"
        SECONDARY = "secondary", "Secondary address"
        APPROVED_PREMISES = "approved_premises", "Approved premises"
        NO_FIXED_ABODE = "no_fixed_abode", "No fixed abode"

    # Where the person lives: one at a time, and a move closes it (a secondary address runs alongside).
    HOME_TYPES = frozenset({Type.MAIN, Type.APPROVED_PREMISES, Type.NO_FIXED_ABODE})

    person = models.ForeignKey(Person, models.CASCADE, related_name="addresses")
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.MAIN)
    lines = models.TextField(blank=True)
    postcode = models.CharField(max_length=10, blank=True)
    from_date = models.DateField()
    to_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-from_date"]
        verbose_name_plural = "addresses"
        constraints = [
            models.CheckConstraint(
                condition=Q(to_date__isnull=True) | Q(to_date__gte=F("from_date")), name="address_dates_in_order"
            ),
            # One current address where they live (main, approved premises or no fixed abode: the one a move
            # closes); secondary addresses may run alongside it.
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(to_date__isnull=True) & ~Q(type="secondary"),
                name="one_current_home_address",
            ),
        ]

    def __str__(self) -> str:
        return self.lines.splitlines()[0] if self.lines else self.postcode


class RiskLevel(models.Model):
    """The history of RoSH and tier; Person.rosh and Person.tier hold the latest."""

    person = models.ForeignKey(Person, models.CASCADE, related_name="risk_levels")
    rosh = models.CharField("RoSH", max_length=10, choices=Rosh.choices, blank=True)
    tier = models.CharField(max_length=2, choices=TIER_CHOICES, blank=True)
    assessed_on = models.DateField()
    recorded_by = models.ForeignKey(StaffMember, models.PROTECT, null=True, blank=True, related_name="+")
    # When it was recorded (DOMAIN.md, "Dates people enter"): kept by the service; empty when not known (imported).
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_rosh_display()} / {self.tier} on {self.assessed_on}"


class Registration(models.Model):
    """A risk flag on the person, with a date for its next review."""

    class Type(models.TextChoices):
        MAPPA = "mappa", "MAPPA"
        DOMESTIC_ABUSE = "domestic_abuse", "Domestic abuse perpetrator"
        CHILD_PROTECTION = "child_protection", "Child protection"
        SAFEGUARDING = "safeguarding", "Safeguarding concern"
        STALKING = "stalking", "Stalking"
        SELF_HARM = "self_harm", "Risk of self-harm"
        WEAPONS = "weapons", "Weapons"
        HATE_CRIME = "hate_crime", "Hate crime"
        RISK_TO_STAFF = "risk_to_staff", "Risk to staff"

    # Flags that mandate home visits (seed 002 para 94 (vi)).
    HOME_VISIT_TYPES = frozenset({Type.DOMESTIC_ABUSE, Type.CHILD_PROTECTION, Type.SAFEGUARDING})

    person = models.ForeignKey(Person, models.CASCADE, related_name="registrations")
    type = models.CharField(max_length=20, choices=Type.choices)
    mappa_level = models.PositiveSmallIntegerField(
        "MAPPA level", null=True, blank=True, choices=[(1, "1"), (2, "2"), (3, "3")]
    )
    mappa_category = models.PositiveSmallIntegerField(
        "MAPPA category", null=True, blank=True, choices=[(1, "1"), (2, "2"), (3, "3"), (4, "4")]
    )
    from_date = models.DateField()
    review_due = models.DateField(null=True, blank=True)
    ended_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # When it was recorded (DOMAIN.md, "Dates people enter"): kept by the service; empty when not known (imported).
    recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["type", "-from_date"]
        constraints = [
            models.CheckConstraint(
                condition=Q(review_due__isnull=True) | Q(review_due__gte=F("from_date")),
                name="registration_review_after_start",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("from_date")), name="registration_dates_in_order"
            ),
            models.CheckConstraint(
                condition=Q(type="mappa") | (Q(mappa_level__isnull=True) & Q(mappa_category__isnull=True)),
                name="registration_mappa_fields_only_for_mappa",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_type_display()
        return f"{label} level {self.mappa_level}" if self.mappa_level else label

    def is_review_overdue(self, today: date) -> bool:
        return self.ended_on is None and self.review_due is not None and self.review_due < today


class AccessRule(models.Model):
    """Limited access: a restriction lets only the named staff see the case; an exclusion stops the named staff."""

    class Kind(models.TextChoices):
        RESTRICTION = "restriction", "Restricted to"
        EXCLUSION = "exclusion", "Excluded"

    person = models.ForeignKey(Person, models.CASCADE, related_name="access_rules")
    staff = models.ForeignKey(StaffMember, models.CASCADE, related_name="access_rules")
    kind = models.CharField(max_length=11, choices=Kind.choices)
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["person", "staff", "kind"], name="access_rule_unique")]
        indexes = [models.Index(fields=["staff", "kind"], name="access_rule_staff_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.staff} on {self.person.crn}"
