"""The fault switch the stand-ins share (`/sandbox/faults`), for retry tests and drills."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import FastAPI, Query


class FaultTarget(Protocol):
    """A recorder that answers its next `fail_next` calls with `fail_status`."""

    fail_next: int
    fail_status: int
    retry_after: int  # seconds, sent with a 429


def add_fault_routes(app: FastAPI, target: FaultTarget, what: str) -> None:
    """POST /sandbox/faults?count=N&status=S&retry_after=R arms it; GET shows what is left."""

    @app.post("/sandbox/faults", summary=f"The next `count` {what} answer `status`")
    async def set_faults(
        count: Annotated[int, Query(ge=0)],
        status: Annotated[int, Query(ge=400, le=599)] = 500,
        retry_after: Annotated[int, Query(ge=0)] = 1,
    ) -> dict[str, int]:
        target.fail_next, target.fail_status = count, status
        target.retry_after = retry_after
        return await faults()

    @app.get("/sandbox/faults")
    async def faults() -> dict[str, int]:
        return {
            "fail_next": target.fail_next,
            "status": target.fail_status,
            "retry_after": target.retry_after,
        }
