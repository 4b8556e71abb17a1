"""How a rating reaches the review journey (bots/journey/review.py) on WhatsApp, whatever
the guest was doing: "⭐ 5" typed or a "rate:5" reply, or a bare "5" right after the
workflow's review request."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, func, select

from bots.whatsapp.context import Ctx
from bots.whatsapp.inbound import Inbound
from core.notification_catalogue import RATING_BUTTONS
from models import NotificationDelivery

REVIEW_EVENTS = ("review_request", "review_reminder")


def explicit_rating(message: Inbound) -> int | None:
    """A star typed or tapped ("⭐ 5", or a reply id "rate:5") is a rating in any state."""
    if message.reply_id and message.reply_id.startswith("rate:"):
        value = message.reply_id.removeprefix("rate:")
        return int(value) if value in {"1", "2", "3", "4", "5"} else None
    if message.text in RATING_BUTTONS:
        return RATING_BUTTONS.index(message.text) + 1
    return None


async def bare_rating(ctx: Ctx, message: Inbound) -> int | None:
    """A bare "1"…"5" is a rating when the bot's last word was the review request: one was
    delivered to this guest after their conversation state was last saved."""
    typed = message.text.strip()
    if typed not in {"1", "2", "3", "4", "5"}:
        return None
    since = datetime.fromtimestamp(float(ctx.state.get("at", 0)), tz=ctx.now().tzinfo)
    async with ctx.deps.sessions() as session:
        latest = await session.scalar(
            select(func.max(col(NotificationDelivery.created_at))).where(
                col(NotificationDelivery.user_id) == ctx.user_id,
                col(NotificationDelivery.channel) == "whatsapp",
                col(NotificationDelivery.event).in_(REVIEW_EVENTS),
            )
        )
    if latest is None or latest <= since:
        return None
    return int(typed)
