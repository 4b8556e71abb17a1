"""Booking an opened apartment: its card, the check-in (month → week → day buttons, typed
dates, a calendar), nights, guests, the quote, the contact phone, payment, the hold.

State keys: `property_id`, `origin` (where "back" leaves to), `month`, `week`,
`check_in`, `nights`, `guests`, `booking_id` (one per quote: a double tap is one booking),
`apartment`, `contact_phone`. Every step re-reads the apartment's free nights, so a night
taken meanwhile sends the guest back to the dates with a word why.
"""

from __future__ import annotations

from datetime import date, timedelta

from temporalio.service import RPCError

from bots import cards
from bots.journey import date_picker as picker
from bots.journey.context import Journey
from bots.journey.payment import payment_outs
from bots.journey.screens import (
    BACK,
    AskPhone,
    Card,
    Choice,
    DatePicker,
    Home,
    Leave,
    Menu,
    Out,
    Said,
    Text,
    full_day,
)
from bots.texts import t
from core.logging import get_logger
from core.money import kzt
from models import User
from models.booking_io import GuestContact
from models.enums import PaymentMethod
from services.availability import ChosenStay, StayOptions, StayRefusal, stay_options
from services.booking_ids import new_booking_id
from services.favourites import add_favourite
from services.phones import e164
from services.search import property_card
from services.users import link_own_phone

log = get_logger(__name__)
STEPS = frozenset({"month", "week", "day", "nights", "guests", "phone", "quote"})
DATE_STEPS = frozenset({"month", "week", "day"})
NIGHTS_SHOWN = 9  # with back: ≤10 list rows; a longer stay can be typed
GUESTS_SHOWN = 8
FAVOURITE = "fav:add"
PAYMENTS: dict[str, tuple[PaymentMethod, bool]] = {
    "pay:kaspi": (PaymentMethod.KASPI, False),
    "pay:kaspi_invoice": (PaymentMethod.KASPI, True),
    "pay:manual": (PaymentMethod.MANUAL, False),
}


async def _options(j: Journey) -> StayOptions | None:
    async with j.deps.sessions() as session:
        return await stay_options(
            session,
            int(j.state["property_id"]),
            j.today(),
            horizon_days=j.deps.settings.booking_horizon_days,
        )


def _back(lang: str) -> Choice:
    return (BACK, t("btn_back", lang))


def _gone(j: Journey) -> list[Out]:
    return [Home(t("bk_not_found", j.lang))]


async def open_apartment(j: Journey, property_id: int, *, origin: str = "") -> list[Out]:
    """The apartment's card (photos, description, address, guests, rating, policy), then
    its dates."""
    j.state.update(property_id=property_id, origin=origin)
    async with j.deps.sessions() as session:
        card = await property_card(session, property_id)
    if card is None:
        return _gone(j)
    return [Card(card), *await _planned_or_dates(j)]


async def _planned_or_dates(j: Journey) -> list[Out]:
    """Opened from a search with dates (and guests): straight on with that stay while the
    apartment can take it; else its dates, saying why."""
    filters = j.state.get("filters") or {}
    if j.state.get("origin") != "results" or not filters.get("check_in"):
        return await ask_dates(j)
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    check_in = date.fromisoformat(filters["check_in"])
    nights = (date.fromisoformat(filters["check_out"]) - check_in).days
    checked = opts.check_stay(check_in, nights)
    if isinstance(checked, StayRefusal):
        return await ask_dates(j, t(checked.key, j.lang, **checked.values))
    j.state.update(check_in=check_in.isoformat(), nights=nights)
    guests = filters.get("guests")
    if guests and 1 <= int(guests) <= opts.max_guests:
        return _quote(j, opts, int(guests))
    return await _nights_chosen(j, opts, checked)


# --- dates --------------------------------------------------------------------------------


