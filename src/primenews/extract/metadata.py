"""Article metadata read from the parsed page: meta tags, Open Graph, JSON-LD, <title>.

One pass over ``<meta>`` and ``<link>`` elements plus the JSON-LD blocks; no network, no
heavy date guessing. Dates come back timezone-aware in UTC; URLs come back absolute.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin

__all__ = ["PageMetadata", "normalize_language", "parse_date", "read_metadata"]

logger = logging.getLogger(__name__)

ARTICLE_TYPES = {
    "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "scholarlyarticle",
    "techarticle", "report", "liveblogposting", "posting", "socialmediaposting", "webpage",
}  # fmt: skip
PUBLISHED_KEYS = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "date", "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date",
    "article.published", "published_time", "publish-date", "cxenseparse:recs:publishtime",
)  # fmt: skip
UPDATED_KEYS = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified")
AUTHOR_KEYS = ("author", "article:author", "sailthru.author", "parsely-author", "dc.creator")
_BY = re.compile(r"^\s*(by|von|par|por|di|door)\s+", re.IGNORECASE)
_AUTHOR_SPLIT = re.compile(r"\s*(?:;|\||,|\band\b|\bund\b|\bet\b|&)\s*")
_LANG = re.compile(r"^[a-zA-Z]{2,3}(?:[-_][a-zA-Z0-9]{2,8})*$")


@dataclass(frozen=True, slots=True)
class PageMetadata:
    """What the page says about itself."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    canonical_url: str | None = None
    lead_image: str | None = None
    description: str | None = None
    page_type: str | None = None  # og:type or the JSON-LD @type, lower case


def read_metadata(tree: Any, url: str | None) -> PageMetadata:
    """Read title, authors, dates, language, site name, canonical URL, image, description."""
    meta = _meta_values(tree)
    ld = _json_ld_article(tree)
    publisher = _ld_name(ld.get("publisher"))
    site_name = _first(meta.get("og:site_name"), meta.get("application-name"), publisher)
    published = [ld.get("datePublished"), *(meta.get(k) for k in PUBLISHED_KEYS)]
    updated = [ld.get("dateModified"), *(meta.get(k) for k in UPDATED_KEYS)]
    image = _first(
        meta.get("og:image"),
        meta.get("og:image:url"),
        meta.get("twitter:image"),
        _ld_image(ld.get("image")),
    )
    description = _first(
        meta.get("og:description"), meta.get("description"), meta.get("twitter:description")
    )
    return PageMetadata(
        title=_title(tree, meta, ld, site_name),
        authors=_authors(tree, meta, ld),
        published_at=_first_date(published, tree),
        updated_at=_first_date(updated, None),
        language=_language(tree, meta, ld),
        site_name=site_name,
        canonical_url=_absolute(url, _canonical(tree) or meta.get("og:url")),
        lead_image=_absolute(url, image),
        description=description,
        page_type=_first(_ld_type(ld), meta.get("og:type")),
    )


def parse_date(value: str | None) -> datetime | None:
    """An ISO 8601 or RFC 2822 date as an aware UTC datetime (naive times are taken as UTC)."""
    if not value:
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00").replace(" ", "T", 1))
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            parsed = _parse_loose(text)
    if parsed is None or not 1990 <= parsed.year <= 2100:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def normalize_language(value: str | None) -> str | None:
    """'en-US' / 'en_GB' / 'EN' -> 'en'; anything that is not a language tag -> None."""
    if not value:
        return None
    text = value.strip().split(",")[0].strip()
    if not _LANG.match(text):
        return None
    return text.replace("_", "-").split("-")[0].lower()


def _meta_values(tree: Any) -> dict[str, str]:
    values: dict[str, str] = {}
    for element in tree.iter("meta"):
        key = element.get("property") or element.get("name") or element.get("itemprop")
        key = key or element.get("http-equiv")
        content = element.get("content")
        if key and content and content.strip():
            values.setdefault(key.strip().lower(), content.strip())
    return values


