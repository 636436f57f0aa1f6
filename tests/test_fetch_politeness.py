"""robots.txt (RFC 9309, cached) and politeness (one request per host, delay, global cap)."""

from __future__ import annotations

import asyncio
import itertools
import threading
import time

import pytest

from primenews.config import Settings
from primenews.errors import RobotsDisallowedError
from primenews.fetch import Fetcher
from primenews.fetch.robots import product_token
from primenews.models import FetchLogEntry, Page
from tests.localserver import LocalServer, RequestInfo, Response

ROBOTS = b"""User-agent: *
Disallow: /

User-agent: PrimeNews
Disallow: /private
Allow: /
"""


def fetch_all(
    settings: Settings, urls: list[str], log: list[FetchLogEntry] | None = None
) -> list[Page | BaseException | None]:
    async def go() -> list[Page | BaseException | None]:
        on_log = log.append if log is not None else None
        async with Fetcher(settings, on_log=on_log) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls), return_exceptions=True)

    return asyncio.run(go())


def test_product_token() -> None:
    assert product_token("PrimeNews/0.1 (self-hosted; +https://x)") == "PrimeNews"
    assert product_token("PrimeNews") == "PrimeNews"


def test_robots_disallow_and_cache(settings: Settings, http_server: LocalServer) -> None:
    http_server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
    for path in ("/a", "/b", "/c", "/private/x"):
        http_server.route(path, body=b"<p>page</p>")
    urls = [http_server.url(p) for p in ("/a", "/b", "/c", "/private/x")]
    log: list[FetchLogEntry] = []
    results = fetch_all(settings, urls, log)
    assert all(isinstance(r, Page) for r in results[:3])  # PrimeNews group beats "*"
    error = results[3]
    assert isinstance(error, RobotsDisallowedError) and error.url == urls[3]
    assert "robots.txt" in str(error) and "PrimeNews" in str(error)
    assert http_server.count("/robots.txt") == 1  # fetched once for all four, concurrently
    assert http_server.count("/private/x") == 0
    assert [e.outcome for e in log if e.url.endswith("/private/x")] == ["RobotsDisallowedError"]


