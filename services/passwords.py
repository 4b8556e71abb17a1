"""Web admin passwords: argon2id hashes, and the one check behind the login form."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import User

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


async def user_with_password(session: AsyncSession, email: str, password: str) -> User | None:
    """The user whose email and password these are, or None (same answer for either miss)."""
    user = await session.scalar(
        select(User).where(func.lower(col(User.email)) == email.strip().lower())
    )
    if user is None:
        password_matches(_DUMMY, password)  # spend the same time as a real check
        return None
    return user if password_matches(user.password_hash, password) else None


_DUMMY = _hasher.hash("not-a-password")
