"""People and organisations: guests, owners/realtors, staff, agencies, API tokens."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from models.base import created_at_field, enum_field, timestamp_field
from models.enums import Language, Role


class Agency(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    created_at: datetime = created_at_field()


class User(SQLModel, table=True):
    __tablename__ = "app_user"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(default="", max_length=200)
    # E.164. Identities are joined only through a verified phone: one that a messenger
    # vouched for (WhatsApp's sender, Telegram's own shared contact); see services/users.py.
    phone: str | None = Field(default=None, max_length=20, unique=True)
    phone_verified: bool = Field(
        default=False, sa_column_kwargs={"server_default": sa.false()}, nullable=False
    )
    telegram_id: int | None = Field(default=None, sa_type=sa.BigInteger, unique=True)
    whatsapp_phone: str | None = Field(default=None, max_length=20, unique=True)
    language: Language = enum_field(Language.RU)
    role: Role = enum_field(Role.GUEST, index=True)
    agency_id: int | None = Field(default=None, foreign_key="agency.id", index=True)
    email: str | None = Field(default=None, max_length=254, unique=True)
    password_hash: str | None = Field(default=None, max_length=200)
    whatsapp_last_inbound_at: datetime | None = timestamp_field()
    created_at: datetime = created_at_field()


class ApiToken(SQLModel, table=True):
    """Bearer tokens for owner/admin API routes; only the SHA-256 of the token is kept."""

    __tablename__ = "api_token"
    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="app_user.id", index=True)
    token_hash: str = Field(max_length=64, unique=True)
    name: str = Field(default="", max_length=100)
    created_at: datetime = created_at_field()
    last_used_at: datetime | None = timestamp_field()
