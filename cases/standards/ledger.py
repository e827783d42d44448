"""Keep the obligation ledger: refresh a case from its facts (inside the service's transaction), sweep states
set-based each night, open each month's contact obligations, remind what is due soon, report and rebuild."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone

from cases import stale_counts
from cases.models import Event, Obligation, OversightTask, Person
from cases.standards import rules
from cases.standards.case_clocks import counted_before
from cases.standards.derive import (
    LOADERS,
    MONTHLY,
    SEEING_RULES,
    WITHOUT_MONTHS,
    Earlier,
    Facts,
    attach,
    derive,
    fact_querysets,
    load,
    month_end,
    of_event,
    of_person,
    seen_before,
    seen_face_to_face_before,
)
from cases.standards.meeting_facts import recording_lag
from probation.read_together_kept import read_together_kept
from regions.models import StaffMember

State = Obligation.State
Key = tuple[int, str, date, str]  # event, rule, starts_on, subject
LOCK_KEY = 7_420_001  # the PostgreSQL advisory lock the ledger jobs share
BATCH = 2000
ANALYZE_AFTER = 10_000  # rows a job adds to a table at once, past which it refreshes the planner's statistics
FIELDS = [
    "due_on", "met_on", "void_on", "missed_on", "state", "pdu_id", "officer_id", "team_id", "met_recording_lag",
    "seen_in_person_before", "seen_by_video_before",
]  # fmt: skip
SEEN_BEFORE = ("seen_in_person_before", "seen_by_video_before")  # empty where not counted: not a difference


def state_on(met_on: date | None, void_on: date | None, due_on: date, day: date, missed_on: date | None = None) -> str:
    """The state an obligation has on a day, after that day's sweep."""
    if met_on is not None and met_on <= day:
        return State.MET if met_on <= due_on else State.MET_LATE
    if void_on is not None and void_on <= day:
        return State.NOT_APPLICABLE
    if missed_on is not None and missed_on <= day:
        return State.MISSED
    return State.OVERDUE if due_on < day else State.PENDING


def _accountable_on(met_on: date | None, void_on: date | None, due_on: date, today: date) -> date:
    """The day whose holder is accountable (ARCHITECTURE.md, "who is accountable"): the day it was met if met on
    or before its due date; otherwise (met late, missed, overdue) its due date; the day it stopped applying if
    it did before it fell due; while it is still pending, today."""
    if met_on is not None and met_on <= due_on:
        return met_on
    if void_on is not None and void_on <= due_on and met_on is None:
        return void_on
    return min(due_on, today)


@dataclass(frozen=True)
class Derived:
    key: Key
    person_id: int
    values: dict[str, Any]


def _derived(facts: list[Facts], today: date) -> list[Derived]:
    current_rules = rules.current()
    teams = {a.staff_id: a.staff_team_id for item in facts for a in item.allocations if hasattr(a, "staff_team_id")}
    officers = {a.staff_id for item in facts for a in item.allocations} - set(teams)
    if officers:  # allocations loaded without their officer's team (derive.load reads it with them)
        teams.update(StaffMember.objects.filter(pk__in=officers).values_list("pk", "team_id"))
    result = []
    for item in facts:
        for row in derive(item, current_rules, today):
            on = _accountable_on(row.met_on, row.void_on, row.due_on, today)
            officer = item.officer_on(on) if item.allocations else None
            values = {
                "due_on": row.due_on,
                "met_on": row.met_on,
                "void_on": row.void_on,
                "missed_on": row.missed_on,
                "state": state_on(row.met_on, row.void_on, row.due_on, today, row.missed_on),
                "pdu_id": item.pdu_on(on),
                "officer_id": officer,
                "team_id": teams.get(officer) if officer else None,
                "met_recording_lag": recording_lag(item, row.rule, row.met_on),
                "seen_in_person_before": row.seen_before[0] if row.seen_before else None,
                "seen_by_video_before": row.seen_before[1] if row.seen_before else None,
            }
            result.append(Derived((item.event.pk, row.rule, row.starts_on, row.subject), item.event.person_id, values))
    return result


def _events(ids: Iterable[int]) -> list[Event]:
    return list(Event.objects.filter(pk__in=list(ids)).select_related("person"))


