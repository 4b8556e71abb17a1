"""An owner (or staff member) in the Telegram chat: their account, the list, the card."""

from __future__ import annotations

import itertools
import secrets
from typing import Any

from models import Property, User
from models.enums import Role
from tests.bots.telegram.chat import Reply, TelegramChat
from tests.support.factories import make_owner

# Random base: FSM states live in a Redis that outlives a test session.
_chat_ids = itertools.count(60_000_000 + secrets.randbelow(50_000) * 100)
_districts = itertools.count(1)
MY_APARTMENTS = "🏠 Мои квартиры"


def new_id() -> int:
    return next(_chat_ids)


async def owner_chat(stack: Any, role: Role = Role.ADMIN) -> tuple[User, TelegramChat]:
    tg_id = next(_chat_ids)
    owner, _ = await make_owner(stack, role=role, telegram_id=tg_id)
    return owner, TelegramChat(stack, user_id=tg_id, first_name="Ержан")


def district() -> str:
    """A district of its own, so API searches see only this test's apartments."""
    return f"Тестовый-{next(_districts)}-{secrets.token_hex(3)}"


def button_of(replies: list[Reply], prop: Property) -> str | None:
    prefix = f"🏠 #{prop.id} "
    return next((b for b in replies[-1].buttons if b.startswith(prefix)), None)


async def open_card(chat: TelegramChat, prop: Property) -> list[Reply]:
    listing = await chat.send(MY_APARTMENTS)
    button = button_of(listing, prop)
    assert button is not None, listing[-1].buttons
    replies = await chat.send(button)
    assert f"#{prop.id} {prop.title}" in replies[-1].text
    return replies
