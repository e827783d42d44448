"""Every measure counted live, as rows per PDU (and team, where a measure is attributed to teams): each
timeliness measure counts the obligations due in the period as the ledger holds them today (never on a day
still to come: what falls due after today is not yet counted). The nightly job (rollups.py) stores the same
counts per month."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import Count, DateField, Exists, F, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, Greatest, Least, TruncDate
from django.utils import timezone

from cases.models import (
    Allocation,
    CalendarDay,
    Contact,
    EnforcementAction,
    Event,
    Obligation,
    Outcome,
)
from cases.models.contact import SEEN
from cases.standards.meeting_facts import MEETING_FACTS
from regions.models import Team
from regions.performance.measures import (
    CLOCKS,
    COUNTERS,
    ORDERS,
    RECORDED_LATE_BESIDE,
    RELEASES,
    Figures,
    Row,
    counter,
    recorded_late_after,
)


def _moments(start: date, end: date) -> tuple[datetime, datetime]:
    return (
        timezone.make_aware(datetime.combine(start, time.min)),
        timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min)),
    )


def judged(as_of: date) -> Q:
    """The obligations a timeliness measure counts on `as_of` (INTERCHANGE.md): met, met late, overdue or missed;
    not pending (not yet due) and not not-applicable."""
    return Q(met_on__lte=as_of) | (~Q(void_on__lte=as_of) & Q(due_on__lt=as_of))


def met_on_time(as_of: date) -> Q:
    return Q(met_on__lte=as_of) & Q(met_on__lte=F("due_on"))


def counted_on(as_of: date | None = None) -> date:
    """The day the counts are taken: the ledger as it holds them today, never a day still to come."""
    today = timezone.localdate()
    return min(as_of, today) if as_of else today


@counter
def clocks(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Timeliness: obligations due in the period; met on time / met, met late, overdue or missed on `as_of`.
    Beside each (RECORDED_LATE_BESIDE), of those met on time, how many were met by a fact recorded more than 2
    working days (the recorded_late setting) after its date: the obligation keeps its meeting fact's recording
    lag (cases/standards/meeting_facts.py), so both come from one pass over the ledger."""
    return _clock_rows(start, end, as_of, ("pdu_id", "team_id"))


def _clock_rows(start: date, end: date, as_of: date, group: tuple[str, str], **where: object) -> Iterable[Row]:
    rules = {rule for rule, _ in CLOCKS.values()}
    on_time = judged(as_of) & met_on_time(as_of)
    rows = (
        Obligation.objects.filter(rule__in=rules, due_on__gte=start, due_on__lte=end, **where)
        .values_list("rule", "event__type", *group)
        .annotate(
            met=Count("id", filter=on_time),
            due=Count("id", filter=judged(as_of)),
            recorded_late=Count("id", filter=on_time & recorded_late()),
        )
        .order_by()
    )
    for rule, sentence, pdu, team, met, due, late in rows:
        for name, (measure_rule, types) in CLOCKS.items():
            if measure_rule == rule and (types is None or sentence in types) and due:
                yield name, pdu, team, met, due
                if met and rule in MEETING_FACTS:
                    yield RECORDED_LATE_BESIDE[name], pdu, team, late, met


def recorded_late() -> Q:
    """Obligations met by a fact recorded more than the recorded_late setting's working days after its date."""
    return Q(met_recording_lag__gt=recorded_late_after())


def appointments_in(start: date, end: date) -> QuerySet[Contact]:
    since, until = _moments(start, end)
    return (
        Contact.objects.valid()
        .filter(type__needs_outcome=True, starts_at__gte=since, starts_at__lt=until, event__pdu__isnull=False)
        .exclude(outcome="")
    )


