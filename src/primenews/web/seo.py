"""What search engines and link previews read: JSON-LD, meta tags, sitemaps, robots.txt.

:func:`story_jsonld` is the schema.org ``NewsArticle`` of a story page version: its
``isBasedOn`` and ``citation`` point at the source reports the page was written from.
:func:`story_meta` gives the Open Graph and Twitter-card ``<meta>`` pairs of a story page;
the story template writes them with autoescaping, and :func:`jsonld_script_text` makes the
JSON-LD safe to place inside a ``<script type="application/ld+json">`` element (article text
is hostile: a headline holding ``</script>`` must not end the element).

The router serves ``/sitemap.xml`` (every story with a published page), ``/news-sitemap.xml``
(Google News sitemap: stories whose latest published version is from the last two days) and
``/robots.txt`` (allow all, point to both sitemaps). XML is built with lxml, never templates.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request, Response
from lxml import etree

from primenews.config import Settings
from primenews.models import Article, SourceRef, StoryVersion, utcnow
from primenews.store import Store
from primenews.store.web import StoryListing
from primenews.synthesize.render import safe_url
from primenews.web.cache import CachedBody, make_body
from primenews.web.state import app_settings, app_store, cached_response, request_key

__all__ = [
    "HEADLINE_LIMIT",
    "META_DESCRIPTION_LIMIT",
    "jsonld_script_text",
    "meta_attribute",
    "news_sitemap_xml",
    "robots_txt",
    "router",
    "site_host",
    "sitemap_xml",
    "story_jsonld",
    "story_meta",
    "story_url",
    "version_url",
    "xml_text",
]

HEADLINE_LIMIT = 110  # schema.org / Google: a NewsArticle headline of at most 110 characters
META_DESCRIPTION_LIMIT = 200
NEWS_SITEMAP_WINDOW = timedelta(days=2)

# characters XML 1.0 cannot carry (and lxml refuses)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# characters that could end a <script> element or open markup inside it: escaped in JSON
_SCRIPT_UNSAFE = {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028"}


def story_url(settings: Settings, story_id: int) -> str:
    """The absolute URL of a story's page on this site."""
    return f"{settings.site_url}/stories/{story_id}"


def version_url(settings: Settings, story_id: int, version: int) -> str:
    """The absolute URL of one version of a story's page."""
    return f"{story_url(settings, story_id)}/versions/{version}"


def clip(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (with …)."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None


def _report_urls(
    sources: Iterable[SourceRef], articles: Iterable[Article]
) -> list[tuple[SourceRef, str]]:
    """Each source report with its safe absolute URL (canonical when known), in page order."""
    canonical = {a.id: a.canonical_url for a in articles}
    found: list[tuple[SourceRef, str]] = []
    for source in sources:
        url = safe_url(canonical.get(source.article_id)) or safe_url(source.url)
        if url is not None:
            found.append((source, url))
    return found


def _citation(source: SourceRef, url: str) -> dict[str, Any]:
    item: dict[str, Any] = {"@type": "NewsArticle", "url": url}
    if source.title:
        item["headline"] = clip(source.title, HEADLINE_LIMIT)
    if source.outlet:
        item["publisher"] = {"@type": "Organization", "name": source.outlet}
    if source.published_at:
        item["datePublished"] = source.published_at.isoformat()
    if source.language:
        item["inLanguage"] = source.language
    return item


def story_jsonld(
    version: StoryVersion,
    articles: Iterable[Article],
    settings: Settings,
    *,
    first_published: datetime | None = None,
) -> dict[str, Any]:
    """The schema.org ``NewsArticle`` of a story page version, as JSON-ready data.

    ``articles`` are the version's reports (for their canonical URLs; the page's own source
    list is used when one is missing). ``first_published`` is when the story's first version
    was written (``datePublished``); without it, this version's time is used.
    """
    page = version.page
    url = story_url(settings, version.story_id)
    site = {"@type": "Organization", "name": settings.site_name, "url": settings.site_url}
    reports = _report_urls(page.sources, articles)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "@id": url,
        "url": url,
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "headline": clip(page.headline, HEADLINE_LIMIT),
        "description": clip(page.summary.text, META_DESCRIPTION_LIMIT),
        "datePublished": (first_published or version.created_at).isoformat(),
        "dateModified": version.created_at.isoformat(),
        "version": str(version.version),
        "author": site,
        "publisher": site,
        "isAccessibleForFree": True,
        "isBasedOn": [u for _, u in reports],
        "citation": [_citation(s, u) for s, u in reports],
    }
    if page.coverage.languages:
        data["inLanguage"] = page.coverage.languages[0]
    return data


def jsonld_script_text(data: dict[str, Any]) -> str:
    """``data`` as JSON that is safe inside ``<script type="application/ld+json">``.

    ``<``, ``>`` and ``&`` are written as JSON escapes, so no text from a report can close
    the element or start markup; the JSON still parses to the same data.
    """
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    for char, escaped in _SCRIPT_UNSAFE.items():
        text = text.replace(char, escaped)
    return text


def meta_attribute(key: str) -> str:
    """Which ``<meta>`` attribute names ``key``: ``property`` (Open Graph) or ``name``."""
    return "property" if key.startswith(("og:", "article:")) else "name"


