"""FastAPI application factory: `uvicorn api.app:create_app --factory`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from redis.asyncio import Redis
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.staticfiles import StaticFiles

from api.admin.setup import mount_admin
from api.docs import install_docs
from api.errors import install_error_handlers
from api.metrics import install_metrics
from api.protection import install_protection
from api.request_context import RequestContextMiddleware
from api.routes import (
    bookings,
    health,
    ical,
    payments,
    pricing,
    properties,
    telegram,
    temporal_codec,
    webapp,
    whatsapp,
)
from api.state import AppState
from bots.telegram.deps import BotDeps
from bots.telegram.runtime import TelegramBot
from bots.whatsapp.runtime import WhatsAppBot
from core.db import create_engine, create_session_factory
from core.logging import configure_logging
from core.sentry import init_sentry
from core.settings import Settings, get_settings
from core.storage import MEDIA_URL_PATH, local_media_root


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = (settings or get_settings()).require_startable()
    configure_logging(settings.log_level)
    init_sentry(settings, "api")
    # The admin's routes must exist before startup; its engine connects on first use.
    admin_engine = create_engine(settings.database_url, pool_size=2)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(settings.database_url)
        redis = Redis.from_url(settings.redis_url)
        state = AppState(
            settings=settings,
            engine=engine,
            sessions=create_session_factory(engine),
            redis=redis,
        )
        if settings.telegram_bot_token is not None:
            state.telegram = TelegramBot.build(
                BotDeps(settings, state.sessions, redis, booking_client=state.bookings)
            )
        if settings.whatsapp_token is not None and settings.whatsapp_phone_number_id:
            state.whatsapp = WhatsAppBot.build(settings, state.sessions, redis, state.bookings)
        app.state.zg = state
        try:
            yield
        finally:
            if state.telegram is not None:
                await state.telegram.close()
            if state.whatsapp is not None:
                await state.whatsapp.close()
            await redis.aclose()
            await engine.dispose()
            await admin_engine.dispose()

    app = FastAPI(
        title="ZhilyeGO API",
        version="0.1.0",
        description="Nightly apartment rentals in Kazakhstan: search, book, pay, cancel.",
        lifespan=lifespan,
        debug=settings.debug,
        docs_url=None,  # api/docs.py: /docs and /redoc with local assets
        redoc_url=None,
    )
    app.add_middleware(TrustedHostMiddleware, allowed_hosts=settings.allowed_hosts())
    install_error_handlers(app)
    install_metrics(app)
    install_protection(app, settings)  # body size, CORS
    app.add_middleware(RequestContextMiddleware)  # outermost: every response has its id
    for router in (
        health.router,
        properties.router,
        pricing.router,
        bookings.router,
        payments.router,
        telegram.router,
        whatsapp.router,
        ical.router,
        temporal_codec.router,
        webapp.router,
    ):
        app.include_router(router)
    install_docs(app)
    mount_admin(app, admin_engine, settings)
    media_root = local_media_root(settings)
    if media_root is not None:  # uploaded photos; a bucket serves them itself
        media_root.mkdir(parents=True, exist_ok=True)
        app.mount(MEDIA_URL_PATH, StaticFiles(directory=media_root), name="media")
    return app
