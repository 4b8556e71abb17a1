"""GET /ical/{token}.ics: an apartment's blocked nights for Airbnb, Booking.com and the like."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status
from fastapi.responses import Response

from api.deps import SessionDep
from core.clock import today_local
from services.ical_feed import property_feed

router = APIRouter(tags=["ical"])


@router.get(
    "/ical/{token}.ics",
    include_in_schema=True,
    response_class=Response,
    summary="iCal feed of an apartment's blocked nights",
    description="All-day events for every booked or blocked range; no guest data. "
    "The token is the apartment's secret feed token; an unknown token answers 404.",
    responses={
        200: {"content": {"text/calendar": {}}},
        404: {"description": "unknown calendar"},
    },
)
async def ical_feed(token: str, session: SessionDep) -> Response:
    feed = await property_feed(session, token, today=today_local())
    if feed is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, "unknown calendar")
    return Response(
        feed,
        media_type="text/calendar; charset=utf-8",
        headers={"Cache-Control": "no-store"},
    )
