"""Body text from a parsed page: trafilatura, with readability where trafilatura misjudges.

Trafilatura (fast mode) gives the first cut. Its length is compared with the text the
page holds in ``<p>`` elements; when it took far less (it missed part of the article) or
far more (it swept in lists and teasers), readability is run too and its cut is taken
only when the two agree on the shared text and readability's is clearly the better
length: longer when trafilatura missed text, shorter when trafilatura took too much.
A readability cut that keeps under a fifth of trafilatura's is taken only when
trafilatura's full mode independently agrees with it (fast mode can sweep in a whole
listing around a short article). The choice uses only the page, never the expected answer.
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
PROSE_LINE = 120  # a removed line this long that ends a sentence is prose
MAX_PROSE_CUT = 0.3  # readability may not cut more prose than this share of what it cuts
SHRINK_NON_PROSE = (1 - SHRINK) * (1 - MAX_PROSE_CUT)  # least non-prose share a shrink needs
_TOKEN = re.compile(r"\w+")
_SENTENCE_END = re.compile(r"[.!?…:;\"'”’)\]]\s*$")


def extract_paragraphs(tree: Any, html: str, *, fallback: bool, fast: bool = True) -> list[str]:
    """The article's paragraphs, best cut of trafilatura and (if ``fallback``) readability.

    ``fast``: trafilatura's fast mode gives the first cut and its full mode (with its own
    fallbacks) runs only where that cut looks short; otherwise full mode always runs.
    """
    text = _trafilatura_text(tree, fast=fast)
    full = None if fast else text
    if fallback:
        in_paragraphs = max(1, paragraph_text_length(tree))
        if fast and len(text) < LOW_RATIO * in_paragraphs:
            full = _trafilatura_text(tree, fast=False)
            text = full if len(full) > len(text) else text
        ratio = len(text) / in_paragraphs
        # a long cut that is nearly all prose cannot lose enough lists to pass _cuts_prose
        worth_it = ratio < LOW_RATIO or _non_prose_share(text) >= SHRINK_NON_PROSE
        if not LOW_RATIO <= ratio <= HIGH_RATIO and worth_it:
            text = _second_opinion(tree, html, text, full)
    return [line.strip() for line in text.split("\n") if line.strip()]


def paragraph_text_length(tree: Any) -> int:
    """Characters of text inside the page's <p> elements."""
    return sum(len(" ".join(p.text_content().split())) for p in tree.iter("p"))


def _trafilatura_text(tree: Any, *, fast: bool) -> str:
    return trafilatura.extract(tree, fast=fast, include_comments=False) or ""


def _second_opinion(tree: Any, html: str, text: str, full: str | None) -> str:
    """Readability's cut when it is clearly the better length and agrees with ``text``.

    A cut far shorter than ``text`` (under ``MIN_SHARE``) is taken only when trafilatura's
    full mode, run now if it has not yet, independently agrees with it both ways.
    """
    other = _readability_text(html)
    if not other:
        return text
    if len(other) >= GROW * len(text) and _coverage(text, other) >= AGREEMENT:
        logger.debug("readability kept more of the article (%d > %d chars)", len(other), len(text))
        return other
    if len(other) > SHRINK * len(text) or _coverage(other, text) < AGREEMENT:
        return text
    if len(other) >= MIN_SHARE * len(text):
        if _cuts_prose(text, other):
            return text
        logger.debug("readability cut the boilerplate (%d < %d chars)", len(other), len(text))
        return other
    full = _trafilatura_text(tree, fast=False) if full is None else full
    if _agree(full, other):
        logger.debug("readability and full mode agree on a short cut (%d chars)", len(other))
        return other
    return text


def _agree(one: str, other: str) -> bool:
    """Whether two cuts hold nearly the same text (each covers the other)."""
    return _coverage(one, other) >= AGREEMENT and _coverage(other, one) >= AGREEMENT


def _is_prose(line: str) -> bool:
    return len(line) >= PROSE_LINE and _SENTENCE_END.search(line) is not None


def _non_prose_share(text: str) -> float:
    lines = [line for line in text.split("\n") if line.strip()]
    total = sum(len(line) for line in lines)
    return sum(len(line) for line in lines if not _is_prose(line)) / total if total else 0.0


def _cuts_prose(text: str, other: str) -> bool:
    """Whether the lines ``other`` leaves out of ``text`` are mostly prose, not lists/teasers."""
    kept = " ".join(other.split())
    removed = [
        line for line in text.split("\n") if line.strip() and " ".join(line.split()) not in kept
    ]
    total = sum(len(line) for line in removed)
    prose = sum(
        len(line) for line in removed if len(line) >= PROSE_LINE and _SENTENCE_END.search(line)
    )
    return total > 0 and prose > MAX_PROSE_CUT * total


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
    """Text of a readability summary, one line per block element."""
    parts: list[str] = []
    for event, element in etree.iterwalk(root, events=("start", "end")):
        if not isinstance(element.tag, str):
            if event == "end" and element.tail:
                parts.append(element.tail)
            continue
        if element.tag in _BLOCKS:
            parts.append("\n")
        if event == "start" and element.text:
            parts.append(element.text)
        elif event == "end" and element.tail and element is not root:
            parts.append(element.tail)
    lines = (" ".join(line.split()) for line in "".join(parts).split("\n"))
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
