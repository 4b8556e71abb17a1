"""Capabilities in URLs stay out of the logs: an apartment's iCal token (`/ical/<token>.ics`)
and booking ids (the guest's key to a booking) become placeholders in uvicorn's access log,
in our own JSON lines and in what Sentry is sent."""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import AsyncIterator, Iterator

import httpx
import pytest
import sentry_sdk
import structlog

from api.app import create_app
from api.serve import server_config
from core.logging import configure_logging, get_logger
from services.booking_ids import new_booking_id
from tests.support.factories import eventually, make_owner, make_property
from tests.support.sentry_ingest import local_sentry
from tests.support.servers import free_port, serve_config

UVICORN_LOGGERS = ("uvicorn", "uvicorn.error", "uvicorn.access")


class Lines(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())

    async def seen(self) -> list[str]:
        return self.lines


@pytest.fixture
def access_log() -> Iterator[Lines]:
    """What uvicorn's access logger emits; its levels and handlers are put back after."""
    loggers = [logging.getLogger(name) for name in UVICORN_LOGGERS]
    saved = [(lg, lg.level, lg.handlers[:]) for lg in loggers]
    lines = Lines()
    yield lines
    logging.getLogger("uvicorn.access").removeHandler(lines)
    for lg, level, handlers in saved:
        lg.setLevel(level)
        lg.handlers[:] = handlers


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, config = root.handlers[:], root.level, structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**config)


async def test_the_access_log_shows_placeholders_not_tokens_or_booking_ids(stack, access_log):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    token, booking_id = prop.ical_token, new_booking_id()
    settings = stack.settings.model_copy(update={"telegram_bot_token": None})
    config = server_config(
        settings, create_app(settings), host="127.0.0.1", port=free_port(), log_level="info"
    )
    paths = [
        f"/ical/{token}.ics",
        f"/api/v1/bookings/{booking_id}",
        f"/api/v1/bookings/{booking_id}/cancel",
        f"/admin/booking/details/{booking_id}",
        f"/admin/booking/list?search={booking_id}",
    ]
    async with serve_config(config) as url, httpx.AsyncClient(base_url=url) as http:
        logging.getLogger("uvicorn.access").addHandler(access_log)  # after uvicorn's own config
        feed = await http.get(paths[0])
        for path in paths[1:]:
            await http.get(path)
        await eventually(access_log.seen, until=lambda lines: len(lines) >= len(paths))
    assert feed.status_code == 200  # the token is a real one
    text = "\n".join(access_log.lines)
    assert token not in text and booking_id not in text, text
    for shown in (
        '"GET /ical/{token}.ics HTTP/1.1" 200',
        "/api/v1/bookings/{booking_id} HTTP",
        "/api/v1/bookings/{booking_id}/cancel HTTP",
        "/admin/booking/details/{booking_id} HTTP",
        "/admin/booking/list?search={redacted} HTTP",
    ):
        assert shown in text, (shown, text)


def test_our_lines_redact_urls_but_keep_the_booking_id_field(capsys, restored_logging):
    configure_logging("INFO")
    token, booking_id = secrets.token_urlsafe(16), new_booking_id()
    get_logger("tests.redaction").info(
        f"fetched /ical/{token}.ics",
        url=f"https://rent.zhilyego.kz/api/v1/bookings/{booking_id}/cancel",
        booking_id=booking_id,
    )
    logging.getLogger("tests.stdlib").warning("GET /ical/%s.ics failed", token)
    out = capsys.readouterr().out

    lines = [json.loads(line) for line in out.splitlines() if "ical" in line or "url" in line]
    assert len(lines) == 2, out
    ours, stdlib = lines
    assert ours["event"] == "fetched /ical/{token}.ics"
    assert ours["url"] == "https://rent.zhilyego.kz/api/v1/bookings/{booking_id}/cancel"
    assert ours["booking_id"] == booking_id  # the bound id is the log's point
    assert stdlib["event"] == "GET /ical/{token}.ics failed"
    assert token not in out


@pytest.fixture
async def sentry_ingest(stack) -> AsyncIterator[list[str]]:
    async with local_sentry(stack.settings, "api") as envelopes:
        yield envelopes


async def test_sentry_is_sent_placeholders_too(sentry_ingest):
    token, booking_id = secrets.token_urlsafe(16), new_booking_id()
    access = logging.getLogger("uvicorn.access")
    level = access.level
    access.setLevel(logging.INFO)
    try:
        access.info(
            '%s - "%s %s HTTP/%s" %d', "127.0.0.1:5", "GET", f"/ical/{token}.ics", "1.1", 200
        )
    finally:
        access.setLevel(level)
    sentry_sdk.add_breadcrumb(
        category="httplib", data={"url": f"http://api/api/v1/bookings/{booking_id}"}
    )
    sentry_sdk.capture_message("probe " + secrets.token_hex(4))
    await asyncio.to_thread(sentry_sdk.flush, 5)

    async def received() -> list[str]:
        envelopes: list[str] = sentry_ingest
        return envelopes

    sent = "\n".join(await eventually(received, until=bool))
    assert "/ical/{token}.ics" in sent and "/api/v1/bookings/{booking_id}" in sent
    assert token not in sent and booking_id not in sent
