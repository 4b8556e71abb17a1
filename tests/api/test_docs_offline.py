"""/docs (Swagger UI) and /redoc with no internet: their pages name only assets the API serves
itself (from the installed fastapi-offline package, api/docs.py), and headless Chromium
draws the operations from /openapi.json. Screenshots: /tmp/docs.png and /tmp/redoc.png."""

from __future__ import annotations

import asyncio
import base64
import json
import re
import tempfile
from collections.abc import AsyncIterator, Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from api.docs import DOCS_STATIC_URL
from tests.support.cdp import Page, chromium
from tests.support.factories import eventually

pytestmark = pytest.mark.timeout(180)

JS_TYPES = {"text/javascript", "application/javascript"}
ASSET_TYPES = {
    "swagger-ui-bundle.js": JS_TYPES,
    "swagger-ui.css": {"text/css"},
    "redoc.standalone.js": JS_TYPES,
    "favicon.png": {"image/png"},
}


class AssetRefs(HTMLParser):
    """Every URL a page loads by markup: script src, link href, img src."""

    def __init__(self) -> None:
        super().__init__()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (tag, name) in {("script", "src"), ("link", "href"), ("img", "src")}:
                self.refs.append(value)


def asset_refs(html: str) -> list[str]:
    parser = AssetRefs()
    parser.feed(html)
    return parser.refs