def refresh_events(event_ids: Iterable[int], today: date | None = None) -> int:
    """Bring these events' obligations in line with their facts; returns how many rows changed."""
    today = today or timezone.localdate()
    events = _events(event_ids)
    if not events:
        return 0
    return _write(events, {d.key: d for d in _derived(load(events), today)})


# An obligation as stored, as the refresh reads it: its id, its key, then FIELDS (values, not a model instance: a
# refresh compares every row of the event and writes the few that moved)
STORED = ("id", "event_id", "rule", "starts_on", "subject", *FIELDS)


def _write(events: list[Event], wanted: dict[Key, "Derived"], stored_rows: list[tuple[Any, ...]] | None = None) -> int:
    """Store what was derived: insert, update and delete only the rows that differ from those stored (given, as
    STORED, when they were read with the facts)."""
    if stored_rows is None:
        stored_rows = list(Obligation.objects.filter(event__in=events).values_list(*STORED))
    stored = {
        (event, rule, starts, subject): (pk, tuple(values)) for pk, event, rule, starts, subject, *values in stored_rows
    }
    if not stored and wanted and connection.vendor == "postgresql":
        return _copy(wanted)  # nothing there yet (a fresh bulk load): one COPY, no model objects
    changed = 0
    stale = [pk for key, (pk, _) in stored.items() if key not in wanted]
    if stale:
        Obligation.objects.filter(pk__in=stale).delete()
        changed += len(stale)
    create, update, now = [], [], timezone.now()
    for key, derived in wanted.items():
        existing = stored.get(key)
        if existing is None:
            create.append(_new(key, derived))
        elif tuple(derived.values[name] for name in FIELDS) != existing[1]:
            update.append(Obligation(pk=existing[0], updated_at=now, **derived.values))
    Obligation.objects.bulk_create(create)
    Obligation.objects.bulk_update(update, [*FIELDS, "updated_at"])
    return changed + len(create) + len(update)


