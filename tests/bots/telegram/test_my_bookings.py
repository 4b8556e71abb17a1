"""A guest looks at their bookings in the chat and cancels one: a reason, the refund the
policy gives shown first, then exactly that refund.

Apartments cost 20 000 ₸ a night plus a 5 000 ₸ cleaning fee.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlmodel import col, select

from models import Property, User
from models.enums import CancellationPolicy
from services.refunds import refund_preview
from tests.bots.telegram.chat import Reply, TelegramChat, texts
from tests.bots.telegram.guest import (
    advance_clock_to,
    book_and_pay_in_chat,
    book_in_chat,
    new_guest,
)
from tests.support.factories import (
    booking_row,
    eventually,
    make_owner,
    make_property,
    saved_booking,
    stay,
)
from tests.support.lifecycle import (
    cancel,
    check_in_at,
    sandbox_refunds,
    workflow_closed,
)
from tests.support.payments import messages_to, nights_of

PRICE, CLEANING = 20_000, 5_000
MENU = "📋 Мои бронирования"


async def apartment(
    stack: Any, policy: CancellationPolicy = CancellationPolicy.FLEXIBLE, **overrides: Any
) -> Property:
    owner, _ = await make_owner(stack)
    return await make_property(
        stack,
        owner,
        price_per_night=PRICE,
        cleaning_fee=CLEANING,
        cancellation_policy=policy,
        **overrides,
    )


async def user_of(stack: Any, chat: TelegramChat) -> User:
    async with stack.sessions() as session:
        user: User | None = await session.scalar(
            select(User).where(col(User.telegram_id) == chat.user_id)
        )
    assert user is not None
    return user


async def open_booking(guest: TelegramChat, booking_id: str) -> list[Reply]:
    await guest.send(MENU)
    return await guest.send(f"📄 {booking_id}")


async def test_no_bookings_yet(stack):
    guest = new_guest(stack)
    replies = await guest.send(MENU)
    assert "У вас пока нет бронирований" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons


async def test_list_shows_upcoming_and_past_and_an_unpaid_booking_is_cancelled_for_free(stack):
    paid_flat = await apartment(stack, address="ул. Абая, 10")
    unpaid_flat = await apartment(stack)
    first, _ = await stay(stack, starts_in_days=3, nights=2)
    second, _ = await stay(stack, starts_in_days=6, nights=1)
    guest = new_guest(stack)
    paid = await book_and_pay_in_chat(stack, guest, paid_flat.id, first, 2)
    unpaid = await book_in_chat(guest, unpaid_flat.id, second, 1)

    replies = await guest.send(MENU)
    listing = replies[-1].text
    upcoming = listing.split("Предстоящие:")[1]
    assert (
        f"{paid.booking_id} · «{paid_flat.title}» · {first:%d.%m.%Y} — "
        f"{first + timedelta(days=2):%d.%m.%Y} · 45 000 ₸ · ✅ подтверждена"
    ) in upcoming
    assert f"{unpaid.booking_id} · «{unpaid_flat.title}»" in upcoming
    assert "25 000 ₸ · ⏳ ждёт оплаты" in upcoming
    assert "Прошедшие" not in listing
    assert listing.index(paid.booking_id) < listing.index(unpaid.booking_id)  # soonest first
    buttons = replies[-1].buttons
    assert buttons[-1] == "🧭 Главное меню"
    assert [b.split(" · ")[0] for b in buttons[:2]] == [
        f"📄 {paid.booking_id}",
        f"📄 {unpaid.booking_id}",
    ]  # "📄 <id> · <check-in day>"; the id alone, typed, works too

    replies = await guest.send(f"📄 {paid.booking_id}")
    details = replies[-1].text
    for part in (
        f"Бронь {paid.booking_id}",
        "ул. Абая, 10",
        "(2 ночи)",
        "», Алматы\n",  # the city in the guest's language, not "Almaty"
        "Итого: 45 000 ₸ (Kaspi)",
        "✅ подтверждена",
        "бесплатно до 24 ч",
    ):
        assert part in details, (part, details)
    assert replies[-1].buttons[0] == "❌ Отменить бронь"
    assert "⭐ Оставить отзыв" not in replies[-1].buttons

    replies = await guest.send("◀️ Назад")
    assert "Предстоящие:" in replies[-1].text
    replies = await guest.send(f"📄 {unpaid.booking_id}")
    assert "⏳ ждёт оплаты" in replies[-1].text
    replies = await guest.send("❌ Отменить бронь")
    assert f"Почему отменяете бронь {unpaid.booking_id}?" in replies[-1].text
    assert replies[-1].buttons[:4] == ["Изменились планы", "Нашёл другое жильё", "Цена", "Другое"]
    replies = await guest.send("Цена")
    assert "Бронь ещё не оплачена: отмена бесплатна, возврат — 0 ₸" in replies[-1].text
    assert replies[-1].buttons == ["Да, отменить", "Нет", "🧭 Главное меню"]
    replies = await guest.send("Да, отменить")
    assert f"Бронь {unpaid.booking_id} отменена. Возврат: 0 ₸." in texts(replies)

    row = await booking_row(stack, unpaid.booking_id)
    assert row is not None
    assert (row.status, row.cancelled_by, row.cancel_reason, row.refund_amount) == (
        "cancelled",
        "guest",
        "price",
        0,
    )
    assert await nights_of(stack, unpaid.booking_id) == 0
    replies = await guest.send(MENU)
    past = replies[-1].text.split("Прошедшие и отменённые:")[1]
    assert f"{unpaid.booking_id} · «{unpaid_flat.title}»" in past and "❌ отменена" in past
    assert paid.booking_id in replies[-1].text.split("Прошедшие")[0]


@pytest.mark.parametrize(
    ("policy", "refund", "preview"),
    [
        # Check-in is days away: flexible gives everything back.
        (CancellationPolicy.FLEXIBLE, 45_000, "вам вернут 45 000 ₸ из 45 000 ₸"),
        (CancellationPolicy.NON_REFUNDABLE, 0, "вам вернут 0 ₸ из 45 000 ₸"),
    ],
    ids=["flexible", "non_refundable"],
)
async def test_paid_booking_shows_the_refund_before_confirming_and_gets_exactly_it(
    stack, policy, refund, preview
):
    flat = await apartment(stack, policy)
    check_in, _ = await stay(stack, starts_in_days=4, nights=2)
    guest = new_guest(stack)
    held = await book_and_pay_in_chat(stack, guest, flat.id, check_in, 2)

    await open_booking(guest, held.booking_id)
    await guest.send("❌ Отменить бронь")
    replies = await guest.send("Другое")
    assert "Напишите коротко причину" in replies[-1].text
    replies = await guest.send("Заболел ребёнок, поездка переносится")
    assert preview in replies[-1].text, replies[-1].text
    assert f"Отменить бронь {held.booking_id}?" in replies[-1].text

    replies = await guest.send("Да, отменить")
    assert f"Возврат: {refund:,} ₸".replace(",", " ") in texts(replies)
    await workflow_closed(stack, held.booking_id)
    row = await booking_row(stack, held.booking_id)
    assert row is not None
    assert (row.status, row.cancel_reason, row.cancel_comment, row.refund_amount) == (
        "cancelled",
        "other",
        "Заболел ребёнок, поездка переносится",
        refund,
    )
    expected_refunds = [(held.kaspi_payment_id, refund)] if refund else []
    assert held.kaspi_payment_id is not None
    assert sandbox_refunds(stack, held.kaspi_payment_id) == expected_refunds
    if refund:  # the workflow's own message follows once Kaspi took the refund
        await eventually(
            lambda: messages_to(stack, guest.user_id),
            until=lambda ts: any("💸 Возврат 45 000 ₸" in t for t in ts),
        )
    # One message per event: the chat's reply told the guest; the workflow does not repeat it.
    told = [t for t in await messages_to(stack, guest.user_id) if "отменена" in t]
    assert told == [
        f"❌ Бронь {held.booking_id} отменена. Возврат: {refund:,} ₸.".replace(",", " ")
    ]


async def test_refund_preview_is_what_the_workflow_refunds_at_the_same_moment(stack):
    """Moderate, 3 days before check-in: first night kept, half of the others back.

    The chat asks the preview at the real time; the test server's clock runs ahead of it,
    so here the service is asked at the workflow's own time.
    """
    flat = await apartment(stack, CancellationPolicy.MODERATE)
    check_in, _ = await stay(stack, starts_in_days=4, nights=3)
    guest = new_guest(stack)
    held = await book_and_pay_in_chat(stack, guest, flat.id, check_in, 3)
    await advance_clock_to(stack, check_in_at(check_in) - timedelta(days=3))
    now = await stack.env.get_current_time()

    me = await user_of(stack, guest)
    async with stack.sessions() as session:
        assert me.id is not None
        preview = await refund_preview(session, me.id, held.booking_id, now)
    response = await cancel(stack, held.booking_id, {"reason": "plans_changed"})

    assert response.status_code == 200, response.text
    assert preview is not None
    # (3 × 20 000 − 20 000) // 2 + 5 000
    assert preview.refund == response.json()["refund_amount"] == 25_000
    assert preview.cancellable


async def test_cancel_steps_take_back_no_and_bad_input(stack):
    flat = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=5, nights=1)
    guest = new_guest(stack)
    held = await book_and_pay_in_chat(stack, guest, flat.id, check_in, 1)

    replies = await guest.send(MENU)
    replies = await guest.send("📄 NOTABOOKING")
    assert "Такой брони не нашлось" in replies[-1].text
    replies = await guest.send(f"📄 {held.booking_id}")
    replies = await guest.send("что-то")
    assert "Не совсем понял" in replies[-1].text
    replies = await guest.send("❌ Отменить бронь")
    replies = await guest.send("Надоело")
    assert "Выберите причину кнопкой ниже" in replies[-1].text
    replies = await guest.send("◀️ Назад")
    assert f"Бронь {held.booking_id}" in replies[-1].text  # the details again

    await guest.send("❌ Отменить бронь")
    await guest.send("Другое")
    replies = await guest.send_photo("not-a-reason")
    assert "Напишите причину текстом" in replies[-1].text
    replies = await guest.send("x" * 501)
    assert "до 500 символов" in replies[-1].text
    replies = await guest.send("◀️ Назад")
    assert "Почему отменяете" in replies[-1].text
    replies = await guest.send("Изменились планы")
    assert "вам вернут 25 000 ₸ из 25 000 ₸" in replies[-1].text
    replies = await guest.send("может быть")
    assert "Нажмите «Да, отменить» или «Нет»" in replies[-1].text
    replies = await guest.send("Нет")
    assert f"бронь {held.booking_id} остаётся в силе" in replies[-1].text
    assert "🔍 Поиск квартир" in replies[-1].buttons
    assert (await saved_booking(stack, held.booking_id)).status == "confirmed"


async def test_a_guest_never_reaches_another_guests_booking(stack):
    flat = await apartment(stack)
    check_in, _ = await stay(stack, starts_in_days=6, nights=1)
    owner_of_booking = new_guest(stack)
    held = await book_in_chat(owner_of_booking, flat.id, check_in, 1)
    stranger = new_guest(stack)
    await book_in_chat(stranger, flat.id, check_in + timedelta(days=2), 1)

    replies = await stranger.send(MENU)
    assert held.booking_id not in replies[-1].text
    replies = await stranger.send(f"📄 {held.booking_id}")
    assert "Такой брони не нашлось" in replies[-1].text
    assert (await saved_booking(stack, held.booking_id)).status == "pending_payment"
