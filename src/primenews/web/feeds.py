"""Atom, RSS 2.0 and JSON Feed 1.1 of the site's stories.

Three kinds of feed, each in three formats:

- top stories (``/feed.atom``, ``/feed.rss``, ``/feed.json``): one entry per story, its latest
  published version; the entry id is the story's and stays put while its page is rewritten,
  so a reader updates the entry instead of showing it twice;
- one topic (``/topics/{topic}/feed.*``): the same, for the stories of one topic;
- one story (``/stories/{id}/feed.*``): one entry per published version, with its "What's
  new" line, so a reader follows how the story developed.

Atom and RSS are serialised by feedgen and JSON Feed by ``json``: never string templates.
Every URL is absolute, from ``settings.site_url``. Entry ids are ``tag:`` URIs (RFC 4151):
``tag:HOST,2026:story/7`` and ``tag:HOST,2026:story/7/version/2``. Text from reports can
hold anything; characters XML cannot carry are dropped, and entries carry plain text only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from feedgen.feed import FeedGenerator

from primenews.config import Settings
from primenews.models import StoryVersion
from primenews.store import Store
from primenews.web.cache import CachedBody, make_body
from primenews.web.seo import site_host, story_url, version_url, xml_text
from primenews.web.state import app_settings, app_store, cached_response, request_key

__all__ = [
    "FeedEntry",
    "FeedFormat",
    "FeedInfo",
    "render_feed",
    "router",
    "story_entry",
    "version_entry",
]

JSON_FEED_VERSION = "https://jsonfeed.org/version/1.1"
_TAG_YEAR = "2026"  # the year in every tag: URI; never changes, so entry ids stay stable
_EPOCH = datetime.fromisoformat("2026-01-01T00:00:00+00:00")  # "updated" of an empty feed


class FeedFormat(StrEnum):
    """A feed format, named by its file extension."""

    ATOM = "atom"
    RSS = "rss"
    JSON = "json"

    @property
    def media_type(self) -> str:
        return {
            FeedFormat.ATOM: "application/atom+xml; charset=utf-8",
            FeedFormat.RSS: "application/rss+xml; charset=utf-8",
            FeedFormat.JSON: "application/feed+json; charset=utf-8",
        }[self]


@dataclass(frozen=True, slots=True)
class FeedInfo:
    """The feed itself: its title, where it lives (without extension) and the page it follows."""

    title: str
    description: str
    path: str  # e.g. "/feed" or "/stories/7/feed": ".atom", ".rss", ".json" are added
    home_url: str  # the HTML page the feed follows (absolute)
    language: str | None = None  # a story's language; the site's feeds mix languages


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One entry, in plain text."""

    id: str
    url: str
    title: str
    summary: str
    published: datetime
    updated: datetime
    tags: tuple[str, ...] = ()
    language: str | None = None


def _tag(settings: Settings, specific: str) -> str:
    return f"tag:{site_host(settings)},{_TAG_YEAR}:{specific}"


def story_entry(
    version: StoryVersion,
    settings: Settings,
    *,
    topic: str | None = None,
    first_published: datetime | None = None,
) -> FeedEntry:
    """The entry of a story in a list of stories: its latest published version."""
    page = version.page
    return FeedEntry(
        id=_tag(settings, f"story/{version.story_id}"),
        url=story_url(settings, version.story_id),
        title=xml_text(page.headline),
        summary=xml_text(page.summary.text),
        published=first_published or version.created_at,
        updated=version.created_at,
        tags=(topic,) if topic else (),
        language=page.coverage.languages[0] if page.coverage.languages else None,
    )


def version_entry(version: StoryVersion, settings: Settings) -> FeedEntry:
    """The entry of one version in a story's own feed: what is new, then the summary."""
    page = version.page
    new = f"What's new: {version.whats_new} " if version.whats_new else ""
    return FeedEntry(
        id=_tag(settings, f"story/{version.story_id}/version/{version.version}"),
        url=version_url(settings, version.story_id, version.version),
        title=xml_text(f"{page.headline} (version {version.version})"),
        summary=xml_text(new + page.summary.text),
        published=version.created_at,
        updated=version.created_at,
        language=page.coverage.languages[0] if page.coverage.languages else None,
    )


def render_feed(
    fmt: FeedFormat, info: FeedInfo, entries: Sequence[FeedEntry], settings: Settings
) -> bytes:
    """The feed as bytes in ``fmt``; entries in the order given (newest first, by convention)."""
    if fmt is FeedFormat.JSON:
        return _json_feed(info, entries, settings)
    generator = _generator(fmt, info, entries, settings)
    if fmt is FeedFormat.ATOM:
        return bytes(generator.atom_str(pretty=False))
    return bytes(generator.rss_str(pretty=False))


def _feed_url(info: FeedInfo, settings: Settings, fmt: FeedFormat) -> str:
    return f"{settings.site_url}{info.path}.{fmt.value}"


