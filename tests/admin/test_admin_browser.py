"""The web admin in headless Chromium (Debian `chromium`), driven over the DevTools protocol:
an owner signs in through the form, opens an apartment, sees its chart and heatmap drawn,
and is refused another owner's apartment; the dashboard, an apartment, analytics and the
bookings are drawn and photographed at 1280×800 (into docs/screenshots/ when
ZG_ADMIN_SCREENSHOTS=1, for the README; elsewhere into the test's temporary folder)."""

from __future__ import annotations

import base64
import json
import os
import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, select

from models import PriceHistory, Property, User
from models.enums import BookingStatus, PaymentMethod, Role
from tests.admin.support import (
    PASSWORD,
    almaty_today,
    booked_stay,
    change_price,
    named_guest,
    owner_block,
    person_with_password,
)
from tests.support.cdp import Page, chromium
from tests.support.factories import ALMATY, id_of, make_owner, make_property

pytestmark = pytest.mark.timeout(120)

PROPERTY_PAGE = """(() => {
  const svg = document.querySelector('svg#price-history');
  const box = svg.getBoundingClientRect();
  const cells = [...document.querySelectorAll('#occupancy-heatmap [data-night]')];
  return {
    prices: [...svg.querySelectorAll('circle.price-point')].map(c => c.dataset.price),
    polyline: svg.querySelector('polyline').getAttribute('points'),
    svg: [box.width, box.height],
    nights: cells.map(c => c.dataset.night),
    states: Object.fromEntries(cells.map(c => [c.dataset.night, c.dataset.state])),
    cellPrices: [...new Set(cells.map(c => c.dataset.price))],
    drawnCells: cells.filter(c => {
      const r = c.getBoundingClientRect();
      return r.width > 0 && r.height > 0;
    }).length,
  };
})()"""


@pytest.fixture(scope="module")
def browser() -> Iterator[str]:
    with chromium() as ws_url:
        yield ws_url


@pytest.fixture
async def page(browser: str) -> AsyncIterator[Page]:
    async with Page.connect(browser) as tab:
        yield tab
        await tab.send("Network.clearBrowserCookies")


async def sign_in(page: Page, api_url: str, user: User) -> None:
    await page.navigate(f"{api_url}/admin/login")
    await page.evaluate_and_wait_for_load(
        f"""(() => {{
          const form = document.querySelector('form');
          form.querySelector('input[name=username]').value = {json.dumps(user.email)};
          form.querySelector('input[name=password]').value = {json.dumps(PASSWORD)};
          form.querySelector('button[type=submit]').click();
        }})()"""
    )
    assert await page.evaluate("location.pathname") != "/admin/login"
    assert await page.status() == 200


async def test_owner_signs_in_and_sees_chart_and_heatmap_of_their_apartment(stack, page):
    owner = await person_with_password(stack)
    guest, _ = await make_owner(stack, role=Role.GUEST)
    prop = await make_property(stack, owner, price_per_night=20_000)
    await change_price(stack, prop, 25_000)
    await change_price(stack, prop, 22_000)
    today = almaty_today()
    await booked_stay(stack, prop, guest, today + timedelta(days=2), 3)
    await owner_block(stack, prop, today + timedelta(days=10))

    await sign_in(page, stack.api_url, owner)
    await page.navigate(f"{stack.api_url}/admin/property/details/{id_of(prop)}")
    assert await page.status() == 200
    drawn = await page.evaluate(PROPERTY_PAGE)

    assert drawn["prices"] == ["20000", "25000", "22000"]
    assert len(drawn["polyline"].split()) == 3
    width, height = drawn["svg"]
    assert width > 0 and height > 0
    assert drawn["nights"] == [(today + timedelta(days=i)).isoformat() for i in range(30)]
    assert drawn["drawnCells"] == 30
    states = drawn["states"]
    assert {n for n, s in states.items() if s == "booking"} == {
        (today + timedelta(days=i)).isoformat() for i in (2, 3, 4)
    }
    assert {n for n, s in states.items() if s == "owner"} == {
        (today + timedelta(days=10)).isoformat()
    }
    assert drawn["cellPrices"] == ["22000"]


