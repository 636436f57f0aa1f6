"""The JSON API under ``/api/v1``: stories, their versions with cited sentences, reports, sources.

Every answer is a pydantic model (so ``/openapi.json`` documents it), serialised once per
store generation into the page cache and sent with an ``ETag`` and ``Cache-Control``; a
request whose ``If-None-Match`` matches gets ``304 Not Modified``. Lists page with an opaque
cursor (``?cursor=``): the body's ``next`` and a ``Link: <...>; rel="next"`` header give the
next page; a cursor the API did not give is answered ``400``. Errors are RFC 9457 problem
details (``application/problem+json``).

Only published versions are shown: a version the publish gate held is not public.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request, Response
from pydantic import BaseModel

from primenews.config import Settings
from primenews.errors import StoreError
from primenews.models import StoryVersion
from primenews.store import Store
from primenews.store.web import StoryListing
from primenews.synthesize.render import safe_url
from primenews.web.api_models import (
    ArticleList,
    ArticleOut,
    Problem,
    SearchHit,
    SearchResults,
    SourceList,
    SourceOut,
    StoryDetail,
    StoryList,
    StoryOut,
    VersionDetail,
    VersionList,
    VersionOut,
    article_out,
    source_out,
    version_detail,
)
from primenews.web.cache import CachedBody, conditional_response, make_body
from primenews.web.seo import story_url, version_url
from primenews.web.state import app_cache, app_settings, app_store, request_key

__all__ = ["API_PREFIX", "decode_cursor", "encode_cursor", "router"]

API_PREFIX = "/api/v1"
MAX_LIMIT = 100
LIST_MAX_AGE = 60  # seconds a list may be reused by a client or proxy
ITEM_MAX_AGE = 300
VERSION_MAX_AGE = 86_400  # a stored version never changes

_JSON = "application/json"
_PROBLEM = "application/problem+json"
# "model" registers the Problem schema; the problem+json content names it
_PROBLEM_CONTENT = {_PROBLEM: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "No such item.", "content": _PROBLEM_CONTENT},
}
_STORY_ERRORS: dict[int | str, dict[str, Any]] = {
    **_ERRORS,
    301: {
        "model": Problem,
        "description": "The story was merged into another; `Location` is the story it joined.",
        "content": _PROBLEM_CONTENT,
        "headers": {
            "Location": {"description": "The story's address now.", "schema": {"type": "string"}}
        },
    },
}
_LIST_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {
        "model": Problem,
        "description": "A cursor this API did not give.",
        "content": _PROBLEM_CONTENT,
    },
}

router = APIRouter(prefix=API_PREFIX, tags=["api"])

Limit = Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Cursor = Annotated[
    str | None, Query(max_length=200, description="The cursor of the `next` link given.")
]
Build = Callable[[Store, Settings], CachedBody]
# ids are positive and fit the databases' 64-bit integers (a larger one is a 422, not a 500)
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


class BadCursor(ValueError):
    """A cursor the API did not give."""


def _json(model: BaseModel) -> CachedBody:
    return make_body(model.model_dump_json(), _JSON)


def _problem(status: int, title: str, detail: str) -> CachedBody:
    problem = Problem(title=title, status=status, detail=detail)
    return make_body(problem.model_dump_json(), _PROBLEM, status=status)


def _not_found(what: str) -> CachedBody:
    return _problem(404, "Not Found", f"{what} does not exist or is not published.")


def _merged(store: Store, settings: Settings, story_id: int, suffix: str = "") -> CachedBody | None:
    """A redirect to the story ``story_id`` was merged into, or None when it was not merged."""
    live = store.resolve_story_id(story_id)
    if live is None or live == story_id:
        return None
    location = _api_url(settings, f"/stories/{live}{suffix}")
    problem = Problem(
        title="Moved Permanently",
        status=301,
        detail=f"story {story_id} was merged into story {live}.",
    )
    return make_body(
        problem.model_dump_json(), _PROBLEM, status=301, headers=(("Location", location),)
    )


def _bad_cursor(token: str | None) -> CachedBody:
    return _problem(400, "Bad Request", f"cursor {token!r} is not one this API gave; drop it.")


def _answer(request: Request, build: Build, max_age: int, *, paged: bool = False) -> Response:
    """The cached answer to this request (built by ``build`` once per store generation)."""
    store, settings = app_store(request), app_settings(request)
    body = app_cache(request).cached(request_key(request), lambda: build(store, settings))
    extra = None
    if paged and body.status == 200:
        link = json.loads(body.body).get("next")
        extra = {"Link": f'<{link}>; rel="next"'} if link else None
    return conditional_response(request, body, max_age, extra=extra)


def encode_cursor(cursor: str | None) -> str | None:
    """The store's cursor as an opaque URL-safe token."""
    if cursor is None:
        return None
    return base64.urlsafe_b64encode(cursor.encode()).decode().rstrip("=")


