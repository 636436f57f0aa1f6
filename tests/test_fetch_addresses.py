"""The SSRF guard's address table and the connect-time check (after DNS, on every hop)."""

from __future__ import annotations

import asyncio
import ipaddress

import pytest

from primenews.config import Settings
from primenews.errors import BlockedAddressError
from primenews.fetch import Fetcher, RangePolicy, blocked_reason
from primenews.models import FetchLogEntry, Page
from tests.localserver import LocalServer

BLOCKED = [
    "::ffff:127.0.0.1",
    "64:ff9b::7f00:1",
    "64:ff9b:1::a00:1",
    "100.64.0.1",
    "169.254.169.254",
    "fd00::1",
    "fe80::1",
    "fe80::1%eth0",
    "fec0::1",
    "2002:7f00:1::",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "10.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "172.31.255.255",
    "0.0.0.0",
    "0.1.2.3",
    "::",
    "::1",
    "::7f00:1",
    "127.0.0.2",
    "224.0.0.1",
    "ff02::1",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.51.100.7",
    "203.0.113.9",
    "198.18.0.1",
    "2001:db8::1",
]
ALLOWED = ["8.8.8.8", "1.1.1.1", "2606:4700::1111", "2001:4860:4860::8888", "172.32.0.1"]


@pytest.mark.parametrize("address", BLOCKED)
def test_blocked_addresses(address: str) -> None:
    reason = blocked_reason(address)
    assert reason is not None, f"{address} should be blocked"


@pytest.mark.parametrize("address", ALLOWED)
def test_public_addresses_allowed(address: str) -> None:
    assert blocked_reason(address) is None


def test_embedded_ipv4_is_named_in_the_reason() -> None:
    reason = blocked_reason("::ffff:127.0.0.1")
    assert reason is not None and "127.0.0.1" in reason and "loopback" in reason
    nat64 = blocked_reason("64:ff9b::a9fe:a9fe")
    assert nat64 is not None and "169.254.169.254" in nat64


def _run_fetch(settings: Settings, url: str, policy: RangePolicy | None = None) -> Page | None:
    async def go() -> Page | None:
        async with Fetcher(settings, address_policy=policy) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


def test_loopback_url_refused_before_any_request(
    settings: Settings, http_server: LocalServer
) -> None:
    url = http_server.route("/page", body=b"<p>secret</p>")
    log: list[FetchLogEntry] = []

    async def go() -> None:
        async with Fetcher(settings.replace(allow_private_networks=False), on_log=log.append) as f:
            await f.fetch(url, source_id=7)

    with pytest.raises(BlockedAddressError) as info:
        asyncio.run(go())
    assert "127.0.0.1" in str(info.value) and "allow_private_networks" in str(info.value)
    assert http_server.requests == []
    assert log and log[-1].outcome == "BlockedAddressError"


def test_host_name_checked_after_dns(settings: Settings, http_server: LocalServer) -> None:
    http_server.route("/page", body=b"<p>secret</p>")
    url = f"http://localhost:{http_server.port}/page"
    with pytest.raises(BlockedAddressError, match="localhost"):
        _run_fetch(settings.replace(allow_private_networks=False), url)
    assert http_server.requests == []


def test_redirect_hop_to_blocked_address_refused(
    settings: Settings, http_server: LocalServer
) -> None:
    target = f"http://127.0.0.2:{http_server.port}/inside"
    url = http_server.route("/start", status=302, headers={"Location": target})
    policy = RangePolicy(
        ranges=((ipaddress.ip_network("127.0.0.2/32"), "a test alias"),),
        global_unicast_only=False,
    )
    with pytest.raises(BlockedAddressError, match=r"127\.0\.0\.2 is a test alias"):
        _run_fetch(settings, url, policy)
    assert http_server.count("/start") == 1  # the first hop was allowed and made


def test_policy_allows_what_it_does_not_list(settings: Settings, http_server: LocalServer) -> None:
    url = http_server.route("/ok", body=b"<p>fine</p>")
    policy = RangePolicy(
        ranges=((ipaddress.ip_network("127.0.0.2/32"), "a test alias"),),
        global_unicast_only=False,
    )
    page = _run_fetch(settings.replace(allow_private_networks=False), url, policy)
    assert page is not None and page.body == b"<p>fine</p>"


@pytest.mark.parametrize("host", ["[::1]", "[::ffff:127.0.0.1]", "0x7f.1", "2130706433", "127.1"])
def test_disguised_loopback_hosts_refused(
    settings: Settings, http_server: LocalServer, host: str
) -> None:
    http_server.route("/page", body=b"<p>secret</p>")
    url = f"http://{host}:{http_server.port}/page"
    with pytest.raises(BlockedAddressError):
        _run_fetch(settings.replace(allow_private_networks=False), url)
    assert http_server.requests == []
