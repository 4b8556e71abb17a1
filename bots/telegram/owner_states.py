"""Conversation states of the owner screens (shared by the owner_* handler files)."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class OwnerStates(StatesGroup):
    properties = State()
    card = State()
    price = State()
    description = State()
    photos = State()
    codes = State()
    code_input = State()
    calendar_day = State()
    calendar_nights = State()
    rules = State()
    rule_input = State()
