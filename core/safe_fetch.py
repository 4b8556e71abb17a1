"""Fetching a link an outsider gave us (an owner's calendar feed) without letting it reach
inside: on every hop the host is resolved here, every address must be public (unless the
allow-list trusts it), and the request goes to the vetted address itself, so DNS that
changes between the check and the connection cannot land on a private one. The body is
streamed under a cap on decompressed bytes, the whole fetch under one deadline.

Errors say what went wrong in our own words (str() of a FetchError is meant for the owner);
nothing the server sent ever reaches them.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import ssl
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from core.settings import Settings

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
SCHEMES = frozenset({"http", "https"})
STANDARD_PORTS = frozenset({80, 443})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
ENCODINGS = frozenset({"gzip", "x-gzip", "deflate"})
NAT64 = ipaddress.ip_network("64:ff9b::/96")
IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
# Special-purpose IPv4 ranges that some Python versions' is_global lets through.
NOT_PUBLIC_V4 = tuple(
    ipaddress.ip_network(n)
    for n in ("0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "240.0.0.0/4")
)


class FetchError(Exception):
    """The link was refused or could not be read; str() is the reason, for the owner."""


class BadLink(FetchError):
    pass


class UnknownHost(FetchError):
    pass


class BlockedAddress(FetchError):
    pass


class BlockedPort(FetchError):
    pass


class TooManyRedirects(FetchError):
    pass


class Unreachable(FetchError):
    pass


class BadStatus(FetchError):
    pass


class TooLarge(FetchError):
    pass


class TooSlow(FetchError):
    pass


class BadBody(FetchError):
    pass


def is_public(address: IPAddress) -> bool:
    """Whether the address is on the public internet: not loopback, private, link-local,
    multicast, reserved or unique-local, nor an IPv6 form of such an IPv4 address."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in NAT64:  # DNS64 on an IPv6-only host: as good as the IPv4 inside
            return is_public(ipaddress.IPv4Address(int(address) & 0xFFFFFFFF))
        embedded = address.ipv4_mapped or address.sixtofour
        if address in IPV4_COMPATIBLE:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and not is_public(embedded):
            return False
    elif any(address in net for net in NOT_PUBLIC_V4):
        return False
    return address.is_global and not (
        address.is_multicast
        or address.is_reserved
        or address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_unspecified
    )


@dataclass(frozen=True)
class Trusted:
    """One allow-list entry: a host name or an address range, on one port or on any."""

    name: str | None = None
    network: IPNetwork | None = None
    port: int | None = None

    @classmethod
    def parse(cls, entry: str) -> Trusted:
        """Reads "cal.corp", "cal.corp:8443", "10.0.0.0/8", "127.0.0.1:8080", "[::1]:8080"…"""
        text, port = entry.strip().lower(), None
        if text.startswith("["):
            text, closed, rest = text[1:].partition("]")
            if not closed or (rest and not rest.startswith(":")):
                raise ValueError(f"feed allow-list entry {entry!r}: expected [address]:port")
            port = rest[1:] or None
        elif text.count(":") == 1:
            text, _, port = text.partition(":")
        if port is not None and not (port.isascii() and port.isdigit()):
            raise ValueError(f"feed allow-list entry {entry!r}: bad port")
        number = int(port) if port is not None else None
        if number is not None and not 0 < number < 65536:
            raise ValueError(f"feed allow-list entry {entry!r}: bad port")
        try:
            return cls(network=ipaddress.ip_network(text, strict=False), port=number)
        except ValueError:
            name = text.rstrip(".")
            if not name or any(ch in name for ch in "/[]@ "):
                raise ValueError(f"feed allow-list entry {entry!r}: not a host") from None
            return cls(name=name, port=number)

    def admits(self, host: str, address: IPAddress, port: int) -> bool:
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return address.version == self.network.version and address in self.network
        return host.lower().rstrip(".") == self.name


