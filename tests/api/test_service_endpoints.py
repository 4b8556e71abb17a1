"""Health, readiness, Prometheus metrics and the OpenAPI documents of the API."""

from __future__ import annotations

import secrets

from prometheus_client.parser import text_string_to_metric_families

# The public routes of issue 2 (/metrics is served too, outside the OpenAPI schema).
ISSUE_2_ROUTES = {
    ("get", "/api/v1/properties"),
    ("get", "/api/v1/properties/{property_id}"),
    ("get", "/api/v1/properties/{property_id}/calendar"),
    ("post", "/api/v1/bookings"),
    ("get", "/api/v1/bookings/{booking_id}"),
    ("post", "/api/v1/bookings/{booking_id}/cancel"),
    ("post", "/api/v1/bookings/{booking_id}/manual-payment"),
    ("post", "/api/v1/bookings/{booking_id}/payment-link"),
    ("post", "/api/v1/payments/kaspi/webhook"),
    ("get", "/healthz"),
    ("get", "/readyz"),
}
# Public routes added by later issues (issue 5: the iCal feed; issue 13: quotes and the
# owner's pricing rules).
LATER_ROUTES = {
    ("get", "/ical/{token}.ics"),
    ("get", "/api/v1/properties/{property_id}/quote"),
    ("get", "/api/v1/properties/{property_id}/pricing"),
    ("put", "/api/v1/properties/{property_id}/pricing"),
}


async def metric(stack, name: str, **labels: str) -> float:
    response = await stack.http.get("/metrics")
    assert response.status_code == 200
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return 0.0


async def test_healthz_and_readyz(stack):
    health = await stack.http.get("/healthz")
    ready = await stack.http.get("/readyz")

    assert (health.status_code, health.json()) == (200, {"status": "ok"})
    assert ready.status_code == 200
    assert ready.json() == {
        "status": "ready",
        "checks": {"database": "ok", "redis": "ok", "temporal": "ok"},
    }


async def test_metrics_count_requests_and_webhook_outcomes(stack):
    healthz = {"method": "GET", "route": "/healthz", "status": "200"}
    unsigned = {"outcome": "missing_signature"}
    requests_before = await metric(stack, "zhilyego_http_requests_total", **healthz)
    webhooks_before = await metric(stack, "zhilyego_kaspi_webhooks_total", **unsigned)

    await stack.http.get("/healthz")
    refused = await stack.http.post("/api/v1/payments/kaspi/webhook", content=b"{}")

    assert refused.status_code == 403
    assert await metric(stack, "zhilyego_http_requests_total", **healthz) >= requests_before + 1
    assert await metric(stack, "zhilyego_kaspi_webhooks_total", **unsigned) >= webhooks_before + 1


async def test_metrics_show_the_search_cache_hit_ratio(stack):
    """Two identical searches: the first misses and fills the cache, the second hits."""
    hits_before = await metric(stack, "zhilyego_search_cache_total", result="hit")
    misses_before = await metric(stack, "zhilyego_search_cache_total", result="miss")
    params = {"city": "Almaty", "district": "Метрика-" + secrets.token_hex(4)}

    first = await stack.http.get("/api/v1/properties", params=params)
    second = await stack.http.get("/api/v1/properties", params=params)

    assert first.status_code == second.status_code == 200
    assert first.json() == second.json()
    hits = await metric(stack, "zhilyego_search_cache_total", result="hit") - hits_before
    misses = await metric(stack, "zhilyego_search_cache_total", result="miss") - misses_before
    assert (hits, misses) == (1, 1)
    assert hits / (hits + misses) == 0.5


async def test_metrics_list_every_webhook_and_hold_outcome_from_the_start(stack):
    text = (await stack.http.get("/metrics")).text
    for outcome in ("accepted", "bad_signature", "stale_timestamp", "duplicate", "malformed"):
        assert f'zhilyego_kaspi_webhooks_total{{outcome="{outcome}"}}' in text
    for outcome in ("held", "dates_unavailable", "invalid"):
        assert f'zhilyego_booking_holds_total{{outcome="{outcome}"}}' in text


async def test_docs_describe_exactly_the_public_routes(stack):
    docs = await stack.http.get("/docs")
    schema = await stack.http.get("/openapi.json")

    assert docs.status_code == 200 and "swagger" in docs.text.lower()
    assert schema.status_code == 200
    documented = {
        (method, path) for path, item in schema.json()["paths"].items() for method in item
    }
    assert documented == ISSUE_2_ROUTES | LATER_ROUTES