def _copy(wanted: dict[Key, "Derived"]) -> int:
    columns = ["person_id", "event_id", "rule", "subject", "starts_on", *FIELDS, "updated_at"]
    now = timezone.now()
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {Obligation._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for (event_id, rule, starts_on, subject), derived in wanted.items():
            values = derived.values
            copy.write_row((derived.person_id, event_id, rule, subject, starts_on, *(values[f] for f in FIELDS), now))
    return len(wanted)


def refresh_person(person: Person | int, event_id: int | None = None) -> int:
    """Bring every obligation of one person's events in line with their facts (the unit of work's refresh); given
    one of their events, that event's alone (a change whose facts are all that event's: derivation is per event,
    so the others' cannot move, and a case's earlier sentences are not read again for each change to its current
    one)."""
    person_id = person.pk if isinstance(person, Person) else person
    # one round trip: the person, their events, every fact the rules need, and the obligations stored; the
    # statement compiled once per process (its shape depends on the apps' loaders alone)
    if event_id is None:
        rows = read_together_kept(("ledger.refresh_person", tuple(LOADERS)), _person_querysets, person_id)
    else:
        rows = read_together_kept(("ledger.refresh_event", tuple(LOADERS)), _event_querysets, person_id, event_id)
    events = rows["events"]
    if not events:
        return 0
    for event in events:
        event.person = rows["person"][0]
    derived = _derived(attach(events, rows), timezone.localdate())
    return _write(events, {d.key: d for d in derived}, rows["stored"])


def _person_querysets(person_id: int) -> dict[str, QuerySet[Any]]:
    """What refresh_person reads of one person."""
    where = of_person(person_id)
    return {
        "person": Person.objects.filter(pk=person_id),
        "events": Event.objects.filter(**where("")),
        "stored": Obligation.objects.filter(**where("event")).values_list(*STORED),
        **fact_querysets(where),
    }


def _event_querysets(person_id: int, event_id: int) -> dict[str, QuerySet[Any]]:
    """What refresh_person reads of one of a person's events."""
    where = of_event(event_id)
    return {
        "person": Person.objects.filter(pk=person_id),
        "events": Event.objects.filter(person_id=person_id, **where("")),
        "stored": Obligation.objects.filter(**where("event")).values_list(*STORED),
        **fact_querysets(where),
    }


def refresh_seen(person_id: int, event_id: int, since: date) -> int:
    """Bring one event's obligations in line with its facts after a change that wrote only contacts the rules read
    as contacts at which the person was seen, none before `since` (CaseChange.seen_from): only the clocks of seeing
    the person can move (derive.SEEING_RULES), and of the months' contacts only those from the month of `since`.
    Those are derived again from the contacts from that month on and the first seen in person before it
    (derive.seen_before), so the cost is the window's, not the sentence's history's: a sentence of 4,000 contacts
    was read whole for each office visit logged. Where the window has a video call, the contacts seen face to face
    before it are counted too, in the same round trip (the video share counts from the sentence's start). An
    event the window cannot stand in for is derived in full (as is every event on SQLite, the quick-start's
    database): one that has ended; one with no obligation stored (never derived); one where a row the window
    derives, met before it, is not as stored (the ledger was not brought up to date). The test suite derives the
    event in full after each such change and compares (settings.CASE_CHANGE_CHECK_SCOPE)."""
    if connection.vendor != "postgresql":  # the counts before a window are PostgreSQL's (width_bucket)
        return refresh_person(person_id, event_id)
    month = since.replace(day=1)
    moment = timezone.make_aware(datetime.combine(month, time.min))
    rows = read_together_kept(
        ("ledger.refresh_seen", tuple(LOADERS)), _seen_querysets, person_id, event_id, month, moment
    )
    events = rows["events"]
    if not events:
        return 0
    event = events[0]
    event.person = rows["person"][0]
    first_seen = sorted({row[0]: row for row in rows["first_seen"]}.values(), key=lambda row: (row[3], row[0]))
    rows["contacts"] = [*first_seen, *rows["contacts"]]
    facts = attach(events, rows)
    if event.terminated_on is not None or not rows["derived"]:
        return refresh_person(person_id, event_id)
    stored = {(event_id, rule, starts, subject): values for _, _, rule, starts, subject, *values in rows["stored"]}
    # the share of video calls counts from the sentence's start: the counts of those seen before the window, as
    # the month's own obligation keeps them; or else, where it can keep them, or where there is none and a video
    # call in the window needs them, those the latest earlier month keeps and the contacts since counted (read
    # with the facts: derive.seen_face_to_face_before); not known otherwise, nor needed (no video in the window,
    # or no month's contact to meet)
    counts = _seen_before(stored.get((event_id, MONTHLY, month, "")))
    video_needs_them = event.type not in WITHOUT_MONTHS and any(c.video for c in facts[0].contacts if c.day >= month)
    if counts is not None:
        facts[0].earlier = Earlier(month, counts)
    elif (event_id, MONTHLY, month, "") in stored or video_needs_them:
        kept_since = [(in_person, by_video) for _, in_person, by_video in rows["since"]]
        counted = counted_before(facts[0], month, rows["earlier"], kept_since[0] if kept_since else (0, 0))
        if counted is None:
            return refresh_person(person_id, event_id)
        facts[0].earlier = counted
    else:
        facts[0].earlier = Earlier(month, None)
    wanted = {}
    for derived in _derived(facts, timezone.localdate()):
        _, rule, starts_on, _ = derived.key
        if rule not in SEEING_RULES or (rule == MONTHLY and starts_on < month):
            continue
        met_on = derived.values["met_on"]
        if met_on is not None and met_on < month:
            # met before the window: as stored (its recording lag read the whole day, the window has not)
            kept = stored.get(derived.key)
            if kept is None or kept[FIELDS.index("met_on")] != met_on:
                return refresh_person(person_id, event_id)
            derived.values["met_recording_lag"] = kept[FIELDS.index("met_recording_lag")]
        wanted[derived.key] = derived
    return _write(events, wanted, rows["stored"])


def _seen_before(stored: list[Any] | None) -> tuple[int, int] | None:
    """The counts a month's face-to-face obligation keeps (its values as FIELDS), if it is stored and has them."""
    if stored is None:
        return None
    in_person, video = (stored[FIELDS.index(name)] for name in SEEN_BEFORE)
    return None if in_person is None or video is None else (in_person, video)


def _seen_querysets(person_id: int, event_id: int, month: date, moment: datetime) -> dict[str, QuerySet[Any]]:
    """What refresh_seen reads of one of a person's events: its facts, but of its contacts only those from
    `moment` (the start of `month`) and the first seen in person before it, and of its stored obligations only
    those the window derives again."""
    querysets = _event_querysets(person_id, event_id)
    stored = Obligation.objects.filter(event_id=event_id, rule__in=SEEING_RULES).exclude(
        rule=MONTHLY, starts_on__lt=month
    )
    querysets["stored"] = stored.values_list(*STORED)
    querysets["contacts"] = querysets["contacts"].filter(starts_at__gte=moment)
    querysets["first_seen"] = seen_before(event_id, moment)
    querysets |= seen_face_to_face_before(event_id, month, moment)  # "since" and "earlier", read where needed
    querysets["derived"] = Obligation.objects.filter(event_id=event_id).values_list("id")[:1]  # any at all
    return querysets


def derived_by_event(person_id: int, today: date | None = None) -> dict[int, dict[Key, dict[str, Any]]]:
    """Every obligation the facts give one person's events, by event, as refresh_person would write them (the unit
    of work's check that a change said truly which event it changed)."""
    events = list(Event.objects.filter(person_id=person_id).select_related("person"))
    found: dict[int, dict[Key, dict[str, Any]]] = {event.pk: {} for event in events}
    for derived in _derived(load(events), today or timezone.localdate()):
        found[derived.key[0]][derived.key] = derived.values
    return found


def _new(key: Key, derived: Derived) -> Obligation:
    event_id, rule, starts_on, subject = key
    return Obligation(
        event_id=event_id,
        person_id=derived.person_id,
        rule=rule,
        starts_on=starts_on,
        subject=subject,
        **derived.values,
    )


def follow_officer_to_team(staff_id: int, team_id: int | None) -> int:
    """An obligation counts for its accountable officer's team as it is now (`_derived`): an officer who moves
    team takes their obligations with them, in one statement, as a rebuild would (no change to a case brings them
    all up to date: a change to one sentence derives that sentence alone). The months of performance counts
    whose rows moved are marked stale. Returns how many rows moved."""
    theirs = Obligation.objects.filter(officer_id=staff_id)
    moving = theirs.filter(team_id__isnull=False) if team_id is None else theirs.exclude(team_id=team_id)
    since = stale_counts.window_start(timezone.localdate())
    months = set(moving.filter(due_on__gte=since).dates("due_on", "month"))
    moved = moving.update(team_id=team_id, updated_at=timezone.now())
    stale_counts.mark({m for m in months if m <= timezone.localdate()})
    return moved


# The scheduled jobs -------------------------------------------------------------------------------------


def lock() -> None:
    """Serialise the ledger jobs across schedulers and workers (held to the end of the transaction)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [LOCK_KEY])


# Who must act now (ARCHITECTURE.md): flags and reminders go to the event's current responsible officer, not to
# the officer accountable for the obligation, and only while the event runs (an obligation aliased m).
ACTING = """JOIN cases_allocation a ON a.event_id = m.event_id AND a.to_date IS NULL
    JOIN cases_event ev ON ev.id = m.event_id AND ev.terminated_on IS NULL"""

# The day an open obligation next changes state: a pending one the day after its due date, or the day it was met,
# voided or closed if sooner; an overdue one the day it closes. The sweep selects by it through the index
# obligation_next_change (migration cases 0028, which must hold this very expression).
NEXT_CHANGE = "(CASE WHEN state = 'pending' THEN LEAST(due_on + 1, met_on, void_on, missed_on) ELSE missed_on END)"

STATE_SQL = """
    CASE WHEN met_on IS NOT NULL AND met_on <= %(day)s THEN CASE WHEN met_on <= due_on THEN 'met' ELSE 'met_late' END
         WHEN void_on IS NOT NULL AND void_on <= %(day)s THEN 'not_applicable'
         WHEN missed_on IS NOT NULL AND missed_on <= %(day)s THEN 'missed'
         WHEN due_on < %(day)s THEN 'overdue' ELSE 'pending' END
"""


@transaction.atomic
def sweep(as_of: date | None = None, flag_since: date | None = None) -> dict[str, int]:
    """One set-based statement per rule: move pending obligations whose day has come to their state on the day
    (and overdue ones whose window closed, to missed), and flag to the case's current officer (once) each that is
    now overdue, or became overdue when a late fact was recorded since the last sweep (`flag_since`, by default 35
    days back). Idempotent: a second run changes nothing.

    Only pending rows can change state here: a fact that meets or voids an obligation re-derives it at once."""
    day = as_of or timezone.localdate()
    since = flag_since or day - timedelta(days=35)
    lock()
    open_months(day)
    moved = {}
    table, flags = Obligation._meta.db_table, "cases_notification"
    for name in rules.DEFAULTS:
        with connection.cursor() as cursor:
            if connection.vendor != "postgresql":
                moved[name] = _sweep_without_cte(cursor, name, day, since)
                continue
            cursor.execute(
                f"""
                WITH moved AS (
                    UPDATE {table} SET state = {STATE_SQL}, updated_at = %(now)s
                    WHERE rule = %(rule)s AND state IN ('pending', 'overdue') AND {NEXT_CHANGE} <= %(day)s
                    RETURNING id, event_id, state
                ), flagged AS (
                    INSERT INTO {flags} (staff_id, obligation_id, kind, created_on)
                    SELECT a.staff_id, m.id, 'overdue', %(day)s FROM moved m {ACTING}
                    WHERE m.state = 'overdue'
                    UNION
                    SELECT a.staff_id, m.id, 'overdue', %(day)s FROM {table} m {ACTING}
                    WHERE m.rule = %(rule)s AND m.state = 'overdue' AND m.due_on >= %(since)s
                    ON CONFLICT DO NOTHING
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM moved), (SELECT count(*) FROM flagged)
                """,  # noqa: S608 - the models' own tables; every value is a parameter
                {"day": day, "rule": name, "now": timezone.now(), "since": since},
            )
            moved[name] = cursor.fetchone()[0]
    moved["oversight_tasks"] = open_oversight_tasks()
    return moved


def open_oversight_tasks() -> int:
    """The SPO's task for every open acceptable-absence oversight clock that has none: the clock is derived from
    the contacts (absences imported, or recorded before it was), the pages open the task at once, the sweep for
    the rest. Set-based and idempotent (one open task per event and reason, by constraint)."""
    reason = OversightTask.Reason.ACCEPTABLE_ABSENCES
    has_task = OversightTask.objects.filter(event=OuterRef("event_id"), reason=reason, closed_at__isnull=True)
    waiting = Obligation.objects.filter(
        rule="acceptable_absence_oversight", state__in=Obligation.OPEN, subject__startswith="contact:"
    ).exclude(Exists(has_task))
    tasks = [
        OversightTask(event_id=event, reason=reason, opened_on=start, trigger_id=int(subject.removeprefix("contact:")))
        for event, start, subject in waiting.values_list("event_id", "starts_on", "subject")
    ]
    created = len(OversightTask.objects.bulk_create(tasks, ignore_conflicts=True))
    if created >= ANALYZE_AFTER and connection.vendor == "postgresql":
        # Many tasks at once (a first sweep after an import): until the table is analysed the planner takes it
        # for empty and checks each open clock against every task (67 s at national scale, not 0.1 s).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {OversightTask._meta.db_table}")
    return created


def _sweep_without_cte(cursor: Any, name: str, day: date, since: date) -> int:
    """The same for SQLite (the embedded quick-start), which has no data-modifying WITH: two statements."""
    table, now = Obligation._meta.db_table, timezone.now()
    cursor.execute(
        f"""UPDATE {table} SET state = {STATE_SQL}, updated_at = %(now)s WHERE rule = %(rule)s AND (state = 'pending'
            AND (due_on < %(day)s OR met_on <= %(day)s OR void_on <= %(day)s OR missed_on <= %(day)s)
            OR state = 'overdue' AND missed_on <= %(day)s)""",  # noqa: S608 - our own table
        {"day": day, "rule": name, "now": now},
    )
    moved = cursor.rowcount
    cursor.execute(
        f"""INSERT INTO cases_notification (staff_id, obligation_id, kind, created_on)
            SELECT a.staff_id, m.id, 'overdue', %(day)s FROM {table} m {ACTING} WHERE m.rule = %(rule)s
            AND m.state = 'overdue' AND (m.updated_at = %(now)s OR m.due_on >= %(since)s)
            ON CONFLICT DO NOTHING""",  # noqa: S608 - our own tables
        {"day": day, "rule": name, "now": now, "since": since},
    )
    return int(moved)


def open_months(day: date) -> int:
    """Open this month's (and, to catch up a missed run, last month's) face-to-face obligations for every
    sentence in scope, in one statement per month; rows a case's facts already opened are left alone."""
    first = day.replace(day=1)
    opened = 0
    for month in sorted({first, (first - timedelta(days=1)).replace(day=1)}):
        opened += _open_month(month, month_end(month))
    return opened


