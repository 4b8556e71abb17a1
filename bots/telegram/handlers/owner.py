"""Owner, realtor and staff screens of the Telegram bot ("🏠 Мои квартиры").

One router made of the owner_* routers: entry points first (they answer in any state),
the edits, and the hints for unexpected input last.
"""

from __future__ import annotations

from aiogram import Router

from bots.telegram.handlers import (
    owner_calendar,
    owner_edit,
    owner_fallback,
    owner_photos,
    owner_pricing,
    owner_properties,
)

router = Router(name=__name__)
router.include_routers(
    owner_properties.router,
    owner_edit.router,
    owner_pricing.router,
    owner_photos.router,
    owner_calendar.router,
    owner_fallback.router,
)
