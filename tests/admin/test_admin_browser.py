"""The web admin in headless Chromium (Debian `chromium`), driven over the DevTools protocol:
an owner signs in through the form, opens an apartment, sees its chart and heatmap drawn,
and is refused another owner's apartment."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import pytest

from models import User
from models.enums import Role
from tests.admin.support import (
    PASSWORD,
    almaty_today,
    booked_stay,
    change_price,
    owner_block,
    person_with_password,
)
from tests.support.cdp import Page, chromium
from tests.support.factories import id_of, make_owner, make_property

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
