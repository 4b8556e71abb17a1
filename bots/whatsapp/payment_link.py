""" "🔄 Новая ссылка на оплату": the workflow's "kaspi_link_failed" message offers it as a
numbered line, so it is answered by the text itself or by a bare "1" right after that
message → a new Kaspi link (bots/journey/payment.renew_link)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from bots.whatsapp.context import Ctx
from bots.whatsapp.inbound import Inbound
from core.notification_catalogue import NEW_PAYMENT_LINK_BUTTON
from models import NotificationDelivery

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
