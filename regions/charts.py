"""The one bar chart the pages draw (team capacity, a measure's trend): the geometry of an SVG with its axes, a
label under each bar, the value above it and the target (or limit) line, named. The numbers themselves are also in
the table beside it. Drawn by {% bar_chart %} (regions/templatetags/bar_chart.py)."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

LEFT = 40  # room for the value axis's tick labels
TOP = 40  # room for a line over the plot (the value axis's title, the target's key), then the tallest bar's value
BOTTOM = 42  # room for the labels under the bars and the axis title under them
RIGHT = 6
KEY_LINE = 14  # where the line over the plot runs
KEY_WIDTH = 150  # the target's key: a stretch of its line, then its name
MIN_WIDTH = 280  # room for the line over the plot however few the bars


def _plain(value: float) -> str:
    return f"{value:g}"


@dataclass(frozen=True)
class Bar:
    x: int
    top: int
    height: int
    over: bool = False
    label: str = ""  # under the axis: the month
    value: str = ""  # above the bar; empty where there is no value
    centre: int = 0  # where the label and the value are centred


@dataclass(frozen=True)
class Tick:
    y: int
    label: str


@dataclass(frozen=True)
class BarChart:
    width: int  # the viewBox's
    height: int
    bar_width: int
    bars: list[Bar]
    limit: int | None = None  # where the line marking the target or limit runs, if there is one
    limit_label: str = ""
    ticks: tuple[Tick, ...] = ()
    x_title: str = ""
    y_title: str = ""
    left: int = LEFT
    right: int = 0  # where the plot ends
    top: int = TOP
    baseline: int = 0

    @property
    def x_title_x(self) -> int:
        return (self.left + self.right) // 2

    @property
    def key_line(self) -> int:
        return KEY_LINE

    @property
    def key_x(self) -> int:
        """Where the target's key starts: a stretch of its line 24 wide, then its name from `key_x` + 30."""
        return self.right - KEY_WIDTH


def bar_chart(
    values: Sequence[float | None],
    *,
    labels: Sequence[str] = (),
    at_least: float = 0.0,
    limit: float | None = None,
    limit_label: str = "",
    over: Sequence[bool] = (),
    fmt: Callable[[float], str] = _plain,
    x_title: str = "",
    y_title: str = "",
    slot: int = 34,
    bar_width: int = 22,
    plot_height: int = 180,
) -> BarChart:
    """Bars for the values (a missing value draws none), scaled so the tallest (and `at_least`, and the limit)
    fit `plot_height`; `labels` go under the bars, each value (as `fmt` writes it) above its bar, and ticks at
    nought, half and the top of the scale; `over` marks bars drawn as over the limit."""
    scale = [at_least, *(v for v in values if v is not None), *([] if limit is None else [limit])]
    peak = max(scale) or 1.0
    baseline = TOP + plot_height

    def top(value: float) -> int:
        return baseline - round(value / peak * plot_height)

    bars = [
        Bar(
            x=LEFT + n * slot + (slot - bar_width) // 2,
            top=top(value or 0),
            height=baseline - top(value or 0),
            over=bool(over[n]) if n < len(over) else False,
            label=labels[n] if n < len(labels) else "",
            value="" if value is None else fmt(value),
            centre=LEFT + n * slot + slot // 2,
        )
        for n, value in enumerate(values)
    ]
    right = max(LEFT + len(values) * slot, MIN_WIDTH - RIGHT)
    return BarChart(
        width=right + RIGHT,
        height=baseline + BOTTOM,
        bar_width=bar_width,
        bars=bars,
        limit=None if limit is None else top(limit),
        limit_label=limit_label,
        ticks=tuple(Tick(y=top(v), label=fmt(v)) for v in (0.0, peak / 2, peak)),
        x_title=x_title,
        y_title=y_title,
        right=right,
        baseline=baseline,
    )
