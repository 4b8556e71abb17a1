"""kaspi.client against a Kaspi-shaped FastAPI app over real HTTP (r1) and mutual TLS (r3).

The fake is defined here on purpose (devstack/kaspi_sandbox.py has its own life): it answers
every path of kaspi/shape.py with the envelope KASPI.md describes, records what it was sent,
and can be told to answer one path with anything (an error code, HTTP 500, not JSON...).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import ipaddress
import json
import os
import ssl
import sys
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from kaspi import shape
from kaspi.client import (
    DEFAULT_POLL_INTERVAL,
    KASPI_TZ,
    KaspiQrClient,
    KaspiQrConfig,
    PaymentDetails,
    PaymentState,
    RemoteInvoice,
    TradePoint,
    build_http,
    config_from_env,
    parse_expire_date,
    phone_for_kaspi,
)
from kaspi.errors import (
    KaspiApiError,
    KaspiAuthError,
    KaspiError,
    KaspiTransportError,
    PartialRefundImpossible,
    api_error,
)
from tests.support.servers import free_port, serve

ROOT = Path(__file__).resolve().parent.parent
API_KEY = "test-api-key-" + uuid.uuid4().hex
DEVICE_TOKEN = "test-device-token-" + uuid.uuid4().hex
BIN = "123456789012"


@dataclass
class Call:
    method: str
    path: str  # after /<scheme>/v01/
    scheme: str
    headers: dict[str, str]
    query: dict[str, str]
    body: Any


@dataclass
class FakeKaspi:
    calls: list[Call] = field(default_factory=list)
    # path (exact, or a prefix before "/") -> (HTTP status, JSON payload or raw text)
    overrides: dict[str, tuple[int, Any]] = field(default_factory=dict)
    trade_points: list[dict[str, Any]] = field(default_factory=list)

    def reset(self) -> None:
        self.calls.clear()
        self.overrides.clear()
        self.trade_points[:] = [{shape.F_TRADE_POINT_ID: 7, shape.F_TRADE_POINT_NAME: "Dostyk 5"}]

    def answer(self, path: str, body: Any) -> Any:
        if path.startswith(shape.PATH_TRADE_POINTS):
            return self.trade_points
        if path == shape.PATH_DEVICE_REGISTER:
            return {shape.F_DEVICE_TOKEN: f"dev-token-{body[shape.F_DEVICE_ID]}"}
        if path == shape.PATH_LINK_CREATE:
            return {
                shape.F_PAYMENT_LINK: "https://pay.kaspi.kz/pay/abc123",
                shape.F_EXPIRE_DATE: "2030-01-02T12:30:00.1234567",
                shape.F_PAYMENT_ID: 555,
                shape.F_PAYMENT_METHODS: ["Gold", "Red", "Loan"],
                shape.F_LINK_BEHAVIOR: {
                    shape.F_POLLING_INTERVAL: 3,
                    "LinkActivationWaitTimeout": 180,
                    "PaymentConfirmationTimeout": 65,
                },
            }
        if path == shape.PATH_REMOTE_CLIENT_INFO:
            return {shape.F_CLIENT_NAME: "Aigerim A."}
        if path == shape.PATH_REMOTE_CREATE:
            return {shape.F_QR_PAYMENT_ID: 777}
        if path == shape.PATH_REMOTE_CANCEL:
            return {shape.F_STATUS: "RemotePaymentCanceled"}
        if path.startswith(shape.PATH_STATUS + "/"):
            return {
                shape.F_STATUS: shape.STATUS_PROCESSED,
                shape.F_TRANSACTION_ID: "tx-1",
                "ProductType": "Gold",
                shape.F_AMOUNT: 25000.4,
            }
        if path == shape.PATH_DETAILS:
            return {shape.F_TOTAL_AMOUNT: 100.0, shape.F_AVAILABLE_RETURN: 50.0}
        if path == shape.PATH_RETURN:
            return {shape.F_RETURN_OPERATION_ID: 9001}
        return None  # device/delete, health/ping

    def sent(self, path: str) -> Call:
        found = [call for call in self.calls if call.path == path]
        assert found, f"nothing was sent to {path}; sent: {[c.path for c in self.calls]}"
        return found[-1]


def create_fake_app(fake: FakeKaspi) -> FastAPI:
    app = FastAPI()

    @app.api_route("/{scheme}/v01/{path:path}", methods=["GET", "POST"])
    async def kaspi(scheme: str, path: str, request: Request) -> Response:
        raw = await request.body()
        body = json.loads(raw) if raw else None
        fake.calls.append(
            Call(
                method=request.method,
                path=path,
                scheme=scheme,
                headers={k.lower(): v for k, v in request.headers.items()},
                query=dict(request.query_params),
                body=body,
            )
        )
        for prefix, (status, payload) in fake.overrides.items():
            if path == prefix or path.startswith(prefix + "/"):
                if isinstance(payload, str):
                    return Response(payload, status_code=status, media_type="text/plain")
                return JSONResponse(payload, status_code=status)
        return JSONResponse(
            {shape.F_STATUS_CODE: 0, shape.F_MESSAGE: "", shape.F_DATA: fake.answer(path, body)}
        )

    return app


def envelope(code: int, message: str = "") -> dict[str, Any]:
    return {shape.F_STATUS_CODE: code, shape.F_MESSAGE: message, shape.F_DATA: None}


# -- a throw-away PKI for mutual TLS ------------------------------------------------------


@dataclass(frozen=True)
class Pki:
    ca: str
    server_cert: str
    server_key: str
    client_cert: str
    client_key: str


def _write_key(key: ec.EllipticCurvePrivateKey, path: Path) -> str:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return str(path)


def _write_cert(cert: x509.Certificate, path: Path) -> str:
    path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    return str(path)


def make_pki(directory: Path) -> Pki:
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Kaspi CA")])
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(ca_name)
        .issuer_name(ca_name)
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), False)
        .sign(ca_key, hashes.SHA256())
    )

    def leaf(common_name: str, usage: x509.ObjectIdentifier, san: bool) -> tuple[Any, Any]:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)]))
            .issuer_name(ca_name)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([usage]), critical=False)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
            )
        )
        if san:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
        return builder.sign(ca_key, hashes.SHA256()), key

    server_cert, server_key = leaf("127.0.0.1", ExtendedKeyUsageOID.SERVER_AUTH, san=True)
    client_cert, client_key = leaf("zhilyego-merchant", ExtendedKeyUsageOID.CLIENT_AUTH, False)
    return Pki(
        ca=_write_cert(ca_cert, directory / "ca.pem"),
        server_cert=_write_cert(server_cert, directory / "server.pem"),
        server_key=_write_key(server_key, directory / "server.key"),
        client_cert=_write_cert(client_cert, directory / "client.pem"),
        client_key=_write_key(client_key, directory / "client.key"),
    )


# -- fixtures -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fake() -> FakeKaspi:
    state = FakeKaspi()
    state.reset()
    return state


@pytest.fixture(autouse=True)
def _fresh_fake(fake: FakeKaspi) -> None:
    fake.reset()


@pytest.fixture(scope="module")
async def r1_url(fake: FakeKaspi) -> AsyncIterator[str]:
    async with serve(create_fake_app(fake), free_port()) as url:
        yield f"{url}/{shape.SCHEME_API_KEY}/{shape.API_VERSION}"


@pytest.fixture(scope="module")
def pki(tmp_path_factory: pytest.TempPathFactory) -> Pki:
    return make_pki(tmp_path_factory.mktemp("kaspi-pki"))


@pytest.fixture(scope="module")
async def r3_url(fake: FakeKaspi, pki: Pki) -> AsyncIterator[str]:
    async with serve(
        create_fake_app(fake),
        free_port(),
        ssl_certfile=pki.server_cert,
        ssl_keyfile=pki.server_key,
        ssl_ca_certs=pki.ca,
        ssl_cert_reqs=ssl.CERT_REQUIRED,
    ) as url:
        assert url.startswith("https://")
        yield f"{url}/{shape.SCHEME_STRONG}/{shape.API_VERSION}"


def r1_config(base_url: str, **overrides: Any) -> KaspiQrConfig:
    values: dict[str, Any] = {
        "base_url": base_url,
        "api_key": API_KEY,
        "device_token": DEVICE_TOKEN,
        "timeout": 10.0,
    }
    values.update(overrides)
    return KaspiQrConfig(**values)


@pytest.fixture
async def r1(r1_url: str) -> AsyncIterator[KaspiQrClient]:
    config = r1_config(r1_url)
    async with build_http(config) as http:
        yield KaspiQrClient(config, http)


# -- the happy path -------------------------------------------------------------------------


async def test_every_call_unwraps_the_envelope(r1: KaspiQrClient, fake: FakeKaspi) -> None:
    assert await r1.trade_points() == [TradePoint(id=7, name="Dostyk 5")]
    assert await r1.register_device("box-1", 7) == "dev-token-box-1"
    await r1.delete_device("old-token")

    link = await r1.create_link(amount=25000, external_id="booking-42")
    assert link.payment_id == "555"
    assert link.url == "https://pay.kaspi.kz/pay/abc123"
    assert link.poll_interval == dt.timedelta(seconds=3)
    assert link.expires_at == dt.datetime(2030, 1, 2, 12, 30, 0, 123456, tzinfo=KASPI_TZ)

    assert await r1.client_name("8 (701) 555-01-23") == "Aigerim A."
    assert await r1.create_remote(amount=100, phone="+7 701 555 01 23", comment="Booking 42") == (
        RemoteInvoice(payment_id="777")
    )
    assert await r1.cancel_remote("777") == "RemotePaymentCanceled"
    assert await r1.status("555") == PaymentState(
        payment_id="555", status=shape.STATUS_PROCESSED, amount=25000, transaction_id="tx-1"
    )
    assert await r1.details("555") == PaymentDetails(total_amount=100, available_return_amount=50)
    assert await r1.refund(payment_id="555", amount=50) == "9001"
    assert await r1.ping() is True

    assert [call.path for call in fake.calls] == [
        shape.PATH_TRADE_POINTS,
        shape.PATH_DEVICE_REGISTER,
        shape.PATH_DEVICE_DELETE,
        shape.PATH_LINK_CREATE,
        shape.PATH_REMOTE_CLIENT_INFO,
        shape.PATH_REMOTE_CREATE,
        shape.PATH_REMOTE_CANCEL,
        f"{shape.PATH_STATUS}/555",
        shape.PATH_DETAILS,
        shape.PATH_RETURN,
        shape.PATH_HEALTH,
    ]
    request_ids = [call.headers[shape.HEADER_REQUEST_ID.lower()] for call in fake.calls]
    assert all(uuid.UUID(rid).version == 4 for rid in request_ids)
    assert len(set(request_ids)) == len(request_ids)
    for call in fake.calls:
        assert call.scheme == shape.SCHEME_API_KEY
        assert call.headers[shape.HEADER_API_KEY.lower()] == API_KEY
        assert call.headers["content-type"] == "application/json"
        if call.body is not None:  # r1: no BIN configured, none sent
            assert shape.F_ORGANIZATION_BIN not in call.body

    assert fake.sent(shape.PATH_DEVICE_REGISTER).body == {
        shape.F_DEVICE_ID: "box-1",
        shape.F_TRADE_POINT_ID: 7,
    }
    assert fake.sent(shape.PATH_DEVICE_DELETE).body == {shape.F_DEVICE_TOKEN: "old-token"}
    link_body = fake.sent(shape.PATH_LINK_CREATE).body
    assert link_body == {
        shape.F_DEVICE_TOKEN: DEVICE_TOKEN,
        shape.F_AMOUNT: 25000.0,
        shape.F_EXTERNAL_ID: "booking-42",
    }
    assert isinstance(link_body[shape.F_AMOUNT], float)
    assert fake.sent(shape.PATH_REMOTE_CLIENT_INFO).body[shape.F_PHONE] == "77015550123"
    remote_body = fake.sent(shape.PATH_REMOTE_CREATE).body
    assert remote_body[shape.F_PHONE] == "77015550123"
    assert remote_body[shape.F_COMMENT] == "Booking 42"
    assert isinstance(remote_body[shape.F_AMOUNT], float)
    assert fake.sent(shape.PATH_DETAILS).query == {
        shape.F_QR_PAYMENT_ID: "555",
        shape.F_DEVICE_TOKEN: DEVICE_TOKEN,
    }
    refund_body = fake.sent(shape.PATH_RETURN).body
    assert refund_body == {
        shape.F_DEVICE_TOKEN: DEVICE_TOKEN,
        shape.F_QR_PAYMENT_ID: "555",
        shape.F_AMOUNT: 50.0,
    }
    assert isinstance(refund_body[shape.F_AMOUNT], float)


async def test_poll_interval_defaults_when_kaspi_omits_it(
    r1: KaspiQrClient, fake: FakeKaspi
) -> None:
    data = fake.answer(shape.PATH_LINK_CREATE, None)
    del data[shape.F_LINK_BEHAVIOR]
    data[shape.F_EXPIRE_DATE] = "not a date"
    fake.overrides[shape.PATH_LINK_CREATE] = (
        200,
        {shape.F_STATUS_CODE: 0, shape.F_MESSAGE: "", shape.F_DATA: data},
    )
    link = await r1.create_link(amount=1, external_id="b-1")
    assert link.poll_interval == DEFAULT_POLL_INTERVAL
    assert link.expires_at is None


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "meaning", "retryable"),
    [
        (shape.PURCHASE_NOT_FOUND, "purchase not found", False),
        (shape.SERVICE_UNAVAILABLE, "service temporarily unavailable", True),
        (123456, "unknown Kaspi error", False),
    ],
)
async def test_non_zero_status_code_on_http_200_is_an_api_error(
    r1: KaspiQrClient, fake: FakeKaspi, code: int, meaning: str, retryable: bool
) -> None:
    fake.overrides[shape.PATH_STATUS] = (200, envelope(code, "Kaspi says no"))
    with pytest.raises(KaspiApiError) as caught:
        await r1.status("555")
    assert caught.value.code == code
    assert caught.value.meaning == meaning
    assert caught.value.kaspi_message == "Kaspi says no"
    assert caught.value.retryable is retryable
    assert str(code) in str(caught.value)


async def test_partial_refund_impossible_has_its_own_class(
    r1: KaspiQrClient, fake: FakeKaspi
) -> None:
    fake.overrides[shape.PATH_RETURN] = (200, envelope(shape.PARTIAL_REFUND_IMPOSSIBLE))
    with pytest.raises(PartialRefundImpossible) as caught:
        await r1.refund(payment_id="555", amount=50)
    assert caught.value.retryable is False
    assert isinstance(api_error(shape.PARTIAL_REFUND_IMPOSSIBLE, ""), PartialRefundImpossible)
    assert type(api_error(shape.DEVICE_NOT_FOUND, "")) is KaspiApiError


async def test_http_500_is_a_retryable_transport_error(r1: KaspiQrClient, fake: FakeKaspi) -> None:
    fake.overrides[shape.PATH_STATUS] = (500, "upstream exploded")
    with pytest.raises(KaspiTransportError) as caught:
        await r1.status("555")
    assert caught.value.retryable is True
    assert "500" in str(caught.value)


async def test_refused_connection_is_a_retryable_transport_error() -> None:
    config = r1_config(f"http://127.0.0.1:{free_port()}/r1/v01")
    async with build_http(config) as http:
        client = KaspiQrClient(config, http)
        with pytest.raises(KaspiTransportError) as caught:
            await client.status("555")
        assert caught.value.retryable is True
        assert await client.ping() is False


async def test_401_is_an_auth_error(r1: KaspiQrClient, fake: FakeKaspi) -> None:
    fake.overrides[shape.PATH_TRADE_POINTS] = (401, envelope(-1, "bad key"))
    with pytest.raises(KaspiAuthError) as caught:
        await r1.trade_points()
    assert caught.value.retryable is False


async def test_not_json_and_4xx_without_envelope(r1: KaspiQrClient, fake: FakeKaspi) -> None:
    fake.overrides[shape.PATH_STATUS] = (200, "<html>maintenance</html>")
    with pytest.raises(KaspiTransportError):
        await r1.status("555")
    fake.overrides[shape.PATH_STATUS] = (200, {"unexpected": True})
    with pytest.raises(KaspiTransportError):
        await r1.status("555")
    fake.overrides[shape.PATH_STATUS] = (404, "not found")
    with pytest.raises(KaspiApiError) as caught:
        await r1.status("555")
    assert caught.value.code == -404
    assert caught.value.retryable is False
    fake.overrides[shape.PATH_STATUS] = (400, envelope(shape.DEVICE_INACTIVE))
    with pytest.raises(KaspiApiError) as caught:
        await r1.status("555")
    assert caught.value.code == shape.DEVICE_INACTIVE


async def test_missing_device_token_is_a_clear_error_before_any_request(
    r1_url: str, fake: FakeKaspi
) -> None:
    config = r1_config(r1_url, device_token=None)
    async with build_http(config) as http:
        client = KaspiQrClient(config, http)
        with pytest.raises(KaspiError, match="KASPI_DEVICE_TOKEN"):
            await client.create_link(amount=100, external_id="b-1")
        with pytest.raises(KaspiError, match="DeviceToken"):
            await client.refund(payment_id="1", amount=1)
    assert fake.calls == []


async def test_errors_and_config_never_show_secrets(r1: KaspiQrClient, fake: FakeKaspi) -> None:
    fake.overrides[shape.PATH_RETURN] = (
        200,
        envelope(shape.DEVICE_NOT_FOUND, f"device {DEVICE_TOKEN} not found (key {API_KEY})"),
    )
    with pytest.raises(KaspiApiError) as caught:
        await r1.refund(payment_id="555", amount=5)
    for text in (str(caught.value), caught.value.kaspi_message, repr(caught.value)):
        assert DEVICE_TOKEN not in text
        assert API_KEY not in text
    config_text = repr(r1_config("http://x/r1/v01"))
    assert DEVICE_TOKEN not in config_text
    assert API_KEY not in config_text


# -- r3: mutual TLS and the BIN -------------------------------------------------------------


def r3_config(base_url: str, pki: Pki) -> KaspiQrConfig:
    return KaspiQrConfig(
        base_url=base_url,
        organization_bin=BIN,
        device_token=DEVICE_TOKEN,
        tls_cert=pki.client_cert,
        tls_key=pki.client_key,
        tls_ca=pki.ca,
        timeout=10.0,
    )


async def test_r3_over_mutual_tls_sends_the_bin(r3_url: str, pki: Pki, fake: FakeKaspi) -> None:
    config = r3_config(r3_url, pki)
    assert config.scheme == shape.SCHEME_STRONG
    async with build_http(config) as http:
        client = KaspiQrClient(config, http)
        assert await client.trade_points() == [TradePoint(id=7, name="Dostyk 5")]
        assert await client.register_device("box-3", 7) == "dev-token-box-3"
        await client.create_link(amount=25000, external_id="booking-7")
        await client.refund(payment_id="555", amount=100)

    assert fake.calls[0].path == f"{shape.PATH_TRADE_POINTS}/{BIN}"
    assert fake.calls[0].scheme == shape.SCHEME_STRONG
    for call in fake.calls[1:]:
        assert call.body[shape.F_ORGANIZATION_BIN] == BIN
        assert shape.HEADER_API_KEY.lower() not in call.headers
    assert fake.sent(shape.PATH_LINK_CREATE).body[shape.F_AMOUNT] == 25000.0


async def test_r3_without_a_client_certificate_is_refused(
    r3_url: str, pki: Pki, fake: FakeKaspi
) -> None:
    config = r3_config(r3_url, pki)
    trust_only = ssl.create_default_context(cafile=pki.ca)  # trusts the server, shows no cert
    async with httpx.AsyncClient(verify=trust_only, timeout=10.0) as http:
        with pytest.raises(KaspiTransportError) as caught:
            await KaspiQrClient(config, http).trade_points()
    assert caught.value.retryable is True
    assert fake.calls == []

    no_cert = KaspiQrConfig(base_url=r3_url, organization_bin=BIN, tls_ca=pki.ca)
    with pytest.raises(KaspiError, match="KASPI_TLS_CERT"):
        build_http(no_cert)


# -- configuration and helpers --------------------------------------------------------------


def test_scheme_comes_from_the_path() -> None:
    assert KaspiQrConfig("https://qrapi-cert-ip.kaspi.kz:8543/r1/v01").scheme == "r1"
    assert KaspiQrConfig("https://qrapi-cert-ip.kaspi.kz:8544/r2/v01/").scheme == "r2"
    with pytest.raises(ValueError, match="scheme"):
        _ = KaspiQrConfig("https://qrapi-cert-ip.kaspi.kz:8545/v01").scheme


def test_config_from_env() -> None:
    config = config_from_env(
        {
            "KASPI_QR_BASE_URL": "https://h:8545/r3/v01",
            "KASPI_ORGANIZATION_BIN": BIN,
            "KASPI_DEVICE_TOKEN": "t",
            "KASPI_TLS_CERT": "/c.pem",
            "KASPI_TLS_KEY": "/c.key",
            "KASPI_TLS_CA": "",
        }
    )
    assert config == KaspiQrConfig(
        base_url="https://h:8545/r3/v01",
        organization_bin=BIN,
        device_token="t",
        tls_cert="/c.pem",
        tls_key="/c.key",
    )
    with pytest.raises(KaspiError, match="KASPI_QR_BASE_URL"):
        config_from_env({})
    with pytest.raises(KaspiError, match="KASPI_QR_BASE_URL"):
        config_from_env({"KASPI_QR_BASE_URL": "https://h/v01"})


def test_phone_for_kaspi() -> None:
    assert phone_for_kaspi("+7 701 555 01 23") == "77015550123"
    assert phone_for_kaspi("8 (701) 555-01-23") == "77015550123"
    assert phone_for_kaspi("7015550123") == "77015550123"


def test_expire_date_is_parsed_leniently() -> None:
    almaty = dt.datetime(2030, 1, 2, 12, 30, tzinfo=KASPI_TZ)
    assert parse_expire_date("2030-01-02T12:30:00") == almaty
    assert parse_expire_date("2030-01-02T12:30:00+05:00") == almaty
    assert parse_expire_date("2030-01-02T07:30:00Z") == almaty
    assert parse_expire_date("2030-01-02T12:30:00.6243545+05:00") is not None
    assert parse_expire_date("garbage") is None
    assert parse_expire_date(None) is None


# -- the CLI --------------------------------------------------------------------------------


async def run_cli(*args: str, env: dict[str, str]) -> tuple[int, str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("KASPI_")}
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "kaspi",
        *args,
        cwd=ROOT,
        env={**base, **env},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await process.communicate()
    assert process.returncode is not None
    return process.returncode, out.decode(), err.decode()


async def test_cli_setup_registers_the_device(r1_url: str, fake: FakeKaspi) -> None:
    code, out, err = await run_cli(
        "setup",
        "--device-id",
        "test-box",
        env={"KASPI_QR_BASE_URL": r1_url, "KASPI_API_KEY": API_KEY},
    )
    assert code == 0, err
    assert "7  Dostyk 5" in out
    assert "KASPI_DEVICE_TOKEN=dev-token-test-box" in out.splitlines()
    assert "environment" in out
    assert fake.sent(shape.PATH_DEVICE_REGISTER).body == {
        shape.F_DEVICE_ID: "test-box",
        shape.F_TRADE_POINT_ID: 7,
    }


async def test_cli_setup_asks_which_of_several_trade_points(r1_url: str, fake: FakeKaspi) -> None:
    fake.trade_points.append({shape.F_TRADE_POINT_ID: 8, shape.F_TRADE_POINT_NAME: "Abay 10"})
    env = {"KASPI_QR_BASE_URL": r1_url, "KASPI_API_KEY": API_KEY}
    code, _out, err = await run_cli("setup", env=env)
    assert code == 1
    assert "--trade-point" in err
    assert "Traceback" not in err
    assert all(call.path != shape.PATH_DEVICE_REGISTER for call in fake.calls)

    code, _out, err = await run_cli("setup", "--trade-point", "8", env=env)
    assert code == 0, err
    assert fake.sent(shape.PATH_DEVICE_REGISTER).body[shape.F_TRADE_POINT_ID] == 8
    assert fake.sent(shape.PATH_DEVICE_REGISTER).body[shape.F_DEVICE_ID].startswith("zhilyego-")


async def test_cli_without_base_url_is_a_friendly_error() -> None:
    code, _out, err = await run_cli("setup", env={})
    assert code == 1
    assert "KASPI_QR_BASE_URL" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


async def test_cli_ping(r1_url: str) -> None:
    env = {"KASPI_QR_BASE_URL": r1_url, "KASPI_API_KEY": API_KEY}
    code, _out, err = await run_cli("ping", env=env)
    assert code == 0, err
    dead = {**env, "KASPI_QR_BASE_URL": f"http://127.0.0.1:{free_port()}/r1/v01"}
    code, _out, err = await run_cli("ping", env=dead)
    assert code == 1
    assert "Traceback" not in err
