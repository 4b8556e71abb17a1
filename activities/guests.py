"""The guest of a booking: the identity that proved itself, never one found by phone.

A bot passes the user its messenger proved (`user_id`); a staff-authenticated API caller may
name a messenger identity (`telegram_id` / `whatsapp_phone`); an anonymous API booking gets a
guest of its own. The phone is the booking's contact number, and no existing user's profile
is changed here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select
from temporalio.exceptions import ApplicationError

from models import User
from models.booking_io import GuestContact
from models.enums import Language, Role
from services.phones import e164, normalize_phone


async def guest_for(session: AsyncSession, contact: GuestContact) -> int:
    """The user id the booking belongs to (its notices, codes and "my bookings")."""
    if contact.user_id is not None:
        found = await session.scalar(select(col(User.id)).where(col(User.id) == contact.user_id))
        if found is None:
            raise ApplicationError("unknown guest", non_retryable=True)
        return int(found)
    language = contact.language if contact.language in set(Language) else Language.RU.value
    values: dict[str, Any] = {"name": contact.name[:200], "role": Role.GUEST.value}
    values["language"] = language
    vouched: dict[str, Any] = {}
    if contact.telegram_id is not None:
        vouched["telegram_id"] = contact.telegram_id
    if contact.whatsapp_phone:
        vouched["whatsapp_phone"] = normalize_phone(contact.whatsapp_phone)
    if vouched:
        return await _by_identities(session, vouched, values)
    created: int | None = await session.scalar(
        insert(User).values(**values).returning(col(User.id))
    )
    assert created is not None
    return created


async def _by_identities(
    session: AsyncSession, vouched: dict[str, Any], values: dict[str, Any]
) -> int:
    """The user holding one of these messenger identities (Telegram first), created if new.
    A found user only gains an identity it lacks and nobody else holds; nothing is
    overwritten."""
    columns = {"telegram_id": col(User.telegram_id), "whatsapp_phone": col(User.whatsapp_phone)}
    holders: dict[str, User | None] = {
        name: await session.scalar(select(User).where(columns[name] == value))
        for name, value in vouched.items()
    }
    user = next((u for u in holders.values() if u is not None), None)
    if user is None:
        created: int | None = await session.scalar(
            insert(User).values({**values, **vouched}).returning(col(User.id))
        )
        assert created is not None
        return created
    for name, value in vouched.items():
        if holders[name] is None and getattr(user, name) is None:
            setattr(user, name, value)
    await session.flush()
    assert user.id is not None
    return user.id


def contact_phone(raw: str) -> str | None:
    """The booking's contact number in E.164 (None when it is not a phone)."""
    return e164(raw) if raw else None