async def ask_dates(j: Journey, notice: str = "", *, page: int = 0) -> list[Out]:
    """The months with a free check-in day (paged), ⭐, back; typed dates and a calendar
    are read here and on the week and day steps too."""
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    lang = j.lang
    days = opts.check_in_days()
    if not days:
        return [Home(t("bk_no_days", lang, title=opts.title))]
    months = picker.months(days)
    per = picker.MONTHS_PER_PAGE
    page = max(0, min(page, (len(months) - 1) // per))
    choices: list[Choice] = [
        (f"month:{m.isoformat()}", picker.month_label(m, lang))
        for m in months[page * per : (page + 1) * per]
    ]
    if page > 0:
        choices.append((f"months:{page - 1}", t("wa_btn_prev", lang)))
    if (page + 1) * per < len(months):
        choices.append((f"months:{page + 1}", t("wa_btn_more", lang)))
    if page == 0:
        choices.append((FAVOURITE, t("search_btn_add_favourite", lang)))
    choices.append(_back(lang))
    j.state.update(step="month", month=None, week=None)
    body = t("bk_choose_month", lang, title=opts.title, min_nights=opts.min_nights)
    return [Menu(_with(notice, body), choices, width=3, picker=_calendar(opts, days))]


def _calendar(opts: StayOptions, days: list[date]) -> DatePicker:
    return DatePicker(
        property_id=opts.property_id,
        check_in_from=days[0],
        check_in_to=days[-1],
        min_nights=opts.min_nights,
        max_nights=opts.max_nights,
        taken=tuple(sorted(opts.taken)),
    )


async def _ask_week(j: Journey, month: date) -> list[Out]:
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    lang = j.lang
    weeks = picker.weeks(opts.check_in_days(), month)
    if not weeks:
        return await ask_dates(j, t("bk_day_not_offered", lang))
    choices: list[Choice] = [
        (f"week:{w.isoformat()}", picker.week_label(w, month, lang)) for w in weeks
    ]
    choices.append(_back(lang))
    j.state.update(step="week", month=month.isoformat(), week=None)
    body = t("bk_choose_week", lang, month=picker.month_label(month, lang))
    return [Menu(body, choices, width=1)]


async def _ask_day(j: Journey, monday: date, notice: str = "") -> list[Out]:
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    lang = j.lang
    month = date.fromisoformat(j.state.get("month") or monday.replace(day=1).isoformat())
    days = picker.days_of_week(opts.check_in_days(), monday, month)
    if not days:
        return await ask_dates(j, t("bk_day_not_offered", lang))
    choices: list[Choice] = [(f"day:{d.isoformat()}", picker.day_label(d, lang)) for d in days]
    choices.append(_back(lang))
    j.state.update(step="day", month=month.isoformat(), week=monday.isoformat())
    body = t("bk_choose_day", lang, title=opts.title, min_nights=opts.min_nights)
    return [Menu(_with(notice, body), choices, width=4)]


async def _dates_answer(j: Journey, step: str, said: Said) -> list[Out]:
    picked = said.picked or ""
    kind, _, value = picked.partition(":")
    if said.dates is not None:
        if said.dates_for is not None and said.dates_for != int(j.state["property_id"]):
            # An older calendar, opened for another apartment: its dates are not for this one.
            return await ask_dates(j, t("bk_calendar_other_apartment", j.lang))
        check_in, check_out = said.dates
        return await _stay_chosen(j, check_in, (check_out - check_in).days)
    if picked == FAVOURITE:
        return await _add_favourite(j)
    if picked == BACK:
        if step == "day" and j.state.get("month"):
            return await _ask_week(j, date.fromisoformat(j.state["month"]))
        if step == "week":
            return await ask_dates(j)
        return [Leave()]
    if kind == "months":
        return await ask_dates(j, page=int(value))
    if kind == "month":
        return await _ask_week(j, date.fromisoformat(value))
    if kind == "week":
        return await _ask_day(j, date.fromisoformat(value))
    if kind == "day":
        return await _ask_nights(j, date.fromisoformat(value))
    return await _typed_stay(j, step, said.text)


async def _typed_stay(j: Journey, step: str, text: str) -> list[Out]:
    """Dates typed at any date step ("12.07–15.07", "12 июля на 3 ночи"): any stay up to
    the horizon; what cannot be booked is asked again with the reason."""
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    typed = opts.typed_stay(text)
    if isinstance(typed, StayRefusal):
        return await _ask_again(j, step, t(typed.key, j.lang, **typed.values))
    return await _nights_chosen(j, opts, typed)


async def _ask_again(j: Journey, step: str, notice: str) -> list[Out]:
    """The same date step again, under `notice`."""
    if step == "day" and j.state.get("week"):
        return await _ask_day(j, date.fromisoformat(j.state["week"]), notice)
    return await ask_dates(j, notice)


async def _stay_chosen(j: Journey, check_in: date, nights: int) -> list[Out]:
    """A stay picked in a calendar: checked like typed dates."""
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    if nights < 1:
        return await ask_dates(j, t("bk_typed_end_before_start", j.lang))
    checked = opts.check_stay(check_in, nights)
    if isinstance(checked, StayRefusal):
        return await ask_dates(j, t(checked.key, j.lang, **checked.values))
    return await _nights_chosen(j, opts, checked)


async def _add_favourite(j: Journey) -> list[Out]:
    async with j.deps.sessions() as session:
        outcome = await add_favourite(
            session, user_id=j.user_id, property_id=int(j.state["property_id"])
        )
    if outcome == "gone":
        return [Home(t("search_property_not_found", j.lang))]
    return await ask_dates(j, t("fav_added" if outcome == "added" else "fav_already", j.lang))


# --- nights and guests --------------------------------------------------------------------


async def _ask_nights(j: Journey, day: date, notice: str = "") -> list[Out]:
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    lang = j.lang
    nights = opts.nights_from(day)
    if not nights:
        return await ask_dates(j, t("bk_dates_taken", lang))
    j.state.update(step="nights", check_in=day.isoformat())
    choices: list[Choice] = [(f"n:{n}", str(n)) for n in nights[:NIGHTS_SHOWN]]
    choices.append(_back(lang))
    body = t("bk_choose_nights", lang, check_in=full_day(day), low=nights[0], high=nights[-1])
    return [Menu(_with(notice, body), choices, numbered=False, width=6, counts=True)]


async def _nights_answer(j: Journey, said: Said) -> list[Out]:
    day = date.fromisoformat(j.state["check_in"])
    if said.picked == BACK:
        monday = day - timedelta(days=day.weekday())
        j.state["month"] = day.replace(day=1).isoformat()
        return await _ask_day(j, monday)
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    allowed = opts.nights_from(day)
    if not allowed:  # the day was taken meanwhile
        return await ask_dates(j, t("bk_dates_taken", j.lang))
    count = _count(said, "n:")
    if count is None or count not in allowed:
        key = "bk_nights_not_number" if count is None else "bk_nights_out_of_range"
        return await _ask_nights(j, day, t(key, j.lang, low=allowed[0], high=allowed[-1]))
    return await _nights_chosen(j, opts, ChosenStay(day, count))


def _count(said: Said, prefix: str) -> int | None:
    """A tapped option ("n:3") or a number typed out."""
    if said.picked and said.picked.startswith(prefix):
        return int(said.picked.removeprefix(prefix))
    typed = said.text.strip()
    return int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 3 else None


async def _nights_chosen(j: Journey, opts: StayOptions, stay: ChosenStay) -> list[Out]:
    j.state.update(check_in=stay.check_in.isoformat(), nights=stay.nights)
    if opts.max_guests > 1:
        return _ask_guests(j, opts)
    return _quote(j, opts, 1)


def _ask_guests(j: Journey, opts: StayOptions, lead: str = "bk_choose_guests") -> list[Out]:
    lang = j.lang
    j.state["step"] = "guests"
    choices: list[Choice] = [
        (f"g:{n}", str(n)) for n in range(1, min(opts.max_guests, GUESTS_SHOWN) + 1)
    ]
    choices.append(_back(lang))
    body = t(lead, lang, max_guests=opts.max_guests)
    return [Menu(body, choices, numbered=False, width=4, counts=True)]


async def _still_free(j: Journey) -> StayOptions | list[Out]:
    """The apartment's options while the chosen stay can still be booked; else the dates
    again, saying why."""
    opts = await _options(j)
    if opts is None:
        return _gone(j)
    day, nights = date.fromisoformat(j.state["check_in"]), int(j.state["nights"])
    if nights not in opts.nights_from(day):
        return await ask_dates(j, t("bk_dates_taken", j.lang))
    return opts


async def _guests_answer(j: Journey, said: Said) -> list[Out]:
    opts = await _still_free(j)
    if not isinstance(opts, StayOptions):
        return opts
    if said.picked == BACK:
        return await _ask_nights(j, date.fromisoformat(j.state["check_in"]))
    guests = _count(said, "g:")
    if guests is None or not 1 <= guests <= opts.max_guests:
        key = "bk_guests_not_number" if guests is None else "bk_guests_out_of_range"
        return _ask_guests(j, opts, key)
    return _quote(j, opts, guests)


# --- the quote, the phone, payment --------------------------------------------------------


def _quote(j: Journey, opts: StayOptions, guests: int) -> list[Out]:
    lang = j.lang
    check_in, nights = date.fromisoformat(j.state["check_in"]), int(j.state["nights"])
    quote = opts.quote(check_in, nights, guests)
    # One booking id per quote: a double tap on it is the same booking, never two.
    j.state.update(guests=guests, booking_id=new_booking_id(), apartment=opts.label)
    body = t(
        "bk_quote",
        lang,
        title=opts.title,
        check_in=full_day(check_in),
        check_out=full_day(check_in + timedelta(days=nights)),
        nights=nights,
        guests=guests,
        breakdown=cards.quote_breakdown(quote, lang),
        cleaning=kzt(quote.cleaning_fee),
        total=kzt(quote.total),
        policy=t(f"policy_{opts.cancellation_policy.value}", lang),
    )
    if j.contact_phone is None:
        j.state["step"] = "phone"
        return [AskPhone(f"{body}\n\n{t('bk_ask_phone', lang)}")]
    return [_payment_menu(j, body + "\n\n" + t("bk_choose_payment", lang))]


def _payment_menu(j: Journey, body: str) -> Menu:
    lang = j.lang
    j.state["step"] = "quote"
    pay: list[Choice] = [
        ("pay:kaspi", t("btn_pay_kaspi", lang)),
        ("pay:kaspi_invoice", t("btn_pay_kaspi_invoice", lang)),
        ("pay:manual", t("btn_pay_invoice", lang)),
        _back(lang),
    ]
    return Menu(body, pay, width=1)


async def _back_from_quote(j: Journey) -> list[Out]:
    """The guests step, or the nights when the apartment takes one guest."""
    opts = await _still_free(j)
    if not isinstance(opts, StayOptions):
        return opts
    if opts.max_guests > 1:
        return _ask_guests(j, opts)
    return await _ask_nights(j, date.fromisoformat(j.state["check_in"]))


async def _phone_answer(j: Journey, said: Said) -> list[Out]:
    lang = j.lang
    if said.picked == BACK:
        return await _back_from_quote(j)
    if said.foreign_contact:
        # Someone else's card: Telegram vouches only for the sender's own number.
        return [AskPhone(t("bk_phone_not_own", lang))]
    if said.own_contact is not None:
        phone = e164(said.own_contact)
        if phone is not None:
            async with j.deps.sessions() as session:
                mine = await session.get(User, j.user_id)
                if mine is not None:
                    j.user = await link_own_phone(session, mine, phone)
    else:
        # A typed number is the stay's contact number only; it opens no account.
        phone = e164(said.text) if said.text.strip() else None
    if phone is None:
        return [AskPhone(t("bk_phone_invalid", lang))]
    j.state["contact_phone"] = phone
    return [_payment_menu(j, t("bk_choose_payment", lang))]


async def _quote_answer(j: Journey, said: Said) -> list[Out]:
    if said.picked == BACK:
        return await _back_from_quote(j)
    chosen = PAYMENTS.get(said.picked or "")
    if chosen is None:
        return [_payment_menu(j, t("bk_payment_unknown", j.lang))]
    phone = j.contact_phone
    if phone is None:
        j.state["step"] = "phone"
        return [AskPhone(t("bk_ask_phone", j.lang))]
    return await _hold(j, phone, *chosen)


async def _hold(j: Journey, phone: str, method: PaymentMethod, kaspi_invoice: bool) -> list[Out]:
    """Starts the booking workflow and shows its answer: the payment step, or the dates
    again with the reason the nights could not be held."""
    lang = j.lang
    check_in = date.fromisoformat(j.state["check_in"])
    try:
        client = await j.deps.booking_client()
        request = client.new_request(
            property_id=int(j.state["property_id"]),
            check_in=check_in,
            check_out=check_in + timedelta(days=int(j.state["nights"])),
            guests=int(j.state.get("guests") or 1),
            guest=GuestContact(
                name=j.user.name or phone, phone=phone, user_id=j.user_id, language=lang
            ),
            channel=j.channel,
            payment_method=method,
            booking_id=j.state.get("booking_id"),
            apartment=str(j.state.get("apartment") or ""),
            kaspi_invoice=kaspi_invoice,
        )
        held = await client.hold(request)
    except (RPCError, RuntimeError, OSError) as exc:
        log.warning("hold failed", error=type(exc).__name__, channel=j.channel.value)
        return [Text(t("bk_service_down", lang))]
    if held.error or held.payment is None:
        if held.error == "dates_unavailable":
            return await ask_dates(j, t("bk_dates_taken", lang))
        return await ask_dates(j, await _refusal_words(j, check_in, held.detail or held.error))
    j.state.clear()
    return payment_outs(j, held.booking_id, held.payment, held.expires_at, phone)


async def answer(j: Journey, said: Said) -> list[Out]:
    """The guest's answer to the booking step they are on."""
    step = str(j.state.get("step"))
    if step in DATE_STEPS:
        return await _dates_answer(j, step, said)
    if step == "nights":
        return await _nights_answer(j, said)
    if step == "guests":
        return await _guests_answer(j, said)
    if step == "phone":
        return await _phone_answer(j, said)
    return await _quote_answer(j, said)


async def _refusal_words(j: Journey, check_in: date, detail: str | None) -> str:
    """Why the hold refused the stay, in the guest's words where the rules say it (a notice
    period that began while the guest was choosing, say); else the hold's own detail."""
    opts = await _options(j)
    if opts is not None:
        checked = opts.check_stay(check_in, int(j.state.get("nights") or 1))
        if isinstance(checked, StayRefusal):
            return t(checked.key, j.lang, **checked.values)
    return t("bk_refused", j.lang, detail=detail or "")


def _with(notice: str, body: str) -> str:
    return f"{notice}\n\n{body}" if notice else body
