"""The Fetcher against a real server on 127.0.0.1: statuses, retries, redirects, bodies."""

from __future__ import annotations

import asyncio
import gzip
import socket
import time
import tracemalloc
import zlib
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import brotli
import pytest
import zstandard

from primenews.config import Settings
from primenews.errors import (
    BodyTooLargeError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    TooManyRedirectsError,
)
from primenews.fetch import ConnectionFailedError, Fetcher, fetch_once
from primenews.fetch.statuses import parse_retry_after
from primenews.models import FetchLogEntry, Link, Page
from tests.localserver import LocalServer, RequestInfo, Response

MIB = 1024 * 1024


def fetch(
    settings: Settings, url: str, log: list[FetchLogEntry] | None = None, **kwargs: object
) -> Page | None:
    async def go() -> Page | None:
        on_log = log.append if log is not None else None
        async with Fetcher(settings, on_log=on_log) as fetcher:
            return await fetcher.fetch(url, **kwargs)  # type: ignore[arg-type]

    return asyncio.run(go())


def test_ok_page_returns_validators_then_304(settings: Settings, http_server: LocalServer) -> None:
    stamp = "Wed, 25 Nov 2026 10:00:00 GMT"

    def handler(info: RequestInfo) -> Response:
        if info.headers.get("if-none-match") == '"v1"':
            return Response(304, b"")
        return Response(200, b"<p>news</p>", {"ETag": '"v1"', "Last-Modified": stamp})

    url = http_server.route("/story", handler)
    link = Link(url=url, source_id=3, title="A story")
    log: list[FetchLogEntry] = []
    page = fetch(settings, url, log, source_id=3, link=link)
    assert page is not None
    assert (page.status, page.body, page.url, page.requested_url) == (200, b"<p>news</p>", url, url)
    assert (page.etag, page.last_modified, page.link) == ('"v1"', stamp, link)
    assert page.charset == "utf-8"
    assert fetch(settings, url, log, etag=page.etag, last_modified=page.last_modified) is None
    conditional = [r for r in http_server.requests if r.path == "/story"][-1]
    assert conditional.headers["if-none-match"] == '"v1"'
    assert conditional.headers["if-modified-since"] == stamp
    outcomes = [(e.url, e.outcome, e.status) for e in log]
    assert (url, "ok", 200) in outcomes and (url, "not_modified", 304) in outcomes
    assert any(e.url.endswith("/robots.txt") for e in log)  # robots.txt is logged too
    assert [e.source_id for e in log if e.url == url] == [3, None]


