"""The migrations build exactly the models, go down and up again, and give the database its
own rules: price history written by a trigger, one calendar row per apartment and night."""

from __future__ import annotations

import asyncio
import os
import secrets
import sys
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from cryptography.fernet import Fernet
from sqlalchemy import insert, text, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine
from sqlalchemy.pool import NullPool
from sqlmodel import SQLModel, col, select

import models  # noqa: F401  (registers every table in SQLModel.metadata)
from models import CalendarNight, PriceHistory, Property, User
from models.enums import CalendarBlockKind, PropertyClass, Role

ROOT = Path(__file__).resolve().parent.parent


async def alembic(url: str, *args: str) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "alembic",
        "-x",
        f"url={url}",
        *args,
        cwd=ROOT,
        env={**os.environ, "ENCRYPTION_KEY": Fernet.generate_key().decode()},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    _, err = await process.communicate()
    assert process.returncode == 0, err.decode()


@pytest.fixture
async def empty_database(database_url: str) -> AsyncIterator[str]:
    """A new, empty database on the server of the test database; dropped afterwards."""
    server = database_url.rsplit("/", 1)[0]
    admin = create_async_engine(
        server + "/postgres", isolation_level="AUTOCOMMIT", poolclass=NullPool
    )
    name = "zg_migrations_" + secrets.token_hex(4)
    async with admin.connect() as conn:
        await conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield f"{server}/{name}"
    async with admin.connect() as conn:
        await conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    await admin.dispose()


@pytest.fixture
async def engine(database_url: str) -> AsyncIterator[AsyncEngine]:
    """The session's test database, built by `alembic upgrade head`."""
    engine = create_async_engine(database_url, poolclass=NullPool)
    yield engine
    await engine.dispose()


async def schema_diff(url: str) -> list[object]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            return await conn.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}),
                    SQLModel.metadata,
                )
            )
    finally:
        await engine.dispose()


PUBLIC_OBJECTS = """
SELECT tablename FROM pg_tables WHERE schemaname = 'public'
UNION ALL
SELECT proname || '()' FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname = 'public'
UNION ALL
SELECT 'type ' || typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
WHERE n.nspname = 'public' AND t.typtype = 'e'
"""


async def public_objects(url: str) -> set[str]:
    """Tables, functions and enum types of the public schema."""
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as conn:
            rows = await conn.execute(text(PUBLIC_OBJECTS))
            return set(rows.scalars())
    finally:
        await engine.dispose()


async def test_migrations_build_exactly_the_models(empty_database):
    await alembic(empty_database, "upgrade", "head")

    assert await schema_diff(empty_database) == []


async def test_downgrade_to_base_and_upgrade_again(empty_database):
    await alembic(empty_database, "upgrade", "head")
    assert "record_price_change()" in await public_objects(empty_database)

    await alembic(empty_database, "downgrade", "base")
    assert await public_objects(empty_database) == {"alembic_version"}

    await alembic(empty_database, "upgrade", "head")
    assert await schema_diff(empty_database) == []
    assert "record_price_change()" in await public_objects(empty_database)


async def new_property(engine: AsyncEngine, price: int) -> int:
    token = secrets.token_hex(6)
    async with engine.begin() as conn:
        owner_id = await conn.scalar(
            insert(User).values(name="Owner", role=Role.ADMIN.value).returning(col(User.id))
        )
        property_id = await conn.scalar(
            insert(Property)
            .values(
                owner_id=owner_id,
                title="Квартира " + token,
                city="Almaty",
                district="Алмалинский",
                property_class=PropertyClass.ECONOMY.value,
                rooms=1,
                price_per_night=price,
                ical_token=token,
            )
            .returning(col(Property.id))
        )
    assert property_id is not None
    return int(property_id)


async def price_history(engine: AsyncEngine, property_id: int) -> list[tuple[int | None, int]]:
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(col(PriceHistory.old_price), col(PriceHistory.new_price))
            .where(col(PriceHistory.property_id) == property_id)
            .order_by(col(PriceHistory.id))
        )
        return [(old, new) for old, new in rows.all()]


async def change_property(engine: AsyncEngine, property_id: int, **values: object) -> None:
    async with engine.begin() as conn:
        await conn.execute(update(Property).where(col(Property.id) == property_id).values(**values))


async def test_price_changes_are_recorded_by_the_database(engine):
    property_id = await new_property(engine, price=15_000)
    assert await price_history(engine, property_id) == [(None, 15_000)]

    await change_property(engine, property_id, price_per_night=17_500)
    assert await price_history(engine, property_id) == [(None, 15_000), (15_000, 17_500)]

    await change_property(engine, property_id, title="Новое название")
    await change_property(engine, property_id, price_per_night=17_500)  # same price again
    assert await price_history(engine, property_id) == [(None, 15_000), (15_000, 17_500)]


async def block(engine: AsyncEngine, property_id: int, night: date) -> None:
    async with engine.begin() as conn:
        await conn.execute(
            insert(CalendarNight).values(
                property_id=property_id, night=night, kind=CalendarBlockKind.OWNER.value
            )
        )


async def test_the_database_refuses_a_second_row_for_the_same_night(engine):
    first, second = await new_property(engine, 20_000), await new_property(engine, 20_000)
    night = date(2027, 3, 8)
    await block(engine, first, night)

    with pytest.raises(IntegrityError, match="uq_calendar_night_property_night"):
        await block(engine, first, night)

    await block(engine, second, night)  # another apartment, same night
    await block(engine, first, date(2027, 3, 9))  # same apartment, next night
    async with engine.connect() as conn:
        rows = await conn.execute(
            select(col(CalendarNight.property_id), col(CalendarNight.night))
            .where(col(CalendarNight.property_id).in_([first, second]))
            .order_by(col(CalendarNight.property_id), col(CalendarNight.night))
        )
        assert rows.all() == [(first, night), (first, date(2027, 3, 9)), (second, night)]
