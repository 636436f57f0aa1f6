"""Read sitemaps, sitemap indexes and Google News sitemaps into links to fetch.

:func:`read_sitemap` takes the fetched bytes: XML ``<urlset>`` (with the Google News
extension: ``news:publication_date``, ``news:title``, ``news:language``), XML
``<sitemapindex>`` (whose child sitemap URLs come back in ``sitemaps`` for the caller to
fetch in turn), gzip-compressed bodies (decompressed up to ``max_bytes``), and plain-text
sitemaps with one URL a line. Namespaces are not insisted on: many sitemaps get them wrong.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from primenews.errors import SourceError
from primenews.models import ItemError, Link
from primenews.sources.compression import gunzip_capped
from primenews.sources.dates import parse_datetime
from primenews.sources.linkset import LinkSet, absolute_http_url
from primenews.sources.urllists import read_url_list
from primenews.sources.xmlsafety import local_name, parse_xml

__all__ = ["SitemapResult", "read_sitemap"]

logger = logging.getLogger(__name__)

MAX_SITEMAP_BYTES = 50 * 1024 * 1024  # the sitemaps.org limit for one uncompressed sitemap
_GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True, slots=True)
class SitemapResult:
    """Page links of a ``<urlset>``, or child sitemap URLs of a ``<sitemapindex>``."""

    links: tuple[Link, ...]
    sitemaps: tuple[str, ...]
    errors: tuple[ItemError, ...]
    truncated: int = 0  # page links past max_items, left out (the newest are kept)


def read_sitemap(
    body: bytes,
    *,
    url: str,
    source_id: int | None = None,
    max_items: int = 1000,
    max_bytes: int = MAX_SITEMAP_BYTES,
) -> SitemapResult:
    """Read one sitemap document; raise :class:`SourceError` if it is not one or is hostile."""
    what = f"sitemap {url}"
    links = LinkSet(what=what, source_id=source_id)
    if body.startswith(_GZIP_MAGIC):
        try:
            body, complete = gunzip_capped(body, max_bytes=max_bytes)
        except ValueError as exc:
            raise SourceError(
                f"{what} is gzip-compressed and {exc}; a sitemap may be at most 50 MB "
                "uncompressed (larger ones are split with a sitemap index)"
            ) from exc
        if not complete:
            links.refuse("truncated", "gzip data ends early; read what was there", url)
    text = body.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text:
        raise SourceError(f"{what} is empty; check that the URL still serves the sitemap")
    if text.startswith(b"<"):
        children = _read_xml_sitemap(body, url, links)
    else:
        children = _read_text_sitemap(body, url, links)
    kept, truncated = links.select(max_items)
    return SitemapResult(kept, tuple(children), tuple(links.errors), truncated)


def _read_text_sitemap(body: bytes, url: str, links: LinkSet) -> list[str]:
    if b"\x00" in body[:1024]:
        raise SourceError(f"sitemap {url} is neither XML nor a text list of URLs (binary data)")
    found, errors = read_url_list(
        body.decode("utf-8", errors="replace"), source_id=links.source_id, what=links.what
    )
    for link in found:
        links.add(link)
    links.errors.extend(errors)
    return []


def _read_xml_sitemap(body: bytes, url: str, links: LinkSet) -> list[str]:
    root, warning = parse_xml(body, what=f"sitemap {url}")
    if warning:
        links.refuse("malformed_xml", warning, url)
    kind = local_name(root)
    if kind == "sitemapindex":
        return _child_sitemaps(root, url, links)
    if kind != "urlset":
        raise SourceError(
            f"sitemap {url} has a <{kind}> root, not <urlset> or <sitemapindex>; check that "
            "the URL points at a sitemap"
        )
    for number, entry in enumerate(_children(root, "url"), 1):
        _add_url(entry, number, url, links)
    return []


def _child_sitemaps(root: Any, url: str, links: LinkSet) -> list[str]:
    children: dict[str, None] = {}
    for number, entry in enumerate(_children(root, "sitemap"), 1):
        raw = _child_text(entry, "loc")
        loc = absolute_http_url(raw, url)
        if loc is None:
            links.refuse("invalid_link", f"child sitemap {number} has no http(s) <loc>: {raw!r}")
        elif loc == url:
            links.refuse("self_reference", "the index lists itself; skipped", loc)
        elif loc in children:
            links.refuse("duplicate_link", "repeats a child sitemap; kept the first", loc)
        else:
            children[loc] = None
    return list(children)


def _add_url(entry: Any, number: int, url: str, links: LinkSet) -> None:
    raw = _child_text(entry, "loc")
    loc = absolute_http_url(raw, url)
    if loc is None:
        reason = "missing_link" if not raw else "invalid_link"
        links.refuse(reason, f"<url> {number} has no http(s) <loc>: {raw!r}; skipped")
        return
    news = next(_children(entry, "news"), None)
    publication = next(_children(news, "publication"), None) if news is not None else None
    links.add(
        Link(
            url=loc,
            source_id=links.source_id,
            title=_child_text(news, "title"),
            published_at=parse_datetime(_child_text(news, "publication_date")),
            updated_at=parse_datetime(_child_text(entry, "lastmod")),
            language=_child_text(publication, "language"),
        )
    )


def _children(parent: Any, name: str) -> Any:
    return (child for child in parent if local_name(child) == name)


def _child_text(parent: Any, name: str) -> str | None:
    if parent is None:
        return None
    for child in _children(parent, name):
        text = "".join(child.itertext()).strip()
        return text or None
    return None
