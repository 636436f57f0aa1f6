"""The rendered-bytes cache: pages, feeds and API answers built once, then served from memory.

A :class:`PageCache` keeps each body with its ETag and its gzip and brotli forms, all made
once when the body is built, so a request on the hot path costs a dict look-up and a clock
read. What the site shows changes when the store changes: the cache asks the store for its
``web_generation()`` at most once per ``check_interval`` seconds, and forgets every body
when the token moved (the next request rebuilds it). Keys are tuples such as
``("story", 7)``; the cache holds at most ``max_entries`` bodies (it starts over when full,
so a crawler walking unknown URLs cannot grow it without bound).

:func:`conditional_response` answers ``If-None-Match`` with 304 and otherwise sends the
encoding the client accepts (``br`` before ``gzip``), with ``Vary: Accept-Encoding``.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass

import brotli
from starlette.requests import Request
from starlette.responses import Response

__all__ = [
    "COMPRESS_MIN_BYTES",
    "QUERY_PARAMS",
    "CachedBody",
    "Negotiated",
    "PageCache",
    "RequestKey",
    "compressible",
    "conditional_response",
    "make_body",
    "negotiate",
    "request_cache_key",
]

COMPRESS_MIN_BYTES = 500
_COMPRESSIBLE = (
    "text/",
    "application/json",
    "application/xml",
    "application/atom+xml",
    "application/rss+xml",
    "application/feed+json",
    "application/javascript",
    "application/ld+json",
    "image/svg+xml",
)


def compressible(media_type: str) -> bool:
    """Whether a body of this type is worth compressing (text, JSON, XML, JS, SVG)."""
    return media_type.split(";")[0].strip().lower().startswith(_COMPRESSIBLE)


@dataclass(frozen=True, slots=True)
class CachedBody:
    """A built body, its strong ETag, and its compressed forms (None when not worth it)."""

    body: bytes
    etag: str
    media_type: str
    status: int = 200
    gzip: bytes | None = None
    br: bytes | None = None
    headers: tuple[tuple[str, str], ...] = ()  # sent with it, e.g. ("Location", "/stories/3")


def make_body(
    body: bytes | str,
    media_type: str,
    *,
    status: int = 200,
    headers: tuple[tuple[str, str], ...] = (),
) -> CachedBody:
    """Encode, tag and compress a body once."""
    data = body.encode("utf-8") if isinstance(body, str) else body
    etag = '"' + hashlib.blake2b(data, digest_size=12).hexdigest() + '"'
    packed_gzip = packed_br = None
    if compressible(media_type) and len(data) >= COMPRESS_MIN_BYTES:
        packed_gzip = gzip.compress(data, compresslevel=9, mtime=0)
        packed_br = brotli.compress(data, quality=11)
    return CachedBody(data, etag, media_type, status, packed_gzip, packed_br, headers)


# the query parameters some route reads; any other one cannot change an answer, so it is left
# out of cache keys (``?utm_source=…`` or a cache-buster shares the plain address's entry)
QUERY_PARAMS = frozenset({"after", "cursor", "instance", "limit", "q", "text", "topic", "url"})

RequestKey = tuple[str, str, tuple[tuple[str, str], ...]]


def request_cache_key(path: str, items: Iterable[tuple[str, str]]) -> RequestKey:
    """The cache key of a GET of ``path`` with these query items (known parameters only)."""
    return ("get", path, tuple(sorted(i for i in items if i[0] in QUERY_PARAMS)))


class PageCache:
    """Bodies by key, dropped together when the store's generation token changes.

    Two partitions, so that no stream of requests can flush the pages readers want: plain
    successful answers (a page, a feed: as many as the store has things to show) live in the
    main one; answers that depend on a query (a search, a later page of a list) or are errors
    (a 404 for any made-up id) live in a small least-recently-used one of ``max_volatile``.
    """

    def __init__(
        self,
        generation: Callable[[], str],
        *,
        check_interval: float = 1.0,
        max_entries: int = 4096,
        max_volatile: int = 512,
    ) -> None:
        self._generation = generation
        self._check_interval = check_interval
        self._max_entries = max_entries
        self._max_volatile = max_volatile
        self._entries: dict[Hashable, CachedBody] = {}
        self._volatile: OrderedDict[Hashable, CachedBody] = OrderedDict()
        self._token: str | None = None
        self._checked_at = float("-inf")
        self._lock = threading.Lock()

    def cached(self, key: Hashable, build: Callable[[], CachedBody]) -> CachedBody:
        """The body for ``key``, built by ``build`` when missing or out of date."""
        self._refresh()
        found = self._get(key)
        if found is not None:
            return found
        body = build()
        with self._lock:
            if _volatile(key, body):
                self._volatile[key] = body
                while len(self._volatile) > self._max_volatile:
                    self._volatile.popitem(last=False)
            else:
                if len(self._entries) >= self._max_entries:
                    self._entries.clear()
                self._entries[key] = body
        return body

    def _get(self, key: Hashable) -> CachedBody | None:
        found = self._entries.get(key)
        if found is not None:
            return found
        with self._lock:
            found = self._volatile.get(key)
            if found is not None:
                self._volatile.move_to_end(key)
        return found

    def peek(self, key: Hashable, *, refresh: bool = True) -> CachedBody | None:
        """The body for ``key`` if it is built and up to date, else None (nothing is built).

        ``refresh=False`` skips the generation check (the caller ran :meth:`refresh`).
        """
        if refresh:
            self._refresh()
        return self._get(key)

    def refresh_due(self) -> bool:
        """Whether the next look-up would ask the store for its generation."""
        return time.monotonic() - self._checked_at >= self._check_interval

    def refresh(self) -> None:
        """Ask the store for its generation now if due (forgetting every body if it moved)."""
        self._refresh()

    def invalidate(self) -> None:
        """Forget every body now (the next look-up re-reads the generation)."""
        with self._lock:
            self._entries.clear()
            self._volatile.clear()
            self._checked_at = float("-inf")

    def __len__(self) -> int:
        return len(self._entries) + len(self._volatile)

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked_at < self._check_interval:
            return
        with self._lock:
            if now - self._checked_at < self._check_interval:
                return
            self._checked_at = now
            token = self._generation()
            if token != self._token:
                self._token = token
                self._entries.clear()
                self._volatile.clear()


def _volatile(key: Hashable, body: CachedBody) -> bool:
    """Whether the answer belongs in the small partition: an error, or a query's answer."""
    if body.status != 200:
        return True
    return isinstance(key, tuple) and len(key) > 2 and bool(key[2])


