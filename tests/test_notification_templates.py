"""Notification templates: every event in every language renders cleanly; defaults are seeded
at start-up without touching edited rows; the delivery log keeps a JSON-safe context."""

from __future__ import annotations

import functools
import json
import re
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from jinja2 import meta
from jinja2.sandbox import SandboxedEnvironment
from sqlmodel import col, select
from temporalio.testing import ActivityEnvironment

from activities.notify import NotifyActivities, safe_context
from activities.templates import ensure_default_templates, load_template, render_text
from core.crypto import CodeCipher
from core.notification_catalogue import DEFAULT_TEMPLATES
from models import NotificationDelivery, NotificationTemplate
from models.enums import Language, NotificationChannel
from tests.support.factories import id_of, make_owner, make_property

# The events issue #5 names, plus the iCal conflict notice.
REQUIRED_EVENTS = {
    "booking_held",
    "payment_instructions",
    "booking_confirmed",
    "booking_auto_cancelled",
    "booking_cancelled",
    "booking_cancelled_by_owner",
    "refund_sent",
    "refund_by_owner",
    "owner_refund_by_hand",
    "access_codes",
    "checkin_reminder",
    "review_request",
    "review_reminder",
    "owner_new_booking",
    "owner_booking_cancelled",
    "update_photos_needed",
    "update_price_needed",
    "high_ko_factor",
    "ical_conflict",
}
MONEY = "25 000 ₸"
DAY = re.compile(r"\b\d{2}\.\d{2}\.\d{4}\b")
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")

# What the workflows pass (JSON values: ISO dates, whole tenge) ...
STORED_CONTEXT: dict[str, Any] = {
    "booking_id": "ZG7K3M9QX2",
    "property_title": "Квартира у Кок-Тобе",
    "city": "Almaty",
    "check_in": "2025-03-14",
    "check_out": "2025-03-16",
    "nights": 2,
    "total": 25_000,
    "refund": 25_000,
    "payment_method": "kaspi",
    "payment_url": "https://kaspi.kz/pay/abc123",
    "hold_minutes": 15,
    "recipient": "ТОО «ЖильеGO»",
    "bank": "АО «Kaspi Bank»",
    "iban": "KZ00722S000000000000",
    "bin": "000000000000",
    "note": "В назначении платежа укажите номер брони",
    "key_safe_code": "KS-4821",
    "smart_lock_code": "SL-937155",
    "address": "пр. Достык, 1",
    "instructions": "Подъезд 2, этаж 5",
    "days": 95,
    "occupancy": 12,
    "ko_percent": 40,
    "calendar_name": "Airbnb",
}
# ... and the same facts as Python values (date, Decimal), as a direct caller might pass them.
TYPED_CONTEXT: dict[str, Any] = {
    **STORED_CONTEXT,
    "check_in": date(2025, 3, 14),
    "check_out": datetime(2025, 3, 16, 12, 0),
    "total": Decimal("25000.00"),
    "refund": Decimal("25000"),
}
# Parses templates to list their variables (the filters only need to exist).
PARSER = SandboxedEnvironment()
PARSER.filters.update(kzt=str, day=str, counted=str)
CASES = [
    pytest.param(event, lang, name, id=f"{event}-{lang.value}-{name}")
    for event in sorted(DEFAULT_TEMPLATES)
    for lang in Language
    for name in ("stored", "typed")
]


def test_catalogue_has_every_event_in_every_language() -> None:
    assert set(DEFAULT_TEMPLATES) >= REQUIRED_EVENTS
    for event, texts in DEFAULT_TEMPLATES.items():
        assert set(texts) == set(Language), event
        assert all(body.strip() for body in texts.values()), event


@pytest.mark.parametrize(("event", "language", "context_name"), CASES)
def test_every_event_renders_in_every_language(
    event: str, language: Language, context_name: str
) -> None:
    body = DEFAULT_TEMPLATES[event][language]
    context = STORED_CONTEXT if context_name == "stored" else TYPED_CONTEXT
    used = meta.find_undeclared_variables(PARSER.parse(body))
    assert used <= set(context), f"the test context lacks {used - set(context)}"

    text = render_text(body, context)

    assert text
    for leftover in ("{{", "}}", "{%", "%}", "None", "Undefined", "Decimal"):
        assert leftover not in text, text
    assert not ISO_DAY.search(text), text
    if "| kzt" in body:
        assert MONEY in text, text
    if "| day" in body:
        assert DAY.search(text), text
        assert "14.03.2025" in text, text
    if "property_title" in body:
        assert "Кок-Тобе" in text, text


@pytest.mark.parametrize("language", list(Language), ids=lambda lang: lang.value)
def test_payment_instructions_for_a_bank_transfer(language: Language) -> None:
    text = render_text(
        DEFAULT_TEMPLATES["payment_instructions"][language],
        {**STORED_CONTEXT, "payment_url": None, "payment_method": "manual"},
    )
    assert "KZ00722S000000000000" in text
    assert MONEY in text
    assert "kaspi.kz" not in text and "None" not in text


