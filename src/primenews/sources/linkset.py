"""Collect the links of one source: each URL once, refusals recorded, newest kept.

Feeds, sitemaps and URL lists all end the same way: a list of :class:`Link` with no
duplicates, the :class:`ItemError` met on the way, and, past ``max_items``, the newest
items kept and the rest counted.
"""

from __future__ import annotations

import logging
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from primenews.models import ItemError, Link

__all__ = ["LinkSet", "absolute_http_url"]

logger = logging.getLogger(__name__)

_HTTP_SCHEMES = frozenset({"http", "https"})


def absolute_http_url(raw: str | None, base: str | None = None) -> str | None:
    """``raw`` resolved against ``base``, if the result is an http(s) URL with a host."""
    if not raw:
        return None
    text = raw.strip()
    if not text or any(ch.isspace() for ch in text):
        return None
    if base:
        text = urljoin(base, text)
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return None
    if parts.scheme.lower() not in _HTTP_SCHEMES or not parts.hostname or not port_ok:
        return None
    return text


class LinkSet:
    """Links found in one source, in document order, each URL once."""

    def __init__(self, *, what: str, source_id: int | None = None) -> None:
        self.what = what
        self.source_id = source_id
        self.links: list[Link] = []
        self.errors: list[ItemError] = []
        self._urls: set[str] = set()
        self._guids: set[str] = set()

    def add(self, link: Link) -> bool:
        """Keep ``link`` unless its URL was seen before (then record why).

        A GUID repeated under another URL is a broken feed, not a duplicate article: the
        link is kept (nothing is lost) and the repetition recorded.
        """
        if link.url in self._urls:
            self.refuse("duplicate_link", "repeats a link seen earlier; kept the first", link.url)
            return False
        if link.guid is not None and link.guid in self._guids:
            self.refuse(
                "duplicate_guid",
                f"repeats the GUID {link.guid!r} under another link; kept both",
                link.url,
            )
        self._urls.add(link.url)
        if link.guid is not None:
            self._guids.add(link.guid)
        self.links.append(link)
        return True

    def refuse(self, reason: str, message: str, url: str | None = None) -> None:
        """Record an item that was not kept, or a warning about the whole source."""
        logger.info("%s: %s (%s)", self.what, message, reason, extra={"source_id": self.source_id})
        self.errors.append(
            ItemError(
                stage="source",
                reason=reason,
                message=f"{self.what}: {message}",
                url=url,
                source_id=self.source_id,
            )
        )

    def select(self, max_items: int) -> tuple[tuple[Link, ...], int]:
        """At most ``max_items`` links, the newest when dates exist, in document order.

        Returns the links kept and how many were left out.
        """
        if max_items < 0:
            raise ValueError(f"max_items must be 0 or more, not {max_items}")
        if len(self.links) <= max_items:
            return tuple(self.links), 0
        order = sorted(range(len(self.links)), key=lambda i: _newest_first(self.links[i]))
        kept = sorted(order[:max_items])
        return tuple(self.links[i] for i in kept), len(self.links) - max_items


def _newest_first(link: Link) -> tuple[bool, float]:
    moment: datetime | None = link.published_at or link.updated_at
    if moment is None:
        return True, 0.0
    return False, -moment.timestamp()
