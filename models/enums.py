"""Domain vocabulary shared by every layer (plain str enums, safe in workflows)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    GUEST = "guest"
    ADMIN = "admin"  # owner or realtor
    SUPER_ADMIN = "super_admin"
    SUPER_USER = "super_user"


STAFF_ROLES = frozenset({Role.SUPER_ADMIN, Role.SUPER_USER})


class Language(StrEnum):
    RU = "ru"
    KK = "kk"
    EN = "en"


class City(StrEnum):
    ALMATY = "Almaty"
    ASTANA = "Astana"
    SHYMKENT = "Shymkent"


class PropertyClass(StrEnum):
    ECONOMY = "economy"
    COMFORT = "comfort"
    BUSINESS = "business"
    PREMIUM = "premium"


class PropertyStatus(StrEnum):
    FREE = "free"
    OCCUPIED = "occupied"


class CancellationPolicy(StrEnum):
    FLEXIBLE = "flexible"
    MODERATE = "moderate"
    STRICT = "strict"
    NON_REFUNDABLE = "non_refundable"


class BookingStatus(StrEnum):
    PENDING_PAYMENT = "pending_payment"
    CONFIRMED = "confirmed"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    AUTO_CANCELLED = "auto_cancelled"
    # The hold never happened (dates taken or input refused); no booking row exists.
    REJECTED = "rejected"


ACTIVE_BOOKING_STATUSES = frozenset({BookingStatus.PENDING_PAYMENT, BookingStatus.CONFIRMED})


class Channel(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
    API = "api"


class PaymentMethod(StrEnum):
    KASPI = "kaspi"
    MANUAL = "manual"


class PaymentStatus(StrEnum):
    PAID = "paid"
    REFUNDED = "refunded"
    PARTIALLY_REFUNDED = "partially_refunded"


class RefundStatus(StrEnum):
    SENT = "sent"
    # Paid by invoice: ops transfer the money back by hand.
    MANUAL = "manual"


class CalendarBlockKind(StrEnum):
    BOOKING = "booking"
    OWNER = "owner"
    ICAL = "ical"
    # Preparation nights after a stay (the apartment's turnover rule); released with it.
    TURNOVER = "turnover"


class CancelledBy(StrEnum):
    GUEST = "guest"
    OWNER = "owner"
    ADMIN = "admin"
    SYSTEM = "system"


class CancelReason(StrEnum):
    """The fixed reasons of the original bot (STATE_CANCEL_*), plus owner-side ones."""

    PLANS_CHANGED = "plans_changed"
    FOUND_ANOTHER = "found_another"
    PRICE = "price"
    OTHER = "other"
    OWNER_UNAVAILABLE = "owner_unavailable"
    PAYMENT_TIMEOUT = "payment_timeout"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"
    SKIPPED = "skipped"
    DELIVERED = "delivered"
    READ = "read"


class NotificationChannel(StrEnum):
    TELEGRAM = "telegram"
    WHATSAPP = "whatsapp"
