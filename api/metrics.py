"""Prometheus metrics of the API process, served at /metrics."""

from __future__ import annotations

import time

from fastapi import FastAPI, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest
from starlette.types import Message, Receive, Scope, Send

from api.asgi import HttpMiddleware
from core.metrics import SEARCH_CACHE

HTTP_REQUESTS = Counter(
    "zhilyego_http_requests_total", "HTTP requests", ["method", "route", "status"]
)
HTTP_LATENCY = Histogram(
    "zhilyego_http_request_seconds", "HTTP request latency", ["method", "route"]
)
BOOKING_HOLDS = Counter("zhilyego_booking_holds_total", "Hold attempts by outcome", ["outcome"])
KASPI_WEBHOOKS = Counter(
    "zhilyego_kaspi_webhooks_total", "Kaspi webhook calls by outcome", ["outcome"]
)
# Shown at 0 from the start, so dashboards and ratios exist before the first event.
for _outcome in ("held", "dates_unavailable", "invalid"):
    BOOKING_HOLDS.labels(_outcome)
for _outcome in (
    "accepted", "duplicate", "ignored", "malformed", "unknown_booking", "booking_closed",
    "refunding",
    "missing_signature", "bad_timestamp", "stale_timestamp", "bad_signature",
):  # fmt: skip
    KASPI_WEBHOOKS.labels(_outcome)
for _result in ("hit", "miss"):
    SEARCH_CACHE.labels(_result)
__all__ = ["BOOKING_HOLDS", "HTTP_LATENCY", "HTTP_REQUESTS", "KASPI_WEBHOOKS", "SEARCH_CACHE"]


class MetricsMiddleware(HttpMiddleware):
    """Counts and times every HTTP request by route template and status.

    Pure ASGI (not `@app.middleware("http")`): no extra task and stream per request, which
    matters on the cache-hit path of search. A request that fails before a response is
    started counts as a 500.
    """

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        started = time.perf_counter()
        status = 500

        async def send_and_note(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            # The router put the matched route into this same scope dict.
            path = getattr(scope.get("route"), "path", "unmatched")
            HTTP_REQUESTS.labels(scope["method"], path, str(status)).inc()
            HTTP_LATENCY.labels(scope["method"], path).observe(time.perf_counter() - started)


def install_metrics(app: FastAPI) -> None:
    app.add_middleware(MetricsMiddleware)

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
