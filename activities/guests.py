"""Guests are identified by phone: the same person on Telegram and WhatsApp is one user."""

from __future__ import annotations

from typing import Any

import phonenumbers
from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import User
from models.booking_io import GuestContact
from models.enums import Channel, Language, Role


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, region: str = "KZ") -> str:
    """E.164 form of a Kazakh (or international) phone number."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(f"not a phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


async def upsert_guest(session: AsyncSession, contact: GuestContact, channel: Channel) -> int:
    phone = normalize_phone(contact.phone)
    language = contact.language if contact.language in set(Language) else Language.RU.value
    user_id: int | None = await session.scalar(
        insert(User)
        .values(name=contact.name, phone=phone, role=Role.GUEST.value, language=language)
        .on_conflict_do_update(index_elements=["phone"], set_={"name": contact.name})
        .returning(col(User.id))
    )
    assert user_id is not None
    # Link messenger identities the booking came with, unless another user already owns them.
    if contact.telegram_id is not None:
        await _link(session, user_id, col(User.telegram_id), contact.telegram_id)
    whatsapp = contact.whatsapp_phone or (phone if channel == Channel.WHATSAPP else None)
    if whatsapp:
        await _link(session, user_id, col(User.whatsapp_phone), normalize_phone(whatsapp))
    return user_id


async def _link(session: AsyncSession, user_id: int, column: Any, value: object) -> None:
    taken = await session.scalar(select(col(User.id)).where(column == value))
    if taken is None:
        await session.execute(
            update(User).where(col(User.id) == user_id, column.is_(None)).values({column: value})
        )