async def test_defaults_exist_after_start_up_and_edits_survive(stack: Any) -> None:
    expected = {
        (event, channel.value, lang)
        for event, texts in DEFAULT_TEMPLATES.items()
        for lang in texts
        for channel in NotificationChannel
    }
    async with stack.sessions() as session:
        rows = (await session.execute(select(NotificationTemplate))).scalars().all()
        seeded = {(r.event, r.channel, Language(r.language)) for r in rows}
        assert expected <= seeded, sorted(expected - seeded)[:5]

        row = await session.scalar(
            select(NotificationTemplate).where(
                col(NotificationTemplate.event) == "booking_confirmed",
                col(NotificationTemplate.channel) == NotificationChannel.TELEGRAM.value,
                col(NotificationTemplate.language) == Language.EN,
            )
        )
        assert row is not None
        original = row.body
        edited = "Edited by ops: {{ booking_id }} is confirmed."
        row.body = edited
        await session.commit()
    try:
        async with stack.sessions() as session:
            # A deleted row comes back; the edited one stays as ops left it.
            gone = await session.scalar(
                select(NotificationTemplate).where(
                    col(NotificationTemplate.event) == "high_ko_factor",
                    col(NotificationTemplate.channel) == NotificationChannel.WHATSAPP.value,
                    col(NotificationTemplate.language) == Language.KK,
                )
            )
            assert gone is not None
            await session.delete(gone)
            await session.commit()
            assert await ensure_default_templates(session) == 1
            assert await ensure_default_templates(session) == 0
            body = await load_template(session, "booking_confirmed", "telegram", Language.EN)
            assert body == edited
            again = await load_template(session, "high_ko_factor", "whatsapp", Language.KK)
            assert again == DEFAULT_TEMPLATES["high_ko_factor"][Language.KK]
    finally:
        async with stack.sessions() as session:
            row = await session.get(NotificationTemplate, row.id)
            assert row is not None
            row.body = original
            await session.commit()


def test_safe_context_serialises_dates_decimals_models_and_drops_secrets() -> None:
    class Model:
        id = 42
        title = "not stored"

    safe = safe_context(
        {
            "check_in": date(2025, 3, 14),
            "expires_at": datetime(2025, 3, 1, 10, 30),
            "total": Decimal("25000.00"),
            "rate": Decimal("12.5"),
            "property": Model(),
            "language": Language.KK,
            "nights": [date(2025, 3, 14), Decimal("1")],
            "key_safe_code": "KS-4821",
            "access_token": "t0k3n",
        }
    )
    assert safe == {
        "check_in": "2025-03-14",
        "expires_at": "2025-03-01T10:30:00",
        "total": 25000,
        "rate": "12.5",
        "property": 42,
        "language": "kk",
        "nights": ["2025-03-14", 1],
    }
    json.dumps(safe)


class _Recorder:
    channel = "telegram"

    def __init__(self) -> None:
        self.sent: list[tuple[str, str]] = []

    async def send_text(self, recipient: str, text: str, buttons: list[str] | None = None) -> str:
        self.sent.append((recipient, text))
        return f"m{len(self.sent)}"


async def test_delivery_row_context_is_json_safe(stack: Any) -> None:
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    messenger = _Recorder()
    acts = NotifyActivities(
        stack.sessions, {"telegram": messenger}, CodeCipher.from_settings(stack.settings)
    )
    key = f"test-safe-context:{id_of(prop)}"
    context: dict[str, Any] = {
        "property_title": prop.title,
        "property": prop,
        "days": Decimal("95"),
        "checked_at": datetime(2025, 3, 1, 9, 0) + timedelta(minutes=5),
        "check_in": date(2025, 3, 14),
        "smart_lock_code": "SL-937155",
    }
    assert owner.id is not None
    deliver = functools.partial(
        acts._deliver,
        event="update_photos_needed",
        user_id=owner.id,
        booking_id=None,
        dedupe_key=key,
        context=context,
    )
    assert await ActivityEnvironment().run(deliver) == "sent"

    async with stack.sessions() as session:
        row = await session.scalar(
            select(NotificationDelivery).where(col(NotificationDelivery.dedupe_key) == key)
        )
    assert row is not None
    assert row.status == "sent" and row.channel == "telegram"
    assert row.context == {
        "property_title": prop.title,
        "property": id_of(prop),
        "days": 95,
        "checked_at": "2025-03-01T09:05:00",
        "check_in": "2025-03-14",
    }
    json.dumps(row.context)
    assert "SL-937155" not in json.dumps(row.context)
    assert messenger.sent == [(str(owner.telegram_id), messenger.sent[0][1])]
    assert "95" in messenger.sent[0][1]


@pytest.mark.parametrize(
    ("language", "nights", "expected"),
    [
        (Language.RU, 1, "(1 ночь)"),
        (Language.RU, 2, "(2 ночи)"),
        (Language.RU, 5, "(5 ночей)"),
        (Language.RU, 21, "(21 ночь)"),
        (Language.KK, 3, "(3 түн)"),
        (Language.EN, 1, "(1 night)"),
        (Language.EN, 4, "(4 nights)"),
    ],
)
def test_nights_are_counted_with_the_languages_plural_rules(
    language: Language, nights: int, expected: str
) -> None:
    """Never "2 ноч." or "1 nights": CLDR plural forms (Babel) through the `counted` filter."""
    text = render_text(
        DEFAULT_TEMPLATES["booking_held"][language], {**STORED_CONTEXT, "nights": nights}
    )
    assert expected in text, text
    assert "ноч." not in text
