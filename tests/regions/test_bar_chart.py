"""{% bar_chart %} (regions/templatetags/bar_chart.py) draws a chart to the byte as the include it replaced did,
kept here as it was: every kind of bar (over the limit or not, with a value or none), with and without a
limit, few bars and many, and text that must be escaped."""

from typing import Any

import pytest
from django.template import Context, Template

from regions.charts import bar_chart

INCLUDE = """{% load tables %}{% scroll_region title_id %}
{# A bar chart (regions/charts.py) at its own size, so its text stays legible: on a narrow screen it scrolls sideways in its region. Over the plot: the value axis's title and the target's key; then the value over each bar, the month under it, and the target line across. The table beside carries the same numbers. #}
<svg class="app-chart" viewBox="0 0 {{ chart.width }} {{ chart.height }}" width="{{ chart.width }}" height="{{ chart.height }}" role="img" aria-labelledby="{{ title_id }}" data-testid="chart">
  <title id="{{ title_id }}">{{ title }}: the numbers are in the table beside</title>
  <text x="0" y="{{ chart.key_line|add:'4' }}" class="app-chart__text app-chart__title" data-testid="y-title">{{ chart.y_title }}</text>
  {% for tick in chart.ticks %}<line x1="{{ chart.left }}" x2="{{ chart.right }}" y1="{{ tick.y }}" y2="{{ tick.y }}" class="app-chart__grid"></line><text x="{{ chart.left|add:'-5' }}" y="{{ tick.y|add:'4' }}" text-anchor="end" class="app-chart__text" data-testid="tick">{{ tick.label }}</text>{% endfor %}
  {% for bar in chart.bars %}<rect x="{{ bar.x }}" width="{{ chart.bar_width }}" y="{{ bar.top }}" height="{{ bar.height }}" class="app-chart__bar{% if bar.over %} app-chart__bar--over{% endif %}"></rect>
  {% if bar.value %}<text x="{{ bar.centre }}" y="{{ bar.top|add:'-5' }}" text-anchor="middle" class="app-chart__text app-chart__value" data-testid="value">{{ bar.value }}</text>{% endif %}
  <text x="{{ bar.centre }}" y="{{ chart.baseline|add:'16' }}" text-anchor="middle" class="app-chart__text" data-testid="label">{{ bar.label }}</text>{% endfor %}
  <line x1="{{ chart.left }}" x2="{{ chart.left }}" y1="{{ chart.top }}" y2="{{ chart.baseline }}" class="app-chart__axis"></line>
  <line x1="{{ chart.left }}" x2="{{ chart.right }}" y1="{{ chart.baseline }}" y2="{{ chart.baseline }}" class="app-chart__axis"></line>
  <text x="{{ chart.x_title_x }}" y="{{ chart.height|add:'-4' }}" text-anchor="middle" class="app-chart__text app-chart__title" data-testid="x-title">{{ chart.x_title }}</text>
  {% if chart.limit is not None %}<line x1="{{ chart.left }}" x2="{{ chart.right }}" y1="{{ chart.limit }}" y2="{{ chart.limit }}" class="app-chart__limit" data-testid="target-line"></line>
  <line x1="{{ chart.key_x }}" x2="{{ chart.key_x|add:'24' }}" y1="{{ chart.key_line }}" y2="{{ chart.key_line }}" class="app-chart__limit"></line>
  <text x="{{ chart.key_x|add:'30' }}" y="{{ chart.key_line|add:'4' }}" class="app-chart__text" data-testid="target-label">{{ chart.limit_label }}</text>{% endif %}
</svg>
{% endscroll_region %}
"""  # noqa: E501
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
CHARTS: dict[str, dict[str, Any]] = {
    "a year of capacity, some over": {
        "values": [80, 85, 92, 101, 99, None, 95, 0, 98, 103, 88, 90],
        "labels": MONTHS,
        "limit": 100,
        "limit_label": "Full capacity 100%",
        "over": [False, False, False, True, False, False, False, False, False, True, False, False],
        "fmt": lambda value: f"{value:.0f}%",
        "x_title": "Month end",
        "y_title": "Capacity",
    },
    "no limit, no values": {"values": [None, None, None], "labels": ["a", "b", "c"]},
    "nothing at all": {"values": []},
    "three years, wider than a thousand": {"values": list(range(36)), "labels": MONTHS * 3, "limit": 30},
    "text to escape": {
        "values": [1.5, 2.25],
        "labels": ["<b>", "Tom & Jerry's"],
        "limit": 2,
        "limit_label": 'Target "2" <two>',
        "x_title": "A & B",
        "y_title": "<y>",
    },
}


@pytest.mark.parametrize("name", CHARTS)
@pytest.mark.parametrize("title", ["Team capacity by month", 'Seen <within> 5 days & "more" by month'])
def test_the_tag_draws_the_chart_as_the_include_did(name: str, title: str) -> None:
    chart = bar_chart(**CHARTS[name])
    context = {"chart": chart, "title_id": "trend-title", "title": title}
    drawn = Template("{% load bar_chart %}{% bar_chart chart title_id title %}").render(Context(context))
    assert drawn == Template(INCLUDE).render(Context(context))
