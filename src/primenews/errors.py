"""The one exception tree of PrimeNews.

Every error a stage expects to meet (bad input, a dead server, a broken feed) is a
``PrimeNewsError``; the pipeline runner records it against its source or item and
moves on. Any other exception is a bug and fails loudly.

    PrimeNewsError
    ├── ConfigError            a setting is missing, malformed or out of range
    ├── StoreError             the database refused an operation
    │   └── MigrationError     a migration could not be applied
    ├── SourceError            a source (feed, sitemap, OPML, WARC, JSONL, file) is unreadable
    │   └── FeedError          a feed could not be parsed at all
    ├── FetchError             an HTTP fetch failed
    │   ├── BlockedAddressError    the host resolves to a private/reserved address
    │   ├── RobotsDisallowedError  robots.txt forbids the URL
    │   ├── HTTPStatusError        the server answered 4xx/5xx (``status``, ``retry_after``)
    │   ├── TooManyRedirectsError  more than ``max_redirects`` hops, or a loop
    │   ├── BodyTooLargeError      the decoded body passed ``max_body_bytes``
    │   ├── FetchTimeoutError      the total deadline passed (slow-drip servers too)
    │   ├── ConnectionFailedError  the connection failed or broke off mid-response
    │   └── ContentTypeError       the body is not HTML/XML/text where that was required
    ├── ExtractError           no article text could be extracted from a page
    ├── SynthesisError         a story page could not be written (a backend failed or timed out)
    └── SkipArticle            an item is dropped on purpose, with a recorded ``reason``
"""

from __future__ import annotations

__all__ = [
    "BlockedAddressError",
    "BodyTooLargeError",
    "ConfigError",
    "ConnectionFailedError",
    "ContentTypeError",
    "ExtractError",
    "FeedError",
    "FetchError",
    "FetchTimeoutError",
    "HTTPStatusError",
    "MigrationError",
    "PrimeNewsError",
    "RobotsDisallowedError",
    "SkipArticle",
    "SourceError",
    "StoreError",
    "SynthesisError",
    "TooManyRedirectsError",
]


class PrimeNewsError(Exception):
    """Root of every error PrimeNews raises on purpose."""


class ConfigError(PrimeNewsError):
    """A setting is missing, malformed or out of range."""


class StoreError(PrimeNewsError):
    """The database refused an operation."""


class MigrationError(StoreError):
    """A numbered migration could not be applied."""


class SourceError(PrimeNewsError):
    """A source (feed, sitemap, OPML, WARC, JSONL, local file) could not be read."""


class FeedError(SourceError):
    """A feed could not be parsed at all."""


class FetchError(PrimeNewsError):
    """An HTTP fetch failed.  ``url`` is the URL that was being fetched."""

    def __init__(self, message: str, *, url: str | None = None) -> None:
        super().__init__(message)
        self.url = url


class BlockedAddressError(FetchError):
    """The host resolves to a private, loopback or otherwise reserved address."""


class RobotsDisallowedError(FetchError):
    """robots.txt forbids PrimeNews from fetching the URL."""


class HTTPStatusError(FetchError):
    """The server answered with an error status."""

    def __init__(
        self,
        message: str,
        *,
        url: str | None = None,
        status: int,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message, url=url)
        self.status = status
        self.retry_after = retry_after


class TooManyRedirectsError(FetchError):
    """The redirect chain was longer than allowed, or looped."""


class BodyTooLargeError(FetchError):
    """The decoded body grew past the configured cap (this defeats compression bombs)."""


class FetchTimeoutError(FetchError):
    """The total deadline for one fetch passed (this defeats slow-drip servers)."""


class ConnectionFailedError(FetchError):
    """The connection could not be made or broke off mid-response (worth a retry)."""


class ContentTypeError(FetchError):
    """The response is not of a content type PrimeNews can use."""


class ExtractError(PrimeNewsError):
    """No article text could be extracted from a page."""


class SkipArticle(PrimeNewsError):
    """Drop one item on purpose; ``reason`` is recorded (a short machine-readable code)."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class SynthesisError(PrimeNewsError):
    """A story page could not be written: a backend failed, timed out or answered nonsense."""
