"""Which IP addresses PrimeNews refuses to connect to (the SSRF guard's table).

Python 3.11's ``ipaddress`` flags (``is_private``, ``is_global``...) let through
``::ffff:127.0.0.1``, ``64:ff9b::7f00:1`` and ``100.64.0.1``, so the decision is made
against an explicit table of ranges. IPv6 forms that embed an IPv4 address (mapped,
compatible, NAT64, 6to4, Teredo) are refused as a whole, and the reason names the
embedded IPv4 address, so a log line says what the address really points at.

The check runs at connect time, after DNS, on every redirect hop (see ``guard.py``).
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "ALLOW_ALL",
    "BLOCKED_RANGES",
    "AddressPolicy",
    "IPAddress",
    "RangePolicy",
    "blocked_reason",
    "parse_address",
]

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def _net(text: str) -> IPNetwork:
    return ipaddress.ip_network(text)


BLOCKED_RANGES: tuple[tuple[IPNetwork, str], ...] = (
    # IPv4
    (_net("0.0.0.0/8"), "unspecified ('this network')"),
    (_net("10.0.0.0/8"), "private network (RFC 1918)"),
    (_net("100.64.0.0/10"), "carrier-grade NAT (RFC 6598)"),
    (_net("127.0.0.0/8"), "loopback"),
    (_net("169.254.0.0/16"), "link-local (cloud metadata lives here)"),
    (_net("172.16.0.0/12"), "private network (RFC 1918)"),
    (_net("192.0.0.0/24"), "IETF protocol assignments"),
    (_net("192.0.2.0/24"), "documentation (TEST-NET-1)"),
    (_net("192.88.99.0/24"), "6to4 relay anycast"),
    (_net("192.168.0.0/16"), "private network (RFC 1918)"),
    (_net("198.18.0.0/15"), "benchmarking"),
    (_net("198.51.100.0/24"), "documentation (TEST-NET-2)"),
    (_net("203.0.113.0/24"), "documentation (TEST-NET-3)"),
    (_net("224.0.0.0/4"), "multicast"),
    (_net("240.0.0.0/4"), "reserved"),
    (_net("255.255.255.255/32"), "broadcast"),
    # IPv6
    (_net("::/128"), "unspecified"),
    (_net("::1/128"), "loopback"),
    (_net("::ffff:0:0/96"), "IPv4-mapped"),
    (_net("::/96"), "IPv4-compatible"),
    (_net("::ffff:0:0:0/96"), "IPv4-translated"),
    (_net("64:ff9b::/96"), "NAT64"),
    (_net("64:ff9b:1::/48"), "local-use NAT64"),
    (_net("100::/64"), "discard-only"),
    (_net("2001::/32"), "Teredo"),
    (_net("2001:2::/48"), "benchmarking"),
    (_net("2001:10::/28"), "ORCHID"),
    (_net("2001:20::/28"), "ORCHIDv2"),
    (_net("2001:db8::/32"), "documentation"),
    (_net("2002::/16"), "6to4"),
    (_net("3fff::/20"), "documentation"),
    (_net("5f00::/16"), "segment routing (SRv6)"),
    (_net("fc00::/7"), "unique-local"),
    (_net("fe80::/10"), "link-local"),
    (_net("fec0::/10"), "site-local (deprecated)"),
    (_net("ff00::/8"), "multicast"),
)

_GLOBAL_UNICAST_V6 = ipaddress.IPv6Network("2000::/3")


class AddressPolicy(Protocol):
    """Decides whether PrimeNews may connect to an address."""

    def blocked_reason(self, address: IPAddress) -> str | None:
        """Why ``address`` is refused, or None when it may be used."""
        ...


@dataclass(frozen=True)
class RangePolicy:
    """Refuse the addresses inside ``ranges`` (by default the table above).

    With ``global_unicast_only`` (the default), IPv6 addresses outside 2000::/3 are refused
    too: every public IPv6 unicast address lives there.
    """

    ranges: tuple[tuple[IPNetwork, str], ...] = BLOCKED_RANGES
    global_unicast_only: bool = True

    def blocked_reason(self, address: IPAddress) -> str | None:
        for network, label in self.ranges:
            if address.version == network.version and address in network:
                return _describe(address, label)
        if (
            self.global_unicast_only
            and isinstance(address, ipaddress.IPv6Address)
            and address not in _GLOBAL_UNICAST_V6
        ):
            return _describe(address, "not IPv6 global unicast")
        return None


@dataclass(frozen=True)
class _AllowAll:
    def blocked_reason(self, address: IPAddress) -> str | None:
        return None


ALLOW_ALL: AddressPolicy = _AllowAll()
"""A policy that refuses nothing (``allow_private_networks = true``)."""

_DEFAULT = RangePolicy()


def blocked_reason(address: IPAddress | str) -> str | None:
    """Why the default table refuses ``address``, or None when it is allowed."""
    if isinstance(address, str):
        address = parse_address(address)
    return _DEFAULT.blocked_reason(address)


def parse_address(text: str) -> IPAddress:
    """An IP address from ``getaddrinfo`` or a URL: brackets and ``%scope`` removed."""
    return ipaddress.ip_address(text.strip("[]").split("%", 1)[0])


def _embedded_v4(address: IPAddress) -> ipaddress.IPv4Address | None:
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    as_int = int(address)
    if as_int >> 32 in (0, 0x64FF9B << 64, 0xFFFF << 16) and as_int > 1:
        return ipaddress.IPv4Address(as_int & 0xFFFFFFFF)
    return None


def _describe(address: IPAddress, label: str) -> str:
    embedded = _embedded_v4(address)
    if embedded is None:
        return f"{address} is {label}"
    inner = _DEFAULT.blocked_reason(embedded)
    inner_text = f"; the embedded IPv4 address {inner}" if inner else f" (embeds {embedded})"
    return f"{address} is {label}{inner_text}"
