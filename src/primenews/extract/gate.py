"""The quality gate: refuse what is not an article, with a short recorded reason.

Reasons: ``near_empty`` (too little body text), ``index_page`` (a list of links and
headlines: section, tag and home pages), ``paywall_stub`` (a teaser cut off by a
subscription prompt), ``low_quality`` (the score fell under the threshold).
"""

from __future__ import annotations

import re

from primenews.errors import SkipArticle
from primenews.models import ExtractedArticle

from .options import ExtractOptions

__all__ = ["check_quality", "score_quality"]

_PAYWALL = re.compile(
    r"\b(subscribe|subscription|subscriber|sign in|log in|register)\b.{0,60}"
    r"\b(continue|keep) reading\b"
    r"|\b(continue|keep) reading\b.{0,60}\b(subscribe|subscription|subscriber|sign in|log in)\b"
    r"|\bthis (article|story|content) is (only )?(available|reserved|exclusive) (to|for) "
    r"(subscribers|members)\b"
    r"|\b(already a subscriber|to read the full (article|story)|become a (subscriber|member) to)\b"
    r"|\bsubscribers only\b|\bpremium (article|content)\b",
    re.IGNORECASE,
)
_SENTENCE = re.compile(r"[.!?…。！？](\s|$)")
_WORD = re.compile(r"\w+")
INDEX_TYPES = {"website", "collectionpage", "itemlist", "searchresultspage", "profile"}


def score_quality(article: ExtractedArticle) -> float:
    """How much the text reads like an article, 0..1: length, prose, and headline lists."""
    paragraphs = article.paragraphs
    chars = len(article.text)
    if not paragraphs or not chars:
        return 0.0
    prose = [p for p in paragraphs if len(p) >= 80 and _SENTENCE.search(p)]
    prose_share = sum(len(p) for p in prose) / chars
    length = min(1.0, chars / 1500)
    short_share = sum(1 for p in paragraphs if len(p) < 80) / len(paragraphs)
    score = 0.45 * prose_share + 0.35 * length + 0.2 * (1.0 - short_share)
    return round(max(0.0, min(1.0, score)), 3)


def check_quality(article: ExtractedArticle, options: ExtractOptions) -> None:
    """Raise ``SkipArticle(reason, detail)`` when the article should not be kept."""
    chars = len(article.text)
    paragraphs = article.paragraphs
    where = article.url
    if _is_paywall_stub(paragraphs, chars, options):
        raise SkipArticle("paywall_stub", f"{where}: only a teaser before a subscription prompt")
    if chars < options.min_article_chars:
        raise SkipArticle(
            "near_empty",
            f"{where}: {chars} characters of body text, under min_article_chars="
            f"{options.min_article_chars}",
        )
    if _is_index(article):
        raise SkipArticle("index_page", f"{where}: a list of headlines and links, not an article")
    if article.quality < options.min_article_quality:
        raise SkipArticle(
            "low_quality",
            f"{where}: quality {article.quality:.2f} under min_article_quality="
            f"{options.min_article_quality}",
        )


def _is_paywall_stub(paragraphs: list[str], chars: int, options: ExtractOptions) -> bool:
    tail = paragraphs[-3:]
    if not any(_PAYWALL.search(p) for p in tail):
        return False
    return chars < max(4 * options.min_article_chars, 1500)


def _is_index(article: ExtractedArticle) -> bool:
    kind = str(article.extra.get("page_type") or "").lower()
    paragraphs = article.paragraphs
    prose = [p for p in paragraphs if len(p) >= 80 and _SENTENCE.search(p)]
    prose_chars = sum(len(p) for p in prose)
    link_share = float(article.extra.get("link_share", 0.0))
    if kind in INDEX_TYPES and prose_chars < 600:
        return True
    if len(paragraphs) >= 6 and prose_chars < 0.3 * len(article.text):
        return True
    return link_share > 0.6 and prose_chars < 1000
