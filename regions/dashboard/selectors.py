"""What the SPO's team dashboard and the PDU summary read: a fixed number of queries, whatever the caseload."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Count, F, FilteredRelation, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.lookups import Exact
from django.utils import timezone

from cases.access import User, limited_for_staff, staff_of, visible_people
from cases.models import (
    Contact,
    EnforcementAction,
    Event,
    Obligation,
    OversightTask,
    Person,
    Registration,
    Transfer,
)
from cases.record import selectors
from cases.standards import rules
from cases.transfers.services import needs_oversight
from probation.among import AmongRows, Written
from probation.read_together import read_together
from probation.read_together_kept import read_together_kept
from regions.models import PDU, StaffMember, Team
from regions.workload import (
    Workload,
    breakdown,
    capacity_by_month,
    caseworker_staff,
    history_rows,
    history_since,
    workload_reads,
    workloads_from,
)

UNALLOCATED_SHOWN = 10

# An outstanding outcome: (contact, who held it, their team, the case's responsible officer, their team).
Outstanding = tuple[int, int | None, int | None, int | None, int | None]


@dataclass
class OfficerRow:
    workload: Workload
    overdue: int = 0
    due_soon: int = 0
    enforcement: int = 0
    outcomes_to_log: int = 0

    @property
    def staff(self) -> StaffMember:
        return self.workload.staff


@dataclass
class Totals:
    cases_by_type: dict[str, int] = field(default_factory=dict)
    cases: int = 0
    court_reports: int = 0
    points: int = 0
    available_points: int = 0
    overdue: int = 0
    due_soon: int = 0
    enforcement: int = 0
    outcomes_to_log: int = 0

    @property
    def capacity(self) -> int | None:
        return round(self.points / self.available_points * 100) if self.available_points else None

    @property
    def by_type(self) -> list[tuple[str, str, int]]:
        return breakdown(self.cases_by_type)

    @property
    def over_capacity(self) -> bool:
        return self.points > 0 and self.points >= self.available_points

    def add(self, row: OfficerRow) -> None:
        for sentence, n in row.workload.cases_by_type.items():
            self.cases_by_type[sentence] = self.cases_by_type.get(sentence, 0) + n
        self.cases += row.workload.cases
        self.court_reports += row.workload.court_reports
        self.points += row.workload.points
        self.available_points += row.workload.available_points
        for name in ("overdue", "due_soon", "enforcement", "outcomes_to_log"):
            setattr(self, name, getattr(self, name) + getattr(row, name))


def officer_rows(staff: list[StaffMember], today: date, now: datetime) -> list[OfficerRow]:
    """Each officer's workload, National Standards items and outcomes to log (one statement)."""
    soon, week_before = rules.due_soon_until(today), today - timedelta(days=7)
    chosen = StaffMember.objects.filter(pk__in=[s.pk for s in staff])
    return _officer_rows(read_together(_officer_reads(chosen, today, now, soon, week_before)))[0]


def _officer_reads(
    staff: QuerySet[StaffMember], today: date, now: datetime, soon: date, week_before: date
) -> dict[str, QuerySet[Any]]:
    """What the officers' rows are counted from, for the officers `staff` selects (a team's, a PDU's): the
    officers, their workloads (workload_reads), their National Standards items to act on, and the outstanding
    outcomes held by them or on their cases (_outstanding). Each reads the officers by a subquery, not a list of
    their ids, so that a statement of them can be compiled once (read_together_kept) for every team."""
    ids = staff.values("pk")
    # Through the annotation (acting_id), not acting__...: a filter on the relation would join it a second time.
    items = Obligation.objects.to_act_on_by().filter(Q(acting_id__in=ids))
    return {
        "staff": staff.select_related("team").order_by("name"),
        **workload_reads(ids, today, week_before),
        "counted": standards_count_rows(items, today, soon, "acting_id"),
        **_outstanding(ids, now),
    }


def _officer_rows(read: dict[str, list[Any]]) -> tuple[list[OfficerRow], set[Outstanding]]:
    """The officers' rows from _officer_reads()'s rows, and the outstanding outcomes they were counted from, for
    the totals to count each once."""
    staff: list[StaffMember] = read["staff"]
    rows = {pk: OfficerRow(workload=load) for pk, load in workloads_from(staff, read).items()}
    for item in read["counted"]:
        row = rows[item["acting_id"]]
        row.overdue, row.due_soon, row.enforcement = item["overdue"], item["due_soon"], item["enforcement"]
    outstanding = {
        tuple(row[column] for column in OUTSTANDING) for row in (*read["held_outstanding"], *read["their_outstanding"])
    }
    for officer_id, n in _outcomes_to_log(outstanding, set(rows)).items():
        rows[officer_id].outcomes_to_log = n
    return sorted(rows.values(), key=lambda row: (row.staff.name, row.staff.pk)), outstanding


