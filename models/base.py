"""Column helpers and the metadata naming convention shared by all tables."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def created_at_field() -> Any:
    return Field(
        default_factory=utcnow,
        sa_type=sa.DateTime(timezone=True),
        sa_column_kwargs={"server_default": sa.func.now()},
        nullable=False,
    )


def timestamp_field(*, nullable: bool = True) -> Any:
    return Field(default=None, sa_type=sa.DateTime(timezone=True), nullable=nullable)


def enum_field(default: Any = ..., *, index: bool = False) -> Any:
    """Enums are stored as short strings: readable in SQL and cheap to extend."""
    return Field(default=default, sa_type=sa.String(32), index=index, nullable=False)
