"""The Temporal codec server: staff read encrypted workflow payloads in the Temporal UI or CLI.

The codec server protocol: POST …/decode and …/encode with protobuf JSON Payloads,
`{"payloads": [{"metadata": {key: base64}, "data": base64}]}`, answered in kind.
Staff only (super_admin, super_user), with an API token as `Authorization: Bearer` (the
CLI's `--codec-auth`) or with the cookie that signing in at /temporal-codec/login sets (the
UI sends it when "include cross-origin credentials" is on). CORS admits the Temporal UI's
origin alone (api/protection.py).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import HTMLResponse
from google.protobuf import json_format
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy.ext.asyncio import AsyncSession
from temporalio.api.common.v1 import Payload, Payloads

from api.deps import CallerDep, SessionDep, SettingsDep
from api.errors import error_body
from api.protection import TEMPORAL_CODEC_PATH as CODEC_PATH
from api.protection import api_rate_limit
from core.logging import get_logger
from core.payload_codec import EncryptionCodec, PayloadDecryptError
from core.settings import Settings
from models import User
from services.auth import is_staff, user_for_token

SIGN_IN_COOKIE = "zg_temporal_codec"
router = APIRouter(
    prefix=CODEC_PATH, include_in_schema=False, dependencies=[Depends(api_rate_limit)]
)
log = get_logger(__name__)

_SIGN_IN_FORM = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>ZhilyeGO · Temporal payloads</title>
<form method="post">
<p>Staff API token, to read booking payloads in the Temporal UI:</p>
<input name="token" type="password" autocomplete="off" required maxlength="200">
<button type="submit">Sign in</button>
</form></html>
"""
_SIGNED_IN = """<!doctype html>
<html lang="en"><meta charset="utf-8"><title>ZhilyeGO · Temporal payloads</title>
<p>Signed in for {hours:g} h. Reload the Temporal UI (codec server: this API's
{path}, with cross-origin credentials included).</p></html>
"""


def _signer(settings: Settings) -> URLSafeTimedSerializer:
    """Derived from the newest encryption key, so there is no extra secret to keep."""
    key = settings.encryption_keys()[0].encode()
    secret = hmac.new(key, b"zhilyego-temporal-codec-sign-in", hashlib.sha256).hexdigest()
    return URLSafeTimedSerializer(secret, salt="temporal-codec")


async def _signed_in(session: AsyncSession, settings: Settings, cookie: str | None) -> User | None:
    if not cookie or len(cookie) > 200:
        return None
    try:
        user_id = _signer(settings).loads(
            cookie, max_age=int(settings.temporal_codec_sign_in.total_seconds())
        )
    except BadSignature:  # expired ones included
        return None
    return await session.get(User, user_id) if isinstance(user_id, int) else None


def _staff_only(user: User | None) -> User:
    if user is None:
        raise HTTPException(
            401,
            error_body("unauthorized", "a staff API token or a sign-in is required"),
            {"WWW-Authenticate": "Bearer"},
        )
    if not is_staff(user):
        raise HTTPException(403, error_body("forbidden", "workflow payloads are for staff only"))
    return user


async def staff(
    request: Request, who: CallerDep, session: SessionDep, settings: SettingsDep
) -> User:
    """The bearer token's user (a bad token is already refused), else the sign-in's."""
    user = who.user or await _signed_in(session, settings, request.cookies.get(SIGN_IN_COOKIE))
    return _staff_only(user)


StaffDep = Annotated[User, Depends(staff)]


async def _payloads(request: Request) -> list[Payload]:
    try:
        parsed = json_format.Parse(await request.body(), Payloads(), ignore_unknown_fields=True)
    except (json_format.ParseError, UnicodeDecodeError, ValueError) as exc:
        raise HTTPException(
            400, error_body("malformed_payloads", 'expected {"payloads": [...]} (protobuf JSON)')
        ) from exc
    return list(parsed.payloads)


def _answer(payloads: list[Payload]) -> dict[str, Any]:
    def b64(raw: bytes) -> str:
        return base64.b64encode(raw).decode()

    return {
        "payloads": [
            {"metadata": {k: b64(v) for k, v in p.metadata.items()}, "data": b64(p.data)}
            for p in payloads
        ]
    }


@router.post("/decode")
async def decode(request: Request, user: StaffDep, settings: SettingsDep) -> dict[str, Any]:
    payloads = await _payloads(request)
    try:
        decoded = await EncryptionCodec(settings.temporal_payload_keys()).decode(payloads)
    except PayloadDecryptError as exc:
        raise HTTPException(400, error_body("undecryptable_payload", str(exc))) from exc
    log.info("temporal payloads decoded", user_id=user.id, count=len(decoded))
    return _answer(decoded)


@router.post("/encode")
async def encode(request: Request, _: StaffDep, settings: SettingsDep) -> dict[str, Any]:
    payloads = await _payloads(request)
    return _answer(await EncryptionCodec(settings.temporal_payload_keys()).encode(payloads))


@router.get("/login")
async def sign_in_form() -> HTMLResponse:
    return HTMLResponse(_SIGN_IN_FORM)


@router.post("/login")
async def sign_in(
    token: Annotated[str, Form(max_length=200)], session: SessionDep, settings: SettingsDep
) -> HTMLResponse:
    """Checks a staff API token once and sets a signed cookie (the user id, not the token)."""
    user = _staff_only(await user_for_token(session, token.strip()))
    lasts = settings.temporal_codec_sign_in
    response = HTMLResponse(
        _SIGNED_IN.format(hours=lasts.total_seconds() / 3600, path=CODEC_PATH),
        headers={"Cache-Control": "no-store"},
    )
    response.set_cookie(
        SIGN_IN_COOKIE,
        _signer(settings).dumps(user.id),
        max_age=int(lasts.total_seconds()),
        path=CODEC_PATH,
        secure=settings.public_base_url.lower().startswith("https://"),
        httponly=True,
        samesite="lax",
    )
    log.info("temporal codec sign-in", user_id=user.id)
    return response


@router.post("/logout", status_code=204)
async def sign_out() -> HTMLResponse:
    response = HTMLResponse(status_code=204)
    response.delete_cookie(SIGN_IN_COOKIE, path=CODEC_PATH)
    return response
