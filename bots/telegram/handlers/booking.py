"""Booking an apartment: check-in day → nights → guests → quote → phone → payment → the hold.

Reached from the apartment card ("📅 Забронировать" calls `start_booking`) or with the
`/book_<id>` shortcut. Nothing is written here: the hold is the booking workflow's answer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.service import RPCError

from bots.payment_screens import payment_screen
from bots.telegram import booking_views as views
from bots.telegram.deps import BotDeps
from bots.telegram.keyboards import NOT_MENU, main_menu
from bots.texts import key_of, t, variants
from core.clock import today_local
from core.money import kzt
from models import User
from models.booking_io import GuestContact, PaymentInstructions
from models.enums import Channel, PaymentMethod
from services.availability import StayOptions, StayRefusal, stay_options
from services.booking_ids import new_booking_id
from services.phones import e164, from_contact
from services.users import link_own_phone

router = Router(name=__name__)


class BookingStates(StatesGroup):
    check_in = State()
    nights = State()
    guests = State()
    phone = State()
    payment = State()


async def start_booking(
    message: Message,
    state: FSMContext,
    user: User,
    lang: str,
    property_id: int,
    *,
    session: AsyncSession,
) -> None:
    """The first booking screen for an apartment: free check-in days of the next 30."""
    await _ask_check_in(message, state, session, user, lang, property_id, "bk_choose_day")


@router.message(F.text.regexp(r"^/book_\d{1,9}$"))
async def book_command(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    """`/book_<id>`: straight to the booking screens (links in messages, `make chat`)."""
    property_id = int(str(message.text).removeprefix("/book_"))
    await start_booking(message, state, user, lang, property_id, session=session)


# --- check-in day -------------------------------------------------------------------------


async def _options(session: AsyncSession, state: FSMContext) -> StayOptions | None:
    property_id = (await state.get_data()).get("bk_property_id")
    return await stay_options(session, int(property_id), today_local()) if property_id else None


async def _ask_check_in(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    property_id: int,
    lead: str,
    detail: str = "",
) -> None:
    options = await stay_options(session, property_id, today_local())
    if options is None:
        await state.clear()
        await message.answer(t("bk_not_found", lang), reply_markup=main_menu(user, lang))
        return
    days = options.check_in_days()
    if not days:
        await state.clear()
        await message.answer(
            t("bk_no_days", lang, title=options.title), reply_markup=main_menu(user, lang)
        )
        return
    await state.set_state(BookingStates.check_in)
    await state.update_data(
        bk_property_id=property_id,
        bk_label=options.label,
        bk_check_in=None,
        bk_nights=None,
        bk_guests=None,
    )
    text = t(lead, lang, title=options.title, min_nights=options.min_nights, detail=detail)
    await message.answer(text, reply_markup=views.check_in_days(days, lang))


@router.message(BookingStates.check_in, NOT_MENU)
async def check_in_chosen(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    options = await _options(session, state)
    if options is None:
        await state.clear()
        await message.answer(t("bk_not_found", lang), reply_markup=main_menu(user, lang))
        return
    days = options.check_in_days()
    day = views.pick_day(message.text, days)
    if day is not None:
        await state.update_data(bk_check_in=day.isoformat())
        await _ask_nights(message, state, options, day, lang)
        return
    # Typed dates ("12.07–15.07", "12 июля на 3 ночи"): any stay up to the horizon.
    typed = options.typed_stay(str(message.text or ""))
    if isinstance(typed, StayRefusal):
        await message.answer(
            t(typed.key, lang, **typed.values), reply_markup=views.check_in_days(days, lang)
        )
        return
    await state.update_data(bk_check_in=typed.check_in.isoformat())
    await _nights_set(message, state, options, user, lang, typed.nights)


# --- nights -------------------------------------------------------------------------------


async def _ask_nights(
    message: Message, state: FSMContext, options: StayOptions, day: date, lang: str
) -> None:
    choices = options.nights_from(day)
    await state.set_state(BookingStates.nights)
    text = t(
        "bk_choose_nights",
        lang,
        check_in=views.full_day(day),
        low=choices[0],
        high=choices[-1],
    )
    await message.answer(text, reply_markup=views.nights(choices, lang))


@router.message(BookingStates.nights, F.text.in_(variants("btn_back")))
async def back_from_nights(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    property_id = int((await state.get_data())["bk_property_id"])
    await _ask_check_in(message, state, session, user, lang, property_id, "bk_choose_day")


@router.message(BookingStates.nights, NOT_MENU)
async def nights_chosen(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    data = await state.get_data()
    options = await _options(session, state)
    day = date.fromisoformat(data["bk_check_in"])
    choices = options.nights_from(day) if options is not None else []
    if options is None or not choices:  # the day was taken meanwhile
        await _ask_check_in(
            message, state, session, user, lang, int(data["bk_property_id"]), "bk_dates_taken"
        )
        return
    nights = views.number_in(message.text)
    low, high = choices[0], choices[-1]
    if nights is None or nights not in choices:
        key = "bk_nights_not_number" if nights is None else "bk_nights_out_of_range"
        await message.answer(
            t(key, lang, low=low, high=high), reply_markup=views.nights(choices, lang)
        )
        return
    await _nights_set(message, state, options, user, lang, nights)


async def _nights_set(
    message: Message,
    state: FSMContext,
    options: StayOptions,
    user: User,
    lang: str,
    nights: int,
) -> None:
    await state.update_data(bk_nights=nights)
    if options.max_guests > 1:
        await _ask_guests(message, state, options, lang, "bk_choose_guests")
        return
    await _show_quote(message, state, options, user, lang, guests=1)


# --- guests -------------------------------------------------------------------------------


async def _ask_guests(
    message: Message, state: FSMContext, options: StayOptions, lang: str, lead: str
) -> None:
    await state.set_state(BookingStates.guests)
    await message.answer(
        t(lead, lang, max_guests=options.max_guests),
        reply_markup=views.guests(options.max_guests, lang),
    )


@router.message(BookingStates.guests, F.text.in_(variants("btn_back")))
async def back_from_guests(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await _back_to_nights(message, state, session, user, lang)


@router.message(BookingStates.guests, NOT_MENU)
async def guests_chosen(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    options = await _stay_still_free(message, state, session, user, lang)
    if options is None:
        return
    guests = views.number_in(message.text)
    if guests is None or not 1 <= guests <= options.max_guests:
        key = "bk_guests_not_number" if guests is None else "bk_guests_out_of_range"
        await _ask_guests(message, state, options, lang, key)
        return
    await _show_quote(message, state, options, user, lang, guests=guests)


# --- the quote ----------------------------------------------------------------------------


async def _show_quote(
    message: Message,
    state: FSMContext,
    options: StayOptions,
    user: User,
    lang: str,
    *,
    guests: int,
) -> None:
    data = await state.get_data()
    day, nights = date.fromisoformat(data["bk_check_in"]), int(data["bk_nights"])
    # One booking id per quote: a double tap on it is the same booking, never two.
    await state.update_data(bk_guests=guests, bk_booking_id=new_booking_id())
    quote = _quote_text(options, day, nights, guests, lang)
    if user.phone or data.get("bk_phone"):
        await state.set_state(BookingStates.payment)
        await message.answer(
            f"{quote}\n\n{t('bk_choose_payment', lang)}", reply_markup=views.payment_methods(lang)
        )
        return
    await state.set_state(BookingStates.phone)
    await message.answer(
        f"{quote}\n\n{t('bk_ask_phone', lang)}", reply_markup=views.share_phone(lang)
    )


def _quote_text(options: StayOptions, day: date, nights: int, guests: int, lang: str) -> str:
    quote = options.quote(day, nights)
    return t(
        "bk_quote",
        lang,
        title=options.title,
        check_in=views.full_day(day),
        check_out=views.full_day(day + timedelta(days=nights)),
        nights=nights,
        guests=guests,
        price=kzt(options.price_per_night),
        nightly=kzt(quote.nightly_total),
        cleaning=kzt(quote.cleaning_fee),
        total=kzt(quote.total),
        policy=views.policy_line(options.cancellation_policy.value, lang),
    )


async def _stay_still_free(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> StayOptions | None:
    """The apartment's options while the chosen day can still be booked; else the days."""
    data = await state.get_data()
    options = await _options(session, state)
    day = date.fromisoformat(data["bk_check_in"])
    if options is None or not options.nights_from(day):
        await _ask_check_in(
            message, state, session, user, lang, int(data["bk_property_id"]), "bk_dates_taken"
        )
        return None
    return options


