"""API bearer tokens (stored as SHA-256) and who may act on which apartment."""

from __future__ import annotations

import hashlib
import secrets

from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import ApiToken, Property, User
from models.base import utcnow
from models.enums import STAFF_ROLES, Role


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def issue_token(session: AsyncSession, user_id: int, name: str = "") -> str:
    """Creates a token and returns it once; only its hash is stored."""
    token = "zg_" + secrets.token_urlsafe(32)
    session.add(ApiToken(user_id=user_id, token_hash=hash_token(token), name=name))
    await session.flush()
    return token


async def user_for_token(session: AsyncSession, token: str) -> User | None:
    row = await session.execute(
        select(User, col(ApiToken.id))
        .join(ApiToken, col(ApiToken.user_id) == col(User.id))
        .where(col(ApiToken.token_hash) == hash_token(token))
    )
    found = row.first()
    if found is None:
        return None
    user, token_id = found
    await session.execute(
        update(ApiToken).where(col(ApiToken.id) == token_id).values(last_used_at=utcnow())
    )
    await session.commit()
    return user


def is_staff(user: User) -> bool:
    return user.role in STAFF_ROLES


async def can_manage_property(session: AsyncSession, user: User, property_id: int) -> bool:
    """Staff manage everything; an owner or realtor only their own apartments."""
    if is_staff(user):
        return True
    if user.role != Role.ADMIN:
        return False
    owner_id = await session.scalar(
        select(col(Property.owner_id)).where(col(Property.id) == property_id)
    )
    return owner_id is not None and owner_id == user.id
