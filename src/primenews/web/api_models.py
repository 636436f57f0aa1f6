"""The JSON API's response models: what ``/openapi.json`` documents and every answer follows.

Built from the stage models (``Article``, ``Source``, ``StoryVersion``); a version's sentences
and citations come from :func:`primenews.synthesize.render.version_json`, the one serializer
of a page version, so the API and ``primenews render --format json`` never disagree.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field

from primenews.models import Article, Source, SourceKind, StoryVersion
from primenews.synthesize.render import safe_url, version_json

__all__ = [
    "ArticleList",
    "ArticleOut",
    "CitationOut",
    "Problem",
    "SearchHit",
    "SearchResults",
    "SentenceOut",
    "SourceList",
    "SourceOut",
    "StoryDetail",
    "StoryList",
    "StoryOut",
    "VerdictOut",
    "VersionDetail",
    "VersionList",
    "VersionOut",
    "article_out",
    "source_out",
    "version_detail",
]


class Problem(BaseModel):
    """An error, as RFC 9457 problem details."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str


class StoryOut(BaseModel):
    """A story in a list: its latest published version in brief."""

    id: int
    url: str = Field(description="The story's page on this site.")
    api_url: str
    headline: str
    summary: str
    version: int
    updated_at: datetime = Field(description="When the latest published version was written.")
    topic: str | None = None
    outlets: list[str]
    languages: list[str]
    report_count: int
    independent_count: int


class StoryList(BaseModel):
    items: list[StoryOut]
    next: str | None = Field(None, description="The URL of the next page; null on the last.")


class CitationOut(BaseModel):
    """A source sentence: ``article.text[start:end] == text``."""

    source: int | None = Field(description="Position (from 1) in the page's source list.")
    article_id: int
    start: int
    end: int
    text: str


class VerdictOut(BaseModel):
    check: str
    target: str
    text: str
    message: str
    reject: bool
    on_page: bool | None = None


class SentenceOut(BaseModel):
    target: str = Field(description="summary or section:I:sentence:J")
    text: str
    citations: list[CitationOut]
    verdicts: list[VerdictOut]


class VersionOut(BaseModel):
    """A version in a story's version list."""

    story_id: int
    version: int
    created_at: datetime
    headline: str
    whats_new: str | None
    url: str
    api_url: str


class VersionList(BaseModel):
    items: list[VersionOut]


class VersionDetail(BaseModel):
    """One published version: every sentence with its citations, the gate's verdicts, the page."""

    story_id: int
    version: int
    created_at: datetime
    published: bool
    backend: str
    whats_new: str | None
    article_ids: list[int]
    headline: str
    sentences: list[SentenceOut]
    verdicts: list[VerdictOut]
    page: dict[str, Any] = Field(description="The whole stored page (sections, quotes, sources).")


class StoryDetail(BaseModel):
    story: StoryOut
    latest: VersionDetail


class ArticleOut(BaseModel):
    """A source report, with the story it joined and the report it copies, if any."""

    id: int
    url: str | None
    canonical_url: str | None
    title: str | None
    text: str
    outlet: str | None
    site_name: str | None
    language: str | None
    authors: list[str]
    published_at: datetime | None
    source_id: int | None
    story_id: int | None = None
    copy_of: int | None = None


class ArticleList(BaseModel):
    items: list[ArticleOut]
    next: str | None = None


class SourceOut(BaseModel):
    """A source and its health: when it was last checked, and how it failed, if it did."""

    id: int
    kind: str
    url: str | None = Field(description="The feed or sitemap URL; null for local files.")
    title: str | None
    site_url: str | None
    enabled: bool
    last_checked_at: datetime | None
    last_success_at: datetime | None
    last_error_at: datetime | None
    last_error: str | None
    consecutive_failures: int
    healthy: bool


class SourceList(BaseModel):
    items: list[SourceOut]


class SearchHit(BaseModel):
    kind: str = Field(description="story or article")
    id: int
    title: str
    snippet: str = Field(description="Plain text around the match; no markup.")
    url: str
    api_url: str


class SearchResults(BaseModel):
    query: str
    items: list[SearchHit]


_REMOTE_KINDS = {SourceKind.FEED, SourceKind.SITEMAP, SourceKind.URLS, SourceKind.PAGE}


def source_out(source: Source) -> SourceOut:
    """A source for the API; a local file's path is never shown."""
    remote = source.kind in _REMOTE_KINDS and safe_url(source.url) is not None
    return SourceOut(
        id=source.id,
        kind=source.kind.value,
        url=source.url if remote else None,
        title=source.title,
        site_url=safe_url(source.site_url),
        enabled=source.enabled,
        last_checked_at=source.last_checked_at,
        last_success_at=source.last_success_at,
        last_error_at=source.last_error_at,
        last_error=source.last_error,
        consecutive_failures=source.consecutive_failures,
        healthy=source.enabled and source.consecutive_failures == 0,
    )


def article_out(
    article: Article, *, story_id: int | None = None, copy_of: int | None = None
) -> ArticleOut:
    return ArticleOut(
        id=article.id,
        url=safe_url(article.url),
        canonical_url=safe_url(article.canonical_url),
        title=article.title,
        text=article.text,
        outlet=article.outlet,
        site_name=article.site_name,
        language=article.language,
        authors=list(article.authors),
        published_at=article.published_at,
        source_id=article.source_id,
        story_id=story_id,
        copy_of=copy_of,
    )


def version_detail(version: StoryVersion) -> VersionDetail:
    """The version as :func:`version_json` writes it, validated against the model."""
    return VersionDetail.model_validate(version_json(version))
