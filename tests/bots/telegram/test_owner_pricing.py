"""An owner sets prices in the admin bot (issue 13, prices): a weekend price and a weekly
discount, each one typed line, answered with the rules and a preview of two stays as a guest
would be charged; bad lines are asked again with the reason; the guest's quote follows at
once. (Another owner's apartment: 403 in tests/api/test_pricing_api.py, the same
services.owner.require_property here.)"""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import col, select

from core.clock import today_local
from models import PriceHistory, Property
from tests.bots.telegram.guest import new_guest
from tests.bots.telegram.owner import open_card, owner_chat
from tests.support.factories import make_property


async def test_weekend_price_and_weekly_discount_set_in_the_bot_reach_the_guest(stack):
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner, price_per_night=20_000, cleaning_fee=5_000)
    await open_card(chat, prop)

    replies = await chat.send("💰 Цены и правила")
    assert "базовая цена 20 000 ₸ за ночь" in replies[-1].text
    assert "Других правил нет" in replies[-1].text
    assert "• 3 ночи с " in replies[-1].text and ": 65 000 ₸" in replies[-1].text
    assert {"🌙 Цена выходных", "🏷 Скидка за срок", "📆 Сезон"} <= set(replies[-1].buttons)

    await chat.send("🌙 Цена выходных")
    replies = await chat.send("тридцать тысяч")
    assert "Напишите одну цену числом" in replies[-1].text
    replies = await chat.send("30 000 ₸")
    assert replies[-1].text.startswith("✅ Сохранено")
    assert "🌙 Выходные (пт, сб): 30 000 ₸" in replies[-1].text
    # Three nights from a Friday: Fri, Sat at 30 000 + Sun 20 000 = 80 000 + 5 000.
    assert ": 85 000 ₸" in replies[-1].text

    await chat.send("🏷 Скидка за срок")
    replies = await chat.send("7 95")
    assert "процент (1–90)" in replies[-1].text
    replies = await chat.send("7 10")
    assert "🏷 От 7 ночей: −10 %" in replies[-1].text
    # A week from Monday: 5 × 20 000 + 2 × 30 000 = 160 000 − 10 % = 144 000 + 5 000.
    assert "• 7 ночей с " in replies[-1].text and ": 149 000 ₸" in replies[-1].text
    assert "🏷 Скидка за длительное проживание −10 %: −16 000 ₸" in replies[-1].text

    await chat.send("📆 Сезон")
    replies = await chat.send("01.06–31.08 26000 мин 3")
    assert "📆 01.06." in replies[-1].text and "26 000 ₸, минимум 3 ночи" in replies[-1].text
    await chat.send("📆 Сезон")
    replies = await chat.send("15.07–15.09 27000")  # overlaps the summer
    assert "Не получилось: seasons overlap" in replies[-1].text

    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
        assert row is not None
        assert row.pricing["weekend_price"] == 30_000
        assert row.pricing["discounts"] == [{"min_nights": 7, "percent": 10}]
        history = (
            await session.scalars(
                select(PriceHistory).where(col(PriceHistory.property_id) == prop.id)
            )
        ).all()
    assert len([h for h in history if h.rules]) == 3  # weekend, discount, season

    # The guest sees both in the quote of a week across a weekend.
    day = today_local() + timedelta(days=10)
    while day.month in (6, 7, 8) or (day + timedelta(days=7)).month in (6, 7, 8):
        day += timedelta(days=30)  # outside the summer season
    monday = day + timedelta(days=(7 - day.weekday()) % 7)
    guest = new_guest(stack)
    await guest.send(f"/book_{prop.id}")
    replies = await guest.send(f"{monday:%d.%m.%Y} - {monday + timedelta(days=7):%d.%m.%Y}")
    replies = await guest.send("1")
    assert "🌙 2 × 30 000 ₸ (выходные) = 60 000 ₸" in replies[-1].text, replies[-1].text
    assert "−10 %: −16 000 ₸" in replies[-1].text and "Итого: 149 000 ₸" in replies[-1].text


async def test_clearing_the_rules(stack):
    owner, chat = await owner_chat(stack)
    prop = await make_property(
        stack, owner, price_per_night=20_000, pricing={"weekend_price": 25_000}
    )
    await open_card(chat, prop)
    replies = await chat.send("💰 Цены и правила")
    assert "🌙 Выходные (пт, сб): 25 000 ₸" in replies[-1].text
    await chat.send("🧽 Уборка между гостями")
    replies = await chat.send("1")
    assert "🧽 После каждых гостей свободно 1 ночь на уборку" in replies[-1].text
    await chat.send("⏳ Заезд не сразу")
    replies = await chat.send("0 18")
    assert "⏳ Заезд в тот же день — до 18:00" in replies[-1].text
    replies = await chat.send("🧹 Сбросить правила")
    assert "Других правил нет" in replies[-1].text
    replies = await chat.send("◀️ Назад")
    assert "💰 Цены и правила" in replies[-1].buttons  # back on the card
