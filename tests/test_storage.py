"""Where owners' photos are kept: the local folder by default, a bucket when configured."""

from __future__ import annotations

import importlib.util
from typing import Any

import pytest

from core.settings import ConfigError, Settings
from core.storage import LocalStorage, S3Storage, storage_from_settings


async def test_local_storage_writes_under_its_root_and_answers_the_public_url(tmp_path):
    storage = LocalStorage(tmp_path, "http://zg.test/media/")

    url = await storage.save("properties/7/a.jpg", b"jpeg", content_type="image/jpeg")

    assert url == "http://zg.test/media/properties/7/a.jpg"
    assert (tmp_path / "properties" / "7" / "a.jpg").read_bytes() == b"jpeg"
    assert not list(tmp_path.rglob("*.part"))
    await storage.delete("properties/7/a.jpg")
    assert not (tmp_path / "properties" / "7" / "a.jpg").exists()


@pytest.mark.parametrize("key", ["../escape.jpg", "/etc/passwd", "a/../../b.jpg", ""])
async def test_local_storage_refuses_keys_that_leave_its_root(tmp_path, key):
    with pytest.raises(ValueError):
        await LocalStorage(tmp_path, "http://zg.test/media").save(
            key, b"x", content_type="image/jpeg"
        )


class Bucket:
    """A boto3-shaped S3 client keeping objects in memory."""

    def __init__(self) -> None:
        self.objects: dict[tuple[str, str], tuple[bytes, str]] = {}

    def put_object(self, *, Bucket: str, Key: str, Body: bytes, ContentType: str) -> Any:
        self.objects[(Bucket, Key)] = (Body, ContentType)

    def delete_object(self, *, Bucket: str, Key: str) -> Any:
        self.objects.pop((Bucket, Key), None)


async def test_s3_storage_puts_objects_in_the_bucket():
    bucket = Bucket()
    storage = S3Storage(bucket, "photos", "https://cdn.zg.test/photos/")

    url = await storage.save("properties/1/b.jpg", b"jpeg", content_type="image/jpeg")

    assert url == "https://cdn.zg.test/photos/properties/1/b.jpg"
    assert bucket.objects == {("photos", "properties/1/b.jpg"): (b"jpeg", "image/jpeg")}
    await storage.delete("properties/1/b.jpg")
    assert bucket.objects == {}


def test_the_folder_is_the_default_and_a_bucket_needs_boto3(tmp_path):
    local = storage_from_settings(Settings(media_root=str(tmp_path)))
    assert isinstance(local, LocalStorage) and local.root == tmp_path
    if importlib.util.find_spec("boto3") is None:
        with pytest.raises(ConfigError, match="boto3"):
            storage_from_settings(Settings(s3_bucket="photos"))
