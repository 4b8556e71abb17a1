"""The one way messages reach guests and owners: render a template, send, log the delivery."""

from __future__ import annotations

import enum
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from temporalio import activity
from temporalio.exceptions import ApplicationError

from activities.clients.messengers import DeliveryError, Messenger, TemplateMessenger
from activities.metrics import NOTIFICATIONS, count
from activities.templates import load_template, render_text
from core.crypto import CodeCipher
from core.db import SessionFactory
from core.logging import get_logger
from core.notification_catalogue import EVENT_BUTTONS
from models import Booking, NotificationDelivery, Property, User
from models.base import utcnow
from models.booking_io import BookingIdInput, NotifyInput
from models.enums import DeliveryStatus, Language

log = get_logger(__name__)
# WhatsApp's customer-service window: free text only this long after the user last wrote.
WHATSAPP_WINDOW = timedelta(hours=24)
FINAL_STATUSES = frozenset(
    {DeliveryStatus.SENT, DeliveryStatus.DELIVERED, DeliveryStatus.READ, DeliveryStatus.SKIPPED}
)
# A messenger's back-off hint is honoured within these bounds: a bogus hour-long (or zero)
# hint must neither park a booking's message nor hammer the API.
MIN_RETRY_HINT = timedelta(seconds=1)
MAX_RETRY_HINT = timedelta(minutes=10)


# Context keys never stored in the delivery log, whatever the caller passed.
_SECRET_KEY_PARTS = ("code", "token", "secret", "password", "iban_full")


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def routes_for(
    user: User, preferred: str | None, messengers: Mapping[str, Messenger]
) -> list[Route]:
    """Every channel the user can be reached on, the booking's own channel first."""
    addresses = {"telegram": user.telegram_id, "whatsapp": user.whatsapp_phone}
    order = [preferred] if preferred in addresses else []
    order += [c for c in ("telegram", "whatsapp") if c not in order]
    return [
        Route(channel, str(addresses[channel]))
        for channel in order
        if addresses[channel] and channel in messengers
    ]


def route_for(
    user: User, preferred: str | None, messengers: Mapping[str, Messenger]
) -> Route | None:
    """The booking's own channel first, then any channel the user can be reached on."""
    routes = routes_for(user, preferred, messengers)
    return routes[0] if routes else None


