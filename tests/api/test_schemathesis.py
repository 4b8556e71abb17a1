"""schemathesis against the API's own OpenAPI schema: no 5xx, no response that breaks it.

Each operation gets a bounded, derandomised number of generated requests (a few seconds in
the suite); set SCHEMATHESIS_EXAMPLES for a longer run on demand. The cases run in a thread
because the API is served by the test's own event loop.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core.failures import FailureGroup

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "15"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def fuzz(raw_schema: dict[str, Any], base_url: str) -> tuple[list[str], list[str]]:
    """Every operation's generated cases; (operations run, failures as readable text)."""
    schema = schemathesis.openapi.from_dict(raw_schema)
    ran: list[str] = []
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()  # type: ignore[union-attr]  # an invalid schema raises here
        ran.append(operation.label)

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            derandomize=True,
            deadline=None,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case: Any) -> None:
            case.call_and_validate(base_url=base_url, checks=CHECKS, timeout=30)

        try:
            run()
        except (Exception, FailureGroup) as exc:  # every operation's failure is reported
            failures.append(f"{operation.label}: {exc}")
    return ran, failures


async def test_api_answers_generated_requests_without_5xx_or_schema_violations(stack):
    raw = (await stack.http.get("/openapi.json")).json()

    ran, failures = await asyncio.to_thread(fuzz, raw, stack.api_url)

    assert "GET /api/v1/properties" in ran and "POST /api/v1/payments/kaspi/webhook" in ran
    assert failures == [], "\n\n".join(failures)
