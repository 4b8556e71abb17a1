"""The Kaspi QR API half of the sandbox, in the shape of ../shared/KASPI.md (kaspi/shape.py).

Routes `/<scheme>/v01/...` for r1, r2 and r3 answer Kaspi's envelope; r1 checks `Api-Key`,
r3 checks `OrganizationBin` in every POST body (client certificates are the TLS server's
job, not the app's). Payments are learned by polling `payment/status`: there is no webhook.
Tests drive it through the test emulator (`test/payment/...`) and the `/sandbox/qr/...`
control routes; `/qr/pay/<id>` is the page a person opens in `make dev`.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import secrets
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import FastAPI, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from kaspi import shape

if TYPE_CHECKING:
    from devstack.kaspi_sandbox import SandboxConfig, SandboxState

TRADE_POINT_ID = 1
TRADE_POINT_NAME = "ЖильеGO Алматы"
STORE_NAME = "ЖильеGO"
STORE_ADDRESS = "пр. Абая, 1"
STORE_CITY = "Алматы"
CLIENT_NAME = "Тестовый К."
LINK_ACTIVATION_WAIT = 180
QR_SCAN_WAIT = 180
CONFIRMATION_WAIT = 65

KIND_LINK = "link"
KIND_QR = "qr"
KIND_REMOTE = "remote"


@dataclass
class QrPayment:
    payment_id: int
    kind: str  # "link" | "qr" | "remote"
    amount: float
    device_token: str
    expires_at: float  # epoch seconds; an unpaid payment reads Error after it
    status: str
    external_id: str | None = None
    phone: str | None = None
    comment: str | None = None
    qr_token: str | None = None
    transaction_id: str | None = None
    paid_amount: float | None = None  # what the guest paid (another amount can be reported)
    returned: float = 0.0
    available_override: float | None = None
    no_partial: bool = False
    polls: int = 0

    def refresh(self) -> str:
        """The status as read now: a waiting payment past its ExpireDate has failed."""
        if self.status in shape.WAITING_STATUSES and time.time() >= self.expires_at:
            self.status = shape.STATUS_ERROR
        return self.status

    def expire_date(self) -> str:
        return datetime.fromtimestamp(self.expires_at, UTC).isoformat()

    def available(self) -> float:
        if self.available_override is not None:
            return self.available_override
        if self.status != shape.STATUS_PROCESSED or self.paid_amount is None:
            return 0.0
        return round(self.paid_amount - self.returned, 2)

    def as_json(self) -> dict[str, Any]:
        self.refresh()
        return asdict(self) | {
            "id": self.payment_id,
            "expire_date": self.expire_date(),
            "available_return_amount": self.available(),
        }


class QrRefusal(Exception):
    """A Kaspi answer other than success: an envelope code, with HTTP 200 unless told."""

    def __init__(self, code: int, http_status: int = 200, message: str | None = None) -> None:
        super().__init__(code)
        self.code, self.http_status = code, http_status
        self.message = message or shape.ERROR_MEANINGS.get(code, "error")


@dataclass
class QrCall:
    scheme: str
    body: dict[str, Any]
    query: dict[str, str]
    path_params: dict[str, str]


def envelope(data: Any, code: int = shape.OK, message: str = "OK") -> dict[str, Any]:
    return {shape.F_STATUS_CODE: code, shape.F_MESSAGE: message, shape.F_DATA: data}


def _amount(value: Any) -> float:
    try:
        amount = float(value)
    except (TypeError, ValueError):
        raise QrRefusal(shape.WRONG_AMOUNT) from None
    if not amount > 0 or amount == float("inf"):
        raise QrRefusal(shape.WRONG_AMOUNT)
    return round(amount, 2)


def add_qr_routes(app: FastAPI, config: SandboxConfig, state: SandboxState) -> None:
    """Adds the Kaspi QR API, its test emulator, the control routes and the pay page."""
    state.devices.setdefault(config.device_token, TRADE_POINT_ID)
    ids = itertools.count(int(time.time()) % 1_000_000 * 100 + 10_000_000)
    return_ids = itertools.count(500_000_001)
    tasks: set[asyncio.Task[None]] = set()

    def payment_of(value: Any) -> QrPayment:
        try:
            payment = state.qr_payments.get(int(str(value)))
        except ValueError:
            payment = None
        if payment is None:
            raise QrRefusal(shape.PURCHASE_NOT_FOUND)
        return payment

    def device(token: Any) -> str:
        if not isinstance(token, str) or token not in state.devices:
            raise QrRefusal(shape.DEVICE_NOT_FOUND)
        return token

    async def auto_pay(payment: QrPayment) -> None:
        await asyncio.sleep(config.confirm_delay)
        if payment.refresh() in shape.WAITING_STATUSES:
            pay(payment)

    def pay(payment: QrPayment, amount: float | None = None) -> None:
        payment.status = shape.STATUS_PROCESSED
        payment.paid_amount = payment.amount if amount is None else amount
        payment.transaction_id = payment.transaction_id or str(secrets.randbelow(10**11) + 10**11)

    def new_payment(kind: str, call: QrCall, status: str) -> QrPayment:
        token = device(call.body.get(shape.F_DEVICE_TOKEN))
        amount = _amount(call.body.get(shape.F_AMOUNT))
        external = call.body.get(shape.F_EXTERNAL_ID)
        external_id = None if external is None else str(external)
        if external_id is not None:
            for earlier in state.qr_payments.values():
                if (
                    earlier.kind == kind
                    and earlier.external_id == external_id
                    and earlier.refresh() in shape.WAITING_STATUSES
                ):
                    return earlier  # a retried create: the same payment
        payment = QrPayment(
            payment_id=next(ids),
            kind=kind,
            amount=amount,
            device_token=token,
            expires_at=time.time() + config.link_ttl,
            status=status,
            external_id=external_id,
        )
        state.qr_payments[payment.payment_id] = payment
        if config.auto_confirm:
            task = asyncio.create_task(auto_pay(payment))
            tasks.add(task)
            task.add_done_callback(tasks.discard)
        return payment

    # --- the API ----------------------------------------------------------------------

    Handler = Callable[[QrCall], Any]

    def route(method: str, path: str) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            async def endpoint(request: Request) -> Response:
                return await answer(request, handler)

            app.add_api_route(
                f"/{{scheme}}/{shape.API_VERSION}/{path}",
                endpoint,
                methods=[method],
                name=f"kaspi {path}",
                summary=f"Kaspi QR: {method} {path}",
            )
            return handler

        return register

    async def answer(request: Request, handler: Handler) -> Response:
        scheme = request.path_params["scheme"]
        body: dict[str, Any] | None = None
        if request.method == "POST":
            try:
                parsed = await request.json()
            except ValueError:
                parsed = None
            body = parsed if isinstance(parsed, dict) else {}
        state.qr_requests.append(
            {
                "method": request.method,
                "path": request.url.path,
                "scheme": scheme,
                "request_id": request.headers.get(shape.HEADER_REQUEST_ID),
                "body": body,
            }
        )
        if scheme not in shape.SCHEMES:
            raise HTTPException(404, "no such scheme")
        try:
            if state.fail_next > 0:
                state.fail_next -= 1
                headers = (
                    {"Retry-After": str(state.retry_after)} if state.fail_status == 429 else {}
                )
                return JSONResponse(
                    envelope(None, shape.SERVICE_UNAVAILABLE, "sandbox fault drill"),
                    state.fail_status,
                    headers,
                )
            if state.fail_code_next > 0:
                state.fail_code_next -= 1
                raise QrRefusal(state.fail_code)
            if scheme == shape.SCHEME_API_KEY and (
                request.headers.get(shape.HEADER_API_KEY) != config.api_key
            ):
                raise QrRefusal(shape.CLIENT_CERTIFICATE_MISSING, 401, "Api-Key refused")
            if (
                scheme == shape.SCHEME_STRONG
                and body is not None
                and body.get(shape.F_ORGANIZATION_BIN) != config.organization_bin
            ):
                raise QrRefusal(shape.TRADE_POINT_NOT_FOUND)
            call = QrCall(scheme, body or {}, dict(request.query_params), dict(request.path_params))
            return JSONResponse(envelope(handler(call)))
        except QrRefusal as refusal:
            return JSONResponse(envelope(None, refusal.code, refusal.message), refusal.http_status)

    def trade_points() -> list[dict[str, Any]]:
        return [
            {shape.F_TRADE_POINT_ID: TRADE_POINT_ID, shape.F_TRADE_POINT_NAME: TRADE_POINT_NAME}
        ]

    @route("GET", shape.PATH_TRADE_POINTS)
    def tradepoints(call: QrCall) -> Any:
        if call.scheme == shape.SCHEME_STRONG:  # r3 names the BIN in the path
            raise QrRefusal(shape.TRADE_POINT_NOT_FOUND)
        return trade_points()

    @route("GET", shape.PATH_TRADE_POINTS + "/{organization_bin}")
    def tradepoints_of(call: QrCall) -> Any:
        if call.path_params["organization_bin"] != config.organization_bin:
            raise QrRefusal(shape.TRADE_POINT_NOT_FOUND)
        return trade_points()

    @route("POST", shape.PATH_DEVICE_REGISTER)
    def device_register(call: QrCall) -> Any:
        if str(call.body.get(shape.F_TRADE_POINT_ID)) != str(TRADE_POINT_ID):
            raise QrRefusal(shape.TRADE_POINT_NOT_FOUND)
        device_id = str(call.body.get(shape.F_DEVICE_ID))
        token = state.device_ids.get(device_id)
        if token is None or token not in state.devices:  # registering again: the same token
            token = secrets.token_urlsafe(24)
            state.devices[token] = TRADE_POINT_ID
            state.device_ids[device_id] = token
        return {shape.F_DEVICE_TOKEN: token}

    @route("POST", shape.PATH_DEVICE_DELETE)
    def device_delete(call: QrCall) -> Any:
        del state.devices[device(call.body.get(shape.F_DEVICE_TOKEN))]
        return None

    def methods() -> list[str]:
        return list(shape.PAYMENT_METHODS)

    @route("POST", shape.PATH_LINK_CREATE)
    def create_link(call: QrCall) -> Any:
        payment = new_payment(KIND_LINK, call, shape.STATUS_QR_CREATED)
        return {
            shape.F_PAYMENT_LINK: f"{config.public_url}/qr/pay/{payment.payment_id}",
            shape.F_EXPIRE_DATE: payment.expire_date(),
            shape.F_PAYMENT_ID: payment.payment_id,
            shape.F_PAYMENT_METHODS: methods(),
            shape.F_LINK_BEHAVIOR: {
                shape.F_POLLING_INTERVAL: config.poll_interval,
                shape.F_LINK_ACTIVATION_TIMEOUT: LINK_ACTIVATION_WAIT,
                shape.F_CONFIRMATION_TIMEOUT: CONFIRMATION_WAIT,
            },
        }

    @route("POST", shape.PATH_QR_CREATE)
    def create_qr(call: QrCall) -> Any:
        payment = new_payment(KIND_QR, call, shape.STATUS_QR_CREATED)
        if payment.qr_token is None:
            payment.qr_token = f"https://qr.kaspi.kz/{secrets.token_hex(16)}"
        return {
            shape.F_QR_TOKEN: payment.qr_token,
            shape.F_EXPIRE_DATE: payment.expire_date(),
            shape.F_QR_PAYMENT_ID: payment.payment_id,
            shape.F_PAYMENT_METHODS: methods(),
            shape.F_QR_BEHAVIOR: {
                shape.F_POLLING_INTERVAL: config.poll_interval,
                shape.F_QR_SCAN_TIMEOUT: QR_SCAN_WAIT,
                shape.F_CONFIRMATION_TIMEOUT: CONFIRMATION_WAIT,
            },
        }

    @route("POST", shape.PATH_REMOTE_CLIENT_INFO)
    def client_info(call: QrCall) -> Any:
        device(call.body.get(shape.F_DEVICE_TOKEN))
        return {shape.F_CLIENT_NAME: CLIENT_NAME}

    @route("POST", shape.PATH_REMOTE_CREATE)
    def remote_create(call: QrCall) -> Any:
        payment = new_payment(KIND_REMOTE, call, shape.STATUS_REMOTE_CREATED)
        payment.phone = str(call.body.get(shape.F_PHONE) or "") or None
        payment.comment = str(call.body.get(shape.F_COMMENT) or "") or None
        return {shape.F_QR_PAYMENT_ID: payment.payment_id}

    @route("POST", shape.PATH_REMOTE_CANCEL)
    def remote_cancel(call: QrCall) -> Any:
        device(call.body.get(shape.F_DEVICE_TOKEN))
        payment = payment_of(call.body.get(shape.F_QR_PAYMENT_ID))
        if payment.refresh() == shape.STATUS_PROCESSED:
            raise QrRefusal(shape.REFUND_UNSUITABLE_STATE)
        payment.status = shape.STATUS_ERROR
        return {shape.F_STATUS: shape.REMOTE_CANCELED}

    @route("GET", shape.PATH_STATUS + "/{payment_id}")
    def status(call: QrCall) -> Any:
        payment = payment_of(call.path_params["payment_id"])
        payment.polls += 1
        paid = payment.refresh() == shape.STATUS_PROCESSED
        return {
            shape.F_STATUS: payment.status,
            shape.F_TRANSACTION_ID: payment.transaction_id,
            shape.F_PRODUCT_TYPE: shape.PRODUCT_GOLD,
            shape.F_AMOUNT: payment.paid_amount if paid else payment.amount,
            shape.F_STORE_NAME: STORE_NAME,
            shape.F_ADDRESS: STORE_ADDRESS,
            shape.F_CITY: STORE_CITY,
        }

    @route("GET", shape.PATH_DETAILS)
    def details(call: QrCall) -> Any:
        device(call.query.get(shape.F_DEVICE_TOKEN))
        payment = payment_of(call.query.get(shape.F_QR_PAYMENT_ID))
        paid = payment.refresh() == shape.STATUS_PROCESSED
        return {
            shape.F_QR_PAYMENT_ID: payment.payment_id,
            shape.F_TOTAL_AMOUNT: payment.paid_amount if paid else payment.amount,
            shape.F_AVAILABLE_RETURN: payment.available(),
            shape.F_STATUS: payment.status,
        }

    @route("POST", shape.PATH_RETURN)
    def payment_return(call: QrCall) -> Any:
        device(call.body.get(shape.F_DEVICE_TOKEN))
        payment = payment_of(call.body.get(shape.F_QR_PAYMENT_ID))
        amount = _amount(call.body.get(shape.F_AMOUNT))
        if payment.refresh() != shape.STATUS_PROCESSED:
            raise QrRefusal(shape.REFUND_UNSUITABLE_STATE)
        available = payment.available()
        if amount > available + 0.001:
            raise QrRefusal(shape.REFUND_LARGER_THAN_PURCHASE)
        if payment.no_partial and amount < available - 0.001:
            raise QrRefusal(shape.PARTIAL_REFUND_IMPOSSIBLE)
        payment.returned = round(payment.returned + amount, 2)
        if payment.available_override is not None:
            payment.available_override = round(payment.available_override - amount, 2)
        operation_id = next(return_ids)
        state.returns.append(
            {"payment_id": payment.payment_id, "amount": amount, "operation_id": operation_id}
        )
        return {shape.F_RETURN_OPERATION_ID: operation_id}

    @route("GET", shape.PATH_HEALTH)
    def health(call: QrCall) -> Any:
        return None

    def emulator(path: str, moves: Callable[[QrPayment], None]) -> None:
        @route("POST", path)
        def move(call: QrCall) -> Any:
            payment = payment_of(call.body.get(shape.F_TEST_PAYMENT_ID))
            if payment.refresh() in shape.WAITING_STATUSES:
                moves(payment)
            return {shape.F_STATUS: payment.status}

    def to_status(word: str) -> Callable[[QrPayment], None]:
        def moves(payment: QrPayment) -> None:
            payment.status = word

        return moves

    emulator(shape.PATH_TEST_SCAN, to_status(shape.STATUS_WAIT))
    emulator(shape.PATH_TEST_CONFIRM, pay)
    emulator(shape.PATH_TEST_SCAN_ERROR, to_status(shape.STATUS_ERROR))
    emulator(shape.PATH_TEST_CONFIRM_ERROR, to_status(shape.STATUS_ERROR))

    # --- control routes for tests -------------------------------------------------------

    def control_payment(payment_id: int) -> QrPayment:
        payment = state.qr_payments.get(payment_id)
        if payment is None:
            raise HTTPException(404, "no such QR payment")
        return payment

    @app.post("/sandbox/faults/kaspi-code", summary="The next `count` QR calls answer `code`")
    async def set_code_faults(
        count: Annotated[int, Query(ge=0)], code: int = shape.SERVICE_UNAVAILABLE
    ) -> dict[str, int]:
        state.fail_code_next, state.fail_code = count, code
        return {"fail_code_next": count, "code": code}

    @app.post("/sandbox/qr/{payment_id}/pay")
    async def control_pay(payment_id: int, amount: float | None = None) -> dict[str, Any]:
        payment = control_payment(payment_id)
        pay(payment, amount)
        return payment.as_json()

    @app.post("/sandbox/qr/{payment_id}/status")
    async def control_status(payment_id: int, status: str) -> dict[str, Any]:
        if status not in (shape.STATUS_WAIT, shape.STATUS_ERROR):
            raise HTTPException(422, f"status is {shape.STATUS_WAIT} or {shape.STATUS_ERROR}")
        payment = control_payment(payment_id)
        payment.status = status
        return payment.as_json()

    @app.post("/sandbox/qr/{payment_id}/available")
    async def control_available(payment_id: int, amount: float) -> dict[str, Any]:
        payment = control_payment(payment_id)
        payment.available_override = amount
        return payment.as_json()

    @app.post("/sandbox/qr/{payment_id}/no-partial")
    async def control_no_partial(payment_id: int) -> dict[str, Any]:
        payment = control_payment(payment_id)
        payment.no_partial = True
        return payment.as_json()

    @app.get("/sandbox/qr/{payment_id}")
    async def control_show(payment_id: int) -> dict[str, Any]:
        return control_payment(payment_id).as_json()

    # --- the page a person opens ----------------------------------------------------------

    @app.get("/qr/pay/{payment_id}", response_class=HTMLResponse)
    async def qr_pay_page(payment_id: int) -> str:
        payment = control_payment(payment_id)
        payment.refresh()
        button = (
            "<form method='post'><button>Оплатить</button></form>"
            if payment.status in shape.WAITING_STATUSES
            else ""
        )
        return (
            "<!doctype html><html lang='ru'><meta charset='utf-8'><title>Kaspi QR</title>"
            f"<h1>Kaspi QR (песочница)</h1><p>Бронь {html.escape(payment.external_id or '—')}: "
            f"{payment.amount:g} ₸ — {html.escape(payment.status)}</p>{button}</html>"
        )

    @app.post("/qr/pay/{payment_id}", response_class=HTMLResponse)
    async def qr_pay_by_hand(payment_id: int) -> str:
        payment = control_payment(payment_id)
        if payment.refresh() in shape.WAITING_STATUSES:
            pay(payment)
            return "<!doctype html><html lang='ru'><meta charset='utf-8'><h1>Оплачено</h1></html>"
        return (
            "<!doctype html><html lang='ru'><meta charset='utf-8'>"
            f"<h1>Оплата невозможна: {html.escape(payment.status)}</h1></html>"
        )
