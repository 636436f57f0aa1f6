"""Frozen dataclasses passed between the stages.

One article's way through PrimeNews::

    Source --sources/--> Link (a URL to fetch) --fetch/--> Page (bytes in hand)
           --sources/--> Page (WARC record, local HTML file)
           --sources/--> ExtractedArticle (JSON Lines of already-extracted articles)
    Page --extract/--> ExtractedArticle --store/--> Article (+ ArticleRevision when text changes)

Times are timezone-aware ``datetime`` objects in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

__all__ = [
    "Article",
    "ArticleRevision",
    "Citation",
    "Copy",
    "CopyKind",
    "Coverage",
    "ExtractedArticle",
    "FetchLogEntry",
    "ItemError",
    "Link",
    "Page",
    "PageSentence",
    "Quote",
    "Report",
    "SaveOutcome",
    "SaveResult",
    "Section",
    "Source",
    "SourceKind",
    "SourceRef",
    "Story",
    "StoryPage",
    "StoryVersion",
    "Verdict",
    "utcnow",
]


def utcnow() -> datetime:
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


class SourceKind(StrEnum):
    """What a source's ``url`` points at."""

    FEED = "feed"  # RSS 0.9x/1.0/2.0, Atom, JSON Feed
    SITEMAP = "sitemap"  # sitemap, sitemap index, Google News sitemap
    URLS = "urls"  # a plain list of page URLs (http(s) URL or local file)
    HTML = "html"  # a local HTML file or folder of them
    WARC = "warc"  # a local WARC / WARC.gz file
    JSONL = "jsonl"  # a local JSON Lines file of already-extracted articles
    PAGE = "page"  # one article page URL


@dataclass(frozen=True, slots=True)
class Source:
    """A place articles come from, with its health."""

    id: int
    kind: SourceKind
    url: str
    title: str | None = None
    site_url: str | None = None
    enabled: bool = True
    created_at: datetime | None = None
    last_checked_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    consecutive_failures: int = 0
    next_check_at: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None