@counter
def appointments(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Appointments with an outcome, per appointment: attended, and acceptable and unacceptable absences; and
    those whose outcome was recorded late (more than 2 working days, the recorded_late setting, after the day
    they happened). One pass over the period's contacts."""
    return _appointment_rows(start, end, ("event__pdu_id", "staff__team_id"))


def _appointment_rows(start: date, end: date, group: tuple[str, str], **where: object) -> Iterable[Row]:
    """The contacts are chosen by the ORM (appointments_in); each day's working index is joined from the
    calendar once for all of them (a hash join of about 15,000 days), not looked up per contact."""
    contacts = (
        appointments_in(start, end)
        .filter(**where)
        .values(unit=F(group[0]), holder=F(group[1]), result=F("outcome"))
        .annotate(day=TruncDate("starts_at"), recorded_day=TruncDate("recorded_at"))
        .order_by()
    )
    try:
        chosen, params = contacts.query.get_compiler(using=contacts.db).as_sql()
    except EmptyResultSet:  # a filter nothing can match (no teams): no rows, as the ORM would give
        return
    seen = ", ".join(["%s"] * len(SEEN))
    sql = f"""
        SELECT a.unit, a.holder, COUNT(*),
               SUM(CASE WHEN a.result IN ({seen}) THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.result = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN a.result = %s THEN 1 ELSE 0 END),
               SUM(CASE WHEN r.working_index - h.working_index > %s THEN 1 ELSE 0 END)
        FROM ({chosen}) a
        LEFT JOIN {CalendarDay._meta.db_table} h ON h.day = a.day
        LEFT JOIN {CalendarDay._meta.db_table} r ON r.day = a.recorded_day
        GROUP BY a.unit, a.holder
    """  # noqa: S608 - the ORM's own SQL and our own table; every value is a parameter
    late_after = recorded_late_after()
    arguments = [*sorted(SEEN), Outcome.ACCEPTABLE_ABSENCE, Outcome.UNACCEPTABLE_ABSENCE, late_after, *params]
    with connections[contacts.db].cursor() as cursor:
        cursor.execute(sql, arguments)
        rows = cursor.fetchall()
    for pdu, team, offered, attended, acceptable, unacceptable, late in rows:
        yield "appointments_attended", pdu, team, attended, offered
        yield "acceptable_absences", pdu, team, acceptable, offered
        yield "unacceptable_absences", pdu, team, unacceptable, offered
        yield "recording_lag", pdu, team, late, offered


def lagged(contacts: QuerySet[Contact]) -> QuerySet[Contact]:
    """Annotate each contact's recording lag in working days (recorded day's index less the day's)."""
    index = CalendarDay.objects.filter(day=OuterRef("day")).values("working_index")[:1]
    recorded_index = CalendarDay.objects.filter(day=OuterRef("recorded_day")).values("working_index")[:1]
    return contacts.annotate(day=TruncDate("starts_at"), recorded_day=TruncDate("recorded_at")).annotate(
        lag=Subquery(recorded_index) - Subquery(index)
    )


def licence_clean() -> Q:
    """A licence or PSS period that ended without recall or breach (licence_compliance's numerator)."""
    enforced = EnforcementAction.objects.filter(
        event=OuterRef("pk"), kind__in=[EnforcementAction.Kind.BREACH, EnforcementAction.Kind.RECALL]
    )
    return ~Q(termination_reason=Event.TerminationReason.RECALLED) & ~Q(Exists(enforced))


ORDER_DONE = [Event.TerminationReason.COMPLETED, Event.TerminationReason.EARLY_REVOCATION]


@counter
def terminations(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Licence and PSS periods ending without recall or breach; orders ending in completion."""
    ended = Event.objects.filter(terminated_on__gte=start, terminated_on__lte=end)
    licences = (
        ended.filter(type__in=RELEASES)
        .values_list("pdu_id")
        .annotate(without=Count("id", filter=licence_clean()), ending=Count("id"))
        .order_by()
    )
    for pdu, clean, total in licences:
        yield "licence_compliance", pdu, None, clean, total
    orders = (
        ended.filter(type__in=ORDERS)
        .values_list("pdu_id")
        .annotate(done=Count("id", filter=Q(termination_reason__in=ORDER_DONE)), ending=Count("id"))
        .order_by()
    )
    for pdu, done, total in orders:
        yield "order_completion", pdu, None, done, total


@counter
def ro_continuity(start: date, end: date, as_of: date) -> Iterable[Row]:
    """Changes of responsible officer in the period, over the case-days supervised in it."""
    earlier = Allocation.objects.filter(event=OuterRef("event_id"), from_date__lt=OuterRef("from_date"))
    changes = dict(
        Allocation.objects.filter(from_date__gte=start, from_date__lte=end)
        .filter(Exists(earlier))
        .values_list("event__pdu_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    running = Event.objects.filter(sentence_date__lte=end).filter(
        Q(terminated_on__isnull=True) | Q(terminated_on__gte=start)
    )
    # Each sentence's days in the period: from the later of its start and the period's to the earlier of its end
    # and the period's, both counted (a sentence never ends before it began: event_terminated_after_sentence).
    first = Greatest("sentence_date", Value(start), output_field=DateField())
    last = Least(Coalesce("terminated_on", Value(end)), Value(end), output_field=DateField())
    spans = running.values_list("pdu_id").annotate(span=Sum(last - first), sentences=Count("id")).order_by()
    days = {pdu: span.days + sentences for pdu, span, sentences in spans}
    for pdu, case_days in days.items():
        yield "ro_continuity", pdu, None, changes.get(pdu, 0), case_days


def officer_figures(team: Team, start: date, end: date) -> Figures:
    """The team's officers on the measures counted by officer (timeliness by the officer responsible,
    appointments and recording by whoever held them), live: {staff id: {measure: (numerator, denominator)}}."""
    as_of = counted_on()
    rows = [
        *_clock_rows(start, end, as_of, ("team_id", "officer_id"), team=team, pdu=team.pdu_id),
        *_appointment_rows(start, end, ("staff__team_id", "staff_id"), staff__team=team, event__pdu=team.pdu_id),
    ]
    result: Figures = defaultdict(dict)
    for measure, _team, officer, numerator, denominator in rows:
        if officer is None:
            continue
        n, d = result[officer].get(measure, (0, 0))
        result[officer][measure] = (n + numerator, d + denominator)
    return result


def count(start: date, end: date, as_of: date | None = None) -> list[Row]:
    """Every measure for a period, live: counts per PDU and team (the ledger as it holds them today)."""
    as_of = counted_on(as_of)
    return [row for function in COUNTERS for row in function(start, end, as_of)]


def swept_on(end: date) -> date:
    """kpi_report's day (INTERCHANGE.md): the ledger as it holds the obligations after the sweep on the later of
    --to and today. A --to still to come counts what will have fallen due unmet by then as overdue; a --to past
    counts the ledger as it is today (met late since, missed since)."""
    return max(end, timezone.localdate())


def count_after_sweep_on(start: date, end: date, as_of: date) -> list[Row]:
    """Every measure for a period, as the ledger holds them after the sweep on `as_of` (kpi_report: `swept_on`),
    a day that may be still to come (the pages never count on one: `count`)."""
    return [row for function in COUNTERS for row in function(start, end, as_of)]


def officers_on(measure: str, start: date, end: date, teams: Iterable[int]) -> dict[tuple[int, int], tuple[int, int]]:
    """One measure for the officers of many teams at once, live and attributed as `officer_figures` attributes
    them (the officer, in the team, in the team's PDU): {(team id, officer id): (numerator, denominator)}, in
    one query whatever the number of teams (the outliers view: issue 19, fair to small units)."""
    as_of, ids = counted_on(), list(teams)
    if measure in CLOCKS:
        rows = _clock_rows(start, end, as_of, ("team_id", "officer_id"), team__in=ids, pdu=F("team__pdu"))
    else:
        group = ("staff__team_id", "staff_id")
        rows = _appointment_rows(start, end, group, staff__team__in=ids, event__pdu=F("staff__team__pdu"))
    result: dict[tuple[int, int], tuple[int, int]] = {}
    for name, team, officer, numerator, denominator in rows:
        if name != measure or officer is None:
            continue
        n, d = result.get((team, officer), (0, 0))
        result[(team, officer)] = (n + numerator, d + denominator)
    return result
