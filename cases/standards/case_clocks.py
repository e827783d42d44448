"""The clocks of supervision itself (DOMAIN.md's rule table): RO allocation, the initial appointment,
sentence plans, monthly face-to-face contact and home visits."""

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from cases.calendar_months import add_months
from cases.models import (
    Event,
    Registration,
)
from cases.models.person import Rosh
from cases.standards.derive import (
    HOME_VISIT,
    SEEN,
    Earlier,
    Facts,
    Row,
    Seen,
    _recalled_on,
    deriver,
    month_end,
    monthly_months,
    supervision_start,
)
from cases.standards.rules import Rule


@deriver
def ro_allocation(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    start = supervision_start(item.event)
    if start is None:
        return []
    first = min((a.from_date for a in item.allocations), default=None)
    met = max(first, start) if first else None
    return [Row("ro_allocation", start, rules["ro_allocation"].due(start), met, item.event.terminated_on)]


@deriver
def initial_appointment(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    event = item.event
    start = supervision_start(event)
    if start is None:
        return []
    due = rules["initial_appointment"].due(start, licence=event.type in Event.RELEASE_TYPES)
    return [Row("initial_appointment", start, due, item.first_seen_in_person(start), event.terminated_on)]


@deriver
def initial_sentence_plan(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    event = item.event
    start = supervision_start(event)
    if start is None or event.type == Event.Type.PSS:
        return []
    rule = rules["initial_sentence_plan"]
    if rule.option == "first_appointment":
        start = item.first_seen_in_person(start)
        if start is None:
            return []
    completed = item.plan.completed_on if item.plan else None
    return [Row("initial_sentence_plan", start, rule.due(start), completed, event.terminated_on)]


@deriver
def sentence_plan_review(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    if item.plan is None or item.plan.completed_on is None:
        return []
    rule, start, rows = rules["sentence_plan_review"], item.plan.completed_on, []
    for reviewed in sorted(d for d in item.reviews if d >= item.plan.completed_on):
        if reviewed == start:
            continue
        rows.append(Row("sentence_plan_review", start, rule.due(start), reviewed, item.event.terminated_on))
        start = reviewed
    rows.append(Row("sentence_plan_review", start, rule.due(start), None, item.event.terminated_on))
    return rows


def with_the_officer(item: Facts, contacts: Iterable[Seen]) -> Iterator[Seen]:
    """The attended face-to-face contacts with the RO (or with nobody named) on the event, in time order."""
    for contact in contacts:
        seen = contact.face_to_face and contact.outcome in SEEN
        if seen and contact.staff_id in (None, item.officer_on(contact.day)):
            yield contact


def counted_before(
    item: Facts, begins: date, seen: Iterable[tuple[int | None, int, int, date, date]], since: tuple[int, int]
) -> Earlier | None:
    """The contacts seen face to face with the RO before a window beginning on `begins`, in person and by video
    (counting_contacts counts the video share from the sentence's start), from how many each member of staff had
    between two days with one RO (derive.seen_face_to_face_before). None, and the event is derived in full, if a
    member of staff was the RO for some of their days and not for the rest: a guard (the days of a span have one
    RO), since then only each contact's own day would say which count."""
    in_person, video = since  # those before the contacts counted here (kept with an earlier month)
    for staff, persons, videos, first, last in seen:
        officers = item.officers_between(first, last)
        if staff is None or officers == {staff}:
            in_person, video = in_person + persons, video + videos
        elif staff in officers:
            return None
    return Earlier(begins, (in_person, video))


Tally = list[tuple[date, int, int]]  # after each contact seen face to face with the RO: its day, the counts so far


def counting_contacts(item: Facts, share: int) -> tuple[list[Seen], Tally]:
    """The attended face-to-face contacts with the RO on the event that count towards the monthly minimum: every
    in-person one, and each video that, taking the in-person and video contacts with the RO in time order up to
    and including it, leaves videos no more than `share` per cent of them: cumulative over the sentence, not
    per month (DOMAIN.md, "Monthly face-to-face minimum"). Telephone never counts and is not counted. Facts read
    from a window (ledger.refresh_seen) bring the counts of those before it (`Facts.earlier`); where those are
    not known (no video in the window: every contact in it counts), the tally is empty."""
    known = item.earlier.counts is not None
    counted, tally, (in_person, video) = [], [], item.earlier.counts or (0, 0)
    for contact in with_the_officer(item, item.earlier.after(item.contacts)):  # in time order (derive.load)
        in_person += contact.in_person
        video += contact.video
        if contact.in_person or video * 100 <= share * (in_person + video):
            counted.append(contact)
        if known:
            tally.append((contact.day, in_person, video))
    return counted, tally


def counts_before(item: Facts, tally: Tally, month: date) -> tuple[int, int] | None:
    """The counts of contacts seen face to face with the RO before the month (in person, by video), from the
    tally: None if they are not known."""
    counts = item.earlier.counts
    if counts is None or month < item.earlier.begins:
        return None
    at = bisect_left(tally, (month,))  # the first contact of the month or later
    return tally[at - 1][1:] if at else counts


@deriver
def monthly_contact(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    recalled = _recalled_on(item)
    stops = min((d for d in (item.event.terminated_on, recalled) if d is not None), default=None)
    rule = rules["monthly_contact"]
    minimum, share = rule.part("minimum"), min(rule.part("video_share"), 100)
    contacts, tally = counting_contacts(item, share)
    counted = sorted(c.day for c in contacts)  # already in time order: a pass to check
    rows = []
    for month in monthly_months(item.event, recalled, today):
        end = month_end(month)
        in_month = counted[bisect_left(counted, month) : bisect_right(counted, end)]
        met = in_month[minimum - 1] if minimum and len(in_month) >= minimum else (month if not minimum else None)
        # the month is its window: unmet at its end, it is missed, never overdue (DOMAIN.md)
        missed, before = end + timedelta(days=1), counts_before(item, tally, month)
        rows.append(Row("monthly_contact", month, end, met, stops, missed_on=missed, seen_before=before))
    return rows


def _home_visit_trigger(item: Facts, start: date) -> tuple[date | None, date | None]:
    """When home visits became required, and when they stopped being (if they have)."""
    flags = [r for r in item.registrations if r.type in Registration.HOME_VISIT_TYPES]
    high = item.event.person.rosh in (Rosh.HIGH, Rosh.VERY_HIGH)
    begins = [start] if high else [max(start, r.from_date) for r in flags]
    if not begins:
        return None, None
    ongoing = high or any(r.ended_on is None for r in flags)
    ended = None if ongoing else max(r.ended_on for r in flags if r.ended_on)
    return min(begins), ended


FIRST_VISIT = "first"


@deriver
def home_visit(item: Facts, rules: dict[str, Rule], today: date) -> Iterable[Row]:
    event = item.event
    start = supervision_start(event)
    if start is None:
        return []
    begins, ended = _home_visit_trigger(item, start)
    if begins is None:
        return []
    stops = min((d for d in (event.terminated_on, ended) if d is not None), default=None)
    visits = sorted(c.day for c in item.contacts if c.type == HOME_VISIT and c.outcome in SEEN)
    rows, clock, due, after = [], begins, rules["home_visit"].due(begins), begins - timedelta(days=1)
    subject = FIRST_VISIT  # a visit on the day the first clock starts starts the next the same day: two clocks
    while True:
        met = min((d for d in visits if d > after), default=None)  # each visit meets one clock
        rows.append(Row("home_visit", clock, due, met, stops, subject))
        subject = ""
        if met is None or (stops and met >= stops):
            return rows
        clock, due, after = met, add_months(met, rules["home_visit"].part("repeat")), met
