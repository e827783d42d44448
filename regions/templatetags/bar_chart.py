"""`{% bar_chart chart title_id title %}`: a bar chart (regions/charts.py) drawn in Python, in its scroll region.
The template it replaces (its variables, `add` filters and loops: about 0.9 ms of CPU for a year's bars)
is kept in tests/regions/test_bar_chart.py, which compares the two to the byte. format_html escapes each value as
the template did."""

from django import template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from regions.charts import BarChart

register = template.Library()

TICK = (
    '<line x1="{}" x2="{}" y1="{}" y2="{}" class="app-chart__grid"></line><text x="{}" y="{}" text-anchor="end"'
    ' class="app-chart__text" data-testid="tick">{}</text>'
)
BAR = '<rect x="{}" width="{}" y="{}" height="{}" class="app-chart__bar{}"></rect>\n  '
VALUE = (
    '<text x="{}" y="{}" text-anchor="middle" class="app-chart__text app-chart__value" data-testid="value">{}</text>'
)
LABEL = '\n  <text x="{}" y="{}" text-anchor="middle" class="app-chart__text" data-testid="label">{}</text>'
LIMIT = (
    '<line x1="{left}" x2="{right}" y1="{limit}" y2="{limit}" class="app-chart__limit" data-testid="target-line">'
    '</line>\n  <line x1="{key_x}" x2="{key_end}" y1="{key_line}" y2="{key_line}" class="app-chart__limit"></line>\n'
    '  <text x="{label_x}" y="{label_y}" class="app-chart__text" data-testid="target-label">{limit_label}</text>'
)
SVG = """

<svg class="app-chart" viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" \
aria-labelledby="{title_id}" data-testid="chart">
  <title id="{title_id}">{title}: the numbers are in the table beside</title>
  <text x="0" y="{title_y}" class="app-chart__text app-chart__title" data-testid="y-title">{y_title}</text>
  {ticks}
  {bars}
  <line x1="{left}" x2="{left}" y1="{top}" y2="{baseline}" class="app-chart__axis"></line>
  <line x1="{left}" x2="{right}" y1="{baseline}" y2="{baseline}" class="app-chart__axis"></line>
  <text x="{x_title_x}" y="{x_title_y}" text-anchor="middle" class="app-chart__text app-chart__title" \
data-testid="x-title">{x_title}</text>
  {limit}
</svg>
"""


@register.simple_tag
def bar_chart(chart: BarChart, title_id: str, title: str) -> SafeString:
    ticks = format_html_join(
        "",
        TICK,
        ((chart.left, chart.right, t.y, t.y, chart.left - 5, t.y + 4, t.label) for t in chart.ticks),
    )
    bars = mark_safe(  # noqa: S308 - format_html
        "".join(
            format_html(BAR, bar.x, chart.bar_width, bar.top, bar.height, " app-chart__bar--over" if bar.over else "")
            + (format_html(VALUE, bar.centre, bar.top - 5, bar.value) if bar.value else "")
            + format_html(LABEL, bar.centre, chart.baseline + 16, bar.label)
            for bar in chart.bars
        )
    )
    limit = ""
    if chart.limit is not None:
        limit = format_html(
            LIMIT,
            left=chart.left,
            right=chart.right,
            limit=chart.limit,
            key_x=chart.key_x,
            key_end=chart.key_x + 24,
            key_line=chart.key_line,
            label_x=chart.key_x + 30,
            label_y=chart.key_line + 4,
            limit_label=chart.limit_label,
        )
    svg = format_html(
        SVG,
        width=chart.width,
        height=chart.height,
        title_id=title_id,
        title=title,
        title_y=chart.key_line + 4,
        y_title=chart.y_title,
        ticks=ticks,
        bars=bars,
        left=chart.left,
        right=chart.right,
        top=chart.top,
        baseline=chart.baseline,
        x_title_x=chart.x_title_x,
        x_title_y=chart.height - 4,
        x_title=chart.x_title,
        limit=limit,
    )
    region = render_to_string("includes/scroll_region.html", {"labelledby": title_id, "content": svg})
    return mark_safe(region + "\n")  # noqa: S308 - rendered with autoescape
