""" "🔄 Новая ссылка на оплату": the workflow's "kaspi_link_failed" message offers it as a
numbered line, so it is answered by the text itself or by a bare "1" right after that
message → a new Kaspi link for the guest's booking that waits for a Kaspi payment."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from temporalio.service import RPCError

from bots.payment_screens import renew_refused_text
from bots.texts import t
from bots.whatsapp.booking import payment_outs
from bots.whatsapp.context import Ctx
from bots.whatsapp.inbound import Inbound
from bots.whatsapp.screens import Out, Text, main_menu
from core.logging import get_logger
from core.notification_catalogue import NEW_PAYMENT_LINK_BUTTON
from models import NotificationDelivery
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import latest_awaiting_kaspi

log = get_logger(__name__)
LINK_FAILED_EVENT = "kaspi_link_failed"


async def asked(ctx: Ctx, message: Inbound) -> bool:
    typed = message.text.strip()
    if typed == NEW_PAYMENT_LINK_BUTTON:
        return True
    if typed != "1" or message.reply_id is not None:
        return False
    return await _link_failed_last(ctx)


async def _link_failed_last(ctx: Ctx) -> bool:
    """The bot's last word was the failed-link message: it is the latest delivery to this
    guest on WhatsApp, and it came after their conversation state was last saved."""
    since = datetime.fromtimestamp(float(ctx.state.get("at", 0)), tz=ctx.now().tzinfo)
    async with ctx.deps.sessions() as session:
        latest = (
            await session.execute(
                select(col(NotificationDelivery.event), col(NotificationDelivery.created_at))
                .where(
                    col(NotificationDelivery.user_id) == ctx.user_id,
                    col(NotificationDelivery.channel) == "whatsapp",
                )
                .order_by(
                    col(NotificationDelivery.created_at).desc(),
                    col(NotificationDelivery.id).desc(),
                )
                .limit(1)
            )
        ).first()
    if latest is None:
        return False
    event, created_at = latest
    return bool(event == LINK_FAILED_EVENT and created_at > since)


async def renew(ctx: Ctx) -> list[Out]:
    lang = ctx.lang
    ctx.state.clear()
    ctx.state["step"] = "menu"
    async with ctx.deps.sessions() as session:
        waiting = await latest_awaiting_kaspi(session, ctx.user_id)
    if waiting is None:
        return [Text(t("bk_renew_nothing_waiting", lang)), main_menu(lang)]
    try:
        client = await ctx.deps.booking_client()
        payment = await client.renew_payment_link(waiting.id)
    except BookingRefused as exc:
        return [Text(renew_refused_text(str(exc), lang)), main_menu(lang)]
    except BookingNotFound:
        return [Text(t("bk_renew_refused", lang)), main_menu(lang)]
    except (RPCError, RuntimeError, OSError) as exc:
        log.warning("payment link renewal failed", error=type(exc).__name__, channel="whatsapp")
        return [Text(t("bk_service_down", lang))]
    ctx.state["booking_id"] = waiting.id
    return payment_outs(
        ctx, waiting.id, payment, waiting.expires_at, waiting.contact_phone or ctx.phone
    )
