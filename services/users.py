"""Users as the bots meet them: by Telegram id or WhatsApp phone; a phone joins the two."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import or_, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import Favourite, User
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


async def attach_phone(session: AsyncSession, user: User, phone: str) -> User:
    """Gives a messenger user their phone; if that phone already belongs to another user
    (e.g. the same person on WhatsApp), the Telegram identity moves to that user."""
    owner = await session.scalar(select(User).where(col(User.phone) == phone))
    if owner is None or owner.id == user.id:
        await session.execute(update(User).where(col(User.id) == user.id).values(phone=phone))
        await session.commit()
        await session.refresh(user)
        return user
    if owner.telegram_id is None and user.telegram_id is not None:
        telegram_id = user.telegram_id
        # The phone's user wins; favourites made before sharing the phone move along.
        await session.execute(
            update(Favourite).where(col(Favourite.user_id) == user.id).values(user_id=owner.id)
        )
        await session.execute(update(User).where(col(User.id) == user.id).values(telegram_id=None))
        await session.execute(
            update(User).where(col(User.id) == owner.id).values(telegram_id=telegram_id)
        )
        await session.commit()
        await session.refresh(owner)
        return owner
    return user


async def whatsapp_user(
    session: AsyncSession, phone: str, name: str, *, now: datetime | None = None
) -> User:
    """The user behind a WhatsApp number (E.164), created on first contact; the same phone
    on Telegram is the same user. Records the inbound time (the 24-hour window)."""
    seen = now or datetime.now(UTC)
    user = await session.scalar(
        select(User).where(or_(col(User.whatsapp_phone) == phone, col(User.phone) == phone))
    )
    if user is None:
        await session.execute(
            insert(User)
            .values(
                name=name[:200],
                phone=phone,
                whatsapp_phone=phone,
                role=Role.GUEST.value,
                language=Language.RU.value,
                whatsapp_last_inbound_at=seen,
            )
            .on_conflict_do_nothing()
        )
        user = await session.scalar(select(User).where(col(User.phone) == phone))
        assert user is not None
    else:
        user.whatsapp_last_inbound_at = seen
        if user.whatsapp_phone is None:
            user.whatsapp_phone = phone
        if not user.name and name:
            user.name = name[:200]
    await session.commit()
    await session.refresh(user)
    return user
