"""Reviews after check-out: a rating (the workflow's review request, answered in any state,
or "✍️ Оставить отзыв" in my bookings) → a few words or "Пропустить" → photos or "Готово" →
the workflow saves it.

State keys: `rv_booking_id`, `rv_rating`, `rv_text`, `rv_photos` (messenger photo refs).
"""

from __future__ import annotations

from temporalio.service import RPCError

from bots.journey.context import Journey
from bots.journey.screens import MENU, Choice, Home, Menu, Out, Said, Text
from bots.texts import t
from core.notification_catalogue import RATING_BUTTONS
from models.booking_io import ReviewSubmission
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import guest_booking, latest_reviewable

STEPS = frozenset({"review_rating", "review_text", "review_photos"})
MAX_TEXT = 4000
MAX_PHOTOS = 10


def _stars(rating: int) -> str:
    return "⭐" * rating


def _menu(lang: str) -> Choice:
    return (MENU, t("btn_main_menu", lang))


def rating_choices() -> list[Choice]:
    return [(f"rate:{n}", label) for n, label in enumerate(RATING_BUTTONS, 1)]


async def ask_rating(j: Journey, booking_id: str) -> list[Out]:
    """From my bookings: rate this very stay."""
    async with j.deps.sessions() as session:
        target = await guest_booking(session, j.user_id, booking_id)
    if target is None or not target.reviewable:
        return [Home(t("rv_nothing_to_review", j.lang))]
    j.state.clear()
    j.state.update(step="review_rating", rv_booking_id=target.id)
    body = t("rv_ask_rating", j.lang, title=target.property_title)
    return [Menu(body, [*rating_choices(), _menu(j.lang)], width=5, counts=True)]


async def rate(j: Journey, rating: int) -> list[Out]:
    """A rating for the stay asked about in my bookings, else for the latest finished stay
    still within the review window."""
    lang = j.lang
    chosen = j.state.get("rv_booking_id") if j.state.get("step") == "review_rating" else None
    async with j.deps.sessions() as session:
        if chosen:
            target = await guest_booking(session, j.user_id, str(chosen))
        else:
            since = j.now() - j.deps.settings.review_window
            target = await latest_reviewable(session, j.user_id, since)
    if target is None or not target.reviewable:
        return [Home(t("rv_nothing_to_review", lang))]
    j.state.clear()
    j.state.update(step="review_text", rv_booking_id=target.id, rv_rating=rating, rv_photos=[])
    body = t("rv_ask_text", lang, stars=_stars(rating), title=target.property_title)
    return [_text_menu(lang, body)]


def _text_menu(lang: str, body: str) -> Menu:
    return Menu(body, [("skip", t("btn_skip", lang)), _menu(lang)])


def _photos_menu(lang: str, body: str) -> Menu:
    return Menu(body, [("done", t("btn_done", lang)), _menu(lang)])


async def answer(j: Journey, said: Said) -> list[Out]:
    step, lang = str(j.state.get("step")), j.lang
    if step == "review_rating":
        if said.picked and said.picked.startswith("rate:"):
            return await rate(j, int(said.picked.removeprefix("rate:")))
        choices = [*rating_choices(), _menu(lang)]
        return [Menu(t("rv_rating_expected", lang), choices, width=5, counts=True)]
    if step == "review_text":
        if said.photo is not None:  # a picture instead of words: the words are skipped
            return _photo(j, said.photo)
        if said.picked == "skip":
            j.state["step"] = "review_photos"
            return [_photos_menu(lang, t("rv_ask_photos", lang))]
        text = said.text.strip()
        if not text or len(text) > MAX_TEXT:
            return [_text_menu(lang, t("rv_text_expected", lang))]
        j.state.update(step="review_photos", rv_text=text)
        return [_photos_menu(lang, t("rv_ask_photos", lang))]
    if said.photo is not None:
        return _photo(j, said.photo)
    if said.picked == "done":
        return await _submit(j)
    return [_photos_menu(lang, t("rv_photos_expected", lang))]


def _photo(j: Journey, photo: str) -> list[Out]:
    lang = j.lang
    photos: list[str] = list(j.state.get("rv_photos") or [])
    j.state["step"] = "review_photos"
    if len(photos) >= MAX_PHOTOS:
        return [_photos_menu(lang, t("rv_photos_full", lang))]
    photos.append(photo)
    j.state["rv_photos"] = photos
    return [_photos_menu(lang, t("rv_photo_saved", lang, count=len(photos)))]


async def _submit(j: Journey) -> list[Out]:
    lang = j.lang
    rating = int(j.state["rv_rating"])
    review = ReviewSubmission(
        rating=rating,
        text=str(j.state.get("rv_text") or ""),
        photo_urls=list(j.state.get("rv_photos") or []),
    )
    try:
        client = await j.deps.booking_client()
        await client.submit_review(str(j.state["rv_booking_id"]), review)
    except (BookingRefused, BookingNotFound):
        return [Home(t("rv_closed", lang))]
    except (RPCError, RuntimeError, OSError):
        return [Text(t("bk_service_down", lang)), _photos_menu(lang, t("rv_ask_photos", lang))]
    return [Home(t("rv_thanks", lang, stars=_stars(rating)))]
