"""Login for the web admin: email + password of an owner, realtor or staff member."""

from __future__ import annotations

import hashlib
import hmac

from sqladmin.authentication import AuthenticationBackend
from starlette.requests import Request

from core.db import SessionFactory
from core.settings import Settings
from models import User
from models.enums import Role
from services.passwords import user_with_password
from services.scope import Scope, scope_of

ADMIN_ROLES = frozenset({Role.ADMIN, Role.SUPER_ADMIN, Role.SUPER_USER})


def session_secret(settings: Settings) -> str:
    """Derived from the newest encryption key, so there is no extra secret to keep."""
    key = settings.encryption_keys()[0].encode()
    return hmac.new(key, b"zhilyego-admin-session", hashlib.sha256).hexdigest()


class AdminAuth(AuthenticationBackend):
    def __init__(self, sessions: SessionFactory, settings: Settings) -> None:
        super().__init__(
            secret_key=session_secret(settings),
            session_cookie="zg_admin",
            https_only=settings.app_env == "production",
            same_site="lax",
        )
        self.sessions = sessions
        self.settings = settings

    async def login(self, request: Request) -> bool:
        form = await request.form()
        email, password = form.get("username"), form.get("password")
        if not isinstance(email, str) or not isinstance(password, str):
            return False
        async with self.sessions() as session:
            user = await user_with_password(session, email, password)
        if user is None or user.role not in ADMIN_ROLES:
            return False
        request.session.clear()
        request.session["user_id"] = user.id
        return True

    async def logout(self, request: Request) -> bool:
        request.session.clear()
        return True

    async def authenticate(self, request: Request) -> bool:
        """Reloads the user on every request, so a changed role takes effect at once."""
        user_id = request.session.get("user_id")
        if not isinstance(user_id, int):
            return False
        async with self.sessions() as session:
            user = await session.get(User, user_id)
        if user is None or user.role not in ADMIN_ROLES:
            request.session.clear()
            return False
        request.state.zg_user = user
        request.state.zg_sessions = self.sessions
        return True


def current_scope(request: Request) -> Scope:
    """The signed-in user's apartments; nothing at all if somehow unset."""
    user: User | None = getattr(request.state, "zg_user", None)
    return scope_of(user) or Scope(owner_id=-1)


def current_sessions(request: Request) -> SessionFactory:
    sessions: SessionFactory = request.state.zg_sessions
    return sessions
