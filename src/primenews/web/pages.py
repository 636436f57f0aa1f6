"""The reader's pages: home and topics, story pages and their versions, sources, search, about.

Every GET page but search is built once per store generation and served from the page
cache (:mod:`primenews.web.cache`) with its ETag, so the hot path is a dict look-up. Search
reads the store on each request (its answers are not reused). Only published versions are
shown; a merged story's old address redirects to the story it was merged into.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs, quote, urlencode, urlsplit

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from primenews.errors import StoreError
from primenews.models import StoryVersion
from primenews.store import Store
from primenews.store.web import BREADTH_WEIGHT, HALF_LIFE_DAYS, REPORTS_WEIGHT
from primenews.synthesize.render import safe_url
from primenews.synthesize.versions import diff_versions
from primenews.web.cache import CachedBody, make_body
from primenews.web.highlight import highlight, snippet
from primenews.web.seo import jsonld_script_text, story_jsonld, story_meta, story_url
from primenews.web.state import app_settings, app_store, cached_response, request_key
from primenews.web.story_view import language_tag, story_view
from primenews.web.templating import Templates

__all__ = ["PAGE_MAX_AGE", "router"]

router = APIRouter(include_in_schema=False)

PAGE_MAX_AGE = 60  # seconds a browser or proxy may reuse a page without asking
VERSION_MAX_AGE = 3600  # a written version never changes
STATIC_MAX_AGE = 31_536_000
SEARCH_LIMIT = 20
HTML = "text/html; charset=utf-8"
_TOPIC = re.compile(r"^[a-z][a-z-]{0,39}$")
_HOST = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$"
)


def _templates(request: Request) -> Templates:
    templates: Templates = request.app.state.templates
    return templates


def _html(request: Request, name: str, status: int = 200, **context: Any) -> CachedBody:
    text = _templates(request).render(name, path=request.url.path, **context)
    return make_body(text, HTML, status=status)


def _error(request: Request, status: int, title: str, message: str) -> CachedBody:
    return _html(request, "error.html", status, title=title, message=message)


def _page(
    request: Request, build: Callable[[], CachedBody], max_age: int = PAGE_MAX_AGE
) -> Response:
    return cached_response(request, request_key(request), build, max_age)


# --- home and topics -------------------------------------------------------------------------


def _listing_page(request: Request, topic: str | None, after: str | None) -> CachedBody:
    store, settings = app_store(request), app_settings(request)
    try:
        found = store.top_stories(settings.site_page_size, after, topic)
    except StoreError:
        return _error(request, 400, "Bad page address", "That list position does not exist.")
    if topic is not None and not found.items and after is None:
        return _error(request, 404, "No such topic", f"There are no stories in “{topic}”.")
    base = f"/topics/{topic}" if topic else "/"
    next_url = f"{base}?{urlencode({'after': found.next_cursor})}" if found.next_cursor else None
    listings = [
        {
            "story_id": x.story_id,
            "version": x.version,
            "topic": x.topic,
            "independent_count": x.independent_count,
            "updated_at": x.updated_at,
            "lang": _page_lang(x.version),
        }
        for x in found.items
    ]
    return _html(
        request,
        "home.html",
        listings=listings,
        topics=found.topics,
        topic=topic,
        next_url=next_url,
        canonical=f"{settings.site_url}{base if base != '/' else '/'}",
    )


def _page_lang(version: StoryVersion) -> str:
    languages = version.page.coverage.languages
    return language_tag(languages[0] if languages else None) or "en"


@router.get("/")
def home(request: Request, after: str | None = Query(None, max_length=80)) -> Response:
    """Top stories, ranked by independent coverage and recency."""
    return _page(request, lambda: _listing_page(request, None, after))


@router.get("/topics/{topic}")
def topic_page(
    request: Request, topic: str, after: str | None = Query(None, max_length=80)
) -> Response:
    """The top stories of one topic."""
    if not _TOPIC.match(topic):
        return Response(status_code=404)
    return _page(request, lambda: _listing_page(request, topic, after))


# --- stories ---------------------------------------------------------------------------------


def _published(store: Store, story_id: int) -> list[StoryVersion]:
    return [v for v in store.story_versions(story_id) if v.published]


def _story_page(request: Request, story_id: int, number: int | None) -> CachedBody:
    store, settings = app_store(request), app_settings(request)
    live = store.resolve_story_id(story_id)
    if live is not None and live != story_id:
        target = f"/stories/{live}"
        return make_body(
            target, "text/plain; charset=utf-8", status=301, headers=(("Location", target),)
        )
    versions = _published(store, story_id) if live is not None else []
    chosen = [v for v in versions if number is None or v.version == number]
    if not chosen:
        return _error(
            request,
            404,
            "Story not found",
            f"There is no published page for story {story_id}"
            + (f", version {number}." if number is not None else "."),
        )
    version = chosen[-1]
    articles = store.get_articles(version.article_ids)
    jsonld = story_jsonld(version, articles, settings, first_published=versions[0].created_at)
    return _html(
        request,
        "story.html",
        view=story_view(version),
        version=version,
        page=version.page,
        versions=versions,
        latest=version.version == versions[-1].version,
        topic=store.version_topic(story_id, version.version) or "news",
        canonical=story_url(settings, story_id),
        meta=story_meta(version, settings),
        jsonld=jsonld_script_text(jsonld),
    )


@router.get("/stories/{story_id}")
def story(request: Request, story_id: int) -> Response:
    """A story's latest published page."""
    return _page(request, lambda: _story_page(request, story_id, None))


