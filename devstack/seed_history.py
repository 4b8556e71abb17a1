"""A year of demo history for `devstack.seed`: what the booking activities would have left.

For the demo apartments, over the 365 days before today (Asia/Almaty): past stays
(completed, with their Kaspi or invoice payment and calendar nights), guest and owner
cancellations (payment refunded by the apartment's policy, nights freed), holds that ran out
unpaid, reviews (some answered by the owner), owner blocks, and price changes. Also a few
owner blocks in the coming weeks, so the occupancy heatmap is not empty. Nothing is in
progress: every stay ended before today, so no booking needs a workflow.

Rows are written directly (no workflows), with the timestamps the activities would have set.
price_history: its trigger (migrations 0001) records a change at `now()`, so the past rows are
inserted as such, the listing's first row moved back to the listing date, and
`property.price_updated_at` set to the last change; `price_per_night` is never updated.

Deterministic: one seeded random generator, dates relative to today. Idempotent: the demo
guests' bookings are the marker; once one exists, nothing is added (the caller holds the seed
lock).
"""

from __future__ import annotations

import random
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.clock import LOCAL_TZ
from models import Booking, CalendarNight, Payment, PriceHistory, Property, Refund, Review, User
from models.cancellation import PaidStay, refund_amount
from models.enums import (
    BookingStatus,
    CalendarBlockKind,
    CancellationPolicy,
    CancelledBy,
    CancelReason,
    Channel,
    Language,
    PaymentMethod,
    PaymentStatus,
    RefundStatus,
    Role,
)
from services.booking_ids import ALPHABET, LENGTH

SEED = 20_24_12  # the generator's seed: the same history for the same day
DAYS = 365
FIRST_GUEST_TELEGRAM_ID = 710_001  # `make chat CHAT_ID=710001`: a guest with a past
KASPI_HOLD = timedelta(minutes=30)
INVOICE_HOLD = timedelta(hours=24)
# A stay that ended within the review window (core.settings.review_window, 7 days) always has
# its review: leaving one goes through the booking's workflow, which seeded stays do not have.
REVIEW_WINDOW = timedelta(days=8)

_FIRST = ["Айгерим", "Данияр", "Асем", "Нурлан", "Жанна", "Ерболат", "Мадина", "Тимур",
          "Алия", "Арман", "Дина", "Самат", "Камила", "Руслан", "Айжан", "Бахыт",
          "Сауле", "Ильяс", "Томирис", "Азамат", "Анна", "Сергей", "Ольга", "Дмитрий"]  # fmt: skip
_LAST = ["Ахметов", "Серикова", "Жумабеков", "Касымова", "Нургалиев", "Омарова", "Беков",
         "Тулегенова", "Иванов", "Смагулова", "Кенжебаев", "Абдрахманова"]  # fmt: skip
GUESTS = 48
GOOD = [
    "Чисто, уютно, всё как на фото. Хозяин на связи.",
    "Отличная квартира, удобное заселение по коду.",
    "Тихо, тепло, рядом всё необходимое. Приедем ещё!",
    "Прекрасный вид и удобная кровать, спасибо!",
]
FAIR = ["В целом нормально, но шумно по ночам.", "Квартира неплохая, Wi‑Fi слабоват."]
POOR = ["Было грязно в ванной, заселение задержали.", "Не соответствует фото."]
REPLIES = ["Спасибо за отзыв, ждём снова!", "Спасибо! Учтём замечания."]
GUEST_REASONS = [
    CancelReason.PLANS_CHANGED,
    CancelReason.PLANS_CHANGED,
    CancelReason.FOUND_ANOTHER,
    CancelReason.PRICE,
    CancelReason.OTHER,
]


@dataclass(frozen=True)
class DemoGuest:
    name: str
    phone: str
    channel: Channel
    telegram_id: int | None