@dataclass(frozen=True)
class FetchPolicy:
    """Where a fetch may go and how much it may take. The allow-list (empty by default)
    trusts hosts that are private or local (on-premise feeds, tests); an entry without a
    port trusts every port of that host."""

    trusted: tuple[Trusted, ...] = ()
    ports: frozenset[int] = STANDARD_PORTS
    max_bytes: int = 2_000_000
    deadline: float = 20.0
    max_redirects: int = 3
    # The certificates trusted for https (the system's by default; a test CA in tests).
    verify: ssl.SSLContext | bool = True

    @classmethod
    def of(
        cls,
        *,
        allowed_hosts: Iterable[str] = (),
        allowed_ports: Iterable[int] = (),
        max_bytes: int = 2_000_000,
        deadline: float = 20.0,
        max_redirects: int = 3,
        verify: ssl.SSLContext | bool = True,
    ) -> FetchPolicy:
        return cls(
            trusted=tuple(Trusted.parse(entry) for entry in allowed_hosts),
            ports=STANDARD_PORTS | frozenset(allowed_ports),
            max_bytes=max_bytes,
            deadline=deadline,
            max_redirects=max_redirects,
            verify=verify,
        )

    @classmethod
    def from_settings(cls, settings: Settings) -> FetchPolicy:
        return cls.of(
            allowed_hosts=settings.feed_allowed_hosts,
            allowed_ports=settings.feed_allowed_ports,
            max_bytes=settings.feed_max_bytes,
            deadline=settings.feed_fetch_deadline_seconds,
        )


async def url_problem(url: str, policy: FetchPolicy) -> str | None:
    """Why `url` may not be fetched (scheme, port, host unknown or not public), in words for
    the owner; None when it may. Checked again on every hop of every fetch."""
    try:
        async with asyncio.timeout(policy.deadline):
            await _vetted(_parse(url), policy)
    except TimeoutError:
        return "The link's host name could not be looked up in time."
    except FetchError as exc:
        return str(exc)
    return None


async def fetch(url: str, policy: FetchPolicy) -> bytes:
    """The body behind `url` (decompressed), following at most `max_redirects` redirects,
    each checked as the link itself was; raises FetchError."""
    try:
        async with asyncio.timeout(policy.deadline):
            current = _parse(url)
            for _ in range(policy.max_redirects + 1):
                answer = await _get(current, await _vetted(current, policy), policy)
                if isinstance(answer, bytes):
                    return answer
                current = answer
    except TimeoutError:
        raise TooSlow("The calendar server did not answer in time.") from None
    raise TooManyRedirects(f"The link redirects more than {policy.max_redirects} times.")


def _parse(url: str) -> httpx.URL:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise BadLink("This is not a valid link.") from None
    return _checked(parsed)


def _checked(url: httpx.URL) -> httpx.URL:
    """The link itself or a redirect's target: http or https, with a host."""
    if url.scheme not in SCHEMES:
        raise BadLink("Use the feed's http:// or https:// link.")
    if not url.raw_host:
        raise BadLink("The link has no host name.")
    return url


def _host_port(url: httpx.URL) -> tuple[str, int]:
    return url.raw_host.decode("ascii"), url.port or (443 if url.scheme == "https" else 80)


async def _vetted(url: httpx.URL, policy: FetchPolicy) -> list[IPAddress]:
    """Every address the host has now, each public or trusted; refuses the link otherwise."""
    host, port = _host_port(url)
    try:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnknownHost("The link's host name was not found.") from None
    try:
        addresses = list(dict.fromkeys(ipaddress.ip_address(info[4][0]) for info in infos))
    except ValueError:
        raise BlockedAddress("The link points to a private or local address.") from None
    if not addresses:
        raise UnknownHost("The link's host name was not found.")
    for address in addresses:
        if any(entry.admits(host, address, port) for entry in policy.trusted):
            continue
        if not is_public(address):
            raise BlockedAddress("The link points to a private or local address.")
        if port not in policy.ports:
            allowed = ", ".join(str(p) for p in sorted(policy.ports))
            raise BlockedPort(f"The link uses port {port}; feeds are read from ports {allowed}.")
    return addresses