def _generator(
    fmt: FeedFormat, info: FeedInfo, entries: Sequence[FeedEntry], settings: Settings
) -> Any:
    generator = FeedGenerator()
    generator.id(_feed_url(info, settings, FeedFormat.ATOM))
    generator.title(xml_text(info.title))
    generator.subtitle(xml_text(info.description))  # RSS <description> too
    # feedgen's RSS <link> is the last link set: the page the feed follows goes last
    generator.link(href=_feed_url(info, settings, fmt), rel="self")
    generator.link(href=info.home_url, rel="alternate")
    generator.author({"name": xml_text(settings.site_name), "uri": settings.site_url})
    generator.generator(xml_text(settings.site_name), uri=settings.site_url)
    if info.language:
        generator.language(info.language)
    generator.updated(max((e.updated for e in entries), default=None) or _EPOCH)
    for entry in entries:
        _add_entry(generator, entry)
    return generator


def _add_entry(generator: Any, entry: FeedEntry) -> None:
    item = generator.add_entry(order="append")
    item.id(entry.id)
    item.guid(entry.id, permalink=False)
    item.title(xml_text(entry.title))
    item.link(href=entry.url, rel="alternate")
    item.summary(xml_text(entry.summary))
    item.published(entry.published)
    item.updated(entry.updated)
    for tag in entry.tags:
        item.category(term=xml_text(tag))


def _json_feed(info: FeedInfo, entries: Sequence[FeedEntry], settings: Settings) -> bytes:
    data: dict[str, Any] = {
        "version": JSON_FEED_VERSION,
        "title": xml_text(info.title),
        "home_page_url": info.home_url,
        "feed_url": _feed_url(info, settings, FeedFormat.JSON),
        "description": xml_text(info.description),
        "authors": [{"name": xml_text(settings.site_name), "url": settings.site_url}],
        "items": [_json_item(e) for e in entries],
    }
    if info.language:
        data["language"] = info.language
    return json.dumps(data, ensure_ascii=False, indent=1).encode()


def _json_item(entry: FeedEntry) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.url,
        "title": xml_text(entry.title),
        "content_text": xml_text(entry.summary),
        "summary": xml_text(entry.summary),
        "date_published": entry.published.isoformat(),
        "date_modified": entry.updated.isoformat(),
    }
    if entry.tags:
        item["tags"] = list(entry.tags)
    if entry.language:
        item["language"] = entry.language
    return item


# --- routes --------------------------------------------------------------------------------

router = APIRouter(include_in_schema=False)

FEED_MAX_AGE = 300
_TOPIC = re.compile(r"^[a-z][a-z-]{0,39}$")
Build = Callable[[Store, Settings], CachedBody]


def _answer(request: Request, build: Build) -> Response:
    """The cached feed for this request (built once per store generation)."""
    store, settings = app_store(request), app_settings(request)
    return cached_response(
        request, request_key(request), lambda: build(store, settings), FEED_MAX_AGE
    )


def _not_found(detail: str) -> CachedBody:
    return make_body(detail + "\n", "text/plain; charset=utf-8", status=404)


def _listing_entries(store: Store, settings: Settings, topic: str | None) -> list[FeedEntry]:
    found = store.top_stories(settings.site_page_size, None, topic)
    return [story_entry(x.version, settings, topic=x.topic) for x in found.items]


@router.get("/feed.{fmt}")
def top_feed(request: Request, fmt: FeedFormat) -> Response:
    """The top stories: one entry per story, its latest published version."""

    def build(store: Store, settings: Settings) -> CachedBody:
        info = FeedInfo(
            title=settings.site_name,
            description=f"Top stories on {settings.site_name}, every sentence cited.",
            path="/feed",
            home_url=f"{settings.site_url}/",
        )
        entries = _listing_entries(store, settings, None)
        return make_body(render_feed(fmt, info, entries, settings), fmt.media_type)

    return _answer(request, build)


@router.get("/topics/{topic}/feed.{fmt}")
def topic_feed(request: Request, topic: str, fmt: FeedFormat) -> Response:
    """The top stories of one topic."""

    def build(store: Store, settings: Settings) -> CachedBody:
        if not _TOPIC.match(topic) or topic not in dict(store.top_stories(1).topics):
            return _not_found(f"no stories in topic {topic!r}")
        info = FeedInfo(
            title=f"{settings.site_name}: {topic}",
            description=f"Top {topic} stories on {settings.site_name}.",
            path=f"/topics/{topic}/feed",
            home_url=f"{settings.site_url}/topics/{topic}",
        )
        entries = _listing_entries(store, settings, topic)
        return make_body(render_feed(fmt, info, entries, settings), fmt.media_type)

    return _answer(request, build)


@router.get("/stories/{story_id}/feed.{fmt}")
def story_feed(
    request: Request, story_id: Annotated[int, Path(ge=1, le=2**63 - 1)], fmt: FeedFormat
) -> Response:
    """One story: an entry per published version, newest first, with what each one added."""

    def build(store: Store, settings: Settings) -> CachedBody:
        versions = [v for v in store.story_versions(story_id) if v.published]
        if not versions:
            return _not_found(f"story {story_id} has no published page")
        page = versions[-1].page
        info = FeedInfo(
            title=f"{xml_text(page.headline)} — {settings.site_name}",
            description=f"Every new version of this story on {settings.site_name}.",
            path=f"/stories/{story_id}/feed",
            home_url=story_url(settings, story_id),
            language=page.coverage.languages[0] if page.coverage.languages else None,
        )
        entries = [version_entry(v, settings) for v in reversed(versions)]
        return make_body(render_feed(fmt, info, entries, settings), fmt.media_type)

    return _answer(request, build)
