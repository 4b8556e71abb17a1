"""structlog JSON logging with redaction steps, so secrets cannot reach the logs.

Besides secret-named keys, URLs lose their capabilities: an apartment's iCal token and a
booking id (the guest's key to it) become placeholders in our lines, in uvicorn's access
log and in what Sentry is sent.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import MutableMapping
from typing import Any

import structlog

# Keys whose values are never logged, whatever the caller passes.
SECRET_KEYS = re.compile(
    r"(code|codes|token|secret|password|signature|api_key|authorization|encryption)", re.I
)
REDACTED = "[redacted]"
_URL_SECRETS = (
    (re.compile(r"(/ical/)[^/?#\s\"']+?(\.ics)?(?=[/?#\s\"']|$)"), r"\1{token}\2"),
    (re.compile(r"(/bookings/)[^/?#\s\"']+"), r"\1{booking_id}"),
    (re.compile(r"(/admin/booking/(?:details|edit)/)[^/?#\s\"']+"), r"\1{booking_id}"),
    (re.compile(r"([?&](?:pks|search|booking_id|token)=)[^&#\s\"']*"), r"\1{redacted}"),
)


def redact_url(text: str) -> str:
    """`/ical/<token>.ics`, booking ids in paths and id-bearing query values, replaced."""
    if "/" not in text and "=" not in text:
        return text
    for pattern, placeholder in _URL_SECRETS:
        text = pattern.sub(placeholder, text)
    return text


def redact_urls_in(value: Any) -> Any:
    """Every string inside lists, tuples and dicts (Sentry events, log arguments)."""
    if isinstance(value, str):
        return redact_url(value)
    if isinstance(value, dict):
        return {k: redact_urls_in(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(redact_urls_in(v) for v in value)
    return value


def redact_secrets(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key in list(event):
        if key != "event" and SECRET_KEYS.search(key):
            event[key] = REDACTED
    return event


def redact_urls(
    _logger: Any, _method: str, event: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    for key, value in event.items():
        if isinstance(value, str):
            event[key] = redact_url(value)
    return event


class AccessLogRedaction(logging.Filter):
    """On uvicorn's access logger, whichever handlers uvicorn's log config gives it."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = redact_urls_in(record.args)
        elif isinstance(record.msg, str):
            record.msg = redact_url(record.msg)
        return True


def configure_logging(level: str = "INFO") -> None:
    """JSON lines on stdout for our logs and for the libraries' stdlib logs alike."""
    shared: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        redact_secrets,
        redact_urls,
    ]
    structlog.configure(
        processors=[*shared, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=shared,
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(ensure_ascii=False),
            ],
        )
    )
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "aiohttp.access", "asyncio"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    access = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogRedaction) for f in access.filters):
        access.addFilter(AccessLogRedaction())


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    logger: structlog.stdlib.BoundLogger = structlog.stdlib.get_logger(name)
    return logger
