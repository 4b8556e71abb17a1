"""Custom search attributes ops filter bookings by (no personal data: values are plain)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from typing import Any

from temporalio.common import SearchAttributeKey, SearchAttributePair, SearchAttributeUpdate

BOOKING_STATUS = SearchAttributeKey.for_keyword("BookingStatus")
PROPERTY_ID = SearchAttributeKey.for_int("PropertyId")
CITY = SearchAttributeKey.for_keyword("City")
CHANNEL = SearchAttributeKey.for_keyword("Channel")
PAYMENT_METHOD = SearchAttributeKey.for_keyword("PaymentMethod")
CHECK_IN = SearchAttributeKey.for_datetime("CheckIn")

# Name -> CLI type, for `temporal server start-dev --search-attribute` and operator calls.
SEARCH_ATTRIBUTE_TYPES: dict[str, str] = {
    "BookingStatus": "Keyword",
    "PropertyId": "Int",
    "City": "Keyword",
    "Channel": "Keyword",
    "PaymentMethod": "Keyword",
    "CheckIn": "Datetime",
}


def booking_search_attributes(
    *,
    status: str,
    property_id: int,
    city: str | None,
    channel: str,
    payment_method: str,
    check_in: date,
) -> list[SearchAttributeUpdate[Any]]:
    updates: list[SearchAttributeUpdate[Any]] = [
        BOOKING_STATUS.value_set(status),
        PROPERTY_ID.value_set(property_id),
        CHANNEL.value_set(channel),
        PAYMENT_METHOD.value_set(payment_method),
        CHECK_IN.value_set(datetime.combine(check_in, time(), UTC)),
    ]
    if city:
        updates.append(CITY.value_set(city))
    return updates


def initial_search_attributes(
    *, property_id: int, channel: str, payment_method: str, check_in: date
) -> list[SearchAttributePair[Any]]:
    """Set at start so a booking is findable before its first upsert."""
    return [
        SearchAttributePair(BOOKING_STATUS, "holding"),
        SearchAttributePair(PROPERTY_ID, property_id),
        SearchAttributePair(CHANNEL, channel),
        SearchAttributePair(PAYMENT_METHOD, payment_method),
        SearchAttributePair(CHECK_IN, datetime.combine(check_in, time(), UTC)),
    ]
