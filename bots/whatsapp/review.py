"""Reviews after check-out: the workflow's review request (a numbered ⭐ 1 … ⭐ 5 list) is
answered by "⭐ 5" or just "5" → a few words or "Пропустить" → the workflow saves it.

Photos are not collected on WhatsApp (the bot reads text and replies only)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, func, select
from temporalio.service import RPCError

from bots.texts import t
from bots.whatsapp.context import Ctx
from bots.whatsapp.inbound import Inbound
from bots.whatsapp.screens import Menu, Out, Text, main_menu
from core.notification_catalogue import RATING_BUTTONS
from models import NotificationDelivery
from models.booking_io import ReviewSubmission
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import latest_reviewable

MAX_TEXT = 4000
REVIEW_EVENTS = ("review_request", "review_reminder")


def _stars(rating: int) -> str:
    return "⭐" * rating


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


async def rate(ctx: Ctx, rating: int) -> list[Out]:
    lang = ctx.lang
    since = ctx.now() - ctx.deps.settings.review_window
    async with ctx.deps.sessions() as session:
        target = await latest_reviewable(session, ctx.user_id, since)
    if target is None or not target.reviewable:
        ctx.state.clear()
        ctx.state["step"] = "menu"
        return [Text(t("rv_nothing_to_review", lang)), main_menu(lang)]
    ctx.state.clear()
    ctx.state.update(step="review_text", rv_booking_id=target.id, rv_rating=rating)
    body = t("rv_ask_text", lang, stars=_stars(rating), title=target.property_title)
    return [Menu(body, [("skip", t("btn_skip", lang)), ("menu", t("btn_main_menu", lang))])]


async def written(ctx: Ctx, text: str) -> list[Out]:
    text = text.strip()
    if not text or len(text) > MAX_TEXT:
        lang = ctx.lang
        skip = [("skip", t("btn_skip", lang)), ("menu", t("btn_main_menu", lang))]
        return [Menu(t("rv_text_expected", lang), skip)]
    return await submit(ctx, text)


async def submit(ctx: Ctx, text: str) -> list[Out]:
    lang = ctx.lang
    rating = int(ctx.state["rv_rating"])
    review = ReviewSubmission(rating=rating, text=text, photo_urls=[])
    try:
        client = await ctx.deps.booking_client()
        await client.submit_review(str(ctx.state["rv_booking_id"]), review)
    except (BookingRefused, BookingNotFound):
        ctx.state.clear()
        ctx.state["step"] = "menu"
        return [Text(t("rv_closed", lang)), main_menu(lang)]
    except (RPCError, RuntimeError, OSError):
        return [Text(t("bk_service_down", lang))]
    ctx.state.clear()
    ctx.state["step"] = "menu"
    return [Text(t("rv_thanks", lang, stars=_stars(rating))), main_menu(lang)]
