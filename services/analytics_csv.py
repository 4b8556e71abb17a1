"""The analytics report as CSV, for the bots' "📥 Экспорт в CSV" and the web admin.

Format: UTF-8 with a byte-order mark (Excel then reads Cyrillic correctly), `;` between
fields and a decimal comma in percentages ("42,9") — what Excel expects in the ru/kk
locales used in Kazakhstan; money is whole tenge without separators, dates are ISO.
Column titles come from a `label(key)` function, so each channel names them in the
user's language; the numbers are the report's own, never recomputed here.

- general: the overview as `metric;value` rows (stays in the period, then the "new_*" rows:
  booked in the period, by booking date), then one table per section
  (top apartments, guests, realtors, cancellations by reason), sections apart by an
  empty line;
- realtors / agencies: a single table, one row per realtor / agency.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from enum import StrEnum

from services.analytics import Figures, Report
from services.csv_cells import SafeWriter

Label = Callable[[str], str]
Row = Callable[[Sequence[object]], object]
DELIMITER = ";"
BOM = "\ufeff"


class Mode(StrEnum):
    GENERAL = "general"
    REALTORS = "realtors"
    AGENCIES = "agencies"


def number(value: int | Decimal) -> str:
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def _plain(key: str) -> str:
    return key


def overview_rows(figures: Figures) -> list[tuple[str, int | Decimal]]:
    """The overview metrics in the order every channel shows them."""
    return [
        ("revenue", figures.revenue),
        ("gross", figures.gross),
        ("refunds", figures.refunds),
        ("bookings", figures.bookings),
        ("paid_bookings", figures.paid_bookings),
        ("cancellations", figures.cancellations),
        ("cancellation_share", figures.cancellation_share),
        ("expired_holds", figures.expired_holds),
        ("booked_nights", figures.booked_nights),
        ("available_nights", figures.available_nights),
        ("occupancy", figures.occupancy),
        ("new_bookings", figures.new_bookings),
        ("new_paid_bookings", figures.new_paid_bookings),
        ("new_revenue", figures.new_revenue),
        ("new_gross", figures.new_gross),
        ("new_refunds", figures.new_refunds),
        ("apartments", figures.apartments),
    ]


GROUP_COLUMNS = (
    "apartments",
    "bookings",
    "paid_bookings",
    "cancellations",
    "cancellation_share",
    "booked_nights",
    "available_nights",
    "occupancy",
    "gross",
    "refunds",
    "revenue",
    "new_bookings",
    "new_paid_bookings",
    "new_revenue",
)


def _group_values(figures: Figures) -> list[str]:
    return [number(getattr(figures, c)) for c in GROUP_COLUMNS]


def render(report: Report, mode: Mode, label: Label = _plain) -> bytes:
    out = io.StringIO()
    # Names, titles and phones are other people's words: none may run as a formula.
    writer = SafeWriter(csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n"))
    if mode is Mode.REALTORS:
        writer.writerow([label("realtor"), label("agency"), *map(label, GROUP_COLUMNS)])
        for r in report.realtors:
            writer.writerow([r.name, r.agency or label("no_agency"), *_group_values(r.figures)])
    elif mode is Mode.AGENCIES:
        writer.writerow([label("agency"), label("realtors"), *map(label, GROUP_COLUMNS)])
        for a in report.agencies:
            writer.writerow([a.name or label("no_agency"), a.realtors, *_group_values(a.figures)])
    else:
        _general(writer.writerow, report, label)
    return (BOM + out.getvalue()).encode("utf-8")


def _general(row: Row, report: Report, label: Label) -> None:
    row([label("metric"), label("value")])
    row([label("period_start"), report.period.start.isoformat()])
    row([label("period_end"), report.period.end.isoformat()])
    for key, value in overview_rows(report.overview):
        row([label(key), number(value)])
    row([])
    columns = ("top_apartments", "city", "paid_bookings", "booked_nights", "occupancy", "revenue")
    row([label(c) for c in columns])
    for a in report.top_apartments:
        f = a.figures
        row([a.title, a.city, f.paid_bookings, f.booked_nights, number(f.occupancy), f.revenue])
    row([])
    row([label("top_guests"), label("phone"), label("paid_bookings"), label("revenue")])
    for g in report.top_guests:
        row([g.first_name, g.phone, g.bookings, g.revenue])
    row([])
    row([label("top_realtors"), label("agency"), label("paid_bookings"), label("revenue")])
    for r in report.top_realtors:
        f = r.figures
        row([r.name, r.agency or label("no_agency"), f.paid_bookings, f.revenue])
    row([])
    row([label("cancel_reason"), label("cancellations"), label("refunds")])
    for reason in report.reasons:
        row([label("reason_" + reason.reason), reason.count, reason.refunds])


def filename(report: Report, mode: Mode) -> str:
    return f"zhilyego_{mode.value}_{report.period.start}_{report.period.end}.csv"
