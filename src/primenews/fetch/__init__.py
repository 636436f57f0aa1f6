"""The one HTTP client: politeness, robots.txt, conditional GET, SSRF guard, size/time caps.

    async with Fetcher(settings, on_log=fetch_log.append) as fetcher:
        page = await fetcher.fetch(url, etag=source.etag, last_modified=source.last_modified)
        if page is None: ...  # 304 Not Modified

Modules: ``client`` (Fetcher: redirects, retries, deadline, fetch log), ``transfer`` (one
request, capped body), ``decoding`` (bounded Content-Encoding decoders), ``guard`` (connect
only to allowed addresses), ``addresses`` (the blocked-range table), ``politeness`` (per-host
slot and delay), ``robots`` (RFC 9309 cache), ``statuses`` (retry and error messages).
"""

from __future__ import annotations

from primenews.errors import ConnectionFailedError
from primenews.fetch.addresses import (
    ALLOW_ALL,
    BLOCKED_RANGES,
    AddressPolicy,
    RangePolicy,
    blocked_reason,
)
from primenews.fetch.client import DEFAULT_ACCEPT, Fetcher, fetch_once

__all__ = [
    "ALLOW_ALL",
    "BLOCKED_RANGES",
    "DEFAULT_ACCEPT",
    "AddressPolicy",
    "ConnectionFailedError",
    "Fetcher",
    "RangePolicy",
    "blocked_reason",
    "fetch_once",
]