async def test_owner_cannot_open_another_owners_apartment_in_the_browser(stack, page):
    owner = await person_with_password(stack)
    other, _ = await make_owner(stack)
    mine = await make_property(stack, owner)
    theirs = await make_property(stack, other, title="Чужая квартира на Абая")

    await sign_in(page, stack.api_url, owner)
    await page.navigate(f"{stack.api_url}/admin/property/details/{id_of(theirs)}")
    assert await page.status() == 403
    assert theirs.title not in await page.evaluate("document.body.innerText")
    assert await page.evaluate("document.querySelector('svg#price-history')") is None

    await page.navigate(f"{stack.api_url}/admin/property/details/{id_of(mine)}")
    assert await page.status() == 200


CHARTS = """(() => {
  const drawn = sel => [...document.querySelectorAll(sel)].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  }).length;
  return {
    title: document.querySelector('.page-title, .card-title')?.innerText || '',
    figures: Object.fromEntries([...document.querySelectorAll('[data-figure]')].map(
      c => [c.dataset.figure, c.querySelector('[data-shown]').innerText.trim()])),
    bars: document.querySelectorAll('svg.bars rect[data-value]').length,
    drawnCharts: drawn('svg.bars'),
    barValues: [...document.querySelectorAll('svg.bars text.value')].map(t => t.textContent),
    barTooltips: [...document.querySelectorAll('svg.bars g.bar > title')].map(t => t.textContent),
    ticks: [...document.querySelectorAll('svg text.tick, svg text.y-tick, svg text.x-tick')]
      .map(t => t.textContent),
    priceTooltips: [...document.querySelectorAll('circle.price-point > title')]
      .map(t => t.textContent),
    priceLabels: [...document.querySelectorAll('#price-history text.value')]
      .map(t => t.textContent),
    weekdays: [...document.querySelectorAll('#occupancy-heatmap .weekday')].map(d => d.innerText),
    legend: [...document.querySelectorAll('#heatmap-legend [data-legend]')]
      .map(s => s.innerText.trim()),
    metrics: [...document.querySelectorAll('#overview tr')].map(r => r.innerText),
  };
})()"""
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


async def screenshot(page: Page, folder: Path, name: str) -> Path:
    shot = await page.send("Page.captureScreenshot", format="png")
    data = base64.b64decode(shot["data"])
    assert png_size(data) == (1280, 800)
    path = folder / f"{name}.png"
    path.write_bytes(data)
    return path


async def demo_owner(stack) -> tuple[User, Property]:
    """An owner with a few apartments and a month of stays, as the README shows them."""
    owner = await person_with_password(stack, name="Ержан Омаров")
    aigerim = await named_guest(stack, "Айгерим Сапарова")
    daniyar = await named_guest(stack, "Данияр Ахметов")
    studio = await make_property(stack, owner, title="Студия у Арбата", price_per_night=20_000)
    loft = await make_property(stack, owner, title="Лофт на Сатпаева", price_per_night=30_000)
    flat = await make_property(stack, owner, title="Двушка в Медеу", price_per_night=18_000)
    for price in (25_000, 22_000, 23_000):
        await change_price(stack, studio, price)
    studio.price_per_night = 23_000
    async with stack.sessions() as session:  # the changes spread over two months
        changes = await session.execute(
            select(PriceHistory)
            .where(col(PriceHistory.property_id) == studio.id)
            .order_by(col(PriceHistory.id))
        )
        for change, days_ago in zip(changes.scalars().all(), (60, 41, 23, 6), strict=True):
            change.changed_at = datetime.now(ALMATY) - timedelta(days=days_ago)
        await session.commit()
    today = almaty_today()
    await booked_stay(stack, studio, aigerim, today, 2, paid=True)
    await booked_stay(stack, loft, daniyar, today - timedelta(days=3), 3, paid=True)
    await booked_stay(stack, studio, daniyar, today - timedelta(days=12), 4, paid=True)
    await booked_stay(stack, flat, aigerim, today - timedelta(days=20), 5, paid=True)
    await booked_stay(stack, loft, aigerim, today + timedelta(days=6), 4, paid=True)
    await booked_stay(stack, studio, aigerim, today + timedelta(days=9), 3, paid=True)
    await booked_stay(
        stack,
        flat,
        daniyar,
        today + timedelta(days=3),
        2,
        status=BookingStatus.PENDING_PAYMENT,
        method=PaymentMethod.MANUAL,
    )
    await booked_stay(
        stack,
        loft,
        daniyar,
        today - timedelta(days=8),
        2,
        status=BookingStatus.CANCELLED,
        paid=True,
        refund=30_000,
        holds_nights=False,
    )
    await owner_block(stack, studio, today + timedelta(days=16))
    await owner_block(stack, studio, today + timedelta(days=17))
    return owner, studio


