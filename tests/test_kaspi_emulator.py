"""The sandbox's Kaspi QR emulator (devstack/kaspi_qr_emulator.py) over real HTTP: the
envelope, each scheme's check, links, status words, expiry, returns and the fault switches,
all named by kaspi/shape.py as the real client names them."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx

from devstack.kaspi_sandbox import SandboxConfig, create_sandbox_app
from kaspi import shape
from tests.support.servers import free_port, serve

API_KEY = "test-api-key"
BIN = "990011223344"
DEVICE = "test-device-token"


@asynccontextmanager
async def emulator(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
    port = free_port()
    config = SandboxConfig(
        webhook_url="http://127.0.0.1:9/",
        webhook_secret="s",
        public_url=f"http://127.0.0.1:{port}",
        api_key=API_KEY,
        organization_bin=BIN,
        device_token=DEVICE,
    )
    for name, value in overrides.items():
        setattr(config, name, value)
    async with (
        serve(create_sandbox_app(config), port) as url,
        httpx.AsyncClient(base_url=url, timeout=10) as http,
    ):
        yield http


def headers(**more: str) -> dict[str, str]:
    return {shape.HEADER_API_KEY: API_KEY, shape.HEADER_REQUEST_ID: str(uuid.uuid4()), **more}


def url(scheme: str, path: str) -> str:
    return f"/{scheme}/{shape.API_VERSION}/{path}"


async def r1(http: httpx.AsyncClient, path: str, body: dict[str, Any] | None = None) -> Any:
    """A successful r1 call's Data (asserting the envelope says success)."""
    if body is None:
        response = await http.get(url(shape.SCHEME_API_KEY, path), headers=headers())
    else:
        response = await http.post(url(shape.SCHEME_API_KEY, path), json=body, headers=headers())
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer[shape.F_STATUS_CODE] == shape.OK, answer
    return answer[shape.F_DATA]


async def r3(http: httpx.AsyncClient, path: str, body: dict[str, Any]) -> dict[str, Any]:
    """An r3 POST's whole envelope, OrganizationBin added as r3 wants."""
    response = await http.post(
        url(shape.SCHEME_STRONG, path),
        json={shape.F_ORGANIZATION_BIN: BIN, **body},
        headers=headers(),
    )
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


async def create_link(http: httpx.AsyncClient, external_id: str, amount: float = 25000.0) -> Any:
    return await r1(
        http,
        shape.PATH_LINK_CREATE,
        {shape.F_DEVICE_TOKEN: DEVICE, shape.F_AMOUNT: amount, shape.F_EXTERNAL_ID: external_id},
    )


async def status_of(http: httpx.AsyncClient, payment_id: int) -> str:
    data = await r1(http, f"{shape.PATH_STATUS}/{payment_id}")
    word: str = data[shape.F_STATUS]
    return word


async def until(probe: Callable[[], Awaitable[str]], wanted: str, attempts: int = 200) -> str:
    """Polls (bounded by a number of tries, not a clock) until the probe reads `wanted`."""
    value = await probe()
    for _ in range(attempts):
        if value == wanted:
            break
        await asyncio.sleep(0.05)
        value = await probe()
    return value


async def paid_payment(http: httpx.AsyncClient, amount: float) -> int:
    payment_id: int = (await create_link(http, str(uuid.uuid4()), amount))[shape.F_PAYMENT_ID]
    await r1(http, shape.PATH_TEST_CONFIRM, {shape.F_TEST_PAYMENT_ID: str(payment_id)})
    return payment_id