def test_user_agent_and_encodings_sent(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/ua", body=b"<p>x</p>")
    fetch(settings, url)
    request = next(r for r in http_server.requests if r.path == "/ua")
    assert request.headers["user-agent"] == settings.user_agent
    assert "br" in request.headers["accept-encoding"]
    assert "text/html" in request.headers["accept"]
    assert all(r.headers["user-agent"] == settings.user_agent for r in http_server.requests)


@pytest.mark.parametrize(("status", "words"), [(404, "does not exist"), (410, "removed for good")])
def test_gone_pages_fail_without_retry(
    settings: Settings, http_server: LocalServer, status: int, words: str
) -> None:
    url = http_server.route("/gone", status=status, body=b"nope")
    log: list[FetchLogEntry] = []
    with pytest.raises(HTTPStatusError) as info:
        fetch(settings.replace(retries=3), url, log)
    assert info.value.status == status and info.value.url == url
    assert str(status) in str(info.value) and words in str(info.value) and url in str(info.value)
    assert http_server.count("/gone") == 1
    assert [e.outcome for e in log if e.url == url] == ["HTTPStatusError"]


def test_429_retried_after_clamped_retry_after(
    settings: Settings, http_server: LocalServer
) -> None:
    calls: list[float] = []

    def handler(info: RequestInfo) -> Response:
        calls.append(time.monotonic())
        if len(calls) == 1:
            return Response(429, b"slow down", {"Retry-After": "3600"})
        return Response(200, b"<p>ok now</p>")

    url = http_server.route("/busy", handler)
    page = fetch(settings.replace(retries=2, max_retry_after=0.3, retry_backoff=0.0), url)
    assert page is not None and page.body == b"<p>ok now</p>"
    assert len(calls) == 2
    waited = calls[1] - calls[0]
    assert 0.25 <= waited < 2.0  # honoured, but clamped from an hour to 0.3 s


def test_503_retried_then_fails(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/down", status=503, body=b"down")
    log: list[FetchLogEntry] = []
    with pytest.raises(HTTPStatusError) as info:
        fetch(settings.replace(retries=2, retry_backoff=0.01), url, log)
    assert info.value.status == 503 and "503" in str(info.value)
    assert http_server.count("/down") == 3
    assert [e.outcome for e in log if e.url == url] == ["HTTPStatusError"] * 3


def test_retry_after_parsing() -> None:
    now = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    assert parse_retry_after("120") == 120.0
    later = format_datetime(now + timedelta(seconds=90), usegmt=True)
    assert parse_retry_after(later, now) == pytest.approx(90.0)
    assert parse_retry_after(format_datetime(now - timedelta(hours=1), usegmt=True), now) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None


def test_slow_drip_cut_by_deadline(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/drip", body=[(b"<p>", 0.0)] + [(b"x", 0.2)] * 50)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError, match="fetch_timeout"):
        fetch(settings.replace(fetch_timeout=0.8, retries=0), url)
    assert time.monotonic() - started < 3.0


def test_connection_refused_reported(settings: Settings) -> None:
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(ConnectionFailedError, match="connection failed"):
        fetch(settings.replace(retries=1, respect_robots=False), f"http://127.0.0.1:{port}/")


def test_redirect_loop(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/a", status=302, headers={"Location": "/b"})
    http_server.route("/b", status=301, headers={"Location": http_server.url("/a")})
    with pytest.raises(TooManyRedirectsError, match="loop"):
        fetch(settings, url)
    assert http_server.count("/a") == 1 and http_server.count("/b") == 1


def _chain(server: LocalServer, length: int) -> str:
    for i in range(length):
        server.route(f"/r{i}", status=307, headers={"Location": f"/r{i + 1}"})
    server.route(f"/r{length}", body=b"<p>end</p>")
    return server.url("/r0")


def test_five_redirects_followed(settings: Settings, http_server: LocalServer) -> None:
    page = fetch(settings, _chain(http_server, 5))
    assert page is not None and page.url == http_server.url("/r5") and page.body == b"<p>end</p>"
    assert page.requested_url == http_server.url("/r0")


def test_six_redirects_refused(settings: Settings, http_server: LocalServer) -> None:
    with pytest.raises(TooManyRedirectsError, match="max_redirects=5"):
        fetch(settings, _chain(http_server, 6))
    assert http_server.count("/r6") == 0


def test_redirect_to_other_scheme_refused(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/f", status=302, headers={"Location": "file:///etc/passwd"})
    with pytest.raises(FetchError, match="non-HTTP"):
        fetch(settings, url)


def test_not_a_url_refused(settings: Settings) -> None:
    with pytest.raises(FetchError, match="http"):
        fetch(settings, "ftp://example.org/file")


def test_oversize_body(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/big", body=b"x" * 5000)
    with pytest.raises(BodyTooLargeError, match="max_body_bytes=1000"):
        fetch(settings.replace(max_body_bytes=1000), url)


def test_oversize_body_without_length(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/big", body=[(b"x" * 1000, 0.0)] * 20)
    with pytest.raises(BodyTooLargeError):
        fetch(settings.replace(max_body_bytes=5000), url)


def _bomb(encoding: str) -> bytes:
    zeros = b"\0" * (50 * MIB)
    if encoding == "gzip":
        return gzip.compress(zeros, compresslevel=6)
    if encoding == "br":
        return bytes(brotli.compress(zeros, quality=4))
    return zstandard.ZstdCompressor(level=3).compress(zeros)


@pytest.mark.parametrize("encoding", ["gzip", "br", "zstd"])
def test_compression_bomb_stopped(
    settings: Settings, http_server: LocalServer, encoding: str
) -> None:
    bomb = _bomb(encoding)
    assert len(bomb) < MIB  # small on the wire, 50 MiB decoded
    url = http_server.route(
        "/bomb", body=bomb, headers={"Content-Encoding": encoding}, content_type="text/html"
    )
    tracemalloc.start()
    try:
        with pytest.raises(BodyTooLargeError, match="max_body_bytes"):
            fetch(settings.replace(max_body_bytes=MIB), url)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MIB  # decoded in bounded pieces, never 50 MiB at once


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [
        ("gzip", gzip.compress),
        ("deflate", zlib.compress),
        ("br", brotli.compress),
        ("zstd", zstandard.ZstdCompressor().compress),
    ],
)
def test_compressed_body_decoded(
    settings: Settings, http_server: LocalServer, encoding: str, compress: object
) -> None:
    text = b"<p>" + b"compressed news " * 5000 + b"</p>"
    body = compress(text)  # type: ignore[operator]
    url = http_server.route("/z", body=body, headers={"Content-Encoding": encoding})
    page = fetch(settings, url)
    assert page is not None and page.body == text


def test_broken_compressed_body(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/z", body=b"not gzip at all", headers={"Content-Encoding": "gzip"})
    with pytest.raises(FetchError, match="could not be decoded"):
        fetch(settings, url)


def test_non_html_body_returned_with_its_type(settings: Settings, http_server: LocalServer) -> None:
    png = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
    url = http_server.route("/img", body=png, content_type="image/png")
    page = fetch(settings, url)
    assert page is not None and page.content_type == "image/png" and page.body == png


def test_wrong_charset_bytes_untouched(settings: Settings, http_server: LocalServer) -> None:
    latin1 = "<p>Café à Genève</p>".encode("latin-1")
    url = http_server.route("/wrong", body=latin1, content_type="text/html; charset=utf-8")
    page = fetch(settings, url)
    assert page is not None and page.body == latin1 and page.charset == "utf-8"


def test_missing_charset_bytes_untouched(settings: Settings, http_server: LocalServer) -> None:
    body = "<p>Zürich</p>".encode("cp1252")
    url = http_server.route("/none", body=body, content_type="text/html")
    page = fetch(settings, url)
    assert page is not None and page.body == body and page.charset is None


def test_fetch_once(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/once", body=b"<p>sync</p>")
    page = fetch_once(settings, url)
    assert page.body == b"<p>sync</p>" and page.status == 200
