"""Dependencies: a DB session per request, the booking client, the authenticated user."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
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


async def optional_user(
    session: SessionDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> User | None:
    if credentials is None:
        return None
    user = await user_for_token(session, credentials.credentials)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "invalid API token", {"WWW-Authenticate": "Bearer"}
        )
    return user


OptionalUserDep = Annotated[User | None, Depends(optional_user)]


async def current_user(user: OptionalUserDep) -> User:
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED, "API token required", {"WWW-Authenticate": "Bearer"}
        )
    return user


CurrentUserDep = Annotated[User, Depends(current_user)]
