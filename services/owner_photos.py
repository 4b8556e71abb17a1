"""Apartment photos uploaded by owners: normalised to RGB JPEG, with a thumbnail.

Transparent images (RGBA PNG, LA, palette with transparency) are laid on white before
saving as JPEG: the original bot crashed on them ("cannot write mode RGBA as JPEG").

Only JPEG, PNG and WEBP are opened, and their size is read from the header before any
pixel is decoded: a 0.7 MB PNG of 13 000 × 13 000 pixels once cost 17 s and 2.8 GB.
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
FORMATS = ("JPEG", "PNG", "WEBP")
MAX_SIDE = 10_000
MAX_PIXELS = 50_000_000  # a 50 MP phone camera; 150 MB once decoded as RGB
# Pillow's own bomb guard, for any other code in the process that opens an image.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


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


def _too_large(width: int, height: int) -> bool:
    return max(width, height) > MAX_SIDE or width * height > MAX_PIXELS


def prepare_photo(data: bytes) -> PreparedPhoto:
    """Decodes a JPEG, PNG or WEBP of sane size; InvalidValue('photo_unreadable'),
    ('photo_too_big') or ('photo_too_many_pixels') otherwise."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise InvalidValue("photo_too_big")
    try:
        # open() reads the header only; the pixels are decoded by load().
        with Image.open(io.BytesIO(data), formats=FORMATS) as source:
            if _too_large(source.width, source.height):
                raise InvalidValue("photo_too_many_pixels")
            source.draft("RGB", (FULL_SIDE, FULL_SIDE))  # a JPEG decodes at 1/2…1/8 scale
            source.load()
            image = _on_white(ImageOps.exif_transpose(source))
    except InvalidValue:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidValue("photo_too_many_pixels") from exc
    except (UnidentifiedImageError, OSError, ValueError) as exc:
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
