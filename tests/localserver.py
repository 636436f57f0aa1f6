"""A real HTTP server on 127.0.0.1 for tests: routes are set per test.

A route answers with a fixed ``Response`` or with a handler ``(RequestInfo) -> Response``.
A ``Response.body`` may be bytes or an iterable of (bytes, delay_seconds) chunks, so a test
can drip a body slowly. Every request is recorded in ``server.requests``.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class RequestInfo:
    method: str
    path: str
    headers: dict[str, str]


@dataclass
class Response:
    status: int = 200
    body: bytes | Iterable[tuple[bytes, float]] = b""
    headers: dict[str, str] = field(default_factory=dict)
    content_type: str | None = "text/html; charset=utf-8"


Handler = Callable[[RequestInfo], Response]


class LocalServer:
    def __init__(self) -> None:
        self.routes: dict[str, Response | Handler] = {}
        self.requests: list[RequestInfo] = []
        self._lock = threading.Lock()
        server = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: object) -> None:  # quiet
                return

            def do_GET(self) -> None:
                info = RequestInfo(
                    "GET", self.path, {k.lower(): v for k, v in self.headers.items()}
                )
                with server._lock:
                    server.requests.append(info)
                    route = server.routes.get(self.path) or server.routes.get(
                        self.path.split("?")[0]
                    )
                if route is None:
                    resp = Response(404, b"not found")
                elif callable(route):
                    resp = route(info)
                else:
                    resp = route
                self._send(resp)

            def do_HEAD(self) -> None:  # pragma: no cover - not used by PrimeNews
                self.send_response(405)
                self.end_headers()

            def _send(self, resp: Response) -> None:
                self.send_response(resp.status)
                if resp.content_type and "content-type" not in {k.lower() for k in resp.headers}:
                    self.send_header("Content-Type", resp.content_type)
                for key, value in resp.headers.items():
                    self.send_header(key, value)
                if isinstance(resp.body, bytes | bytearray):
                    self.send_header("Content-Length", str(len(resp.body)))
                    self.send_header("Connection", "close")
                    self.end_headers()
                    self.wfile.write(resp.body)
                    return
                self.send_header("Connection", "close")
                self.end_headers()
                try:
                    for chunk, delay in resp.body:
                        if delay:
                            time.sleep(delay)
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    return
                self.close_connection = True

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._httpd.daemon_threads = True
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def start(self) -> LocalServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def route(self, path: str, response: Response | Handler | None = None, **kwargs: object) -> str:
        """Serve ``path``; returns its full URL. kwargs build a Response."""
        self.routes[path] = response if response is not None else Response(**kwargs)  # type: ignore[arg-type]
        return self.url(path)

    def count(self, path: str) -> int:
        return sum(1 for r in self.requests if r.path == path)
