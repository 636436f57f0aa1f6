"""Which other reports say the same as a page sentence: its corroborating citations.

A sentence of another independent report supports a chosen sentence when, on its own, it
passes the publish gate's grounding check (:func:`~.grounding.check_support`: the chosen
sentence's numbers and names are in it and most of its content words), after a cheap TF-IDF
cosine pre-filter. Each other report contributes at most its best supporting sentence, so a
page sentence cites itself and then one sentence per outlet that backs it: multi-outlet
support is visible, and copies (never candidates) do not pad it.
"""

from __future__ import annotations

import numpy as np

from primenews.models import Citation
from primenews.synthesize.grounding import check_support
from primenews.synthesize.ranking import Ranked

__all__ = ["MIN_COSINE", "supporting_sentences"]

MIN_COSINE = 0.25  # below this TF-IDF cosine two sentences do not say the same thing


def supporting_sentences(ranked: Ranked, index: int) -> tuple[Citation, ...]:
    """Citations of the best supporting sentence in each other report (report order)."""
    chosen = ranked.candidates[index]
    best: dict[int, tuple[float, int]] = {}
    row = ranked.similarity[index]
    for other in np.flatnonzero(row >= MIN_COSINE).tolist():
        candidate = ranked.candidates[other]
        if candidate.article_id == chosen.article_id:
            continue
        value = float(row[other])
        if candidate.article_id in best and value <= best[candidate.article_id][0]:
            continue
        if check_support(chosen.text, [candidate.text]).supported:
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