def _matches(header: str | None, etag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``etag`` (weak comparison, any encoding)."""
    if not header:
        return False
    if header.strip() == "*":
        return True
    bare = etag.strip('"')
    for candidate in header.split(","):
        tag = candidate.strip().removeprefix("W/").strip('"')
        if tag.split("-", 1)[0] == bare:
            return True
    return False


def _encoding(accept: str) -> str | None:
    """``br`` or ``gzip`` when the client accepts it (q=0 refuses), else None."""
    accepted: set[str] = set()
    for part in accept.lower().split(","):
        name, _, params = part.strip().partition(";")
        if "q=0" in params.replace(" ", "") and not any(c in params for c in "123456789"):
            continue
        accepted.add(name.strip())
    for name in ("br", "gzip"):
        if name in accepted:
            return name
    return None


@dataclass(frozen=True, slots=True)
class Negotiated:
    """What to send for a cached body to one client: status, body and headers."""

    status: int
    body: bytes
    headers: dict[str, str]


def negotiate(
    cached: CachedBody,
    accept_encoding: str,
    if_none_match: str | None,
    headers: dict[str, str],
) -> Negotiated:
    """The encoding the client takes (``br`` first), its ETag, or 304 when its tag still holds.

    ``headers`` (Cache-Control and the like) are sent as given, plus ``Vary``, ``ETag``
    and ``Content-Encoding``; the body's own headers (``Location``) come with it.
    """
    out = {**headers, "Vary": "Accept-Encoding", **dict(cached.headers)}
    encoding = _encoding(accept_encoding)
    body, etag = cached.body, cached.etag
    if encoding == "br" and cached.br is not None:
        body, etag = cached.br, cached.etag[:-1] + '-br"'
        out["Content-Encoding"] = "br"
    elif encoding is not None and cached.gzip is not None:
        body, etag = cached.gzip, cached.etag[:-1] + '-gz"'
        out["Content-Encoding"] = "gzip"
    out["ETag"] = etag
    if cached.status == 200 and _matches(if_none_match, cached.etag):
        out.pop("Content-Encoding", None)
        return Negotiated(304, b"", out)
    out["Content-Type"] = cached.media_type
    return Negotiated(cached.status, body, out)


def conditional_response(
    request: Request, cached: CachedBody, max_age: int, *, extra: dict[str, str] | None = None
) -> Response:
    """200 with the best encoding the client takes, or 304 when its ETag still holds."""
    headers = {"Cache-Control": f"public, max-age={max_age}", **(extra or {})}
    answer = negotiate(
        cached,
        request.headers.get("accept-encoding", ""),
        request.headers.get("if-none-match"),
        headers,
    )
    if answer.status == 304:
        return Response(status_code=304, headers=answer.headers)
    media_type = answer.headers.pop("Content-Type")
    return Response(answer.body, answer.status, headers=answer.headers, media_type=media_type)
