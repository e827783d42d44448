"""Reads of what an officer knows of the person: one query a list, whatever the size of the history."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.utils import timezone

from cases.models import (
    Address,
    Circumstance,
    Disability,
    Person,
    PersonalContact,
    PersonDetailsVersion,
    Predictor,
    Registration,
    RoshAssessment,
)
from cases.models.person import Rosh
from cases.models.risk import AT_RISK

GROUPS = {"children": "Children", "public": "Public", "known_adult": "Known adult", "staff": "Staff"}
LEVELS = {value: str(label).lower() for value, label in Rosh.choices}


def current_adjustments(person: Person, on: date | None = None) -> list[str]:
    """The adjustments agreed for the person's disabilities current today (or on `on`), oldest first, blank
    ones left out: shown where appointments are booked and letters are made."""
    return agreed(adjustments_on(person.pk, on or timezone.localdate()))


def adjustments_on(person_id: int, day: date) -> QuerySet[Disability, tuple[str]]:
    """The adjustments of the person's disabilities current on the day, oldest first, each a row of one text
    (for a statement read together: the case overview's, the booking pages')."""
    return (
        Disability.objects.current(day)
        .filter(person_id=person_id)
        .order_by("from_date", "id")
        .values_list("adjustments")
    )


def agreed(rows: Iterable[tuple[str]]) -> list[str]:
    """The adjustments as they are shown (adjustments_on's rows): blank ones left out."""
    return [text.strip() for (text,) in rows if text.strip()]


def addresses_of(person: Person) -> list[Address]:
    """Current addresses first (where they live before a secondary one), then past ones, latest first."""
    order = Case(
        When(to_date__isnull=False, then=Value(2)),
        When(type__in=Address.HOME_TYPES, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    return list(Address.objects.filter(person=person).annotate(rank=order).order_by("rank", "-from_date", "-id"))


@dataclass
class PersonRecord:
    phones: list
    addresses: list[Address]
    contacts: list[PersonalContact]
    circumstances: list[Circumstance]
    disabilities: list[Disability]
    history: list[PersonDetailsVersion] = field(default_factory=list)


def person_record(person: Person) -> PersonRecord:
    return PersonRecord(
        phones=list(person.phones.order_by("id")),
        addresses=addresses_of(person),
        contacts=list(PersonalContact.objects.filter(person=person).order_by("to_date", "name", "id")),
        circumstances=list(Circumstance.objects.filter(person=person).order_by("type", "to_date", "-from_date", "-id")),
        disabilities=list(Disability.objects.filter(person=person).order_by("to_date", "-from_date", "-id")),
        history=list(
            PersonDetailsVersion.objects.filter(person=person)
            .select_related("changed_by")
            .order_by("-changed_at", "-id")[:50]
        ),
    )


@dataclass
class RiskSummary:
    """The person's risk at a glance: the latest RoSH assessment and its breakdown, the latest score of each
    predictor, and the flags (with MAPPA category and level) that are current."""

    latest: RoshAssessment | None
    predictors: list[Predictor]
    registrations: list[Registration]

    @property
    def groups(self) -> list[tuple[str, str, str]]:
        """(who is at risk, community level, custody level) of the latest assessment."""
        if self.latest is None:
            return []
        return [
            (
                GROUPS[group],
                LEVELS.get(getattr(self.latest, f"community_{group}"), ""),
                LEVELS.get(getattr(self.latest, f"custody_{group}"), ""),
            )
            for group in AT_RISK
        ]

    @property
    def mappa(self) -> Registration | None:
        return next((r for r in self.registrations if r.type == Registration.Type.MAPPA), None)


def _latest_each(predictors: list[Predictor]) -> list[Predictor]:
    latest: dict[str, Predictor] = {}
    for predictor in predictors:  # ordered name, latest first
        latest.setdefault(predictor.name, predictor)
    return list(latest.values())


PREDICTOR_ORDER = ("name", "-on", "-id")  # each predictor's latest score first


def risk_summary(
    person: Person, registrations: list[Registration] | None = None, predictors: list[Predictor] | None = None
) -> RiskSummary:
    """Three queries (one, given the person's registrations and predictors already read, in PREDICTOR_ORDER),
    for the allocation page."""
    latest = RoshAssessment.objects.filter(person=person).select_related("assessed_by").order_by("-assessed_on", "-id")
    if registrations is None:
        current = Registration.objects.filter(person=person, ended_on__isnull=True)
        registrations = list(current.order_by("type", "-from_date"))
    if predictors is None:
        predictors = list(Predictor.objects.filter(person=person).order_by(*PREDICTOR_ORDER))
    return summarised(latest.first(), predictors, registrations)


def summarised(
    latest: RoshAssessment | None, predictors: list[Predictor], registrations: list[Registration]
) -> RiskSummary:
    """The summary of what was read: the latest assessment, predictors in PREDICTOR_ORDER, any registrations."""
    return RiskSummary(
        latest=latest,
        predictors=_latest_each(predictors),
        registrations=[r for r in registrations if r.ended_on is None],
    )


@dataclass
class RiskInFull:
    summary: RiskSummary
    assessments: list[RoshAssessment]
    predictors: list[Predictor]
    levels: list


def risk_in_full(person: Person) -> RiskInFull:
    assessments = list(
        RoshAssessment.objects.filter(person=person).select_related("assessed_by").order_by("-assessed_on", "-id")[:100]
    )
    predictors = list(Predictor.objects.filter(person=person).order_by("name", "-on", "-id")[:200])
    registrations = list(
        Registration.objects.filter(person=person, ended_on__isnull=True).order_by("type", "-from_date")
    )
    summary = RiskSummary(
        latest=assessments[0] if assessments else None, predictors=_latest_each(predictors), registrations=registrations
    )
    levels = list(person.risk_levels.select_related("recorded_by").order_by("-assessed_on", "-id")[:100])
    return RiskInFull(summary=summary, assessments=assessments, predictors=predictors, levels=levels)
