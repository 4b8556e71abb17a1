"""The one settings object, read from the environment (and `.env`) once."""

from __future__ import annotations

from datetime import time, timedelta
from functools import lru_cache
from typing import Literal, Self
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# Values that ship in examples and must never reach production.
DEFAULT_SECRETS = frozenset({"", "changethis", "change-me", "dev-secret", "secret"})
DEVELOPMENT_HOSTS = ("localhost", "127.0.0.1", "*.localhost")


class ConfigError(RuntimeError):
    """The environment does not describe a runnable app; the message says what to fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    app_env: Literal["development", "test", "production"] = "development"
    debug: bool = False
    public_base_url: str = "http://127.0.0.1:8000"
    # Browser origins allowed to call the API (CORS); empty keeps CORS closed.
    cors_origins: list[str] = []
    # Bodies larger than this are refused with 413 before they are read.
    max_request_body_bytes: int = Field(default=1024 * 1024, ge=0)
    # Requests a minute (sliding window, in Redis); 0 turns a limit off.
    rate_limit_webhook_per_minute: int = Field(default=100, ge=0)  # per caller IP
    rate_limit_api_per_minute: int = Field(default=600, ge=0)  # per token's user, else per IP
    rate_limit_bot_updates_per_minute: int = Field(default=30, ge=0)  # per Telegram user
    rate_limit_key_prefix: str = "ratelimit"  # Redis keys; apps sharing a Redis can split

    # Web admin and HTTP hardening
    # Host names answered besides public_base_url's (development adds localhost names).
    trusted_hosts: list[str] = []
    # Reverse proxies (IPs or CIDRs) whose X-Forwarded-For / -Proto are believed; none by default.
    trusted_proxies: list[str] = []
    # Failed admin sign-ins counted per account and per address within the window.
    admin_login_failures_per_account: int = Field(default=5, ge=1)
    admin_login_failures_per_address: int = Field(default=20, ge=1)
    admin_login_window: timedelta = timedelta(minutes=15)
    admin_login_lockout: timedelta = timedelta(minutes=15)  # an account's, after its failures
    # Admin sessions live in Redis (revoked at logout) and end this long after the last use.
    admin_session_ttl: timedelta = timedelta(hours=12)

    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/zhilyego"
    redis_url: str = "redis://127.0.0.1:6379/0"
    temporal_address: str = "127.0.0.1:7233"
    temporal_namespace: str = "default"
    temporal_task_queue: str = "bookings"
    temporal_ui_url: str = "http://127.0.0.1:8233"
    worker_metrics_address: str = "127.0.0.1:9464"
    # Workflows kept in a worker's memory between tasks (sticky); 0 replays each task from
    # its history (less memory, more CPU).
    worker_max_cached_workflows: int = Field(default=1000, ge=0)

    # Fernet keys, newest first, comma separated; older keys still decrypt (rotation).
    encryption_key: SecretStr | None = None

    # Temporal payload encryption
    # Workflow inputs, results, signals and updates are sealed (AES-GCM) before they reach
    # Temporal, so names and phones stay out of its history. Keys as ENCRYPTION_KEY's:
    # newest first, older ones still decrypt. Unset: ENCRYPTION_KEY's keys.
    temporal_payload_key: SecretStr | None = None
    # A staff sign-in at /temporal-codec/login (the cookie the Temporal UI sends) lasts this.
    temporal_codec_sign_in: timedelta = timedelta(hours=8)

    # Kaspi: "qr" is Kaspi's own merchant API (Kaspi QR, KASPI.md): payment links and invoices,
    # learned by polling payment/status, refunds through payment/return, no webhook.
    # "gateway" is a payment gateway in front of Kaspi that posts signed webhooks.
    kaspi_mode: Literal["qr", "gateway"] = "qr"
    # e.g. https://qrapi-cert-ip.kaspi.kz:8545/r3/v01; the path names the scheme (r1/r2/r3).
    kaspi_qr_base_url: str | None = None
    kaspi_organization_bin: str | None = None  # r3: the merchant's 12-digit BIN
    kaspi_device_token: SecretStr | None = None  # from `python -m kaspi setup`
    kaspi_tls_cert: str | None = None  # r2/r3 client certificate (PEM path)
    kaspi_tls_key: str | None = None
    kaspi_tls_ca: str | None = None  # Kaspi's CA; the system's when unset
    # A waiting booking's status poll reports in this often; a worker silent longer is
    # presumed dead and the poll restarts on another.
    kaspi_watch_heartbeat_timeout: timedelta = timedelta(seconds=30)

    # Gateway mode (KASPI_MODE=gateway): the gateway's invoice and refund endpoints.
    kaspi_api_url: str = "http://127.0.0.1:8100/api/v1"
    kaspi_refund_url: str = "http://127.0.0.1:8100/api/v1/refunds"
    kaspi_api_key: SecretStr = SecretStr("dev-secret")
    kaspi_merchant_id: str = "zhilyego-dev"
    kaspi_webhook_secret: SecretStr | None = None
    kaspi_webhook_tolerance_seconds: int = 300
    auto_confirm_payments: bool = False

    kaspi_payment_timeout: timedelta = timedelta(minutes=30)
    manual_payment_timeout: timedelta = timedelta(hours=24)
    kaspi_poll_interval: timedelta = timedelta(minutes=1)
    codes_lead_time: timedelta = timedelta(hours=3)
    review_reminder_after: timedelta = timedelta(days=1)
    review_window: timedelta = timedelta(days=7)
    # How often each external calendar (Airbnb, Booking.com, …) is imported.
    ical_import_interval: timedelta = timedelta(minutes=15)

    # External calendar feeds (SSRF guard, caps)
    # Hosts a feed may use although private or local (on-premise feeds, tests): names, IPs
    # or CIDRs, each with ":port" or without (then any port), e.g. ["10.0.0.5:8080"].
    # Empty everywhere by default, `make dev` included.
    feed_allowed_hosts: list[str] = []
    feed_allowed_ports: list[int] = []  # besides 80 and 443
    feed_max_bytes: int = Field(default=2_000_000, ge=1)  # decompressed
    feed_max_events: int = Field(default=5000, ge=1)
    feed_fetch_deadline_seconds: float = Field(default=20, gt=0)  # the whole fetch, redirects too
    # Imports run on their own queue and slots: a slow feed never delays a booking.
    ical_task_queue: str = "ical-imports"
    ical_max_concurrent_activities: int = Field(default=2, ge=1)

    manual_payment_recipient: str = "ТОО «ЖильеGO»"
    manual_payment_bank: str = "АО «Kaspi Bank»"
    manual_payment_iban: str = "KZ00722S000000000000"
    manual_payment_bin: str = "000000000000"
    manual_payment_note: str = "В назначении платежа укажите номер брони"

    telegram_bot_token: SecretStr | None = None
    telegram_api_base: str = "https://api.telegram.org"
    # Telegram echoes it in X-Telegram-Bot-Api-Secret-Token; webhook calls without it get 403.
    telegram_webhook_secret: SecretStr | None = None
    # The public HTTPS address of this API: Telegram opens the dates Mini App
    # (/webapp/dates) from it. Unset (make dev), the bots offer buttons and typed dates.
    webapp_base_url: str = ""
    whatsapp_token: SecretStr | None = None
    whatsapp_phone_number_id: str = ""
    whatsapp_api_base: str = "https://graph.facebook.com/v21.0"
    # Signs every webhook (X-Hub-Signature-256); without it the webhook answers 404.
    whatsapp_app_secret: SecretStr | None = None
    # Echoed by Meta in the GET handshake (hub.verify_token).
    whatsapp_verify_token: SecretStr | None = None
    # Approved template per notification event, sent outside the 24-hour window;
    # events not listed use "default".
    whatsapp_templates: dict[str, str] = {"default": "booking_update"}
    # The published dates Flow (bots/whatsapp/flows/dates.json); unset, dates are asked
    # with lists and typed dates.
    whatsapp_dates_flow_id: str = ""
    # A notification that failed this many times on the booking's channel goes to the
    # user's other messenger (if any) on its next Temporal retry.
    notify_fallback_after_attempts: int = Field(default=3, ge=1, le=7)

    # Uploaded photos: a local folder served by the API under /media, unless a bucket is set.
    media_root: str = ".data/media"
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_access_key: SecretStr | None = None
    s3_secret_key: SecretStr | None = None
    # Where the bucket's objects are read from (CDN or the endpoint/bucket URL).
    s3_public_url: str | None = None

    # Daily owner nudges (a Temporal Schedule, 09:00 Asia/Almaty by default).
    nudges_daily_at: time = time(9, 0)
    nudge_photos_max_age_days: int = Field(default=90, ge=1)
    nudge_price_stale_days: int = Field(default=30, ge=1)
    # Occupancy and cancellation share are measured over the last 30 days.
    nudge_low_occupancy_percent: int = Field(default=30, ge=0, le=100)
    nudge_ko_factor_percent: int = Field(default=30, ge=0, le=100)
    nudge_ko_min_bookings: int = Field(default=3, ge=1)

    sentry_dsn: str | None = None
    log_level: str = "INFO"
    search_page_size: int = Field(default=10, ge=1, le=50)
    # Search pages live this long in Redis; 0 turns the cache off.
    search_cache_ttl_seconds: int = Field(default=300, ge=0, le=86_400)
    # A check-in may be at most this many days after today (Asia/Almaty).
    booking_horizon_days: int = Field(default=365, ge=1, le=3650)

    @field_validator("feed_allowed_hosts")
    @classmethod
    def _feed_hosts_parse(cls, hosts: list[str]) -> list[str]:
        from core.safe_fetch import Trusted  # the guard's own reading of an entry

        for entry in hosts:
            Trusted.parse(entry)  # a bad entry is a ValueError: refused at start-up
        return hosts

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Self:
        if self.app_env != "production":
            return self
        problems: list[str] = []
        if self.auto_confirm_payments:
            problems.append("AUTO_CONFIRM_PAYMENTS=true is for development only")
        if self.debug:
            problems.append("DEBUG must be off")
        problems += self._kaspi_problems()
        if self.encryption_key is None:
            problems.append("ENCRYPTION_KEY must be set")
        if "*" in self.trusted_hosts:
            problems.append("TRUSTED_HOSTS must name hosts, not *")
        if problems:
            raise ValueError("unsafe production settings: " + "; ".join(problems))
        return self

    def _kaspi_problems(self) -> list[str]:
        """What production lacks to take money in the chosen Kaspi mode."""
        key = self.kaspi_api_key.get_secret_value()
        if self.kaspi_mode == "gateway":
            problems = []
            secret = self.kaspi_webhook_secret
            if secret is None or secret.get_secret_value() in DEFAULT_SECRETS:
                problems.append("KASPI_WEBHOOK_SECRET must be set to a real secret")
            if key in DEFAULT_SECRETS:
                problems.append("KASPI_API_KEY must be set to a real key")
            return problems
        if not self.kaspi_qr_base_url:
            return ["KASPI_MODE=qr needs KASPI_QR_BASE_URL (e.g. https://...:8545/r3/v01)"]
        problems = []
        token = self.kaspi_device_token
        if token is None or token.get_secret_value() in DEFAULT_SECRETS:
            problems.append("KASPI_DEVICE_TOKEN must be set (python -m kaspi setup prints it)")
        scheme = self.kaspi_scheme()
        if scheme == "r1" and key in DEFAULT_SECRETS:
            problems.append("the r1 scheme needs KASPI_API_KEY")
        if scheme in ("r2", "r3") and not (self.kaspi_tls_cert and self.kaspi_tls_key):
            problems.append(f"the {scheme} scheme needs KASPI_TLS_CERT and KASPI_TLS_KEY")
        if scheme == "r3" and not self.kaspi_organization_bin:
            problems.append("the r3 scheme needs KASPI_ORGANIZATION_BIN")
        if scheme is None:
            problems.append("KASPI_QR_BASE_URL must end in /r1/v01, /r2/v01 or /r3/v01")
        return problems

    def kaspi_scheme(self) -> str | None:
        """r1, r2 or r3, read off KASPI_QR_BASE_URL's path."""
        path = urlsplit(self.kaspi_qr_base_url or "").path.strip("/").split("/")
        found = [part for part in path if part in ("r1", "r2", "r3")]
        return found[-1] if found else None

    def encryption_keys(self) -> list[str]:
        """The Fernet keys, newest first; refuses to answer without one."""
        raw = self.encryption_key.get_secret_value() if self.encryption_key else ""
        keys = [k.strip() for k in raw.split(",") if k.strip()]
        if not keys:
            raise ConfigError(
                "ENCRYPTION_KEY is required. Generate one with: python -c "
                '"from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())"'
            )
        return keys

    def allowed_hosts(self) -> list[str]:
        """Host headers the API answers: public_base_url's host, the configured ones and, in
        development, the loopback names."""
        hosts = [urlsplit(self.public_base_url).hostname or "", *self.trusted_hosts]
        if self.app_env == "development":
            hosts += DEVELOPMENT_HOSTS
        return list(dict.fromkeys(h for h in hosts if h))

    def https(self) -> bool:
        return self.public_base_url.lower().startswith("https://")

    def temporal_payload_keys(self) -> list[str]:
        """The Temporal payload codec's keys, newest first (core/payload_codec.py)."""
        raw = self.temporal_payload_key.get_secret_value() if self.temporal_payload_key else ""
        return [k.strip() for k in raw.split(",") if k.strip()] or self.encryption_keys()

    def require_startable(self) -> Self:
        """Checks done by every process before it starts serving."""
        self.encryption_keys()
        return self


def load_settings() -> Settings:
    """Reads the environment; a bad value becomes a ConfigError with a readable reason."""
    try:
        return Settings()
    except ValidationError as exc:
        reasons = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'settings'}: {e['msg']}" for e in exc.errors()
        )
        raise ConfigError(f"invalid configuration: {reasons}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
