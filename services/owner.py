"""Owner-side reads and edits of apartments, always scoped to the acting user.

An owner or realtor (role admin) reaches only their own apartments; super_admin and
super_user reach every apartment, across owners, realtors and agencies. Every function
takes the acting user and checks it here, so no channel can forget to.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from redis.exceptions import RedisError
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.crypto import CodeCipher, mask_code
from core.logging import get_logger
from models import Agency, Booking, CalendarNight, Property, PropertyPhoto, Review, User
from models.base import utcnow
from models.enums import ACTIVE_BOOKING_STATUSES, STAFF_ROLES, CalendarBlockKind, Role
from models.pricing import PricingRules
from services.search_cache import SearchCache

log = get_logger(__name__)
OWNER_ROLES = frozenset({Role.ADMIN, Role.SUPER_ADMIN, Role.SUPER_USER})
MAX_PRICE = 10_000_000
MAX_DESCRIPTION = 4000
CODE_LENGTH = (3, 32)


class PropertyAccessDenied(PermissionError):
    """Not an apartment this user may manage (or no such apartment: we do not say which)."""


class InvalidValue(ValueError):
    """A value the owner typed that the apartment cannot take; `reason` names the rule."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


async def forget_search_pages(cache: SearchCache | None) -> None:
    """Search answers show prices, descriptions and photos: cached pages must go."""
    if cache is None:
        return
    try:
        await cache.invalidate()
    except RedisError as exc:  # the edit stands; stale pages only live until their TTL
        log.warning("search cache not invalidated", error=type(exc).__name__)


def is_owner(actor: User | None) -> bool:
    return actor is not None and actor.role in OWNER_ROLES


def sees_all(actor: User) -> bool:
    return actor.role in STAFF_ROLES


async def require_property(session: AsyncSession, actor: User, property_id: int) -> Property:
    """The apartment, if `actor` may manage it; PropertyAccessDenied otherwise."""
    prop = await session.get(Property, property_id) if is_owner(actor) else None
    if prop is None or not (sees_all(actor) or prop.owner_id == actor.id):
        log.warning("owner access refused", user_id=actor.id, property_id=property_id)
        raise PropertyAccessDenied(property_id)
    return prop


@dataclass(frozen=True)
class OwnedProperty:
    id: int
    title: str
    city: str
    district: str
    price_per_night: int
    is_active: bool
    owner_name: str
    agency_name: str | None


@dataclass(frozen=True)
class PropertyListPage:
    items: list[OwnedProperty]
    page: int
    pages: int
    total: int


async def list_properties(
    session: AsyncSession, actor: User, *, page: int = 1, page_size: int = 10
) -> PropertyListPage:
    """The actor's apartments (all of them for staff), newest first."""
    if not is_owner(actor):
        raise PropertyAccessDenied(0)
    query = (
        select(Property, col(User.name), col(Agency.name))
        .join(User, col(User.id) == col(Property.owner_id))
        .outerjoin(Agency, col(Agency.id) == col(User.agency_id))
    )
    if not sees_all(actor):
        query = query.where(col(Property.owner_id) == actor.id)
    total = await session.scalar(select(func.count()).select_from(query.subquery())) or 0
    pages = max(1, math.ceil(total / page_size))
    page = min(max(page, 1), pages)
    rows = await session.execute(
        query.order_by(col(Property.id).desc()).offset((page - 1) * page_size).limit(page_size)
    )
    items = [
        OwnedProperty(
            id=prop.id or 0,
            title=prop.title,
            city=prop.city,
            district=prop.district,
            price_per_night=prop.price_per_night,
            is_active=prop.is_active,
            owner_name=owner_name,
            agency_name=agency_name,
        )
        for prop, owner_name, agency_name in rows.all()
    ]
    return PropertyListPage(items=items, page=page, pages=pages, total=total)


@dataclass(frozen=True)
class OwnerCard:
    id: int
    title: str
    city: str
    district: str
    property_class: str
    rooms: int
    address: str
    description: str
    price_per_night: int
    cleaning_fee: int
    is_active: bool
    owner_name: str
    agency_name: str | None
    photos: int
    key_safe_set: bool
    smart_lock_set: bool
    active_bookings: int
    owner_blocked_nights: int
    rating: float | None
    reviews: int