def standards_counts(
    items: QuerySet[Obligation], today: date, soon: date, by: str
) -> list[tuple[int | None, int, int, int]]:
    """Overdue, due soon and enforcement items to act on, grouped by a column: the rows of the Standards list
    each count links to (one query)."""
    counted = standards_count_rows(items, today, soon, by)
    return [(row[by], row["overdue"], row["due_soon"], row["enforcement"]) for row in counted]


def standards_count_rows(items: QuerySet[Obligation], today: date, soon: date, by: str) -> QuerySet[Any]:
    """standards_counts() as a queryset of dicts, to be read with others."""
    return (
        items.filter(starts_on__lte=today)
        .values(by)
        .annotate(
            overdue=Count("id", filter=Q(state=Obligation.State.OVERDUE)),
            due_soon=Count("id", filter=Q(state=Obligation.State.PENDING, due_on__lte=soon)),
            enforcement=Count("id", filter=Q(rule__in=rules.ENFORCEMENT_RULES)),
        )
        .order_by()
    )


def _outcomes_to_log(outstanding: set[Outstanding], ids: set[int]) -> Counter[int]:
    """Past appointments still needing an outcome (_outstanding), counted for the officer who held them and,
    when someone else held them, for the case's responsible officer too (as each officer's own list shows)."""
    counts: Counter[int] = Counter()
    for _contact, held_by, _held_team, case_of, _case_team in outstanding:
        if held_by in ids:
            counts[held_by] += 1
        if case_of in ids and case_of != held_by:
            counts[case_of] += 1
    return counts


OUTSTANDING = ("id", "held_by", "held_team", "case_of", "case_team")  # the columns of an Outstanding


def _outstanding(ids: QuerySet[Any], now: datetime) -> dict[str, QuerySet[Any]]:
    """Outstanding outcomes held by these officers or on their cases (Outstanding), as two index-served reads,
    where one with an OR read every contact. Each officer's count, the team's and the PDU's teams' are all
    counted from these rows, not from queries of their own. The outcome is written into the statement
    (Written), so that its plan, prepared once, takes the partial indexes of contacts without an outcome
    (contact_staff_starts, contact_event_open)."""
    current = Q(event__allocations__to_date__isnull=True)
    waiting = (
        Contact.objects.valid()
        .filter(Exact(F("outcome"), Written("")), type__needs_outcome=True, starts_at__lte=now)
        .filter(event__terminated_on__isnull=True)
        .annotate(ro=FilteredRelation("event__allocations", condition=current))
        .annotate(held_by=F("staff_id"), held_team=F("staff__team_id"))
        .annotate(case_of=F("ro__staff_id"), case_team=F("ro__staff__team_id"))
    )
    return {
        "held_outstanding": waiting.filter(staff_id__in=ids).values(*OUTSTANDING).order_by(),
        "their_outstanding": waiting.filter(ro__staff_id__in=ids).values(*OUTSTANDING).order_by(),
    }


@dataclass
class Dashboard:
    team: Team
    rows: list[OfficerRow]
    totals: Totals
    unallocated: list[Event]
    unallocated_count: int
    unallocated_overdue: int
    unallocated_due_soon: int
    transfers_in: int
    transfers_out: int
    oversight: list[dict[str, Any]]
    history: list[dict[str, Any]]


def unallocated_with_deadlines(pdu: PDU, user: User) -> QuerySet[Event]:
    deadline = Obligation.objects.filter(event=OuterRef("pk"), rule="ro_allocation").order_by("due_on")
    return selectors.unallocated_events(pdu, user).annotate(deadline=Subquery(deadline.values("due_on")[:1]))


def recalls_awaiting_decision(pdu_id: int, user: User) -> QuerySet[EnforcementAction]:
    """Recalls an officer has recommended that no SPO has yet decided on."""
    return _recalls_undecided(pdu_id, visible_people(user)).select_related("event__person").order_by("on", "id")


