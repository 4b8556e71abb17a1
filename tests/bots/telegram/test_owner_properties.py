"""Owners, realtors and staff manage apartments in the bot: "🏠 Мои квартиры", the card,
price, description, photos, access codes; and nobody reaches an apartment not theirs."""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image, ImageDraw
from sqlmodel import col, select

from core.crypto import CodeCipher
from models import Agency, PriceHistory, Property, PropertyPhoto, User
from models.enums import Role
from tests.bots.telegram.chat import TelegramChat, texts
from tests.bots.telegram.owner import (
    MY_APARTMENTS,
    button_of,
    district,
    new_id,
    open_card,
    owner_chat,
)
from tests.support.factories import make_property


async def search_prices(stack, where: str) -> dict[int, int]:
    response = await stack.http.get(
        "/api/v1/properties", params={"city": "Almaty", "district": where}
    )
    assert response.status_code == 200, response.text
    return {item["id"]: item["price_per_night"] for item in response.json()["items"]}


async def test_an_owner_lists_only_their_apartments_and_staff_see_everyones(stack):
    owner, chat = await owner_chat(stack)
    other, _ = await owner_chat(stack)
    async with stack.sessions() as session:
        agency = Agency(name=f"Дом-{new_id()}")
        session.add(agency)
        await session.flush()
        row = await session.get(User, other.id)
        assert row is not None
        row.agency_id = agency.id
        await session.commit()
    mine = await make_property(stack, owner, title="Лофт у парка")
    theirs = await make_property(stack, other, title="Студия риелтора")

    replies = await chat.send(MY_APARTMENTS)

    assert "Ваши квартиры (1)" in replies[-1].text
    assert "Лофт у парка — Алматы, Медеуский" in replies[-1].text  # not "Almaty"
    assert "Студия риелтора" not in replies[-1].text
    assert button_of(replies, mine) is not None
    assert button_of(replies, theirs) is None
    assert "◀️ Назад" in replies[-1].buttons and "🧭 Главное меню" in replies[-1].buttons

    for role in (Role.SUPER_ADMIN, Role.SUPER_USER):
        _, staff = await owner_chat(stack, role)
        menu = await staff.send("/start")
        assert MY_APARTMENTS in menu[-1].buttons
        listing = await staff.send(MY_APARTMENTS)
        assert button_of(listing, mine) is not None, role
        assert button_of(listing, theirs) is not None, role
        assert f"{other.name}, агентство «{agency.name}»" in listing[-1].text
        assert f"{owner.name}, частный владелец" in listing[-1].text
        card = await staff.send(button_of(listing, theirs) or "")
        assert "Студия риелтора" in card[-1].text
        assert "📍 Алматы, Медеуский" in card[-1].text
        assert "🏷 Комфорт," in card[-1].text and "comfort" not in card[-1].text
        assert f"Владелец: {other.name}" in card[-1].text


async def test_guests_and_other_owners_are_refused(stack):
    owner, chat = await owner_chat(stack)
    other, _ = await owner_chat(stack)
    theirs = await make_property(stack, other, title="Чужая квартира")
    guest = TelegramChat(stack, user_id=new_id())

    for attempt in (MY_APARTMENTS, f"/prop_{theirs.id}", f"🏠 #{theirs.id} · Чужая квартира"):
        replies = await guest.send(attempt)
        assert "только владельцам и администраторам" in replies[-1].text, attempt
        assert MY_APARTMENTS not in replies[-1].buttons

    mine = await make_property(stack, owner, title="Своя квартира")
    await open_card(chat, mine)
    for attempt in (f"/prop_{theirs.id}", f"🏠 #{theirs.id} · Чужая квартира"):
        replies = await chat.send(attempt)
        assert "Эта квартира вам недоступна" in texts(replies), attempt
        assert "Чужая квартира" not in texts(replies)
        assert button_of(replies, mine) is not None  # back on their own list
    # An apartment that does not exist is refused the same way (no existence oracle).
    replies = await chat.send("/prop_999999999")
    assert "Эта квартира вам недоступна" in texts(replies)


