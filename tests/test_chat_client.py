"""`make chat` (devstack.chat): the bot's buttons numbered, a number presses its button, a
contact button shares the phone; against the Telegram stand-in and the bot polling it."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest

from devstack.chat import Action, Chat, render, run
from devstack.telegram_standin import TelegramRecorder, create_telegram_standin
from tests.support.factories import eventually, make_owner, make_property
from tests.support.polling import new_chat_id, polling_bot, standin
from tests.support.servers import free_port, serve

BOT = "/bot1:x"


@pytest.fixture
async def place() -> AsyncIterator[tuple[httpx.AsyncClient, TelegramRecorder]]:
    """A bare stand-in; the test plays the bot through its Bot API routes."""
    app, recorder = create_telegram_standin()
    async with (
        serve(app, free_port()) as url,
        httpx.AsyncClient(base_url=url, timeout=30) as http,
    ):
        yield http, recorder


async def bot_sends(http: httpx.AsyncClient, method: str, **params) -> None:
    response = await http.post(f"{BOT}/{method}", json=params)
    assert response.status_code == 200, response.text


def keyboard(*rows: list[str | dict[str, Any]]) -> dict[str, Any]:
    return {"keyboard": [[b if isinstance(b, dict) else {"text": b} for b in r] for r in rows]}


async def test_numbers_press_the_buttons_on_screen(place):
    http, recorder = place
    chat = Chat(http, chat_id=new_chat_id(), phone="+77015550011")
    await bot_sends(
        http,
        "sendMessage",
        chat_id=chat.chat_id,
        text="Как вас найти?",
        reply_markup=keyboard(
            ["🔍 Поиск квартир", "📋 Мои бронирования"],
            [{"text": "📱 Отправить номер", "request_contact": True}, "🧭 Главное меню"],
        ),
    )
    [message] = await chat.receive(5)
    assert render(message, chat.phone) == (
        "🤖 Как вас найти?\n"
        "   1) 🔍 Поиск квартир  2) 📋 Мои бронирования\n"
        "   3) 📱 Отправить номер [shares +77015550011]  4) 🧭 Главное меню"
    )

    assert chat.interpret("2") == Action("text", "📋 Мои бронирования")
    assert chat.interpret(" 4 ") == Action("text", "🧭 Главное меню")
    assert chat.interpret("3") == Action("contact", "+77015550011")
    assert chat.interpret("9") == Action("text", "9")  # no such button: plain text
    assert chat.interpret("\\2") == Action("text", "2")  # a number meant as text
    assert chat.interpret("/contact +77019998877") == Action("contact", "+77019998877")
    assert chat.interpret("") == Action("keys")
    assert chat.interpret("/quit") == Action("quit")

    await chat.send(chat.interpret("3"))
    await chat.send(chat.interpret("1"))
    updates = recorder.updates
    assert updates[0]["message"]["contact"]["phone_number"] == "+77015550011"
    assert updates[0]["message"]["contact"]["user_id"] == chat.chat_id
    assert updates[1]["message"]["text"] == "🔍 Поиск квартир"
    assert updates[1]["message"]["from"]["id"] == chat.chat_id


async def test_the_keyboard_stays_until_the_bot_replaces_or_removes_it(place):
    http, _ = place
    chat = Chat(http, chat_id=new_chat_id())
    await bot_sends(
        http, "sendMessage", chat_id=chat.chat_id, text="a", reply_markup=keyboard(["A"])
    )
    await bot_sends(http, "sendMessage", chat_id=chat.chat_id, text="plain")
    await chat.replies(first=5, quiet=0.2)
    assert chat.interpret("1") == Action("text", "A")  # a message without markup keeps it

    await bot_sends(
        http,
        "sendMessage",
        chat_id=chat.chat_id,
        text="gone",
        reply_markup={"remove_keyboard": True},
    )
    await chat.replies(first=5, quiet=0.2)
    assert chat.interpret("1") == Action("text", "1")
    assert "no buttons" in chat.keys_text()


async def test_photos_documents_and_links_are_shown(place):
    http, _ = place
    chat = Chat(http, chat_id=new_chat_id())
    photos = [{"type": "photo", "media": f"https://picsum.photos/{n}"} for n in range(3)]
    photos[0]["caption"] = "Уютная студия рядом с Арбатом"
    await bot_sends(http, "sendMediaGroup", chat_id=chat.chat_id, media=photos)
    await bot_sends(
        http, "sendDocument", chat_id=chat.chat_id, document="https://x.example/stats.csv"
    )
    pay = {"inline_keyboard": [[{"text": "Оплатить", "url": "https://kaspi.example/pay/1"}]]}
    await bot_sends(http, "sendMessage", chat_id=chat.chat_id, text="Счёт", reply_markup=pay)

    shown = [render(m) for m in await chat.replies(first=5, quiet=0.3)]
    assert shown == [
        "🤖 🖼  3 photos\n   Уютная студия рядом с Арбатом",
        "🤖 📎 stats.csv",
        "🤖 Счёт\n   🔗 Оплатить: https://kaspi.example/pay/1",
    ]


async def test_an_uploaded_csv_is_shown_by_its_first_lines(place):
    """The bot uploads the statistics CSV (multipart, as aiogram does): the chat prints its
    name, its caption and what the file holds, fetched from the stand-in."""
    http, _ = place
    chat = Chat(http, chat_id=new_chat_id())
    rows = ["Показатель;Значение", "Начало периода;2026-11-27"]
    rows += [f"Строка {n};{n}" for n in range(1, 10)]
    data = ("\ufeff" + "\r\n".join(rows) + "\r\n").encode()
    response = await http.post(
        f"{BOT}/sendDocument",
        data={"chat_id": str(chat.chat_id), "document": "attach://file", "caption": "📥 Итоги"},
        files={"file": ("zhilyego_general_2026-11-27_2026-12-03.csv", data, "text/csv")},
    )
    assert response.status_code == 200, response.text

    [message] = await chat.replies(first=5, quiet=0.2)

    assert render(message) == "\n".join(
        [
            "🤖 📎 zhilyego_general_2026-11-27_2026-12-03.csv",
            "   📥 Итоги",
            "   │ Показатель;Значение",  # the byte-order mark is not shown
            "   │ Начало периода;2026-11-27",
            *(f"   │ Строка {n};{n}" for n in range(1, 7)),
            "   │ … 3 more lines",
        ]
    )
    missing = await http.get(f"/chat/{chat.chat_id}/documents/{message.message_id + 1}")
    assert missing.status_code == 404


async def test_an_owner_sees_the_exported_statistics_in_the_chat(stack):
    """`make chat CHAT_ID=<owner>`: statistics, then the CSV export shows its rows."""
    async with standin(stack) as place, polling_bot(place):
        chat = Chat(place.http, chat_id=new_chat_id())
        owner, _ = await make_owner(stack, telegram_id=chat.chat_id)
        await make_property(stack, owner)
        await chat.say("/start")
        await chat.say("📊 Статистика")
        await chat.say("7 дней")

        sent = await chat.say("📥 Экспорт в CSV")

        [document] = [m for m in sent if m.document]
        shown = render(document)
        assert shown.startswith("🤖 📎 zhilyego_general_")
        assert "   │ Показатель;Значение" in shown
        assert "   │ Выручка, ₸;0" in shown  # the rows themselves, not just a file name
        assert " more lines\n" in shown  # then the keyboard, as on every message


async def test_a_session_with_the_polling_bot(stack):
    """What a newcomer sees in `make chat`: the menu at once, buttons pressed by number."""
    async with standin(stack) as place, polling_bot(place):
        chat = Chat(place.http, chat_id=new_chat_id())
        lines: asyncio.Queue[str | None] = asyncio.Queue()
        transcript: list[str] = []
        session = asyncio.create_task(run(chat, lines, transcript.append, echo=False))

        async def shown(count: int) -> list[str]:
            await eventually(lambda: _now(transcript), until=lambda t: len(t) >= count)
            return transcript[:count]

        def press(label: str) -> None:
            number = [b.text for b in chat.buttons].index(label) + 1
            lines.put_nowait(str(number))

        [welcome] = await shown(1)
        assert welcome.startswith("🤖 Здравствуйте! Это ЖильеGO")
        assert "   1) 🔍 Поиск квартир  2) 📋 Мои бронирования" in welcome
        press("🌐 Язык")
        _, pressed, languages = await shown(3)
        assert pressed == "🙂 🌐 Язык"
        assert "1) 🇷🇺 Русский  2) 🇰🇿 Қазақша  3) 🇬🇧 English" in languages
        lines.put_nowait("3")
        *_, pressed, english = await shown(5)
        assert pressed == "🙂 🇬🇧 English"
        assert "1) 🔍 Find apartments" in english
        lines.put_nowait("/quit")
        assert await asyncio.wait_for(session, timeout=10) == 0

        # Coming back to the same chat shows where it stopped, without starting over.
        again: list[str] = []
        lines.put_nowait(None)  # end of input
        rejoined = Chat(place.http, chat_id=chat.chat_id)
        assert await run(rejoined, lines, again.append, echo=False) == 0
        assert again[0] == f"(chat {chat.chat_id} continues; the bot's last message)"
        assert "1) 🔍 Find apartments" in again[1]


async def _now(transcript: list[str]) -> list[str]:
    return list(transcript)


async def test_dates_are_sent_as_the_mini_app_would(place):
    """A web_app button is shown with its hint and pressing it sends nothing; `/dates` posts
    what the Mini App's sendData would: a web_app_data message."""
    http, recorder = place
    chat = Chat(http, chat_id=new_chat_id())
    calendar = {"text": "🗓 Выбрать даты в календаре", "web_app": {"url": "https://x.kz/webapp"}}
    await bot_sends(
        http,
        "sendMessage",
        chat_id=chat.chat_id,
        text="В каком месяце заезд?",
        reply_markup=keyboard([calendar], ["Июль 2027"]),
    )
    [message] = await chat.receive(5)
    assert "1) 🗓 Выбрать даты в календаре [Mini App: /dates FROM TO]" in render(message)
    assert chat.interpret("1") == Action("keys")
    assert chat.interpret("/dates 2027-07-12") == Action("keys")  # both dates, or nothing
    action = chat.interpret("/dates 2027-07-12 2027-07-15")
    assert action.kind == "dates"
    await chat.send(action)
    [update] = recorder.updates
    web_app_data = update["message"]["web_app_data"]
    assert json.loads(web_app_data["data"]) == {"check_in": "2027-07-12", "check_out": "2027-07-15"}
    assert "text" not in update["message"]