@router.get("/stories/{story_id}/versions/{number}")
def story_version(request: Request, story_id: int, number: int) -> Response:
    """One published version of a story's page."""
    return _page(request, lambda: _story_page(request, story_id, number), VERSION_MAX_AGE)


def _diff_page(request: Request, story_id: int, old: int, new: int) -> CachedBody:
    store = app_store(request)
    versions = {v.version: v for v in _published(store, story_id)}
    if old not in versions or new not in versions or old == new:
        return _error(
            request,
            404,
            "No such change",
            f"Story {story_id} has no published versions {old} and {new} to compare.",
        )
    summary, *lines = diff_versions(versions[old], versions[new])
    kinds = [
        (
            "add"
            if x.startswith("+") and not x.startswith("+++")
            else "del"
            if x.startswith("-") and not x.startswith("---")
            else "same",
            x,
        )
        for x in lines
    ]
    return _html(
        request, "diff.html", old=versions[old], new=versions[new], summary=summary, lines=kinds
    )


@router.get("/stories/{story_id}/diff/{old}/{new}")
def story_diff(request: Request, story_id: int, old: int, new: int) -> Response:
    """What changed between two published versions of a story's page."""
    return _page(request, lambda: _diff_page(request, story_id, old, new), VERSION_MAX_AGE)


# --- sources ---------------------------------------------------------------------------------


@router.get("/sources")
def sources(request: Request) -> Response:
    """Every source with its health."""
    return _page(
        request, lambda: _html(request, "sources.html", sources=app_store(request).list_sources())
    )


def _source_page(request: Request, source_id: int, after: str | None) -> CachedBody:
    store, settings = app_store(request), app_settings(request)
    source = store.get_source(source_id)
    if source is None:
        return _error(request, 404, "Source not found", f"There is no source {source_id}.")
    try:
        reports = store.source_reports(source_id, settings.site_page_size, after)
    except StoreError:
        return _error(request, 400, "Bad page address", "That list position does not exist.")
    cursor = reports.next_cursor
    return _html(
        request,
        "source.html",
        source=source,
        source_url=safe_url(source.url),
        site_url=safe_url(source.site_url),
        reports=reports.items,
        next_url=f"/sources/{source_id}?{urlencode({'after': cursor})}" if cursor else None,
    )


@router.get("/sources/{source_id}")
def source(
    request: Request, source_id: int, after: str | None = Query(None, max_length=80)
) -> Response:
    """One source: its health, its reports and the stories they joined."""
    return _page(request, lambda: _source_page(request, source_id, after))


# --- search, about, share --------------------------------------------------------------------


