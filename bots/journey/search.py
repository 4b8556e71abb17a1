"""Search the way guests think: when (typed dates, a quick choice, or "not fixed yet") →
how many guests → where (city, then district or "any") → budget per night → results: only
apartments free for every night and taking that many guests, cheapest first. Class, rooms,
sorting and every earlier answer can be changed from the results; the other filters are kept.

State keys: `filters` (city, district, property_class, rooms, min_rooms, check_in,
check_out, guests, price_min, price_max, sort — JSON values), `page`, `refining`,
`numbers` (a typed list number → its apartment).
"""

from __future__ import annotations

import math
import re
from datetime import date, timedelta
from typing import Any

from bots import cards
from bots.journey import booking
from bots.journey.context import Journey
from bots.journey.screens import BACK, Choice, Home, Menu, Out, Said, Text
from bots.texts import t
from models.enums import PropertyClass
from models.pricing import MAX_PRICE
from services import search_options
from services.date_ranges import RangeError, parse_stay
from services.search import SearchFilters, SearchSort
from services.search_places import same_city, same_district

PAGE_SIZE = 5
ANY = "any"
MAX_SEARCH_NIGHTS = 90
MAX_GUESTS_TYPED = 50
GUEST_BUTTONS = 8
MAX_ROOMS = 20
ROOM_CHOICES = ("1", "2", "3", "4+")
# Per-night budgets offered as buttons (any other range can be typed: "до 30000", "20-35 тыс").
BUDGETS: tuple[tuple[int | None, int | None], ...] = (
    (None, 15_000),
    (15_000, 25_000),
    (25_000, 40_000),
    (40_000, None),
)
# The first steps of a new search, in order; class and rooms are asked only when refining.
FIRST_STEPS = ("search_when", "search_guests", "search_city", "search_district", "search_budget")
STEPS = frozenset({*FIRST_STEPS, "search_class", "search_rooms", "results", "refine", "sort"})
REFINABLE = (
    ("search_when", "search_btn_dates"),
    ("search_guests", "search_btn_guests"),
    ("search_city", "search_btn_city"),
    ("search_district", "search_btn_district"),
    ("search_budget", "search_btn_budget"),
    ("search_class", "search_btn_class"),
    ("search_rooms", "search_btn_rooms"),
)
_NUMBER = re.compile(r"\d[\d\s]*")


def _filters(j: Journey) -> dict[str, Any]:
    filters: dict[str, Any] = j.state.setdefault("filters", {})
    return filters


def _back(lang: str) -> Choice:
    return (BACK, t("btn_back", lang))


async def start(j: Journey) -> list[Out]:
    j.state.clear()
    j.state.update(filters={}, refining=False, page=1)
    return await ask(j, "search_when")


async def ask(j: Journey, step: str, notice: str = "") -> list[Out]:
    """The prompt of one search step, with its options; `notice` says why it is asked again."""
    lang, filters = j.lang, _filters(j)
    j.state["step"] = step
    body: str
    choices: list[Choice]
    width = 2
    counts = False
    if step == "search_when":
        body = t("search_when_prompt", lang)
        choices = [
            ("when:today", t("search_btn_tonight", lang)),
            ("when:tomorrow", t("search_btn_tomorrow", lang)),
            ("when:weekend", t("search_btn_weekend", lang)),
            ("when:none", t("search_btn_dates_unknown", lang)),
        ]
        width = 1
    elif step == "search_guests":
        body = t("search_guests_prompt", lang)
        choices = [(f"g:{n}", str(n)) for n in range(1, GUEST_BUTTONS + 1)]
        width, counts = 4, True
    elif step == "search_city":
        async with j.deps.sessions() as session:
            names = await search_options.cities(session)
        if not names:
            return [Home(t("search_no_cities", lang))]
        body = t("search_choose_city", lang)
        choices = [(c, cards.city_label(c, lang)) for c in names[:8]]
        choices.append((ANY, t("search_btn_any", lang)))
    elif step == "search_district":
        async with j.deps.sessions() as session:
            names = await search_options.districts(session, filters.get("city"))
        body = t("search_choose_district", lang)
        labels = dict.fromkeys(names[:8])
        choices = [(d, cards.district_label(d, lang)) for d in labels]
        choices.append((ANY, t("search_btn_any", lang)))
    elif step == "search_budget":
        body = t("search_budget_prompt", lang)
        choices = [
            (f"b:{low or ''}-{high or ''}", budget_label(low, high, lang)) for low, high in BUDGETS
        ]
        choices.append((ANY, t("search_btn_any_budget", lang)))
        width = 1
    elif step == "search_class":
        body = t("search_choose_class", lang)
        choices = [(c.value, t(f"search_class_{c.value}", lang)) for c in PropertyClass]
        choices.append((ANY, t("search_btn_any", lang)))
    elif step == "search_rooms":
        body = t("search_choose_rooms", lang)
        choices = [(r, r) for r in ROOM_CHOICES]
        choices.append((ANY, t("search_btn_any", lang)))
        width, counts = 4, True
    else:  # a step this search does not know (state of an older version): start over
        return await start(j)
    if j.state.get("refining") and not notice:
        body += "\n" + t("search_current", lang, value=summary(filters, lang))
    choices.append(_back(lang))
    text = f"{notice}\n\n{body}" if notice else body
    return [Menu(text, choices, width=width, counts=counts)]


