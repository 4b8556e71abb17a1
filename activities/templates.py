"""Rendering notification templates: DB copy first, then the built-in catalogue."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from jinja2 import Undefined
from jinja2.sandbox import SandboxedEnvironment
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.money import kzt
from core.notification_catalogue import DEFAULT_TEMPLATES
from core.plurals import PLURALS, plural
from models import NotificationTemplate
from models.enums import Language, NotificationChannel


def format_kzt(value: Any) -> str:
    try:
        return kzt(int(value))
    except (TypeError, ValueError):
        return str(value)


def format_day(value: Any) -> str:
    """dd.mm.yyyy from a date, a datetime or their ISO text; anything else as it is."""
    if isinstance(value, date):  # a datetime is a date too
        return value.strftime("%d.%m.%Y")
    try:
        return datetime.fromisoformat(str(value)).strftime("%d.%m.%Y")
    except ValueError:
        return str(value)


def format_counted(value: Any, word: str, lang: str = "ru") -> str:
    """ "2 ночи", "5 ночей": `{{ nights | counted('nights', 'ru') }}` (core/plurals.py)."""
    forms = PLURALS.get(word, {}).get(lang)
    if forms is None:
        return str(value)
    return plural(lang, value if isinstance(value, int) else str(value), forms)


# Sandboxed: templates are editable in the web admin.
_env = SandboxedEnvironment(undefined=Undefined, autoescape=False, keep_trailing_newline=False)
_env.filters["kzt"] = format_kzt
_env.filters["day"] = format_day
_env.filters["counted"] = format_counted


def render_text(body: str, context: dict[str, Any]) -> str:
    return _env.from_string(body).render(**context).strip()


async def load_template(session: AsyncSession, event: str, channel: str, language: Language) -> str:
    for lang in (language, Language.RU):
        row = await session.scalar(
            select(col(NotificationTemplate.body)).where(
                col(NotificationTemplate.event) == event,
                col(NotificationTemplate.channel) == channel,
                col(NotificationTemplate.language) == lang,
            )
        )
        if row:
            return row
    catalogue = DEFAULT_TEMPLATES.get(event)
    if not catalogue:
        raise LookupError(f"no template for event {event!r}")
    return catalogue.get(language) or catalogue[Language.RU]


async def ensure_default_templates(session: AsyncSession) -> int:
    """Creates missing template rows; never overwrites an edited one. Returns rows added."""
    rows = [
        {"event": event, "channel": channel.value, "language": lang.value, "body": body}
        for event, texts in DEFAULT_TEMPLATES.items()
        for lang, body in texts.items()
        for channel in NotificationChannel
    ]
    result = await session.execute(
        insert(NotificationTemplate)
        .values(rows)
        .on_conflict_do_nothing(constraint="uq_notification_template_event_channel_lang")
        .returning(col(NotificationTemplate.id))
    )
    added = len(result.all())
    await session.commit()
    return added