async def test_owner_sees_dashboard_apartment_and_analytics_drawn(stack, page, tmp_path):
    owner, studio = await demo_owner(stack)
    folder = SCREENSHOTS if os.environ.get("ZG_ADMIN_SCREENSHOTS") else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    await page.send(
        "Emulation.setDeviceMetricsOverride",
        width=1280,
        height=800,
        deviceScaleFactor=1,
        mobile=False,
    )
    await sign_in(page, stack.api_url, owner)

    await page.navigate(f"{stack.api_url}/admin/")
    assert await page.status() == 200
    home = await page.evaluate(CHARTS)
    assert home["title"].startswith("Сегодня")
    assert home["figures"]["arrivals"] == "1" and home["figures"]["departures"] == "1"
    assert home["figures"]["invoices"] == "1"
    assert home["figures"]["occupancy"].endswith("%")
    assert home["figures"]["revenue"].endswith("₸")
    assert home["bars"] == 3 and all(v.endswith("%") for v in home["barValues"])
    assert "0 %" in home["ticks"] and "100 %" in home["ticks"]
    await screenshot(page, folder, "dashboard")

    await page.navigate(f"{stack.api_url}/admin/property/details/{id_of(studio)}")
    assert await page.status() == 200
    apartment = await page.evaluate(CHARTS)
    assert apartment["priceLabels"] == ["20 000 ₸", "25 000 ₸", "22 000 ₸", "23 000 ₸"]
    assert all(t.endswith("— 23 000 ₸") for t in apartment["priceTooltips"][-1:])
    assert any(t.endswith(" ₸") for t in apartment["ticks"])  # the price axis
    assert any(re.fullmatch(r"\d\d\.\d\d\.\d{4}", t) for t in apartment["ticks"])  # dates
    assert apartment["weekdays"] == ["Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс"]
    assert [s.split(" — ")[0] for s in apartment["legend"]] == [
        "свободно",
        "бронь",
        "закрыто владельцем",
        "занято в другом календаре",
    ]
    await screenshot(page, folder, "apartment")

    await page.navigate(f"{stack.api_url}/admin/analytics?period=30d")
    assert await page.status() == 200
    analytics = await page.evaluate(CHARTS)
    assert any(m.startswith("Выручка\t") and "₸" in m for m in analytics["metrics"])
    assert any(m.startswith("Доля отмен\t") and "%" in m for m in analytics["metrics"])
    assert analytics["bars"] == 6  # revenue and occupancy of three apartments
    assert any(t.startswith("Студия у Арбата: ") for t in analytics["barTooltips"])
    await screenshot(page, folder, "analytics")

    await page.navigate(f"{stack.api_url}/admin/booking/list")
    assert await page.status() == 200
    text = await page.evaluate("document.body.innerText")
    assert "46 000 ₸" in text and "Айгерим Сапарова" in text
    await screenshot(page, folder, "bookings")