async def test_envelope_tradepoints_health_and_recorded_requests():
    async with emulator() as http:
        assert await r1(http, shape.PATH_HEALTH) is None
        points = await r1(http, shape.PATH_TRADE_POINTS)
        assert points == [{shape.F_TRADE_POINT_ID: 1, shape.F_TRADE_POINT_NAME: "ЖильеGO Алматы"}]
        strong = await http.get(
            url(shape.SCHEME_STRONG, f"{shape.PATH_TRADE_POINTS}/{BIN}"), headers=headers()
        )
        assert strong.json()[shape.F_DATA] == points
        other = await http.get(url(shape.SCHEME_STRONG, f"{shape.PATH_TRADE_POINTS}/000000000000"))
        assert other.json()[shape.F_STATUS_CODE] == shape.TRADE_POINT_NOT_FOUND
        assert (await http.get(f"/r9/{shape.API_VERSION}/{shape.PATH_HEALTH}")).status_code == 404

        token = (
            await r1(
                http,
                shape.PATH_DEVICE_REGISTER,
                {shape.F_DEVICE_ID: "zhilyego-1", shape.F_TRADE_POINT_ID: 1},
            )
        )[shape.F_DEVICE_TOKEN]
        assert token and token != DEVICE
        unknown = await http.post(
            url(shape.SCHEME_API_KEY, shape.PATH_DEVICE_REGISTER),
            json={shape.F_DEVICE_ID: "x", shape.F_TRADE_POINT_ID: 77},
            headers=headers(),
        )
        assert unknown.json()[shape.F_STATUS_CODE] == shape.TRADE_POINT_NOT_FOUND
        await r1(http, shape.PATH_DEVICE_DELETE, {shape.F_DEVICE_TOKEN: token})
        gone = await http.post(
            url(shape.SCHEME_API_KEY, shape.PATH_LINK_CREATE),
            json={shape.F_DEVICE_TOKEN: token, shape.F_AMOUNT: 10, shape.F_EXTERNAL_ID: "b"},
            headers=headers(),
        )
        assert gone.json()[shape.F_STATUS_CODE] == shape.DEVICE_NOT_FOUND

        state = (await http.get("/sandbox/state")).json()
        assert {"payments", "refunds", "qr_payments", "returns", "qr_requests"} <= set(state)
        first = state["qr_requests"][0]
        assert first["method"] == "GET" and first["scheme"] == shape.SCHEME_API_KEY
        assert uuid.UUID(first["request_id"])


async def test_r1_refuses_a_wrong_api_key_and_r3_a_body_without_the_bin():
    async with emulator() as http:
        for key in ({}, {shape.HEADER_API_KEY: "wrong"}):
            refused = await http.get(url(shape.SCHEME_API_KEY, shape.PATH_HEALTH), headers=key)
            assert refused.status_code == 401
            assert refused.json()[shape.F_STATUS_CODE] == shape.CLIENT_CERTIFICATE_MISSING
        body = {shape.F_DEVICE_TOKEN: DEVICE, shape.F_AMOUNT: 100, shape.F_EXTERNAL_ID: "b1"}
        bare = await http.post(url(shape.SCHEME_STRONG, shape.PATH_LINK_CREATE), json=body)
        assert bare.status_code == 200
        assert bare.json()[shape.F_STATUS_CODE] == shape.TRADE_POINT_NOT_FOUND
        wrong = await http.post(
            url(shape.SCHEME_STRONG, shape.PATH_LINK_CREATE),
            json={**body, shape.F_ORGANIZATION_BIN: "000000000000"},
        )
        assert wrong.json()[shape.F_STATUS_CODE] == shape.TRADE_POINT_NOT_FOUND
        ok = await r3(http, shape.PATH_LINK_CREATE, body)
        assert ok[shape.F_STATUS_CODE] == shape.OK
        # r2's certificate is the TLS server's business: the app lets it through.
        r2 = await http.get(url(shape.SCHEME_CERTIFICATE, shape.PATH_HEALTH))
        assert r2.json()[shape.F_STATUS_CODE] == shape.OK
        bodies = [r["body"] for r in (await http.get("/sandbox/state")).json()["qr_requests"]]
        assert bodies[-2][shape.F_ORGANIZATION_BIN] == BIN


async def test_link_retried_with_the_same_external_id_is_the_same_payment():
    async with emulator(poll_interval=5) as http:
        link = await create_link(http, "booking-1")
        assert link[shape.F_PAYMENT_LINK].endswith(f"/qr/pay/{link[shape.F_PAYMENT_ID]}")
        assert link[shape.F_PAYMENT_METHODS] == ["Gold", "Red", "Loan"]
        assert link[shape.F_LINK_BEHAVIOR][shape.F_POLLING_INTERVAL] == 5
        assert "+00:00" in link[shape.F_EXPIRE_DATE]
        again = await create_link(http, "booking-1")
        assert again[shape.F_PAYMENT_ID] == link[shape.F_PAYMENT_ID]
        other = await create_link(http, "booking-2")
        assert other[shape.F_PAYMENT_ID] != link[shape.F_PAYMENT_ID]

        await r1(
            http, shape.PATH_TEST_SCAN_ERROR, {shape.F_TEST_PAYMENT_ID: link[shape.F_PAYMENT_ID]}
        )
        fresh = await create_link(http, "booking-1")  # the earlier one failed: a new link
        assert fresh[shape.F_PAYMENT_ID] != link[shape.F_PAYMENT_ID]

        zero = await http.post(
            url(shape.SCHEME_API_KEY, shape.PATH_LINK_CREATE),
            json={shape.F_DEVICE_TOKEN: DEVICE, shape.F_AMOUNT: 0, shape.F_EXTERNAL_ID: "b3"},
            headers=headers(),
        )
        assert zero.json()[shape.F_STATUS_CODE] == shape.WRONG_AMOUNT

        qr = await r1(
            http,
            shape.PATH_QR_CREATE,
            {shape.F_DEVICE_TOKEN: DEVICE, shape.F_AMOUNT: 500, shape.F_EXTERNAL_ID: "b4"},
        )
        assert qr[shape.F_QR_TOKEN] and qr[shape.F_QR_BEHAVIOR][shape.F_POLLING_INTERVAL] == 5
        shown = (await http.get(f"/sandbox/qr/{qr[shape.F_QR_PAYMENT_ID]}")).json()
        assert (shown["kind"], shown["external_id"], shown["amount"]) == ("qr", "b4", 500)
        assert shown["id"] == qr[shape.F_QR_PAYMENT_ID]


