"""Log lines carry their context (issue 6, Observability): the request id of the API call,
the workflow and booking of an activity, the channel of a bot update."""

from __future__ import annotations

import io
import json
from typing import Any

import structlog
from aiogram.types import Update

from api.request_context import request_id_from
from bots.telegram.middlewares import LogContextMiddleware
from tests.support.factories import booking_body, eventually, id_of, make_owner, make_property, stay
from tests.workflows.test_codes_and_review import app_json_logs_into


def json_lines(text: str) -> list[dict[str, Any]]:
    lines = []
    for raw in text.splitlines():
        try:
            lines.append(json.loads(raw))
        except ValueError:
            continue
    return lines


async def test_request_id_is_echoed_and_bound_and_activities_carry_their_workflow(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=3, nights=2)
    stream = io.StringIO()
    with app_json_logs_into(stream):
        response = await stack.partner.post(
            "/api/v1/bookings",
            json=booking_body(id_of(prop), check_in, check_out),
            headers={"X-Request-ID": "abc-123"},
        )
        assert response.status_code == 201, response.text
        booking_id = response.json()["booking_id"]

        async def lines() -> list[dict[str, Any]]:
            return json_lines(stream.getvalue())

        await eventually(
            lines, until=lambda ls: any(line.get("event") == "booking held" for line in ls)
        )
    assert response.headers["X-Request-ID"] == "abc-123"
    logged = json_lines(stream.getvalue())
    api_line = next(line for line in logged if line.get("event") == "booking held via api")
    assert api_line["request_id"] == "abc-123"
    held = next(
        line
        for line in logged
        if line.get("event") == "booking held" and line.get("booking_id") == booking_id
    )
    assert held["workflow_id"] == f"booking-{booking_id}"
    assert held["activity_type"] == "hold_booking"
    assert "request_id" not in held  # the worker's tasks never inherit a request's context
    assert structlog.contextvars.get_contextvars().get("request_id") is None


async def test_a_request_without_a_sane_id_gets_a_fresh_one(stack):
    response = await stack.http.get("/healthz", headers={"X-Request-ID": "bad id;" + "x" * 80})
    given = response.headers["X-Request-ID"]
    assert len(given) == 32 and given.isalnum()
    other = await stack.http.get("/healthz")
    assert other.headers["X-Request-ID"] not in ("", given)
    assert request_id_from("a" * 65) != "a" * 65
    assert request_id_from("A-1") == "A-1"


async def test_a_telegram_update_binds_its_channel_and_update_id():
    seen: dict[str, Any] = {}

    async def handler(event: Any, data: dict[str, Any]) -> None:
        seen.update(structlog.contextvars.get_contextvars())

    await LogContextMiddleware()(handler, Update(update_id=4242), {})
    assert seen["channel"] == "telegram" and seen["update_id"] == 4242
    assert "channel" not in structlog.contextvars.get_contextvars()