async def answer(j: Journey, said: Said) -> list[Out]:
    """The guest's answer on a search step."""
    step = str(j.state.get("step"))
    if step == "results":
        return await _results_answer(j, said)
    if step == "refine":
        if said.picked not in {s for s, _ in REFINABLE}:
            return await results(j)
        j.state["refining"] = True
        return await ask(j, str(said.picked))
    if step == "sort":
        if said.picked in {s.value for s in SearchSort}:
            _filters(j)["sort"] = said.picked
        return await _show(j)
    if step not in STEPS:  # no step (a cleared state) or one of an older version
        return [Home(t("main_menu", j.lang))]
    if said.picked == BACK:
        return await _step_back(j, step)
    return await _step_answer(j, step, said)


async def _step_back(j: Journey, step: str) -> list[Out]:
    if j.state.get("refining"):
        return await results(j)
    if step in FIRST_STEPS and FIRST_STEPS.index(step) > 0:
        return await ask(j, FIRST_STEPS[FIRST_STEPS.index(step) - 1])
    return [Home(t("main_menu", j.lang))]


async def _step_answer(j: Journey, step: str, said: Said) -> list[Out]:
    lang, filters = j.lang, _filters(j)
    picked = said.picked
    if step == "search_when":
        refusal = _when(j, picked, said.text)
        if refusal:
            return await ask(j, step, refusal)
    elif step == "search_guests":
        guests = _count(said, "g:")
        if guests is None or not 1 <= guests <= MAX_GUESTS_TYPED:
            return await ask(j, step, t("search_guests_not_number", lang, high=MAX_GUESTS_TYPED))
        filters["guests"] = guests
    elif step in ("search_city", "search_district"):
        found = picked if picked is not None else await _typed_place(j, step, said.text)
        if found is None:
            key = "search_unknown_city" if step == "search_city" else "search_unknown_district"
            return await ask(j, step, t(key, lang))
        value = None if found == ANY else found
        if step == "search_city":
            moved = (value or "").casefold() != (filters.get("city") or "").casefold()
            filters["city"] = value
            if moved and filters.get("district"):
                filters["district"] = None  # a district belongs to its city
                if j.state.get("refining"):
                    return await ask(j, "search_district", t("search_district_again", lang))
        else:
            filters["district"] = value
    elif step == "search_budget":
        budget = _budget(picked, said.text)
        if budget is None:
            return await ask(j, step, t("search_budget_not_understood", lang))
        filters["price_min"], filters["price_max"] = budget
    elif step == "search_class":
        if picked is None:
            return await ask(j, step, t("search_unknown_class", lang))
        filters["property_class"] = None if picked == ANY else picked
    else:  # search_rooms
        rooms = picked if picked is not None else said.text.strip()
        if rooms != ANY and rooms not in ROOM_CHOICES:
            if not (rooms.isascii() and rooms.isdigit()):
                return await ask(j, step, t("search_rooms_not_number", lang))
            if not 1 <= int(rooms) <= MAX_ROOMS:
                return await ask(j, step, t("search_rooms_out_of_range", lang, high=MAX_ROOMS))
        filters["rooms"] = None if rooms in (ANY, "4+") else int(rooms)
        filters["min_rooms"] = 4 if rooms == "4+" else None
    if j.state.get("refining") or step not in FIRST_STEPS or step == FIRST_STEPS[-1]:
        return await _show(j)
    return await ask(j, FIRST_STEPS[FIRST_STEPS.index(step) + 1])