def _open_month(month: date, end: date) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO cases_obligation (person_id, event_id, rule, subject, starts_on, due_on, void_on, missed_on,
                                          state, pdu_id, officer_id, team_id, updated_at)
            SELECT e.person_id, e.id, 'monthly_contact', '', %(month)s, %(end)s,
                   CASE WHEN e.terminated_on < %(end)s THEN e.terminated_on END,
                   CASE WHEN e.terminated_on < %(end)s THEN NULL ELSE %(closes)s END,
                   CASE WHEN e.terminated_on < %(end)s AND e.terminated_on <= %(today)s THEN 'not_applicable'
                        WHEN e.terminated_on < %(end)s OR %(end)s >= %(today)s THEN 'pending' ELSE 'missed' END,
                   e.pdu_id, a.staff_id, s.team_id, %(now)s
            FROM cases_event e
            LEFT JOIN cases_allocation a ON a.event_id = e.id AND a.to_date IS NULL
            LEFT JOIN regions_staffmember s ON s.id = a.staff_id
            WHERE e.type IN ('community_order', 'suspended_sentence_order', 'licence')
              AND (e.terminated_on IS NULL OR e.terminated_on >= %(month)s)
              AND CASE WHEN e.type = 'licence' THEN e.release_date ELSE e.sentence_date END IS NOT NULL
              AND CASE WHEN e.type = 'licence' THEN e.release_date ELSE e.sentence_date END <= %(month)s
              AND NOT EXISTS (SELECT 1 FROM cases_enforcementaction r WHERE r.event_id = e.id AND r.kind = 'recall'
                              AND r.decision = 'agreed' AND r.decided_at < %(month_start)s)
            ON CONFLICT (event_id, rule, starts_on, subject) DO NOTHING
            """,
            {
                "month": month,
                "end": end,
                "closes": end + timedelta(days=1),
                "today": timezone.localdate(),
                "now": timezone.now(),
                "month_start": timezone.make_aware(datetime.combine(month, time.min)),
            },
        )
        return cursor.rowcount


@transaction.atomic
def remind(as_of: date | None = None) -> int:
    """Tell each case's current responsible officer, once, of what falls due soon: within the due-soon window, two
    business days unless an administrator changed it (one statement)."""
    day = as_of or timezone.localdate()
    lock()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO cases_notification (staff_id, obligation_id, kind, created_on)
            SELECT a.staff_id, m.id, 'due_soon', %(day)s FROM cases_obligation m {ACTING}
            WHERE m.state = 'pending' AND m.due_on BETWEEN %(day)s AND %(until)s
            ON CONFLICT DO NOTHING
            """,  # noqa: S608 - our own tables; every value is a parameter
            {"day": day, "until": rules.due_soon_until(day)},
        )
        return cursor.rowcount