def _recalls_undecided(pdu_id: int, visible: QuerySet[Person]) -> QuerySet[EnforcementAction]:
    return EnforcementAction.objects.filter(
        kind=EnforcementAction.Kind.RECALL, decision="", event__pdu_id=pdu_id, event__person__in=visible
    )


def open_transfers(pdu_id: int) -> QuerySet[Transfer]:
    """Transfers into or out of the PDU awaiting a decision."""
    return Transfer.objects.filter(status=Transfer.Status.REQUESTED).filter(Q(to_pdu_id=pdu_id) | Q(from_pdu_id=pdu_id))


def late_transfers(pdu_id: int, today: date, rule: rules.Rule | None = None) -> list[Transfer]:
    """Open transfers in or out of the PDU past the transfer rule's due date, as the ledger has it (20 business
    days by default): they need management oversight."""
    rule = rule or rules.current()["transfer"]
    return [t for t in open_transfers(pdu_id).select_related("event__person") if needs_oversight(t, today, rule)]


def _open_oversight(pdu_id: int) -> QuerySet[Any]:
    """Open oversight tasks on the PDU's cases, counted by reason. The PDU's event ids (from the index
    event_pdu_ids) are looked up among the tasks one by one (AmongRows): joined, PostgreSQL hashed every open task
    in the country (after a national sweep, 70,537 tasks for the 2,778 events of a PDU: 16 to 2 ms)."""
    events = Event.objects.filter(pdu_id=pdu_id).values("id").order_by()
    tasks = OversightTask.objects.filter(AmongRows(F("event_id"), events), closed_at__isnull=True)
    return tasks.values("reason").annotate(n=Count("reason")).order_by("reason")


def oversight_queue(tasks: list[dict[str, Any]], recalls: int, late: int, rule: rules.Rule) -> list[dict[str, Any]]:
    """What awaits the SPO's oversight, counted by kind, each with the page that lists it: open oversight tasks by
    reason (_open_oversight), recalls awaiting a decision, and transfers past the transfer rule's period."""
    labels = dict(OversightTask.Reason.choices)
    queue = [{"label": labels.get(t["reason"], t["reason"]), "n": t["n"], "url": "cases:oversight"} for t in tasks]
    queue.append({"label": "Recall recommendations awaiting a decision", "n": recalls, "url": "cases:oversight"})
    queue.append({"label": f"Transfers past {rule.period} working days", "n": late, "url": "cases:transfers"})
    return [item for item in queue if item["n"]]


def _person_flags() -> Prefetch:
    current = Registration.objects.filter(ended_on__isnull=True)
    return Prefetch("person__registrations", queryset=current, to_attr="current_flags")


def _pdu_figures(pdu_id: int, staff_id: int | None, team_id: int, since: date) -> dict[str, QuerySet[Any]]:
    """What the dashboard reads besides its officers' rows, for one statement compiled once per process
    (read_together_kept): the PDU's unallocated cases, its open transfers, open oversight tasks and recalls
    awaiting a decision that the SPO (staff_id) may see, and the team's history since a month."""
    visible = Person.objects.exclude(limited_for_staff(staff_id))  # visible_people() of a user with a role
    return {
        "waiting": selectors.unallocated_in(pdu_id).values_list("id"),
        "transfers": open_transfers(pdu_id),
        "oversight": _open_oversight(pdu_id),
        "recalls": _recalls_undecided(pdu_id, visible).values("kind").annotate(n=Count("id")).order_by(),
        "history": history_rows([team_id], since),
    }


def _team_figures(
    team_id: int,
    pdu_id: int,
    today: date,
    now: datetime,
    soon: date,
    week_before: date,
    since: date,
    staff_id: int | None,
) -> dict[str, QuerySet[Any]]:
    """Everything the dashboard reads but its unallocated cases' details, for one statement compiled once per
    process (read_together_kept): the team's officers and what their rows count (_officer_reads), the PDU's
    figures (_pdu_figures) and its name for the heading."""
    return {
        **_officer_reads(caseworker_staff(team_id=team_id), today, now, soon, week_before),
        **_pdu_figures(pdu_id, staff_id, team_id, since),
        "pdu": PDU.objects.filter(pk=pdu_id),
    }


