"""refund_amount for every preset at its boundaries (SPEC §3.5, models/cancellation.py).

The usual stay: 3 nights x 20 000 + 5 000 cleaning = 65 000, first night 20 000.
The cleaning fee goes back on every refundable cancellation; halves round down.
Times are written as "before check-in" and "booked before check-in".
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from models.cancellation import PaidStay, refund_amount
from models.enums import CancellationPolicy, CancelledBy

CHECK_IN = datetime(2026, 7, 15, 9, 0, tzinfo=UTC)  # 14:00 in Almaty
DAY, HOUR, SECOND = timedelta(days=1), timedelta(hours=1), timedelta(seconds=1)
FLEXIBLE, MODERATE = CancellationPolicy.FLEXIBLE, CancellationPolicy.MODERATE
STRICT, NON_REFUNDABLE = CancellationPolicy.STRICT, CancellationPolicy.NON_REFUNDABLE
GUEST, OWNER, ADMIN = CancelledBy.GUEST, CancelledBy.OWNER, CancelledBy.ADMIN

USUAL = (65_000, 5_000, 20_000)  # total, cleaning fee, first night
# 2 nights x 15 001 + 4 000: moderate keeps 15 001 and returns 15 001 // 2 = 7 500 + 4 000.
ODD_2 = (34_002, 4_000, 15_001)
# 3 nights x 15 001 + 4 000: strict returns 45 003 // 2 = 22 501 + 4 000.
ODD_3 = (49_003, 4_000, 15_001)


def case(
    policy: CancellationPolicy,
    before: timedelta,
    expected: int,
    *,
    booked: timedelta = 30 * DAY,
    by: CancelledBy = GUEST,
    stay: tuple[int, int, int] = USUAL,
    id: str,
) -> Any:
    return pytest.param(policy, stay, booked, before, by, expected, id=id)


CASES = [
    case(FLEXIBLE, 30 * DAY, 65_000, id="flexible-a-month-before"),
    case(FLEXIBLE, 24 * HOUR, 65_000, id="flexible-exactly-24h"),
    case(FLEXIBLE, 24 * HOUR - SECOND, 45_000, id="flexible-24h-minus-1s-keeps-first-night"),
    case(FLEXIBLE, HOUR, 45_000, id="flexible-1h-before"),
    case(MODERATE, 5 * DAY, 65_000, id="moderate-exactly-5-days"),
    case(MODERATE, 5 * DAY - SECOND, 25_000, id="moderate-5d-minus-1s-half-of-the-rest"),
    case(MODERATE, DAY, 25_000, id="moderate-1-day-before"),
    case(MODERATE, DAY, 11_500, stay=ODD_2, id="moderate-half-rounds-down"),
    case(STRICT, 30 * DAY - 48 * HOUR, 65_000, id="strict-grace-exactly-48h"),
    case(STRICT, 30 * DAY - 48 * HOUR - SECOND, 35_000, id="strict-grace-over-by-1s"),
    case(STRICT, 14 * DAY, 65_000, booked=16 * DAY, id="strict-grace-check-in-14-days-away"),
    case(STRICT, 10 * DAY - HOUR, 35_000, booked=10 * DAY, id="strict-grace-check-in-too-close"),
    case(STRICT, 14 * DAY - HOUR, 35_000, booked=15 * DAY, id="strict-grace-but-under-14-days-now"),
    case(STRICT, 14 * DAY, 35_000, id="strict-exactly-14-days"),
    case(STRICT, 7 * DAY, 35_000, id="strict-exactly-7-days"),
    case(STRICT, 7 * DAY - SECOND, 5_000, id="strict-7d-minus-1s-cleaning-only"),
    case(STRICT, HOUR, 5_000, id="strict-1h-before"),
    case(STRICT, 5 * DAY - HOUR, 5_000, booked=5 * DAY, id="strict-grace-under-7-days"),
    case(STRICT, 10 * DAY, 26_501, stay=ODD_3, id="strict-half-rounds-down"),
    case(NON_REFUNDABLE, 60 * DAY, 0, booked=61 * DAY, id="non-refundable-2-months-before"),
    case(NON_REFUNDABLE, 30 * DAY - HOUR, 0, id="non-refundable-1h-after-booking"),
    case(NON_REFUNDABLE, HOUR, 65_000, by=OWNER, id="non-refundable-owner-cancels"),
    case(STRICT, DAY, 65_000, by=ADMIN, id="strict-admin-cancels"),
    case(FLEXIBLE, HOUR, 65_000, by=OWNER, id="flexible-owner-cancels-late"),
    case(MODERATE, 30 * DAY, 65_000, by=ADMIN, id="moderate-admin-cancels-early"),
    case(FLEXIBLE, timedelta(0), 0, id="guest-at-check-in"),
    case(MODERATE, timedelta(0), 0, by=OWNER, id="owner-at-check-in"),
    case(STRICT, -DAY, 0, by=ADMIN, id="admin-after-check-in"),
    case(FLEXIBLE, -SECOND, 0, id="guest-1s-after-check-in"),
]


@pytest.mark.parametrize(("policy", "stay", "booked", "before", "by", "expected"), CASES)
def test_refund(policy, stay, booked, before, by, expected):
    total, cleaning_fee, first_night = stay
    paid = PaidStay(
        total=total,
        cleaning_fee=cleaning_fee,
        first_night=first_night,
        booked_at=CHECK_IN - booked,
        check_in_at=CHECK_IN,
    )

    assert refund_amount(policy, paid, CHECK_IN - before, by) == expected


def test_a_refund_is_never_below_nothing_nor_above_the_total():
    # A dear first night (a holiday) on a discounted stay: keeping it would exceed the total.
    paid = PaidStay(
        total=57_500,
        cleaning_fee=5_000,
        first_night=60_000,
        booked_at=CHECK_IN - 30 * DAY,
        check_in_at=CHECK_IN,
    )
    assert refund_amount(FLEXIBLE, paid, CHECK_IN - 2 * HOUR, GUEST) == 0
    assert refund_amount(MODERATE, paid, CHECK_IN - 2 * DAY, GUEST) == 5_000
    assert refund_amount(FLEXIBLE, paid, CHECK_IN - 2 * DAY, GUEST) == 57_500
