"""Sections: the chosen sentences grouped by sub-topic.

Grouping is average-link agglomerative clustering on the sentences' TF-IDF cosine similarity,
merged down to ``ceil(n / per_section)`` groups (at least 2 when there are 2 sentences, at most
``max_sections``). Sections come in the order of their most salient sentence (the page leads
with what matters most); inside a section sentences are chronological: the report's publication
time, then the sentence's place in its report (undated reports by salience, each report's
sentences in their own order). :func:`closest_group` says where a lone sentence belongs: the
writer folds a section left with one sentence into it. Each section's subheading comes from
:mod:`primenews.synthesize.subheadings`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

__all__ = ["closest_group", "group_sentences", "order_group"]


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
    largest = math.ceil(len(chosen) / target) + 1  # keep sections of comparable size
    clusters: list[list[int]] = [[index] for index in chosen]
    while len(clusters) > target:
        a, b = _closest_pair(clusters, similarity, largest)
        clusters[a] = clusters[a] + clusters[b]
        del clusters[b]
    rank = {index: place for place, index in enumerate(chosen)}
    return sorted(clusters, key=lambda members: min(rank[m] for m in members))


def closest_group(
    members: Sequence[int], groups: Sequence[Sequence[int]], similarity: NDArray[np.float64]
) -> int:
    """The index of the group in ``groups`` with the highest average link to ``members``
    (the first on a tie)."""
    links = [
        float(similarity[np.ix_(list(members), list(group))].mean()) if group else -math.inf
        for group in groups
    ]
    return max(range(len(groups)), key=lambda i: (links[i], -i))


def _closest_pair(
    clusters: list[list[int]], similarity: NDArray[np.float64], largest: int
) -> tuple[int, int]:
    """The two clusters with the highest average link whose union is not over ``largest``
    (any two when every union is)."""
    best: tuple[bool, float, int, int] = (False, -math.inf, 0, 1)
    for a in range(len(clusters)):
        for b in range(a + 1, len(clusters)):
            fits = len(clusters[a]) + len(clusters[b]) <= largest
            link = float(similarity[np.ix_(clusters[a], clusters[b])].mean())
            if (fits, link) > best[:2]:
                best = (fits, link, a, b)
    return best[2], best[3]


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