# Report and rebuild ---------------------------------------------------------------------------------------


def report(as_of: date, crn: str | None = None) -> list[dict[str, Any]]:
    """One row per obligation started by the day, with its state on the day (INTERCHANGE.md)."""
    rows = Obligation.objects.filter(starts_on__lte=as_of).select_related("event__person")
    if crn:
        rows = rows.filter(event__person__crn=crn.upper())
    ordered = rows.order_by("event__person__crn", "event__ref", "rule", "starts_on", "subject").values_list(
        "event__person__crn", "event__ref", "rule", "starts_on", "due_on", "met_on", "void_on", "missed_on"
    )
    return [
        {
            "crn": person,
            "event": ref,
            "rule": rule,
            "starts_on": starts.isoformat(),
            "due_on": due.isoformat(),
            "met_on": met.isoformat() if met and met <= as_of else None,
            "state": state_on(met, void, due, as_of, missed),
        }
        for person, ref, rule, starts, due, met, void, missed in ordered.iterator(chunk_size=BATCH)
    ]


@dataclass
class Difference:
    key: Key
    stored: dict[str, Any] | None
    derived: dict[str, Any] | None

    def __str__(self) -> str:
        event, rule, starts, subject = self.key
        where = f"event {event} {rule} from {starts}{' ' + subject if subject else ''}"
        if self.stored is None:
            return f"missing: {where} {self.derived}"
        if self.derived is None:
            return f"not derived from the facts: {where} {self.stored}"
        changes = {k: (self.stored[k], v) for k, v in self.derived.items() if self.stored.get(k) != v}
        return f"differs: {where} " + ", ".join(f"{k} stored {a} derived {b}" for k, (a, b) in changes.items())


