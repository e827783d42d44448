"""Who may need support (issue 19, fair to small units): the teams and officers of a PDU or region clearly
below their peers on a measure, the way a supervisor looks for who needs help, not a blame list.

- Peers: the other units of the same kind (teams with teams, officers with officers) in the same scope (the
  PDU or region the viewer looks at) holding the same kind of caseload (`mix`).
- Caseload mix, from the cases each unit holds today (allocations in force): "community" when community and
  suspended sentence orders are at least 60% of them, "licence" when licences and post-sentence supervision
  are, "custody" when custodial sentences before release are; "mixed" otherwise; "none" with no cases.
- Clearly below: the unit's 95% Wilson interval lies wholly on the worse side of its peers' pooled value (the
  peers' numerators over their denominators, the unit itself left out): for a measure where higher is better,
  the unit's upper bound is below the peers' value. A unit with few cases has a wide interval, so one miss
  never makes it an outlier.
- Each outlier carries its trend over the last six months and links to the cases behind its number.

Bounded queries whatever the scope's size: two for the units, one for the caseloads, two for the period's
counts (teams from the monthly rollups, officers live), one for the listed teams' six months and one per month
for the listed officers'.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Sum
from django.utils import timezone

from cases.models import Allocation, Event, PerformanceRollup
from regions.models import StaffMember, Team
from regions.performance import counting, rollups
from regions.performance.intervals import Interval, wilson
from regions.performance.league import Period
from regions.performance.measures import Measure
from regions.workload import CASEWORK_GRADES, held_on

MIX_SHARE = 0.6  # a kind of sentence holding at least this share of a unit's cases names its mix
KINDS = {
    Event.Type.COMMUNITY_ORDER: "community",
    Event.Type.SUSPENDED_SENTENCE_ORDER: "community",
    Event.Type.LICENCE: "licence",
    Event.Type.PSS: "licence",
    Event.Type.CUSTODY: "custody",
}
MIX_LABELS = {
    "community": "Mostly community and suspended orders",
    "licence": "Mostly licences and post-sentence supervision",
    "custody": "Mostly custody before release",
    "mixed": "A mixed caseload",
    "none": "No cases held now",
}
TREND_MONTHS = 6


def mix(by_kind: dict[str, int]) -> str:
    """A unit's caseload mix from its cases by kind (community, licence, custody): see the module's docstring."""
    total = sum(by_kind.values())
    if not total:
        return "none"
    kind, most = max(by_kind.items(), key=lambda item: item[1])
    return kind if most / total >= MIX_SHARE else "mixed"


@dataclass
class Unit:
    kind: str  # team or officer
    pk: int
    code: str
    name: str
    team: str  # the team's name (an officer's team; a team's own)
    mix: str = "none"
    numerator: int = 0
    denominator: int = 0
    interval: Interval | None = None
    peer_numerator: int = 0
    peer_denominator: int = 0
    peers: int = 0
    trend: list[tuple[date, int, int]] = field(default_factory=list)

    @property
    def peer_value(self) -> float | None:
        return self.peer_numerator / self.peer_denominator if self.peer_denominator else None

    @property
    def mix_label(self) -> str:
        return MIX_LABELS[self.mix]


def clearly_below(unit: Unit, higher_is_better: bool) -> bool:
    """The unit's interval lies wholly on the worse side of its peers' pooled value."""
    peer = unit.peer_value
    if unit.interval is None or peer is None:
        return False
    return unit.interval.upper < peer if higher_is_better else unit.interval.lower > peer


def _compare(units: list[Unit], higher_is_better: bool) -> list[Unit]:
    """Give each unit its peers' pooled counts (the same kind of caseload, itself left out); the outliers."""
    pooled: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for u in units:
        if u.denominator:
            pooled[u.mix][0] += u.numerator
            pooled[u.mix][1] += u.denominator
            pooled[u.mix][2] += 1
    for u in units:
        n, d, count = pooled[u.mix]
        own = 1 if u.denominator else 0
        u.peer_numerator, u.peer_denominator, u.peers = n - u.numerator, d - u.denominator, count - own
        u.interval = wilson(u.numerator, u.denominator)
    return [u for u in units if clearly_below(u, higher_is_better)]


def last_months(chosen: Period) -> list[date]:
    """The six months ending with the period's last, oldest first."""
    last = chosen.last.year * 12 + chosen.last.month - 1
    return [date(index // 12, index % 12 + 1, 1) for index in range(last - TREND_MONTHS + 1, last + 1)]


def outliers(measure: Measure, chosen: Period, **within: Any) -> tuple[list[Unit], list[Unit]]:
    """The teams and officers of a scope (within: pdu=... or pdu__region=...) clearly below their peers on a
    measure offered for teams and officers, over the period; each with its last six months."""
    teams = list(Team.objects.filter(**within).order_by("name").values_list("pk", "code", "name"))
    team_ids = [pk for pk, _, _ in teams]
    team_name = {pk: name for pk, _, name in teams}
    officers = StaffMember.objects.active().filter(grade__in=CASEWORK_GRADES, team__in=team_ids).order_by("name")
    officer_rows = list(officers.values_list("pk", "code", "name", "team_id"))
    held: dict[tuple[int, int], dict[str, int]] = defaultdict(lambda: defaultdict(int))
    caseload = (
        Allocation.objects.filter(held_on(timezone.localdate()), staff__team__in=team_ids)
        .values_list("staff__team_id", "staff_id", "event__type")
        .annotate(n=Count("id"))
        .order_by()
    )
    for team_id, staff_id, sentence, n in caseload:
        held[(team_id, 0)][KINDS[sentence]] += n
        held[(team_id, staff_id)][KINDS[sentence]] += n
    team_units = [Unit("team", pk, code, name, name, mix(held[(pk, 0)])) for pk, code, name in teams]
    officer_units = [
        Unit("officer", pk, code, name, team_name[team], mix(held[(team, pk)])) for pk, code, name, team in officer_rows
    ]
    by_team = rollups.figures(chosen.first, chosen.last, "team", **within)
    for u in team_units:
        u.numerator, u.denominator = by_team.get(u.pk, {}).get(measure.name, (0, 0))
    by_officer = counting.officers_on(measure.name, chosen.first, chosen.end, team_ids)
    officer_team = {pk: team for pk, _, _, team in officer_rows}
    for u in officer_units:
        u.numerator, u.denominator = by_officer.get((officer_team[u.pk], u.pk), (0, 0))
    low_teams = _compare(team_units, measure.higher_is_better)
    low_officers = _compare(officer_units, measure.higher_is_better)
    months = last_months(chosen)
    if low_teams:  # one query for the six months of every team listed
        rows = PerformanceRollup.objects.filter(
            month__gte=months[0], month__lte=months[-1], measure=measure.name, pdu_total=False
        ).filter(team__in=[u.pk for u in low_teams], **within)
        monthly = {
            (row["team_id"], row["month"]): (row["n"], row["d"])
            for row in rows.values("team_id", "month").annotate(n=Sum("numerator"), d=Sum("denominator")).order_by()
        }
        for u in low_teams:
            u.trend = [(month, *monthly.get((u.pk, month), (0, 0))) for month in months]
    for month in months if low_officers else []:
        end = rollups.month_end(month)
        if low_officers:
            live = counting.officers_on(measure.name, month, end, {officer_team[u.pk] for u in low_officers})
            for u in low_officers:
                u.trend.append((month, *live.get((officer_team[u.pk], u.pk), (0, 0))))
    return low_teams, low_officers
