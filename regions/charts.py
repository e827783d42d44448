"""The one bar chart the pages draw (team capacity, a measure's trend): bar geometry for an SVG, the numbers
themselves in the table beside it. Drawn by templates/regions/includes/bar_chart.html."""

from collections.abc import Sequence
from dataclasses import dataclass

MARGIN = 10  # above the tallest bar and below the baseline


@dataclass(frozen=True)
class Bar:
    x: int
    top: int
    height: int
    over: bool = False


@dataclass(frozen=True)
class BarChart:
    width: int  # the viewBox's: one slot a value
    height: int
    bar_width: int
    bars: list[Bar]
    limit: int | None = None  # where the line marking the limit runs, if there is one


def bar_chart(
    values: Sequence[float | None],
    *,
    at_least: float = 0.0,
    limit: float | None = None,
    over: Sequence[bool] = (),
    slot: int = 100,
    bar_width: int = 60,
    plot_height: int = 200,
) -> BarChart:
    """Bars for the values (a missing value draws none), scaled so the tallest (and `at_least`, and the limit)
    fit `plot_height`; `over` marks bars drawn as over the limit."""
    scale = [at_least, *(v for v in values if v is not None), *([] if limit is None else [limit])]
    peak = max(scale) or 1.0
    baseline = plot_height + MARGIN

    def top(value: float) -> int:
        return baseline - round(value / peak * plot_height)

    bars = [
        Bar(
            x=n * slot + (slot - bar_width) // 2,
            top=top(value or 0),
            height=baseline - top(value or 0),
            over=bool(over[n]) if n < len(over) else False,
        )
        for n, value in enumerate(values)
    ]
    return BarChart(
        width=max(len(values), 1) * slot,
        height=plot_height + 2 * MARGIN,
        bar_width=bar_width,
        bars=bars,
        limit=None if limit is None else top(limit),
    )