def story_meta(version: StoryVersion, settings: Settings) -> list[tuple[str, str]]:
    """Open Graph and Twitter-card ``(key, content)`` pairs for a story page version.

    Values are plain one-line text; the template escapes them (``meta_attribute(key)`` says
    whether a key goes in ``property`` or ``name``). No image: the site makes no third-party
    requests and reports' images are not republished.
    """
    page = version.page
    title = clip(page.headline, HEADLINE_LIMIT)
    description = clip(page.summary.text, META_DESCRIPTION_LIMIT)
    url = story_url(settings, version.story_id)
    meta = [
        ("description", description),
        ("og:type", "article"),
        ("og:site_name", settings.site_name),
        ("og:title", title),
        ("og:description", description),
        ("og:url", url),
    ]
    if page.coverage.languages:
        meta.append(("og:locale", page.coverage.languages[0].replace("-", "_")))
    meta += [
        ("article:modified_time", version.created_at.isoformat()),
        ("twitter:card", "summary"),
        ("twitter:title", title),
        ("twitter:description", description),
    ]
    return meta


def site_host(settings: Settings) -> str:
    """The host name of ``site_url`` (for tag: URIs)."""
    return urlsplit(settings.site_url).hostname or "localhost"


# --- sitemaps and robots.txt ---------------------------------------------------------------

router = APIRouter(include_in_schema=False)

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
SITEMAP_MAX_URLS = 50_000  # the sitemap protocol's limit per file
NEWS_SITEMAP_MAX_URLS = 1_000  # Google News' limit per file
SITEMAP_MAX_AGE = 900
_XML = "application/xml; charset=utf-8"


def _xml(root: Any) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8"))


def sitemap_xml(listings: Iterable[StoryListing], settings: Settings) -> bytes:
    """The sitemap: the home page and every story with a published page, with ``lastmod``."""
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap={None: SITEMAP_NS})
    home = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
    etree.SubElement(home, f"{{{SITEMAP_NS}}}loc").text = f"{settings.site_url}/"
    for listing in listings:
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = story_url(settings, listing.story_id)
        modified = listing.version.created_at.isoformat(timespec="seconds")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}lastmod").text = modified
    return _xml(urlset)


def news_sitemap_xml(listings: Iterable[StoryListing], settings: Settings) -> bytes:
    """The Google News sitemap of ``listings`` (the caller picks the last two days')."""
    nsmap = {None: SITEMAP_NS, "news": NEWS_NS}
    urlset = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=nsmap)
    for listing in listings:
        page = listing.version.page
        url = etree.SubElement(urlset, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(url, f"{{{SITEMAP_NS}}}loc").text = story_url(settings, listing.story_id)
        news = etree.SubElement(url, f"{{{NEWS_NS}}}news")
        publication = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        etree.SubElement(publication, f"{{{NEWS_NS}}}name").text = xml_text(settings.site_name)
        language = page.coverage.languages[0] if page.coverage.languages else "en"
        etree.SubElement(publication, f"{{{NEWS_NS}}}language").text = language
        published = listing.version.created_at.isoformat(timespec="seconds")
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = published
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = xml_text(page.headline)
    return _xml(urlset)


def robots_txt(settings: Settings) -> str:
    """Allow every crawler everywhere, and name both sitemaps."""
    lines = [
        "User-agent: *",
        "Allow: /",
        "",
        f"Sitemap: {settings.site_url}/sitemap.xml",
        f"Sitemap: {settings.site_url}/news-sitemap.xml",
    ]
    return "\n".join(lines) + "\n"


def xml_text(text: str | None) -> str:
    """``text`` on one line, without the characters XML 1.0 cannot carry (NUL, most controls)."""
    return " ".join(_NOT_XML.sub("", text or "").split())


def _answer(request: Request, build: Callable[[Store, Settings], CachedBody]) -> Response:
    """The cached answer to this request (built once per store generation)."""
    store, settings = app_store(request), app_settings(request)
    return cached_response(
        request, request_key(request), lambda: build(store, settings), SITEMAP_MAX_AGE
    )


@router.get("/sitemap.xml")
def sitemap(request: Request) -> Response:
    """Every story with a published page."""

    def build(store: Store, settings: Settings) -> CachedBody:
        listings = store.top_stories(SITEMAP_MAX_URLS).items
        return make_body(sitemap_xml(listings, settings), _XML)

    return _answer(request, build)


@router.get("/news-sitemap.xml")
def news_sitemap(request: Request) -> Response:
    """Stories whose latest published version is from the last two days."""
    # the window moves with the clock: the cached sitemap is rebuilt at least every hour
    now = utcnow()
    key = (*request_key(request), now.strftime("%Y%m%d%H"))

    def build() -> CachedBody:
        store, settings = app_store(request), app_settings(request)
        since = now - NEWS_SITEMAP_WINDOW
        listings = store.top_stories(SITEMAP_MAX_URLS).items
        recent = [x for x in listings if x.version.created_at >= since]
        return make_body(news_sitemap_xml(recent[:NEWS_SITEMAP_MAX_URLS], settings), _XML)

    return cached_response(request, key, build, SITEMAP_MAX_AGE)


@router.get("/robots.txt")
def robots(request: Request) -> Response:
    """robots.txt: everything may be crawled."""

    def build(store: Store, settings: Settings) -> CachedBody:
        return make_body(robots_txt(settings), "text/plain; charset=utf-8")

    return _answer(request, build)
