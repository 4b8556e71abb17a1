"""Where uploaded files live: a local folder served by the API under /media (default), or
an S3-compatible bucket when `S3_BUCKET` is set and boto3 is installed."""

from __future__ import annotations

import asyncio
import importlib
import importlib.util
from pathlib import Path, PurePosixPath
from typing import Any, Protocol

from core.settings import ConfigError, Settings

MEDIA_URL_PATH = "/media"


class Storage(Protocol):
    async def save(self, key: str, data: bytes, *, content_type: str) -> str:
        """Stores `data` under `key` and returns the URL it is served from."""
        ...

    async def delete(self, key: str) -> None: ...


def _clean_key(key: str) -> str:
    """Keys are relative POSIX paths; nothing may climb out of the storage root."""
    path = PurePosixPath(key)
    if path.is_absolute() or not path.parts or ".." in path.parts:
        raise ValueError(f"bad storage key {key!r}")
    return str(path)


class LocalStorage:
    def __init__(self, root: Path, base_url: str) -> None:
        self.root = root
        self._base_url = base_url.rstrip("/")

    def path_of(self, key: str) -> Path:
        return self.root / _clean_key(key)

    async def save(self, key: str, data: bytes, *, content_type: str) -> str:
        path = self.path_of(key)

        def write() -> None:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(path.name + ".part")
            tmp.write_bytes(data)
            tmp.replace(path)  # readers never see half a file

        await asyncio.to_thread(write)
        return f"{self._base_url}/{_clean_key(key)}"

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(self.path_of(key).unlink, missing_ok=True)


class S3Storage:
    """Any S3-compatible bucket (AWS, MinIO) through a boto3-style client."""

    def __init__(self, client: Any, bucket: str, public_url: str) -> None:
        self._client = client
        self._bucket = bucket
        self._public_url = public_url.rstrip("/")

    @classmethod
    def from_settings(cls, settings: Settings) -> S3Storage:
        if importlib.util.find_spec("boto3") is None:
            raise ConfigError("S3_BUCKET is set but boto3 is not installed (pip install boto3)")
        boto3 = importlib.import_module("boto3")
        client = boto3.client(
            "s3",
            endpoint_url=settings.s3_endpoint_url,
            aws_access_key_id=(
                settings.s3_access_key.get_secret_value() if settings.s3_access_key else None
            ),
            aws_secret_access_key=(
                settings.s3_secret_key.get_secret_value() if settings.s3_secret_key else None
            ),
        )
        bucket = settings.s3_bucket or ""
        endpoint = (settings.s3_endpoint_url or "https://s3.amazonaws.com").rstrip("/")
        return cls(client, bucket, settings.s3_public_url or f"{endpoint}/{bucket}")

    async def save(self, key: str, data: bytes, *, content_type: str) -> str:
        key = _clean_key(key)
        await asyncio.to_thread(
            self._client.put_object,
            Bucket=self._bucket,
            Key=key,
            Body=data,
            ContentType=content_type,
        )
        return f"{self._public_url}/{key}"

    async def delete(self, key: str) -> None:
        await asyncio.to_thread(
            self._client.delete_object, Bucket=self._bucket, Key=_clean_key(key)
        )


def local_media_root(settings: Settings) -> Path | None:
    """The folder the API serves under /media, or None when files go to a bucket."""
    return None if settings.s3_bucket else Path(settings.media_root)


def storage_from_settings(settings: Settings) -> Storage:
    root = local_media_root(settings)
    if root is None:
        return S3Storage.from_settings(settings)
    return LocalStorage(root, settings.public_base_url.rstrip("/") + MEDIA_URL_PATH)
