"""Users as the bots meet them: by Telegram id or WhatsApp number.

An identity is only what a messenger proves: the Telegram id of an update, the WhatsApp
sender. A phone joins two identities only when both messengers vouched for it; a typed
phone is a contact number on a booking, never a key to an account.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Booking, Favourite, User
from models.enums import Language, Role

KNOWN_LANGUAGES = {lang.value for lang in Language}


def language_from(code: str | None) -> str:
    """Telegram's language_code (e.g. 'kk', 'en-US') mapped to ru/kk/en; Russian by default."""
    short = (code or "").split("-")[0].lower()
    return short if short in KNOWN_LANGUAGES else Language.RU.value


async def telegram_user(
    session: AsyncSession, telegram_id: int, name: str, language_code: str | None
) -> User:
    """The user behind a Telegram account, created on first contact."""
    await session.execute(
        insert(User)
        .values(
            telegram_id=telegram_id,
            name=name[:200],
            role=Role.GUEST.value,
            language=language_from(language_code),
        )
        .on_conflict_do_nothing(index_elements=["telegram_id"])
    )
    user = await session.scalar(select(User).where(col(User.telegram_id) == telegram_id))
    assert user is not None
    await session.commit()
    return user


async def set_language(session: AsyncSession, user_id: int, language: str) -> None:
    if language not in KNOWN_LANGUAGES:
        raise ValueError(f"unknown language {language!r}")
    await session.execute(update(User).where(col(User.id) == user_id).values(language=language))
    await session.commit()


async def link_own_phone(session: AsyncSession, user: User, phone: str) -> User:
    """`phone` is the sender's own number, vouched for by the messenger (a Telegram contact
    whose user_id is the sender). It becomes the user's verified phone; if another *guest*
    already holds it verified (the same person on WhatsApp), this Telegram account joins that
    guest. Staff and owner accounts are never joined, unverified phones never taken over."""
    holder = await session.scalar(select(User).where(col(User.phone) == phone))
    if holder is None or holder.id == user.id:
        await session.execute(
            update(User).where(col(User.id) == user.id).values(phone=phone, phone_verified=True)
        )
        await session.commit()
        await session.refresh(user)
        return user
    if _may_join(holder, user) and not await _has_bookings(session, user):
        telegram_id = user.telegram_id
        # Favourites made before sharing the phone move along; bookings stay where their
        # workflows address them, so a user with bookings is never folded away.
        await session.execute(
            update(Favourite).where(col(Favourite.user_id) == user.id).values(user_id=holder.id)
        )
        await session.execute(update(User).where(col(User.id) == user.id).values(telegram_id=None))
        await session.execute(
            update(User).where(col(User.id) == holder.id).values(telegram_id=telegram_id)
        )
        await session.commit()
        await session.refresh(holder)
        return holder
    return user


def _may_join(holder: User, user: User) -> bool:
    return (
        holder.phone_verified
        and holder.role == Role.GUEST
        and user.role == Role.GUEST
        and holder.telegram_id is None
        and user.telegram_id is not None
    )


async def _has_bookings(session: AsyncSession, user: User) -> bool:
    found = await session.scalar(select(col(Booking.id)).where(col(Booking.guest_id) == user.id))
    return found is not None


async def whatsapp_user(
    session: AsyncSession, phone: str, name: str, *, now: datetime | None = None
) -> User:
    """The user behind a WhatsApp number (E.164; Meta vouches for the sender), created on
    first contact. A guest who verified the same phone on Telegram is the same user; any
    other account holding that phone (unverified, an owner, staff) is left alone.
    Records the inbound time (the 24-hour window)."""
    seen = now or datetime.now(UTC)
    user = await session.scalar(select(User).where(col(User.whatsapp_phone) == phone))
    if user is None:
        holder = await session.scalar(select(User).where(col(User.phone) == phone))
        if (
            holder is not None
            and holder.phone_verified
            and holder.role == Role.GUEST
            and holder.whatsapp_phone is None
        ):
            holder.whatsapp_phone = phone
            user = holder
    if user is None:
        phone_free = holder is None
        await session.execute(
            insert(User)
            .values(
                name=name[:200],
                phone=phone if phone_free else None,
                phone_verified=phone_free,
                whatsapp_phone=phone,
                role=Role.GUEST.value,
                language=Language.RU.value,
                whatsapp_last_inbound_at=seen,
            )
            .on_conflict_do_nothing()
        )
        user = await session.scalar(select(User).where(col(User.whatsapp_phone) == phone))
        assert user is not None
    else:
        user.whatsapp_last_inbound_at = seen
        if not user.name and name:
            user.name = name[:200]
    await session.commit()
    await session.refresh(user)
    return user
