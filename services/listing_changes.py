"""What changed about one apartment, told by the activities that change it.

The search cache listens: it forgets only the pages that could show this apartment (same
city / district / class), dated pages only for the months whose nights moved.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from core.logging import get_logger

log = get_logger(__name__)


@dataclass(frozen=True)
class ListingChange:
    property_id: int
    # Nights taken or freed: searches with dates over them must ask the database again.
    nights: tuple[date, ...] = field(default=())
    # Something the card shows changed (status, rating): every page listing it goes.
    card: bool = False

    @classmethod
    def of(
        cls, property_id: int, nights: Iterable[date] = (), *, card: bool = False
    ) -> ListingChange:
        return cls(property_id=property_id, nights=tuple(sorted(set(nights))), card=card)

    @property
    def empty(self) -> bool:
        return not self.nights and not self.card


ListingListener = Callable[[ListingChange], Awaitable[None]]


async def announce(listener: ListingListener | None, change: ListingChange) -> None:
    """Tells the listener; a failure never undoes the change (stale pages live until TTL)."""
    if listener is None or change.empty:
        return
    try:
        await listener(change)
    except Exception as exc:
        log.warning(
            "listing change not announced", property_id=change.property_id, error=type(exc).__name__
        )
