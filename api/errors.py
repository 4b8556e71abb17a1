"""Every error is JSON with a reason: {"error": ..., "detail": ...}; never a traceback."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException
from temporalio.service import RPCError, RPCStatusCode

from core.logging import get_logger

log = get_logger(__name__)

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "payload_too_large",
    422: "invalid_request",
    429: "too_many_requests",
    503: "unavailable",
}


def error_body(code: str, detail: Any = None) -> dict[str, Any]:
    return {"error": code, "detail": detail}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        if isinstance(exc.detail, dict):
            body = exc.detail
        else:
            body = error_body(_CODES.get(exc.status_code, "error"), exc.detail)
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    @app.exception_handler(RequestValidationError)
    async def validation_error(_: Request, exc: RequestValidationError) -> JSONResponse:
        detail = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        return JSONResponse(error_body("invalid_request", detail), status_code=422)

    install_error_schema(app)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", path=request.url.path)
        return JSONResponse(error_body("internal_error", "something went wrong"), status_code=500)

    # A backing service out of reach is an outage to retry through, not a bug: 503.
    @app.exception_handler(ConnectionError)
    async def connection_error(request: Request, exc: ConnectionError) -> JSONResponse:
        return _unavailable(request, exc, "a backing service")

    @app.exception_handler(DBAPIError)
    async def database_error(request: Request, exc: DBAPIError) -> JSONResponse:
        if not exc.connection_invalidated:
            return await unexpected(request, exc)
        return _unavailable(request, exc, "the database")

    @app.exception_handler(RPCError)
    async def temporal_error(request: Request, exc: RPCError) -> JSONResponse:
        if exc.status != RPCStatusCode.UNAVAILABLE:
            return await unexpected(request, exc)
        return _unavailable(request, exc, "the booking engine")


UNAVAILABLE_RETRY_AFTER = "5"  # seconds


def _unavailable(request: Request, exc: Exception, what: str) -> JSONResponse:
    log.warning("dependency unavailable", path=request.url.path, error=type(exc).__name__)
    return JSONResponse(
        error_body("unavailable", f"{what} is unavailable; retry shortly"),
        status_code=503,
        headers={"Retry-After": UNAVAILABLE_RETRY_AFTER},
    )


ERROR_SCHEMA: dict[str, Any] = {
    "title": "ErrorBody",
    "type": "object",
    "required": ["error"],
    "properties": {"error": {"type": "string"}, "detail": {"title": "Detail"}},
}
_ERROR_REF = {"$ref": "#/components/schemas/ErrorBody"}


def error_schema(schema: dict[str, Any]) -> dict[str, Any]:
    """The OpenAPI document with every 4xx/5xx answer described as the body sent: ErrorBody.

    FastAPI documents its own 422 shape (HTTPValidationError), which the handlers above
    replace; a declared error without content gets the same JSON body.
    """
    for item in schema.get("paths", {}).values():
        for operation in item.values():
            for status, response in operation.get("responses", {}).items():
                if str(status)[:1] not in ("4", "5"):
                    continue
                content = response.setdefault("content", {})
                json_schema = content.get("application/json", {}).get("schema", {})
                if not content or json_schema.get("$ref", "").endswith("/HTTPValidationError"):
                    content["application/json"] = {"schema": _ERROR_REF}
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    components["ErrorBody"] = ERROR_SCHEMA
    for unused in ("HTTPValidationError", "ValidationError"):
        components.pop(unused, None)
    return schema


def install_error_schema(app: FastAPI) -> None:
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = error_schema(build())
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
