"""Inline SVG geometry for the admin pages (no JavaScript, no CDN): axes with ticks, value
labels on every point or bar, and `<title>` tooltips the browser shows on hover.

Drawn here rather than with a chart library: pygal (the well-kept server-side SVG one) shows
its tooltips only through a script it loads from a CDN, and the admin loads nothing from
outside; these charts are small enough that their geometry is clearer than its styling.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from api.admin.formatting import day, moment
from core.money import kzt
from services.property_insights import NightCell, PricePoint

WIDTH, HEIGHT = 720, 260
LEFT, RIGHT, TOP, BOTTOM = 84, 64, 28, 44
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
Number = int | Decimal


@dataclass(frozen=True)
class Tick:
    at: float  # x or y, in the SVG's units
    label: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    point: PricePoint

    @property
    def value_label(self) -> str:
        return kzt(self.point.price)

    @property
    def tooltip(self) -> str:
        return f"{moment(self.point.changed_at)} — {kzt(self.point.price)}"


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    dots: list[Dot]
    y_ticks: list[Tick]
    x_ticks: list[Tick]

    @property
    def polyline(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)

    @property
    def left(self) -> int:
        return LEFT

    @property
    def right(self) -> int:
        return self.width - RIGHT

    @property
    def top(self) -> int:
        return TOP

    @property
    def bottom(self) -> int:
        return self.height - BOTTOM


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × 10ⁿ apart) covering low..high."""
    if high < low:
        low, high = high, low
    if high == low:
        spread = abs(high) * 0.1 or 1.0
        low, high = low - spread, high + spread
    raw = (high - low) / max(count - 1, 1)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    first = math.floor(low / step) * step
    ticks = []
    value = first
    while value < high + step * 0.999:
        ticks.append(round(value, 6))
        value += step
    return ticks


def price_chart(points: list[PricePoint], width: int = WIDTH, height: int = HEIGHT) -> LineChart:
    """One point per price change, left to right; the price axis in tenge, round ticks."""
    if not points:
        return LineChart(width, height, [], [], [])
    ticks = nice_ticks(min(p.price for p in points), max(p.price for p in points))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = width - LEFT - RIGHT, height - TOP - BOTTOM

    def y_of(value: float) -> float:
        return TOP + plot_h - (value - low) * plot_h / ((high - low) or 1)

    step = plot_w / max(len(points) - 1, 1)
    offset = 0.0 if len(points) > 1 else plot_w / 2
    dots = [Dot(x=LEFT + offset + i * step, y=y_of(p.price), point=p) for i, p in enumerate(points)]
    every = max(1, math.ceil(len(dots) / 6))  # at most six dates under the axis
    x_ticks = [Tick(d.x, day(d.point.changed_at.date())) for d in dots[::every]]
    y_ticks = [Tick(y_of(v), kzt(int(v))) for v in ticks]
    return LineChart(width, height, dots, y_ticks, x_ticks)


@dataclass(frozen=True)
class Bar:
    label: str
    value: Number
    width: float
    value_label: str
    y: float

    @property
    def tooltip(self) -> str:
        return f"{self.label}: {self.value_label}"


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    left: int  # where the bars start (names are written before it)
    bars: list[Bar]
    ticks: list[Tick]

    @property
    def axis_y(self) -> float:
        return self.height - 22


ROW = 26


def bar_chart(
    values: Sequence[tuple[str, Number]],
    fmt: Callable[[Number], str],
    top: Number | None = None,
    width: int = 720,
    left: int = 220,
) -> BarChart:
    """Horizontal bars with their values written after them and a value axis below."""
    plot = width - left - 110  # room for the value label after the longest bar
    largest = max((float(v) for _, v in values), default=0.0)
    ticks = nice_ticks(0, float(top) if top is not None else (largest or 1), 5)
    scale = ticks[-1] or 1
    bars = [
        Bar(
            label=label,
            value=value,
            width=max(float(value), 0) * plot / scale,
            value_label=fmt(value),
            y=6 + i * ROW,
        )
        for i, (label, value) in enumerate(values)
    ]
    height = 6 + len(bars) * ROW + 28
    axis = [Tick(left + v * plot / scale, fmt(_same_kind(v, values))) for v in ticks]
    return BarChart(width, height, left, bars, axis)


def _same_kind(value: float, values: Sequence[tuple[str, Number]]) -> Number:
    """A tick shown like the values: whole tenge, or a percentage with its decimal."""
    if values and isinstance(values[0][1], Decimal):
        return Decimal(str(value)).quantize(Decimal("0.1"))
    return int(value)


def percent(value: Number) -> str:
    text = f"{Decimal(value):.1f}".replace(".", ",")
    return text.removesuffix(",0") + " %"


def money(value: Number) -> str:
    return kzt(int(value))


@dataclass(frozen=True)
class Week:
    cells: list[NightCell | None]  # Monday to Sunday; None outside the range


def calendar_weeks(cells: list[NightCell]) -> list[Week]:
    """The nights laid out in weeks from Monday, as on a wall calendar."""
    if not cells:
        return []
    first: date = cells[0].night
    by_day = {c.night: c for c in cells}
    start = first - timedelta(days=first.weekday())
    weeks = []
    while start <= cells[-1].night:
        weeks.append(Week([by_day.get(start + timedelta(days=i)) for i in range(7)]))
        start += timedelta(days=7)
    return weeks


def state_counts(cells: list[NightCell]) -> dict[str, int]:
    counts = {"free": 0, "booking": 0, "owner": 0, "ical": 0}
    for c in cells:
        counts[c.state] = counts.get(c.state, 0) + 1
    return counts
