"""Phones as guests give them (a shared contact, a typed number) turned into E.164."""

from __future__ import annotations

import phonenumbers


def e164(raw: str, region: str = "KZ") -> str | None:
    """The E.164 form of a plausible phone number, else None."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def from_contact(phone_number: str) -> str | None:
    """Telegram shares contacts in international form, often without the leading '+'."""
    return e164("+" + phone_number.strip().lstrip("+"))