async def test_owner_changes_the_price_and_search_shows_it(stack):
    owner, chat = await owner_chat(stack)
    where = district()
    prop = await make_property(stack, owner, district=where, price_per_night=20_000)
    assert await search_prices(stack, where) == {prop.id: 20_000}  # now cached
    await open_card(chat, prop)

    replies = await chat.send("💰 Цена")
    assert "Сейчас 20 000 ₸ за ночь" in replies[-1].text
    for bad in ("abc", "-5", "0", "25000.50"):
        replies = await chat.send(bad)
        assert "целое число тенге больше нуля" in replies[-1].text, bad
    replies = await chat.send("25 000")

    assert "Цена обновлена: 20 000 → 25 000 ₸" in replies[-1].text
    assert "💰 Цена" in replies[-1].buttons  # back on the card's actions
    async with stack.sessions() as session:
        history = (
            await session.scalars(
                select(PriceHistory)
                .where(col(PriceHistory.property_id) == prop.id)
                .order_by(col(PriceHistory.id))
            )
        ).all()
    assert [(h.old_price, h.new_price) for h in history] == [(None, 20_000), (20_000, 25_000)]
    assert await search_prices(stack, where) == {prop.id: 25_000}


async def test_owner_rewrites_the_description(stack):
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner, description="Старое описание")
    await open_card(chat, prop)

    replies = await chat.send("📝 Описание")
    assert "Старое описание" in replies[-1].text
    replies = await chat.send_photo("not-a-text")
    assert "Описание — это текст" in replies[-1].text
    replies = await chat.send("Светлая квартира с видом на горы, 5 минут до метро.")

    assert "Описание обновлено" in replies[-1].text
    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
        assert row is not None and row.description.startswith("Светлая квартира")
    card = await chat.send(f"/prop_{prop.id}")
    assert "Светлая квартира с видом на горы" in card[-1].text


def transparent_png() -> bytes:
    image = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    ImageDraw.Draw(image).rectangle((100, 100, 300, 200), fill=(200, 30, 30, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def stored_file(stack, url: str) -> Path:
    return Path(stack.settings.media_root) / url.split("/media/", 1)[1]


async def test_owner_uploads_a_transparent_png(stack):
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner)
    file_id = f"png-{new_id()}"
    stack.telegram.files[file_id] = transparent_png()
    stack.telegram.files["junk"] = b"this is not an image"
    await open_card(chat, prop)

    replies = await chat.send("📷 Фото")
    assert "Сейчас фото: 0" in replies[-1].text
    replies = await chat.send("вот фото")
    assert "Жду фото квартиры" in replies[-1].text  # text instead of a photo: state kept
    replies = await chat.send_photo("junk")
    assert "Не получилось прочитать это изображение" in replies[-1].text
    replies = await chat.send_photo(file_id)
    assert "Фото добавлено (1 из 20)" in replies[-1].text

    async with stack.sessions() as session:
        photos = (
            await session.scalars(
                select(PropertyPhoto).where(col(PropertyPhoto.property_id) == prop.id)
            )
        ).all()
        row = await session.get(Property, prop.id)
    assert len(photos) == 1 and photos[0].telegram_file_id == file_id
    assert row is not None and row.photos_updated_at is not None
    with Image.open(stored_file(stack, photos[0].url)) as full:
        assert (full.format, full.mode, full.size) == ("JPEG", "RGB", (400, 300))
        corner = full.getpixel((5, 5))
        assert isinstance(corner, tuple) and min(corner) > 240  # transparent → white, not black
    assert photos[0].thumbnail_url is not None
    with Image.open(stored_file(stack, photos[0].thumbnail_url)) as thumb:
        assert thumb.format == "JPEG" and thumb.mode == "RGB"
        assert max(thumb.size) <= 320
    served = await stack.http.get("/media/" + photos[0].url.split("/media/", 1)[1])
    assert served.status_code == 200
    assert served.content == stored_file(stack, photos[0].url).read_bytes()

    # Sent as a file (how a PNG keeps its transparency in Telegram) works the same way.
    doc_id = f"doc-{new_id()}"
    stack.telegram.files[doc_id] = transparent_png()
    document = {
        "file_id": doc_id,
        "file_unique_id": doc_id + "-u",
        "file_name": "plan.png",
        "mime_type": "image/png",
    }
    await chat.post({"update_id": new_id(), "message": chat._message(document=document)})
    assert "Фото добавлено (2 из 20)" in chat.new_replies()[-1].text

    replies = await chat.send("✅ Готово")
    assert "📷 Фото" in replies[-1].buttons
    card = await chat.send(f"/prop_{prop.id}")
    assert "Фото: 2" in card[-1].text


async def test_access_codes_are_stored_encrypted_and_never_echoed(stack, caplog):
    caplog.set_level(logging.DEBUG)
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner, key_safe_code_enc=None)
    code = f"KS{new_id()}"
    await open_card(chat, prop)

    replies = await chat.send("🔑 Коды доступа")
    assert "сейф — не задан" in replies[-1].text
    replies = await chat.send("🔐 Код сейфа")
    assert "удалю ваше сообщение" in replies[-1].text

    bad = chat._message(text="a b")
    await chat.post({"update_id": new_id(), "message": bad})
    replies = chat.new_replies()
    assert "от 3 до 32 символов" in replies[-1].text
    assert any(
        r.method == "deleteMessage" and int(r.params["message_id"]) == bad["message_id"]
        for r in replies
    )

    sent = chat._message(text=code)
    await chat.post({"update_id": new_id(), "message": sent})
    replies = chat.new_replies()

    deletions = [r for r in replies if r.method == "deleteMessage"]
    assert [int(r.params["message_id"]) for r in deletions] == [sent["message_id"]]
    assert f"Код сохранён: {'•' * (len(code) - 2)}{code[-2:]}" in replies[-1].text
    assert "🔑 Коды доступа" in replies[-1].buttons
    async with stack.sessions() as session:
        row = await session.get(Property, prop.id)
    assert row is not None and row.key_safe_code_enc is not None
    assert code not in row.key_safe_code_enc
    assert CodeCipher.from_settings(stack.settings).decrypt(row.key_safe_code_enc) == code
    assert all(code not in r.text for r in chat.all_replies())
    assert caplog.records, "logs were captured"
    assert code not in caplog.text
    assert all(code not in str(record.msg) for record in caplog.records)