@dataclass(frozen=True, slots=True)
class Link:
    """A URL to fetch, found in a source, with what the source said about it."""

    url: str
    source_id: int | None = None
    title: str | None = None
    published_at: datetime | None = None
    updated_at: datetime | None = None
    guid: str | None = None
    authors: tuple[str, ...] = ()
    language: str | None = None


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched or archived document: the raw bytes and where they came from."""

    url: str  # final URL after redirects
    body: bytes
    content_type: str | None = None  # e.g. "text/html; charset=utf-8"
    status: int = 200
    requested_url: str | None = None
    fetched_at: datetime = field(default_factory=utcnow)
    etag: str | None = None
    last_modified: str | None = None
    link: Link | None = None  # what the source said about this page, if anything

    @property
    def charset(self) -> str | None:
        """The charset named in ``content_type``, if any."""
        if not self.content_type:
            return None
        for part in self.content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip("\"' ").lower()
        return None


@dataclass(frozen=True, slots=True)
class ExtractedArticle:
    """Clean article text and metadata, not yet stored.

    ``text`` holds paragraphs separated by a blank line (``"\\n\\n"``).
    ``quality`` is in [0, 1]: how sure extraction is that this is a real article.
    ``extra`` keeps fields an importer did not map (JSONL), JSON-serialisable.
    """

    url: str
    title: str | None
    text: str
    canonical_url: str | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    lead_image: str | None = None
    description: str | None = None
    outlet: str | None = None
    quality: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def paragraphs(self) -> list[str]:
        """The text split into paragraphs."""
        return [p for p in self.text.split("\n\n") if p.strip()]


@dataclass(frozen=True, slots=True)
class Article:
    """A stored article."""

    id: int
    url: str
    canonical_url: str
    content_hash: str
    title: str | None
    text: str
    source_id: int | None = None
    authors: tuple[str, ...] = ()
    published_at: datetime | None = None
    updated_at: datetime | None = None
    fetched_at: datetime | None = None
    language: str | None = None
    site_name: str | None = None
    lead_image: str | None = None
    description: str | None = None
    outlet: str | None = None
    quality: float = 1.0
    extra: dict[str, Any] = field(default_factory=dict)
    revision: int = 1

    @property
    def paragraphs(self) -> list[str]:
        """The text split into paragraphs."""
        return [p for p in self.text.split("\n\n") if p.strip()]


@dataclass(frozen=True, slots=True)
class ArticleRevision:
    """A previous text of an article, kept when a re-fetch changed it."""

    article_id: int
    revision: int
    title: str | None
    text: str
    content_hash: str
    replaced_at: datetime


class SaveOutcome(StrEnum):
    """What saving an extracted article did."""

    NEW = "new"
    UNCHANGED = "unchanged"
    REVISED = "revised"


@dataclass(frozen=True, slots=True)
class SaveResult:
    article_id: int
    outcome: SaveOutcome


@dataclass(frozen=True, slots=True)
class FetchLogEntry:
    """One HTTP fetch (or attempt), for the fetch log."""

    url: str
    started_at: datetime
    duration_ms: int
    outcome: str  # "ok", "not_modified", or an error class name such as "HTTPStatusError"
    source_id: int | None = None
    status: int | None = None
    bytes: int = 0
    error: str | None = None


@dataclass(frozen=True, slots=True)
class ItemError:
    """An item (a URL, a record, a line) that a stage refused or failed on, with the reason."""

    stage: str  # "source", "fetch", "extract", "gate", "store"
    reason: str  # short code: "http_404", "not_an_article", "blocked_address", ...
    message: str
    url: str | None = None
    source_id: int | None = None
    created_at: datetime = field(default_factory=utcnow)


class CopyKind(StrEnum):
    """How an article copies its original."""

    EXACT = "exact"  # the same text (content hash)
    VERBATIM = "verbatim"  # a reprint: near-identical text (wire copy, syndication)
    REWRITE = "rewrite"  # the same report lightly rewritten


@dataclass(frozen=True, slots=True)
class Copy:
    """``article_id`` copies ``original_id`` (the earliest report of that text)."""

    article_id: int
    original_id: int
    kind: CopyKind
    similarity: float


@dataclass(frozen=True, slots=True)
class Story:
    """One real-world event as covered by many outlets; ``merged_into`` redirects."""

    id: int
    title: str | None
    created_at: datetime
    updated_at: datetime
    first_published_at: datetime | None = None
    last_published_at: datetime | None = None
    article_count: int = 0
    merged_into: int | None = None


# --- story pages ---------------------------------------------------------------------------
#
#     Story + its Reports --synthesize/--> StoryPage (every sentence with Citations)
#           --synthesize.gate--> Verdicts --store/--> StoryVersion (kept, never overwritten)


@dataclass(frozen=True, slots=True)
class Report:
    """One article of a story as a synthesizer sees it: the article and what it copies."""

    article: Article
    copy_of: int | None = None  # the original's article id when this report is a copy


@dataclass(frozen=True, slots=True)
class Citation:
    """A source sentence that supports a page sentence: ``article.text[start:end] == text``."""

    article_id: int
    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class PageSentence:
    """One sentence of a story page with the source sentences that support it."""

    text: str
    citations: tuple[Citation, ...] = ()


@dataclass(frozen=True, slots=True)
class Section:
    """A short section: an informative subheading over a few cited sentences."""

    heading: str
    sentences: tuple[PageSentence, ...]


@dataclass(frozen=True, slots=True)
class Quote:
    """A key quote, verbatim from a report, with who said it and where it was reported."""

    text: str
    speaker: str | None
    outlet: str | None
    citation: Citation


@dataclass(frozen=True, slots=True)
class SourceRef:
    """A report in a page's source list (originals first, then copies)."""

    article_id: int
    url: str
    title: str | None
    outlet: str | None
    language: str | None
    published_at: datetime | None
    copy_of: int | None = None


@dataclass(frozen=True, slots=True)
class Coverage:
    """Facts about who covered a story, and when."""

    outlets: tuple[str, ...]
    languages: tuple[str, ...]
    report_count: int
    independent_count: int
    copy_count: int
    first_article_id: int | None = None  # the report that broke the story
    first_outlet: str | None = None
    first_published_at: datetime | None = None
    last_published_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class StoryPage:
    """What a synthesizer writes for one story."""

    story_id: int
    headline: str
    summary: PageSentence
    sections: tuple[Section, ...]
    quotes: tuple[Quote, ...]
    coverage: Coverage
    sources: tuple[SourceRef, ...]
    backend: str  # "extractive", "llm:<model>", ...


@dataclass(frozen=True, slots=True)
class Verdict:
    """One finding of the publish gate.

    ``target`` names the part of the page: ``headline``, ``summary``, ``section:2:heading``,
    ``section:2:sentence:0``, ``quote:1`` or, for plain text, ``line:14``. ``reject`` verdicts
    stop a page from being published; the others are advice.
    """

    check: str  # "truncated", "headline_fragment", "markup", "boilerplate", "duplicate", ...
    target: str
    text: str
    message: str
    reject: bool = True


@dataclass(frozen=True, slots=True)
class StoryVersion:
    """One written version of a story page; earlier versions are kept."""

    story_id: int
    version: int
    page: StoryPage
    article_ids: tuple[int, ...]  # the reports the page was written from
    created_at: datetime
    published: bool  # the gate passed it
    verdicts: tuple[Verdict, ...] = ()
    whats_new: str | None = None
