"""Delivery receipts from the messengers (WhatsApp statuses) written to the delivery log."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import NotificationDelivery
from models.base import utcnow
from models.enums import DeliveryStatus

# A later receipt never moves a row back (Meta may deliver "delivered" after "read").
_RANK = {
    DeliveryStatus.SENT: 1,
    DeliveryStatus.DELIVERED: 2,
    DeliveryStatus.READ: 3,
    DeliveryStatus.FAILED: 4,
}
_KNOWN = {
    "sent": DeliveryStatus.SENT,
    "delivered": DeliveryStatus.DELIVERED,
    "read": DeliveryStatus.READ,
    "failed": DeliveryStatus.FAILED,
}


async def record_receipt(
    session: AsyncSession, external_id: str, status: str, error: str | None = None
) -> bool:
    """True when a delivery row with this external id was found (and maybe moved on)."""
    new = _KNOWN.get(status)
    row = await session.scalar(
        select(NotificationDelivery)
        .where(col(NotificationDelivery.external_id) == external_id)
        .with_for_update()
    )
    if row is None or new is None:
        return False
    if _RANK.get(new, 0) > _RANK.get(DeliveryStatus(row.status), 0):
        row.status = new
        if new == DeliveryStatus.FAILED:
            row.last_error = (error or "failed")[:1000]
        elif row.sent_at is None:
            row.sent_at = utcnow()
        await session.commit()
    return True
