"""The WhatsApp bot as the API runs it: one inbound message at a time, state in Redis."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

import httpx
from redis.asyncio import Redis

from bots.journey.screens import DatePicker
from bots.texts import t
from bots.whatsapp.client import BUTTON_TITLE, WhatsAppClient
from bots.whatsapp.context import BotDeps, Ctx
from bots.whatsapp.conversation import reply
from bots.whatsapp.flows import DATES_SCREEN, flow_data
from bots.whatsapp.inbound import Inbound, StatusUpdate
from bots.whatsapp.screens import Image, Link, Menu, Out, numbered
from bots.whatsapp.state import ConversationStore
from core.db import SessionFactory
from core.logging import get_logger
from core.settings import Settings
from models.enums import Channel
from services.booking_client import BookingClient
from services.deliveries import record_receipt
from services.phones import e164
from services.search_cache import SearchCache, namespace
from services.users import whatsapp_user

log = get_logger(__name__)


@dataclass
class WhatsAppBot:
    deps: BotDeps
    client: WhatsAppClient
    store: ConversationStore
    http: httpx.AsyncClient

    @classmethod
    def build(
        cls,
        settings: Settings,
        sessions: SessionFactory,
        redis: Redis,
        booking_client: Callable[[], Awaitable[BookingClient]],
    ) -> WhatsAppBot:
        assert settings.whatsapp_token is not None
        http = httpx.AsyncClient(timeout=15)
        client = WhatsAppClient(
            token=settings.whatsapp_token.get_secret_value(),
            phone_number_id=settings.whatsapp_phone_number_id,
            api_base=settings.whatsapp_api_base,
            http=http,
        )
        deps = BotDeps(
            settings, sessions, SearchCache.from_settings(redis, settings), booking_client
        )
        store = ConversationStore(redis, namespace(settings.database_url).replace("search", "wa"))
        return cls(deps, client, store, http)

    async def close(self) -> None:
        await self.http.aclose()

    async def handle_message(self, message: Inbound) -> None:
        """Once per message id; a failure forgets the id so Meta's retry is handled."""
        if not await self.store.first_time(message.id):
            log.info("duplicate whatsapp message", message_id=message.id)
            return
        try:
            await self._converse(message)
        except Exception:
            await self.store.forget(message.id)
            raise

    async def handle_status(self, status: StatusUpdate) -> None:
        async with self.deps.sessions() as session:
            await record_receipt(session, status.message_id, status.status, status.error)

    async def _converse(self, message: Inbound) -> None:
        phone = e164("+" + message.wa_id.lstrip("+"))
        if phone is None:
            log.warning("whatsapp sender without a usable phone", wa_id=message.wa_id)
            return
        async with self.deps.sessions() as session:
            user = await whatsapp_user(session, phone, message.name)
        saved = await self.store.load(message.wa_id)
        ctx = Ctx(self.deps, user, Channel.WHATSAPP, saved or {}, phone, message.id)
        outs = await reply(ctx, message, first=saved is None)
        for out in outs:
            if isinstance(out, Menu):
                ctx.state["prompt"] = out.body
                ctx.state["choices"] = [list(c) for c in out.choices]
                ctx.state["numbered"] = out.numbered
                ctx.state["counts"] = out.counts
        for out in outs:
            await self._send(message.wa_id, out, ctx.lang)
        # Saved once sent: a failed send leaves the state as it was for Meta's retry.
        ctx.state["at"] = ctx.now().timestamp()
        await self.store.save(message.wa_id, ctx.state)

    async def _send(self, to: str, out: Out, lang: str) -> None:
        if isinstance(out, Image):
            await self.client.send_image(to, out.link, out.caption)
        elif isinstance(out, Link):
            label = out.label if len(out.label) <= BUTTON_TITLE else out.short_label
            await self.client.send_cta_url(to, out.body, label or out.label, out.url)
        elif isinstance(out, Menu):
            flow_id = self.deps.settings.whatsapp_dates_flow_id
            if out.picker is not None and flow_id:
                await self._send_dates_flow(to, out.picker, flow_id, lang)
            choices = [(str(c[0]), str(c[1])) for c in out.choices]
            body = numbered(out.body, choices) if out.numbered else out.body
            if not choices:
                await self.client.send_text(to, body)
            elif len(choices) <= 3 and all(len(title) <= 20 for _, title in choices):
                await self.client.send_buttons(to, body, choices)
            else:
                await self.client.send_list(to, body, t("wa_list_button", lang), choices)
        else:
            await self.client.send_text(to, out.body)

    async def _send_dates_flow(self, to: str, picker: DatePicker, flow_id: str, lang: str) -> None:
        """The dates Flow (bots/whatsapp/flows/dates.json) for this apartment: a range
        calendar with its taken nights and min/max nights; the list follows for those who
        would rather tap or type."""
        await self.client.send_flow(
            to,
            t("wa_flow_dates_body", lang),
            t("wa_btn_calendar", lang),
            flow_id,
            token=f"dates:{picker.property_id}",
            screen=DATES_SCREEN,
            data=flow_data(picker, lang),
        )