def team_dashboard(team: Team, user: User) -> Dashboard:
    """The SPO's view of a team (the views let only SPOs and PDU heads, who have a role, ask for it)."""
    today, now = timezone.localdate(), timezone.now()
    me, since = staff_of(user), history_since(12, today)
    values = (team.pk, team.pdu_id, today, now, rules.due_soon_until(today), today - timedelta(days=7), since)
    if me is None:  # no staff record (a team's page needs one): read as it is compiled
        read = read_together(_team_figures(*values, None))
    else:
        read = read_together_kept("team_dashboard", _team_figures, *values, me.pk)
    team.pdu = read["pdu"][0]
    rows, outstanding = _officer_rows(read)
    waiting = [pk for (pk,) in read["waiting"]]  # one anti-join
    unallocated_overdue = unallocated_due_soon = 0
    shown: list[Event] = []
    if waiting:
        # An unallocated case's items are the PDU's SPOs' to act on (the Standards list's ?unallocated=1): taken
        # by the events just found, not by a second anti-join of the PDU's running events with every current
        # allocation (20 ms at national scale), and not counted at all when there are none. Apart from the
        # officers' items: one query with an OR between them cannot start from either's index, and read every
        # open obligation in the country (1.9 s at national scale).
        items = Obligation.objects.to_act_on_by().filter(
            Q(acting_id__isnull=True), event_id__in=waiting, person__in=visible_people(user)
        )
        for _, overdue, due_soon, _ in standards_counts(items, today, rules.due_soon_until(today), "acting_id"):
            unallocated_overdue, unallocated_due_soon = overdue, due_soon
        shown = list(
            unallocated_with_deadlines(team.pdu, user)
            .filter(pk__in=waiting[:UNALLOCATED_SHOWN])
            .prefetch_related(_person_flags())
        )
    totals = Totals()
    for row in rows:
        totals.add(row)
    totals.outcomes_to_log = len({row[0] for row in outstanding})  # once each, not once an officer
    transfers: list[Transfer] = read["transfers"]
    rule = rules.current()["transfer"]
    late = sum(1 for transfer in transfers if needs_oversight(transfer, today, rule))
    return Dashboard(
        team=team,
        rows=rows,
        totals=totals,
        unallocated=shown,
        unallocated_count=len(waiting),
        unallocated_overdue=unallocated_overdue,
        unallocated_due_soon=unallocated_due_soon,
        transfers_in=sum(1 for transfer in transfers if transfer.to_pdu_id == team.pdu_id),
        transfers_out=sum(1 for transfer in transfers if transfer.from_pdu_id == team.pdu_id),
        oversight=oversight_queue(read["oversight"], sum(r["n"] for r in read["recalls"]), late, rule),
        history=capacity_by_month(read["history"]),
    )


@dataclass
class TeamSummary:
    team: Team
    totals: Totals
    officers: int


def pdu_summary(pdu: PDU) -> list[TeamSummary]:
    """Each team of the PDU with its totals (the same statement as one team's officers, plus one query)."""
    today, now = timezone.localdate(), timezone.now()
    teams = list(pdu.teams.order_by("name"))
    summaries = {team.pk: TeamSummary(team=team, totals=Totals(), officers=0) for team in teams}
    values = (pdu.pk, today, now, rules.due_soon_until(today), today - timedelta(days=7))
    rows, outstanding = _officer_rows(read_together_kept("pdu_summary", _pdu_officer_reads, *values))
    for row in rows:
        summary = summaries[row.staff.team_id]  # type: ignore[index]
        summary.totals.add(row)
        summary.officers += 1
    for team_id, n in _outcomes_by_team(outstanding).items():  # each appointment once a team
        if team_id in summaries:
            summaries[team_id].totals.outcomes_to_log = n
    return list(summaries.values())


def _pdu_officer_reads(
    pdu_id: int, today: date, now: datetime, soon: date, week_before: date
) -> dict[str, QuerySet[Any]]:
    return _officer_reads(caseworker_staff(team__pdu_id=pdu_id), today, now, soon, week_before)


def _outcomes_by_team(outstanding: set[Outstanding]) -> dict[int, int]:
    """Outstanding outcomes per team: an appointment counts for the team of whoever held it and of the case's
    officer, once each."""
    teams: dict[int, set[int]] = {}
    for contact, _held_by, held_by, _case_of, case_of in outstanding:
        for team in {held_by, case_of} - {None}:
            teams.setdefault(team, set()).add(contact)  # type: ignore[arg-type]
    return {team: len(contacts) for team, contacts in teams.items()}