async def owner_card(
    session: AsyncSession, actor: User, property_id: int, *, today: date
) -> OwnerCard:
    prop = await require_property(session, actor, property_id)
    owner = await session.get(User, prop.owner_id)
    agency = await session.get(Agency, owner.agency_id) if owner and owner.agency_id else None
    photos = await session.scalar(
        select(func.count()).where(col(PropertyPhoto.property_id) == property_id)
    )
    bookings = await session.scalar(
        select(func.count()).where(
            col(Booking.property_id) == property_id,
            col(Booking.status).in_([s.value for s in ACTIVE_BOOKING_STATUSES]),
            col(Booking.check_out) > today,
        )
    )
    blocked = await session.scalar(
        select(func.count()).where(
            col(CalendarNight.property_id) == property_id,
            col(CalendarNight.kind) == CalendarBlockKind.OWNER.value,
            col(CalendarNight.night) >= today,
        )
    )
    avg, count = (
        await session.execute(
            select(func.avg(col(Review.rating)), func.count()).where(
                col(Review.property_id) == property_id,
                col(Review.deleted_at).is_(None),  # removed by staff: counts nowhere
            )
        )
    ).one()
    return OwnerCard(
        id=property_id,
        title=prop.title,
        city=prop.city,
        district=prop.district,
        property_class=prop.property_class,
        rooms=prop.rooms,
        address=prop.address,
        description=prop.description,
        price_per_night=prop.price_per_night,
        cleaning_fee=prop.cleaning_fee,
        is_active=prop.is_active,
        owner_name=owner.name if owner else "",
        agency_name=agency.name if agency else None,
        photos=photos or 0,
        key_safe_set=prop.key_safe_code_enc is not None,
        smart_lock_set=prop.smart_lock_code_enc is not None,
        active_bookings=bookings or 0,
        owner_blocked_nights=blocked or 0,
        rating=round(float(avg), 1) if avg is not None else None,
        reviews=int(count),
    )


@dataclass(frozen=True)
class PriceChange:
    old: int
    new: int


async def set_price(
    session: AsyncSession,
    actor: User,
    property_id: int,
    price: int,
    *,
    search_cache: SearchCache | None = None,
) -> PriceChange:
    """New nightly price in whole tenge; the database trigger writes the price history."""
    if price <= 0:
        raise InvalidValue("price_not_positive")
    if price > MAX_PRICE:
        raise InvalidValue("price_too_high")
    prop = await require_property(session, actor, property_id)
    change = PriceChange(old=prop.price_per_night, new=price)
    prop.price_per_night = price
    prop.updated_at = utcnow()
    await session.commit()
    log.info("price changed", property_id=property_id, user_id=actor.id, old=change.old, new=price)
    await forget_search_pages(search_cache)
    return change


async def set_pricing(
    session: AsyncSession,
    actor: User,
    property_id: int,
    rules: PricingRules,
    *,
    search_cache: SearchCache | None = None,
) -> Property:
    """The owner's weekend price, seasons, holiday dates, stay discounts and extra-guest fee
    (validated by PricingRules); the database trigger writes the price history."""
    prop = await require_property(session, actor, property_id)
    prop.pricing = rules.model_dump(mode="json")
    prop.updated_at = utcnow()
    await session.commit()
    await session.refresh(prop)
    log.info("pricing rules changed", property_id=property_id, user_id=actor.id)
    await forget_search_pages(search_cache)
    return prop


async def set_description(
    session: AsyncSession,
    actor: User,
    property_id: int,
    text: str,
    *,
    search_cache: SearchCache | None = None,
) -> None:
    text = text.strip()
    if not text:
        raise InvalidValue("description_empty")
    if len(text) > MAX_DESCRIPTION:
        raise InvalidValue("description_too_long")
    prop = await require_property(session, actor, property_id)
    prop.description = text
    prop.updated_at = utcnow()
    await session.commit()
    log.info("description changed", property_id=property_id, user_id=actor.id)
    await forget_search_pages(search_cache)


async def set_access_code(
    session: AsyncSession,
    actor: User,
    property_id: int,
    *,
    smart_lock: bool,
    plain: str,
    cipher: CodeCipher,
) -> str:
    """Stores the key-safe or smart-lock code encrypted; returns only its masked form."""
    code = plain.strip()
    if not CODE_LENGTH[0] <= len(code) <= CODE_LENGTH[1] or any(c.isspace() for c in code):
        raise InvalidValue("code_format")
    prop = await require_property(session, actor, property_id)
    token = cipher.encrypt(code)
    if smart_lock:
        prop.smart_lock_code_enc = token
    else:
        prop.key_safe_code_enc = token
    prop.updated_at = utcnow()
    await session.commit()
    # Which code changed, never its value.
    log.info("access code changed", property_id=property_id, user_id=actor.id, lock=smart_lock)
    return mask_code(code)
