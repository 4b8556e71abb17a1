"""Dependencies: a DB session per request, the booking client, the caller behind a token."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from fastapi.security.utils import get_authorization_scheme_param
from sqlalchemy.ext.asyncio import AsyncSession

from api.state import AppState
from core.settings import Settings
from models import User
from services.auth import user_for_token
from services.booking_client import BookingClient


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.zg
    return state


StateDep = Annotated[AppState, Depends(app_state)]


def settings_dep(state: StateDep) -> Settings:
    return state.settings


SettingsDep = Annotated[Settings, Depends(settings_dep)]


async def session_dep(state: StateDep) -> AsyncIterator[AsyncSession]:
    async with state.sessions() as session:
        yield session


SessionDep = Annotated[AsyncSession, Depends(session_dep)]


async def booking_client_dep(state: StateDep) -> BookingClient:
    try:
        return await state.bookings()
    except RuntimeError as exc:
        raise HTTPException(
            status.HTTP_503_SERVICE_UNAVAILABLE, "booking engine unavailable"
        ) from exc


BookingClientDep = Annotated[BookingClient, Depends(booking_client_dep)]

_bearer = HTTPBearer(auto_error=False)
MAX_TOKEN_CHARS = 200  # ours are 46; a longer one is refused without a lookup


@dataclass(frozen=True)
class Caller:
    """Who sent the request: the user behind a valid API token, or nobody.

    `refused`: a bearer token was sent that is no API token; every /api/v1 route answers
    401 to it, public ones too, so a made-up token cannot pass for a caller of its own.
    """

    user: User | None
    refused: bool = False


async def caller(request: Request, session: SessionDep) -> Caller:
    """One token lookup per request (FastAPI caches it for the rate limit and the route);
    no database work at all for a request without a bearer token."""
    scheme, token = get_authorization_scheme_param(request.headers.get("Authorization"))
    if scheme.lower() != "bearer":
        return Caller(None)
    if not token or len(token) > MAX_TOKEN_CHARS:
        return Caller(None, refused=True)
    user = await user_for_token(session, token)
    return Caller(user, refused=user is None)


CallerDep = Annotated[Caller, Depends(caller)]


def invalid_token() -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, "invalid API token", {"WWW-Authenticate": "Bearer"}
    )


async def refuse_invalid_token(who: CallerDep) -> None:
    """For /api/v1 routes outside the API rate limit (the Kaspi webhook)."""
    if who.refused:
        raise invalid_token()


async def optional_user(
    who: CallerDep,
    _credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    if who.refused:
        raise invalid_token()
    return who.user


OptionalUserDep = Annotated[User | None, Depends(optional_user)]


async def current_user(user: OptionalUserDep) -> User:
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "API token required", {"WWW-Authenticate": "Bearer"}
        )
    return user


CurrentUserDep = Annotated[User, Depends(current_user)]
