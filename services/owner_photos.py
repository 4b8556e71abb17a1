"""Apartment photos uploaded by owners: normalised to RGB JPEG, with a thumbnail.

Transparent images (RGBA PNG, LA, palette with transparency) are laid on white before
saving as JPEG: the original bot crashed on them ("cannot write mode RGBA as JPEG").
"""

from __future__ import annotations

import asyncio
import io
import secrets
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from core.logging import get_logger
from core.storage import Storage
from models import PropertyPhoto, User
from models.base import utcnow
from services.owner import InvalidValue, forget_search_pages, require_property
from services.search_cache import SearchCache

log = get_logger(__name__)
MAX_PHOTOS = 20
MAX_UPLOAD_BYTES = 20 * 1024 * 1024  # Telegram bots cannot download more anyway
FULL_SIDE = 1600
THUMB_SIDE = 320
JPEG_QUALITY = 85
WHITE = (255, 255, 255)


@dataclass(frozen=True)
class PreparedPhoto:
    full: bytes
    thumbnail: bytes
    width: int
    height: int


def _on_white(image: Image.Image) -> Image.Image:
    """Any mode to RGB; transparent pixels become white instead of black or an error."""
    if image.mode == "P" and "transparency" in image.info:
        image = image.convert("RGBA")
    if image.mode in ("RGBA", "LA", "PA"):
        rgba = image.convert("RGBA")
        background = Image.new("RGB", rgba.size, WHITE)
        background.paste(rgba, mask=rgba.getchannel("A"))
        return background
    return image if image.mode == "RGB" else image.convert("RGB")


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=JPEG_QUALITY, optimize=True)
    return out.getvalue()


def prepare_photo(data: bytes) -> PreparedPhoto:
    """Decodes any image Pillow reads; InvalidValue('photo_unreadable') otherwise."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidValue("photo_too_big")
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            image = _on_white(ImageOps.exif_transpose(source))
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise InvalidValue("photo_unreadable") from exc
    image.thumbnail((FULL_SIDE, FULL_SIDE))
    thumb = image.copy()
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return PreparedPhoto(
        full=_jpeg(image), thumbnail=_jpeg(thumb), width=image.width, height=image.height
    )


@dataclass(frozen=True)
class SavedPhoto:
    id: int
    url: str
    thumbnail_url: str
    count: int


async def add_photo(
    session: AsyncSession,
    actor: User,
    property_id: int,
    data: bytes,
    *,
    storage: Storage,
    telegram_file_id: str | None = None,
    search_cache: SearchCache | None = None,
) -> SavedPhoto:
    """Stores the photo and its thumbnail, adds it last to the apartment's photos."""
    prop = await require_property(session, actor, property_id)
    count = (
        await session.scalar(
            select(func.count()).where(col(PropertyPhoto.property_id) == property_id)
        )
        or 0
    )
    if count >= MAX_PHOTOS:
        raise InvalidValue("too_many_photos")
    prepared = await asyncio.to_thread(prepare_photo, data)
    name = f"properties/{property_id}/{secrets.token_hex(8)}"
    url = await storage.save(f"{name}.jpg", prepared.full, content_type="image/jpeg")
    thumb_url = await storage.save(
        f"{name}_thumb.jpg", prepared.thumbnail, content_type="image/jpeg"
    )
    photo = PropertyPhoto(
        property_id=property_id,
        url=url,
        thumbnail_url=thumb_url,
        telegram_file_id=telegram_file_id,
        position=count,
        created_at=utcnow(),
    )
    session.add(photo)
    prop.photos_updated_at = utcnow()
    prop.updated_at = prop.photos_updated_at
    await session.commit()
    log.info("photo added", property_id=property_id, user_id=actor.id, photo_id=photo.id)
    await forget_search_pages(search_cache)
    return SavedPhoto(id=photo.id or 0, url=url, thumbnail_url=thumb_url, count=count + 1)
