"""An apartment's prices: the quote of a stay with its breakdown (public), and the owner's
pricing rules — weekend price, seasons, holiday dates, stay discounts, extra guests — read
and set with an owner token, scoped to the owner's apartments."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from api.deps import CurrentUserDep, SessionDep, StateDep
from api.protection import api_rate_limit
from models import Property
from models.pricing import PricingRules, StayRuleError, quote_stay
from services.owner import PropertyAccessDenied, require_property, set_pricing
from services.pricing import price_rules
from services.search_cache import SearchCache

router = APIRouter(
    prefix="/api/v1/properties",
    tags=["pricing"],
    dependencies=[Depends(api_rate_limit)],
)
PropertyId = Annotated[int, Path(gt=0, lt=2**31)]


@dataclass(frozen=True)
class QuoteLineOut:
    band: str  # base | weekend | season | date
    price: int
    nights: int
    total: int
    name: str


@dataclass(frozen=True)
class QuoteOut:
    property_id: int
    check_in: date
    check_out: date
    guests: int
    nights: int
    lines: list[QuoteLineOut]
    discount_percent: int
    discount: int
    extra_guests: int
    extra_guest_fee: int
    cleaning_fee: int
    total: int


@dataclass(frozen=True)
class PricingOut:
    property_id: int
    price_per_night: int
    cleaning_fee: int
    min_nights: int
    max_nights: int
    rules: PricingRules


@router.get(
    "/{property_id}/quote",
    responses={
        404: {"description": "no such property"},
        422: {"description": "a stay the apartment does not take (nights, guests, dates)"},
    },
)
async def get_quote(
    property_id: PropertyId,
    check_in: date,
    check_out: date,
    session: SessionDep,
    guests: Annotated[int, Query(ge=1, le=50)] = 1,
) -> QuoteOut:
    """What a stay costs, as the hold would charge it: each price band with its nights, the
    long-stay discount, extra guests, cleaning. Free nights are not checked here."""
    prop = await session.get(Property, property_id)
    if prop is None or not prop.is_active:
        raise HTTPException(404, f"property {property_id} not found")
    if guests > prop.max_guests:
        raise HTTPException(422, f"this apartment takes at most {prop.max_guests} guests")
    try:
        quote = quote_stay(price_rules(prop), check_in, check_out, guests)
    except StayRuleError as exc:
        raise HTTPException(422, str(exc)) from exc
    return QuoteOut(
        property_id=property_id,
        check_in=check_in,
        check_out=check_out,
        guests=guests,
        nights=quote.nights,
        lines=[
            QuoteLineOut(line.band.value, line.price, line.nights, line.total, line.name)
            for line in quote.lines
        ],
        discount_percent=quote.discount_percent,
        discount=quote.discount,
        extra_guests=quote.extra_guests,
        extra_guest_fee=quote.extra_guest_fee,
        cleaning_fee=quote.cleaning_fee,
        total=quote.total,
    )


def _pricing(prop: Property) -> PricingOut:
    return PricingOut(
        property_id=prop.id or 0,
        price_per_night=prop.price_per_night,
        cleaning_fee=prop.cleaning_fee,
        min_nights=prop.min_nights,
        max_nights=prop.max_nights,
        rules=price_rules(prop).pricing,
    )


OWNER_ONLY: dict[int | str, dict[str, Any]] = {
    401: {"description": "no or invalid owner token"},
    403: {"description": "not an apartment you manage (or no such apartment)"},
}


@router.get("/{property_id}/pricing", responses=OWNER_ONLY)
async def get_pricing(
    property_id: PropertyId, session: SessionDep, user: CurrentUserDep
) -> PricingOut:
    try:
        prop = await require_property(session, user, property_id)
    except PropertyAccessDenied as exc:
        raise HTTPException(403, "you do not manage this apartment") from exc
    return _pricing(prop)


@router.put(
    "/{property_id}/pricing",
    responses={**OWNER_ONLY, 422: {"description": "rules that contradict themselves"}},
)
async def put_pricing(
    property_id: PropertyId,
    rules: PricingRules,
    session: SessionDep,
    user: CurrentUserDep,
    state: StateDep,
) -> PricingOut:
    """Replaces the apartment's rules; every quote (search cards, bots, holds, the calendar)
    uses them at once, and cached search pages are forgotten."""
    cache = SearchCache.from_settings(state.redis, state.settings)
    try:
        prop = await set_pricing(session, user, property_id, rules, search_cache=cache)
    except PropertyAccessDenied as exc:
        raise HTTPException(403, "you do not manage this apartment") from exc
    return _pricing(prop)
