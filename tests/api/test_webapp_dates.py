"""The dates Mini App (/webapp/dates) in headless Chromium: an apartment's month calendar
from the calendar endpoint — taken nights disabled, nightly prices shown, min/max nights
enforced while picking — and "done" posts the chosen range through Telegram.WebApp.sendData
(stubbed here: Telegram's own script is blocked, as offline)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta
from typing import Any

import pytest

from core.clock import today_local
from tests.support.cdp import Page, chromium
from tests.support.factories import id_of, make_owner, make_property
from tests.support.lifecycle import book

pytestmark = pytest.mark.timeout(120)

TELEGRAM_STUB = """
window.Telegram = {WebApp: {
  sent: null,
  ready() {}, expand() {},
  sendData(data) { window.__sent = data; },
  MainButton: {text: "", visible: false,
    setText(t) { this.text = t; return this; }, show() { this.visible = true; return this; },
    hide() { this.visible = false; return this; }, onClick(f) { this.click = f; }},
}};
"""
MONTHS = "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь"


@pytest.fixture(scope="module")
def browser() -> Iterator[str]:
    with chromium() as ws_url:
        yield ws_url


@pytest.fixture
async def page(browser: str) -> AsyncIterator[Page]:
    async with Page.connect(browser) as tab:
        await tab.send("Network.enable")
        await tab.send("Network.setBlockedURLs", urls=["*telegram.org*"])
        await tab.send("Page.addScriptToEvaluateOnNewDocument", source=TELEGRAM_STUB)
        yield tab


async def until_ready(page: Page) -> None:
    for _ in range(100):
        if await page.evaluate("document.body.dataset.ready || ''"):
            return
        await asyncio.sleep(0.05)
    raise AssertionError("the calendar never loaded")


async def cell(page: Page, day: Any) -> dict[str, Any]:
    """The day's button as the guest sees it: disabled or not, its price, its marks."""
    found: dict[str, Any] = await page.evaluate(
        f"""(() => {{
          const b = document.querySelector('[data-date="{day.isoformat()}"]');
          if (!b) return null;
          return {{disabled: b.disabled, text: b.textContent, classes: [...b.classList]}};
        }})()"""
    )
    assert found is not None, f"{day} is not drawn"
    return found


async def show_month(page: Page, day: Any) -> None:
    wanted = f"{MONTHS.split()[day.month - 1]} {day.year}"
    for _ in range(14):
        if await page.evaluate("document.getElementById('month').textContent") == wanted:
            return
        await page.evaluate("document.getElementById('next').click()")
    raise AssertionError(f"{wanted} never shown")


async def click(page: Page, day: Any) -> None:
    await page.evaluate(f"""document.querySelector('[data-date="{day.isoformat()}"]').click()""")


async def test_taken_nights_are_disabled_and_a_range_is_sent_to_the_bot(stack, page):
    owner, _ = await make_owner(stack)
    prop = await make_property(
        stack, owner, price_per_night=23_000, min_nights=2, max_nights=5, cleaning_fee=0
    )
    today = today_local()
    taken = today + timedelta(days=40)
    await book(stack, id_of(prop), taken, taken + timedelta(days=2))  # nights +40 and +41
    until = today + timedelta(days=365)

    api = str(stack.http.base_url).rstrip("/")
    query = f"property={prop.id}&lang=ru&from={today.isoformat()}&until={until.isoformat()}"
    await page.navigate(f"{api}/webapp/dates?{query}")
    await until_ready(page)
    assert await page.evaluate("document.body.dataset.ready") == "1"
    assert await page.evaluate("document.getElementById('status').textContent") == (
        "Выберите дату заезда"
    )
    await show_month(page, taken)

    for night in (taken, taken + timedelta(days=1)):
        assert (await cell(page, night))["disabled"], night  # booked
    # Two nights at least: the day before a taken night is no check-in either.
    assert (await cell(page, taken - timedelta(days=1)))["disabled"]
    free = taken + timedelta(days=2)
    assert not (await cell(page, free))["disabled"]
    assert "23k" in (await cell(page, free))["text"]  # the night's price

    await show_month(page, free)
    await click(page, free)
    status = await page.evaluate("document.getElementById('status').textContent")
    assert status == "Теперь дату выезда: от 2 до 5 ночей"
    assert (await cell(page, free + timedelta(days=1)))["disabled"]  # one night: too short
    await show_month(page, free + timedelta(days=6))
    assert (await cell(page, free + timedelta(days=6)))["disabled"]  # six nights: too long
    await show_month(page, free + timedelta(days=3))
    await click(page, free + timedelta(days=3))
    status = await page.evaluate("document.getElementById('status').textContent")
    assert status.endswith(": 3 ночи, 69 000 ₸ без уборки"), status
    assert await page.evaluate("Telegram.WebApp.MainButton.visible") is True

    await page.evaluate("document.getElementById('done').click()")
    sent = json.loads(await page.evaluate("window.__sent"))
    assert sent == {
        "check_in": free.isoformat(),
        "check_out": (free + timedelta(days=3)).isoformat(),
        "property": prop.id,  # so an older calendar's answer cannot book another apartment
    }


async def test_the_page_and_its_assets_are_served_with_a_strict_policy(stack):
    page = await stack.http.get("/webapp/dates")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]
    policy = page.headers["content-security-policy"]
    assert "script-src 'self' https://telegram.org" in policy
    assert "frame-ancestors https://web.telegram.org" in policy
    script = await stack.http.get("/webapp/dates.js")
    assert script.status_code == 200 and "sendData" in script.text
    assert (await stack.http.get("/webapp/secrets.txt")).status_code == 404
