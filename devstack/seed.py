"""Demo data: an agency, owners and realtors, staff, 32 apartments, API tokens, and a year of
their past (bookings, cancellations, reviews, price changes: devstack.seed_history). Idempotent.

Run with `python -m devstack.seed` (reads DATABASE_URL and ENCRYPTION_KEY like the app).
"""

from __future__ import annotations

import asyncio
import hashlib
import secrets
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.clock import today_local
from core.crypto import CodeCipher
from core.db import SessionFactory, create_engine, create_session_factory
from core.settings import get_settings
from devstack.demo_catalogue import (
    AGENCY_NAME,
    APARTMENTS,
    CLEANING_FEE,
    DEMO_USERS,
    POLICIES,
    Apartment,
    area_m2,
    demo_pricing,
    description,
    nightly_price,
    owner_label,
)
from devstack.paths import TOKENS_FILE, ensure_data_dir
from devstack.seed_history import seed_history
from models import Agency, ApiToken, Property, PropertyPhoto, User
from models.base import utcnow
from models.enums import PropertyClass
from services.passwords import hash_password

ADVISORY_LOCK = 74_002_024  # one seeder at a time (tests may seed concurrently)
# Web admin password of the demo staff in the dev stack only (printed in the banner).
DEV_ADMIN_PASSWORD = "zhilyego-demo"  # noqa: S105 (demo data, dev stack only)
TOKEN_USERS = ("owner", "super_admin")


@dataclass(frozen=True)
class SeedSummary:
    created: bool
    agency_id: int
    users: dict[str, int]
    property_ids: list[int]
    # Plain API tokens by user label; only their SHA-256 is in the database.
    tokens: dict[str, str]
    issued: tuple[str, ...] = field(default=())
    history_bookings: int = 0  # past bookings written by this run (0: there already)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def build_property(apartment: Apartment, index: int, owner_id: int, cipher: CodeCipher) -> Property:
    cls = apartment.property_class
    smart_lock = cls in (PropertyClass.BUSINESS, PropertyClass.PREMIUM)
    key_safe = not smart_lock or index % 5 == 0
    steps = "Код от сейфа с ключами придёт за 3 часа до заселения; сейф справа от двери."
    if smart_lock:
        steps = "Код умного замка придёт за 3 часа до заселения; наберите его и нажмите ✓."
    return Property(
        owner_id=owner_id,
        title=apartment.title,
        city=apartment.city.value,
        district=apartment.district,
        property_class=cls,
        rooms=apartment.rooms,
        area_m2=area_m2(apartment),
        address=apartment.address,
        description=description(apartment),
        max_guests=apartment.rooms * 2,
        price_per_night=nightly_price(apartment, index),
        pricing=demo_pricing(apartment, index, nightly_price(apartment, index), today_local()),
        cleaning_fee=CLEANING_FEE[cls],
        min_nights=2 if cls is PropertyClass.PREMIUM else 1,
        max_nights=14 if cls is PropertyClass.ECONOMY else 30,
        cancellation_policy=POLICIES[index % len(POLICIES)],
        key_safe_code_enc=cipher.encrypt(f"{secrets.randbelow(10_000):04d}") if key_safe else None,
        smart_lock_code_enc=(
            cipher.encrypt(f"{secrets.randbelow(1_000_000):06d}") if smart_lock else None
        ),
        checkin_instructions=steps,
        ical_token=secrets.token_urlsafe(24),
        photos_updated_at=datetime.now(UTC),
    )


