"""A bearer token we never issued is a 401 on every /api/v1 route, public ones included:
before, a made-up token was simply ignored where no login was needed (a booking with one
was a 201) and bought a rate-limit budget of its own.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from sqlmodel import col, select

from models import Booking
from models.enums import Role
from tests.support.factories import booking_body, id_of, make_owner, make_property, stay

PATH_VALUES = {"property_id": "1", "booking_id": "ABC123"}


def made_up() -> dict[str, str]:
    return {"Authorization": f"Bearer zg_{secrets.token_urlsafe(32)}"}


def api_operations(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(method, concrete path) of every /api/v1 operation the API documents."""
    found = []
    for path, item in schema["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        concrete = re.sub(r"\{(\w+)\}", lambda m: PATH_VALUES.get(m[1], "1"), path)
        found += [(method.upper(), concrete) for method in item if method != "parameters"]
    return found


async def test_every_api_route_answers_401_to_a_made_up_token(stack):
    operations = api_operations((await stack.http.get("/openapi.json")).json())
    assert ("POST", "/api/v1/bookings") in operations
    assert ("GET", "/api/v1/properties") in operations
    assert ("POST", "/api/v1/payments/kaspi/webhook") in operations

    answers = {}
    for method, path in operations:
        response = await stack.http.request(method, path, json={}, headers=made_up())
        answers[f"{method} {path}"] = (
            response.status_code,
            response.headers.get("WWW-Authenticate"),
        )

    assert answers == dict.fromkeys(answers, (401, "Bearer"))


async def test_a_booking_with_a_made_up_token_is_refused_and_holds_nothing(stack):
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=30, nights=2)

    response = await stack.http.post(
        "/api/v1/bookings", json=booking_body(id_of(prop), check_in, check_out), headers=made_up()
    )

    assert response.status_code == 401, response.text
    assert response.json()["error"] == "unauthorized"
    async with stack.sessions() as session:
        held = await session.scalars(select(Booking).where(col(Booking.property_id) == prop.id))
        assert list(held.all()) == []


async def test_real_tokens_still_pass_and_other_schemes_are_not_ours_to_judge(stack):
    _, token = await make_owner(stack, role=Role.GUEST)

    for headers in (
        {"Authorization": f"Bearer {token}"},
        {"Authorization": "Basic dXNlcjpwYXNz"},  # e.g. a staging proxy's own login
        {},
    ):
        response = await stack.http.get("/api/v1/properties", headers=headers)
        assert response.status_code == 200, (headers, response.text)
    empty = await stack.http.get("/api/v1/properties", headers={"Authorization": "Bearer"})
    assert empty.status_code == 401
