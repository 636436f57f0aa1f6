"""One HTTP request and its response, with the body decoded under a size cap.

No redirects, retries or politeness here (``client.py`` does those): this module turns one
request into a :class:`Reply` or one of the :mod:`primenews.errors` fetch errors.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import httpx

from primenews.errors import (
    BodyTooLargeError,
    ConnectionFailedError,
    FetchError,
    FetchTimeoutError,
)
from primenews.fetch.decoding import BodyFull, CappedBody, DecodeFailed, build_decoder

__all__ = ["ACCEPT_ENCODING", "Reply", "check_url", "exchange"]

logger = logging.getLogger(__name__)

ACCEPT_ENCODING = "gzip, deflate, br, zstd"


@dataclass(frozen=True)
class Reply:
    """One HTTP response. ``body`` is empty unless the status was 2xx."""

    url: str
    status: int
    headers: httpx.Headers
    body: bytes = b""
    truncated: bool = False


def check_url(url: str) -> httpx.URL:
    """Parse ``url``; refuse anything but absolute http(s) URLs."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise FetchError(f"{url!r} is not a valid URL: {exc}", url=url) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError(
            f"{url!r} is not an absolute http:// or https:// URL; PrimeNews fetches only those",
            url=url,
        )
    return parsed


async def exchange(
    client: httpx.AsyncClient,
    url: str,
    headers: dict[str, str],
    *,
    max_bytes: int,
    truncate: bool = False,
) -> Reply:
    """Send one GET; read and decode the body of a 2xx answer, capped at ``max_bytes``.

    With ``truncate`` the body is cut at the cap instead of raising BodyTooLargeError.
    """
    request = client.build_request("GET", url, headers=headers)
    try:
        response = await client.send(request, stream=True)
        try:
            if not 200 <= response.status_code < 300:
                return Reply(str(response.url), response.status_code, response.headers)
            body, truncated = await _read_body(response, url, max_bytes, truncate)
            return Reply(str(response.url), response.status_code, response.headers, body, truncated)
        finally:
            await response.aclose()
    except httpx.TimeoutException as exc:
        raise FetchTimeoutError(
            f"{url}: the server did not answer in time ({type(exc).__name__}); it may be down "
            "or overloaded",
            url=url,
        ) from exc
    except httpx.TransportError as exc:
        raise ConnectionFailedError(
            f"{url}: connection failed ({type(exc).__name__}: {exc}); check that the host "
            "exists and is up",
            url=url,
        ) from exc


async def _read_body(
    response: httpx.Response, url: str, max_bytes: int, truncate: bool
) -> tuple[bytes, bool]:
    encoding = response.headers.get("content-encoding")
    declared = response.headers.get("content-length", "")
    if not truncate and not encoding and declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, f"Content-Length says {declared} bytes")
    body = CappedBody(max_bytes)
    raw = 0
    try:
        decoder = build_decoder(encoding, body.write)
        async for chunk in response.aiter_raw():
            raw += len(chunk)
            decoder.feed(chunk)
        decoder.finish()
    except BodyFull:
        if truncate:
            logger.info("%s: body cut at %d bytes", url, max_bytes)
            return body.value(), True
        raise _too_large(url, max_bytes, f"after {raw} bytes on the wire") from None
    except DecodeFailed as exc:
        raise FetchError(
            f"{url}: the body could not be decoded as Content-Encoding {encoding!r} ({exc}); "
            "the server sent a broken or unsupported compressed body",
            url=url,
        ) from exc
    return body.value(), False


def _too_large(url: str, max_bytes: int, detail: str) -> BodyTooLargeError:
    return BodyTooLargeError(
        f"{url}: the decoded body is larger than max_body_bytes={max_bytes} ({detail}); "
        "raise max_body_bytes if this page is legitimate",
        url=url,
    )
