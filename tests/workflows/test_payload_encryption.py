"""Personal data stays out of Temporal: a booking's history, read the way the Temporal UI or
anyone with access to the cluster reads it (no codec), holds no guest name or phone; staff
read them back through the codec endpoint, and only staff (issue 9, item 14).
"""

from __future__ import annotations

import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from google.protobuf import json_format
from pydantic import SecretStr
from temporalio.api.common.v1 import Payload, Payloads
from temporalio.client import Client, WorkflowHistory
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.worker import Replayer

from api.app import create_app
from core.payload_codec import ENCODING, KEY_ID, EncryptionCodec, PayloadDecryptError
from models.enums import Role
from tests.conftest import ENCRYPTION_KEY
from tests.support.factories import booking_body, id_of, make_owner, make_property, stay
from tests.support.lifecycle import payloads_in
from tests.support.servers import free_port, serve
from workflows.booking import BookingWorkflow

DECODE = "/temporal-codec/decode"


@dataclass(frozen=True)
class Booked:
    booking_id: str
    name: str
    phone: str
    staff_token: str


@pytest.fixture(scope="module")
async def booked(stack: Any) -> Booked:
    """A guest with a name and a phone of their own holds an apartment through the API."""
    _, staff_token = await make_owner(stack, role=Role.SUPER_ADMIN)
    owner, _ = await make_owner(stack)
    prop = await make_property(stack, owner)
    check_in, check_out = await stay(stack, starts_in_days=40, nights=2)
    name = f"Aigerim Secretova {secrets.token_hex(3)}"
    phone = f"+7707{secrets.randbelow(10**7):07d}"
    body = booking_body(id_of(prop), check_in, check_out, phone=phone)
    body["guest"]["name"] = name
    response = await stack.http.post(
        "/api/v1/bookings", json=body, headers={"Authorization": f"Bearer {staff_token}"}
    )
    assert response.status_code == 201, response.text
    return Booked(response.json()["booking_id"], name, phone, staff_token)


def plain_client(stack: Any) -> Client:
    """The cluster as the Temporal UI (without a codec) or a curious operator sees it."""
    config = stack.client.config()
    config["data_converter"] = pydantic_data_converter
    return Client(**config)


def raw_text(message: Any) -> str:
    """A message's JSON plus every payload's bytes as they are stored (nothing decrypted)."""
    stored = [
        text
        for payload in payloads_in(message)
        for text in (payload.data.decode("utf-8", "replace"), str(dict(payload.metadata)))
    ]
    return "\n".join([json_format.MessageToJson(message), *stored])


def digits(phone: str) -> str:
    return phone.removeprefix("+7")  # whatever prefix a layer adds or drops, these remain


async def history_of(client: Client, booking_id: str) -> WorkflowHistory:
    return await client.get_workflow_handle(f"booking-{booking_id}").fetch_history()


def started_input(history: WorkflowHistory) -> Payloads:
    return history.events[0].workflow_execution_started_event_attributes.input


def as_json(payloads: Payloads) -> dict[str, Any]:
    return json_format.MessageToDict(payloads)


def payloads_from(answer: httpx.Response) -> list[Payload]:
    assert answer.status_code == 200, answer.text
    return list(json_format.ParseDict(answer.json(), Payloads()).payloads)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_the_history_without_the_codec_holds_no_name_or_phone(stack, booked):
    client = plain_client(stack)
    history = await history_of(client, booked.booking_id)
    description = await client.get_workflow_handle(f"booking-{booked.booking_id}").describe()

    stored = "\n".join(
        [raw_text(event) for event in history.events] + [raw_text(description.raw_description)]
    )

    assert booked.name not in stored and "Secretova" not in stored
    assert digits(booked.phone) not in stored
    # Not because the guest is missing: the input is sealed, and opens with the stack's key.
    [sealed] = started_input(history).payloads
    assert sealed.metadata["encoding"] == ENCODING and sealed.metadata[KEY_ID]
    [opened] = await EncryptionCodec([ENCRYPTION_KEY]).decode([sealed])
    assert booked.name.encode() in opened.data and digits(booked.phone).encode() in opened.data