def _safe_value(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _safe_value(value.value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return safe_context(value)
    if isinstance(value, list | tuple | set | frozenset):
        return [_safe_value(v) for v in value]
    model_id = getattr(value, "id", None)  # a model: its id, never its columns
    if isinstance(model_id, int | str):
        return model_id
    return str(value)


def safe_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """JSON-safe copy for the delivery log: dates as ISO text, Decimal as numbers or text,
    models as their ids; keys that look like secrets (codes, tokens, passwords) dropped."""
    return {
        str(key): _safe_value(value)
        for key, value in context.items()
        if not any(part in str(key).lower() for part in _SECRET_KEY_PARTS)
    }


def retry_delay(hint: float | None) -> timedelta | None:
    """The messenger's `retry_after` seconds as Temporal's next retry delay, within bounds."""
    if hint is None:
        return None
    return min(max(timedelta(seconds=min(hint, 86_400.0)), MIN_RETRY_HINT), MAX_RETRY_HINT)


def _outside_window(user: User, route: Route) -> bool:
    """WhatsApp only: the user has not written in 24 hours (or never has)."""
    if route.channel != "whatsapp":
        return False
    last = user.whatsapp_last_inbound_at
    return last is None or utcnow() - last > WHATSAPP_WINDOW


class NotifyActivities:
    def __init__(
        self,
        session_factory: SessionFactory,
        messengers: Mapping[str, Messenger],
        cipher: CodeCipher,
        *,
        whatsapp_templates: Mapping[str, str] | None = None,
        fallback_after_attempts: int = 3,
    ) -> None:
        self._sessions = session_factory
        self._messengers = dict(messengers)
        self._cipher = cipher
        self._templates = dict(whatsapp_templates or {"default": "booking_update"})
        # After this many failed attempts on the booking's channel, try the user's other one.
        self._fallback_after = max(1, fallback_after_attempts)

    @activity.defn(name="notify")
    async def notify(self, request: NotifyInput) -> str:
        return await self._deliver(
            event=request.event,
            user_id=request.user_id,
            booking_id=request.booking_id,
            dedupe_key=request.dedupe_key,
            context=dict(request.context),
        )

    @activity.defn(name="send_access_codes")
    async def send_access_codes(self, request: BookingIdInput) -> str:
        """Codes are decrypted here and only here; they are rendered, sent and forgotten."""
        async with self._sessions() as session:
            booking = await session.get(Booking, request.booking_id)
            if booking is None:
                raise ValueError(f"unknown booking {request.booking_id}")
            prop = await session.get(Property, booking.property_id)
            assert prop is not None
            context: dict[str, Any] = {
                "booking_id": booking.id,
                "property_title": prop.title,
                "check_in": booking.check_in.isoformat(),
                "address": prop.address,
                "instructions": prop.checkin_instructions,
            }
            secrets = {
                "key_safe_code": self._decrypt(prop.key_safe_code_enc),
                "smart_lock_code": self._decrypt(prop.smart_lock_code_enc),
            }
            guest_id = booking.guest_id
        status = await self._deliver(
            event="access_codes",
            user_id=guest_id,
            booking_id=request.booking_id,
            dedupe_key=f"booking-{request.booking_id}:access_codes",
            context=context,
            secret_context=secrets,
        )
        if status == DeliveryStatus.SENT:
            async with self._sessions() as session:
                booking = await session.get(Booking, request.booking_id)
                if booking is not None and booking.codes_sent_at is None:
                    booking.codes_sent_at = utcnow()
                    await session.commit()
        return status

    def _decrypt(self, token: str | None) -> str | None:
        return self._cipher.decrypt(token) if token else None

    async def _deliver(
        self,
        *,
        event: str,
        user_id: int,
        booking_id: str | None,
        dedupe_key: str,
        context: dict[str, Any],
        secret_context: dict[str, Any] | None = None,
    ) -> str:
        attempt = activity.info().attempt
        async with self._sessions() as session:
            user = await session.get(User, user_id)
            if user is None:
                raise ValueError(f"unknown user {user_id}")
            booking = await session.get(Booking, booking_id) if booking_id else None
            routes = routes_for(user, booking.channel if booking else None, self._messengers)
            delivery = await self._delivery_row(
                session, dedupe_key, user, booking_id, event, context
            )
            if delivery.status in FINAL_STATUSES:
                return delivery.status  # sent by an earlier attempt
            delivery.attempts = attempt
            if not routes:
                delivery.status = DeliveryStatus.SKIPPED
                delivery.last_error = "user has no reachable messenger"
                await session.commit()
                count(NOTIFICATIONS, channel="none", result="skipped")
                return delivery.status
            # The first channel gets `fallback_after` attempts; later retries use the other one.
            fallback = attempt > self._fallback_after and len(routes) > 1
            route = routes[1] if fallback else routes[0]
            delivery.channel = route.channel
            language = Language(user.language) if user.language in set(Language) else Language.RU
            body = await load_template(session, event, route.channel, language)
            text = render_text(body, {**context, **(secret_context or {})})
            messenger = self._messengers[route.channel]
            try:
                if _outside_window(user, route) and isinstance(messenger, TemplateMessenger):
                    name = self._templates.get(event) or self._templates.get(
                        "default", "booking_update"
                    )
                    delivery.external_id = await messenger.send_template(
                        route.recipient, name, language.value, [text]
                    )
                else:
                    delivery.external_id = await messenger.send_text(
                        route.recipient, text, EVENT_BUTTONS.get(event)
                    )
            except DeliveryError as exc:
                delivery.status = DeliveryStatus.FAILED
                error = str(exc)
                if fallback and delivery.last_error:  # keep why the first channel failed
                    marker = f"; after {routes[0].channel}: "
                    first = delivery.last_error.split(marker, 1)[-1]
                    error = f"{error}{marker}{first}"
                delivery.last_error = error[:1000]
                await session.commit()
                count(NOTIFICATIONS, channel=route.channel, result="failed")
                log.warning(
                    "notification failed",
                    event_name=event,
                    channel=route.channel,
                    booking_id=booking_id,
                    attempt=attempt,
                    retry_after=exc.retry_after,
                )
                delay = retry_delay(exc.retry_after)
                if delay is None:
                    raise
                # The messenger said when to come back: that, not the workflow's backoff.
                raise ApplicationError(
                    str(exc), type=type(exc).__name__, next_retry_delay=delay
                ) from exc
            delivery.status = DeliveryStatus.SENT
            if not fallback:  # a fallback keeps the first channel's last error in the log
                delivery.last_error = None
            delivery.sent_at = utcnow()
            await session.commit()
            count(NOTIFICATIONS, channel=route.channel, result="sent")
            log.info(
                "notification sent",
                event_name=event,
                channel=route.channel,
                booking_id=booking_id,
                fallback=fallback,
            )
            return delivery.status

    async def _delivery_row(
        self,
        session: Any,
        dedupe_key: str,
        user: User,
        booking_id: str | None,
        event: str,
        context: dict[str, Any],
    ) -> NotificationDelivery:
        await session.execute(
            insert(NotificationDelivery)
            .values(
                dedupe_key=dedupe_key,
                user_id=user.id,
                booking_id=booking_id,
                event=event,
                channel="",
                language=user.language,
                status=DeliveryStatus.PENDING,
                attempts=0,
                context=safe_context(context),
            )
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
        )
        row: NotificationDelivery | None = await session.scalar(
            select(NotificationDelivery)
            .where(col(NotificationDelivery.dedupe_key) == dedupe_key)
            .with_for_update()
        )
        assert row is not None
        return row
