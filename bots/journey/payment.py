"""The payment step both bots show after a hold, and "🔄 Новая ссылка на оплату" (a new
Kaspi link for the guest's booking that waits for a Kaspi payment)."""

from __future__ import annotations

from datetime import datetime, timedelta

from temporalio.service import RPCError

from bots.journey.context import Journey
from bots.journey.screens import Home, Link, Out, Text
from bots.payment_screens import payment_screen, renew_refused_text
from bots.texts import t
from core.logging import get_logger
from core.money import kzt
from models.booking_io import PaymentInstructions
from models.enums import PaymentMethod
from services.booking_client import BookingNotFound, BookingRefused
from services.guest_bookings import latest_awaiting_kaspi

log = get_logger(__name__)


def payment_outs(
    j: Journey,
    booking_id: str,
    payment: PaymentInstructions,
    expires_at: datetime | None,
    phone: str,
) -> list[Out]:
    """Amount and time left, a Kaspi link as a button under it, then the main menu with a
    short word on what comes next."""
    lang = j.lang
    screen = payment_screen(
        booking_id, payment, left=time_left(j, payment, expires_at), phone=phone, lang=lang
    )
    if screen.url is None:
        return [Home(screen.text)]
    label = t("bk_pay_button", lang, total=kzt(payment.amount))
    return [
        Link(screen.text, label, screen.url, short_label=t("wa_pay_button", lang)),
        Home(t("bk_kaspi_wait_confirmation", lang)),
    ]


def time_left(j: Journey, payment: PaymentInstructions, expires_at: datetime | None) -> str:
    settings = j.deps.settings
    kaspi = payment.method == PaymentMethod.KASPI
    timeout = settings.kaspi_payment_timeout if kaspi else settings.manual_payment_timeout
    left = expires_at - j.now() if expires_at else timeout
    # The workflow's clock and ours may differ a little; never promise more than the timeout.
    minutes = int(max(timedelta(0), min(left, timeout)).total_seconds() + 59) // 60
    hours, minutes = divmod(minutes, 60)
    if hours:
        return t("bk_hours_minutes", j.lang, h=hours, m=minutes)
    return t("bk_minutes", j.lang, m=minutes)


async def renew_link(j: Journey) -> list[Out]:
    lang = j.lang
    j.state.clear()
    async with j.deps.sessions() as session:
        waiting = await latest_awaiting_kaspi(session, j.user_id)
    if waiting is None:
        return [Home(t("bk_renew_nothing_waiting", lang))]
    try:
        client = await j.deps.booking_client()
        payment = await client.renew_payment_link(waiting.id)
    except BookingRefused as exc:
        return [Home(renew_refused_text(str(exc), lang))]
    except BookingNotFound:
        return [Home(t("bk_renew_refused", lang))]
    except (RPCError, RuntimeError, OSError) as exc:
        log.warning("payment link renewal failed", error=type(exc).__name__)
        return [Text(t("bk_service_down", lang))]
    phone = waiting.contact_phone or j.contact_phone or ""
    return payment_outs(j, waiting.id, payment, waiting.expires_at, phone)