def decode_cursor(token: str | None) -> str | None:
    """The store's cursor from a token :func:`encode_cursor` gave; :class:`BadCursor` else."""
    if not token:
        return None
    try:
        cursor = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise BadCursor(token) from exc
    head, sep, tail = cursor.rpartition(":")
    if not sep or not head or not tail.isdigit() or encode_cursor(cursor) != token.rstrip("="):
        raise BadCursor(token)
    return cursor


def _next_url(request: Request, settings: Settings, cursor: str | None) -> str | None:
    """This request's URL with the next page's cursor, or None on the last page."""
    token = encode_cursor(cursor)
    if token is None:
        return None
    query = request.url.include_query_params(cursor=token).query
    return f"{settings.site_url}{request.url.path}?{query}"


def _api_url(settings: Settings, path: str) -> str:
    return f"{settings.site_url}{API_PREFIX}{path}"


# --- stories -------------------------------------------------------------------------------


def _story_out(settings: Settings, version: StoryVersion, topic: str | None) -> StoryOut:
    page = version.page
    return StoryOut(
        id=version.story_id,
        url=story_url(settings, version.story_id),
        api_url=_api_url(settings, f"/stories/{version.story_id}"),
        headline=page.headline,
        summary=page.summary.text,
        version=version.version,
        updated_at=version.created_at,
        topic=topic,
        outlets=list(page.coverage.outlets),
        languages=list(page.coverage.languages),
        report_count=page.coverage.report_count,
        independent_count=page.coverage.independent_count,
    )


def _listing_out(settings: Settings, listing: StoryListing) -> StoryOut:
    return _story_out(settings, listing.version, listing.topic)


@router.get("/stories", response_model=StoryList, responses=_LIST_ERRORS)
def list_stories(
    request: Request,
    cursor: Cursor = None,
    limit: Limit = None,
    topic: Annotated[str | None, Query(max_length=40)] = None,
) -> Response:
    """Top stories, best first (breadth of independent coverage, then recency)."""

    def build(store: Store, settings: Settings) -> CachedBody:
        try:
            found = store.top_stories(
                limit or settings.site_page_size, decode_cursor(cursor), topic
            )
        except (BadCursor, StoreError):
            return _bad_cursor(cursor)
        items = [_listing_out(settings, x) for x in found.items]
        return _json(StoryList(items=items, next=_next_url(request, settings, found.next_cursor)))

    return _answer(request, build, LIST_MAX_AGE, paged=True)


def _published(store: Store, story_id: int, version: int | None = None) -> StoryVersion | None:
    if version is None:
        return store.latest_story_version(story_id, published_only=True)
    found = store.get_story_version(story_id, version)
    return found if found is not None and found.published else None


@router.get("/stories/{story_id}", response_model=StoryDetail, responses=_STORY_ERRORS)
def get_story(request: Request, story_id: Id) -> Response:
    """A story with its latest published version: every sentence with its citations.

    A story merged into another answers 301 with the other story's address.
    """

    def build(store: Store, settings: Settings) -> CachedBody:
        moved = _merged(store, settings, story_id)
        if moved is not None:
            return moved
        version = _published(store, story_id)
        if version is None:
            return _not_found(f"story {story_id}")
        topic = store.version_topic(story_id, version.version)
        story = _story_out(settings, version, topic)
        return _json(StoryDetail(story=story, latest=version_detail(version)))

    return _answer(request, build, ITEM_MAX_AGE)


@router.get("/stories/{story_id}/versions", response_model=VersionList, responses=_STORY_ERRORS)
def list_versions(request: Request, story_id: Id) -> Response:
    """Every published version of a story, oldest first, with what each one added.

    A story merged into another answers 301 with the other story's versions' address; the
    versions it published before the merge stay at their own addresses.
    """

    def build(store: Store, settings: Settings) -> CachedBody:
        moved = _merged(store, settings, story_id, "/versions")
        if moved is not None:
            return moved
        versions = [v for v in store.story_versions(story_id) if v.published]
        if not versions:
            return _not_found(f"story {story_id}")
        items = [
            VersionOut(
                story_id=story_id,
                version=v.version,
                created_at=v.created_at,
                headline=v.page.headline,
                whats_new=v.whats_new,
                url=version_url(settings, story_id, v.version),
                api_url=_api_url(settings, f"/stories/{story_id}/versions/{v.version}"),
            )
            for v in versions
        ]
        return _json(VersionList(items=items))

    return _answer(request, build, LIST_MAX_AGE)


