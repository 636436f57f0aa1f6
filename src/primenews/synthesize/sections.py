"""Sections: the chosen sentences grouped by sub-topic, each under a keyphrase subheading.

Grouping is average-link agglomerative clustering on the sentences' TF-IDF cosine similarity,
merged down to ``ceil(n / per_section)`` groups (at least 2 when there are 2 sentences, at most
``max_sections``). Sections come in the order of their most salient sentence (the page leads
with what matters most); inside a section sentences are chronological: the report's publication
time, then the sentence's place in its report (undated reports by salience, each report's
sentences in their own order). A subheading is the section's best keyphrase: a
run of up to four content words whose terms are frequent in the section and rare in the others
(RAKE-style), as written in the report, joined with the runner-up when it is a single word.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from primenews.synthesize.textstats import WORD, fold, is_stopword, terms_of

__all__ = ["group_sentences", "keyphrase_heading", "order_group"]

MAX_HEADING_CHARS = 60
_BREAK = re.compile(r"[,;:.!?()\[\]\"“”«»—–]|\s-\s")


def group_sentences(
    chosen: Sequence[int],
    similarity: NDArray[np.float64],
    *,
    per_section: int,
    max_sections: int,
) -> list[list[int]]:
    """``chosen`` (salience order) split into sub-topic groups, most salient group first."""
    if not chosen:
        return []
    target = min(len(chosen), max(2, math.ceil(len(chosen) / per_section)), max_sections)
    clusters: list[list[int]] = [[index] for index in chosen]
    while len(clusters) > target:
        best: tuple[float, int, int] = (-math.inf, 0, 0)
        for a in range(len(clusters)):
            for b in range(a + 1, len(clusters)):
                link = float(similarity[np.ix_(clusters[a], clusters[b])].mean())
                if link > best[0]:
                    best = (link, a, b)
        _, a, b = best
        clusters[a] = clusters[a] + clusters[b]
        del clusters[b]
    rank = {index: place for place, index in enumerate(chosen)}
    return sorted(clusters, key=lambda members: min(rank[m] for m in members))


def order_group(
    members: Sequence[int],
    when: Sequence[datetime | None],
    position: Sequence[int],
    owner: Sequence[int],
    rank: Mapping[int, int],
) -> list[int]:
    """``members`` in reading order: dated reports' sentences chronologically (publication
    time, then place in the report); then undated ones, whose times cannot be compared, by
    salience (``rank``), one report's sentences always in that report's order."""
    dated = sorted(
        (m for m in members if when[m] is not None),
        key=lambda i: (when[i], position[i], i),
    )
    undated = sorted((m for m in members if when[m] is None), key=lambda i: rank[i])
    slots: dict[int, list[int]] = {}
    for index in undated:
        slots.setdefault(owner[index], []).append(index)
    queues = {report: sorted(found, key=lambda i: position[i]) for report, found in slots.items()}
    return dated + [queues[owner[index]].pop(0) for index in undated]


def keyphrase_heading(texts: Sequence[str], others: Sequence[str], avoid: set[str]) -> str:
    """The section's subheading from its sentences ``texts`` against the other sections'."""
    inside = Counter(term for text in texts for term in terms_of(text))
    outside = Counter(term for text in others for term in terms_of(text))
    scored: dict[str, tuple[float, str]] = {}
    for text in texts:
        for phrase in _phrases(text):
            key = " ".join(fold(word) for word in phrase.split())
            terms = terms_of(phrase)
            if not terms or key in avoid or all(term.isdigit() for term in terms):
                continue
            weight = sum(inside[t] / (1.0 + outside[t]) for t in terms) / math.sqrt(len(terms))
            if key not in scored or weight > scored[key][0]:
                scored[key] = (weight, phrase)
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], item[0]))
    if not ranked:
        return "More details"
    key, (_, heading) = ranked[0]
    avoid.add(key)
    if len(heading.split()) == 1 and len(ranked) > 1:
        second_key, (_, second) = ranked[1]
        avoid.add(second_key)
        heading = f"{heading}, {second}"
    if len(heading) > MAX_HEADING_CHARS:
        heading = heading[:MAX_HEADING_CHARS].rsplit(" ", 1)[0]
    return _capitalised(heading)


def _phrases(text: str) -> list[str]:
    """Runs of up to four content words, split at punctuation and function words."""
    phrases: list[str] = []
    for chunk in _BREAK.split(text):
        run: list[str] = []
        for word in WORD.findall(chunk):
            if is_stopword(word) or len(fold(word)) < 2:
                if run:
                    phrases.append(" ".join(run[:4]))
                run = []
            else:
                run.append(word)
        if run:
            phrases.append(" ".join(run[:4]))
    return phrases


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