@pytest.mark.parametrize(
    ("page_path", "assets"),
    [
        ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
        ("/redoc", {"redoc.standalone.js", "favicon.png"}),
    ],
)
async def test_docs_pages_load_only_local_assets(stack, page_path, assets):
    response = await stack.http.get(page_path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    html = response.text

    # No URL of any host at all: not in markup, not in the inline script.
    assert re.findall(r"https?://", html) == []
    refs = asset_refs(html)
    assert {ref.rsplit("/", 1)[-1] for ref in refs} == assets
    for ref in refs:
        assert ref.startswith(DOCS_STATIC_URL + "/"), ref
        asset = await stack.http.get(ref)
        assert asset.status_code == 200, ref
        media_type = asset.headers["content-type"].split(";")[0].strip()
        assert media_type in ASSET_TYPES[ref.rsplit("/", 1)[-1]], (ref, media_type)
        assert len(asset.content) > 1000, ref
    policy = response.headers["content-security-policy"]
    assert "default-src 'none'" in policy and "connect-src 'self'" in policy


async def test_swagger_oauth2_redirect_and_openapi_schema_still_served(stack):
    redirect = await stack.http.get("/docs/oauth2-redirect")
    schema = await stack.http.get("/openapi.json")

    assert redirect.status_code == 200 and "oauth2" in redirect.text.lower()
    assert schema.status_code == 200
    assert "/api/v1/bookings" in schema.json()["paths"]
    # The docs themselves are no operations of the API.
    assert not {"/docs", "/redoc", "/docs/oauth2-redirect"} & set(schema.json()["paths"])


RECORD_CSP_VIOLATIONS = """window.cspViolations = [];
document.addEventListener('securitypolicyviolation', e =>
  window.cspViolations.push([e.effectiveDirective, e.blockedURI]));"""
# Redoc's sidebar credits Redocly with a logo from its CDN: the CSP blocks it (not fetched).
REDOC_LOGO = ["img-src", "https://cdn.redoc.ly/redoc/logo-mini.svg"]


@pytest.fixture(scope="module")
def browser() -> Iterator[str]:
    with chromium() as ws_url:
        yield ws_url


@pytest.fixture
async def page(browser: str) -> AsyncIterator[Page]:
    async with Page.connect(browser) as tab:
        await tab.send("Emulation.setDeviceMetricsOverride", width=1280, height=1400,
                       deviceScaleFactor=1, mobile=False)  # fmt: skip
        await tab.send("Page.addScriptToEvaluateOnNewDocument", source=RECORD_CSP_VIOLATIONS)
        yield tab


SHOTS = Path(tempfile.gettempdir())  # /tmp/docs.png, /tmp/redoc.png: to look at by hand


async def screenshot(page: Page, name: str) -> None:
    shot = await page.send("Page.captureScreenshot", format="png")
    await asyncio.to_thread((SHOTS / name).write_bytes, base64.b64decode(shot["data"]))


async def loaded_urls(page: Page) -> list[str]:
    urls: list[str] = await page.evaluate(
        "[location.href, ...performance.getEntriesByType('resource').map(e => e.name)]"
    )
    return urls


def off_origin(urls: list[str], api_url: str) -> list[str]:
    """URLs the page asked for elsewhere than the API (Resource Timing lists even those the
    CSP blocked, with no timing: nothing was sent)."""
    origin = urlsplit(api_url)
    return [
        url for url in urls if urlsplit(urljoin(api_url, url))[:2] != (origin.scheme, origin.netloc)
    ]


SWAGGER_DRAWN = """(() => ({
  operations: document.querySelectorAll('.opblock').length,
  paths: [...document.querySelectorAll('.opblock-summary-path')]
    .map(e => e.getAttribute('data-path') || e.innerText.trim()),
  title: (document.querySelector('.info .title') || {}).innerText || null,
}))()"""

REDOC_DRAWN = """(() => ({
  menuOperations: document.querySelectorAll('.menu-content li[data-item-id*="operation/"]').length,
  text: document.body.innerText,
}))()"""


async def try_it_out(page: Page, path: str) -> str:
    """Expand the GET operation of `path`, press Try it out and Execute: the status shown."""
    block = (
        "[...document.querySelectorAll('.opblock-get')].find(b => b.querySelector("
        f"'.opblock-summary-path').getAttribute('data-path') === {json.dumps(path)})"
    )

    async def press(selector: str) -> None:
        found = f"{block}.querySelector({json.dumps(selector)})"
        await eventually(lambda: page.evaluate(f"!!{found}"), until=bool)
        await page.evaluate(f"{found}.click()")

    await press(".opblock-summary-control")
    await press(".try-out__btn")
    await press(".execute")
    shown = f"{block}.querySelector('.live-responses-table tbody .response-col_status')"
    status: str = await eventually(
        lambda: page.evaluate(f"{shown} ? {shown}.innerText : ''"), until=bool
    )
    return status.strip()


async def test_swagger_ui_draws_the_operations_in_chromium(stack, page):
    await page.navigate(f"{stack.api_url}/docs")
    assert await page.status() == 200

    drawn = await eventually(
        lambda: page.evaluate(SWAGGER_DRAWN),
        until=lambda d: d["operations"] > 5 and "/api/v1/bookings" in d["paths"],
        timeout=30,
    )
    await screenshot(page, "docs.png")

    assert "ZhilyeGO API" in drawn["title"]
    assert "/api/v1/properties" in drawn["paths"]
    assert await page.evaluate("typeof SwaggerUIBundle") == "function"
    # "Try it out" still calls the API under the page's CSP (connect-src 'self').
    assert await try_it_out(page, "/healthz") == "200"
    assert await page.evaluate("window.cspViolations") == []
    urls = await loaded_urls(page)
    assert any(url.endswith("/openapi.json") for url in urls)
    assert off_origin(urls, stack.api_url) == []


async def test_redoc_draws_its_menu_in_chromium(stack, page):
    await page.navigate(f"{stack.api_url}/redoc")
    assert await page.status() == 200

    drawn = await eventually(
        lambda: page.evaluate(REDOC_DRAWN),
        until=lambda d: d["menuOperations"] > 5 and "/api/v1/bookings" in d["text"],
        timeout=30,
    )
    await screenshot(page, "redoc.png")

    assert "ZhilyeGO API" in drawn["text"]
    assert await page.evaluate("typeof Redoc") == "object"
    blocked = await page.evaluate("window.cspViolations")
    assert blocked in ([], [REDOC_LOGO])
    urls = await loaded_urls(page)
    assert any(url.endswith("/openapi.json") for url in urls)
    assert set(off_origin(urls, stack.api_url)) <= {uri for _, uri in blocked}
