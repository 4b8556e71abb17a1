"""What a search says in either bot: filter labels, the compact list of a results page and
the full card of one apartment. Telegram and WhatsApp only draw these texts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bots.texts import t
from core.money import kzt
from models.pricing import Band, Quote
from services.search import PropertyCard
from services.search_places import city_name, district_name

DESCRIPTION_LIMIT = 1500
LIST_TITLE = 48  # a line of the list stays one line on a phone


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def city_label(city: str, lang: str) -> str:
    return city_name(city, lang)


def district_label(district: str, lang: str) -> str:
    return district_name(district, lang)


def class_label(value: str, lang: str) -> str:
    return t(f"search_class_{value}", lang)


def filter_labels(filters: Mapping[str, Any], lang: str) -> list[str]:
    """City, district, class, rooms as the guest reads them ("any …" where not chosen)."""
    city = filters.get("city")
    district = filters.get("district")
    klass = filters.get("property_class")
    if filters.get("min_rooms"):
        rooms = t("search_rooms_value", lang, rooms=f"{filters['min_rooms']}+")
    elif filters.get("rooms"):
        rooms = t("search_rooms_value", lang, rooms=int(filters["rooms"]))
    else:
        rooms = t("search_any_rooms", lang)
    return [
        city_label(str(city), lang) if city else t("search_any_city", lang),
        district_label(str(district), lang) if district else t("search_any_district", lang),
        class_label(str(klass), lang) if klass else t("search_any_class", lang),
        rooms,
    ]


def filters_summary(filters: Mapping[str, Any], lang: str) -> str:
    """ "Алматы · Медеуский · Комфорт · 2 комнаты"."""
    return " · ".join(filter_labels(filters, lang))


def place(card: PropertyCard, lang: str) -> str:
    return f"{city_label(card.city, lang)}, {district_label(card.district, lang)}"


def list_line(card: PropertyCard, n: int, lang: str, *, with_city: bool = True) -> str:
    """One apartment of a list: number and title, then where, price, rating and guests."""
    if card.rating is None or card.reviews == 0:
        rating = t("search_line_no_rating", lang)
    else:
        rating = t("search_line_rating", lang, avg=f"{card.rating:.1f}", count=card.reviews)
    line = t(
        "search_line",
        lang,
        n=n,
        title=clip(card.title, LIST_TITLE),
        place=place(card, lang) if with_city else district_label(card.district, lang),
        price=kzt(card.price_per_night),
        rating=rating,
        guests=card.max_guests,
    )
    if card.nights and card.stay_total is not None:  # a search with dates: the whole stay
        line += "\n" + t("search_line_total", lang, nights=card.nights, total=kzt(card.stay_total))
    return line


def favourites_text(
    cards: Sequence[PropertyCard],
    lang: str,
    notice: str | None = None,
    *,
    first: int = 1,
    total: int | None = None,
) -> str:
    body = t("fav_list", lang, count=total if total is not None else len(cards))
    lines = [list_line(card, n, lang) for n, card in enumerate(cards, first)]
    text = body + "\n\n" + "\n".join(lines)
    return f"{notice}\n\n{text}" if notice else text


def rating_line(card: PropertyCard, lang: str) -> str:
    if card.rating is None or card.reviews == 0:
        return t("search_no_rating", lang)
    return t("search_rating", lang, avg=f"{card.rating:.1f}", count=card.reviews)


def detail_text(card: PropertyCard, lang: str, *, limit: int | None = None) -> str:
    """The opened apartment; with `limit`, the description is cut so the whole fits."""
    text = t(
        "search_detail",
        lang,
        title=card.title,
        place=place(card, lang) + (f" · {card.address}" if card.address else ""),
        klass=class_label(card.property_class, lang),
        rooms=card.rooms,
        area=t("search_area", lang, area=f"{card.area_m2:g}") if card.area_m2 else "",
        guests=card.max_guests,
        price=kzt(card.price_per_night),
        cleaning=kzt(card.cleaning_fee),
        min_nights=card.min_nights,
        max_nights=card.max_nights,
        check_in=card.check_in_time,
        check_out=card.check_out_time,
        policy=t(f"search_policy_{card.cancellation_policy}", lang),
        rating=rating_line(card, lang),
    )
    room = DESCRIPTION_LIMIT if limit is None else min(DESCRIPTION_LIMIT, limit - len(text) - 2)
    description = card.description.strip()
    if room < 20:
        return clip(text, limit) if limit else text
    description = clip(description, room)
    return f"{text}\n\n{description}" if description else text


def quote_breakdown(quote: Quote, lang: str) -> str:
    """The quote's nights by price band ("🌙 2 × 25 000 ₸ (выходные) = 50 000 ₸"), its
    long-stay discount and extra-guest fee, one line each."""
    lines = []
    for line in quote.lines:
        band = "" if line.band is Band.BASE else t(f"bk_band_{line.band.value}", lang)
        if line.name:
            band = f" ({line.name})"
        lines.append(
            t(
                "bk_quote_line",
                lang,
                nights=line.nights,
                price=kzt(line.price),
                band=band,
                total=kzt(line.total),
            )
        )
    if quote.discount:
        lines.append(
            t("bk_quote_discount", lang, percent=quote.discount_percent, amount=kzt(quote.discount))
        )
    if quote.extra_guest_fee:
        lines.append(
            t(
                "bk_quote_extra_guests",
                lang,
                extra=quote.extra_guests,
                amount=kzt(quote.extra_guest_fee),
            )
        )
    return "\n".join(lines)
