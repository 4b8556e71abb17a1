"""Polling mode, as `make dev` runs the bot: `python -m bots.telegram` long-polls the Telegram
stand-in, a person writes through the stand-in's user API, answers come back over real HTTP."""

from __future__ import annotations

from typing import Any

from tests.support.factories import eventually
from tests.support.polling import Standin, new_chat_id, polling_bot, run_bot_cli, standin


async def write(place: Standin, chat_id: int, after: int = 0, **body: Any) -> list[dict[str, Any]]:
    """Sends `body` as the person in `chat_id`; returns the bot's messages after `after`."""
    response = await place.http.post(f"/chat/{chat_id}/send", json=body)
    assert response.status_code == 200, response.text
    response = await place.http.get(
        f"/chat/{chat_id}/messages", params={"after": after, "timeout": 15}
    )
    messages: list[dict[str, Any]] = response.json()["messages"]
    return messages


def buttons(message: dict[str, Any]) -> list[str]:
    return [b["text"] for row in message["keyboard"] or [] for b in row]


async def pending_updates(place: Standin) -> int:
    response = await place.http.get("/chats")
    return int(response.json()["pending_updates"])


async def test_the_polling_bot_answers_a_person_with_the_main_menu(stack):
    async with standin(stack) as place, polling_bot(place):
        replies = await write(place, new_chat_id(), text="привет")

        assert len(replies) == 1
        assert "ЖильеGO" in replies[0]["text"]
        assert "🔍 Поиск квартир" in buttons(replies[0])
        assert "📋 Мои бронирования" in buttons(replies[0])
        methods = [c.method for c in place.recorder.calls]
        assert methods[0] == "deleteWebhook"  # getUpdates is refused while a webhook is set
        commands = [c.params for c in place.recorder.calls if c.method == "setMyCommands"]
        assert [c.get("language_code") for c in commands] == [None, "kk", "en"]
        assert commands[0]["commands"] == [{"command": "start", "description": "🧭 Главное меню"}]

        # Each update is handled once, in order; the next getUpdates confirms it.
        chat_id = new_chat_id()
        first = await write(place, chat_id, text="/start")
        languages = await write(place, chat_id, first[-1]["message_id"], text="🌐 Язык")
        assert buttons(languages[-1]) == ["🇷🇺 Русский", "🇰🇿 Қазақша", "🇬🇧 English"]
        english = await write(place, chat_id, languages[-1]["message_id"], text="🇬🇧 English")
        assert "English" in english[-1]["text"]
        assert "🔍 Find apartments" in buttons(english[-1])
        everything = await place.http.get(f"/chat/{chat_id}/messages")
        assert len(everything.json()["messages"]) == 3
        await eventually(lambda: pending_updates(place), until=lambda n: n == 0)

        # A shared phone outside any step is still answered.
        replies = await write(place, new_chat_id(), contact={"phone_number": "+77011234567"})
        assert "🔍 Поиск квартир" in buttons(replies[-1])


async def test_webhook_mode_is_registered_and_polling_takes_over_again(stack):
    async with standin(stack) as place:
        url = "https://zhilyego.example/telegram/webhook"
        code, output = await run_bot_cli(
            place, "--set-webhook", url, extra_env={"TELEGRAM_WEBHOOK_SECRET": "s3cret-token"}
        )
        assert code == 0, output
        hook = next(c.params for c in place.recorder.calls if c.method == "setWebhook")
        assert hook["url"] == url
        assert hook["secret_token"] == "s3cret-token"
        assert "message" in hook["allowed_updates"]
        refused = await place.http.post("/bot1:x/getUpdates", data={"timeout": "0"})
        assert refused.status_code == 409  # as on Telegram: no getUpdates while a webhook is set

        queued = await place.http.post(f"/chat/{new_chat_id()}/send", json={"text": "/start"})
        assert queued.status_code == 200
        async with polling_bot(place):  # polling deletes the webhook, keeping queued updates
            await eventually(lambda: pending_updates(place), until=lambda n: n == 0)
            assert place.recorder.webhook is None