@dataclass
class History:
    """The rows to insert, by table (plain dicts for executemany)."""

    bookings: list[dict[str, Any]] = field(default_factory=list)
    payments: list[dict[str, Any]] = field(default_factory=list)
    refunds: list[tuple[str, dict[str, Any]]] = field(default_factory=list)  # provider id
    nights: list[dict[str, Any]] = field(default_factory=list)
    reviews: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class _Flat:
    id: int
    owner_id: int
    price: int  # at listing (the first price_history row), the end of the past changes
    cleaning_fee: int
    min_nights: int
    max_nights: int
    max_guests: int
    policy: CancellationPolicy
    check_in_time: time
    check_out_time: time
    listed_at: datetime  # when the first price row was written


def demo_guests() -> list[DemoGuest]:
    """Telegram guests (no verified phone: the number is on their bookings) and WhatsApp
    guests (the sender's number is verified)."""
    guests = []
    for n in range(GUESTS):
        name = f"{_FIRST[n % len(_FIRST)]} {_LAST[(n * 5) % len(_LAST)]}"
        phone = f"+7707{7_100_000 + n * 37:07d}"
        whatsapp = n % 4 == 3
        guests.append(
            DemoGuest(
                name=name,
                phone=phone,
                channel=Channel.WHATSAPP if whatsapp else Channel.TELEGRAM,
                telegram_id=None if whatsapp else FIRST_GUEST_TELEGRAM_ID + n,
            )
        )
    return guests


def local(day: date, at: time) -> datetime:
    return datetime.combine(day, at, LOCAL_TZ).astimezone(UTC)


def listing_time(today: date) -> datetime:
    """When the demo apartments were listed: a month before their year of history."""
    return local(today - timedelta(days=DAYS + 30), time(11))


def _round(price: float) -> int:
    return max(500, int(round(price / 500) * 500))