async def test_the_sealed_history_replays_with_the_workers_converter(stack, booked):
    history = await history_of(stack.client, booked.booking_id)

    result = await Replayer(
        workflows=[BookingWorkflow], data_converter=stack.client.data_converter
    ).replay_workflow(history, raise_on_replay_failure=False)

    assert result.replay_failure is None, result.replay_failure


async def test_staff_decode_the_guest_through_the_codec_endpoint(stack, booked):
    sealed = as_json(started_input(await history_of(stack.client, booked.booking_id)))

    answer = await stack.http.post(DECODE, json=sealed, headers=bearer(booked.staff_token))

    [opened] = payloads_from(answer)
    assert opened.metadata["encoding"] == b"json/plain"
    assert booked.name.encode() in opened.data and digits(booked.phone).encode() in opened.data


async def test_nobody_but_staff_decodes(stack, booked):
    sealed = as_json(started_input(await history_of(stack.client, booked.booking_id)))
    _, guest_token = await make_owner(stack, role=Role.GUEST)
    _, owner_token = await make_owner(stack, role=Role.ADMIN)

    answers = {
        "no token": await stack.http.post(DECODE, json=sealed),
        "made-up token": await stack.http.post(DECODE, json=sealed, headers=bearer("zg_x")),
        "guest": await stack.http.post(DECODE, json=sealed, headers=bearer(guest_token)),
        "owner": await stack.http.post(DECODE, json=sealed, headers=bearer(owner_token)),
        "forged sign-in": await stack.http.post(
            DECODE, json=sealed, headers={"Cookie": "zg_temporal_codec=1.forged.signature"}
        ),
    }

    codes = {who: answer.status_code for who, answer in answers.items()}
    assert codes == {
        "no token": 401,
        "made-up token": 401,
        "guest": 403,
        "owner": 403,
        "forged sign-in": 401,
    }
    for answer in answers.values():
        assert booked.name not in answer.text and digits(booked.phone) not in answer.text


async def test_a_staff_sign_in_cookie_decodes_as_the_temporal_ui_sends_it(stack, booked):
    sealed = as_json(started_input(await history_of(stack.client, booked.booking_id)))
    _, guest_token = await make_owner(stack, role=Role.GUEST)
    ui = stack.settings.temporal_ui_url
    async with httpx.AsyncClient(base_url=stack.api_url) as browser:  # keeps its cookies
        assert (await browser.get("/temporal-codec/login")).status_code == 200  # the form
        refused = await browser.post("/temporal-codec/login", data={"token": guest_token})
        assert refused.status_code == 403 and "set-cookie" not in refused.headers
        assert (await browser.post(DECODE, json=sealed)).status_code == 401

        signed_in = await browser.post("/temporal-codec/login", data={"token": booked.staff_token})
        answer = await browser.post(
            DECODE, json=sealed, headers={"Origin": ui, "X-Namespace": "default"}
        )

    assert signed_in.status_code == 200, signed_in.text
    cookie = signed_in.headers["set-cookie"]
    assert "HttpOnly" in cookie and "Path=/temporal-codec" in cookie
    assert booked.staff_token not in cookie
    [opened] = payloads_from(answer)
    assert booked.name.encode() in opened.data
    assert answer.headers["access-control-allow-origin"] == ui
    assert answer.headers["access-control-allow-credentials"] == "true"


def preflight(origin: str) -> dict[str, str]:
    return {
        "Origin": origin,
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-namespace",
    }


