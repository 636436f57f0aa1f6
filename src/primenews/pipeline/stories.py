"""The stories stage: mark copies, then place every new article in a story.

Both steps are idempotent, so the stage can run again (or on another machine) at any time:
articles already checked for copies and articles already in a story are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from primenews.cluster import ClusterObserver, ClusterReport, cluster_articles
from primenews.config import Settings
from primenews.dedupe import CopyReport, detect_copies
from primenews.embed import Embedder
from primenews.store import Store

__all__ = ["StoriesReport", "build_stories"]


@dataclass(frozen=True)
class StoriesReport:
    copies: CopyReport
    clusters: ClusterReport


def build_stories(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder,
    cross_embedder: Embedder | None = None,
    rebuild: bool = False,
    observer: ClusterObserver | None = None,
) -> StoriesReport:
    """Copies first (a copy joins its original's story), then clustering."""
    copies = detect_copies(store)
    clusters = cluster_articles(
        store,
        settings,
        embedder=embedder,
        cross_embedder=cross_embedder,
        rebuild=rebuild,
        observer=observer,
    )
    return StoriesReport(copies, clusters)