@router.get(
    "/stories/{story_id}/versions/{version}", response_model=VersionDetail, responses=_ERRORS
)
def get_version(request: Request, story_id: Id, version: Id) -> Response:
    """One published version: sentences, citations (offsets into the report), verdicts."""

    def build(store: Store, settings: Settings) -> CachedBody:
        found = _published(store, story_id, version)
        if found is None:
            return _not_found(f"version {version} of story {story_id}")
        return _json(version_detail(found))

    return _answer(request, build, VERSION_MAX_AGE)


# --- articles and sources ------------------------------------------------------------------


@router.get("/articles/{article_id}", response_model=ArticleOut, responses=_ERRORS)
def get_article(request: Request, article_id: Id) -> Response:
    """A source report: its text, the story it joined and the report it copies."""

    def build(store: Store, settings: Settings) -> CachedBody:
        article = store.get_article(article_id)
        if article is None:
            return _not_found(f"article {article_id}")
        copy = store.copy_of(article_id)
        original = copy.original_id if copy else None
        return _json(article_out(article, story_id=store.story_of(article_id), copy_of=original))

    return _answer(request, build, ITEM_MAX_AGE)


@router.get(
    "/sources/{source_id}/articles",
    response_model=ArticleList,
    responses={**_ERRORS, **_LIST_ERRORS},
)
def list_source_articles(
    request: Request, source_id: Id, cursor: Cursor = None, limit: Limit = None
) -> Response:
    """A source's reports, newest first, with the story each joined."""

    def build(store: Store, settings: Settings) -> CachedBody:
        if store.get_source(source_id) is None:
            return _not_found(f"source {source_id}")
        try:
            found = store.source_reports(
                source_id, limit or settings.site_page_size, decode_cursor(cursor)
            )
        except (ValueError, StoreError):  # BadCursor; the store's date parse of a forged one
            return _bad_cursor(cursor)
        items = [
            article_out(r.article, story_id=r.story_id, copy_of=r.copy_of) for r in found.items
        ]
        next_url = _next_url(request, settings, found.next_cursor)
        return _json(ArticleList(items=items, next=next_url))

    return _answer(request, build, LIST_MAX_AGE, paged=True)


@router.get("/sources", response_model=SourceList)
def list_sources(request: Request) -> Response:
    """Every source with its health."""

    def build(store: Store, settings: Settings) -> CachedBody:
        return _json(SourceList(items=[source_out(s) for s in store.list_sources()]))

    return _answer(request, build, LIST_MAX_AGE)


@router.get("/sources/{source_id}", response_model=SourceOut, responses=_ERRORS)
def get_source(request: Request, source_id: Id) -> Response:
    """One source with its health."""

    def build(store: Store, settings: Settings) -> CachedBody:
        source = store.get_source(source_id)
        if source is None:
            return _not_found(f"source {source_id}")
        return _json(source_out(source))

    return _answer(request, build, LIST_MAX_AGE)


# --- search --------------------------------------------------------------------------------


@router.get("/search", response_model=SearchResults)
def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Words to find.")],
    limit: Limit = None,
) -> Response:
    """Stories (their latest published page) and reports containing every word of ``q``."""

    def build(store: Store, settings: Settings) -> CachedBody:
        found = store.search(q, limit or settings.site_page_size)
        stories = [
            SearchHit(
                kind="story",
                id=s.story_id,
                title=s.headline,
                snippet=s.summary,
                url=story_url(settings, s.story_id),
                api_url=_api_url(settings, f"/stories/{s.story_id}"),
            )
            for s in found.stories
        ]
        articles = [
            SearchHit(
                kind="article",
                id=a.article.id,
                title=a.article.title or "",
                snippet=_snippet(a.article.text, found.terms),
                url=safe_url(a.article.canonical_url)
                or _api_url(settings, f"/articles/{a.article.id}"),
                api_url=_api_url(settings, f"/articles/{a.article.id}"),
            )
            for a in found.articles
        ]
        return _json(SearchResults(query=q, items=stories + articles))

    return _answer(request, build, LIST_MAX_AGE)


def _snippet(text: str, terms: tuple[str, ...], width: int = 160) -> str:
    """Plain text around the first of ``terms`` found in ``text``."""
    folded = text.casefold()
    at = min((i for i in (folded.find(t) for t in terms) if i >= 0), default=0)
    start = max(0, at - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")
