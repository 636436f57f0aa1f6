"""The one HTTP client of PrimeNews: :class:`Fetcher`.

One fetch, in order::

    check the URL -> robots.txt (cached per origin) -> wait for the host's slot
    -> connect (the SSRF guard checks every resolved address) -> GET with validators
    -> redirect? check the next hop the same way (at most max_redirects, no loops)
    -> read the body, decoded and capped -> Page, or None on 304 Not Modified
    on a timeout, a broken connection, 429 or 500-504: back off and try again

Each attempt runs under a total deadline of ``fetch_timeout`` seconds of network time
(connect, headers and body, over all its redirect hops), so a server dripping one byte a
second is cut off. Every attempt, robots.txt fetches included, is reported to ``on_log``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType

import httpx

from primenews.config import Settings
from primenews.errors import (
    BlockedAddressError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooManyRedirectsError,
)
from primenews.fetch.addresses import ALLOW_ALL, AddressPolicy, RangePolicy
from primenews.fetch.guard import GuardedTransport
from primenews.fetch.politeness import HostGate
from primenews.fetch.robots import (
    ROBOTS_MAX_BYTES,
    RobotsCache,
    RobotsRules,
    origin_of,
    product_token,
    rules_from_response,
    rules_when_unreachable,
)
from primenews.fetch.statuses import REDIRECT_STATUSES, RETRY_STATUSES, status_error
from primenews.fetch.transfer import ACCEPT_ENCODING, Reply, check_url
from primenews.fetch.transfer import exchange as exchange_once
from primenews.models import FetchLogEntry, Link, Page, utcnow

__all__ = ["DEFAULT_ACCEPT", "Fetcher", "fetch_once"]

logger = logging.getLogger(__name__)

DEFAULT_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ROBOTS_ACCEPT = "text/plain,*/*;q=0.5"
ROBOTS_MAX_REDIRECTS = 5  # RFC 9309 2.3.1.2

LogCallback = Callable[[FetchLogEntry], None]


@dataclass(frozen=True)
class _Hops:
    """How one chain of requests (a page or a robots.txt) is followed."""

    max_bytes: int
    max_redirects: int
    truncate: bool = False
    check_robots: bool = True


class Fetcher:
    """Fetch pages politely and safely. Use as ``async with Fetcher(settings) as fetcher``."""

    def __init__(
        self,
        settings: Settings,
        *,
        on_log: LogCallback | None = None,
        address_policy: AddressPolicy | None = None,
    ) -> None:
        self._settings = settings
        self._on_log = on_log
        if address_policy is None:
            address_policy = ALLOW_ALL if settings.allow_private_networks else RangePolicy()
        self._policy = address_policy
        self._token = product_token(settings.user_agent)
        self._client: httpx.AsyncClient | None = None
        self._gate: HostGate | None = None
        self._robots = RobotsCache(settings.robots_cache_ttl, self._load_robots)

    async def __aenter__(self) -> Fetcher:
        s = self._settings
        limits = httpx.Limits(
            max_connections=s.global_concurrency, max_keepalive_connections=s.global_concurrency
        )
        self._client = httpx.AsyncClient(
            transport=GuardedTransport(self._policy, limits=limits),
            follow_redirects=False,
            trust_env=False,
            timeout=httpx.Timeout(s.fetch_timeout, connect=s.connect_timeout),
            headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
        )
        self._gate = HostGate(
            per_host_delay=s.per_host_delay, global_concurrency=s.global_concurrency
        )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None

    async def fetch(
        self,
        url: str,
        *,
        source_id: int | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        link: Link | None = None,
        accept: str | None = None,
    ) -> Page | None:
        """Fetch ``url``: a Page, or None when the server says 304 Not Modified.

        Raises a :class:`~primenews.errors.FetchError` subclass when it fails for good.
        The ETag / Last-Modified of the answer are on the Page; the caller saves them
        once the articles are committed.
        """
        self._require_client()
        check_url(url)
        if source_id is None and link is not None:
            source_id = link.source_id
        headers = {"Accept": accept or DEFAULT_ACCEPT}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        hops = _Hops(self._settings.max_body_bytes, self._settings.max_redirects)
        reply = await self._fetch_with_retries(url, headers, hops, source_id)
        if reply.status == 304:
            return None
        return Page(
            url=reply.url,
            body=reply.body,
            content_type=reply.headers.get("content-type"),
            status=reply.status,
            requested_url=url,
            etag=reply.headers.get("etag"),
            last_modified=reply.headers.get("last-modified"),
            link=link,
        )

    async def _fetch_with_retries(
        self, url: str, headers: dict[str, str], hops: _Hops, source_id: int | None
    ) -> Reply:
        attempt = 0
        while True:
            started, clock = utcnow(), time.monotonic()
            try:
                reply = await self._follow(url, headers, hops)
                if not (200 <= reply.status < 300 or reply.status == 304):
                    raise status_error(
                        url,
                        reply.status,
                        final_url=reply.url,
                        retry_after=reply.headers.get("retry-after"),
                    )
            except FetchError as exc:
                self._log_failure(url, started, clock, source_id, exc)
                delay = self._retry_delay(exc, attempt)
                if delay is None:
                    raise
                attempt += 1
                logger.info("retrying %s in %.2fs (attempt %d): %s", url, delay, attempt, exc)
                await asyncio.sleep(delay)
                continue
            outcome = "not_modified" if reply.status == 304 else "ok"
            self._log(url, started, clock, source_id, outcome, reply.status, len(reply.body))
            return reply

    def _retry_delay(self, exc: FetchError, attempt: int) -> float | None:
        """Seconds to wait before trying again, or None when this error is final."""
        s = self._settings
        if attempt >= s.retries:
            return None
        if isinstance(exc, HTTPStatusError):
            if exc.status not in RETRY_STATUSES:
                return None
            if exc.retry_after is not None:
                return min(exc.retry_after, s.max_retry_after)
        elif not isinstance(exc, FetchTimeoutError | ConnectionFailedError):
            return None
        return float(s.retry_backoff * 2**attempt)

    async def _follow(self, url: str, headers: dict[str, str], hops: _Hops) -> Reply:
        """One attempt: request ``url`` and follow its redirects, each hop checked."""
        remaining = self._settings.fetch_timeout
        seen = {url}
        current = url
        for _hop in range(hops.max_redirects + 1):
            if hops.check_robots:
                await self._check_robots(current)
            started = time.monotonic()
            reply = await self._exchange(current, headers, hops, remaining)
            remaining -= time.monotonic() - started
            if reply.status not in REDIRECT_STATUSES:
                return reply
            target = _redirect_target(current, reply)
            if target in seen:
                raise TooManyRedirectsError(
                    f"{url}: redirect loop ({current} -> {target}, visited before); "
                    "the site is misconfigured",
                    url=url,
                )
            seen.add(target)
            current = target
        raise TooManyRedirectsError(
            f"{url}: more than max_redirects={hops.max_redirects} redirects (last at {current})",
            url=url,
        )

    async def _exchange(
        self, url: str, headers: dict[str, str], hops: _Hops, remaining: float
    ) -> Reply:
        """One request under the host's slot and what is left of the deadline."""
        assert self._gate is not None
        async with self._gate.slot(httpx.URL(url).host):
            try:
                async with asyncio.timeout(max(remaining, 0.0)):
                    return await exchange_once(
                        self._require_client(),
                        url,
                        headers,
                        max_bytes=hops.max_bytes,
                        truncate=hops.truncate,
                    )
            except TimeoutError:
                raise FetchTimeoutError(
                    f"{url}: no complete answer within fetch_timeout="
                    f"{self._settings.fetch_timeout}s (the server is slow or drips its body); "
                    "raise fetch_timeout if the site is just slow",
                    url=url,
                ) from None

    async def _check_robots(self, url: str) -> None:
        if not self._settings.respect_robots or httpx.URL(url).path == "/robots.txt":
            return
        rules = await self._robots.rules_for(url)
        if rules.cause is not None and not rules.allows(url, self._token):
            raise type(rules.cause)(
                f"{url}: {origin_of(url)} cannot be reached ({rules.cause})", url=url
            )
        if not rules.allows(url, self._token):
            raise RobotsDisallowedError(
                f"{url}: robots.txt of {origin_of(url)} does not allow {self._token} here "
                f"({rules.note}); the site asked crawlers to stay out (set respect_robots = "
                "false only for sites you own)",
                url=url,
            )

    async def _load_robots(self, robots_url: str) -> RobotsRules:
        """Fetch and interpret one robots.txt (RFC 9309); see robots.py."""
        hops = _Hops(ROBOTS_MAX_BYTES, ROBOTS_MAX_REDIRECTS, truncate=True, check_robots=False)
        started, clock = utcnow(), time.monotonic()
        try:
            reply = await self._follow(robots_url, {"Accept": ROBOTS_ACCEPT}, hops)
        except BlockedAddressError as exc:
            self._log_failure(robots_url, started, clock, None, exc)
            raise
        except TooManyRedirectsError as exc:
            self._log_failure(robots_url, started, clock, None, exc)
            return RobotsRules(f"robots.txt unavailable ({exc}): allow-all", allow_all=True)
        except (ConnectionFailedError, FetchTimeoutError) as exc:
            self._log_failure(robots_url, started, clock, None, exc)
            return rules_when_unreachable(str(exc), cause=exc)
        except FetchError as exc:
            self._log_failure(robots_url, started, clock, None, exc)
            return rules_when_unreachable(str(exc))
        outcome = "ok" if 200 <= reply.status < 300 else HTTPStatusError.__name__
        self._log(robots_url, started, clock, None, outcome, reply.status, len(reply.body))
        return rules_from_response(reply.status, reply.body)

    def _require_client(self) -> httpx.AsyncClient:
        if self._client is None:
            raise RuntimeError("Fetcher is not open: use `async with Fetcher(settings) as f`")
        return self._client

    def _log_failure(
        self, url: str, started: datetime, clock: float, source_id: int | None, exc: FetchError
    ) -> None:
        status = exc.status if isinstance(exc, HTTPStatusError) else None
        self._log(url, started, clock, source_id, type(exc).__name__, status, 0, str(exc))

    def _log(
        self,
        url: str,
        started: datetime,
        clock: float,
        source_id: int | None,
        outcome: str,
        status: int | None,
        size: int,
        error: str | None = None,
    ) -> None:
        duration_ms = int((time.monotonic() - clock) * 1000)
        logger.info(
            "fetch %s: %s (status %s, %d bytes, %d ms)",
            url,
            outcome,
            status,
            size,
            duration_ms,
            extra={"source_id": source_id, "duration_ms": duration_ms, "stage": "fetch"},
        )
        if self._on_log is not None:
            self._on_log(
                FetchLogEntry(
                    url=url,
                    started_at=started,
                    duration_ms=duration_ms,
                    outcome=outcome,
                    source_id=source_id,
                    status=status,
                    bytes=size,
                    error=error,
                )
            )


def _redirect_target(current: str, reply: Reply) -> str:
    location = reply.headers.get("location")
    if not location:
        raise FetchError(
            f"{current} answered HTTP {reply.status} without a Location header; "
            "the site is misconfigured",
            url=current,
        )
    try:
        target = httpx.URL(current).join(location.strip()).copy_with(fragment=None)
    except httpx.InvalidURL as exc:
        raise FetchError(
            f"{current} redirects to an invalid URL {location!r}", url=current
        ) from exc
    if target.scheme not in ("http", "https"):
        raise FetchError(f"{current} redirects to a non-HTTP URL {location!r}", url=current)
    return str(target)


def fetch_once(settings: Settings, url: str) -> Page:
    """Fetch one URL from synchronous code (runs its own event loop): for `primenews extract`."""

    async def run() -> Page | None:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url)

    page = asyncio.run(run())
    if page is None:  # pragma: no cover - no validators were sent, so no 304
        raise FetchError(f"{url} answered 304 Not Modified to an unconditional request", url=url)
    return page
