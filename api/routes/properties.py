"""Search and property detail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request, Response

from api.deps import SessionDep, SettingsDep, StateDep
from api.errors import error_body
from api.protection import api_rate_limit
from models.enums import PropertyClass
from services.search import SearchFilters, SearchPage, property_card
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
    "page",
)


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
    page: Annotated[int, Query(ge=1, le=10_000)] = 1,
) -> Response:
    """Apartments matching the filters; with dates, only those free for every night.

    `city` and `district` may be named in Russian, Kazakh or English ("Алматы", "Almaty",
    "Алматы қ."). A query parameter not listed here answers 422 with the accepted ones.
    """
    if (check_in is None) != (check_out is None):
        raise HTTPException(422, "give both check_in and check_out, or neither")
    if check_in and check_out and check_out <= check_in:
        raise HTTPException(422, "check_out must be after check_in")
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
        ),
        page=page,
        page_size=settings.search_page_size,
    )
    return Response(page_json, media_type="application/json")


@router.get("/{property_id}", responses={404: {"description": "no such property"}})
async def get_property(
    property_id: Annotated[int, Path(gt=0, lt=2**31)], session: SessionDep
) -> dict[str, Any]:
    card = await property_card(session, property_id)
    if card is None:
        raise HTTPException(404, f"property {property_id} not found")
    return asdict(card)