def _when(j: Journey, picked: str | None, text: str) -> str:
    """Keeps the stay asked for; a refusal's words when it cannot be searched."""
    filters, lang, today = _filters(j), j.lang, j.today()
    stay: tuple[date, int] | None
    if picked == "when:none":
        stay = None
    elif picked == "when:today":
        stay = (today, 1)
    elif picked == "when:tomorrow":
        stay = (today + timedelta(days=1), 1)
    elif picked == "when:weekend":
        friday = today + timedelta(days=(4 - today.weekday()) % 7)
        stay = (friday, 2)
    else:
        parsed = parse_stay(text, today)
        if isinstance(parsed, RangeError):
            return t(f"bk_typed_{parsed.problem.value}", lang)
        stay = (parsed.check_in, parsed.nights)
        horizon = today + timedelta(days=j.deps.settings.booking_horizon_days)
        if parsed.check_in > horizon:
            return t("bk_typed_beyond_horizon", lang, last=f"{horizon:%d.%m.%Y}")
        if parsed.nights > MAX_SEARCH_NIGHTS:
            return t("search_too_many_nights", lang, high=MAX_SEARCH_NIGHTS)
    if stay is None:
        filters["check_in"] = filters["check_out"] = None
    else:
        filters["check_in"] = stay[0].isoformat()
        filters["check_out"] = (stay[0] + timedelta(days=stay[1])).isoformat()
    return ""


def _count(said: Said, prefix: str) -> int | None:
    if said.picked and said.picked.startswith(prefix):
        return int(said.picked.removeprefix(prefix))
    typed = said.text.strip()
    return int(typed) if typed.isascii() and typed.isdigit() and len(typed) <= 3 else None


async def _typed_place(j: Journey, step: str, text: str) -> str | None:
    """A city or district typed by name, also one beyond those the buttons show."""
    wanted = text.strip()
    async with j.deps.sessions() as session:
        if step == "search_city":
            known = await search_options.cities(session)
            return next((c for c in known if same_city(wanted, c)), None)
        known = await search_options.districts(session, _filters(j).get("city"))
        return next((d for d in known if same_district(wanted, d)), None)


def _budget(picked: str | None, text: str) -> tuple[int | None, int | None] | None:
    """A budget button ("b:15000-25000", "any") or a typed one: "до 30000", "от 20 000",
    "20000-35000", "30 тыс"; None when it is not a budget."""
    if picked == ANY:
        return None, None
    if picked and picked.startswith("b:"):
        lowest, _, highest = picked.removeprefix("b:").partition("-")
        return (int(lowest) if lowest else None), (int(highest) if highest else None)
    typed = text.casefold()
    thousands = 1000 if re.search(r"тыс|мың|k\b|к\b", typed) else 1
    numbers = [int(re.sub(r"\D", "", n)) * thousands for n in _NUMBER.findall(typed)]
    numbers = [n * 1000 if n < 1000 else n for n in numbers]  # "до 30" is 30 000 ₸
    numbers = [min(n, MAX_PRICE) for n in numbers]  # what a night may cost at all
    if len(numbers) == 2:
        low, high = sorted(numbers)
        return low, high
    if len(numbers) == 1:
        if re.search(r"\b(от|from|бастап)\b", typed):
            return numbers[0], None
        return None, numbers[0]
    return None


def budget_label(low: int | None, high: int | None, lang: str) -> str:
    if low is None and high is not None:
        return t("search_budget_upto", lang, high=f"{high:,}".replace(",", " "))
    if high is None and low is not None:
        return t("search_budget_from", lang, low=f"{low:,}".replace(",", " "))
    return t(
        "search_budget_range",
        lang,
        low=f"{low or 0:,}".replace(",", " "),
        high=f"{high or 0:,}".replace(",", " "),
    )


def summary(filters: dict[str, Any], lang: str) -> str:
    """Everything asked so far, as the results' head reads it."""
    parts: list[str] = []
    if filters.get("check_in") and filters.get("check_out"):
        check_in = date.fromisoformat(filters["check_in"])
        check_out = date.fromisoformat(filters["check_out"])
        parts.append(f"{check_in:%d.%m}–{check_out:%d.%m}")
    if filters.get("guests"):
        parts.append(t("search_guests_value", lang, guests=int(filters["guests"])))
    city, district, klass, rooms = cards.filter_labels(filters, lang)
    parts += [city, district]
    if filters.get("property_class"):
        parts.append(klass)
    if filters.get("rooms") or filters.get("min_rooms"):
        parts.append(rooms)
    if filters.get("price_min") or filters.get("price_max"):
        parts.append(budget_label(filters.get("price_min"), filters.get("price_max"), lang))
    return " · ".join(parts)