class _Generator:
    def __init__(self, today: date, now: datetime, guest_ids: Sequence[int]) -> None:
        self.rng = random.Random(SEED)
        self.today = today
        self.now = now
        self.start = today - timedelta(days=DAYS)
        self.guest_ids = list(guest_ids)
        self.guests = demo_guests()
        self.history = History()
        self.ids: set[str] = set()

    def booking_id(self) -> str:
        while True:
            value = "".join(self.rng.choice(ALPHABET) for _ in range(LENGTH))
            if value not in self.ids:
                self.ids.add(value)
                return value

    def prices(self, flat: _Flat) -> list[tuple[datetime, int]]:
        """The price schedule: listed a year ago at p0, a few changes, ending at the price
        the apartment has today."""
        end = min(flat.listed_at, self.now)
        listed = listing_time(self.today)
        changes = self.rng.randint(2, 4)
        days = sorted(self.rng.sample(range(30, DAYS - 20), changes), reverse=True)
        points = [end - timedelta(days=d, hours=self.rng.randint(0, 9)) for d in days]
        values = [_round(flat.price * self.rng.uniform(0.8, 1.1)) for _ in range(changes)]
        values[-1] = flat.price
        first = _round(flat.price * self.rng.uniform(0.8, 0.95))
        schedule = [(listed, first), *zip(points, values, strict=True)]
        previous = first
        for at, price in schedule[1:]:
            if price != previous:
                self.history.prices.append(
                    {
                        "property_id": flat.id,
                        "old_price": previous,
                        "new_price": price,
                        "changed_at": at,
                    }
                )
            previous = price
        return schedule

    def flat(self, flat: _Flat, taken: set[date]) -> None:
        schedule = self.prices(flat)
        moments = [at for at, _ in schedule]
        busy = set(taken)
        # Owner blocks: a repair in the past, sometimes a few nights in the coming weeks.
        self._block(flat, busy, self.start + timedelta(days=self.rng.randint(20, 330)), 3)
        if self.rng.random() < 0.6:
            self._block(flat, busy, self.today + timedelta(days=self.rng.randint(2, 24)), 4)
        demand = self.rng.uniform(0.35, 0.75)
        cursor = self.start
        while True:
            cursor += timedelta(days=self._gap(demand))
            nights = self._nights(flat)
            check_out = cursor + timedelta(days=nights)
            if check_out >= self.today:
                break
            stay = [cursor + timedelta(days=n) for n in range(nights)]
            if busy.intersection(stay):
                cursor += timedelta(days=1)
                continue
            booked_at = self._booked_at(cursor)
            price = schedule[max(bisect_right(moments, booked_at) - 1, 0)][1]
            outcome = self.rng.random()
            if outcome < 0.2:  # the dates stayed free: the next guest may take them
                if outcome < 0.08:
                    self._expired(flat, cursor, check_out, price, booked_at)
                else:
                    self._cancelled(flat, cursor, check_out, price, booked_at)
                cursor += timedelta(days=1)
                continue
            self._completed(flat, cursor, check_out, price, booked_at)
            busy.update(stay)
            cursor = check_out

    def _gap(self, demand: float) -> int:
        return int(self.rng.expovariate(demand / 2.5))

    def _nights(self, flat: _Flat) -> int:
        nights = self.rng.choices([1, 2, 3, 4, 5, 7, 10], [18, 26, 22, 13, 10, 8, 3])[0]
        return min(max(nights, flat.min_nights), flat.max_nights)

    def _booked_at(self, check_in: date) -> datetime:
        lead = self.rng.choices([0, 1, 3, 7, 14, 30, 60], [10, 20, 25, 20, 12, 9, 4])[0]
        hour = self.rng.randint(8, 11) if lead == 0 else self.rng.randint(8, 22)  # before 14:00
        at = local(check_in - timedelta(days=lead), time(hour))
        at += timedelta(minutes=self.rng.randint(0, 59))
        return max(at, local(self.start - timedelta(days=20), time(12)))

    def _block(self, flat: _Flat, busy: set[date], first: date, nights: int) -> None:
        for n in range(nights):
            night = first + timedelta(days=n)
            if night in busy:
                continue
            busy.add(night)
            self.history.nights.append(
                {
                    "property_id": flat.id,
                    "night": night,
                    "kind": CalendarBlockKind.OWNER.value,
                    "booking_id": None,
                    "note": "ремонт",
                }
            )

    def _base(
        self, flat: _Flat, check_in: date, check_out: date, price: int, booked_at: datetime
    ) -> tuple[dict[str, Any], DemoGuest]:
        n = self.rng.randrange(len(self.guest_ids))
        guest = self.guests[n]
        nights = (check_out - check_in).days
        method = PaymentMethod.MANUAL if self.rng.random() < 0.25 else PaymentMethod.KASPI
        channel = Channel.API if self.rng.random() < 0.1 else guest.channel
        row = {
            "id": self.booking_id(),
            "property_id": flat.id,
            "guest_id": self.guest_ids[n],
            "contact_phone": guest.phone,
            "check_in": check_in,
            "check_out": check_out,
            "nights": nights,
            "guests": self.rng.randint(1, flat.max_guests),
            "price_per_night": price,
            "cleaning_fee": flat.cleaning_fee,
            "total": nights * price + flat.cleaning_fee,
            "channel": channel.value,
            "payment_method": method.value,
            "cancellation_policy": flat.policy.value,
            "created_at": booked_at,
            "expires_at": None,
            "confirmed_at": None,
            "cancelled_at": None,
            "cancelled_by": None,
            "cancel_reason": None,
            "refund_amount": None,
            "codes_sent_at": None,
            "completed_at": None,
        }
        return row, guest

    def _paid(self, flat: _Flat, row: dict[str, Any]) -> datetime:
        """Paid before check-in: Kaspi within minutes, an invoice within hours."""
        manual = row["payment_method"] == PaymentMethod.MANUAL.value
        delay = timedelta(hours=self.rng.randint(1, 20)) if manual else timedelta(minutes=3)
        before_arrival = local(row["check_in"], flat.check_in_time) - row["created_at"]
        paid_at: datetime = row["created_at"] + min(delay, before_arrival / 2)
        row["confirmed_at"] = paid_at
        provider = f"manual-{row['id']}"
        if not manual:
            provider = "KSP" + "".join(self.rng.choice("0123456789ABCDEF") for _ in range(12))
        self.history.payments.append(
            {
                "booking_id": row["id"],
                "method": row["payment_method"],
                "provider_payment_id": provider,
                "amount": row["total"],
                "status": PaymentStatus.PAID.value,
                "confirmed_by_id": flat.owner_id if manual else None,
                "paid_at": paid_at,
            }
        )
        return paid_at

    def _completed(
        self, flat: _Flat, check_in: date, check_out: date, price: int, booked_at: datetime
    ) -> None:
        row, _ = self._base(flat, check_in, check_out, price, booked_at)
        self._paid(flat, row)
        arrival = local(check_in, flat.check_in_time)
        row["status"] = BookingStatus.COMPLETED.value
        row["codes_sent_at"] = max(arrival - timedelta(hours=3), row["confirmed_at"])
        row["completed_at"] = local(check_out, flat.check_out_time)
        self.history.bookings.append(row)
        self.history.nights += [
            {
                "property_id": flat.id,
                "night": check_in + timedelta(days=n),
                "kind": CalendarBlockKind.BOOKING.value,
                "booking_id": row["id"],
                "note": "",
            }
            for n in range(row["nights"])
        ]
        recent = self.now - row["completed_at"] < REVIEW_WINDOW
        if recent or self.rng.random() < 0.65:
            self._review(flat, row)

    def _review(self, flat: _Flat, row: dict[str, Any]) -> None:
        rating = self.rng.choices([5, 4, 3, 2, 1], [55, 30, 10, 4, 1])[0]
        texts = GOOD if rating >= 4 else FAIR if rating == 3 else POOR
        since = self.now - row["completed_at"]
        written = row["completed_at"] + min(timedelta(hours=self.rng.randint(2, 60)), since / 2)
        replied = self.rng.random() < 0.35 and written + timedelta(days=1) < self.now
        self.history.reviews.append(
            {
                "booking_id": row["id"],
                "property_id": flat.id,
                "guest_id": row["guest_id"],
                "rating": rating,
                "text": self.rng.choice(texts) if self.rng.random() < 0.85 else "",
                "photo_urls": [],
                "created_at": written,
                "owner_reply": self.rng.choice(REPLIES) if replied else None,
                "owner_reply_at": written + timedelta(days=1) if replied else None,
            }
        )

    def _cancelled(
        self, flat: _Flat, check_in: date, check_out: date, price: int, booked_at: datetime
    ) -> None:
        row, _ = self._base(flat, check_in, check_out, price, booked_at)
        paid_at = self._paid(flat, row)
        arrival = local(check_in, flat.check_in_time)
        cancelled_at = paid_at + (arrival - paid_at) * self.rng.uniform(0.05, 0.9)  # before it
        by = CancelledBy.OWNER if self.rng.random() < 0.15 else CancelledBy.GUEST
        reason = (
            CancelReason.OWNER_UNAVAILABLE
            if by is CancelledBy.OWNER
            else self.rng.choice(GUEST_REASONS)
        )
        stay = PaidStay(row["total"], flat.cleaning_fee, price, booked_at, arrival)
        refund = refund_amount(flat.policy, stay, cancelled_at, by)
        row.update(
            status=BookingStatus.CANCELLED.value,
            cancelled_at=cancelled_at,
            cancelled_by=by.value,
            cancel_reason=reason.value,
            refund_amount=refund,
        )
        self.history.bookings.append(row)
        if refund <= 0:
            return
        payment = self.history.payments[-1]
        payment["status"] = (
            PaymentStatus.REFUNDED.value
            if refund >= payment["amount"]
            else PaymentStatus.PARTIALLY_REFUNDED.value
        )
        kaspi = payment["method"] == PaymentMethod.KASPI.value
        self.history.refunds.append(
            (
                payment["provider_payment_id"],
                {
                    "booking_id": row["id"],
                    "amount": refund,
                    "provider_refund_id": "RF" + payment["provider_payment_id"] if kaspi else None,
                    "status": (RefundStatus.SENT if kaspi else RefundStatus.MANUAL).value,
                    "created_at": cancelled_at + timedelta(seconds=5),
                },
            )
        )

    def _expired(
        self, flat: _Flat, check_in: date, check_out: date, price: int, booked_at: datetime
    ) -> None:
        row, _ = self._base(flat, check_in, check_out, price, booked_at)
        manual = row["payment_method"] == PaymentMethod.MANUAL.value
        expired_at = booked_at + (INVOICE_HOLD if manual else KASPI_HOLD)
        row.update(
            status=BookingStatus.AUTO_CANCELLED.value,
            cancelled_at=expired_at,
            cancelled_by=CancelledBy.SYSTEM.value,
            cancel_reason=CancelReason.PAYMENT_TIMEOUT.value,
            refund_amount=0,
        )
        self.history.bookings.append(row)


