"""Web admin passwords: argon2id hashes, and the one check behind the login form.

A check costs tens of milliseconds of CPU: it runs on a small thread pool of its own, so a
flood of sign-ins neither stalls the event loop (every other request) nor takes the default
executor's threads (storage, photos). argon2-cffi releases the GIL while it hashes.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import User

_hasher = PasswordHasher()
_checks = ThreadPoolExecutor(max_workers=2, thread_name_prefix="password-check")


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(password_hash: str | None, password: str) -> bool:
    """Always one full verification: an account without a password costs as much as any."""
    try:
        return _hasher.verify(password_hash or _DUMMY, password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


async def password_matches_async(password_hash: str | None, password: str) -> bool:
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(_checks, password_matches, password_hash, password)


async def user_with_password(session: AsyncSession, email: str, password: str) -> User | None:
    """The user whose email and password these are, or None (same answer, and the same
    time, for an unknown email, an account without a password and a wrong password)."""
    user = await session.scalar(
        select(User).where(func.lower(col(User.email)) == email.strip().lower())
    )
    matches = await password_matches_async(user.password_hash if user else None, password)
    return user if user is not None and matches else None


_DUMMY = _hasher.hash("not-a-password")
