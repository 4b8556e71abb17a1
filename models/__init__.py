"""Tables and domain types. Importing this package registers every table on the metadata."""

from models.bookings import Booking, Payment, Refund, Review
from models.notifications import NotificationDelivery, NotificationTemplate
from models.properties import (
    CalendarNight,
    ExternalCalendar,
    Favourite,
    PriceHistory,
    Property,
    PropertyPhoto,
)
from models.users import Agency, ApiToken, User

__all__ = [
    "Agency",
    "ApiToken",
    "Booking",
    "CalendarNight",
    "ExternalCalendar",
    "Favourite",
    "NotificationDelivery",
    "NotificationTemplate",
    "Payment",
    "PriceHistory",
    "Property",
    "PropertyPhoto",
    "Refund",
    "Review",
    "User",
]
