"""Login for the web admin: email + password of an owner, realtor or staff member.

Failed sign-ins are throttled per account and per address (services/login_throttle.py);
the session lives in Redis (services/admin_sessions.py), so a logout ends it for good; the
cookie is Secure whenever the public URL is https.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import math

from redis.exceptions import RedisError
from sqladmin.authentication import AuthenticationBackend
from sqladmin.templating import Jinja2Templates
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from api.protection import client_ip
from api.state import AppState
from core.db import SessionFactory
from core.logging import get_logger
from core.settings import Settings
from models import User
from models.enums import Role
from services.admin_sessions import AdminSessions
from services.login_throttle import LoginThrottle
from services.passwords import user_with_password
from services.scope import Scope, scope_of

ADMIN_ROLES = frozenset({Role.ADMIN, Role.SUPER_ADMIN, Role.SUPER_USER})
SESSION_KEY = "sid"
TOO_MANY = "Too many sign-in attempts. Try again in {minutes} min."
UNAVAILABLE = "Sign-in is unavailable for a moment. Try again shortly."
log = get_logger(__name__)


def session_secret(settings: Settings) -> str:
    """Derived from the newest encryption key, so there is no extra secret to keep."""
    key = settings.encryption_keys()[0].encode()
    return hmac.new(key, b"zhilyego-admin-session", hashlib.sha256).hexdigest()


def _state(request: Request) -> AppState:
    state: AppState = request.app.state.root.state.zg
    return state


class AdminAuth(AuthenticationBackend):
    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        super().__init__(
            secret_key=session_secret(settings),
            session_cookie="zg_admin",
            max_age=int(settings.admin_session_ttl.total_seconds()),
            https_only=settings.https(),
            same_site="lax",
        )
        self.sessions = sessions
        self.settings = settings
        self.templates: Jinja2Templates | None = None  # the admin's, set once it is built

    async def _login_page(self, request: Request, error: str, status: int) -> Response:
        if self.templates is None:
            return PlainTextResponse(error, status_code=status)
        page: Response = await self.templates.TemplateResponse(
            request, "sqladmin/login.html", {"error": error}, status_code=status
        )
        return page

    async def login(self, request: Request) -> Response | bool:
        form = await request.form()
        email, password = form.get("username"), form.get("password")
        if not isinstance(email, str) or not isinstance(password, str):
            return False
        redis = _state(request).redis
        throttle = LoginThrottle.from_settings(redis, self.settings)
        address = client_ip(request)
        try:
            wait = await throttle.wait_seconds(email, address)
            if wait:
                log.warning("admin sign-in throttled", address=address)
                page = await self._login_page(
                    request, TOO_MANY.format(minutes=math.ceil(wait / 60)), 429
                )
                page.headers["Retry-After"] = str(wait)
                return page
            async with self.sessions() as session:
                user = await user_with_password(session, email, password)
            if user is None or user.id is None or user.role not in ADMIN_ROLES:
                await throttle.failed(email, address)
                return False
            await throttle.succeeded(email)
            session_id = await AdminSessions.from_settings(redis, self.settings).start(user.id)
        except RedisError as exc:
            log.warning("admin sign-in without redis", error=type(exc).__name__)
            return await self._login_page(request, UNAVAILABLE, 503)
        request.session.clear()  # nothing of an earlier session survives a sign-in
        request.session[SESSION_KEY] = session_id
        return True

    async def logout(self, request: Request) -> bool:
        session_id = request.session.get(SESSION_KEY)
        request.session.clear()
        if isinstance(session_id, str):
            try:
                await AdminSessions.from_settings(_state(request).redis, self.settings).end(
                    session_id
                )
            except RedisError as exc:
                log.warning("admin session not ended", error=type(exc).__name__)
        return True

    async def authenticate(self, request: Request) -> bool:
        """The session must still exist in Redis, and the user is reloaded on every
        request, so a logout or a changed role takes effect at once."""
        session_id = request.session.get(SESSION_KEY)
        if not isinstance(session_id, str):
            request.session.clear()
            return False
        store = AdminSessions.from_settings(_state(request).redis, self.settings)
        try:
            user_id = await store.user_id(session_id)
        except RedisError as exc:
            log.warning("admin session unchecked", error=type(exc).__name__)
            return False
        user = None
        if user_id is not None:
            async with self.sessions() as session:
                user = await session.get(User, user_id)
        if user is None or user.role not in ADMIN_ROLES:
            request.session.clear()
            if user_id is not None:  # removed or no longer an admin: the session goes too
                with contextlib.suppress(RedisError):
                    await store.end(session_id)
            return False
        request.state.zg_user = user
        request.state.zg_sessions = self.sessions
        return True

    async def get_user_id(self, request: Request) -> int | None:
        return current_user(request).id


def current_user(request: Request) -> User:
    user: User = request.state.zg_user
    return user


def current_scope(request: Request) -> Scope:
    """The signed-in user's apartments; nothing at all if somehow unset."""
    user: User | None = getattr(request.state, "zg_user", None)
    return scope_of(user) or Scope(owner_id=-1)


def current_sessions(request: Request) -> SessionFactory:
    sessions: SessionFactory = request.state.zg_sessions
    return sessions
