"""Property search and cards: the read side shared by the API and both bots."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import and_, exists, func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from sqlmodel.sql.expression import SelectOfScalar

from models import CalendarNight, Property, PropertyPhoto, Review
from models.enums import PropertyClass
from models.pricing import StayRuleError, quote_stay
from services.pricing import price_rules
from services.search_places import city_spellings, district_spellings


class SearchSort(StrEnum):
    PRICE = "price"  # cheapest night first
    PRICE_DESC = "-price"  # dearest night first
    RATING = "rating"  # highest average rating first (unrated last), then cheapest


@dataclass(frozen=True)
class SearchFilters:
    city: str | None = None
    district: str | None = None
    property_class: PropertyClass | None = None
    rooms: int | None = None
    check_in: date | None = None
    check_out: date | None = None
    # "4+" rooms in the bots: at least this many.
    min_rooms: int | None = None
    # Only apartments that sleep at least this many guests.
    guests: int | None = None
    # Nightly price (price_per_night, whole tenge) within these bounds, both inclusive.
    price_min: int | None = None
    price_max: int | None = None
    sort: SearchSort = SearchSort.PRICE


@dataclass(frozen=True)
class PropertyCard:
    id: int
    title: str
    city: str
    district: str
    property_class: str
    rooms: int
    area_m2: float | None
    address: str
    description: str
    max_guests: int
    price_per_night: int
    cleaning_fee: int
    min_nights: int
    max_nights: int
    check_in_time: str
    check_out_time: str
    cancellation_policy: str
    status: str
    rating: float | None
    reviews: int
    photos: list[str]
    # Searches with dates: the stay's nights, and its total as the hold would charge it
    # (nights x nightly price + cleaning fee); no total when the stay breaks min/max nights.
    nights: int | None = None
    stay_total: int | None = None


@dataclass(frozen=True)
class SearchPage:
    items: list[PropertyCard]
    page: int
    page_size: int
    total: int


def _filtered(filters: SearchFilters) -> SelectOfScalar[Property]:
    query = select(Property).where(col(Property.is_active))
    # A place named in any language (or stored in one) is the same place.
    if filters.city:
        query = query.where(func.lower(col(Property.city)).in_(city_spellings(filters.city)))
    if filters.district:
        spellings = district_spellings(filters.district)
        query = query.where(func.lower(col(Property.district)).in_(spellings))
    if filters.property_class:
        query = query.where(col(Property.property_class) == filters.property_class.value)
    if filters.rooms:
        query = query.where(col(Property.rooms) == filters.rooms)
    if filters.min_rooms:
        query = query.where(col(Property.rooms) >= filters.min_rooms)
    if filters.guests:
        query = query.where(col(Property.max_guests) >= filters.guests)
    if filters.price_min is not None:
        query = query.where(col(Property.price_per_night) >= filters.price_min)
    if filters.price_max is not None:
        query = query.where(col(Property.price_per_night) <= filters.price_max)
    if filters.check_in and filters.check_out:
        taken = exists().where(
            and_(
                col(CalendarNight.property_id) == col(Property.id),
                col(CalendarNight.night) >= filters.check_in,
                col(CalendarNight.night) < filters.check_out,
            )
        )
        query = query.where(~taken)
    return query


def _ordered(query: SelectOfScalar[Property], sort: SearchSort) -> SelectOfScalar[Property]:
    """Every order ends with the id, so pages never overlap or skip an apartment."""
    price, pid = col(Property.price_per_night), col(Property.id)
    if sort is SearchSort.PRICE_DESC:
        return query.order_by(price.desc(), pid)
    if sort is SearchSort.RATING:
        # Ranked by the rating the card shows (rounded to 2 places).
        rated = (
            select(
                col(Review.property_id).label("property_id"),
                func.round(func.avg(col(Review.rating)), 2).label("rating"),
            )
            .where(col(Review.deleted_at).is_(None))
            .group_by(col(Review.property_id))
            .subquery()
        )
        return query.outerjoin(rated, rated.c.property_id == pid).order_by(
            rated.c.rating.desc().nulls_last(), price, pid
        )
    return query.order_by(price, pid)


async def search_properties(
    session: AsyncSession, filters: SearchFilters, *, page: int, page_size: int
) -> SearchPage:
    """Only apartments free for every night asked for; cheapest first unless sorted."""
    query = _filtered(filters)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = (
        await session.scalars(
            _ordered(query, filters.sort).offset((page - 1) * page_size).limit(page_size)
        )
    ).all()
    stay = (filters.check_in, filters.check_out) if filters.check_in and filters.check_out else None
    return SearchPage(
        items=await _cards(session, list(rows), stay=stay, guests=filters.guests or 1),
        page=page,
        page_size=page_size,
        total=total,
    )


def _stay_total(prop: Property, check_in: date, check_out: date, guests: int) -> int | None:
    """The total the hold activity would charge: the same rules, the same pure function."""
    try:
        return quote_stay(price_rules(prop), check_in, check_out, guests).total
    except StayRuleError:
        return None


async def property_card(session: AsyncSession, property_id: int) -> PropertyCard | None:
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        return None
    return (await _cards(session, [prop]))[0]


async def _cards(
    session: AsyncSession,
    props: list[Property],
    *,
    stay: tuple[date, date] | None = None,
    guests: int = 1,
) -> list[PropertyCard]:
    ids = [p.id for p in props]
    if not ids:
        return []
    ratings = {
        pid: (avg, count)
        for pid, avg, count in (
            await session.execute(
                select(col(Review.property_id), func.avg(col(Review.rating)), func.count())
                .where(col(Review.property_id).in_(ids), col(Review.deleted_at).is_(None))
                .group_by(col(Review.property_id))
            )
        ).all()
    }
    photos: dict[int, list[str]] = {}
    for pid, url in (
        await session.execute(
            select(col(PropertyPhoto.property_id), col(PropertyPhoto.url))
            .where(col(PropertyPhoto.property_id).in_(ids))
            .order_by(col(PropertyPhoto.position), col(PropertyPhoto.id))
        )
    ).all():
        photos.setdefault(pid, []).append(url)
    cards = []
    for p in props:
        avg, count = ratings.get(p.id or 0, (None, 0))
        cards.append(
            PropertyCard(
                id=p.id or 0,
                title=p.title,
                city=p.city,
                district=p.district,
                property_class=p.property_class,
                rooms=p.rooms,
                area_m2=p.area_m2,
                address=p.address,
                description=p.description,
                max_guests=p.max_guests,
                price_per_night=p.price_per_night,
                cleaning_fee=p.cleaning_fee,
                min_nights=p.min_nights,
                max_nights=p.max_nights,
                check_in_time=p.check_in_time.strftime("%H:%M"),
                check_out_time=p.check_out_time.strftime("%H:%M"),
                cancellation_policy=p.cancellation_policy,
                status=p.status,
                rating=round(float(avg), 2) if avg is not None else None,
                reviews=int(count),
                photos=photos.get(p.id or 0, []),
                nights=(stay[1] - stay[0]).days if stay else None,
                stay_total=_stay_total(p, *stay, guests) if stay else None,
            )
        )
    return cards
