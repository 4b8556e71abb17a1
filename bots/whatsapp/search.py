"""Search: city → district → class → rooms ("any" everywhere), results as one numbered list
per page (photos come with the opened apartment), paging, and changing one filter while the
others are kept."""

from __future__ import annotations

import math

from bots import cards
from bots.texts import t
from bots.whatsapp.context import Ctx
from bots.whatsapp.screens import Choice, Menu, Out
from models.enums import PropertyClass
from services import search_options
from services.search import SearchFilters
from services.search_places import same_city, same_district

PAGE_SIZE = 5
ANY = "any"
STEPS = ("city", "district", "class", "rooms")


def _any(lang: str) -> Choice:
    return (ANY, t("search_btn_any", lang))


async def ask(ctx: Ctx, step: str) -> list[Out]:
    """The prompt of one filter step."""
    lang, filters = ctx.lang, ctx.state.setdefault("filters", {})
    ctx.state["step"] = step
    async with ctx.deps.sessions() as session:
        if step == "city":
            options = [(c, cards.city_label(c, lang)) for c in await search_options.cities(session)]
            return [Menu(t("search_choose_city", lang), [*options[:9], _any(lang)])]
        if step == "district":
            names = await search_options.districts(session, filters.get("city"))
            options = [(d, cards.district_label(d, lang)) for d in names[:9]]
            return [Menu(t("search_choose_district", lang), [*options, _any(lang)])]
    if step == "class":
        classes = [(c.value, t(f"search_class_{c.value}", lang)) for c in PropertyClass]
        return [Menu(t("search_choose_class", lang), [*classes, _any(lang)])]
    rooms = [("1", "1"), ("2", "2"), ("3", "3"), ("4+", "4+")]
    return [Menu(t("search_choose_rooms", lang), [*rooms, _any(lang)])]


async def typed(ctx: Ctx, step: str, text: str) -> list[Out] | None:
    """A city or district typed by name, also one beyond the ten a list can show."""
    wanted = text.strip()
    async with ctx.deps.sessions() as session:
        if step == "city":
            known = await search_options.cities(session)
            found = next((c for c in known if same_city(wanted, c)), None)
        elif step == "district":
            city = ctx.state.get("filters", {}).get("city")
            known = await search_options.districts(session, city)
            found = next((d for d in known if same_district(wanted, d)), None)
        else:
            return None
    return await answer(ctx, step, found) if found else None


async def start(ctx: Ctx) -> list[Out]:
    ctx.state.update(filters={}, refining=False, page=1)
    return await ask(ctx, "city")


async def answer(ctx: Ctx, step: str, choice: str) -> list[Out]:
    """A filter chosen: the next step, or — while refining — the results straight away."""
    filters = ctx.state.setdefault("filters", {})
    value = None if choice == ANY else choice
    if step == "city":
        filters["city"] = value
        filters.pop("district", None)  # a district belongs to its city
    elif step == "district":
        filters["district"] = value
    elif step == "class":
        filters["property_class"] = value
    else:
        filters["rooms"] = None if value in (None, "4+") else int(value)
        filters["min_rooms"] = 4 if value == "4+" else None
    if ctx.state.get("refining") and step != "city":
        ctx.state["page"] = 1
        return await results(ctx)
    following = STEPS.index(step) + 1
    if following < len(STEPS):
        return await ask(ctx, STEPS[following])
    ctx.state.update(page=1, refining=True)
    return await results(ctx)


async def results(ctx: Ctx) -> list[Out]:
    lang, f = ctx.lang, ctx.state.get("filters", {})
    page = int(ctx.state.get("page", 1))
    filters = SearchFilters(
        city=f.get("city"),
        district=f.get("district"),
        property_class=PropertyClass(f["property_class"]) if f.get("property_class") else None,
        rooms=f.get("rooms"),
        min_rooms=f.get("min_rooms"),
    )
    async with ctx.deps.sessions() as session:
        found = await ctx.deps.search.search(session, filters, page=page, page_size=PAGE_SIZE)
    ctx.state["step"] = "results"
    nav: list[Choice] = [
        ("refine", t("wa_btn_refine", lang)),
        ("new", t("search_btn_new", lang)),
        ("menu", t("btn_main_menu", lang)),
    ]
    if not found.items:
        return [Menu(t("search_empty", lang), [nav[1], nav[2]])]
    first = (page - 1) * PAGE_SIZE + 1
    picks: list[Choice] = []
    numbers: dict[str, str] = {}
    for n, card in enumerate(found.items, first):
        picks.append((f"prop:{card.id}", f"🏠 {n}. {card.title}"))
        numbers[str(n)] = f"prop:{card.id}"  # the number on the list, typed
    ctx.state["numbers"] = numbers
    pages = max(1, math.ceil(found.total / PAGE_SIZE))
    if page > 1:
        picks.append(("page:prev", t("wa_btn_prev", lang)))
    if page < pages:
        picks.append(("page:next", t("search_btn_next", lang)))
    body = cards.results_text(
        found.items, first=first, total=found.total, page=page, pages=pages, filters=f, lang=lang
    )
    body += "\n\n" + t("wa_pick_apartment", lang)
    return [Menu(body, [*picks, *nav][:10], numbered=False)]


def refine_menu(ctx: Ctx) -> list[Out]:
    lang = ctx.lang
    ctx.state["step"] = "refine"
    return [
        Menu(
            t("wa_refine_prompt", lang),
            [
                ("city", t("search_btn_city", lang)),
                ("district", t("search_btn_district", lang)),
                ("class", t("search_btn_class", lang)),
                ("rooms", t("search_btn_rooms", lang)),
            ],
        )
    ]