async def _flats(session: AsyncSession, property_ids: Sequence[int]) -> list[_Flat]:
    rows = await session.execute(
        select(
            col(PriceHistory.property_id),
            col(PriceHistory.changed_at),
            col(PriceHistory.new_price),
        )
        .where(col(PriceHistory.property_id).in_(property_ids))
        .order_by(col(PriceHistory.changed_at).desc(), col(PriceHistory.id).desc())
    )
    # The listing's row (the earliest) wins: later ones are overwritten in the dict.
    first_row: dict[int, datetime] = {}
    prices: dict[int, int] = {}
    for pid, changed_at, price in rows.all():
        first_row[pid], prices[pid] = changed_at, price
    props = (
        await session.scalars(
            select(Property).where(col(Property.id).in_(property_ids)).order_by(col(Property.id))
        )
    ).all()
    return [
        _Flat(
            id=p.id or 0,
            owner_id=p.owner_id,
            price=prices.get(p.id or 0, p.price_per_night),
            cleaning_fee=p.cleaning_fee,
            min_nights=p.min_nights,
            max_nights=p.max_nights,
            max_guests=p.max_guests,
            policy=CancellationPolicy(p.cancellation_policy),
            check_in_time=p.check_in_time,
            check_out_time=p.check_out_time,
            listed_at=first_row.get(p.id or 0, p.created_at),
        )
        for p in props
    ]


