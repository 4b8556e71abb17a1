"""Nothing starts without ENCRYPTION_KEY, production refuses unsafe settings, keys rotate,
and secrets never reach the logs."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
import structlog
from cryptography.fernet import Fernet

from api.app import create_app
from core.crypto import CodeCipher
from core.logging import configure_logging, get_logger
from core.settings import ConfigError, Settings, load_settings

ROOT = Path(__file__).resolve().parent.parent
KEY_MISSING = "ENCRYPTION_KEY is required"


@pytest.fixture
def env(monkeypatch, tmp_path):
    """An environment with none of our settings, in a folder without a .env file."""
    monkeypatch.chdir(tmp_path)
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    return monkeypatch


def production(env, **overrides: str | None) -> None:
    """A safe production environment, then the overrides (None removes a variable)."""
    values: dict[str, str | None] = {
        "APP_ENV": "production",
        "ENCRYPTION_KEY": Fernet.generate_key().decode(),
        "KASPI_MODE": "gateway",
        "KASPI_WEBHOOK_SECRET": secrets.token_hex(16),
        "KASPI_API_KEY": secrets.token_hex(16),
        **overrides,
    }
    for name, value in values.items():
        if value is None:
            env.delenv(name, raising=False)
        else:
            env.setenv(name, value)


def test_settings_without_encryption_key_refuse_to_start(env):
    settings = load_settings()

    with pytest.raises(ConfigError, match=KEY_MISSING) as refused:
        settings.require_startable()

    assert "Fernet.generate_key()" in str(refused.value)  # tells how to make one


def test_api_refuses_to_start_without_encryption_key(env):
    with pytest.raises(ConfigError, match=KEY_MISSING):
        create_app(Settings(encryption_key=None))


def test_worker_refuses_to_start_without_encryption_key(tmp_path):
    ours = {name.upper() for name in Settings.model_fields}
    environment = {k: v for k, v in os.environ.items() if k not in ours}

    worker = subprocess.run(
        [sys.executable, str(ROOT / "worker.py")],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert worker.returncode != 0
    assert KEY_MISSING in worker.stderr


@pytest.mark.parametrize("keys", [[], ["not-a-fernet-key"]], ids=["no-key", "malformed-key"])
def test_cipher_refuses_to_work_without_a_usable_key(keys):
    with pytest.raises(ConfigError, match="ENCRYPTION_KEY"):
        CodeCipher(keys)


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        pytest.param({"AUTO_CONFIRM_PAYMENTS": "true"}, "AUTO_CONFIRM_PAYMENTS", id="auto-confirm"),
        pytest.param(
            {"KASPI_WEBHOOK_SECRET": None}, "KASPI_WEBHOOK_SECRET", id="no-webhook-secret"
        ),
        pytest.param(
            {"KASPI_WEBHOOK_SECRET": "changethis"}, "KASPI_WEBHOOK_SECRET", id="default-secret"
        ),
        pytest.param({"KASPI_API_KEY": "changethis"}, "KASPI_API_KEY", id="default-api-key"),
        pytest.param({"DEBUG": "true"}, "DEBUG", id="debug"),
        pytest.param({"ENCRYPTION_KEY": None}, "ENCRYPTION_KEY", id="no-encryption-key"),
    ],
)
def test_production_refuses_unsafe_settings(env, overrides, problem):
    production(env, **overrides)

    with pytest.raises(ConfigError, match="unsafe production settings") as refused:
        load_settings()

    assert problem in str(refused.value)


def kaspi_qr(scheme: str = "r3", **overrides: str | None) -> dict[str, str | None]:
    """Kaspi QR in production: no webhook secret, the scheme's own credentials."""
    values: dict[str, str | None] = {
        "KASPI_MODE": None,  # qr is the default
        "KASPI_WEBHOOK_SECRET": None,
        "KASPI_QR_BASE_URL": f"https://qrapi-cert-ip.kaspi.kz:8545/{scheme}/v01",
        "KASPI_DEVICE_TOKEN": secrets.token_hex(16),
        "KASPI_TLS_CERT": "/etc/kaspi/client.pem",
        "KASPI_TLS_KEY": "/etc/kaspi/client.key",
        "KASPI_ORGANIZATION_BIN": "123456789012",
        "KASPI_API_KEY": None,
    }
    if scheme == "r1":
        values.update(KASPI_API_KEY=secrets.token_hex(16), KASPI_TLS_CERT=None, KASPI_TLS_KEY=None)
    return {**values, **overrides}


