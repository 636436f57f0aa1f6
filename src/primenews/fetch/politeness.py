"""Politeness: one request at a time per host, a pause between them, a global limit.

A request takes its host's lock first, waits until ``per_host_delay`` has passed since the
previous request to that host ended, and only then takes one of the ``global_concurrency``
slots, so a slow host never holds global slots while it waits its turn.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

__all__ = ["HostGate"]


@dataclass
class _Host:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    last_done: float | None = None


class HostGate:
    """Grants request slots per host name. Create it inside the running event loop."""

    def __init__(self, *, per_host_delay: float, global_concurrency: int) -> None:
        self._delay = per_host_delay
        self._global = asyncio.Semaphore(global_concurrency)
        self._hosts: dict[str, _Host] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        """Hold the one request slot of ``host`` (and a global one) for one request."""
        state = self._hosts.setdefault(host.lower(), _Host())
        async with state.lock:
            if state.last_done is not None:
                wait = state.last_done + self._delay - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
            try:
                async with self._global:
                    yield
            finally:
                state.last_done = time.monotonic()
