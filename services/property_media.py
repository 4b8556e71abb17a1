"""Apartment photos as a messenger sends them: Telegram's file id when the photo came in
through the bot (no re-upload), otherwise its public URL."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from models import PropertyPhoto

# Telegram albums hold at most ten photos.
ALBUM_LIMIT = 10


async def telegram_photos(session: AsyncSession, property_ids: list[int]) -> dict[int, list[str]]:
    """Per apartment, up to ten photos in album order."""
    if not property_ids:
        return {}
    rows = await session.execute(
        select(
            col(PropertyPhoto.property_id),
            col(PropertyPhoto.telegram_file_id),
            col(PropertyPhoto.url),
        )
        .where(col(PropertyPhoto.property_id).in_(property_ids))
        .order_by(col(PropertyPhoto.position), col(PropertyPhoto.id))
    )
    photos: dict[int, list[str]] = {}
    for property_id, file_id, url in rows.all():
        album = photos.setdefault(property_id, [])
        if len(album) < ALBUM_LIMIT:
            album.append(file_id or url)
    return photos