async def _back_to_nights(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    options = await _stay_still_free(message, state, session, user, lang)
    if options is not None:
        day = date.fromisoformat((await state.get_data())["bk_check_in"])
        await _ask_nights(message, state, options, day, lang)


async def _back_from_quote(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    """Back from the phone or payment screen: the guests step, or the nights without it."""
    options = await _stay_still_free(message, state, session, user, lang)
    if options is None:
        return
    if options.max_guests > 1:
        await _ask_guests(message, state, options, lang, "bk_choose_guests")
        return
    day = date.fromisoformat((await state.get_data())["bk_check_in"])
    await _ask_nights(message, state, options, day, lang)


# --- phone --------------------------------------------------------------------------------


@router.message(BookingStates.phone, F.text.in_(variants("btn_back")))
async def back_from_phone(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await _back_from_quote(message, state, session, user, lang)


@router.message(BookingStates.phone, F.contact)
async def phone_shared(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    contact = message.contact
    assert contact is not None
    sender = message.from_user.id if message.from_user else None
    if contact.user_id is None or contact.user_id != sender:
        # Someone else's card: Telegram vouches only for the sender's own number.
        await message.answer(t("bk_phone_not_own", lang), reply_markup=views.share_phone(lang))
        return
    phone = from_contact(contact.phone_number)
    if phone is not None:
        await link_own_phone(session, user, phone)
    await _save_phone(message, state, lang, phone)


@router.message(BookingStates.phone, NOT_MENU)
async def phone_typed(message: Message, state: FSMContext, lang: str) -> None:
    """A typed number is the stay's contact number only; it opens no account."""
    phone = e164(message.text) if message.text else None
    await _save_phone(message, state, lang, phone)


async def _save_phone(message: Message, state: FSMContext, lang: str, phone: str | None) -> None:
    if phone is None:
        await message.answer(t("bk_phone_invalid", lang), reply_markup=views.share_phone(lang))
        return
    await state.update_data(bk_phone=phone)
    await state.set_state(BookingStates.payment)
    await message.answer(t("bk_choose_payment", lang), reply_markup=views.payment_methods(lang))


# --- payment and the hold -----------------------------------------------------------------


@router.message(BookingStates.payment, F.text.in_(variants("btn_back")))
async def back_from_payment(
    message: Message, state: FSMContext, session: AsyncSession, user: User, lang: str
) -> None:
    await _back_from_quote(message, state, session, user, lang)


@router.message(BookingStates.payment, NOT_MENU)
async def payment_chosen(
    message: Message,
    state: FSMContext,
    session: AsyncSession,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    choice = key_of(message.text, "btn_pay_kaspi", "btn_pay_kaspi_invoice", "btn_pay_invoice")
    if choice is None:
        await message.answer(
            t("bk_payment_unknown", lang), reply_markup=views.payment_methods(lang)
        )
        return
    method = PaymentMethod.MANUAL if choice == "btn_pay_invoice" else PaymentMethod.KASPI
    data = await state.get_data()
    check_in = date.fromisoformat(data["bk_check_in"])
    phone = data.get("bk_phone") or user.phone
    if not phone:
        await state.set_state(BookingStates.phone)
        await message.answer(t("bk_ask_phone", lang), reply_markup=views.share_phone(lang))
        return
    await session.close()  # no connection held while the workflow works
    try:
        client = await deps.booking_client()
        request = client.new_request(
            property_id=int(data["bk_property_id"]),
            check_in=check_in,
            check_out=check_in + timedelta(days=int(data["bk_nights"])),
            guests=int(data.get("bk_guests") or 1),
            guest=GuestContact(
                name=user.name or (message.from_user.full_name if message.from_user else ""),
                phone=phone,
                user_id=user.id,
                language=lang,
            ),
            channel=Channel.TELEGRAM,
            payment_method=method,
            booking_id=data["bk_booking_id"],
            apartment=str(data.get("bk_label") or ""),
            kaspi_invoice=choice == "btn_pay_kaspi_invoice",
        )
        held = await client.hold(request)
    except (RPCError, RuntimeError):
        await message.answer(t("bk_service_down", lang), reply_markup=views.payment_methods(lang))
        return
    if held.error is not None or held.payment is None:
        lead = "bk_dates_taken" if held.error == "dates_unavailable" else "bk_refused"
        await _ask_check_in(
            message,
            state,
            session,
            user,
            lang,
            int(data["bk_property_id"]),
            lead,
            held.detail or "",
        )
        return
    await state.clear()
    await answer_payment(
        message, held.booking_id, held.payment, held.expires_at, phone, user, lang, deps
    )


async def answer_payment(
    message: Message,
    booking_id: str,
    payment: PaymentInstructions,
    expires_at: datetime | None,
    phone: str,
    user: User,
    lang: str,
    deps: BotDeps,
) -> None:
    """The payment step: amount and time left, a Kaspi link as a button under it, then the
    main menu (with a short word on what comes next)."""
    screen = payment_screen(
        booking_id,
        payment,
        left=_time_left(payment, expires_at, deps, lang),
        phone=phone,
        lang=lang,
    )
    if screen.url is None:
        await message.answer(screen.text, reply_markup=main_menu(user, lang))
        return
    label = t("bk_pay_button", lang, total=kzt(payment.amount))
    await message.answer(screen.text, reply_markup=views.pay_link(screen.url, label))
    await message.answer(t("bk_kaspi_wait_confirmation", lang), reply_markup=main_menu(user, lang))


def _time_left(
    payment: PaymentInstructions, expires_at: datetime | None, deps: BotDeps, lang: str
) -> str:
    settings = deps.settings
    kaspi = payment.method == PaymentMethod.KASPI
    timeout = settings.kaspi_payment_timeout if kaspi else settings.manual_payment_timeout
    left = expires_at - datetime.now(UTC) if expires_at else timeout
    # The workflow's clock and ours may differ a little; never promise more than the timeout.
    left = max(timedelta(0), min(left, timeout))
    return views.duration(left, lang)
