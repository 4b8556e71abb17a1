"""Owner uploads apartment photos in the chat (as photos or as image files).

The bytes come from Telegram (getFile + the file route); storing, converting to JPEG and
thumbnailing are services.owner_photos' work.
"""

from __future__ import annotations

import aiohttp
from aiogram import Bot, F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram.deps import BotDeps
from bots.telegram.owner_keyboards import photo_upload
from bots.telegram.owner_states import OwnerStates
from bots.telegram.owner_views import back_to_card, current_property, refuse
from bots.texts import t, variants
from core.clock import today_local
from core.logging import get_logger
from core.storage import storage_from_settings
from models import User
from services.owner import InvalidValue, PropertyAccessDenied, owner_card
from services.owner_photos import MAX_PHOTOS, MAX_PIXELS, MAX_SIDE, MAX_UPLOAD_BYTES, add_photo
from services.search_cache import SearchCache

router = Router(name=__name__)
log = get_logger(__name__)
REFUSALS = {
    "photo_too_big": "owner_photo_too_big",
    "too_many_photos": "owner_photo_too_many",
    "photo_too_many_pixels": "owner_photo_too_many_pixels",
}


@router.message(OwnerStates.card, F.text.in_(variants("btn_owner_photos")))
async def ask_photos(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    try:
        card = await owner_card(
            session, user, await current_property(state) or 0, today=today_local()
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    await state.set_state(OwnerStates.photos)
    await message.answer(
        t("owner_photos_ask", lang, count=card.photos), reply_markup=photo_upload(lang)
    )


@router.message(OwnerStates.photos, F.text.in_(variants("btn_owner_done") | variants("btn_back")))
async def photos_done(message: Message, state: FSMContext, lang: str) -> None:
    await back_to_card(message, state, lang, t("owner_choose_action", lang))


async def _download(bot: Bot, file_id: str) -> bytes | None:
    try:
        data = await bot.download(file_id)
    except (TimeoutError, TelegramAPIError, aiohttp.ClientError) as exc:
        log.warning("photo download failed", error=type(exc).__name__)
        return None
    return data.read() if data is not None else None


@router.message(OwnerStates.photos, F.photo)
@router.message(OwnerStates.photos, F.document.mime_type.startswith("image/"))
async def photo_received(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
    bot: Bot,
) -> None:
    if message.photo:
        file_id, size = message.photo[-1].file_id, message.photo[-1].file_size
    else:
        assert message.document is not None
        file_id, size = message.document.file_id, message.document.file_size
    if size is not None and size > MAX_UPLOAD_BYTES:
        await message.answer(t("owner_photo_too_big", lang), reply_markup=photo_upload(lang))
        return
    data = await _download(bot, file_id)
    if data is None:
        await message.answer(
            t("owner_photo_download_failed", lang), reply_markup=photo_upload(lang)
        )
        return
    try:
        saved = await add_photo(
            session,
            user,
            await current_property(state) or 0,
            data,
            storage=storage_from_settings(deps.settings),
            # Only a photo's file id can be re-sent with sendPhoto.
            telegram_file_id=file_id if message.photo else None,
            search_cache=SearchCache.from_settings(deps.redis, deps.settings),
        )
    except PropertyAccessDenied:
        await refuse(message, state, session, user, lang)
        return
    except InvalidValue as exc:
        key = REFUSALS.get(exc.reason, "owner_photo_unreadable")
        limits = {"max": MAX_PHOTOS, "side": MAX_SIDE, "megapixels": MAX_PIXELS // 1_000_000}
        await message.answer(t(key, lang, **limits), reply_markup=photo_upload(lang))
        return
    await message.answer(
        t("owner_photo_saved", lang, count=saved.count, max=MAX_PHOTOS),
        reply_markup=photo_upload(lang),
    )


@router.message(OwnerStates.photos)
async def photo_expected(message: Message, lang: str) -> None:
    await message.answer(t("owner_photo_expected", lang), reply_markup=photo_upload(lang))