def test_robots_404_allows_everything(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/page", body=b"<p>page</p>")
    (page,) = fetch_all(settings, [url])
    assert isinstance(page, Page)
    assert http_server.count("/robots.txt") == 1 and http_server.count("/page") == 1


@pytest.mark.parametrize("status", [500, 503, 429])
def test_robots_server_error_disallows_everything(
    settings: Settings, http_server: LocalServer, status: int
) -> None:
    http_server.route("/robots.txt", status=status, body=b"oops")
    url = http_server.route("/page", body=b"<p>page</p>")
    (error,) = fetch_all(settings, [url])
    assert isinstance(error, RobotsDisallowedError) and "disallow-all" in str(error)
    assert http_server.count("/page") == 0


def test_robots_redirect_followed(settings: Settings, http_server: LocalServer) -> None:
    http_server.route("/robots.txt", status=301, headers={"Location": "/real-robots.txt"})
    http_server.route("/real-robots.txt", body=b"User-agent: *\nDisallow: /no\n")
    urls = [http_server.route("/yes", body=b"y"), http_server.route("/no", body=b"n")]
    yes, no = fetch_all(settings, urls)
    assert isinstance(yes, Page) and isinstance(no, RobotsDisallowedError)


def test_robots_cache_expires(settings: Settings, http_server: LocalServer) -> None:
    http_server.route("/robots.txt", body=b"User-agent: *\nAllow: /\n")
    url = http_server.route("/page", body=b"<p>page</p>")
    fetch_all(settings.replace(robots_cache_ttl=0.0), [url])
    fetch_all(settings.replace(robots_cache_ttl=0.0), [url])
    assert http_server.count("/robots.txt") == 2

    async def twice_with_expiry() -> None:
        async with Fetcher(settings.replace(robots_cache_ttl=0.0)) as fetcher:
            await fetcher.fetch(url)
            await fetcher.fetch(url)

    asyncio.run(twice_with_expiry())
    assert http_server.count("/robots.txt") == 4


def test_robots_unreachable_keeps_earlier_rules(
    settings: Settings, http_server: LocalServer
) -> None:
    answers = [Response(200, b"User-agent: *\nDisallow: /x\n", content_type="text/plain")]

    def robots(info: RequestInfo) -> Response:
        return answers[0]

    http_server.route("/robots.txt", robots)
    x, y = http_server.route("/x", body=b"x"), http_server.route("/y", body=b"y")

    async def go() -> tuple[BaseException | Page | None, ...]:
        async with Fetcher(settings.replace(robots_cache_ttl=0.0)) as fetcher:
            first = await asyncio.gather(fetcher.fetch(x), return_exceptions=True)
            answers[0] = Response(503, b"down")
            later = await asyncio.gather(fetcher.fetch(x), fetcher.fetch(y), return_exceptions=True)
            return (*first, *later)

    first_x, later_x, later_y = asyncio.run(go())
    assert isinstance(first_x, RobotsDisallowedError) and isinstance(later_x, RobotsDisallowedError)
    assert isinstance(later_y, Page)  # the old rules, not disallow-all
    assert http_server.count("/robots.txt") >= 2


def test_robots_ignored_when_not_respected(settings: Settings, http_server: LocalServer) -> None:
    http_server.route("/robots.txt", body=b"User-agent: *\nDisallow: /\n")
    url = http_server.route("/page", body=b"<p>page</p>")
    (page,) = fetch_all(settings.replace(respect_robots=False), [url])
    assert isinstance(page, Page) and http_server.count("/robots.txt") == 0


def _timed_route(server: LocalServer, path: str, spans: list[tuple[float, float]]) -> str:
    lock = threading.Lock()

    def handler(info: RequestInfo) -> Response:
        start = time.monotonic()
        time.sleep(0.15)
        with lock:
            spans.append((start, time.monotonic()))
        return Response(200, b"<p>slow</p>")

    return server.route(path, handler)


def test_one_request_at_a_time_per_host_with_delay(
    settings: Settings, http_server: LocalServer
) -> None:
    spans: list[tuple[float, float]] = []
    url = _timed_route(http_server, "/slow", spans)
    polite = settings.replace(per_host_delay=0.3, respect_robots=False)
    results = fetch_all(polite, [url, url + "?2", url + "?3"])
    assert all(isinstance(r, Page) for r in results)
    spans.sort()
    assert len(spans) == 3
    for (_, end), (next_start, _) in itertools.pairwise(spans):
        assert next_start >= end + 0.25  # never overlapping, and the delay is honoured


def test_different_hosts_run_in_parallel(settings: Settings) -> None:
    servers = [LocalServer().start() for _ in range(2)]
    try:
        spans: list[tuple[float, float]] = []
        urls = [_timed_route(s, "/slow", spans) for s in servers]
        # both servers are 127.0.0.1: reach the second one as "localhost" (another host name)
        urls[1] = urls[1].replace("127.0.0.1", "localhost")
        results = fetch_all(settings.replace(respect_robots=False), urls)
        assert all(isinstance(r, Page) for r in results), results
        spans.sort()
        assert spans[1][0] < spans[0][1]  # they overlapped
    finally:
        for server in servers:
            server.stop()


def test_global_concurrency_limit(settings: Settings) -> None:
    servers = [LocalServer().start() for _ in range(2)]
    try:
        spans: list[tuple[float, float]] = []
        urls = [_timed_route(s, "/slow", spans) for s in servers]
        urls[1] = urls[1].replace("127.0.0.1", "localhost")
        results = fetch_all(settings.replace(respect_robots=False, global_concurrency=1), urls)
        assert all(isinstance(r, Page) for r in results), results
        spans.sort()
        assert spans[1][0] >= spans[0][1]  # one at a time over all hosts
    finally:
        for server in servers:
            server.stop()
