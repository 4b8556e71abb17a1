"""/start (with `prop_<id>` deep links), the main menu, language and help."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import CommandObject, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession

from bots.telegram.handlers.search import open_property
from bots.telegram.keyboards import LANGUAGE_BUTTONS, languages, main_menu
from bots.telegram.screens import show_menu
from bots.texts import t, variants
from models import User
from models.enums import Language
from services.users import set_language

router = Router(name=__name__)


@router.message(CommandStart(deep_link=True, magic=F.args.regexp(r"^prop_\d+$")))
async def start_with_property(
    message: Message,
    command: CommandObject,
    state: FSMContext,
    user: User,
    lang: str,
    session: AsyncSession,
) -> None:
    await state.clear()
    property_id = int((command.args or "prop_0").removeprefix("prop_"))
    await open_property(message, state, user, lang, property_id, session=session)


@router.message(CommandStart())
async def start(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await show_menu(message, state, user, lang, key="welcome")


@router.message(F.text.in_(variants("btn_main_menu")))
async def to_main_menu(message: Message, state: FSMContext, user: User, lang: str) -> None:
    await show_menu(message, state, user, lang)


@router.message(F.text.in_(variants("btn_language")))
async def choose_language(message: Message, lang: str) -> None:
    await message.answer(t("choose_language", lang), reply_markup=languages())


@router.message(F.text.in_(set(LANGUAGE_BUTTONS)))
async def language_chosen(
    message: Message, state: FSMContext, user: User, session: AsyncSession
) -> None:
    lang = LANGUAGE_BUTTONS[message.text or ""]
    await set_language(session, user.id or 0, lang)
    user.language = Language(lang)
    await show_menu(message, state, user, lang, key="language_set")


@router.message(F.text.in_(variants("btn_help")))
async def help_text(message: Message, user: User, lang: str) -> None:
    await message.answer(t("help", lang), reply_markup=main_menu(user, lang))
