"""Failed web-admin sign-ins, counted in Redis with expiry.

An account is locked for a while after a few failures in the window (whoever tried), an
address is refused after many (whichever accounts it tried). Both hold for unknown emails
too, so the answers tell nothing about which accounts exist. Emails are hashed in the keys.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from redis.asyncio import Redis

from core.settings import Settings


@dataclass(frozen=True)
class LoginThrottle:
    redis: Redis
    prefix: str
    per_account: int
    per_address: int
    window_seconds: int
    lockout_seconds: int

    @classmethod
    def from_settings(cls, redis: Redis, settings: Settings) -> LoginThrottle:
        return cls(
            redis,
            prefix=f"{settings.rate_limit_key_prefix}:admin-login",
            per_account=settings.admin_login_failures_per_account,
            per_address=settings.admin_login_failures_per_address,
            window_seconds=max(1, int(settings.admin_login_window.total_seconds())),
            lockout_seconds=max(1, int(settings.admin_login_lockout.total_seconds())),
        )

    def _account(self, email: str) -> str:
        digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]
        return f"{self.prefix}:account:{digest}"

    def _lock(self, email: str) -> str:
        return self._account(email) + ":locked"

    def _address(self, address: str) -> str:
        return f"{self.prefix}:address:{address}"

    async def wait_seconds(self, email: str, address: str) -> int:
        """0 when this sign-in may be tried, else the whole seconds until it may."""
        async with self.redis.pipeline(transaction=False) as pipe:
            pipe.ttl(self._lock(email))
            pipe.get(self._address(address))
            pipe.ttl(self._address(address))
            locked_for, address_failures, address_ttl = await pipe.execute()
        waits = [int(locked_for)] if int(locked_for) > 0 else []
        if address_failures is not None and int(address_failures) >= self.per_address:
            waits.append(max(int(address_ttl), 1))
        return max(waits, default=0)

    async def failed(self, email: str, address: str) -> None:
        account, by_address = self._account(email), self._address(address)
        async with self.redis.pipeline(transaction=True) as pipe:
            for key in (account, by_address):
                pipe.set(key, 0, ex=self.window_seconds, nx=True)  # the window starts now
                pipe.incr(key)
            _, account_failures, _, _ = await pipe.execute()
        if int(account_failures) >= self.per_account:
            async with self.redis.pipeline(transaction=True) as pipe:
                pipe.set(self._lock(email), 1, ex=self.lockout_seconds)
                pipe.delete(account)  # after the lockout, a fresh count
                await pipe.execute()

    async def succeeded(self, email: str) -> None:
        await self.redis.delete(self._account(email))