async def seed(
    session_factory: SessionFactory,
    cipher: CodeCipher,
    *,
    known_tokens: Mapping[str, str] | None = None,
) -> SeedSummary:
    """Creates the demo data unless the agency exists; always returns working tokens.

    A token from `known_tokens` that is still in the database is reused; others are issued.
    """
    known = known_tokens or {}
    async with session_factory() as session, session.begin():
        await session.execute(sa.text("SELECT pg_advisory_xact_lock(:k)"), {"k": ADVISORY_LOCK})
        agency = await session.scalar(select(Agency).where(col(Agency.name) == AGENCY_NAME))
        created = agency is None
        if agency is None:
            agency = Agency(name=AGENCY_NAME)
            session.add(agency)
            await session.flush()
            users = [
                User(
                    name=u.name,
                    phone=u.phone,
                    role=u.role,
                    agency_id=agency.id if u.in_agency else None,
                    email=f"{u.label.replace('_', '.')}@zhilyego.kz",
                    telegram_id=u.telegram_id,
                )
                for u in DEMO_USERS
            ]
            session.add_all(users)
            await session.flush()
            user_ids = {u.label: _id(row.id) for u, row in zip(DEMO_USERS, users, strict=True)}
            properties = [
                build_property(a, i, user_ids[owner_label(a, i)], cipher)
                for i, a in enumerate(APARTMENTS)
            ]
            session.add_all(properties)
            await session.flush()
            session.add_all(
                PropertyPhoto(
                    property_id=_id(p.id),
                    url=f"https://picsum.photos/seed/zhilyego-{p.id}-{n}/800/600",
                    thumbnail_url=f"https://picsum.photos/seed/zhilyego-{p.id}-{n}/200/150",
                    position=n,
                )
                for p in properties
                for n in range(3)
            )
        await _give_telegram_ids(session)
        await _give_admin_passwords(session)
        phones = [u.phone for u in DEMO_USERS]
        rows = (await session.scalars(select(User).where(col(User.phone).in_(phones)))).all()
        by_phone = {u.phone: _id(u.id) for u in rows}
        users_by_label = {u.label: by_phone[u.phone] for u in DEMO_USERS}
        owned = select(Property.id).where(col(Property.owner_id).in_(list(users_by_label.values())))
        property_ids = sorted(_id(i) for i in (await session.scalars(owned)).all())
        # Older dev databases (seeded before the history existed) get it too, once.
        history = await seed_history(session, property_ids, today=today_local(), now=utcnow())

        tokens: dict[str, str] = {}
        issued: list[str] = []
        for label in TOKEN_USERS:
            token = known.get(label)
            if token is None or not await _token_exists(session, token):
                token = secrets.token_urlsafe(32)
                session.add(
                    ApiToken(
                        user_id=users_by_label[label],
                        token_hash=token_hash(token),
                        name="devstack demo",
                    )
                )
                issued.append(label)
            tokens[label] = token
    return SeedSummary(
        created,
        _id(agency.id),
        users_by_label,
        property_ids,
        tokens,
        tuple(issued),
        history_bookings=len(history.bookings) if history else 0,
    )


async def _give_telegram_ids(session: AsyncSession) -> None:
    """Demo staff chat with the bot offline under fixed ids; older dev databases get them too."""
    for demo in DEMO_USERS:
        taken = await session.scalar(
            select(User.id).where(col(User.telegram_id) == demo.telegram_id)
        )
        if taken is not None:
            continue
        await session.execute(
            sa.update(User)
            .where(col(User.phone) == demo.phone, col(User.telegram_id).is_(None))
            .values(telegram_id=demo.telegram_id)
        )


async def _give_admin_passwords(session: AsyncSession) -> None:
    """Demo staff sign in to the web admin with DEV_ADMIN_PASSWORD (never set in production)."""
    await session.execute(
        sa.update(User)
        .where(
            col(User.phone).in_([u.phone for u in DEMO_USERS]), col(User.password_hash).is_(None)
        )
        .values(password_hash=hash_password(DEV_ADMIN_PASSWORD))
    )


async def _token_exists(session: AsyncSession, token: str) -> bool:
    found = await session.scalar(
        select(ApiToken.id).where(col(ApiToken.token_hash) == token_hash(token))
    )
    return found is not None


def _id(value: int | None) -> int:
    assert value is not None, "row has no id after flush"
    return value


def read_tokens() -> dict[str, str]:
    if not TOKENS_FILE.exists():
        return {}
    pairs = (line.split("=", 1) for line in TOKENS_FILE.read_text().splitlines())
    return {p[0].strip(): p[1].strip() for p in pairs if len(p) == 2 and not p[0].startswith("#")}


def write_tokens(tokens: Mapping[str, str]) -> None:
    ensure_data_dir()
    lines = ["# Dev API tokens (Authorization: Bearer <token>); made by `python -m devstack.seed`"]
    TOKENS_FILE.write_text("\n".join(lines + [f"{k}={v}" for k, v in tokens.items()]) + "\n")
    TOKENS_FILE.chmod(0o600)


async def main() -> int:
    settings = get_settings().require_startable()
    engine = create_engine(settings.database_url, pool_size=2)
    try:
        summary = await seed(
            create_session_factory(engine),
            CodeCipher.from_settings(settings),
            known_tokens=read_tokens(),
        )
    finally:
        await engine.dispose()
    write_tokens(summary.tokens)
    if summary.created:
        print(f"seeded: agency «{AGENCY_NAME}», {len(summary.users)} users, ", end="")
        print(f"{len(summary.property_ids)} apartments")
    else:
        print(f"demo data already present ({len(summary.property_ids)} apartments); skipped")
    if summary.history_bookings:
        print(f"seeded a year of history: {summary.history_bookings} past bookings")
    for label in summary.issued:
        print(f"new API token for {label}: {summary.tokens[label]}")
    print(f"tokens saved to {TOKENS_FILE}")
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
