"""The Unpaid Work clocks of the National Standards ledger: first session (1 month), six-month review (if
the hours are not complete) and completion (12 months), from the sessions and reviews recorded."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db.models import QuerySet

from cases.models import Requirement
from cases.standards.derive import LOADERS as loaders
from cases.standards.derive import Facts, Loader, Row, Where, deriver
from cases.standards.meeting_facts import Stamped, meeting, recorded_day
from cases.standards.rules import Rule
from interventions.models import UpwReview, UpwSession
from interventions.upw import services as upw


def upw_querysets(where: Where) -> dict[str, QuerySet[Any]]:
    """The Unpaid Work requirements of the events `where` names, their sessions and their reviews."""
    upw = Requirement.Type.UNPAID_WORK
    return {
        "upw_requirements": Requirement.objects.filter(type=upw, **where("event")).order_by("id"),
        "upw_sessions": UpwSession.objects.filter(requirement__type=upw, **where("requirement__event")),
        "upw_reviews": UpwReview.objects.filter(requirement__type=upw, **where("requirement__event")).values(
            "requirement_id", "reviewed_on"
        ),
    }


def attach_upw(facts: list[Facts], rows: dict[str, list[Any]]) -> None:
    by_event = {item.event.pk: item for item in facts}
    sessions: dict[int, list[UpwSession]] = defaultdict(list)
    for session in rows["upw_sessions"]:
        sessions[session.requirement_id].append(session)
    reviews: dict[int, list[date]] = defaultdict(list)
    for review in rows["upw_reviews"]:
        reviews[review["requirement_id"]].append(review["reviewed_on"])
    for requirement in rows["upw_requirements"]:
        item = by_event[requirement.event_id]
        requirement.event = item.event
        item.extra.setdefault("upw", []).append(
            (requirement, sessions[requirement.pk], sorted(reviews[requirement.pk]))
        )


@deriver
def upw_clocks(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    rows = []
    start = item.event.sentence_date
    for requirement, sessions, reviews in item.extra.get("upw", []):
        stops = requirement.terminated_on or item.event.terminated_on
        subject = f"requirement:{requirement.pk}"
        summary = upw.summary(requirement, sessions, today, rules)
        rows.append(
            Row(
                "upw_first_session",
                start,
                rules["upw_first_session"].due(start),
                summary.first_attended_on,
                stops,
                subject,
            )
        )
        review_due = rules["upw_review"].due(start)
        done = summary.completed_on
        review_stops = min((d for d in (stops, done) if d is not None), default=None)
        rows.append(Row("upw_review", start, review_due, reviews[0] if reviews else None, review_stops, subject))
        rows.append(Row("upw_completion", start, rules["upw_completion"].due(start), done, stops, subject))
    return rows


@meeting("upw_completion")
def _completing_session(item: Facts, met_on: date) -> Iterable[Stamped]:
    """The hours were completed at a session on the day the obligation was met."""
    done = (UpwSession.Status.ATTENDED, UpwSession.Status.FAILED)
    return [
        (session.date, recorded_day(session.recorded_at))
        for _requirement, sessions, _reviews in item.extra.get("upw", [])
        for session in sessions
        if session.date == met_on and session.status in done
    ]


loaders.append(Loader(upw_querysets, attach_upw))
