"""The Kaspi QR merchant API client (shape: KASPI.md; every constant: kaspi/shape.py).

One `KaspiQrClient` per merchant configuration. Every call sends a fresh X-Request-ID, JSON,
the r1 Api-Key header and (r3) the OrganizationBin in every JSON body, and unwraps Kaspi's
envelope `{"StatusCode", "Message", "Data"}`: anything but StatusCode 0 is an error, whatever
the HTTP status. Errors are `kaspi.errors` classes that say whether a retry can help.
"""

from __future__ import annotations

import logging
import os
import re
import ssl
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from kaspi import shape
from kaspi.errors import (
    KaspiApiError,
    KaspiAuthError,
    KaspiError,
    KaspiTransportError,
    api_error,
)

log = logging.getLogger(__name__)

DEFAULT_POLL_INTERVAL = timedelta(seconds=5)  # when Kaspi omits StatusPollingInterval
KASPI_TZ = ZoneInfo("Asia/Almaty")  # a naive ExpireDate is Kaspi's local time
REDACTED = "***"

ENV_BASE_URL = "KASPI_QR_BASE_URL"
ENV_API_KEY = "KASPI_API_KEY"
ENV_ORGANIZATION_BIN = "KASPI_ORGANIZATION_BIN"
ENV_DEVICE_TOKEN = "KASPI_DEVICE_TOKEN"  # noqa: S105  # a variable name
ENV_TLS_CERT = "KASPI_TLS_CERT"
ENV_TLS_KEY = "KASPI_TLS_KEY"
ENV_TLS_CA = "KASPI_TLS_CA"


@dataclass(frozen=True)
class KaspiQrConfig:
    base_url: str  # e.g. https://qrapi-cert-ip.kaspi.kz:8545/r3/v01 ; scheme read from the path
    api_key: str | None = None  # r1
    organization_bin: str | None = None  # r3: every JSON body and the tradepoints path
    device_token: str | None = None
    tls_cert: str | None = None  # r2/r3: client certificate (PEM path)
    tls_key: str | None = None  # r2/r3: its key (PEM path; may be inside tls_cert)
    tls_ca: str | None = None  # Kaspi's CA (PEM path); else the system store
    timeout: float = 15.0

    @property
    def scheme(self) -> str:
        """r1 | r2 | r3: the path segment of base_url that names the scheme."""
        path = httpx.URL(self.base_url).path
        for segment in path.split("/"):
            if segment in shape.SCHEMES:
                return segment
        raise ValueError(
            f"Kaspi base URL {self.base_url!r} names no scheme; expected "
            f".../{'|'.join(shape.SCHEMES)}/{shape.API_VERSION}"
        )

    def __repr__(self) -> str:  # the dataclass repr would print the key and the token
        return (
            f"KaspiQrConfig(base_url={self.base_url!r}, "
            f"api_key={_mask(self.api_key)}, organization_bin={self.organization_bin!r}, "
            f"device_token={_mask(self.device_token)}, tls_cert={self.tls_cert!r}, "
            f"tls_key={self.tls_key!r}, tls_ca={self.tls_ca!r}, timeout={self.timeout!r})"
        )


def _mask(secret: str | None) -> str:
    return "None" if secret is None else repr(REDACTED)


def config_from_env(env: Mapping[str, str] = os.environ) -> KaspiQrConfig:
    """KaspiQrConfig from KASPI_* variables; KaspiError naming what is missing or wrong."""

    def get(name: str) -> str | None:
        value = env.get(name, "").strip()
        return value or None

    base_url = get(ENV_BASE_URL)
    if base_url is None:
        raise KaspiError(
            f"{ENV_BASE_URL} is not set (e.g. https://qrapi-cert-ip.kaspi.kz:8543/r1/v01)"
        )
    config = KaspiQrConfig(
        base_url=base_url,
        api_key=get(ENV_API_KEY),
        organization_bin=get(ENV_ORGANIZATION_BIN),
        device_token=get(ENV_DEVICE_TOKEN),
        tls_cert=get(ENV_TLS_CERT),
        tls_key=get(ENV_TLS_KEY),
        tls_ca=get(ENV_TLS_CA),
    )
    try:
        config.scheme  # noqa: B018  # validates the URL now, with the variable's name
    except ValueError as exc:
        raise KaspiError(f"{ENV_BASE_URL}: {exc}") from None
    return config


