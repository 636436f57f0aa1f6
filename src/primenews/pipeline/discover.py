"""Network sources -> the links they list: feeds, sitemaps (and their indexes), URL lists."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from primenews.config import Settings
from primenews.errors import FetchError, SourceError
from primenews.fetch import Fetcher
from primenews.models import ItemError, Link, Source, SourceKind
from primenews.sources import read_feed, read_sitemap, read_url_list

__all__ = ["Discovery", "discover_links"]

logger = logging.getLogger(__name__)

# how deep sitemap indexes are followed, and how many child sitemaps at most
_MAX_SITEMAP_DEPTH = 2
_MAX_CHILD_SITEMAPS = 50


@dataclass
class Discovery:
    links: list[Link] = field(default_factory=list)
    errors: list[ItemError] = field(default_factory=list)
    not_modified: bool = False
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site_url: str | None = None


async def discover_links(fetcher: Fetcher, source: Source, settings: Settings) -> Discovery:
    """The links a network source lists now (or ``not_modified`` when it answered 304).

    Raises :class:`SourceError` / :class:`FetchError` when the source itself is unusable.
    """
    if source.kind is SourceKind.PAGE:
        return Discovery(links=[Link(url=source.url, source_id=source.id)])
    if source.kind is SourceKind.URLS and not source.url.startswith(("http://", "https://")):
        return _url_list(_read_local_text(source.url), source)
    page = await fetcher.fetch(
        source.url, source_id=source.id, etag=source.etag, last_modified=source.last_modified
    )
    if page is None:
        return Discovery(not_modified=True)
    if source.kind is SourceKind.URLS:
        found = _url_list(page.body.decode("utf-8", errors="replace"), source)
    elif source.kind is SourceKind.FEED:
        feed = read_feed(
            page.body,
            url=page.url,
            source_id=source.id,
            max_items=settings.max_items_per_source,
            content_type=page.content_type,
        )
        found = Discovery(
            list(feed.links), list(feed.errors), title=feed.title, site_url=feed.site_url
        )
        _note_truncated(found, source, feed.truncated, settings)
    else:
        found = await _sitemaps(fetcher, source, page.body, page.url, settings)
    found.etag, found.last_modified = page.etag, page.last_modified
    return found


async def _sitemaps(
    fetcher: Fetcher, source: Source, body: bytes, url: str, settings: Settings
) -> Discovery:
    found = Discovery()
    queue: list[tuple[str, bytes | None, int]] = [(url, body, 0)]
    followed = 0
    while queue:
        sitemap_url, sitemap_body, depth = queue.pop(0)
        if sitemap_body is None:
            try:
                page = await fetcher.fetch(sitemap_url, source_id=source.id)
            except FetchError as exc:
                found.errors.append(
                    ItemError("source", "sitemap_unreachable", str(exc), sitemap_url, source.id)
                )
                continue
            if page is None:
                continue
            sitemap_body = page.body
        result = read_sitemap(
            sitemap_body,
            url=sitemap_url,
            source_id=source.id,
            max_items=settings.max_items_per_source,
        )
        found.links.extend(result.links)
        found.errors.extend(result.errors)
        _note_truncated(found, source, result.truncated, settings)
        for child in result.sitemaps:
            if depth + 1 > _MAX_SITEMAP_DEPTH or followed >= _MAX_CHILD_SITEMAPS:
                found.errors.append(
                    ItemError(
                        "source",
                        "sitemap_limit",
                        f"sitemap {child} not followed: more than {_MAX_CHILD_SITEMAPS} child "
                        f"sitemaps or deeper than {_MAX_SITEMAP_DEPTH} levels",
                        child,
                        source.id,
                    )
                )
                continue
            followed += 1
            queue.append((child, None, depth + 1))
    if len(found.links) > settings.max_items_per_source:
        extra = len(found.links) - settings.max_items_per_source
        found.links = found.links[: settings.max_items_per_source]
        _note_truncated(found, source, extra, settings)
    return found


def _url_list(text: str, source: Source) -> Discovery:
    links, errors = read_url_list(text, source_id=source.id)
    return Discovery(links=list(links), errors=list(errors))


def _read_local_text(location: str) -> str:
    path = Path(location.removeprefix("file://"))
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError as exc:
        raise SourceError(f"cannot read URL list {path}: {exc.strerror}") from exc


def _note_truncated(found: Discovery, source: Source, count: int, settings: Settings) -> None:
    if count > 0:
        found.errors.append(
            ItemError(
                "source",
                "truncated",
                f"{source.url} listed {count} more items than max_items_per_source="
                f"{settings.max_items_per_source}; they were not taken this time",
                source.url,
                source.id,
            )
        )
