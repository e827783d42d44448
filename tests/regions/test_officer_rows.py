"""The team dashboard's officer rows and capacity cells drawn in Python (regions/templatetags/officer_rows.py)
are the same to the byte as the template they replaced, kept here, for every kind of row: reductions,
part-time hours, court reports with and without cases, each capacity tag, and no officers at all."""

from decimal import Decimal

import pytest
from django.template import Context, Template

from cases.models import Event
from regions.dashboard.selectors import OfficerRow
from regions.models import StaffMember
from regions.templatetags.officer_rows import capacity_tag, officer_rows
from regions.workload import Workload

CAPACITY = (
    '{% if capacity is None %}{% if points %}<strong class="govuk-tag govuk-tag--red">No hours available</strong>'
    '{% else %}\N{EN DASH}{% endif %}{% elif over %}<strong class="govuk-tag govuk-tag--red">{{ capacity }}%'
    '<span class="govuk-visually-hidden"> (over capacity)</span></strong>{% elif capacity >= 90 %}'
    '<strong class="govuk-tag govuk-tag--yellow">{{ capacity }}%</strong>{% else %}{{ capacity }}%{% endif %}\n'
)
# The template's loop as it was (templates/regions/team.html before the rows were drawn in Python), with the
# capacity include written in place.
ROWS = """{% for row in board.rows %}{% with code=row.staff.code load=row.workload %}
    <tr class="govuk-table__row" data-officer="{{ code }}">
      <th scope="row" class="govuk-table__header"><a class="govuk-link" href="{% url 'regions:officer-workload' code %}">{{ row.staff.name }}</a><br><span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">{{ row.staff.get_grade_display }}, {{ row.staff.contracted_hours|floatformat:"-1" }} hours{% if load.reduction_hours %} ({{ load.reduction_hours|floatformat:"-1" }} reduced){% endif %}<br><a class="govuk-link" href="{% url 'cases:reallocate-caseload' code %}">Move cases<span class="govuk-visually-hidden"> of {{ row.staff.name }}</span></a></span></th>
      <td class="govuk-table__cell">
        <a class="govuk-link" href="{% url 'cases:my-cases' %}?officer={{ code }}">{{ load.cases }} {{ load.cases|pluralize:"case,cases" }}</a>
        {% if load.by_type or load.court_reports %}<span class="govuk-!-display-block govuk-!-margin-top-2 govuk-!-font-size-16">{% for type, label, n in load.by_type %}<a class="govuk-link" href="{% url 'cases:my-cases' %}?officer={{ code }}&amp;sentence_type={{ type }}">{{ label }}: {{ n }}</a>{% if not forloop.last %}, {% endif %}{% endfor %}{% if load.court_reports %}{% if load.by_type %}, {% endif %}court reports: {{ load.court_reports }}{% endif %}</span>{% endif %}
      </td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ load.points }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric">{{ load.available_points }}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric" data-testid="capacity">{% with capacity=load.capacity points=load.points over=load.over_capacity %}CAPACITY{% endwith %}</td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{% url 'cases:standards' %}?officer={{ code }}&amp;show=overdue">{{ row.overdue }}<span class="govuk-visually-hidden"> overdue for {{ row.staff.name }}</span></a></td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{% url 'cases:standards' %}?officer={{ code }}&amp;show=due">{{ row.due_soon }}<span class="govuk-visually-hidden"> due in {{ soon_days }} working day{{ soon_days|pluralize }} for {{ row.staff.name }}</span></a></td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{% url 'cases:outcomes' %}?officer={{ code }}">{{ row.outcomes_to_log }}<span class="govuk-visually-hidden"> outcomes to log for {{ row.staff.name }}</span></a></td>
      <td class="govuk-table__cell govuk-table__cell--numeric"><a class="govuk-link" href="{% url 'cases:standards' %}?officer={{ code }}&amp;show=enforcement">{{ row.enforcement }}<span class="govuk-visually-hidden"> enforcement actions awaited from {{ row.staff.name }}</span></a></td>
    </tr>
    {% endwith %}{% empty %}
    <tr class="govuk-table__row"><td class="govuk-table__cell" colspan="9">No officers are in this team yet.</td></tr>
    {% endfor %}""".replace("CAPACITY", CAPACITY)  # noqa: E501


def _row(code: str, name: str, hours: str, grade: str = StaffMember.Grade.PO, **load: object) -> OfficerRow:
    staff = StaffMember(code=code, name=name, contracted_hours=Decimal(hours), grade=grade)
    counts = {key: load.pop(key, 0) for key in ("overdue", "due_soon", "enforcement", "outcomes_to_log")}
    return OfficerRow(workload=Workload(staff=staff, **load), **counts)  # type: ignore[arg-type]


ROWS_OF_EVERY_KIND = [
    _row("S1", "Pat O'Neill & Co <b>", "22.5", reduction_hours=Decimal("3.5"), points=1500, overdue=3, due_soon=1,
         cases_by_type={Event.Type.COMMUNITY_ORDER: 2, Event.Type.LICENCE: 1}, court_reports=2, outcomes_to_log=4),
    _row("S2", "Sam Senior", "37", grade=StaffMember.Grade.SPO, points=2176, enforcement=2,
         cases_by_type={Event.Type.CUSTODY: 1}),  # exactly 100%: over
    _row("S3", "Ali Ninety", "37", points=1990, cases_by_type={Event.Type.PSS: 5}),  # 91%: yellow
    _row("S4", "Jo Reports", "30", court_reports=1, points=100),  # court reports and no cases
    _row("S5", "Lee Leave", "18.75", reduction_hours=Decimal("18.75"), points=40, cases_by_type={"licence": 1}),
    _row("S6", "Kim Empty", "37", reduction_hours=Decimal("37")),  # no hours and no points: a dash
    _row("S7", "Max Fresh", "0.5"),
]  # fmt: skip


@pytest.mark.parametrize("soon_days", [1, 2])
@pytest.mark.parametrize("rows", [ROWS_OF_EVERY_KIND, ROWS_OF_EVERY_KIND[:1], []], ids=["all", "one", "none"])
def test_the_officer_rows_are_the_templates_to_the_byte(rows: list[OfficerRow], soon_days: int) -> None:
    expected = Template(ROWS).render(Context({"board": {"rows": rows}, "soon_days": soon_days}))
    assert officer_rows(rows, soon_days) == expected


@pytest.mark.parametrize(
    ("capacity", "points", "over"),
    [(None, 0, False), (None, 10, True), (100, 2176, True), (90, 1958, False), (89, 5, False), (0, 0, False)],
)
def test_the_capacity_cell_is_the_include_it_replaced(capacity: int | None, points: int, over: bool) -> None:
    context = Context({"capacity": capacity, "points": points, "over": over})
    assert capacity_tag(capacity, points, over) == Template(CAPACITY).render(context)
