"""`make wa-chat` (devstack.wa_chat) against the real stack: typed lines become signed
webhooks, the bot's answers are read back from the Graph API stand-in, numbered."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx

from devstack.chat import render
from devstack.wa_chat import WaChat
from tests.bots.whatsapp.phone import new_wa_id


@asynccontextmanager
async def wa_chat(stack: Any, posted: list[dict[str, Any]]) -> AsyncIterator[WaChat]:
    """A guest's `make wa-chat` against the stack; every webhook body it posts is kept."""

    async def keep(request: httpx.Request) -> None:
        if request.method == "POST":
            posted.append(json.loads(request.content))

    secret = stack.settings.whatsapp_app_secret.get_secret_value()
    async with httpx.AsyncClient(timeout=30, event_hooks={"request": [keep]}) as http:
        yield WaChat(
            http,
            app_secret=secret,
            phone="+" + new_wa_id(),
            webhook_url=f"{stack.api_url}/whatsapp/webhook",
            standin_url=stack.settings.whatsapp_api_base.rsplit("/", 1)[0],
            phone_number_id=stack.settings.whatsapp_phone_number_id,
        )


async def test_menu_is_numbered_and_a_number_taps_the_first_option(stack):
    posted: list[dict[str, Any]] = []
    async with wa_chat(stack, posted) as chat:
        answer = await chat.say("привет")
        assert answer, "the bot did not answer"
        menu = render(answer[-1])
        first_id, first_title = chat.options[0]
        assert f"1) {first_title}" in menu
        assert len(chat.options) >= 2 and f"2) {chat.options[1][1]}" in menu

        after_tap = await chat.say("1")

    [_, tap] = posted
    message = tap["entry"][0]["changes"][0]["value"]["messages"][0]
    assert message["type"] == "interactive"
    reply = message["interactive"][message["interactive"]["type"]]
    assert reply == {"id": first_id, "title": first_title}
    assert after_tap and render(after_tap[-1]) != menu


async def test_dates_answer_the_flow_as_an_nfm_reply(stack):
    posted: list[dict[str, Any]] = []
    async with wa_chat(stack, posted) as chat:
        await chat.say("привет")
        answer = await chat.say("/dates 2027-07-12 2027-07-15")  # outside a booking: a re-ask
        assert answer, "the bot did not answer"

    message = posted[-1]["entry"][0]["changes"][0]["value"]["messages"][0]
    assert message["type"] == "interactive"
    assert message["interactive"]["type"] == "nfm_reply"
    response = json.loads(message["interactive"]["nfm_reply"]["response_json"])
    assert response == {"check_in": "2027-07-12", "check_out": "2027-07-15"}
