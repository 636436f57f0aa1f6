"""Read RSS 0.9x/1.0/2.0, Atom and JSON Feed documents into links to fetch.

:func:`read_feed` takes the bytes the fetcher got and gives a :class:`FeedResult`. RSS and
Atom go through feedparser (after :mod:`primenews.sources.xmlsafety` refused hostile
DTDs); JSON Feed 1.0/1.1, which feedparser does not read, has its own small reader. Which
one is used is decided by the content, not the Content-Type header.

What a broken feed costs: an item without a link, with a non-http link or repeating a
GUID/link is recorded as an :class:`ItemError` and the rest are read; an invalid date
becomes ``None``; an item with only an updated date (Atom ``updated``, RSS 1.0
``dc:date``) gets it as ``published_at`` too; a feed that is not well-formed but still
yields items with links is read with a ``malformed_feed`` warning. Only a document that
is not a feed at all (or a broken one with no usable item), or is hostile, raises
:class:`FeedError`.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from typing import Any

import feedparser

from primenews.errors import FeedError
from primenews.models import ItemError, Link
from primenews.sources.dates import from_struct_time, parse_datetime
from primenews.sources.linkset import LinkSet, absolute_http_url
from primenews.sources.xmlsafety import refuse_hostile_xml

__all__ = ["FeedResult", "read_feed"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FeedResult:
    """What one feed document said: its title, its site, and the links of its items."""

    title: str | None
    site_url: str | None
    links: tuple[Link, ...]
    errors: tuple[ItemError, ...]
    truncated: int = 0  # items past max_items, left out (the newest are kept)
    version: str = ""  # "rss091u", "rss10", "rss20", "atom10", "json11", ... (feedparser names)


def read_feed(
    body: bytes,
    *,
    url: str,
    source_id: int | None = None,
    max_items: int = 1000,
    content_type: str | None = None,
) -> FeedResult:
    """Read a feed document; raise :class:`FeedError` when it is not a feed or is hostile."""
    if not body.strip():
        raise FeedError(f"feed {url} is empty; check that the URL still serves the feed")
    links = LinkSet(what=f"feed {url}", source_id=source_id)
    if _looks_like_json(body):
        title, site_url, version = _read_json_feed(body, url, links)
    else:
        title, site_url, version = _read_xml_feed(body, url, content_type, links)
    kept, truncated = links.select(max_items)
    if truncated:
        logger.info("feed %s: %d items past max_items=%d left out", url, truncated, max_items)
    return FeedResult(title, site_url, kept, tuple(links.errors), truncated, version)


def _looks_like_json(body: bytes) -> bool:
    return body.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{")


def _read_xml_feed(
    body: bytes, url: str, content_type: str | None, links: LinkSet
) -> tuple[str | None, str | None, str]:
    refuse_hostile_xml(body, what=f"feed {url}", error=FeedError)
    headers = {"content-location": url, "content-type": content_type or "application/xml"}
    parsed = feedparser.parse(
        body, response_headers=headers, resolve_relative_uris=False, sanitize_html=False
    )
    version = str(dict.get(parsed, "version") or "")
    entries = dict.get(parsed, "entries") or []
    problem = dict.get(parsed, "bozo_exception")
    if isinstance(problem, feedparser.NonXMLContentType):
        problem = None  # a feed served as text/html or text/plain; the content decides
    if not entries and (not version or problem is not None):
        what = f"({problem})" if problem is not None else "(no RSS, Atom or JSON Feed root)"
        raise FeedError(
            f"{url} is not a readable RSS, Atom or JSON feed {what}; check that the URL "
            "points at the feed itself and not at a web page"
        )
    if problem is not None:
        links.refuse(
            "malformed_feed",
            f"not well-formed ({problem}); {len(entries)} items were still read",
            url,
        )
    feed = dict.get(parsed, "feed") or {}
    language = _text(dict.get(feed, "language"))
    for number, entry in enumerate(entries, 1):
        _add_entry(entry, number, url, language, links)
    if problem is not None and not links.links:
        raise FeedError(
            f"{url} is not a well-formed feed ({problem}) and no item with a link could be "
            "read from it; check the feed with a validator"
        )
    return _text(dict.get(feed, "title")), absolute_http_url(dict.get(feed, "link"), url), version


def _add_entry(entry: Any, number: int, url: str, language: str | None, links: LinkSet) -> None:
    title = _text(dict.get(entry, "title"))
    raw = _entry_link(entry)
    href = absolute_http_url(raw, url)
    if href is None:
        reason = "missing_link" if not raw else "invalid_link"
        detail = "has no link" if not raw else f"has a link that is not http(s): {raw!r}"
        links.refuse(reason, f"item {number} ({title or 'untitled'}) {detail}; skipped")
        return
    title_detail: Any = dict.get(entry, "title_detail") or {}
    updated = from_struct_time(dict.get(entry, "updated_parsed"))
    links.add(
        Link(
            url=href,
            source_id=links.source_id,
            title=title,
            published_at=from_struct_time(dict.get(entry, "published_parsed")) or updated,
            updated_at=updated,
            guid=_text(dict.get(entry, "id")),
            authors=_authors(entry),
            language=_text(title_detail.get("language")) or language,
        )
    )


def _entry_link(entry: Any) -> str | None:
    link = dict.get(entry, "link")
    if isinstance(link, str) and link.strip():
        return link
    for candidate in dict.get(entry, "links") or []:
        href = candidate.get("href")
        if isinstance(href, str) and href.strip():
            return href
    return None


def _authors(entry: Any) -> tuple[str, ...]:
    names: list[str] = []
    for author in dict.get(entry, "authors") or []:
        name = _text(author.get("name")) or _text(author.get("email"))
        if name:
            names.append(name)
    if not names and _text(dict.get(entry, "author")):
        names.append(str(dict.get(entry, "author")).strip())
    return tuple(dict.fromkeys(names))


def _text(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return value.strip() or None


# --- JSON Feed 1.0 / 1.1 (https://www.jsonfeed.org/version/1.1/) ---------------------------


def _read_json_feed(body: bytes, url: str, links: LinkSet) -> tuple[str | None, str | None, str]:
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FeedError(f"{url} looks like JSON but cannot be read as JSON ({exc})") from exc
    version = doc.get("version") if isinstance(doc, dict) else None
    if not isinstance(version, str) or "jsonfeed.org/version/" not in version:
        raise FeedError(
            f"{url} is JSON but not a JSON Feed (no https://jsonfeed.org/version/ 'version')"
        )
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError(f"JSON Feed {url} has no 'items' list")
    language = _text(doc.get("language"))
    feed_authors = _json_authors(doc)
    for number, item in enumerate(items, 1):
        if not isinstance(item, dict):
            links.refuse("invalid_item", f"item {number} is not a JSON object; skipped")
            continue
        _add_json_item(item, number, url, language, feed_authors, links)
    name = "json" + version.rstrip("/").rpartition("/")[2].replace(".", "")
    return _text(doc.get("title")), absolute_http_url(doc.get("home_page_url"), url), name


def _add_json_item(
    item: dict[str, Any],
    number: int,
    url: str,
    language: str | None,
    feed_authors: tuple[str, ...],
    links: LinkSet,
) -> None:
    title = _text(item.get("title"))
    raw = item.get("url") or item.get("external_url")
    href = absolute_http_url(raw if isinstance(raw, str) else None, url)
    if href is None:
        reason = "missing_link" if not raw else "invalid_link"
        detail = "has no url" if not raw else f"has a url that is not http(s): {raw!r}"
        links.refuse(reason, f"item {number} ({title or 'untitled'}) {detail}; skipped")
        return
    guid = item.get("id")  # a string by the spec; numbers are common in practice
    links.add(
        Link(
            url=href,
            source_id=links.source_id,
            title=title,
            published_at=parse_datetime(item.get("date_published")),
            updated_at=parse_datetime(item.get("date_modified")),
            guid=_text(str(guid)) if isinstance(guid, str | int) else None,
            authors=_json_authors(item) or feed_authors,
            language=_text(item.get("language")) or language,
        )
    )


def _json_authors(obj: dict[str, Any]) -> tuple[str, ...]:
    authors = obj.get("authors")
    if not isinstance(authors, list):
        authors = [obj["author"]] if isinstance(obj.get("author"), dict) else []
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return tuple(dict.fromkeys(n for n in names if n))