@router.get("/search")
def search(request: Request, q: str = Query("", max_length=200)) -> Response:
    """Full-text search over stories and reports, the words found marked."""
    query = " ".join(q.split())
    context: dict[str, Any] = {"query": query, "stories": [], "articles": []}
    if query:
        found = app_store(request).search(query, SEARCH_LIMIT)
        terms = found.terms
        context["stories"] = [
            {
                "story_id": h.story_id,
                "headline": highlight(h.headline, terms),
                "summary": snippet(h.summary, terms),
            }
            for h in found.stories
        ]
        context["articles"] = [
            {
                "title": highlight(h.article.title or "Untitled report", terms),
                "url": safe_url(h.article.url),
                "outlet": h.article.outlet or h.article.site_name or "",
                "lang": language_tag(h.article.language),
                "story_id": h.story_id,
                "snippet": snippet(h.article.text, terms),
            }
            for h in found.articles
        ]
    body = _html(request, "search.html", **context)
    return Response(body.body, media_type=HTML, headers={"Cache-Control": "no-store"})


@router.get("/about")
def about(request: Request) -> Response:
    """What the site is, and what it does (not) do with its readers' data."""

    def build() -> CachedBody:
        return _html(
            request,
            "about.html",
            breadth_weight=f"{BREADTH_WEIGHT:g}",
            reports_weight=f"{REPORTS_WEIGHT:g}",
            half_life_days=f"{HALF_LIFE_DAYS:g}",
        )

    return _page(request, build, PAGE_MAX_AGE)


@router.get("/share/mastodon")
def share_mastodon(
    request: Request,
    instance: str = Query("", max_length=253),
    url: str = Query("", max_length=2000),
    text: str = Query("", max_length=300),
) -> Response:
    """A link to the reader's own Mastodon server's share page (no redirect, no third party)."""
    host = instance.strip().lower().removeprefix("https://").removeprefix("@").split("/")[0]
    host = host.rsplit("@", 1)[-1]
    link = safe_url(url)
    if not _HOST.match(host) or link is None:
        body = _error(
            request,
            400,
            "Cannot share",
            "Give a Mastodon server name such as mastodon.social, and share from a story page.",
        )
        return Response(body.body, status_code=400, media_type=HTML)
    share_url = f"https://{host}/share?text={quote(f'{text} {link}'.strip())}"
    body = _html(request, "mastodon.html", instance=host, share_url=share_url)
    return Response(body.body, media_type=HTML, headers={"Cache-Control": "no-store"})


@router.get("/static/{name}")
def static(request: Request, name: str) -> Response:
    """The site's CSS and script, from memory, cached by browsers for a year."""
    body = _templates(request).static.get(name)
    if body is None:
        return Response("not found\n", status_code=404, media_type="text/plain")
    return cached_response(request, request_key(request), lambda: body, STATIC_MAX_AGE)


@router.get("/favicon.ico")
def favicon(request: Request) -> Response:
    """The site's icon where browsers look for it first (the same SVG the pages link)."""
    body = _templates(request).static["icon.svg"]
    return cached_response(request, request_key(request), lambda: body, PAGE_MAX_AGE * 60 * 24)


# --- analytics (only when the operator turned it on, only after the reader accepted) ---------


def _local_path(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return None
    return parts.path[:500]


@router.post("/analytics/view")
async def analytics_view(request: Request) -> Response:
    """Count a page view, only when analytics are on and the client sent ``consent: true``."""
    if not app_settings(request).analytics:
        return Response(status_code=404)
    try:
        data = json.loads(await request.body() or b"{}")
    except ValueError:
        return Response("invalid JSON\n", status_code=400, media_type="text/plain")
    path = _local_path(str(data.get("path", ""))) if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("consent") is not True or path is None:
        return Response(
            "consent and a local path are required\n", status_code=400, media_type="text/plain"
        )
    app_store(request).record_page_view(path)
    return Response(status_code=204)


@router.post("/analytics/consent")
async def analytics_consent(request: Request) -> Response:
    """The no-JavaScript banner: Accept counts this one view, Reject counts nothing."""
    if not app_settings(request).analytics:
        return Response(status_code=404)
    form = parse_qs((await request.body()).decode("utf-8", "replace"), max_num_fields=10)
    path = _local_path(form.get("path", ["/"])[0]) or "/"
    if form.get("choice", [""])[0] == "accept":
        app_store(request).record_page_view(path)
    return RedirectResponse(path, status_code=303)
