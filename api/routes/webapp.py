"""The Telegram Mini App the bot opens for dates (`/webapp/dates`): a static page and its
script and styles. It reads only the public calendar endpoint; the stay it picks reaches the
bot as the guest's own `web_app_data` message, checked there like typed dates."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, HTTPException
from fastapi.responses import FileResponse

router = APIRouter(prefix="/webapp", tags=["webapp"], include_in_schema=False)
ASSETS = Path(__file__).resolve().parent.parent / "webapp"
# Telegram's script (theme, sendData) from telegram.org; everything else from here. The page
# is framed by Telegram's web clients.
CSP = "; ".join(
    (
        "default-src 'none'",
        "script-src 'self' https://telegram.org",
        "style-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors https://web.telegram.org https://*.telegram.org",
    )
)
HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff"}
MEDIA_TYPES = {"dates.js": "text/javascript", "dates.css": "text/css"}


@router.get("/dates")
async def dates_page() -> FileResponse:
    return FileResponse(ASSETS / "dates.html", media_type="text/html", headers=HEADERS)


@router.get("/{asset}")
async def dates_asset(asset: str) -> FileResponse:
    media_type = MEDIA_TYPES.get(asset)
    if media_type is None:
        raise HTTPException(404, "no such file")
    return FileResponse(ASSETS / asset, media_type=media_type, headers=HEADERS)
