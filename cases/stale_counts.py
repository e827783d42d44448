"""Which months of performance counts a change to a case made out of date (issue 19, "Fresh").

The unit of work (cases/unit_of_work.py) takes the case's footprint before the change and again after the
ledger refresh: every fact the performance counts read (its obligations with their accountable unit, its
appointments, its sentences' spans and ends, its allocations, its accredited programmes' ends), keyed by the
month it is counted in. The months whose footprint differs are marked stale (`PerformanceStale`): on
PostgreSQL, the footprint after, the comparison with the one before and the marks are one statement
(`mark_changed`). The frequent job recounts only those (regions/performance/rollups.py, `recount_stale`).
Only the months the nightly recount covers are marked.

The recording stamps beside the timeliness measures (issue 18, "Dates people enter") reach the footprint through
the ledger: an obligation keeps its meeting fact's recording lag (met_recording_lag), which a second fact on the
day it was met can change without moving met_on; a contact's own stamp (recorded_at) is in it, and so is an
allocation's (a reallocation moves no obligation).

A change that writes only contacts (`case_change(..., contacts_only=True)`: logging, booking, an outcome, an
amendment) leaves the case's contacts out of its footprint and names the days of the contacts it writes instead
(`CaseChange.contact_at`): their months are marked, with the months whose other facts (the obligations the ledger
derived again) differ. Any write changes a contact's row (its version, at least), so the month of a contact
written always differs: naming it marks what the comparison would, without reading the case's last 13 months of
contacts twice (hundreds of rows, for a long sentence). Such a change writes no other counted fact until the ledger
derives its obligations, so the footprint before is taken then; one that moves no obligation (a telephone call, a
booking) compares nothing and marks the months named (`mark_months_of`). The test suite checks it
(settings.CASE_CHANGE_CHECK_SCOPE): every month whose whole footprint differs after such a change was marked.
"""

import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.db.models import F
from django.utils import timezone

from cases.models import Allocation, Contact, Event, Obligation, PerformanceStale
from interventions.models import Programme

# Each month's counted facts: a set of rows (the ORM's footprint), or the hash of the rows (PostgreSQL's).
Footprint = Mapping[date, set[tuple[object, ...]] | int]
MONTHS_KEPT = 13  # the nightly recount's window: this month and the twelve before it


def window_start(today: date) -> date:
    return (today.replace(day=1) - timedelta(days=366)).replace(day=1)


def _month(day: date) -> date:
    return day.replace(day=1)


def _months(first: date, last: date) -> list[date]:
    months, month = [], _month(first)
    while month <= last:
        months.append(month)
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return months


FOOTPRINT_SQL = """
    SELECT 'o', o.due_on, NULL::date,
           hash_record_extended(ROW(o.id, o.rule, o.due_on, o.met_on, o.void_on, o.missed_on, o.pdu_id, o.team_id,
               o.officer_id, o.met_recording_lag), 0)
    FROM cases_obligation o WHERE o.person_id = %(person)s AND o.due_on >= %(since)s
    UNION ALL
    SELECT 'c', (c.starts_at AT TIME ZONE %(zone)s)::date, NULL::date,
           hash_record_extended(ROW(c.id, c.version, c.starts_at, c.outcome, c.entered_in_error, c.staff_id,
               c.recorded_at, c.type_id, e.pdu_id), 0)
    FROM cases_contact c JOIN cases_event e ON e.id = c.event_id
    WHERE %(contacts)s AND e.person_id = %(person)s AND c.starts_at >= %(moment)s
    UNION ALL
    SELECT 'e', e.sentence_date, e.terminated_on,
           hash_record_extended(ROW(e.id, e.type, e.pdu_id, e.sentence_date, e.terminated_on, e.termination_reason), 0)
    FROM cases_event e WHERE e.person_id = %(person)s
    UNION ALL
    SELECT 'a', a.from_date, NULL::date,
           hash_record_extended(ROW(a.id, a.event_id, a.staff_id, a.from_date, a.to_date, a.recorded_at, e.pdu_id), 0)
    FROM cases_allocation a JOIN cases_event e ON e.id = a.event_id
    WHERE e.person_id = %(person)s AND a.from_date >= %(since)s
    UNION ALL
    SELECT 'p', p.ended_on, NULL::date,
           hash_record_extended(ROW(p.id, p.started_on, p.ended_on, p.outcome, e.pdu_id), 0)
    FROM interventions_programme p JOIN cases_requirement r ON r.id = p.requirement_id
    JOIN cases_event e ON e.id = r.event_id
    WHERE e.person_id = %(person)s AND p.ended_on >= %(since)s
"""


