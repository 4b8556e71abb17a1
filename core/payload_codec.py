"""Temporal payload encryption: what a workflow is given, returns, or is signalled is sealed
before it leaves the process, so a guest's name and phone never sit in Temporal's history
(or its UI) in clear. Ops read them back through the codec endpoint (api/routes/temporal_codec.py).

AES-256-GCM with a key derived (HKDF) from each configured Fernet key, so one ENCRYPTION_KEY
serves the access codes and Temporal without reusing key material. The key id travels in the
payload's metadata: the newest key seals, every configured key opens (rotation). A payload
without our encoding passes through untouched: histories recorded before encryption, and
bookings started before it, still replay.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from google.protobuf.message import DecodeError
from temporalio.api.common.v1 import Payload
from temporalio.converter import PayloadCodec

from core.settings import ConfigError

ENCODING = b"binary/encrypted"
KEY_ID = "encryption-key-id"
_NONCE_BYTES = 12
_HKDF_INFO = b"zhilyego temporal payload v1"


class PayloadDecryptError(ValueError):
    """A sealed payload that none of the configured keys opens."""


def _derive(fernet_key: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(fernet_key.encode())
    except (binascii.Error, ValueError) as exc:
        raise ConfigError("Temporal payload keys must be url-safe base64 Fernet keys") from exc
    if len(raw) != 32:
        raise ConfigError("Temporal payload keys must be url-safe base64 Fernet keys")
    return HKDF(algorithm=SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(raw)


def _key_id(derived: bytes) -> str:
    """Names a key without revealing it (a hash of the derived key, not the key itself)."""
    return hashlib.sha256(b"key id:" + derived).hexdigest()[:16]


class EncryptionCodec(PayloadCodec):
    def __init__(self, keys: Sequence[str]) -> None:
        """`keys`: Fernet keys, newest first; the newest seals, all of them open."""
        if not keys:
            raise ConfigError("Temporal payload encryption needs at least one key")
        derived = [_derive(key) for key in keys]
        self._ciphers = {_key_id(d): AESGCM(d) for d in derived}
        self._sealing_id = _key_id(derived[0])

    def encrypt(self, payload: Payload) -> Payload:
        nonce = os.urandom(_NONCE_BYTES)
        key_id = self._sealing_id.encode()
        sealed = self._ciphers[self._sealing_id].encrypt(nonce, payload.SerializeToString(), key_id)
        return Payload(metadata={"encoding": ENCODING, KEY_ID: key_id}, data=nonce + sealed)

    def decrypt(self, payload: Payload) -> Payload:
        if payload.metadata.get("encoding") != ENCODING:
            return payload
        key_id = payload.metadata.get(KEY_ID, b"")
        cipher = self._ciphers.get(key_id.decode("ascii", "replace"))
        if cipher is None:
            raise PayloadDecryptError(
                f"payload sealed with key {key_id[:16]!r}, which is not configured"
            )
        nonce, sealed = payload.data[:_NONCE_BYTES], payload.data[_NONCE_BYTES:]
        try:
            return Payload.FromString(cipher.decrypt(nonce, sealed, key_id))
        except (InvalidTag, DecodeError, ValueError) as exc:
            raise PayloadDecryptError("payload does not open with its key (altered?)") from exc

    async def encode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.encrypt(p) for p in payloads]

    async def decode(self, payloads: Sequence[Payload]) -> list[Payload]:
        return [self.decrypt(p) for p in payloads]
