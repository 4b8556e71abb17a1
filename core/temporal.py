"""Temporal client construction shared by the API, the bots, the worker and the tools."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.converter import DataConverter
from temporalio.runtime import Runtime

from core.payload_codec import EncryptionCodec
from core.settings import Settings


def data_converter(keys: Sequence[str]) -> DataConverter:
    """Pydantic values, payloads encrypted with `keys` (newest first): every client, worker
    and replayer of ours uses this, so each reads what the others wrote."""
    return dataclasses.replace(pydantic_data_converter, payload_codec=EncryptionCodec(keys))


async def connect_temporal(settings: Settings, runtime: Runtime | None = None) -> Client:
    return await Client.connect(
        settings.temporal_address,
        namespace=settings.temporal_namespace,
        data_converter=data_converter(settings.temporal_payload_keys()),
        runtime=runtime,
    )
