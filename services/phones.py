"""Phones as people give them (a shared contact, a typed number) turned into E.164."""

from __future__ import annotations

import phonenumbers


class InvalidPhone(ValueError):
    pass


def normalize_phone(raw: str, region: str = "KZ") -> str:
    """E.164 form of a Kazakh (or international) phone number; InvalidPhone otherwise."""
    try:
        number = phonenumbers.parse(raw.strip(), region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidPhone(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_possible_number(number):
        raise InvalidPhone(f"not a phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def e164(raw: str, region: str = "KZ") -> str | None:
    """The E.164 form of a plausible phone number, else None."""
    try:
        return normalize_phone(raw, region)
    except InvalidPhone:
        return None


def from_contact(phone_number: str) -> str | None:
    """Telegram shares contacts in international form, often without the leading '+'."""
    return e164("+" + phone_number.strip().lstrip("+"))
