"""Host and forwarded headers: outside development the API answers only its public host
(so no `Host: evil.example` lands in a redirect), and X-Forwarded-For / -Proto count only
from the configured proxies (so no caller picks its own address or scheme).

Each case runs a second API under uvicorn as `python -m api.serve` builds it, on the
stack's database and Redis.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from cryptography.fernet import Fernet
from pydantic import ValidationError

from api.app import create_app
from api.serve import server_config
from core.settings import Settings
from devstack.__main__ import APP_PROCESSES
from tests.support.servers import free_port, serve_config

ROOT = Path(__file__).resolve().parents[2]
PUBLIC = "rent.zhilyego.test"


def public_api(stack: Any, **overrides: Any) -> Settings:
    """The stack's settings with the defaults of a deployment at https://rent.zhilyego.test."""
    defaults = Settings()
    settings: Settings = stack.settings.model_copy(
        update={
            "public_base_url": f"https://{PUBLIC}",
            "trusted_hosts": defaults.trusted_hosts,
            "trusted_proxies": defaults.trusted_proxies,
            "telegram_bot_token": None,  # the stack's process already runs the bot
            "rate_limit_key_prefix": "ratelimit-hosts-" + secrets.token_hex(4),
            **overrides,
        }
    )
    return settings


def launched(settings: Settings):
    config = server_config(
        settings, create_app(settings), host="127.0.0.1", port=free_port(), log_level="warning"
    )
    return serve_config(config)


async def test_only_the_public_host_is_answered_outside_development(stack):
    async with launched(public_api(stack)) as url, httpx.AsyncClient(base_url=url) as http:
        evil = await http.get("/admin/", headers={"Host": "evil.example"})
        evil_login = await http.post(
            "/admin/login", headers={"Host": "evil.example"}, data={"username": "a"}
        )
        loopback = await http.get("/healthz")
        public = await http.get("/admin/", headers={"Host": PUBLIC})
    assert (evil.status_code, evil_login.status_code) == (400, 400)
    assert "location" not in evil.headers and "evil.example" not in evil.text
    assert loopback.status_code == 400  # loopback names are for development only
    assert public.status_code == 302
    assert public.headers["location"] == f"http://{PUBLIC}/admin/login"


def production(**overrides: Any) -> Settings:
    return Settings(
        app_env="production",
        public_base_url=f"https://{PUBLIC}",
        kaspi_mode="gateway",
        kaspi_webhook_secret="a-real-webhook-secret-" + secrets.token_hex(8),
        kaspi_api_key="a-real-api-key-" + secrets.token_hex(8),
        encryption_key=Fernet.generate_key().decode(),
        **overrides,
    )


def test_default_hosts_follow_the_public_url_and_production_refuses_any_host():
    assert production().allowed_hosts() == [PUBLIC]
    assert production(trusted_hosts=["api.internal"]).allowed_hosts() == [PUBLIC, "api.internal"]
    development = Settings(app_env="development").allowed_hosts()
    assert {"127.0.0.1", "localhost"} <= set(development)
    explicit = Settings(app_env="test", trusted_hosts=["127.0.0.1", "test"]).allowed_hosts()
    assert {"127.0.0.1", "test"} == set(explicit)
    with pytest.raises(ValidationError, match="TRUSTED_HOSTS"):
        production(trusted_hosts=["*"])


async def failed_sign_ins(http: httpx.AsyncClient, addresses: list[str]) -> list[int]:
    answers = []
    for address in addresses:
        answer = await http.post(
            "/admin/login",
            headers={"Host": PUBLIC, "X-Forwarded-For": address},
            data={"username": f"nobody-{secrets.token_hex(4)}@example.kz", "password": "x"},
        )
        answers.append(answer.status_code)
    return answers


SPOOFED = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"]


async def test_forwarded_headers_from_anyone_else_are_ignored(stack):
    settings = public_api(stack, admin_login_failures_per_address=3)
    async with launched(settings) as url, httpx.AsyncClient(base_url=url) as http:
        redirect = await http.get("/admin/", headers={"Host": PUBLIC, "X-Forwarded-Proto": "https"})
        # A new made-up address each time does not escape the per-address limit.
        statuses = await failed_sign_ins(http, SPOOFED)
    assert redirect.headers["location"].startswith("http://")
    assert statuses == [400, 400, 400, 429]


async def test_a_configured_proxy_is_believed(stack):
    settings = public_api(stack, admin_login_failures_per_address=3, trusted_proxies=["127.0.0.1"])
    async with launched(settings) as url, httpx.AsyncClient(base_url=url) as http:
        redirect = await http.get("/admin/", headers={"Host": PUBLIC, "X-Forwarded-Proto": "https"})
        statuses = await failed_sign_ins(http, SPOOFED)
    assert redirect.headers["location"] == f"https://{PUBLIC}/admin/login"
    assert statuses == [400, 400, 400, 400]  # four callers behind the proxy


def test_every_launch_point_starts_the_api_through_api_serve():
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    launches = [
        cmd,
        " ".join(compose["services"]["api"]["command"]),
        " ".join(APP_PROCESSES["api"]),
    ]
    for launch in launches:
        assert "-m api.serve" in launch.replace('", "', " "), launch
        assert "forwarded-allow-ips" not in launch and "proxy-headers" not in launch, launch
