"""The SSRF guard and caps of core.safe_fetch, replaying the attacks of issue 9 against real
HTTP servers on loopback: a link to an internal service, a redirect into the network, a
redirect chain, a gzip bomb, a server that trickles, a body that must not reach the owner.

Loopback stands in for "inside"; policies that trust one port of it stand in for a public
feed server.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import gzip
import ipaddress
import ssl
import tracemalloc
import zlib
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import pytest
import uvicorn
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from pydantic import ValidationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, RedirectResponse, Response, StreamingResponse
from starlette.routing import Route

from core.safe_fetch import (
    BadBody,
    BadLink,
    BadStatus,
    BlockedAddress,
    FetchPolicy,
    TooLarge,
    TooManyRedirects,
    TooSlow,
    Trusted,
    Unreachable,
    fetch,
    is_public,
    url_problem,
)
from core.settings import Settings
from tests.support.servers import free_port, serve

PRIVATE = "The link points to a private or local address."
FEED = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n"
MARKER = "booking-id-bk7QX2-from-the-temporal-ui"


@dataclass
class Site:
    """A loopback HTTP server that records who asked for what."""

    port: int
    url: str = ""
    hosts: list[str] = field(default_factory=list)

    def at(self, path: str) -> str:
        return f"{self.url}{path}"


@cache
def bomb(encoding: str) -> bytes:
    """About 50 KB on the wire, 50 MB unpacked."""
    zeros = b"\0" * 50_000_000
    return gzip.compress(zeros) if encoding == "gzip" else zlib.compress(zeros)


def site_app(site: Site) -> Starlette:
    async def feed(request: Request) -> Response:
        site.hosts.append(request.headers["host"])
        return Response(FEED, media_type="text/calendar")

    async def hop(request: Request) -> Response:
        left = int(request.path_params["left"])
        return RedirectResponse(f"/hop/{left - 1}" if left else "/feed.ics", status_code=302)

    async def away(request: Request) -> Response:
        return RedirectResponse(request.query_params["to"], status_code=302)

    async def gzip_bomb(request: Request) -> Response:
        body = bomb("gzip")
        return Response(body, headers={"content-encoding": "gzip"}, media_type="text/calendar")

    async def deflate_bomb(request: Request) -> Response:
        return Response(bomb("deflate"), headers={"content-encoding": "deflate"})

    async def brotli(request: Request) -> Response:
        return Response(b"\x0b\x02\x80", headers={"content-encoding": "br"})

    async def huge(request: Request) -> Response:
        async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked
            for _ in range(100):
                yield b"X" * 65_536

        return StreamingResponse(chunks(), media_type="text/calendar")

    async def trickle(request: Request) -> Response:
        async def drip() -> AsyncIterator[bytes]:
            for _ in range(120):
                yield b"B"
                await asyncio.sleep(0.25)

        return StreamingResponse(drip(), media_type="text/calendar")

    async def missing(request: Request) -> Response:
        return PlainTextResponse(f'{{"error": "{MARKER}"}}', status_code=404)

    return Starlette(
        routes=[
            Route("/feed.ics", feed),
            Route("/hop/{left}", hop),
            Route("/away", away),
            Route("/gzip-bomb.ics", gzip_bomb),
            Route("/deflate-bomb.ics", deflate_bomb),
            Route("/brotli.ics", brotli),
            Route("/huge.ics", huge),
            Route("/trickle.ics", trickle),
            Route("/missing.ics", missing),
        ]
    )


@asynccontextmanager
async def site() -> AsyncIterator[Site]:
    here = Site(port=free_port())
    async with serve(site_app(here), here.port) as url:
        here.url = url
        yield here


def trusting(*hosts: str, **limits: float) -> FetchPolicy:
    return FetchPolicy.of(allowed_hosts=hosts, **limits)  # type: ignore[arg-type]


# ---------------------------------------------------------------- the default trusts nothing


def test_by_default_no_private_host_is_trusted_in_any_environment() -> None:
    assert Settings.model_fields["feed_allowed_hosts"].default == []
    for env in ("development", "test"):  # `make dev` runs with app_env=development
        settings = Settings(_env_file=None, app_env=env)
        assert settings.feed_allowed_hosts == [] and settings.feed_allowed_ports == []
        assert FetchPolicy.from_settings(settings).trusted == ()


INSIDE = [
    "http://127.0.0.1:8233/api/v1/namespaces/default/workflows?query=x",  # the Temporal UI
    "http://localhost:8233/api/v1/namespaces/default/workflows",  # a name for loopback
    "http://127.1/",
    "http://2130706433/",  # 127.0.0.1 as one number
    "http://0.0.0.0/",
    "http://10.1.2.3/cal.ics",
    "http://172.16.0.1/cal.ics",
    "http://192.168.1.1/cal.ics",
    "http://100.64.0.1/cal.ics",  # carrier-grade NAT
    "http://169.254.169.254/latest/meta-data/",  # cloud metadata
    "http://224.0.0.1/",
    "http://[::1]/cal.ics",
    "http://[::]/",
    "http://[::ffff:127.0.0.1]/cal.ics",  # IPv4-mapped
    "http://[::ffff:169.254.169.254]/",
    "http://[fc00::1]/cal.ics",  # unique-local
    "http://[fd12:3456::1]/cal.ics",
    "http://[fe80::1]/cal.ics",  # link-local
    "http://[ff02::1]/",  # multicast
    "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
    "http://[64:ff9b::a00:1]/",  # NAT64 of 10.0.0.1
]


@pytest.mark.parametrize("url", INSIDE)
async def test_a_link_to_an_inside_address_is_refused_when_saved(url: str) -> None:
    assert await url_problem(url, FetchPolicy()) == PRIVATE


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("ftp://93.184.215.14/cal.ics", "http:// or https://"),
        ("file:///etc/passwd", "http:// or https://"),
        ("gopher://127.0.0.1:6379/_INFO", "http:// or https://"),
        ("http:///cal.ics", "no host"),
        ("http://93.184.215.14:6379/", "port 6379"),  # a public host, but Redis's port
        ("https://93.184.215.14:8443/cal.ics", "port 8443"),
        ("http://no-such-host.invalid/cal.ics", "not found"),
    ],
)
async def test_other_links_that_cannot_be_feeds_are_refused(url: str, says: str) -> None:
    problem = await url_problem(url, FetchPolicy())
    assert problem is not None and says in problem


async def test_public_addresses_on_standard_or_allowed_ports_pass() -> None:
    assert await url_problem("https://93.184.215.14/cal.ics", FetchPolicy()) is None
    assert await url_problem("http://[2606:2800:220:1::]/cal.ics", FetchPolicy()) is None
    assert (
        await url_problem("http://93.184.215.14:8080/", FetchPolicy.of(allowed_ports=[8080]))
        is None
    )


def test_ipv6_forms_of_public_ipv4_addresses_are_public() -> None:
    assert is_public(ipaddress.ip_address("2002:5db8:d70e::"))  # 6to4 of 93.184.215.14
    assert is_public(ipaddress.ip_address("64:ff9b::5db8:d70e"))  # NAT64 of it


async def test_the_allow_list_trusts_exactly_what_it_names() -> None:
    one_port = trusting("127.0.0.1:8080")
    assert await url_problem("http://127.0.0.1:8080/cal.ics", one_port) is None
    assert await url_problem("http://127.0.0.1:8081/cal.ics", one_port) == PRIVATE
    assert await url_problem("http://10.0.0.5:9000/", trusting("10.0.0.0/8")) is None
    assert await url_problem("http://[::1]:8080/", trusting("[::1]:8080")) is None
    by_name = trusting("localhost")
    assert await url_problem("http://localhost:5000/", by_name) is None
    assert await url_problem("http://127.0.0.1:5000/", by_name) == PRIVATE
    assert Trusted.parse("Cal.Corp.:8443") == Trusted(name="cal.corp", port=8443)
    for bad in ("[::1", "a.b:0", "a.b:x", "http://a.b/"):
        with pytest.raises(ValueError):
            Trusted.parse(bad)
        with pytest.raises(ValidationError, match="feed allow-list entry"):
            Settings(_env_file=None, feed_allowed_hosts=[bad])  # the process does not start


# ---------------------------------------------------------------- at connect time


async def test_a_redirect_into_the_network_is_refused_at_connect_time() -> None:
    async with site() as feed, site() as inside:
        policy = trusting(f"127.0.0.1:{feed.port}")  # the feed's server, and only it
        assert await url_problem(feed.at("/away"), policy) is None  # looked fine when saved

        with pytest.raises(BlockedAddress) as refused:
            await fetch(feed.at(f"/away?to={inside.at('/feed.ics')}"), policy)

    assert str(refused.value) == PRIVATE
    assert inside.hosts == []  # never asked


@pytest.mark.parametrize("target", ["gopher://127.0.0.1:6379/_INFO", "file:///etc/passwd"])
async def test_a_redirect_to_another_scheme_is_refused(target: str) -> None:
    async with site() as feed:
        with pytest.raises(BadLink) as refused:
            await fetch(feed.at(f"/away?to={target}"), trusting("127.0.0.1"))

    assert str(refused.value) == "Use the feed's http:// or https:// link."


async def test_at_most_three_redirects_are_followed() -> None:
    async with site() as feed:
        policy = trusting("127.0.0.1")
        assert await fetch(feed.at("/hop/2"), policy) == FEED  # three redirects

        with pytest.raises(TooManyRedirects) as refused:
            await fetch(feed.at("/hop/3"), policy)

    assert str(refused.value) == "The link redirects more than 3 times."


async def test_the_request_goes_to_the_vetted_address_with_the_links_host_name() -> None:
    async with site() as feed:
        body = await fetch(f"http://localhost:{feed.port}/feed.ics", trusting("localhost"))

    assert body == FEED
    assert feed.hosts == [f"localhost:{feed.port}"]


# ---------------------------------------------------------------- caps


@pytest.mark.parametrize("path", ["/gzip-bomb.ics", "/deflate-bomb.ics"])
async def test_a_compression_bomb_stops_at_the_cap_in_bounded_memory(path: str) -> None:
    async with site() as feed:
        policy = trusting("127.0.0.1", max_bytes=2_000_000)
        bomb("gzip"), bomb("deflate")  # the server's side is not what is measured
        tracemalloc.start()
        try:
            with pytest.raises(TooLarge) as refused:
                await fetch(feed.at(path), policy)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()

    assert str(refused.value) == "The feed is larger than 2 MB."
    assert peak < 12_000_000, peak  # the bomb is 50 MB unpacked


async def test_a_body_without_length_stops_at_the_cap() -> None:
    async with site() as feed:
        with pytest.raises(TooLarge):
            await fetch(feed.at("/huge.ics"), trusting("127.0.0.1", max_bytes=1_000_000))


async def test_an_encoding_we_cannot_read_is_refused() -> None:
    async with site() as feed:
        with pytest.raises(BadBody):
            await fetch(feed.at("/brotli.ics"), trusting("127.0.0.1"))


async def test_a_trickling_server_is_cut_off_at_the_deadline() -> None:
    async with site() as feed:
        with pytest.raises(TooSlow) as cut:
            await fetch(feed.at("/trickle.ics"), trusting("127.0.0.1", deadline=1.0))

    assert str(cut.value) == "The calendar server did not answer in time."


async def test_an_error_answer_is_told_without_its_body() -> None:
    async with site() as feed:
        with pytest.raises(BadStatus) as answered:
            await fetch(feed.at("/missing.ics"), trusting("127.0.0.1"))

    assert str(answered.value) == "The calendar server answered 404."
    assert MARKER not in str(answered.value)


# ---------------------------------------------------------------- https


@dataclass
class Tls:
    cert: Path
    key: Path

    def trust(self) -> ssl.SSLContext:
        return ssl.create_default_context(cafile=str(self.cert))


def self_signed(name: str, folder: Path) -> Tls:
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(name)]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    (folder / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return Tls(folder / "cert.pem", folder / "key.pem")


@asynccontextmanager
async def https_site(tls: Tls) -> AsyncIterator[Site]:
    here = Site(port=free_port())
    config = uvicorn.Config(
        site_app(here),
        host="127.0.0.1",
        port=here.port,
        log_level="warning",
        ssl_certfile=str(tls.cert),
        ssl_keyfile=str(tls.key),
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.02)
    here.url = f"https://localhost:{here.port}"
    try:
        yield here
    finally:
        server.should_exit = True
        await task


async def test_https_to_the_vetted_address_still_checks_the_certificates_name(
    tmp_path: Path,
) -> None:
    tls = self_signed("localhost", tmp_path)
    async with https_site(tls) as feed:
        policy = FetchPolicy.of(allowed_hosts=["localhost", "127.0.0.1"], verify=tls.trust())
        body = await fetch(feed.at("/feed.ics"), policy)
        # The same server by its address: the certificate names localhost, not 127.0.0.1.
        with pytest.raises(Unreachable):
            await fetch(f"https://127.0.0.1:{feed.port}/feed.ics", policy)

    assert body == FEED
    assert feed.hosts == [f"localhost:{feed.port}"]
