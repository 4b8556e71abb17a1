"""Refund amounts for the cancellation presets hosts know (SPEC §3.5). Pure functions.

Rules, for a cancellation before check-in of a paid booking:
- the cleaning fee is always returned (the apartment was never cleaned), except non-refundable;
- flexible: everything back until 24 h before check-in, then the first night is kept;
- moderate: everything back until 5 days before, then the first night is kept and half of
  the other nights returned;
- strict: everything back within 48 h of booking if check-in is still 14+ days away at
  cancellation; otherwise half of the nights back from 14 down to 7 days before, none of them
  under 7 days;
- non-refundable: nothing back.
An owner or admin who cancels refunds everything: the guest is not at fault.
Halves are rounded down to whole tenge.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from models.enums import CancellationPolicy, CancelledBy


@dataclass(frozen=True)
class PaidStay:
    total: int
    cleaning_fee: int
    first_night: int
    booked_at: datetime
    check_in_at: datetime


def refund_amount(
    policy: CancellationPolicy, stay: PaidStay, cancelled_at: datetime, by: CancelledBy
) -> int:
    """What comes back under `policy`: never below nothing, never above what was paid."""
    return max(0, min(stay.total, _policy_refund(policy, stay, cancelled_at, by)))


def _policy_refund(
    policy: CancellationPolicy, stay: PaidStay, cancelled_at: datetime, by: CancelledBy
) -> int:
    if cancelled_at >= stay.check_in_at:
        return 0
    if by in (CancelledBy.OWNER, CancelledBy.ADMIN):
        return stay.total
    nightly = stay.total - stay.cleaning_fee
    before = stay.check_in_at - cancelled_at
    if policy is CancellationPolicy.FLEXIBLE:
        kept = 0 if before >= timedelta(hours=24) else stay.first_night
        return stay.total - kept
    if policy is CancellationPolicy.MODERATE:
        if before >= timedelta(days=5):
            return stay.total
        return max(0, nightly - stay.first_night) // 2 + stay.cleaning_fee
    if policy is CancellationPolicy.STRICT:
        grace = cancelled_at - stay.booked_at <= timedelta(hours=48)
        if grace and before >= timedelta(days=14):
            return stay.total
        if before >= timedelta(days=7):
            return nightly // 2 + stay.cleaning_fee
        return stay.cleaning_fee
    return 0