async def _guest_ids(session: AsyncSession, since: datetime) -> list[int]:
    """The demo guests as accounts; an identity someone in this database holds already (a
    `make chat CHAT_ID=…` of an older dev database) is left to them."""
    guests = demo_guests()
    held_ids = set(
        (
            await session.scalars(
                select(col(User.telegram_id)).where(
                    col(User.telegram_id).in_([g.telegram_id for g in guests if g.telegram_id])
                )
            )
        ).all()
    )
    phones = [g.phone for g in guests]
    holders = await session.execute(
        select(col(User.phone), col(User.whatsapp_phone)).where(
            col(User.phone).in_(phones) | col(User.whatsapp_phone).in_(phones)
        )
    )
    held_phones = {p for row in holders.all() for p in row if p in phones}
    users = []
    for guest in guests:
        whatsapp = guest.channel is Channel.WHATSAPP and guest.phone not in held_phones
        users.append(
            User(
                name=guest.name,
                # WhatsApp vouches for its sender's number; a Telegram guest typed theirs.
                phone=guest.phone if whatsapp else None,
                phone_verified=whatsapp,
                telegram_id=None if guest.telegram_id in held_ids else guest.telegram_id,
                whatsapp_phone=guest.phone if whatsapp else None,
                language=Language.RU,
                role=Role.GUEST,
                created_at=since,
            )
        )
    session.add_all(users)
    await session.flush()
    return [u.id for u in users if u.id is not None]


