"""The SSRF guard: resolve the host ourselves, check every address, connect to the checked one.

httpx hands the connection to an httpcore network backend. :class:`GuardedBackend` sits
there: it resolves the host name with ``getaddrinfo``, refuses the connection when any
resolved address is blocked by the :class:`AddressPolicy`, and then connects to the very
address it checked (no second DNS lookup, so no DNS-rebinding gap). TLS still verifies the
certificate against the host name, because httpcore passes it as ``server_hostname``.

Every new connection goes through here: the first request, every redirect hop, robots.txt.
"""

from __future__ import annotations

import asyncio
import logging
import socket
from collections.abc import Iterable

import httpcore
import httpx

from primenews.errors import BlockedAddressError
from primenews.fetch.addresses import AddressPolicy, IPAddress, parse_address

__all__ = ["GuardedBackend", "GuardedTransport"]

logger = logging.getLogger(__name__)

SocketOption = (
    tuple[int, int, int] | tuple[int, int, bytes | bytearray] | tuple[int, int, None, int]
)


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """An httpcore backend that connects only to addresses the policy allows."""

    def __init__(self, policy: AddressPolicy) -> None:
        self._policy = policy
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._resolve(host, port, timeout)
        self._check(host, addresses)
        last_error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last_error = exc
        assert last_error is not None  # _resolve never returns an empty list
        raise last_error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[SocketOption] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise BlockedAddressError(f"refusing to connect to the unix socket {path}")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)

    async def _resolve(self, host: str, port: int, timeout: float | None) -> list[IPAddress]:
        loop = asyncio.get_running_loop()
        try:
            async with asyncio.timeout(timeout):
                infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except TimeoutError as exc:
            raise httpcore.ConnectTimeout(f"DNS lookup of {host} timed out") from exc
        except OSError as exc:
            raise httpcore.ConnectError(f"DNS lookup of {host} failed: {exc}") from exc
        addresses: list[IPAddress] = []
        for _family, _type, _proto, _name, sockaddr in infos:
            address = parse_address(str(sockaddr[0]))
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise httpcore.ConnectError(f"DNS lookup of {host} returned no address")
        return addresses

    def _check(self, host: str, addresses: list[IPAddress]) -> None:
        for address in addresses:
            reason = self._policy.blocked_reason(address)
            if reason is not None:
                logger.warning("refused connection to %s: %s", host, reason)
                raise BlockedAddressError(
                    f"refusing to connect to {host}: {reason}. PrimeNews does not fetch "
                    "private, loopback or reserved addresses unless allow_private_networks "
                    "is turned on (only for demos and tests)"
                )


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's transport with its connection pool built on :class:`GuardedBackend`.

    Proxies from the environment are ignored on purpose: a proxy would connect on our
    behalf and skip the address check.
    """

    def __init__(self, policy: AddressPolicy, *, limits: httpx.Limits) -> None:
        super().__init__(trust_env=False, limits=limits)
        # httpx 0.28 has no public way to choose the network backend (httpx is pinned <0.29).
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(policy),
        )