async def test_cors_admits_the_temporal_ui_alone(stack):
    ui = stack.settings.temporal_ui_url.rstrip("/")

    allowed = await stack.http.options(DECODE, headers=preflight(ui))
    other = await stack.http.options(DECODE, headers=preflight("https://evil.example"))

    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == ui
    assert allowed.headers["access-control-allow-credentials"] == "true"
    assert "x-namespace" in allowed.headers["access-control-allow-headers"].lower()
    assert "access-control-allow-origin" not in other.headers
    # The rest of the API keeps its own CORS (closed in the test stack).
    api = await stack.http.options("/api/v1/properties", headers=preflight(ui))
    assert "access-control-allow-origin" not in api.headers


async def test_encode_seals_and_decode_passes_plain_payloads_through(stack, booked):
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'{"hello":"world"}')
    staff = bearer(booked.staff_token)

    [sealed] = payloads_from(
        await stack.http.post(
            "/temporal-codec/encode", json=as_json(Payloads(payloads=[plain])), headers=staff
        )
    )
    assert sealed.metadata["encoding"] == ENCODING and b"world" not in sealed.data
    both = as_json(Payloads(payloads=[sealed, plain]))
    assert payloads_from(await stack.http.post(DECODE, json=both, headers=staff)) == [plain, plain]


async def test_bad_input_to_the_codec_is_a_400(stack, booked):
    staff = bearer(booked.staff_token)
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b"1")
    [foreign] = await EncryptionCodec([Fernet.generate_key().decode()]).encode([plain])
    [tampered] = await EncryptionCodec([ENCRYPTION_KEY]).encode([plain])
    tampered.data = tampered.data[:-1] + bytes([tampered.data[-1] ^ 1])

    answers = [
        await stack.http.post(DECODE, content=b"not json", headers=staff),
        await stack.http.post(DECODE, json={"payloads": "not a list"}, headers=staff),
        await stack.http.post(DECODE, json=as_json(Payloads(payloads=[foreign])), headers=staff),
        await stack.http.post(DECODE, json=as_json(Payloads(payloads=[tampered])), headers=staff),
    ]

    assert [a.status_code for a in answers] == [400, 400, 400, 400], [a.text for a in answers]
    assert [a.json()["error"] for a in answers] == [
        "malformed_payloads",
        "malformed_payloads",
        "undecryptable_payload",
        "undecryptable_payload",
    ]


async def test_a_payload_sealed_with_the_old_key_opens_when_it_is_second():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    plain = Payload(metadata={"encoding": b"json/plain"}, data=b'"Aigerim"')
    [by_old] = await EncryptionCodec([old]).encode([plain])

    rotated = EncryptionCodec([new, old])

    assert await rotated.decode([by_old]) == [plain]
    [by_new] = await rotated.encode([plain])
    assert by_new.metadata[KEY_ID] != by_old.metadata[KEY_ID]  # the newest key seals
    assert await EncryptionCodec([old]).decode([by_old]) == [plain]
    with pytest.raises(PayloadDecryptError):
        await EncryptionCodec([new]).decode([by_old])  # the old key gone: it no longer opens


@pytest.fixture(scope="module")
async def rotated_api(stack: Any) -> AsyncIterator[str]:
    """An API whose newest key is new, the stack's key second: a key rotation in progress."""
    keys = f"{Fernet.generate_key().decode()},{ENCRYPTION_KEY}"
    settings = stack.settings.model_copy(
        update={
            "encryption_key": SecretStr(keys),
            "telegram_bot_token": None,  # the stack's process already runs the bots
            "whatsapp_token": None,
        }
    )
    async with serve(create_app(settings), free_port()) as url:
        yield url


async def test_after_a_key_rotation_the_codec_still_opens_bookings_sealed_before(
    stack, booked, rotated_api
):
    sealed = as_json(started_input(await history_of(stack.client, booked.booking_id)))

    async with httpx.AsyncClient(base_url=rotated_api) as http:
        answer = await http.post(DECODE, json=sealed, headers=bearer(booked.staff_token))

    [opened] = payloads_from(answer)
    assert booked.name.encode() in opened.data
