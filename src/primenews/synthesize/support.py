"""Which other reports say the same as a page sentence: its corroborating citations.

A sentence of another independent report supports a chosen sentence when it contains most of
the chosen sentence's content terms (stemmed, folded: :mod:`.textstats`), every number it
states, and their TF-IDF cosine is high enough. Each other report contributes at most its best
supporting sentence, so a page sentence cites itself and then one sentence per outlet that
backs it: multi-outlet support is visible, and copies (not candidates) never pad it.
"""

from __future__ import annotations

from primenews.models import Citation
from primenews.synthesize.ranking import Ranked
from primenews.synthesize.textstats import terms_of

__all__ = ["MIN_COSINE", "MIN_TERM_SHARE", "supporting_sentences"]

MIN_TERM_SHARE = 0.5
MIN_COSINE = 0.3


def supporting_sentences(ranked: Ranked, index: int) -> tuple[Citation, ...]:
    """Citations of the best supporting sentence in each other report (report order)."""
    chosen = ranked.candidates[index]
    terms = set(terms_of(chosen.text))
    numbers = {t for t in terms if t[:1].isdigit()}
    if not terms:
        return ()
    best: dict[int, tuple[float, int]] = {}
    row = ranked.similarity[index]
    for other, candidate in enumerate(ranked.candidates):
        if candidate.article_id == chosen.article_id or row[other] < MIN_COSINE:
            continue
        theirs = set(terms_of(candidate.text))
        if not numbers <= theirs or len(terms & theirs) < MIN_TERM_SHARE * len(terms):
            continue
        value = float(row[other])
        if candidate.article_id not in best or value > best[candidate.article_id][0]:
            best[candidate.article_id] = (value, other)
    citations: list[Citation] = []
    for article_id in sorted(best, key=lambda a: _first_place(ranked, a)):
        candidate = ranked.candidates[best[article_id][1]]
        citations.append(
            Citation(candidate.article_id, candidate.start, candidate.end, candidate.text)
        )
    return tuple(citations)


def _first_place(ranked: Ranked, article_id: int) -> int:
    """Where a report's first candidate is: candidates come in report order."""
    return next(i for i, c in enumerate(ranked.candidates) if c.article_id == article_id)
