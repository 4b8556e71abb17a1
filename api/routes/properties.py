"""Search and property detail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from api.deps import SessionDep, SettingsDep, StateDep
from api.errors import error_body
from api.protection import api_rate_limit
from core.clock import today_local
from models.enums import PropertyClass
from services.property_calendar import CalendarRangeError, PropertyCalendar, property_calendar
from services.search import SearchFilters, SearchPage, SearchSort, property_card
from services.search_cache import SearchCache
from services.search_places import city_key, district_key

router = APIRouter(
    prefix="/api/v1/properties",
    tags=["properties"],
    dependencies=[Depends(api_rate_limit)],
    responses={
        401: {"description": "invalid API token"},
        429: {"description": "too many requests"},
    },
)


SEARCH_PARAMS = (
    "city",
    "district",
    "property_class",
    "rooms",
    "check_in",
    "check_out",
    "guests",
    "price_min",
    "price_max",
    "sort",
    "page",
)
# Whole tenge per night; far above any real price, far below the database integer's limit.
MAX_PRICE = 100_000_000
PropertyId = Annotated[int, Path(gt=0, lt=2**31)]


async def known_search_params(request: Request) -> None:
    """A misspelt filter ("ciy=Astana") is refused, not silently ignored into a wider list."""
    unknown = sorted(set(request.query_params) - set(SEARCH_PARAMS))
    if unknown:
        detail = "unknown query parameter(s): " + ", ".join(unknown)
        raise HTTPException(
            422, error_body("invalid_request", detail) | {"accepted": list(SEARCH_PARAMS)}
        )


@router.get(
    "",
    response_model=None,
    dependencies=[Depends(known_search_params)],
    responses={200: {"model": SearchPage}},
)
async def list_properties(
    session: SessionDep,
    settings: SettingsDep,
    state: StateDep,
    city: Annotated[str | None, Query(max_length=60)] = None,
    district: Annotated[str | None, Query(max_length=100)] = None,
    property_class: PropertyClass | None = None,
    rooms: Annotated[int | None, Query(ge=1, le=20)] = None,
    check_in: date | None = None,
    check_out: date | None = None,
    guests: Annotated[int | None, Query(ge=1, le=50)] = None,
    price_min: Annotated[int | None, Query(ge=0, le=MAX_PRICE)] = None,
    price_max: Annotated[int | None, Query(ge=0, le=MAX_PRICE)] = None,
    sort: SearchSort = SearchSort.PRICE,
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """Apartments matching the filters; with dates, only those free for every night.

    `city` and `district` may be named in Russian, Kazakh or English ("Алматы", "Almaty",
    "Алматы қ."). `guests`: apartments that sleep at least that many. `price_min` /
    `price_max`: the nightly price in tenge, both inclusive. `sort`: `price` (cheapest
    first, the default), `-price` (dearest first) or `rating` (highest rated first, then
    cheapest). With dates each card also carries `nights` and `stay_total` (nights × nightly
    price + cleaning fee, as the booking would cost). A query parameter not listed here
    answers 422 with the accepted ones.
    """
    if (check_in is None) != (check_out is None):
        raise HTTPException(422, "give both check_in and check_out, or neither")
    if check_in and check_out and check_out <= check_in:
        raise HTTPException(422, "check_out must be after check_in")
    if price_min is not None and price_max is not None and price_min > price_max:
        raise HTTPException(422, "price_min must not exceed price_max")
    # A cached page goes out as the bytes Redis holds: no decoding, no re-encoding.
    page_json = await SearchCache.from_settings(state.redis, settings).search_json(
        session,
        SearchFilters(
            city_key(city) if city else None,
            district_key(district) if district else None,
            property_class,
            rooms,
            check_in,
            check_out,
            guests=guests,
            price_min=price_min,
            price_max=price_max,
            sort=sort,
        ),
        page=page,
        page_size=settings.search_page_size,
    )
    return Response(page_json, media_type="application/json")


@router.get("/{property_id}", responses={404: {"description": "no such property"}})
async def get_property(property_id: PropertyId, session: SessionDep) -> dict[str, Any]:
    card = await property_card(session, property_id)
    if card is None:
        raise HTTPException(404, f"property {property_id} not found")
    return asdict(card)


@router.get(
    "/{property_id}/calendar",
    responses={
        404: {"description": "no such property"},
        422: {"description": "bad range: end before start, over 366 days, or past the horizon"},
    },
)
async def get_property_calendar(
    property_id: PropertyId,
    start: date,
    end: date,
    session: SessionDep,
    settings: SettingsDep,
) -> PropertyCalendar:
    """Each night from `start` up to `end` (exclusive, at most 366 nights): free or not, price.

    A night held by a booking (paid or not), blocked by the owner or by an imported calendar,
    or already past (Asia/Almaty) is not available. The range may reach at most
    `BOOKING_HORIZON_DAYS` + the apartment's maximum stay beyond today.
    """
    try:
        found = await property_calendar(
            session,
            property_id,
            start,
            end,
            today=today_local(),
            horizon_days=settings.booking_horizon_days,
        )
    except CalendarRangeError as exc:
        raise HTTPException(422, str(exc)) from exc
    if found is None:
        raise HTTPException(404, f"property {property_id} not found")
    return found
