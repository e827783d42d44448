"""Writes to sentence plans. Each save names the plan version it was based on: if someone else saved the
plan since, the save is refused and nothing is written, so neither person's words are lost."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db.models import F
from django.utils import timezone

from cases import entered_dates
from cases.models import Event, Objective, PlanReview, Requirement, SentencePlan
from cases.standards import rules
from cases.unit_of_work import case_change

STALE = "stale"


def next_review_due(plan: SentencePlan, last_review: PlanReview | None) -> date | None:
    """The sentence_plan_review rule's due date, as the ledger has it (six-monthly unless changed in admin)."""
    start = last_review.reviewed_on if last_review else plan.completed_on
    return rules.current()["sentence_plan_review"].due(start) if start else None


def _user(user: User | AnonymousUser) -> User | None:
    return user if user.is_authenticated else None


def plan_for(event: Event, user: User | AnonymousUser) -> SentencePlan:
    """The sentence's plan, started the first time anyone opens it."""
    existing = SentencePlan.objects.filter(event=event).first()
    if existing is not None:
        return existing
    with case_change(event, user, "plan.create") as change:
        plan, _created = SentencePlan.objects.get_or_create(event=event, defaults={"updated_by": _user(user)})
        change.touches(plan)
        return plan


def _claim(plan: SentencePlan, expected_version: int, user: User | AnonymousUser) -> SentencePlan:
    """Move the plan to its next version, only if it is still the version this edit started from."""
    claimed = SentencePlan.objects.filter(pk=plan.pk, version=expected_version).update(
        version=F("version") + 1, updated_at=timezone.now(), updated_by=_user(user)
    )
    current = SentencePlan.objects.select_related("updated_by", "event__person").get(pk=plan.pk)
    if not claimed:
        who = current.updated_by.get_full_name() if current.updated_by else "someone else"
        when = f"{timezone.localtime(current.updated_at):%H:%M on %-d %B}"
        raise ValidationError(
            f"{who} saved this plan at {when}, while you were editing. Your changes are below and have not been "
            "saved: compare them with the plan as it is now, then save again.",
            code=STALE,
        )
    return current


def save_view(
    *, plan: SentencePlan, user: User | AnonymousUser, expected_version: int, persons_view: str
) -> SentencePlan:
    with case_change(plan.event.person_id, user, "plan.change") as change:
        plan = _claim(plan, expected_version, user)
        plan.persons_view = persons_view
        plan.save(update_fields=["persons_view"])
        change.touches(plan, part="persons_view")
        return plan


def objective_save(
    *,
    plan: SentencePlan,
    user: User | AnonymousUser,
    expected_version: int,
    objective: Objective | None,
    fields: dict[str, Any],
    requirements: Iterable[Requirement] | None = None,
) -> Objective:
    """Add or change an objective; `requirements` (when given) are those of the sentence that serve it."""
    with case_change(plan.event.person_id, user, "plan.objective") as change:
        plan.event.refuse_if_ended("a sentence plan change")
        plan = _claim(plan, expected_version, user)
        objective = objective or Objective(plan=plan)
        for name, value in fields.items():
            setattr(objective, name, value)
        objective.full_clean()
        objective.save()
        if requirements is not None:
            chosen = list(requirements)
            if any(r.event_id != plan.event_id for r in chosen):
                raise ValidationError({"requirements": "Choose requirements of this sentence"})
            objective.requirements.set(chosen)
        change.touches(objective, area=objective.area)
        return objective


def complete(*, plan: SentencePlan, user: User | AnonymousUser, expected_version: int, on: date) -> SentencePlan:
    with case_change(plan.event.person_id, user, "plan.complete") as change:
        plan.event.refuse_if_ended("a sentence plan change")
        if plan.status == SentencePlan.Status.COMPLETED:
            raise ValidationError("This plan is already completed: review it instead")
        first = plan.objectives.order_by("created_at").values_list("created_at", flat=True).first()
        if first is None:
            raise ValidationError("Add at least one objective before completing the plan")
        entered_dates.refuse(
            on,
            field="on",
            called="The date the plan was completed",
            limits=[
                entered_dates.started(plan.event),
                (timezone.localtime(first).date(), "when its first objective was recorded"),
            ],
        )
        plan = _claim(plan, expected_version, user)
        plan.status, plan.completed_on = SentencePlan.Status.COMPLETED, on
        plan.completed_recorded_at = timezone.now()
        plan.save(update_fields=["status", "completed_on", "completed_recorded_at"])
        change.touches(plan, on=on.isoformat())
        return plan


def review(
    *,
    plan: SentencePlan,
    user: User | AnonymousUser,
    expected_version: int,
    reviewed_on: date,
    summary: str,
    progress: dict[str, str],
) -> PlanReview:
    """A review records progress against each objective; the objectives keep their latest progress."""
    with case_change(plan.event.person_id, user, "plan.review") as change:
        plan.event.refuse_if_ended("a sentence plan review")
        plan.refresh_from_db()
        if plan.status != SentencePlan.Status.COMPLETED or plan.completed_on is None:
            raise ValidationError("Complete the plan before reviewing it")
        last = plan.reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
        entered_dates.refuse(
            reviewed_on,
            field="reviewed_on",
            called="The date of the review",
            limits=[(plan.completed_on, "when the plan was completed"), (last, "the date of the last review")],
        )
        plan = _claim(plan, expected_version, user)
        for objective in plan.objectives.all():
            if text := progress.get(str(objective.pk), "").strip():
                objective.progress = text
                objective.save(update_fields=["progress", "updated_at"])
        # Created after the objectives it updates, so they do not read as changed since this review.
        result = PlanReview.objects.create(
            plan=plan,
            reviewed_on=reviewed_on,
            summary=summary,
            progress=progress,
            reviewed_by=_user(user),
            recorded_at=timezone.now(),
        )
        change.touches(result)
        return result
