"""Liveness and readiness."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from sqlalchemy import text

from api.deps import StateDep

router = APIRouter(tags=["health"])


@router.get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get(
    "/readyz",
    responses={
        503: {
            "description": "a dependency is down: the same checks, one not ok",
            "content": {"application/json": {"schema": {"type": "object"}}},
        }
    },
)
async def readyz(state: StateDep) -> JSONResponse:
    """Ready when Postgres, Redis and Temporal all answer within two seconds each."""

    async def database() -> None:
        async with state.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def redis() -> None:
        await state.redis.ping()

    async def temporal() -> None:
        client = await state.temporal()
        await client.service_client.check_health()

    checks = {"database": database, "redis": redis, "temporal": temporal}
    results: dict[str, str] = {}
    for name, check in checks.items():
        try:
            await asyncio.wait_for(check(), timeout=2)
            results[name] = "ok"
        except Exception as exc:  # any failure means not ready; the reason is reported
            results[name] = f"error: {type(exc).__name__}"
    ready = all(v == "ok" for v in results.values())
    return JSONResponse(
        {"status": "ready" if ready else "not_ready", "checks": results},
        status_code=200 if ready else 503,
    )
