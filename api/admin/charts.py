"""Inline SVG geometry for the admin pages (no JavaScript, no CDN)."""

from __future__ import annotations

from dataclasses import dataclass

from services.property_insights import PricePoint

WIDTH, HEIGHT, PAD = 600, 200, 20


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    point: PricePoint


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    dots: list[Dot]

    @property
    def polyline(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float


def price_chart(points: list[PricePoint]) -> LineChart:
    """Points spread evenly left to right (one per change), prices scaled to the height."""
    if not points:
        return LineChart(WIDTH, HEIGHT, [])
    low = min(p.price for p in points)
    high = max(p.price for p in points)
    span = (high - low) or 1
    step = (WIDTH - 2 * PAD) / max(len(points) - 1, 1)
    dots = [
        Dot(
            x=PAD + i * step,
            y=HEIGHT - PAD - (p.price - low) * (HEIGHT - 2 * PAD) / span,
            point=p,
        )
        for i, p in enumerate(points)
    ]
    return LineChart(WIDTH, HEIGHT, dots)


def bars(values: list[tuple[str, int]], width: int = 400, top: int | None = None) -> list[Bar]:
    """Bar lengths relative to `top` (default: the largest value)."""
    top = top or max((v for _, v in values), default=0) or 1
    return [Bar(label, value, max(value, 0) * width / top) for label, value in values]