@pytest.mark.parametrize("scheme", ["r1", "r3"])
def test_kaspi_qr_in_production_needs_no_webhook_secret(env, scheme):
    production(env, **kaspi_qr(scheme))

    settings = load_settings().require_startable()

    assert (settings.kaspi_mode, settings.kaspi_scheme()) == ("qr", scheme)


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        pytest.param({"KASPI_QR_BASE_URL": None}, "KASPI_QR_BASE_URL", id="no-base-url"),
        pytest.param({"KASPI_DEVICE_TOKEN": None}, "KASPI_DEVICE_TOKEN", id="no-device-token"),
        pytest.param({"KASPI_TLS_KEY": None}, "KASPI_TLS_KEY", id="r3-without-key"),
        pytest.param(
            {"KASPI_ORGANIZATION_BIN": None}, "KASPI_ORGANIZATION_BIN", id="r3-without-bin"
        ),
        pytest.param({"KASPI_QR_BASE_URL": "https://kaspi.example/v01"}, "/r3/v01", id="no-scheme"),
    ],
)
def test_production_refuses_kaspi_qr_without_credentials(env, overrides, problem):
    production(env, **kaspi_qr("r3", **overrides))

    with pytest.raises(ConfigError, match="unsafe production settings") as refused:
        load_settings()

    assert problem in str(refused.value)


def test_production_refuses_kaspi_qr_r1_without_api_key(env):
    production(env, **kaspi_qr("r1", KASPI_API_KEY=None))

    with pytest.raises(ConfigError, match="r1 scheme needs KASPI_API_KEY"):
        load_settings()


def test_production_reads_the_dotenv_file_too(env, tmp_path):
    production(env)
    (tmp_path / ".env").write_text("AUTO_CONFIRM_PAYMENTS=true\n")

    with pytest.raises(ConfigError, match="AUTO_CONFIRM_PAYMENTS"):
        load_settings()


def test_safe_production_settings_load(env):
    production(env)

    settings = load_settings().require_startable()

    assert settings.app_env == "production"
    assert settings.auto_confirm_payments is False
    assert settings.debug is False


def test_key_rotation():
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    stored = CodeCipher([old]).encrypt("KS-4821")

    both = CodeCipher([new, old])
    rotated = both.rotate(stored)

    assert both.decrypt(stored) == "KS-4821"
    assert rotated != stored
    assert CodeCipher([new]).decrypt(rotated) == "KS-4821"
    with pytest.raises(ValueError, match="cannot be decrypted"):
        CodeCipher([new]).decrypt(stored)  # the old token needs the old key


def test_wrong_key_cannot_decrypt():
    stored = CodeCipher([Fernet.generate_key().decode()]).encrypt("SL-937155")

    with pytest.raises(ValueError, match="cannot be decrypted"):
        CodeCipher([Fernet.generate_key().decode()]).decrypt(stored)


@pytest.fixture
def restored_logging():
    root = logging.getLogger()
    handlers, level, config = root.handlers[:], root.level, structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    structlog.configure(**config)


def test_secret_values_never_reach_the_logs(capsys, restored_logging):
    configure_logging("INFO")
    secret_values = {
        "key_safe_code": "KS-77331",
        "token": "zg_tok-5520",
        "api_key": "ak-9164",
        "kaspi_signature": "ab12cd34",
    }

    get_logger("tests.redaction").info("codes sent", booking_id="B0000001", **secret_values)
    out = capsys.readouterr().out

    lines = [json.loads(line) for line in out.splitlines() if "codes sent" in line]
    assert len(lines) == 1 and lines[0]["booking_id"] == "B0000001"
    assert {key: lines[0][key] for key in secret_values} == dict.fromkeys(
        secret_values, "[redacted]"
    )
    assert not [value for value in secret_values.values() if value in out]