# The footprint month by month, each month's facts as one number: the exclusive or of its rows' 64-bit hashes (a
# fact that changes changes its row's hash, and so the month's, but for a chance of one in 2^64; a text of the rows,
# sorted, took half as long again and was sent back and forth, 80 kB for a case with 800 recent contacts). A
# sentence counts in each month it runs within the window, anything else in the month of its day. Used before the
# change and after.
MONTHLY_SQL = f"""
    SELECT m::date AS month, bit_xor(f.hash)
    FROM ({FOOTPRINT_SQL}) AS f(kind, day, ended, hash)
    CROSS JOIN LATERAL generate_series(
        date_trunc('month', (CASE WHEN f.kind = 'e' THEN greatest(f.day, %(since)s) ELSE f.day END)::timestamp),
        (CASE WHEN f.kind = 'e' THEN least(coalesce(f.ended, %(this_month)s), %(this_month)s)
              ELSE f.day END)::timestamp,
        interval '1 month'
    ) AS m
    GROUP BY 1
"""  # noqa: S608 - our own SQL; every value is a parameter

# After the change: the months (within the window) whose facts differ from those before it (passed in as JSON,
# month by month), and those the change named (the months of the contacts it wrote, when they are left out of the
# footprint), marked stale in the same statement.
MARK_CHANGED_SQL = f"""
    WITH after (month, facts) AS ({MONTHLY_SQL}),
    before AS (SELECT key::date AS month, value::bigint AS facts FROM json_each_text(%(before)s::json)),
    changed AS (
        SELECT month FROM after FULL JOIN before USING (month) WHERE after.facts IS DISTINCT FROM before.facts
        UNION SELECT unnest(%(named)s::date[])
    ),
    marked AS (
        INSERT INTO cases_performancestale (month, marked_at)
        SELECT month, %(now)s::timestamptz FROM changed WHERE month BETWEEN %(since)s AND %(this_month)s
        ORDER BY month
        ON CONFLICT (month) DO UPDATE SET marked_at = EXCLUDED.marked_at
        RETURNING month
    )
    SELECT month FROM marked
"""  # noqa: S608 - our own SQL; every value is a parameter


def _params(person_id: int, contacts: bool) -> dict[str, Any]:
    today = timezone.localdate()
    since = window_start(today)
    return {
        "person": person_id,
        "contacts": contacts,
        "since": since,
        "this_month": today.replace(day=1),
        "moment": timezone.make_aware(datetime.combine(since, time.min)),
        "zone": timezone.get_current_timezone_name(),
    }


def footprint(person_id: int, contacts: bool = True) -> Footprint:
    """The case's counted facts by month, within the recount window (without its contacts, for a change that names
    the days of those it writes): one query on PostgreSQL (a month's facts as the hash of its rows: only compared,
    before and after), five elsewhere."""
    if connection.vendor != "postgresql":
        return _footprint_orm(person_id, contacts)
    with connection.cursor() as cursor:
        cursor.execute(MONTHLY_SQL, _params(person_id, contacts))
        return dict(cursor.fetchall())


