"""uvicorn's HTTP protocol (httptools) with ``TCP_NODELAY`` on every accepted connection.

With more than one worker uvicorn binds the shared socket itself (``proto=0``) and asyncio then
leaves Nagle's algorithm on for accepted connections (uvicorn issue #3149): a keep-alive
response written as headers + body waits ~40 ms for the client's delayed ACK. Setting
``TCP_NODELAY`` when the connection is made removes that stall (measured in ``bench/web.py``).
httptools and uvloop come with the ``uvicorn[standard]`` dependency.
"""

from __future__ import annotations

import asyncio
import socket

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

__all__ = ["NoDelayHttpToolsProtocol"]


class NoDelayHttpToolsProtocol(HttpToolsProtocol):
    """httptools' protocol, with ``TCP_NODELAY`` set on the connection."""

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        sock = transport.get_extra_info("socket")
        if sock is not None and sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        super().connection_made(transport)
