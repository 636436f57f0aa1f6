"""Serve the fictional sample newswire over real HTTP on 127.0.0.1 (standard library only).

Every outlet lives under ``/<slug>/``: a home page, its article pages, its feed, a sitemap and
lead images. ``/robots.txt`` allows everything but ``/private/``. Pages and feeds carry
``ETag`` and ``Last-Modified`` and answer ``304 Not Modified`` to conditional requests.

    with NewswireServer() as wire:
        for kind, url, title in wire.sources():
            ...
"""

from __future__ import annotations

import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType

from primenews.newswire.catalogue import Newswire, Outlet, Report, load_newswire
from primenews.newswire.feeds import feed_content_type, render_feed, render_sitemap
from primenews.newswire.templates import render_article, render_home, render_root

__all__ = ["NewswireServer", "Resource", "build_resources"]

logger = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
XML = "application/xml; charset=utf-8"
_EPOCH = datetime(2026, 3, 1, tzinfo=UTC)
_ROBOTS = """# Robots rules of the fictional PrimeNews sample newswire
User-agent: *
Allow: /
Disallow: /private/
"""


@dataclass(frozen=True, slots=True)
class Resource:
    """One servable document with its validators."""

    body: bytes
    content_type: str
    last_modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:20] + '"'


def build_resources(wire: Newswire, base_url: str) -> dict[str, Resource]:
    """Every path the newswire serves, rendered once."""
    resources: dict[str, Resource] = {
        "/": Resource(render_root(wire.outlets).encode(), HTML, _EPOCH),
    }
    sitemaps = []
    for outlet in wire.outlets:
        resources.update(_outlet_resources(wire, outlet, base_url))
        sitemaps.append(f"Sitemap: {base_url}{outlet.sitemap_path}")
    robots = _ROBOTS + "\n" + "\n".join(sitemaps) + "\n"
    resources["/robots.txt"] = Resource(robots.encode(), "text/plain; charset=utf-8", _EPOCH)
    return resources


def _outlet_resources(wire: Newswire, outlet: Outlet, base_url: str) -> dict[str, Resource]:
    reports = wire.reports_by(outlet.slug)
    latest = max((r.published_at for r in reports), default=_EPOCH)
    found = {
        outlet.home_path: Resource(
            render_home(outlet, reports, base_url=base_url).encode(), HTML, latest
        ),
        outlet.feed_path: Resource(
            render_feed(outlet, reports, base_url).encode(), feed_content_type(outlet), latest
        ),
        outlet.sitemap_path: Resource(
            render_sitemap(outlet, reports, base_url).encode(), XML, latest
        ),
    }
    for report in reports:
        related = [r for r in reports if r.id != report.id]
        html = render_article(report, outlet, base_url=base_url, related=related)
        found[report.path] = Resource(html.encode(), HTML, report.published_at)
        found[f"/{outlet.slug}/images/{report.slug}.svg"] = Resource(
            _lead_image(report), "image/svg+xml", report.published_at
        )
    return found


def _lead_image(report: Report) -> bytes:
    hue = int(hashlib.sha256(report.event_id.encode()).hexdigest()[:2], 16) * 360 // 256
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="630">'
        f'<rect width="1200" height="630" fill="hsl({hue},45%,40%)"/>'
        '<text x="40" y="600" fill="white" font-size="28">Fictional illustration</text></svg>'
    ).encode()


def _not_modified(
    resource: Resource, if_none_match: str | None, if_modified_since: str | None
) -> bool:
    if if_none_match is not None:
        tags = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
        return "*" in tags or resource.etag in tags
    if if_modified_since:
        try:
            since = parsedate_to_datetime(if_modified_since)
        except (TypeError, ValueError):
            return False
        if since.tzinfo is None:
            since = since.replace(tzinfo=UTC)
        return resource.last_modified.replace(microsecond=0) <= since
    return False


class NewswireServer:
    """The sample newswire on a ``ThreadingHTTPServer`` in a daemon thread; a context manager.

    ``port=0`` picks a free port; ``base_url`` says which. ``requests`` records
    ``(method, path, status)`` of every request served.
    """

    def __init__(
        self, host: str = "127.0.0.1", port: int = 0, *, newswire: Newswire | None = None
    ) -> None:
        self.newswire = newswire if newswire is not None else load_newswire()
        self.requests: list[tuple[str, str, int]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        bound_host, bound_port = self._httpd.server_address[:2]
        self.base_url = f"http://{_host_for_url(str(bound_host))}:{bound_port}"
        self.resources = build_resources(self.newswire, self.base_url)
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="newswire-server",
            daemon=True,
        )
        self._thread.start()
        logger.info("newswire serving", extra={"base_url": self.base_url})

    def __enter__(self) -> NewswireServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def stop(self) -> None:
        """Stop serving and close the socket (idempotent)."""
        if self._thread.is_alive():
            self._httpd.shutdown()
            self._thread.join(timeout=5)
        self._httpd.server_close()

    def url(self, path: str) -> str:
        return self.base_url + path

    def feed_url(self, outlet_slug: str) -> str:
        return self.url(self.newswire.outlet(outlet_slug).feed_path)

    def sitemap_url(self, outlet_slug: str) -> str:
        return self.url(self.newswire.outlet(outlet_slug).sitemap_path)

    def article_url(self, report: Report) -> str:
        return self.url(report.path)

    def sources(self) -> list[tuple[str, str, str]]:
        """(kind, url, title) of what the demo registers: every feed, plus the sitemap of
        each outlet whose feed is broken."""
        found: list[tuple[str, str, str]] = []
        for outlet in self.newswire.outlets:
            found.append(("feed", self.feed_url(outlet.slug), outlet.name))
            if outlet.feed_broken:
                found.append(("sitemap", self.sitemap_url(outlet.slug), f"{outlet.name} (sitemap)"))
        return found

    def _record(self, method: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((method, path, status))

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            server_version = "NewswireDemo/1.0"

            def log_message(self, format: str, *args: object) -> None:
                logger.debug("newswire request: " + format, *args)

            def do_GET(self) -> None:
                self._answer(with_body=True)

            def do_HEAD(self) -> None:
                self._answer(with_body=False)

            def _answer(self, *, with_body: bool) -> None:
                path = self.path.split("?", 1)[0].split("#", 1)[0]
                resource = server.resources.get(path)
                # recorded before the answer goes out: a client that has its answer finds
                # its request in ``requests``
                if resource is None:
                    server._record(self.command, path, 404)
                    self._send(404, b"not found\n", "text/plain; charset=utf-8", {}, with_body)
                    return
                headers = {
                    "ETag": resource.etag,
                    "Last-Modified": format_datetime(resource.last_modified, usegmt=True),
                    "Cache-Control": "max-age=60",
                }
                if _not_modified(
                    resource,
                    self.headers.get("If-None-Match"),
                    self.headers.get("If-Modified-Since"),
                ):
                    server._record(self.command, path, 304)
                    self._send(304, b"", None, headers, with_body=False)
                    return
                server._record(self.command, path, 200)
                self._send(200, resource.body, resource.content_type, headers, with_body)

            def _send(
                self,
                status: int,
                body: bytes,
                content_type: str | None,
                headers: dict[str, str],
                with_body: bool,
            ) -> None:
                self.send_response(status)
                if content_type:
                    self.send_header("Content-Type", content_type)
                for key, value in headers.items():
                    self.send_header(key, value)
                if status != 304:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if with_body and status != 304:
                    self.wfile.write(body)

        return _Handler


def _host_for_url(host: str) -> str:
    return f"[{host}]" if ":" in host else host