def build_http(config: KaspiQrConfig) -> httpx.AsyncClient:
    """An httpx client for `config`: Kaspi's CA, the client certificate (r2/r3), Api-Key (r1)."""
    scheme = config.scheme
    try:
        context = (
            ssl.create_default_context(cafile=config.tls_ca)
            if config.tls_ca
            else ssl.create_default_context()
        )
    except (OSError, ssl.SSLError) as exc:
        raise KaspiError(f"cannot load Kaspi CA {config.tls_ca!r}: {_os_reason(exc)}") from None
    if scheme in (shape.SCHEME_CERTIFICATE, shape.SCHEME_STRONG):
        if not config.tls_cert:
            raise KaspiError(
                f"Kaspi scheme {scheme} needs a client certificate: set {ENV_TLS_CERT} "
                f"(and {ENV_TLS_KEY} unless the key is inside it)"
            )
        try:
            context.load_cert_chain(config.tls_cert, config.tls_key or None)
        except (OSError, ssl.SSLError) as exc:
            raise KaspiError(
                f"cannot load Kaspi client certificate {config.tls_cert!r}: {_os_reason(exc)}"
            ) from None
    headers: dict[str, str] = {}
    if scheme == shape.SCHEME_API_KEY and config.api_key:
        headers[shape.HEADER_API_KEY] = config.api_key
    return httpx.AsyncClient(verify=context, timeout=config.timeout, headers=headers)


def _os_reason(exc: OSError | ssl.SSLError) -> str:
    return exc.strerror or str(exc) or type(exc).__name__


@dataclass(frozen=True)
class TradePoint:
    id: int
    name: str


@dataclass(frozen=True)
class PaymentLink:
    payment_id: str
    url: str
    expires_at: datetime | None
    poll_interval: timedelta


@dataclass(frozen=True)
class RemoteInvoice:
    payment_id: str


@dataclass(frozen=True)
class PaymentState:
    payment_id: str
    status: str  # shape.STATUS_*; only shape.STATUS_PROCESSED confirms a payment
    amount: int | None  # whole tenge
    transaction_id: str | None


@dataclass(frozen=True)
class PaymentDetails:
    total_amount: int  # whole tenge
    available_return_amount: int  # whole tenge


def phone_for_kaspi(phone: str) -> str:
    """Kaspi's spelling of a phone: digits only, 7 first ("+7 701 555 01 23" -> "77015550123")."""
    digits = re.sub(r"\D", "", phone)
    if not digits:
        raise ValueError("phone number has no digits")
    if digits.startswith("8") and len(digits) == 11:
        digits = "7" + digits[1:]
    elif len(digits) == 10:  # national number without the country code
        digits = "7" + digits
    return digits


_FRACTION = re.compile(r"(\.\d{6})\d+")