def rebuild(check: bool = False, today: date | None = None, event_ids: list[int] | None = None) -> list[Difference]:
    """Recompute every obligation (or those of some events) from the facts, batch by batch; list each difference
    from the stored ledger and (unless only checking) repair it."""
    today = today or timezone.localdate()
    differences: list[Difference] = []
    ids = event_ids if event_ids is not None else list(Event.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        found, fresh = _rebuild_batch(ids[start : start + BATCH], check, today)
        differences.extend(found)
        differences.extend(Difference(key, None, None) for key in fresh)
    if not check and event_ids is None:
        Obligation.objects.exclude(event_id__in=Event.objects.all()).delete()
    return differences


def rebuild_counting(event_ids: list[int], today: date | None = None, none_stored: bool = False) -> int:
    """Rebuild these events' obligations as `rebuild` does; return how many differences it repaired without
    keeping them (a bulk load's millions of new rows: seed_demo). `none_stored`: the caller knows these events
    have no obligations yet (an empty ledger), so none are read back."""
    today = today or timezone.localdate()
    repaired = 0
    for start in range(0, len(event_ids), BATCH):
        found, fresh = _rebuild_batch(event_ids[start : start + BATCH], False, today, none_stored)
        repaired += len(found) + len(fresh)
    return repaired


def _differs(wanted: dict[str, Any] | None, stored: dict[str, Any] | None) -> bool:
    """Whether an obligation stored differs from the one derived. Counts of contacts seen before its month that
    are not kept (the monthly job opens a month without counting: open_months) are no difference: they are counted
    from the contacts when needed, and written when the row next is."""
    if wanted is None or stored is None:
        return wanted is not stored
    return any(wanted[name] != stored[name] for name in FIELDS if not (name in SEEN_BEFORE and stored[name] is None))


def _stored(batch: list[int]) -> dict[Key, dict[str, Any]]:
    rows = Obligation.objects.filter(event_id__in=batch).values("event_id", "rule", "starts_on", "subject", *FIELDS)
    return {
        (row["event_id"], row["rule"], row["starts_on"], row["subject"]): {f: row[f] for f in FIELDS} for row in rows
    }


def _rebuild_batch(
    batch: list[int], check: bool, today: date, none_stored: bool = False
) -> tuple[list[Difference], list[Key]]:
    """One batch of the rebuild: the differences found (and, unless checking, repaired); or, where the batch had
    no obligations stored (a fresh load), the keys of the rows written without comparing."""
    events = _events(batch)
    derived = {d.key: d for d in _derived(load(events), today)}
    wanted = {key: d.values for key, d in derived.items()}
    stored = {} if none_stored else _stored(batch)
    if not stored and not check:  # a fresh load: every row is new, write them without comparing
        with transaction.atomic():
            _write(events, derived, stored_rows=[])
        return [], list(derived)
    differences = [
        Difference(key, stored.get(key), wanted.get(key))
        for key in sorted(set(wanted) | set(stored), key=str)
        if _differs(wanted.get(key), stored.get(key))
    ]
    if not check and differences:
        with transaction.atomic():
            _write(events, derived)
    return differences, []
