"""How guests appear to owners: a first name and a masked phone, except to the apartment's
own owner once the booking is paid (they host the guest and need to reach them)."""

from __future__ import annotations

from models.enums import BookingStatus

# Paid stays: the host meets this guest, so sees the full name and number.
REVEALED_STATUSES = frozenset({BookingStatus.CONFIRMED, BookingStatus.COMPLETED})


def reveals_guest(status: str, owner_id: int, viewer_id: int | None) -> bool:
    """Whether the viewer sees the guest in full: the apartment's owner, a paid booking.
    Staff and realtors who do not own the apartment, and unpaid or cancelled bookings, stay
    masked."""
    return viewer_id is not None and viewer_id == owner_id and status in REVEALED_STATUSES


def first_name(full_name: str | None) -> str:
    parts = (full_name or "").split()
    return parts[0] if parts else "—"


def mask_phone(phone: str | None) -> str:
    """+77021234567 → +7702*****67: enough to tell guests apart, not to call them."""
    if not phone:
        return "—"
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:5] + "*" * (len(phone) - 7) + phone[-2:]
