"""B-cubed precision, recall and F1 of a clustering against gold labels (Bagga & Baldwin).

For every item: precision is the share of its predicted cluster that shares its gold label,
recall the share of its gold cluster that shares its predicted cluster; both are averaged
over items, and F1 is their harmonic mean.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping
from dataclasses import dataclass

__all__ = ["BCubed", "score_bcubed"]


@dataclass(frozen=True, slots=True)
class BCubed:
    precision: float
    recall: float
    f1: float
    items: int
    clusters: int  # predicted
    gold_clusters: int


def score_bcubed(
    predicted: Mapping[Hashable, Hashable], gold: Mapping[Hashable, Hashable]
) -> BCubed:
    """Item-level B-cubed over the items of ``gold`` (an item missing from ``predicted`` is a
    singleton)."""
    items = list(gold)
    if not items:
        return BCubed(1.0, 1.0, 1.0, 0, 0, 0)
    labels = {item: predicted.get(item, ("singleton", item)) for item in items}
    pair = Counter((labels[i], gold[i]) for i in items)
    size_predicted = Counter(labels[i] for i in items)
    size_gold = Counter(gold[i] for i in items)
    precision = sum(pair[labels[i], gold[i]] / size_predicted[labels[i]] for i in items)
    recall = sum(pair[labels[i], gold[i]] / size_gold[gold[i]] for i in items)
    precision /= len(items)
    recall /= len(items)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return BCubed(precision, recall, f1, len(items), len(size_predicted), len(size_gold))