def mark_changed(person_id: int, before: Footprint, contacts_on: set[date] | None = None) -> set[date]:
    """Mark stale the months whose footprint the change made differ from `before` (taken before it; without the
    case's contacts if `contacts_on` is given, the days of the contacts the change wrote, whose months are marked
    too): on PostgreSQL the footprint after, the comparison and the marks are one statement."""
    named = sorted({_month(day) for day in contacts_on or ()})
    if connection.vendor != "postgresql":
        months = changed_months(before, _footprint_orm(person_id, contacts_on is None)) | within_window(named)
        mark(months)
        return months
    before_json = json.dumps({month.isoformat(): facts for month, facts in before.items()})
    params = _params(person_id, contacts_on is None) | {"before": before_json, "named": named, "now": timezone.now()}
    with connection.cursor() as cursor:
        cursor.execute(MARK_CHANGED_SQL, params)
        return {month for (month,) in cursor.fetchall()}


def _footprint_orm(person_id: int, contacts: bool = True) -> Footprint:
    """The same facts through the ORM (the SQLite quick-start), five queries (four without the contacts)."""
    today = timezone.localdate()
    since, this_month = window_start(today), today.replace(day=1)
    found: defaultdict[date, set[tuple[object, ...]]] = defaultdict(set)
    obligations = Obligation.objects.filter(person_id=person_id, due_on__gte=since).values_list(
        "id", "rule", "due_on", "met_on", "void_on", "missed_on", "pdu_id", "team_id", "officer_id", "met_recording_lag"
    )
    for o in obligations.order_by():
        found[_month(o[2])].add(("o", *o))
    moment = timezone.make_aware(datetime.combine(since, time.min))
    written = Contact.objects.filter(event__person_id=person_id, starts_at__gte=moment).values_list(
        "id",
        "version",
        "starts_at",
        "outcome",
        "entered_in_error",
        "staff_id",
        "recorded_at",
        "type_id",
        "event__pdu_id",
    )
    for c in written.order_by() if contacts else ():
        found[_month(timezone.localtime(c[2]).date())].add(("c", *c))
    events = Event.objects.filter(person_id=person_id).values_list(
        "id", "type", "pdu_id", "sentence_date", "terminated_on", "termination_reason"
    )
    for e in events.order_by():
        last = min(e[4] or this_month, this_month)
        for month in _months(max(e[3], since), last):
            found[month].add(("e", *e))
    allocations = Allocation.objects.filter(event__person_id=person_id, from_date__gte=since).values_list(
        "id", "event_id", "staff_id", "from_date", "to_date", "recorded_at", F("event__pdu_id")
    )
    for a in allocations.order_by():
        found[_month(a[3])].add(("a", *a))
    programmes = Programme.objects.filter(requirement__event__person_id=person_id, ended_on__gte=since).values_list(
        "id", "started_on", "ended_on", "outcome", F("requirement__event__pdu_id")
    )
    for p in programmes.order_by():
        if p[2] is not None:
            found[_month(p[2])].add(("p", *p))
    return found


def changed_months(before: Footprint, after: Footprint) -> set[date]:
    return within_window(m for m in set(before) | set(after) if before.get(m) != after.get(m))


def within_window(months: Iterable[date]) -> set[date]:
    """The months the nightly recount covers."""
    today = timezone.localdate()
    since, this_month = window_start(today), today.replace(day=1)
    return {m for m in months if since <= m <= this_month}


def mark_months_of(days: Iterable[date]) -> set[date]:
    """Mark stale the months of these days that the nightly recount covers (those of the contacts a change wrote,
    when nothing else it wrote is counted)."""
    months = within_window(_month(day) for day in days)
    mark(months)
    return months


def mark(months: set[date]) -> None:
    """Mark months stale (an upsert: a month already marked is marked again, now)."""
    if not months:
        return
    now = timezone.now()
    PerformanceStale.objects.bulk_create(
        [PerformanceStale(month=m, marked_at=now) for m in sorted(months)],
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["marked_at"],
    )
