"""Swagger UI at /docs and ReDoc at /redoc, with no CDN: their scripts, stylesheet and
favicon are served from the installed `fastapi-offline` package, so the docs work offline.

The pages are FastAPI's own (`get_swagger_ui_html`, `get_redoc_html`), only pointed at
local asset URLs; the app is built with `docs_url=None, redoc_url=None`. Their
Content-Security-Policy lets the pages reach this origin only: ReDoc's sidebar would
fetch its attribution logo from cdn.redoc.ly, which is blocked (the image hides itself).
"""

from __future__ import annotations

import secrets
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import (
    get_redoc_html,
    get_swagger_ui_html,
    get_swagger_ui_oauth2_redirect_html,
)
from starlette.responses import HTMLResponse
from starlette.staticfiles import StaticFiles

DOCS_URL = "/docs"
REDOC_URL = "/redoc"
DOCS_STATIC_URL = "/docs-static"
SWAGGER_JS = "swagger-ui-bundle.js"
SWAGGER_CSS = "swagger-ui.css"
REDOC_JS = "redoc.standalone.js"
FAVICON = "favicon.png"


def docs_assets_dir() -> Path:
    """swagger-ui-bundle.js, swagger-ui.css, redoc.standalone.js, favicon.png."""
    return Path(str(files("fastapi_offline") / "static"))


def _csp(nonce: str) -> str:
    return "; ".join(
        (
            "default-src 'none'",
            f"script-src 'self' 'nonce-{nonce}'",  # the bundle and Swagger UI's inline init
            "style-src 'self' 'unsafe-inline'",  # both UIs inject <style> at run time
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",  # /openapi.json and Swagger UI's "Try it out"
            "worker-src 'self' blob:",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    )


def _same_origin_only(page: HTMLResponse) -> HTMLResponse:
    """The page with a nonce on its scripts and a CSP that allows nothing off this origin."""
    nonce = secrets.token_urlsafe(16)
    html = bytes(page.body).decode().replace("<script", f'<script nonce="{nonce}"')
    return HTMLResponse(
        html,
        headers={
            "Content-Security-Policy": _csp(nonce),
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


def install_docs(app: FastAPI) -> None:
    """What FastAPI's `docs_url` and `redoc_url` would add, with the assets served here."""
    openapi_url = app.openapi_url
    assert openapi_url is not None, "the docs need the OpenAPI schema"
    oauth2_redirect_url = app.swagger_ui_oauth2_redirect_url
    app.mount(DOCS_STATIC_URL, StaticFiles(directory=docs_assets_dir()), name="docs-static")

    def root(request: Request) -> str:
        return str(request.scope.get("root_path", "")).rstrip("/")

    def asset(request: Request, name: str) -> str:
        return f"{root(request)}{DOCS_STATIC_URL}/{name}"

    async def swagger_ui(request: Request) -> HTMLResponse:
        redirect = root(request) + oauth2_redirect_url if oauth2_redirect_url else None
        page = get_swagger_ui_html(
            openapi_url=root(request) + openapi_url,
            title=f"{app.title} - Swagger UI",
            swagger_js_url=asset(request, SWAGGER_JS),
            swagger_css_url=asset(request, SWAGGER_CSS),
            swagger_favicon_url=asset(request, FAVICON),
            oauth2_redirect_url=redirect,
            init_oauth=app.swagger_ui_init_oauth,
            # No badge that sends the schema to validator.swagger.io.
            swagger_ui_parameters={"validatorUrl": None, **(app.swagger_ui_parameters or {})},
        )
        return _same_origin_only(page)

    async def swagger_ui_oauth2_redirect(request: Request) -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    async def redoc(request: Request) -> HTMLResponse:
        page = get_redoc_html(
            openapi_url=root(request) + openapi_url,
            title=f"{app.title} - ReDoc",
            redoc_js_url=asset(request, REDOC_JS),
            redoc_favicon_url=asset(request, FAVICON),
            with_google_fonts=False,  # fonts.googleapis.com is another host
        )
        return _same_origin_only(page)

    app.add_route(DOCS_URL, swagger_ui, include_in_schema=False)
    if oauth2_redirect_url:
        app.add_route(oauth2_redirect_url, swagger_ui_oauth2_redirect, include_in_schema=False)
    app.add_route(REDOC_URL, redoc, include_in_schema=False)
