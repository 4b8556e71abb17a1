"""The guest journey's one entry point for the adapters: the step the conversation is on
decides which part answers (search, booking, my bookings, favourites, review); "back" from
an apartment's dates returns to the results or the favourites it was opened from."""

from __future__ import annotations

from bots.journey import booking, favourites, my_bookings, review, search
from bots.journey.context import Journey
from bots.journey.payment import renew_link
from bots.journey.screens import Leave, Out, Said

STEPS = booking.STEPS | search.STEPS | my_bookings.STEPS | favourites.STEPS | review.STEPS

__all__ = [
    "STEPS",
    "answer",
    "favourites",
    "my_bookings",
    "renew_link",
    "review",
    "search",
    "start_search",
]


async def start_search(j: Journey) -> list[Out]:
    return await search.start(j)


async def answer(j: Journey, said: Said) -> list[Out]:
    step = str(j.state.get("step"))
    if said.picked == "search":  # "🔍 Поиск квартир" offered under a list
        return await search.start(j)
    if step in booking.STEPS:
        return await _resolved(j, await booking.answer(j, said))
    if step in my_bookings.STEPS:
        return await my_bookings.answer(j, said)
    if step in favourites.STEPS:
        return await _resolved(j, await favourites.answer(j, said))
    if step in review.STEPS:
        return await review.answer(j, said)
    return await search.answer(j, said)


async def _resolved(j: Journey, outs: list[Out]) -> list[Out]:
    """A `Leave` from the dates becomes the list the apartment was opened from."""
    if not outs or not isinstance(outs[-1], Leave):
        return outs
    origin = j.state.get("origin")
    if origin == "results":
        return [*outs[:-1], *await search.results(j)]
    if origin == "favourites":
        return [*outs[:-1], *await favourites.show(j)]
    return outs