def search_filters(filters: dict[str, Any]) -> SearchFilters:
    klass = filters.get("property_class")
    return SearchFilters(
        city=filters.get("city"),
        district=filters.get("district"),
        property_class=PropertyClass(klass) if klass else None,
        rooms=filters.get("rooms"),
        min_rooms=filters.get("min_rooms"),
        check_in=date.fromisoformat(filters["check_in"]) if filters.get("check_in") else None,
        check_out=date.fromisoformat(filters["check_out"]) if filters.get("check_out") else None,
        guests=filters.get("guests"),
        price_min=filters.get("price_min"),
        price_max=filters.get("price_max"),
        sort=SearchSort(filters.get("sort") or SearchSort.PRICE.value),
    )


async def _show(j: Journey) -> list[Out]:
    j.state.update(page=1, refining=False)
    return await results(j)


async def results(j: Journey) -> list[Out]:
    """One page of the numbered list: each apartment to open (by button or number), paging,
    changing a filter, sorting, a new search."""
    lang, filters = j.lang, _filters(j)
    page = max(1, int(j.state.get("page", 1)))
    query = search_filters(filters)
    async with j.deps.sessions() as session:
        found = await j.deps.search.search(session, query, page=page, page_size=PAGE_SIZE)
        if found.total and not found.items:  # the list shrank since this page was drawn
            page = math.ceil(found.total / PAGE_SIZE)
            found = await j.deps.search.search(session, query, page=page, page_size=PAGE_SIZE)
    j.state.update(step="results", page=page, refining=False)
    tools: list[Choice] = [
        ("refine", t("wa_btn_refine", lang)),
        ("sort", t("search_btn_sort", lang)),
        ("new", t("search_btn_new", lang)),
    ]
    if not found.items:
        j.state["numbers"] = {}
        return [Menu(t("search_empty", lang) + "\n" + summary(filters, lang), tools, width=1)]
    first = (page - 1) * PAGE_SIZE + 1
    picks: list[Choice] = []
    numbers: dict[str, str] = {}
    for n, card in enumerate(found.items, first):
        picks.append((f"prop:{card.id}", f"🏠 {n}. {cards.clip(card.title, 24)}"))
        numbers[str(n)] = f"prop:{card.id}"
    j.state["numbers"] = numbers
    pages = max(1, math.ceil(found.total / PAGE_SIZE))
    if page > 1:
        picks.append(("page:prev", t("wa_btn_prev", lang)))
    if page < pages:
        picks.append(("page:next", t("search_btn_next", lang)))
    head = t(
        "search_found",
        lang,
        total=found.total,
        filters=summary(filters, lang),
        page=page,
        pages=pages,
    )
    with_city = not filters.get("city")
    lines = [
        cards.list_line(c, n, lang, with_city=with_city) for n, c in enumerate(found.items, first)
    ]
    body = head + "\n\n" + "\n".join(lines) + "\n\n" + t("wa_pick_apartment", lang)
    # A typed number is the apartment of that number on the list (`numbers`), not a row.
    return [Menu(body, [*picks, *tools], numbered=False, width=1, counts=True)]


async def _results_answer(j: Journey, said: Said) -> list[Out]:
    lang = j.lang
    picked = said.picked or (j.state.get("numbers") or {}).get(said.text.strip())
    if picked is None:
        return [Text(t("search_unknown_pick", lang)), *await results(j)]
    kind, _, value = picked.partition(":")
    if kind == "prop":
        return await booking.open_apartment(j, int(value), origin="results")
    if kind == "page":
        j.state["page"] = int(j.state.get("page", 1)) + (1 if value == "next" else -1)
        return await results(j)
    if picked == "refine":
        j.state["step"] = "refine"
        choices = [(step, t(key, lang)) for step, key in REFINABLE]
        choices.append(_back(lang))
        return [Menu(t("wa_refine_prompt", lang), choices, width=2)]
    if picked == "sort":
        j.state["step"] = "sort"
        choices = [(s.value, t(f"search_sort_{s.name.lower()}", lang)) for s in SearchSort]
        return [Menu(t("search_sort_prompt", lang), [*choices, _back(lang)], width=1)]
    return await start(j)  # "new"
