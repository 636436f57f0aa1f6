"""Body text from a parsed page: trafilatura, with readability where trafilatura misjudges.

Trafilatura (fast mode) gives the first cut. Its length is compared with the text the
page holds in ``<p>`` elements; when it took far less (it missed part of the article) or
far more (it swept in lists and teasers), readability is run too and its cut is taken
only when the two agree on the shared text and readability's is clearly the better
length: longer when trafilatura missed text, shorter when trafilatura took too much.
The choice uses only the page, never the expected answer.
"""

from __future__ import annotations

import logging
import re
from collections import Counter
from typing import Any

import trafilatura
from lxml import etree

__all__ = ["extract_paragraphs", "paragraph_text_length"]

logger = logging.getLogger(__name__)

LOW_RATIO = 0.5  # trafilatura kept under half the <p> text: it may have missed some
HIGH_RATIO = 1.2  # or a fifth more than all <p> text: it may have swept in lists
GROW = 1.5  # readability must be this much longer to replace a short cut
SHRINK = 0.8  # or at most this long (and at least MIN_SHARE) to replace a long one
MIN_SHARE = 0.2
AGREEMENT = 0.85  # share of the smaller text's 4-token shingles found in the larger
_TOKEN = re.compile(r"\w+")


def extract_paragraphs(tree: Any, html: str, *, fallback: bool) -> list[str]:
    """The article's paragraphs, best cut of trafilatura and (if ``fallback``) readability."""
    text = trafilatura.extract(tree, fast=True, include_comments=False) or ""
    if fallback:
        ratio = len(text) / max(1, paragraph_text_length(tree))
        if ratio < LOW_RATIO:
            full = trafilatura.extract(tree, include_comments=False) or ""
            text = full if len(full) > len(text) else text
            ratio = len(text) / max(1, paragraph_text_length(tree))
        if not LOW_RATIO <= ratio <= HIGH_RATIO:
            text = _second_opinion(html, text)
    return [line.strip() for line in text.split("\n") if line.strip()]


def paragraph_text_length(tree: Any) -> int:
    """Characters of text inside the page's <p> elements."""
    return sum(len(" ".join(p.text_content().split())) for p in tree.iter("p"))


def _second_opinion(html: str, text: str) -> str:
    other = _readability_text(html)
    if not other:
        return text
    if len(other) >= GROW * len(text) and _coverage(text, other) >= AGREEMENT:
        logger.debug("readability kept more of the article (%d > %d chars)", len(other), len(text))
        return other
    shorter = MIN_SHARE * len(text) <= len(other) <= SHRINK * len(text)
    if shorter and _coverage(other, text) >= AGREEMENT:
        logger.debug("readability cut the boilerplate (%d < %d chars)", len(other), len(text))
        return other
    return text


def _readability_text(html: str) -> str:
    from readability import Document
    from readability.readability import Unparseable

    try:
        summary = Document(html).summary(html_partial=True)
    except (Unparseable, ValueError, etree.LxmlError, RecursionError) as exc:
        logger.debug("readability failed: %s", exc)
        return ""
    if not summary.strip():
        return ""
    try:
        fragment = etree.fromstring(summary, etree.HTMLParser())
    except etree.LxmlError:
        return ""
    if fragment is None:
        return ""
    return _block_text(fragment)


_BLOCKS = {
    "p", "div", "section", "article", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul",
    "ol", "blockquote", "pre", "tr", "dd", "dt", "figure", "figcaption", "table",
}  # fmt: skip


def _block_text(root: Any) -> str:
    """Text of a readability summary, one line per block element (the fragment is ours)."""
    for element in root.iter(*_BLOCKS):
        element.text = "\n" + (element.text or "")
        element.tail = "\n" + (element.tail or "")
    lines = (" ".join(line.split()) for line in "".join(root.itertext()).split("\n"))
    return "\n".join(line for line in lines if line)


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text)
    return Counter(tuple(tokens[i : i + 4]) for i in range(max(1, len(tokens) - 3)))


def _coverage(part: str, whole: str) -> float:
    """Share of ``part``'s 4-token shingles that also occur in ``whole``."""
    mine = _shingles(part)
    total = sum(mine.values())
    if not total:
        return 0.0
    return sum((mine & _shingles(whole)).values()) / total