async def has_history(session: AsyncSession, property_ids: Sequence[int]) -> bool:
    """Whether a demo guest has booked a demo apartment: the history was written."""
    found = await session.scalar(
        select(col(Booking.id))
        .where(
            col(Booking.property_id).in_(property_ids),
            col(Booking.contact_phone).in_([g.phone for g in demo_guests()]),
        )
        .limit(1)
    )
    return found is not None


async def seed_history(
    session: AsyncSession, property_ids: Sequence[int], *, today: date, now: datetime
) -> History | None:
    """Writes the demo year once (None when it is there already); the caller commits."""
    if not property_ids or await has_history(session, property_ids):
        return None
    flats = await _flats(session, property_ids)
    guest_ids = await _guest_ids(session, listing_time(today))
    taken_rows = await session.execute(
        select(col(CalendarNight.property_id), col(CalendarNight.night)).where(
            col(CalendarNight.property_id).in_(property_ids),
            col(CalendarNight.night) >= today - timedelta(days=DAYS + 1),
        )
    )
    taken: dict[int, set[date]] = {}
    for pid, night in taken_rows.all():
        taken.setdefault(pid, set()).add(night)
    generator = _Generator(today, now, guest_ids)
    for flat in flats:
        generator.flat(flat, taken.get(flat.id, set()))
    history = generator.history
    await _write(session, history, flats, listed=listing_time(today))
    return history


async def _write(
    session: AsyncSession, history: History, flats: Sequence[_Flat], *, listed: datetime
) -> None:
    ids = [f.id for f in flats]
    # Listed a year ago: the listing's first price row moves back with it (p0 is the first
    # new_price of the generated changes' chain, i.e. the old price of the earliest change).
    first_prices: dict[int, int] = {}
    for row in sorted(history.prices, key=lambda r: r["changed_at"]):
        first_prices.setdefault(row["property_id"], row["old_price"])
    await session.execute(
        sa.update(Property).where(col(Property.id).in_(ids)).values(created_at=listed)
    )
    for pid, price in first_prices.items():
        first_id = await session.scalar(
            select(col(PriceHistory.id))
            .where(col(PriceHistory.property_id) == pid)
            .order_by(col(PriceHistory.changed_at), col(PriceHistory.id))
            .limit(1)
        )
        if first_id is not None:
            await session.execute(
                sa.update(PriceHistory)
                .where(col(PriceHistory.id) == first_id)
                .values(changed_at=listed, new_price=price, old_price=None)
            )
    if history.prices:
        await session.execute(sa.insert(PriceHistory), history.prices)
    # The stamp the trigger keeps (nudges read it): the last change, not the seeding time.
    last_change = (
        select(sa.func.max(col(PriceHistory.changed_at)))
        .where(col(PriceHistory.property_id) == col(Property.id))
        .scalar_subquery()
    )
    await session.execute(
        sa.update(Property).where(col(Property.id).in_(ids)).values(price_updated_at=last_change)
    )
    if history.bookings:
        await session.execute(sa.insert(Booking), history.bookings)
    if history.payments:
        await session.execute(sa.insert(Payment), history.payments)
    if history.refunds:
        rows = await session.execute(
            select(col(Payment.provider_payment_id), col(Payment.id)).where(
                col(Payment.provider_payment_id).in_([p for p, _ in history.refunds])
            )
        )
        payment_ids = dict(rows.all())
        await session.execute(
            sa.insert(Refund),
            [{**row, "payment_id": payment_ids[p]} for p, row in history.refunds],
        )
    if history.nights:
        await session.execute(sa.insert(CalendarNight), history.nights)
    if history.reviews:
        await session.execute(sa.insert(Review), history.reviews)
