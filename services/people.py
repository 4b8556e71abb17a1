"""How guests appear to owners: a first name and a masked phone, never more."""

from __future__ import annotations


def first_name(full_name: str | None) -> str:
    parts = (full_name or "").split()
    return parts[0] if parts else "—"


def mask_phone(phone: str | None) -> str:
    """+77021234567 → +7702*****67: enough to tell guests apart, not to call them."""
    if not phone:
        return "—"
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:5] + "*" * (len(phone) - 7) + phone[-2:]
