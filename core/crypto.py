"""Encryption of access codes at rest: Fernet, with MultiFernet for key rotation."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from core.settings import ConfigError, Settings


class CodeCipher:
    """Encrypts with the newest key, decrypts with any configured key."""

    def __init__(self, keys: list[str]) -> None:
        if not keys:
            raise ConfigError("ENCRYPTION_KEY is required to encrypt or decrypt access codes")
        try:
            self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])
        except (ValueError, TypeError) as exc:
            raise ConfigError(
                "ENCRYPTION_KEY must be one or more url-safe base64 Fernet keys"
            ) from exc

    @classmethod
    def from_settings(cls, settings: Settings) -> CodeCipher:
        return cls(settings.encryption_keys())

    def encrypt(self, plain: str) -> str:
        return self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as exc:
            raise ValueError("access code cannot be decrypted with the configured keys") from exc

    def rotate(self, token: str) -> str:
        """Re-encrypts a stored value with the newest key."""
        return self._fernet.rotate(token.encode()).decode()


def mask_code(code: str) -> str:
    """What an owner sees after saving a code: never the whole code."""
    if len(code) <= 2:
        return "•" * len(code)
    return "•" * (len(code) - 2) + code[-2:]