async def test_unknown_buttons_keep_the_owner_where_they_are(stack):
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner)
    listing = await chat.send(MY_APARTMENTS)
    replies = await chat.send("что-то странное")
    assert "Выберите квартиру кнопкой" in replies[-1].text
    replies = await chat.send(button_of(listing, prop) or "")
    replies = await chat.send("🎲 Непонятная кнопка")
    assert "Выберите действие с квартирой" in replies[-1].text
    assert "💰 Цена" in replies[-1].buttons
    replies = await chat.send("◀️ Назад")
    assert button_of(replies, prop) is not None
    replies = await chat.send("◀️ Назад")
    assert "Главное меню" in replies[-1].text and MY_APARTMENTS in replies[-1].buttons


async def test_a_long_list_pages_and_speaks_the_owners_language(stack):
    owner, chat = await owner_chat(stack)
    props = [await make_property(stack, owner, title=f"Квартира {i}") for i in range(12)]
    async with stack.sessions() as session:
        row = await session.get(User, owner.id)
        assert row is not None
        row.language = "kk"
        await session.commit()

    first = await chat.send("🏠 Менің пәтерлерім")
    assert "Сіздің пәтерлеріңіз (12)" in first[-1].text
    assert [button_of(first, p) is not None for p in props] == [False] * 2 + [True] * 10
    assert "➡️ Тағы" in first[-1].buttons and "⬅️ Алдыңғылар" not in first[-1].buttons
    second = await chat.send("➡️ Тағы")
    assert [button_of(second, p) is not None for p in props] == [True] * 2 + [False] * 10
    assert "⬅️ Алдыңғылар" in second[-1].buttons and "➡️ Тағы" not in second[-1].buttons

    card = await chat.send(button_of(second, props[0]) or "")
    assert "💰 Баға" in card[-1].buttons
    replies = await chat.send("💰 Баға")
    replies = await chat.send("тегін")
    assert "бүтін теңге" in replies[-1].text
    replies = await chat.send("◀️ Артқа")
    assert "💰 Баға" in replies[-1].buttons
    replies = await chat.send("◀️ Артқа")  # back from the card to the page it was opened from
    assert button_of(replies, props[0]) is not None
