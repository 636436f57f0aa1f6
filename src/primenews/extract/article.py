"""Page -> ExtractedArticle: decode, parse, extract, clean, read metadata, gate.

``extract_article`` is the pipeline stage; ``extract_html`` is what the CLI and the
benchmark call on HTML already in hand (files are found by ``primenews.sources``).
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import replace
from typing import Any

import trafilatura
from lxml import etree

from primenews.errors import ExtractError
from primenews.models import ExtractedArticle, Link, Page

from .clean import clean_paragraphs, drop_title_paragraphs
from .engine import extract_paragraphs
from .gate import check_quality, score_quality
from .html import decode_html, refuse_non_html
from .language import detect_language
from .metadata import PageMetadata, normalize_language, read_metadata
from .options import ExtractOptions

__all__ = ["extract_article", "extract_html"]

logger = logging.getLogger(__name__)

_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
_HTML_HINT = re.compile(r"<\s*(html|head|body|div|p|article|title|meta|!doctype)\b", re.IGNORECASE)


def extract_article(page: Page, options: ExtractOptions) -> ExtractedArticle:
    """Extract one fetched or archived page; feed metadata fills what the page lacks."""
    started = time.perf_counter()
    refuse_non_html(page.body, page.url)
    html = decode_html(page.body, page.charset)
    article = extract_html(html, page.url, options, link=page.link)
    logger.debug(
        "extracted %s",
        page.url,
        extra={"stage": "extract", "duration_ms": int(1000 * (time.perf_counter() - started))},
    )
    return article


def extract_html(
    html: str | bytes,
    url: str | None,
    options: ExtractOptions,
    *,
    link: Link | None = None,
) -> ExtractedArticle:
    """HTML (text, or bytes decoded by sniffing) -> cleaned text and metadata; gate if asked."""
    if isinstance(html, bytes):
        refuse_non_html(html, url)
        html = decode_html(html)
    where = url or "the page"
    if len(html) > options.max_html_chars:
        raise ExtractError(
            f"{where}: {len(html)} characters of HTML, over the {options.max_html_chars} cap"
        )
    tree = _parse(html, where)
    meta = read_metadata(tree, url)
    paragraphs = extract_paragraphs(tree, html, fallback=options.fallback, fast=options.fast)
    if options.clean:
        paragraphs = clean_paragraphs(paragraphs)
    title = meta.title or (link.title if link else None)
    paragraphs = drop_title_paragraphs(paragraphs, title)
    if not paragraphs:
        raise ExtractError(
            f"{where}: no article text found (empty, script-only, or nested too deeply to parse)"
        )
    link_share = _link_share(tree, paragraphs) if options.gate else 0.0
    article = _build(url, paragraphs, meta, link, link_share)
    if options.gate:
        check_quality(article, options)
    return article


def _parse(html: str, where: str) -> Any:
    if not _HTML_HINT.search(html[:100_000]):
        raise ExtractError(f"{where}: this does not look like HTML (no tags found)")
    html = _XML_DECLARATION.sub("", html, count=1)
    try:
        tree = trafilatura.load_html(html)
    except (ValueError, etree.LxmlError, RecursionError) as exc:
        raise ExtractError(f"{where}: the HTML could not be parsed ({exc})") from exc
    if tree is None:
        raise ExtractError(f"{where}: the HTML could not be parsed")
    return tree


def _build(
    url: str | None,
    paragraphs: list[str],
    meta: PageMetadata,
    link: Link | None,
    link_share: float,
) -> ExtractedArticle:
    text = "\n\n".join(paragraphs)
    language = meta.language or (normalize_language(link.language) if link else None)
    draft = ExtractedArticle(
        url=url or meta.canonical_url or "",
        title=meta.title or (link.title if link else None),
        text=text,
        canonical_url=meta.canonical_url,
        authors=meta.authors or (link.authors if link else ()),
        published_at=meta.published_at or (link.published_at if link else None),
        updated_at=meta.updated_at or (link.updated_at if link else None),
        language=language or detect_language(text),
        site_name=meta.site_name,
        lead_image=meta.lead_image,
        description=meta.description,
        extra={"page_type": meta.page_type, "link_share": round(link_share, 3)},
    )
    return _with_quality(draft)


def _with_quality(article: ExtractedArticle) -> ExtractedArticle:
    return replace(article, quality=score_quality(article))


def _link_share(tree: Any, paragraphs: list[str]) -> float:
    """Share of the extracted characters that are the whole text of a link on the page."""
    anchors = {" ".join(a.text_content().split()) for a in tree.iter("a")}
    total = sum(len(p) for p in paragraphs)
    linked = sum(len(p) for p in paragraphs if p in anchors or p.lstrip("- •") in anchors)
    return linked / total if total else 0.0