async def _get(
    url: httpx.URL, addresses: list[IPAddress], policy: FetchPolicy
) -> bytes | httpx.URL:
    """The body, or where the server redirects to; tries the vetted addresses in turn."""
    for address in addresses:
        try:
            return await _get_from(url, address, policy)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            continue
        except httpx.HTTPError:
            break
    raise Unreachable("The calendar server could not be reached.")


async def _get_from(url: httpx.URL, address: IPAddress, policy: FetchPolicy) -> bytes | httpx.URL:
    host, _ = _host_port(url)
    headers = {
        "Host": url.netloc.decode("ascii"),
        "Accept": "text/calendar, */*;q=0.5",
        "Accept-Encoding": "gzip, deflate",
        "User-Agent": "ZhilyeGO calendar import",
    }
    # The connection goes to the vetted address; TLS still checks the certificate's name.
    extensions = {"sni_hostname": host} if url.scheme == "https" else {}
    # A client per hop: a pooled connection must never carry a request for another name.
    async with (
        httpx.AsyncClient(trust_env=False, timeout=policy.deadline, verify=policy.verify) as client,
        client.stream(
            "GET", url.copy_with(host=str(address)), headers=headers, extensions=extensions
        ) as response,
    ):
        status = response.status_code
        if status in REDIRECTS and response.headers.get("location"):
            try:
                target = url.join(response.headers["location"])
            except (httpx.InvalidURL, ValueError):
                raise BadLink("The link redirects to an invalid address.") from None
            return _checked(target)
        if status != 200:
            raise BadStatus(f"The calendar server answered {status}.")
        return await _read(response, policy.max_bytes)


async def _read(response: httpx.Response, max_bytes: int) -> bytes:
    body = _Body(response.headers.get("content-encoding", ""), max_bytes)
    length = response.headers.get("content-length", "")
    if length.isdigit() and int(length) > max_bytes:
        body.too_large()
    async for chunk in response.aiter_raw():
        body.feed(chunk)
    return body.finish()


class _Body:
    """The decompressed body, never more than `cap` bytes of it in memory (a gzip bomb
    stops at the cap instead of growing the process)."""

    def __init__(self, content_encoding: str, cap: int) -> None:
        codings = [c.strip().lower() for c in content_encoding.split(",")]
        codings = [c for c in codings if c and c != "identity"]
        if len(codings) > 1 or (codings and codings[0] not in ENCODINGS):
            raise BadBody("The calendar server sent the feed in an encoding we cannot read.")
        # wbits | 32: a zlib or gzip header, whichever the server sent.
        self._inflate = zlib.decompressobj(zlib.MAX_WBITS | 32) if codings else None
        self._cap, self._raw, self._size = cap, 0, 0
        self._parts: list[bytes] = []

    def too_large(self) -> None:
        raise TooLarge(f"The feed is larger than {self._cap / 1_000_000:g} MB.")

    def feed(self, chunk: bytes) -> None:
        self._raw += len(chunk)
        if self._raw > self._cap:
            self.too_large()
        if self._inflate is None:
            self._keep(chunk)
            return
        pending = chunk
        while pending and not self._inflate.eof:
            try:
                # Never more output than one byte past the cap, whatever the ratio.
                out = self._inflate.decompress(pending, self._cap - self._size + 1)
            except zlib.error:
                raise BadBody("The feed's compressed data is damaged.") from None
            self._keep(out)
            pending = self._inflate.unconsumed_tail

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._cap:
            self.too_large()
        self._parts.append(data)

    def finish(self) -> bytes:
        if self._inflate is not None and not self._inflate.eof:
            try:
                self._keep(self._inflate.flush())
            except zlib.error:
                raise BadBody("The feed's compressed data is damaged.") from None
        return b"".join(self._parts)
