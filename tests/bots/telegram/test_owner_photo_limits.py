"""Photo uploads have limits: a decompression bomb (a tiny file of a huge picture) and
formats other than JPEG/PNG/WEBP are refused with a clear message, before any pixel is
decoded, and nothing is stored."""

from __future__ import annotations

import io
import resource
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import func
from sqlmodel import col, select

from models import PropertyPhoto
from services.owner import InvalidValue
from services.owner_photos import MAX_SIDE, prepare_photo
from tests.bots.telegram.chat import TelegramChat
from tests.bots.telegram.owner import new_id, open_card, owner_chat
from tests.support.factories import make_property


def png_of(width: int, height: int) -> bytes:
    """A valid all-black greyscale PNG: small as a file, `width × height` bytes decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    deflate = zlib.compressobj(9)
    row = bytes(width + 1)  # filter byte + one black row
    pixels = b"".join(deflate.compress(row) for _ in range(height)) + deflate.flush()
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


@pytest.fixture(scope="module")
def bomb() -> bytes:
    data = png_of(13_000, 13_000)  # 169 megapixels
    assert len(data) < 1024 * 1024
    return data


def image_file(format: str, size: tuple[int, int] = (400, 300)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format=format)
    return out.getvalue()


def refusal(photo: bytes) -> str:
    with pytest.raises(InvalidValue) as refused:
        prepare_photo(photo)
    return refused.value.reason


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def test_a_decompression_bomb_is_refused_before_it_is_decoded(bomb):
    before = peak_rss_mib()
    assert refusal(bomb) == "photo_too_many_pixels"
    # The header is read, the pixels never: decoding 169 MP would take ~500 MiB at once.
    assert peak_rss_mib() - before < 100


def test_sides_and_formats_are_capped_and_webp_is_welcome():
    assert refusal(png_of(MAX_SIDE + 1, 10)) == "photo_too_many_pixels"
    for format in ("GIF", "BMP", "TIFF"):
        assert refusal(image_file(format)) == "photo_unreadable", format
    for format in ("JPEG", "PNG", "WEBP"):
        prepared = prepare_photo(image_file(format))
        assert (prepared.width, prepared.height) == (400, 300), format
        with Image.open(io.BytesIO(prepared.full)) as stored:
            assert stored.format == "JPEG"


async def send_document(chat: TelegramChat, file_id: str, name: str, mime: str) -> str:
    document = {
        "file_id": file_id,
        "file_unique_id": file_id + "-u",
        "file_name": name,
        "mime_type": mime,
    }
    answer = await chat.post({"update_id": new_id(), "message": chat._message(document=document)})
    assert answer.status_code == 200, answer.text
    return chat.new_replies()[-1].text


async def test_the_owner_is_told_and_nothing_is_stored(stack, bomb):
    owner, chat = await owner_chat(stack)
    prop = await make_property(stack, owner)
    await open_card(chat, prop)
    await chat.send("📷 Фото")
    bomb_id, gif_id = f"bomb-{new_id()}", f"gif-{new_id()}"
    stack.telegram.files[bomb_id] = bomb
    stack.telegram.files[gif_id] = image_file("GIF")

    before = peak_rss_mib()
    answer = await send_document(chat, bomb_id, "plan.png", "image/png")
    assert "Слишком большое разрешение" in answer
    assert f"до {MAX_SIDE} точек" in answer
    assert peak_rss_mib() - before < 100

    answer = await send_document(chat, gif_id, "plan.gif", "image/gif")
    assert "JPEG, PNG или WEBP" in answer

    async with stack.sessions() as session:
        stored = await session.scalar(
            select(func.count()).where(col(PropertyPhoto.property_id) == prop.id)
        )
    assert stored == 0
