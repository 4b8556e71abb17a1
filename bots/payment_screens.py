"""What both bots show for a held booking's payment: the text, and for a Kaspi link the link
to put on a button; plus how a refused "🔄 Новая ссылка на оплату" is explained."""

from __future__ import annotations

from dataclasses import dataclass

from bots.texts import t
from core.money import kzt
from models.booking_io import PaymentInstructions
from models.enums import PaymentMethod

# The workflow's reason when the guest asks too early (services/booking_client.BookingRefused).
LINK_STILL_WORKS = "still works"


@dataclass(frozen=True)
class PaymentScreen:
    text: str
    url: str | None = None  # a Kaspi payment link, shown as a button


def payment_screen(
    booking_id: str, payment: PaymentInstructions, *, left: str, phone: str, lang: str
) -> PaymentScreen:
    """`left`: the time left to pay, already worded; `phone`: where a Kaspi invoice went."""
    total = kzt(payment.amount)
    if payment.method != PaymentMethod.KASPI:
        text = t(
            "bk_invoice_held",
            lang,
            booking_id=booking_id,
            recipient=payment.recipient,
            bank=payment.bank,
            iban=payment.iban,
            bin=payment.bin,
            total=total,
            reference=payment.reference,
            note=payment.note or "",
            left=left,
        )
        return PaymentScreen(text)
    if payment.kaspi_invoice and not payment.payment_url:
        text = t(
            "bk_kaspi_invoice_held",
            lang,
            booking_id=booking_id,
            total=total,
            phone=phone,
            left=left,
        )
        return PaymentScreen(text)
    if not payment.payment_url:  # never expected; then at least no broken button
        return PaymentScreen(
            t("bk_kaspi_held_no_link", lang, booking_id=booking_id, total=total, left=left)
        )
    text = t(
        "bk_kaspi_held",
        lang,
        booking_id=booking_id,
        total=total,
        url=payment.payment_url,
        left=left,
    )
    return PaymentScreen(text, payment.payment_url)


def renew_refused_text(reason: str, lang: str) -> str:
    key = "bk_renew_link_still_works" if LINK_STILL_WORKS in reason else "bk_renew_refused"
    return t(key, lang)
