"""ASGI middleware: security headers, the cached-page fast path, and compression.

All plain ASGI (no per-request task or body copy beyond what compression needs). The fast
path answers a GET whose body the page cache already holds without entering FastAPI at all:
the first answer for a URL goes through its route, which builds the body into the cache
under ``("get", path, sorted query)`` (:func:`primenews.web.state.request_key`); the fast
path notes that answer's headers (``Cache-Control`` and the like), and from then on serves
the URL from memory (a dict look-up, ETag/304 and encoding negotiation) until the store's
generation moves and the cache forgets the body.

Compression: bodies from the page cache arrive already compressed (they carry
``Content-Encoding``) and pass through untouched; anything else that is compressible and at
least :data:`~primenews.web.cache.COMPRESS_MIN_BYTES` long is compressed here, brotli when the
client takes it, else gzip, with ``Vary: Accept-Encoding``.
"""

from __future__ import annotations

import gzip
from collections.abc import Hashable
from urllib.parse import parse_qsl

import anyio.to_thread
import brotli
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from primenews.web.cache import (
    COMPRESS_MIN_BYTES,
    CachedBody,
    PageCache,
    RequestKey,
    compressible,
    negotiate,
    request_cache_key,
)

__all__ = ["CSP", "CachedPagesMiddleware", "CompressionMiddleware", "SecurityHeadersMiddleware"]

CSP = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
    "frame-ancestors 'none'; form-action 'self'"
)
_SECURITY_HEADERS = (
    ("content-security-policy", CSP),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
    ("permissions-policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
    ("x-frame-options", "DENY"),
    ("cross-origin-opener-policy", "same-origin"),
)


class SecurityHeadersMiddleware:
    """Adds the CSP and the other security headers to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self._raw = [(k.encode(), v.encode()) for k, v in _SECURITY_HEADERS]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(k, v) for k, v in self._raw if k not in present]
                message["headers"] = [*message.get("headers", []), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _accepted(accept: str) -> str | None:
    names = set()
    for part in accept.lower().split(","):
        name, _, params = part.strip().partition(";")
        compact = params.replace(" ", "")
        if compact in ("q=0", "q=0.0", "q=0.00", "q=0.000"):
            continue
        names.add(name.strip())
    return "br" if "br" in names else "gzip" if "gzip" in names else None


class CompressionMiddleware:
    """brotli or gzip for compressible responses not compressed yet."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        encoding = _accepted(Headers(scope=scope).get("accept-encoding", ""))
        if encoding is None:
            await self.app(scope, receive, send)
            return
        responder = _Compressor(send, encoding)
        await self.app(scope, receive, responder.send)


class _Compressor:
    """Holds the start message, gathers the body, then compresses it or passes it through."""

    def __init__(self, send: Send, encoding: str) -> None:
        self._send = send
        self._encoding = encoding
        self._start: Message | None = None
        self._chunks: list[bytes] = []
        self._passthrough = False

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = Headers(raw=message.get("headers", []))
            media = headers.get("content-type", "")
            if "content-encoding" in headers or not compressible(media):
                self._passthrough = True
                await self._send(message)
                return
            self._start = message
            return
        if message["type"] != "http.response.body" or self._passthrough:
            await self._send(message)
            return
        self._chunks.append(message.get("body", b""))
        if message.get("more_body", False):
            return
        await self._finish(b"".join(self._chunks))

    async def _finish(self, body: bytes) -> None:
        assert self._start is not None
        headers = MutableHeaders(raw=self._start["headers"])
        if len(body) >= COMPRESS_MIN_BYTES:
            if self._encoding == "br":
                body = brotli.compress(body, quality=5)
            else:
                body = gzip.compress(body, compresslevel=6)
            headers["Content-Encoding"] = self._encoding
            headers["Content-Length"] = str(len(body))
            headers.add_vary_header("Accept-Encoding")
        await self._send(self._start)
        await self._send({"type": "http.response.body", "body": body, "more_body": False})


# headers that negotiation or the server sets per answer; the rest of a route's are kept
_PER_ANSWER = {
    b"content-length",
    b"content-encoding",
    b"etag",
    b"vary",
    b"content-type",
    b"location",
}
_MAX_NOTED = 8192


class CachedPagesMiddleware:
    """Serves GETs whose body is built and current straight from the page cache."""

    def __init__(self, app: ASGIApp, cache: PageCache) -> None:
        self.app = app
        self.cache = cache
        self._noted: dict[Hashable, dict[str, str]] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        key = _request_key(scope)
        noted = self._noted.get(key)
        if noted is not None and self.cache.refresh_due():
            # the store's lock may be held by a page being built: never wait on the event loop
            await anyio.to_thread.run_sync(self.cache.refresh)
        cached = self.cache.peek(key, refresh=False) if noted is not None else None
        if cached is not None and noted is not None:
            await _send_cached(scope, send, cached, noted)
            return
        await self.app(scope, receive, self._noting(key, send))

    def _noting(self, key: Hashable, send: Send) -> Send:
        async def note_and_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                self._note(key, message)
            await send(message)

        return note_and_send

    def _note(self, key: Hashable, message: Message) -> None:
        cached = self.cache.peek(key, refresh=False)
        raw = message.get("headers", [])
        etag = next((v.decode("latin-1") for k, v in raw if k.lower() == b"etag"), None)
        if (
            cached is None
            or etag is None
            or etag.split("-")[0].strip('"') != cached.etag.strip('"')
        ):
            return  # not an answer from the page cache under this key
        if len(self._noted) >= _MAX_NOTED:
            self._noted.clear()
        self._noted[key] = {
            k.decode("latin-1"): v.decode("latin-1") for k, v in raw if k.lower() not in _PER_ANSWER
        }


def _request_key(scope: Scope) -> RequestKey:
    """The key :func:`primenews.web.state.request_key` makes for the same request."""
    query = scope.get("query_string", b"").decode("latin-1")
    items = parse_qsl(query, keep_blank_values=True)
    return request_cache_key(scope.get("root_path", "") + scope["path"], items)


async def _send_cached(scope: Scope, send: Send, cached: CachedBody, noted: dict[str, str]) -> None:
    headers = Headers(scope=scope)
    answer = negotiate(
        cached, headers.get("accept-encoding", ""), headers.get("if-none-match"), noted
    )
    raw = [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in answer.headers.items()]
    raw.append((b"content-length", str(len(answer.body)).encode()))
    await send({"type": "http.response.start", "status": answer.status, "headers": raw})
    await send({"type": "http.response.body", "body": answer.body, "more_body": False})
