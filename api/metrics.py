"""Prometheus metrics of the API process, served at /metrics."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

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
    "missing_signature", "bad_timestamp", "stale_timestamp", "bad_signature",
):  # fmt: skip
    KASPI_WEBHOOKS.labels(_outcome)
for _result in ("hit", "miss"):
    SEARCH_CACHE.labels(_result)
__all__ = ["BOOKING_HOLDS", "HTTP_LATENCY", "HTTP_REQUESTS", "KASPI_WEBHOOKS", "SEARCH_CACHE"]


def install_metrics(app: FastAPI) -> None:
    @app.middleware("http")
    async def measure(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        started = time.perf_counter()
        response = await call_next(request)
        route = request.scope.get("route")
        path = getattr(route, "path", "unmatched")
        HTTP_REQUESTS.labels(request.method, path, str(response.status_code)).inc()
        HTTP_LATENCY.labels(request.method, path).observe(time.perf_counter() - started)
        return response

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)