def _json_ld_article(tree: Any) -> dict[str, Any]:
    for element in tree.iter("script"):
        if (element.get("type") or "").strip().lower() != "application/ld+json":
            continue
        try:
            data = json.loads(element.text or "")
        except (ValueError, RecursionError):
            continue
        for item in _ld_items(data):
            if _ld_type(item) in ARTICLE_TYPES and (
                item.get("headline") or item.get("datePublished")
            ):
                return item
    return {}


def _ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _ld_items(entry)
    elif isinstance(data, dict):
        yield data
        if "@graph" in data:
            yield from _ld_items(data["@graph"])


def _ld_type(item: dict[str, Any]) -> str | None:
    kind = item.get("@type")
    if isinstance(kind, list):
        kind = kind[0] if kind else None
    return kind.lower() if isinstance(kind, str) else None


def _ld_name(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("name")
    return value.strip() if isinstance(value, str) and value.strip() else None


def _ld_image(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, dict):
        value = value.get("url") or value.get("contentUrl")
    return value if isinstance(value, str) and value.strip() else None


def _title(tree: Any, meta: dict[str, str], ld: dict[str, Any], site: str | None) -> str | None:
    headline = ld.get("headline") if isinstance(ld.get("headline"), str) else None
    h1 = [_text(e) for e in tree.iter("h1")]
    title = _first(
        meta.get("og:title"), meta.get("twitter:title"), headline, h1[0] if len(h1) == 1 else None
    )
    if title is None:
        page_title = next((_text(e) for e in tree.iter("title")), None)
        title = _strip_site(page_title, site)
    return title


def _strip_site(title: str | None, site: str | None) -> str | None:
    if not title:
        return None
    for sep in (" | ", " - ", " – ", " — ", " :: "):
        head, found, tail = title.rpartition(sep)
        if found and head and (site is None or site.lower() in tail.lower() or len(tail) < 30):
            return head.strip()
    return title


def _authors(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> tuple[str, ...]:
    raw: list[str] = []
    author = ld.get("author")
    for entry in author if isinstance(author, list) else [author]:
        name = _ld_name(entry)
        if name:
            raw.append(name)
    if not raw:
        raw = [meta[k] for k in AUTHOR_KEYS if k in meta and "://" not in meta[k]][:1]
    if not raw:
        raw = [_text(e) for e in tree.xpath("//*[@rel='author' or @itemprop='author']")][:3]
    names: list[str] = []
    for value in raw:
        for name in _AUTHOR_SPLIT.split(_BY.sub("", value)):
            name = name.strip(" .,")
            if 2 <= len(name) <= 80 and name not in names:
                names.append(name)
    return tuple(names[:10])


def _first_date(values: list[Any], tree: Any | None) -> datetime | None:
    for value in values:
        parsed = parse_date(value) if isinstance(value, str) else None
        if parsed:
            return parsed
    if tree is not None:
        for element in tree.xpath("//time[@datetime]")[:3]:
            parsed = parse_date(element.get("datetime"))
            if parsed:
                return parsed
    return None


def _language(tree: Any, meta: dict[str, str], ld: dict[str, Any]) -> str | None:
    in_language = ld.get("inLanguage") if isinstance(ld.get("inLanguage"), str) else None
    declared = _first(
        tree.get("lang"),
        tree.get("xml:lang"),
        meta.get("content-language"),
        in_language,
        meta.get("og:locale"),
    )
    return normalize_language(declared)


def _canonical(tree: Any) -> str | None:
    for element in tree.iter("link"):
        if "canonical" in (element.get("rel") or "").lower().split() and element.get("href"):
            href: str = element.get("href").strip()
            return href
    return None


def _absolute(base: str | None, href: str | None) -> str | None:
    if not href:
        return None
    href = href.strip()
    absolute = urljoin(base, href) if base else href
    return absolute if absolute.startswith(("http://", "https://")) else None


def _first(*values: str | None) -> str | None:
    for value in values:
        if value and value.strip():
            return " ".join(value.split())
    return None


def _text(element: Any) -> str:
    return " ".join((element.text_content() or "").split())


_LOOSE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def _parse_loose(text: str) -> datetime | None:
    match = _LOOSE.search(text)
    if not match:
        return None
    try:
        return datetime(int(match[1]), int(match[2]), int(match[3]), tzinfo=UTC)
    except ValueError:
        return None
