"""robots.txt with RFC 9309 semantics, cached per origin.

* 2xx: the rules are parsed (protego) and matched on the User-Agent's product token.
* 4xx ("unavailable"): everything is allowed. 429 is the exception: it says the server is
  overloaded, so it is treated like 5xx.
* 5xx, 429 or unreachable (timeout, connection refused): everything is disallowed.
* More than five redirects: "unavailable", everything is allowed.

Whatever the outcome, it is cached for ``robots_cache_ttl`` seconds per origin (when a
refresh finds robots.txt unreachable, the rules fetched before are kept), and one
origin's robots.txt is fetched once even when many fetches ask for it at the same time.
The fetching itself is done by the :class:`~primenews.fetch.client.Fetcher` (the ``load``
callable), so robots.txt goes through the same SSRF guard, politeness and size cap.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

import httpx
from protego import Protego

from primenews.errors import FetchError

__all__ = [
    "ROBOTS_MAX_BYTES",
    "RobotsCache",
    "RobotsRules",
    "origin_of",
    "product_token",
    "robots_url",
    "rules_from_response",
    "rules_when_unreachable",
]

logger = logging.getLogger(__name__)

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309: parse at least 500 KiB; the rest is ignored


@dataclass(frozen=True)
class RobotsRules:
    """What one origin's robots.txt says. ``note`` explains how it was decided."""

    note: str
    parser: Protego | None = None
    allow_all: bool = False
    unreachable: bool = False  # disallow-all because of a 5xx/429 or a network error
    # the network error that made it unreachable: a page of a host that cannot be reached
    # fails with that error, not with a robots refusal
    cause: FetchError | None = field(default=None, compare=False)

    def allows(self, url: str, token: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return bool(self.parser.can_fetch(url, token))


def product_token(user_agent: str) -> str:
    """The product token of a User-Agent: ``PrimeNews/0.1 (...)`` -> ``PrimeNews``."""
    first = user_agent.strip().split(" ", 1)[0]
    return first.split("/", 1)[0] or user_agent


def origin_of(url: str) -> str:
    parsed = httpx.URL(url)
    port = parsed.port or {"http": 80, "https": 443}.get(parsed.scheme, 0)
    return f"{parsed.scheme}://{parsed.host}:{port}"


def robots_url(url: str) -> str:
    """The robots.txt URL that governs ``url``."""
    return str(httpx.URL(url).copy_with(path="/robots.txt", query=None, fragment=None))


def rules_from_response(status: int, body: bytes) -> RobotsRules:
    """Rules for a robots.txt answer with this final status and body."""
    if 200 <= status < 300:
        text = body.decode("utf-8", errors="replace")
        return RobotsRules(f"robots.txt rules ({len(body)} bytes)", parser=Protego.parse(text))
    if status == 429 or status >= 500:
        return RobotsRules(
            f"robots.txt answered HTTP {status}: treated as disallow-all", unreachable=True
        )
    if 400 <= status < 500:
        return RobotsRules(f"robots.txt answered HTTP {status}: allow-all", allow_all=True)
    return RobotsRules(f"robots.txt answered HTTP {status}: allow-all", allow_all=True)


def rules_when_unreachable(problem: str, cause: FetchError | None = None) -> RobotsRules:
    return RobotsRules(
        f"robots.txt unreachable ({problem}): treated as disallow-all",
        unreachable=True,
        cause=cause,
    )


@dataclass
class _Entry:
    rules: RobotsRules
    expires: float


class RobotsCache:
    """robots.txt rules per origin, loaded on first use and kept ``ttl`` seconds."""

    def __init__(self, ttl: float, load: Callable[[str], Awaitable[RobotsRules]]) -> None:
        self._ttl = ttl
        self._load = load
        self._entries: dict[str, _Entry] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        """The rules that govern ``url`` (fetching robots.txt when not cached)."""
        origin = origin_of(url)
        async with self._locks.setdefault(origin, asyncio.Lock()):
            entry = self._entries.get(origin)
            if entry is not None and entry.expires > time.monotonic():
                return entry.rules
            rules = await self._load(robots_url(url))
            if rules.unreachable and entry is not None and not entry.rules.unreachable:
                # RFC 9309 2.4: a crawler may keep using a cached copy while unreachable
                logger.info("robots.txt for %s unreachable, keeping the cached rules", origin)
                rules = entry.rules
            logger.debug("robots.txt for %s: %s", origin, rules.note)
            self._entries[origin] = _Entry(rules, time.monotonic() + self._ttl)
            return rules
