"""Reviews after check-out: a rating button (from the workflow's review request, or from my
bookings) → a few words ("Пропустить") → photos ("Готово") → the workflow saves it.

This router sits before the other feature routers: a rating press works in any state.
"""

from __future__ import annotations

from datetime import UTC, datetime

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.service import RPCError

from bots.telegram import booking_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU, main_menu
from bots.texts import t, variants
from core.notification_catalogue import RATING_BUTTONS
from models import User
from models.booking_io import ReviewSubmission
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import GuestBooking, guest_booking, latest_reviewable

router = Router(name=__name__)
MAX_PHOTOS = 10
MAX_TEXT = 4000


class ReviewStates(StatesGroup):
    rating = State()
    text = State()
    photos = State()


async def ask_rating(message: Message, state: FSMContext, lang: str, booking: GuestBooking) -> None:
    """From my bookings: rate this very stay."""
    await state.set_state(ReviewStates.rating)
    await state.update_data(rv_booking_id=booking.id)
    await message.answer(
        t("rv_ask_rating", lang, title=booking.property_title), reply_markup=views.ratings(lang)
    )


def _stars(rating: int) -> str:
    return "⭐" * rating


@router.message(F.text.in_(RATING_BUTTONS))
async def rating_pressed(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    rating = RATING_BUTTONS.index(message.text or "") + 1
    chosen = (await state.get_data()).get("rv_booking_id")
    if await state.get_state() == ReviewStates.rating.state and chosen:
        target = await guest_booking(session, user.id or 0, str(chosen))
    else:
        since = datetime.now(UTC) - deps.settings.review_window
        target = await latest_reviewable(session, user.id or 0, since)
    if target is None or not target.reviewable:
        await state.clear()
        await message.answer(t("rv_nothing_to_review", lang), reply_markup=main_menu(user, lang))
        return
    await state.set_state(ReviewStates.text)
    await state.set_data(
        {"rv_booking_id": target.id, "rv_rating": rating, "rv_text": "", "rv_photos": []}
    )
    await message.answer(
        t("rv_ask_text", lang, stars=_stars(rating), title=target.property_title),
        reply_markup=views.review_text(lang),
    )


@router.message(ReviewStates.rating, NOT_MENU)
async def rating_expected(message: Message, lang: str) -> None:
    await message.answer(t("rv_rating_expected", lang), reply_markup=views.ratings(lang))


@router.message(ReviewStates.text, F.text.in_(variants("btn_skip")))
async def text_skipped(message: Message, state: FSMContext, lang: str) -> None:
    await state.set_state(ReviewStates.photos)
    await message.answer(t("rv_ask_photos", lang), reply_markup=views.review_photos(lang))


@router.message(ReviewStates.text, F.text, NOT_MENU)
async def text_written(message: Message, state: FSMContext, lang: str) -> None:
    text = (message.text or "").strip()
    if not text or len(text) > MAX_TEXT:
        await message.answer(t("rv_text_expected", lang), reply_markup=views.review_text(lang))
        return
    await state.update_data(rv_text=text)
    await state.set_state(ReviewStates.photos)
    await message.answer(t("rv_ask_photos", lang), reply_markup=views.review_photos(lang))


@router.message(ReviewStates.text, F.photo)
async def photo_instead_of_text(message: Message, state: FSMContext, lang: str) -> None:
    """A guest who answers with a picture skipped the words; the picture counts."""
    await state.set_state(ReviewStates.photos)
    await photo_added(message, state, lang)


@router.message(ReviewStates.text, NOT_MENU)
async def text_expected(message: Message, lang: str) -> None:
    await message.answer(t("rv_text_expected", lang), reply_markup=views.review_text(lang))


@router.message(ReviewStates.photos, F.photo)
async def photo_added(message: Message, state: FSMContext, lang: str) -> None:
    photos = list((await state.get_data()).get("rv_photos") or [])
    if len(photos) >= MAX_PHOTOS:
        await message.answer(t("rv_photos_full", lang), reply_markup=views.review_photos(lang))
        return
    assert message.photo
    # Telegram's file id of the largest size; the bot can fetch it again with getFile.
    photos.append("telegram:" + message.photo[-1].file_id)
    await state.update_data(rv_photos=photos)
    await message.answer(
        t("rv_photo_saved", lang, count=len(photos)), reply_markup=views.review_photos(lang)
    )


@router.message(ReviewStates.photos, F.text.in_(variants("btn_done")))
async def review_done(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    data = await state.get_data()
    rating = int(data["rv_rating"])
    review = ReviewSubmission(
        rating=rating, text=str(data.get("rv_text") or ""), photo_urls=list(data["rv_photos"])
    )
    await session.close()  # no connection held while the workflow works
    try:
        client = await deps.booking_client()
        await client.submit_review(str(data["rv_booking_id"]), review)
    except (BookingRefused, BookingNotFound):
        await state.clear()
        await message.answer(t("rv_closed", lang), reply_markup=main_menu(user, lang))
        return
    except (RPCError, RuntimeError):
        await message.answer(t("bk_service_down", lang), reply_markup=views.review_photos(lang))
        return
    await state.clear()
    await message.answer(
        t("rv_thanks", lang, stars=_stars(rating)), reply_markup=main_menu(user, lang)
    )


@router.message(ReviewStates.photos, NOT_MENU)
async def photos_expected(message: Message, lang: str) -> None:
    await message.answer(t("rv_photos_expected", lang), reply_markup=views.review_photos(lang))