async def test_status_words_through_scan_and_confirm_and_the_pay_page():
    async with emulator() as http:
        payment_id = (await create_link(http, "booking-7", 25000.0))[shape.F_PAYMENT_ID]
        assert await status_of(http, payment_id) == shape.STATUS_QR_CREATED
        await r1(http, shape.PATH_TEST_SCAN, {shape.F_TEST_PAYMENT_ID: str(payment_id)})
        assert await status_of(http, payment_id) == shape.STATUS_WAIT
        page = await http.get(f"/qr/pay/{payment_id}")
        assert "booking-7" in page.text and "Оплатить" in page.text
        await r1(http, shape.PATH_TEST_CONFIRM, {shape.F_TEST_PAYMENT_ID: str(payment_id)})
        data = await r1(http, f"{shape.PATH_STATUS}/{payment_id}")
        assert data[shape.F_STATUS] == shape.STATUS_PROCESSED
        assert data[shape.F_TRANSACTION_ID] and data[shape.F_AMOUNT] == 25000.0
        assert data[shape.F_PRODUCT_TYPE] == shape.PRODUCT_GOLD
        assert (await http.get(f"/sandbox/qr/{payment_id}")).json()["polls"] == 3
        missing = await http.get(
            url(shape.SCHEME_API_KEY, f"{shape.PATH_STATUS}/1"), headers=headers()
        )
        assert missing.json()[shape.F_STATUS_CODE] == shape.PURCHASE_NOT_FOUND

        by_hand = (await create_link(http, "booking-8"))[shape.F_PAYMENT_ID]
        assert "Оплачено" in (await http.post(f"/qr/pay/{by_hand}")).text
        assert await status_of(http, by_hand) == shape.STATUS_PROCESSED


async def test_remote_invoice_and_cancel():
    async with emulator() as http:
        info = await r3(
            http,
            shape.PATH_REMOTE_CLIENT_INFO,
            {shape.F_PHONE: "77015550000", shape.F_DEVICE_TOKEN: DEVICE},
        )
        assert info[shape.F_DATA] == {shape.F_CLIENT_NAME: "Тестовый К."}
        created = await r3(
            http,
            shape.PATH_REMOTE_CREATE,
            {
                shape.F_AMOUNT: 1000,
                shape.F_PHONE: "77015550000",
                shape.F_DEVICE_TOKEN: DEVICE,
                shape.F_COMMENT: "Бронь 42",
            },
        )
        payment_id = created[shape.F_DATA][shape.F_QR_PAYMENT_ID]
        assert await status_of(http, payment_id) == shape.STATUS_REMOTE_CREATED
        shown = (await http.get(f"/sandbox/qr/{payment_id}")).json()
        assert (shown["kind"], shown["phone"], shown["comment"]) == (
            "remote",
            "77015550000",
            "Бронь 42",
        )
        cancel = await r3(
            http,
            shape.PATH_REMOTE_CANCEL,
            {shape.F_QR_PAYMENT_ID: payment_id, shape.F_DEVICE_TOKEN: DEVICE},
        )
        assert cancel[shape.F_DATA] == {shape.F_STATUS: shape.REMOTE_CANCELED}
        assert await status_of(http, payment_id) == shape.STATUS_ERROR


