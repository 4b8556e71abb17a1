"""Keyboards and texts of the statistics screens; numbers come from services.analytics."""

from __future__ import annotations

from decimal import Decimal

from aiogram.types import ReplyKeyboardMarkup

from bots.telegram.keyboards import with_nav
from bots.texts import CATALOGUE, t
from core.money import kzt
from services.analytics import Figures, PeriodKey, Report
from services.analytics_csv import Label, Mode

PERIOD_BUTTONS = {
    "btn_stats_7d": PeriodKey.LAST_7_DAYS,
    "btn_stats_30d": PeriodKey.LAST_30_DAYS,
    "btn_stats_month": PeriodKey.THIS_MONTH,
    "btn_stats_prev_month": PeriodKey.PREVIOUS_MONTH,
    "btn_stats_year": PeriodKey.THIS_YEAR,
}
MODE_BUTTONS = {
    "btn_stats_general": Mode.GENERAL,
    "btn_stats_realtors": Mode.REALTORS,
    "btn_stats_agencies": Mode.AGENCIES,
}
# Telegram caps a message at 4096 characters; the CSV always has every row, full names.
MAX_ROWS = 10
MAX_NAME = 60


def periods(lang: str) -> ReplyKeyboardMarkup:
    return with_nav([t(key, lang) for key in PERIOD_BUTTONS], lang)


def actions(lang: str) -> ReplyKeyboardMarkup:
    buttons = [t(key, lang) for key in MODE_BUTTONS]
    buttons += [t("btn_stats_export", lang), t("btn_stats_period", lang)]
    return with_nav(buttons, lang, width=3)


def short(name: str) -> str:
    return name if len(name) <= MAX_NAME else name[: MAX_NAME - 1] + "…"


def pct(value: Decimal, lang: str) -> str:
    return f"{value}%" if lang == "en" else f"{value} %".replace(".", ",")


def csv_label(lang: str) -> Label:
    """Column titles (and reason / "no agency" names) of the CSV in the user's language."""

    def label(key: str) -> str:
        prefix = "stats_" if key.startswith("reason_") or key == "no_agency" else "csv_"
        name = prefix + key
        return t(name, lang) if name in CATALOGUE else key

    return label


def _header(report: Report, lang: str) -> str:
    return t(
        "stats_header",
        lang,
        start=f"{report.period.start:%d.%m.%Y}",
        end=f"{report.period.end:%d.%m.%Y}",
    )


def overview(figures: Figures, lang: str) -> str:
    return t(
        "stats_overview",
        lang,
        revenue=kzt(figures.revenue),
        gross=kzt(figures.gross),
        refunds=kzt(figures.refunds),
        bookings=figures.bookings,
        paid=figures.paid_bookings,
        cancellations=figures.cancellations,
        share=pct(figures.cancellation_share, lang),
        expired=figures.expired_holds,
        occupancy=pct(figures.occupancy, lang),
        booked=figures.booked_nights,
        available=figures.available_nights,
        new_bookings=figures.new_bookings,
        new_paid=figures.new_paid_bookings,
        new_revenue=kzt(figures.new_revenue),
        new_gross=kzt(figures.new_gross),
        new_refunds=kzt(figures.new_refunds),
        apartments=figures.apartments,
    )


def _section(title_key: str, lines: list[str], lang: str) -> str:
    return "\n".join([t(title_key, lang), *(lines or [t("stats_nothing", lang)])])


def general(report: Report, lang: str) -> str:
    no_agency = t("stats_no_agency", lang)
    apartments = [
        t(
            "stats_top_apartment_line",
            lang,
            n=n,
            title=short(a.title),
            revenue=kzt(a.figures.revenue),
            bookings=a.figures.paid_bookings,
            occupancy=pct(a.figures.occupancy, lang),
        )
        for n, a in enumerate(report.top_apartments, 1)
    ]
    guests = [
        t(
            "stats_top_guest_line",
            lang,
            n=n,
            name=g.first_name,
            phone=g.phone,
            bookings=g.bookings,
            revenue=kzt(g.revenue),
        )
        for n, g in enumerate(report.top_guests, 1)
    ]
    realtors = [
        t(
            "stats_top_realtor_line",
            lang,
            n=n,
            name=short(r.name),
            agency=short(r.agency or no_agency),
            revenue=kzt(r.figures.revenue),
            bookings=r.figures.paid_bookings,
        )
        for n, r in enumerate(report.top_realtors, 1)
    ]
    reasons = [
        t(
            "stats_reason_line",
            lang,
            reason=csv_label(lang)("reason_" + r.reason),
            count=r.count,
            refunds=kzt(r.refunds),
        )
        for r in report.reasons
    ]
    return "\n\n".join(
        [
            _header(report, lang),
            overview(report.overview, lang),
            _section("stats_top_apartments", apartments, lang),
            _section("stats_top_guests", guests, lang),
            _section("stats_top_realtors", realtors, lang),
            _section("stats_reasons", reasons, lang),
        ]
    )


def _group_values(figures: Figures, lang: str) -> dict[str, object]:
    return {
        "revenue": kzt(figures.revenue),
        "bookings": figures.bookings,
        "paid": figures.paid_bookings,
        "cancellations": figures.cancellations,
        "share": pct(figures.cancellation_share, lang),
        "occupancy": pct(figures.occupancy, lang),
        "apartments": figures.apartments,
        "new_bookings": figures.new_bookings,
        "new_revenue": kzt(figures.new_revenue),
    }


def _more(total: int, lang: str) -> list[str]:
    return [t("stats_more", lang, count=total - MAX_ROWS)] if total > MAX_ROWS else []


def realtors(report: Report, lang: str) -> str:
    no_agency = t("stats_no_agency", lang)
    lines = [
        t(
            "stats_realtor_line",
            lang,
            n=n,
            name=short(r.name),
            agency=short(r.agency or no_agency),
            **_group_values(r.figures, lang),
        )
        for n, r in enumerate(report.realtors[:MAX_ROWS], 1)
    ]
    title = t(
        "stats_realtors_title",
        lang,
        start=f"{report.period.start:%d.%m.%Y}",
        end=f"{report.period.end:%d.%m.%Y}",
    )
    body = lines + _more(len(report.realtors), lang) or [t("stats_nothing", lang)]
    return "\n".join([title, *body])


def agencies(report: Report, lang: str) -> str:
    lines = [
        t(
            "stats_agency_line",
            lang,
            n=n,
            name=short(a.name or t("stats_no_agency", lang)),
            realtors=a.realtors,
            **_group_values(a.figures, lang),
        )
        for n, a in enumerate(report.agencies[:MAX_ROWS], 1)
    ]
    title = t(
        "stats_agencies_title",
        lang,
        start=f"{report.period.start:%d.%m.%Y}",
        end=f"{report.period.end:%d.%m.%Y}",
    )
    body = lines + _more(len(report.agencies), lang) or [t("stats_nothing", lang)]
    return "\n".join([title, *body])


def render(report: Report, mode: Mode, lang: str) -> str:
    if mode is Mode.REALTORS:
        return realtors(report, lang)
    if mode is Mode.AGENCIES:
        return agencies(report, lang)
    return general(report, lang)


def csv_caption(report: Report, mode: Mode, lang: str) -> str:
    return t(
        "stats_csv_caption",
        lang,
        mode=t(f"stats_mode_{mode.value}", lang),
        start=f"{report.period.start:%d.%m.%Y}",
        end=f"{report.period.end:%d.%m.%Y}",
    )
