"""The first contact: menu without /start, /start, language, unknown input, stale buttons."""

from __future__ import annotations

import itertools

from tests.bots.telegram.chat import TelegramChat, texts

_ids = itertools.count(31_000_000)


def new_chat(stack, **kw) -> TelegramChat:
    return TelegramChat(stack, user_id=next(_ids), **kw)


async def test_first_message_without_start_shows_the_main_menu(stack):
    chat = new_chat(stack)
    replies = await chat.send("привет")
    assert len(replies) == 1
    assert "ЖильеGO" in replies[0].text
    assert "🔍 Поиск квартир" in replies[0].buttons
    assert "📋 Мои бронирования" in replies[0].buttons
    assert "🏠 Мои квартиры" not in replies[0].buttons  # guests see no owner tools


async def test_start_and_language_switch(stack):
    chat = new_chat(stack)
    await chat.send("/start")
    await chat.send("🌐 Язык")
    replies = await chat.send("🇰🇿 Қазақша")
    assert "қазақша" in replies[-1].text
    assert "🔍 Пәтер іздеу" in replies[-1].buttons
    replies = await chat.send("🔍 Пәтер іздеу")
    assert replies, "a Kazakh button works after switching"


async def test_wrong_secret_is_refused(stack):
    chat = new_chat(stack)
    response = await chat.post({"update_id": 1, "message": chat._message(text="hi")}, secret="nope")
    assert response.status_code == 403
    assert chat.new_replies() == []


async def test_stale_inline_button_gets_the_menu(stack):
    chat = new_chat(stack)
    replies = await chat.press_stale_inline_button()
    assert "устарела" in texts(replies)
    assert "🔍 Поиск квартир" in replies[-1].buttons