async def test_an_unpaid_link_past_its_expire_date_reads_error():
    async with emulator(link_ttl=0.05) as http:
        payment_id = (await create_link(http, "booking-9"))[shape.F_PAYMENT_ID]
        assert (
            await until(lambda: status_of(http, payment_id), shape.STATUS_ERROR)
            == shape.STATUS_ERROR
        )
        late = await create_link(http, "booking-9")  # the guest comes back: a fresh link
        assert late[shape.F_PAYMENT_ID] != payment_id


async def test_partial_returns_then_more_than_available_is_refused():
    async with emulator() as http:
        payment_id = await paid_payment(http, 100.0)
        query = {shape.F_QR_PAYMENT_ID: str(payment_id), shape.F_DEVICE_TOKEN: DEVICE}
        details = await r1(http, f"{shape.PATH_DETAILS}?{httpx.QueryParams(query)}")
        assert details[shape.F_TOTAL_AMOUNT] == 100.0 and details[shape.F_AVAILABLE_RETURN] == 100.0
        ret = {shape.F_DEVICE_TOKEN: DEVICE, shape.F_QR_PAYMENT_ID: payment_id, shape.F_AMOUNT: 50}
        first = await r3(http, shape.PATH_RETURN, ret)
        second = await r3(http, shape.PATH_RETURN, ret)
        ids = {
            first[shape.F_DATA][shape.F_RETURN_OPERATION_ID],
            second[shape.F_DATA][shape.F_RETURN_OPERATION_ID],
        }
        assert len(ids) == 2
        over = await r3(http, shape.PATH_RETURN, {**ret, shape.F_AMOUNT: 1})
        assert over[shape.F_STATUS_CODE] == shape.REFUND_LARGER_THAN_PURCHASE
        details = await r1(http, f"{shape.PATH_DETAILS}?{httpx.QueryParams(query)}")
        assert details[shape.F_AVAILABLE_RETURN] == 0
        returns = (await http.get("/sandbox/state")).json()["returns"]
        assert [(r["payment_id"], r["amount"]) for r in returns] == [
            (payment_id, 50),
            (payment_id, 50),
        ]

        unpaid = (await create_link(http, "booking-10"))[shape.F_PAYMENT_ID]
        early = await r3(http, shape.PATH_RETURN, {**ret, shape.F_QR_PAYMENT_ID: unpaid})
        assert early[shape.F_STATUS_CODE] == shape.REFUND_UNSUITABLE_STATE


async def test_no_partial_and_available_override():
    async with emulator() as http:
        payment_id = await paid_payment(http, 100.0)
        await http.post(f"/sandbox/qr/{payment_id}/no-partial")
        ret = {shape.F_DEVICE_TOKEN: DEVICE, shape.F_QR_PAYMENT_ID: payment_id, shape.F_AMOUNT: 40}
        partial = await r3(http, shape.PATH_RETURN, ret)
        assert partial[shape.F_STATUS_CODE] == shape.PARTIAL_REFUND_IMPOSSIBLE
        await http.post(f"/sandbox/qr/{payment_id}/available", params={"amount": 40})
        assert (await r3(http, shape.PATH_RETURN, ret))[shape.F_STATUS_CODE] == shape.OK


async def test_kaspi_code_fault_then_ok_and_the_shared_http_fault():
    async with emulator() as http:
        armed = await http.post("/sandbox/faults/kaspi-code", params={"count": 1, "code": -999})
        assert armed.json() == {"fail_code_next": 1, "code": -999}
        faulted = await http.get(url(shape.SCHEME_API_KEY, shape.PATH_HEALTH), headers=headers())
        assert faulted.status_code == 200
        assert faulted.json()[shape.F_STATUS_CODE] == shape.SERVICE_UNAVAILABLE
        assert faulted.json()[shape.F_MESSAGE] == shape.ERROR_MEANINGS[shape.SERVICE_UNAVAILABLE]
        assert await r1(http, shape.PATH_HEALTH) is None

        await http.post("/sandbox/faults", params={"count": 1, "status": 503})
        down = await http.get(url(shape.SCHEME_API_KEY, shape.PATH_HEALTH), headers=headers())
        assert down.status_code == 503
        assert await r1(http, shape.PATH_HEALTH) is None


async def test_auto_confirm_moves_a_link_to_processed():
    async with emulator(auto_confirm=True, confirm_delay=0.1) as http:
        payment_id = (await create_link(http, "booking-11"))[shape.F_PAYMENT_ID]
        final = await until(lambda: status_of(http, payment_id), shape.STATUS_PROCESSED)
        assert final == shape.STATUS_PROCESSED