def parse_expire_date(value: object) -> datetime | None:
    """Kaspi's ExpireDate, leniently: ISO with or without a zone (naive = Asia/Almaty)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = _FRACTION.sub(r"\1", value.strip())
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=KASPI_TZ)


def _tenge(amount: int) -> float:
    """Kaspi wants decimal tenge: 25000 -> 25000.0."""
    return float(amount)


def _whole_tenge(value: object) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        return round(float(str(value)))
    except (TypeError, ValueError, OverflowError):
        return None


def _shape_error(what: str) -> KaspiError:
    # Kaspi said StatusCode 0 but the Data is not what KASPI.md describes: asking again
    # gives the same answer, so this is not retryable; fix kaspi/shape.py instead.
    return KaspiError(f"unexpected Kaspi answer: {what}", retryable=False)


class KaspiQrClient:
    """The Kaspi QR calls ZhilyeGO needs: setup, payment links, remote invoices, status, refunds."""

    def __init__(self, config: KaspiQrConfig, http: httpx.AsyncClient) -> None:
        self._config = config
        self._scheme = config.scheme
        self._base = config.base_url.rstrip("/")
        self._http = http

    # -- setup ---------------------------------------------------------------------------

    async def trade_points(self) -> list[TradePoint]:
        path = shape.PATH_TRADE_POINTS
        if self._scheme == shape.SCHEME_STRONG:
            path = f"{path}/{self._require_bin()}"
        data = await self._call("GET", path, label=shape.PATH_TRADE_POINTS)
        if not isinstance(data, list):
            raise _shape_error(f"{shape.PATH_TRADE_POINTS} Data is not a list")
        points = []
        for item in data:
            if not isinstance(item, dict) or item.get(shape.F_TRADE_POINT_ID) is None:
                raise _shape_error(f"{shape.PATH_TRADE_POINTS} item without TradePointId")
            try:
                point_id = int(item[shape.F_TRADE_POINT_ID])
            except (TypeError, ValueError):
                raise _shape_error(f"{shape.PATH_TRADE_POINTS} TradePointId not a number") from None
            points.append(TradePoint(id=point_id, name=str(item.get(shape.F_TRADE_POINT_NAME, ""))))
        return points

    async def register_device(self, device_id: str, trade_point_id: int) -> str:
        """Registers this server as a device of the trade point; returns its DeviceToken."""
        data = await self._call(
            "POST",
            shape.PATH_DEVICE_REGISTER,
            body={shape.F_DEVICE_ID: device_id, shape.F_TRADE_POINT_ID: trade_point_id},
        )
        token = self._field(data, shape.F_DEVICE_TOKEN, shape.PATH_DEVICE_REGISTER)
        return str(token)

    async def delete_device(self, device_token: str) -> None:
        await self._call(
            "POST",
            shape.PATH_DEVICE_DELETE,
            body={shape.F_DEVICE_TOKEN: device_token},
            secrets=(device_token,),
        )

    # -- payments ------------------------------------------------------------------------

    async def create_link(self, *, amount: int, external_id: str) -> PaymentLink:
        """A payment link (qr/create-link) for `amount` tenge; `external_id` = our order id."""
        data = await self._call(
            "POST",
            shape.PATH_LINK_CREATE,
            body={
                shape.F_DEVICE_TOKEN: self._require_device_token(),
                shape.F_AMOUNT: _tenge(amount),
                shape.F_EXTERNAL_ID: external_id,
            },
        )
        payment_id = self._field(data, shape.F_PAYMENT_ID, shape.PATH_LINK_CREATE)
        url = self._field(data, shape.F_PAYMENT_LINK, shape.PATH_LINK_CREATE)
        return PaymentLink(
            payment_id=str(payment_id),
            url=str(url),
            expires_at=parse_expire_date(data.get(shape.F_EXPIRE_DATE)),
            poll_interval=_poll_interval(data.get(shape.F_LINK_BEHAVIOR)),
        )

    async def client_name(self, phone: str) -> str | None:
        """The name Kaspi knows for this phone (remote/client-info), None if it gives none."""
        data = await self._call(
            "POST",
            shape.PATH_REMOTE_CLIENT_INFO,
            body={
                shape.F_PHONE: phone_for_kaspi(phone),
                shape.F_DEVICE_TOKEN: self._require_device_token(),
            },
        )
        name = data.get(shape.F_CLIENT_NAME) if isinstance(data, dict) else None
        return str(name) if name else None

    async def create_remote(self, *, amount: int, phone: str, comment: str) -> RemoteInvoice:
        """An invoice pushed to the guest's Kaspi app by phone (remote/create, r3)."""
        data = await self._call(
            "POST",
            shape.PATH_REMOTE_CREATE,
            body={
                **self._bin_if_known(),
                shape.F_AMOUNT: _tenge(amount),
                shape.F_PHONE: phone_for_kaspi(phone),
                shape.F_DEVICE_TOKEN: self._require_device_token(),
                shape.F_COMMENT: comment,
            },
        )
        payment_id = self._field(data, shape.F_QR_PAYMENT_ID, shape.PATH_REMOTE_CREATE)
        return RemoteInvoice(payment_id=str(payment_id))

    async def cancel_remote(self, payment_id: str) -> str:
        """Cancels a remote invoice; returns Kaspi's Status word."""
        data = await self._call(
            "POST",
            shape.PATH_REMOTE_CANCEL,
            body={
                **self._bin_if_known(),
                shape.F_QR_PAYMENT_ID: payment_id,
                shape.F_DEVICE_TOKEN: self._require_device_token(),
            },
        )
        return str(self._field(data, shape.F_STATUS, shape.PATH_REMOTE_CANCEL))

    async def status(self, payment_id: str) -> PaymentState:
        data = await self._call("GET", f"{shape.PATH_STATUS}/{payment_id}", label=shape.PATH_STATUS)
        status = self._field(data, shape.F_STATUS, shape.PATH_STATUS)
        transaction_id = data.get(shape.F_TRANSACTION_ID)
        return PaymentState(
            payment_id=payment_id,
            status=str(status),
            amount=_whole_tenge(data.get(shape.F_AMOUNT)),
            transaction_id=str(transaction_id) if transaction_id not in (None, "") else None,
        )

    # -- refunds -------------------------------------------------------------------------

    async def details(self, payment_id: str) -> PaymentDetails:
        token = self._require_device_token()
        data = await self._call(
            "GET",
            shape.PATH_DETAILS,
            params={shape.F_QR_PAYMENT_ID: payment_id, shape.F_DEVICE_TOKEN: token},
        )
        total = _whole_tenge(self._field(data, shape.F_TOTAL_AMOUNT, shape.PATH_DETAILS))
        available = _whole_tenge(self._field(data, shape.F_AVAILABLE_RETURN, shape.PATH_DETAILS))
        if total is None or available is None:
            raise _shape_error(f"{shape.PATH_DETAILS} amounts are not numbers")
        return PaymentDetails(total_amount=total, available_return_amount=available)

    async def refund(self, *, payment_id: str, amount: int) -> str:
        """Returns `amount` tenge of the payment (partial refunds allowed); ReturnOperationId."""
        data = await self._call(
            "POST",
            shape.PATH_RETURN,
            body={
                shape.F_DEVICE_TOKEN: self._require_device_token(),
                shape.F_QR_PAYMENT_ID: payment_id,
                shape.F_AMOUNT: _tenge(amount),
            },
        )
        return str(self._field(data, shape.F_RETURN_OPERATION_ID, shape.PATH_RETURN))

    async def ping(self) -> bool:
        """True when Kaspi answers health/ping; False when it is down or unreachable.

        Credentials Kaspi refuses, or a final error code, still raise: that is not "down".
        """
        try:
            await self._call("GET", shape.PATH_HEALTH, envelope_optional=True)
        except KaspiError as exc:
            if exc.retryable:
                log.warning("kaspi ping failed: %s", exc)
                return False
            raise
        return True

    # -- plumbing ------------------------------------------------------------------------

    def _require_device_token(self) -> str:
        token = self._config.device_token
        if not token:
            raise KaspiError(
                f"no Kaspi DeviceToken: run `python -m kaspi setup` and set {ENV_DEVICE_TOKEN}"
            )
        return token

    def _require_bin(self) -> str:
        bin_ = self._config.organization_bin
        if not bin_:
            raise KaspiError(
                f"Kaspi scheme {shape.SCHEME_STRONG} needs the merchant's BIN: "
                f"set {ENV_ORGANIZATION_BIN}"
            )
        return bin_

    def _bin_if_known(self) -> dict[str, str]:
        bin_ = self._config.organization_bin
        return {shape.F_ORGANIZATION_BIN: bin_} if bin_ else {}

    def _headers(self, request_id: str) -> dict[str, str]:
        headers = {
            shape.HEADER_REQUEST_ID: request_id,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
        if self._scheme == shape.SCHEME_API_KEY:
            if not self._config.api_key:
                raise KaspiError(f"Kaspi scheme {shape.SCHEME_API_KEY} needs {ENV_API_KEY}")
            headers[shape.HEADER_API_KEY] = self._config.api_key
        return headers

    def _scrub(self, text: str, extra: tuple[str, ...] = ()) -> str:
        for secret in (self._config.api_key, self._config.device_token, *extra):
            if secret:
                text = text.replace(secret, REDACTED)
        return text

    @staticmethod
    def _field(data: Any, name: str, label: str) -> Any:
        if not isinstance(data, dict) or data.get(name) in (None, ""):
            raise _shape_error(f"{label} Data has no {name}")
        return data[name]

    async def _call(
        self,
        method: str,
        path: str,
        *,
        body: dict[str, Any] | None = None,
        params: dict[str, str] | None = None,
        label: str | None = None,
        secrets: tuple[str, ...] = (),
        envelope_optional: bool = False,
    ) -> Any:
        """One request; returns the envelope's Data or raises a kaspi.errors class.

        `label` names the call in logs and errors instead of `path` (which may carry ids);
        the query string (DeviceToken) is never logged.
        """
        label = label or path
        request_id = str(uuid.uuid4())
        headers = self._headers(request_id)
        if body is not None and self._scheme == shape.SCHEME_STRONG:
            body = {shape.F_ORGANIZATION_BIN: self._require_bin(), **body}
        where = f"{method} {label} (request {request_id})"
        log.debug("kaspi call %s", where)
        try:
            response = await self._http.request(
                method, f"{self._base}/{path}", json=body, params=params, headers=headers
            )
        except httpx.TransportError as exc:
            reason = self._scrub(str(exc), secrets) or type(exc).__name__
            raise KaspiTransportError(
                f"Kaspi unreachable on {where}: {type(exc).__name__}: {reason}"
            ) from None
        status = response.status_code
        log.debug("kaspi answer %s: HTTP %s", where, status)
        if status in (401, 403):
            raise KaspiAuthError(
                f"Kaspi refused the credentials (HTTP {status}) on {where}: "
                "check the Api-Key / client certificate and the whitelisted IP"
            )
        if status >= 500:
            raise KaspiTransportError(f"Kaspi failed (HTTP {status}) on {where}")
        try:
            payload = response.json()
        except ValueError:
            payload = None
        code = payload.get(shape.F_STATUS_CODE) if isinstance(payload, dict) else None
        if not isinstance(code, int) or isinstance(code, bool):
            if status >= 400:
                raise KaspiApiError(-status, f"HTTP {status} without a Kaspi envelope")
            if envelope_optional and 200 <= status < 300:
                return None
            raise KaspiTransportError(
                f"Kaspi answered HTTP {status} without an envelope on {where}"
            )
        assert isinstance(payload, dict)
        if code != shape.OK:
            message = self._scrub(str(payload.get(shape.F_MESSAGE) or ""), secrets)
            error = api_error(code, message)
            log.info("kaspi error %s on %s", code, where)
            raise error
        if status >= 300:
            raise KaspiApiError(-status, f"HTTP {status} with StatusCode 0")
        return payload.get(shape.F_DATA)


def _poll_interval(options: object) -> timedelta:
    seconds = options.get(shape.F_POLLING_INTERVAL) if isinstance(options, dict) else None
    if isinstance(seconds, bool):
        return DEFAULT_POLL_INTERVAL
    try:
        value = float(str(seconds)) if seconds is not None else 0.0
    except ValueError:
        value = 0.0
    return timedelta(seconds=value) if value > 0 else DEFAULT_POLL_INTERVAL
