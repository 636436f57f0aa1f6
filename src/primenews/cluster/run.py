"""The clustering stage: place every unassigned article in a story, oldest first.

Idempotent: an article already in a story is never moved again, so a second run assigns
nothing (and loads nothing). ``rebuild=True`` forgets every story and clusters the whole store
afresh. The in-memory state (:class:`ClusterIndex`) is rebuilt from the store at the start of
each run, vectors and features from their caches (:mod:`primenews.embed.cache`,
:mod:`primenews.cluster.cache`), for the stories the run's articles can reach: those
reported since :func:`reach_start` of the oldest new article (a live newsroom's run loads its
last weeks, not its whole archive), and those with undated reports. An article that could
reach further back (one dated older still, or an undated archive article) makes the run load
every story before it is placed. The document frequencies that weigh names and numbers are
then those of the stories loaded: recent news.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from primenews.cluster.assign import ClusterOptions, decide_story
from primenews.cluster.cache import cached_features
from primenews.cluster.consolidate import plan_lone_merges, plan_merges
from primenews.cluster.features import ArticleFeatures
from primenews.cluster.index import ClusterIndex, reach_start
from primenews.config import Settings
from primenews.embed import Embedder, Vectors
from primenews.embed.cache import embed_articles
from primenews.embed.text import slug_words
from primenews.models import Article, ItemError
from primenews.store import Store

__all__ = [
    "ClusterObserver",
    "ClusterReport",
    "article_vectors",
    "cluster_articles",
    "cross_vectors",
    "load_index",
]

logger = logging.getLogger(__name__)

_BATCH = 256
STAGE = "cluster"


class ClusterObserver(Protocol):
    """Progress hooks; the CLI draws a bar from them."""

    def started(self, total: int) -> None: ...

    def article_done(self, article_id: int, story_id: int) -> None: ...


@dataclass
class ClusterReport:
    """What one clustering run did."""

    assigned: int = 0
    new_stories: int = 0
    joined: int = 0
    copies: int = 0  # joined their original's story
    merges: int = 0
    consolidated: int = 0  # of the merges, those made by the consolidation passes
    cross_language_merges: int = 0  # of the merges, those made by the multilingual embedder
    flagged: Counter[str] = field(default_factory=Counter)  # reason -> articles (still placed)
    candidates_scored: int = 0
    loaded: int = 0  # placed articles whose state was loaded from the store
    full_state: bool = False  # every story was loaded (not only those the run could reach)
    seconds: float = 0.0

    @property
    def candidates_per_article(self) -> float:
        return self.candidates_scored / self.assigned if self.assigned else 0.0


def cluster_articles(
    store: Store,
    settings: Settings,
    *,
    embedder: Embedder,
    cross_embedder: Embedder | None = None,
    rebuild: bool = False,
    observer: ClusterObserver | None = None,
    options: ClusterOptions | None = None,
    full_state: bool = False,
) -> ClusterReport:
    """Assign every unassigned article to a story (``rebuild``: re-cluster everything).

    ``cross_embedder`` (multilingual, optional) merges stories that tell one event in
    different languages (see :meth:`ClusterIndex.cross_language_partners`). ``full_state``
    loads every story, not only those the new articles can reach (see the module).
    """
    started = time.perf_counter()
    options = options or ClusterOptions.from_settings(settings, embedder.name)
    if rebuild:
        store.clear_stories()
    pending = store.unassigned_article_ids()
    if observer is not None:
        observer.started(len(pending))
    report = ClusterReport()
    if not pending:
        report.seconds = time.perf_counter() - started
        return report
    embedders = _Embedders(embedder, cross_embedder)
    since = None if full_state else _horizon(store, pending[0], options)
    clusterer = _Clusterer(store, embedders, options, report, since)
    for start in range(0, len(pending), _BATCH):
        clusterer.place(store.get_articles(pending[start : start + _BATCH]), observer)
    report.candidates_scored = clusterer.scored()
    report.seconds = time.perf_counter() - started
    logger.info(
        "clustered %d articles: %d new stories, %d joined, %d copies, %d merges",
        report.assigned,
        report.new_stories,
        report.joined,
        report.copies,
        report.merges,
        extra={"stage": STAGE, "duration_ms": int(report.seconds * 1000)},
    )
    return report


def _horizon(store: Store, first_pending: int, options: ClusterOptions) -> datetime | None:
    """How far back the run's articles can reach: from the oldest of them (they come oldest
    first, by publication or else fetch time); None when it is gone meanwhile."""
    found = store.get_articles([first_pending])
    if not found:
        return None
    when = found[0].published_at or found[0].fetched_at
    if when is None:
        return None
    return reach_start(when, max(options.time_window_days, 1.0) * 86400.0)


def load_index(
    store: Store,
    embedder: Embedder,
    options: ClusterOptions,
    *,
    cross_embedder: Embedder | None = None,
    since: datetime | None = None,
) -> ClusterIndex:
    """The clustering state of the stories already in ``store``: every story, or with
    ``since`` those reported since then and those with undated reports (the index's
    ``horizon``: see :meth:`ClusterIndex.beyond_horizon`)."""
    index = ClusterIndex(
        embedder.dim,
        neighbours=options.neighbours,
        postings=options.postings,
        window_days=options.time_window_days,
    )
    index.horizon = since
    assignments = store.story_assignments(since=since)
    ids = sorted(assignments)
    for start in range(0, len(ids), _BATCH):
        articles = store.get_articles(ids[start : start + _BATCH])
        vectors = article_vectors(store, embedder, articles)
        features = cached_features(store, articles)
        index.add_many([(assignments[a.id], vectors[a.id], features[a.id]) for a in articles])
        if cross_embedder is not None:
            cross = cross_vectors(store, cross_embedder, articles, features, options)
            for article_id, vector in cross.items():
                index.add_cross(assignments[article_id], vector, features[article_id].language)
    return index


def cross_vectors(
    store: Store,
    embedder: Embedder,
    articles: Sequence[Article],
    features: dict[int, ArticleFeatures],
    options: ClusterOptions,
) -> dict[int, Vectors]:
    """Multilingual vectors of the substantial articles (enough words to say what happened)."""
    wordy = [a for a in articles if features[a.id].words >= options.cross_language_min_words]
    return embed_articles(store, embedder, wordy) if wordy else {}


@dataclass(frozen=True)
class _Embedders:
    main: Embedder
    cross: Embedder | None


def article_vectors(
    store: Store, embedder: Embedder, articles: Sequence[Article]
) -> dict[int, Vectors]:
    """Title-and-lead vectors of ``articles``: from the store's cache, computing the missing."""
    return embed_articles(store, embedder, articles)


class _Clusterer:
    def __init__(
        self,
        store: Store,
        embedders: _Embedders,
        options: ClusterOptions,
        report: ClusterReport,
        since: datetime | None,
    ) -> None:
        self.store = store
        self.embedders = embedders
        self.options = options
        self.report = report
        self.touched: dict[int, set[int]] = {}  # story -> the candidates its articles met
        self.batch_touched: dict[int, set[int]] = {}  # the same over the whole batch
        self.started: list[int] = []  # the stories the batch started
        self.since_consolidation = 0  # articles placed since the last consolidation pass
        self._scored_before = 0  # candidates scored by the states replaced
        self.index = self._load(since)

    def reload_all(self) -> None:
        """Replace a partial state by every story's."""
        self._scored_before += self.index.candidates_scored
        self.index = self._load(None)

    def _load(self, since: datetime | None) -> ClusterIndex:
        """The state from the store: the stories since ``since``, or all (None)."""
        index = load_index(
            self.store,
            self.embedders.main,
            self.options,
            cross_embedder=self.embedders.cross,
            since=since,
        )
        self.report.loaded = len(index)
        self.report.full_state = since is None
        logger.info(
            "loaded the clustering state of %d articles (%s)",
            len(index),
            "every story" if since is None else f"stories reported since {since.isoformat()}",
            extra={"stage": STAGE},
        )
        return index

    def scored(self) -> int:
        return self._scored_before + self.index.candidates_scored

    def place(self, articles: Iterable[Article], observer: ClusterObserver | None) -> None:
        batch = list(articles)
        vectors = article_vectors(self.store, self.embedders.main, batch)
        features = cached_features(self.store, batch)
        cross: dict[int, Vectors] = {}
        if self.embedders.cross is not None:
            cross = cross_vectors(self.store, self.embedders.cross, batch, features, self.options)
        for article in batch:
            if self.store.story_of(article.id) is not None:
                continue  # placed meanwhile by another worker
            if self.index.beyond_horizon(features[article.id]):
                self.reload_all()  # it may belong to a story older than those loaded
            story_id = self.place_one(
                article, vectors[article.id], features[article.id], cross.get(article.id)
            )
            if observer is not None:
                observer.article_done(article.id, story_id)
            self.since_consolidation += 1
            if self.since_consolidation >= self.options.consolidate_every:
                self.consolidate()
        self.consolidate()
        self.rehome_lone()

    def consolidate(self) -> None:
        """Merge the stories touched since the last pass with candidates they turn out to match."""
        for source, target in plan_merges(self.index, self.touched, self.options):
            self.report.consolidated += self._merge(target, (source,))
        self.touched = {}
        self.since_consolidation = 0

    def rehome_lone(self) -> None:
        """Bring the batch's one-report stories to their unambiguous nearest story."""
        plan = plan_lone_merges(self.index, self.batch_touched, self.started, self.options)
        for source, target in plan:
            self.report.consolidated += self._merge(target, (source,))
        self.batch_touched = {}
        self.started = []

    def place_one(
        self,
        article: Article,
        vector: Vectors,
        features: ArticleFeatures,
        cross: Vectors | None = None,
    ) -> int:
        self._flag(article, features)
        story_id = self._original_story(article)
        if story_id is not None:
            self.report.copies += 1
            self._join(article, story_id, vector, features, 1.0)
            if cross is not None:
                self.index.add_cross(story_id, cross, features.language)
            return story_id
        decision = decide_story(self.index, vector, features, self.options)
        if decision.story_id is None:
            story_id = self.store.create_story(_title(article))
            self.index.new_story(story_id)
            self.report.new_stories += 1
            if features.words >= self.options.lone_min_words:
                self.started.append(story_id)  # a headline or slug alone says too little
        else:
            story_id = decision.story_id
            self.report.joined += 1
        self._join(article, story_id, vector, features, decision.score)
        self._merge(story_id, decision.merge)
        self.touched.setdefault(story_id, set()).update(decision.candidate_ids)
        self.batch_touched.setdefault(story_id, set()).update(decision.candidate_ids)
        if cross is not None:
            self.index.add_cross(story_id, cross, features.language)
            partners = self.index.cross_language_partners(
                story_id,
                decision.candidate_ids,
                self.options.cross_language_threshold,
                self.options.time_window_days,
                self.options.cross_language_shared_threshold,
            )
            self.report.cross_language_merges += self._merge(story_id, tuple(partners))
        return self.index.resolve(story_id)

    def _original_story(self, article: Article) -> int | None:
        copy = self.store.copy_of(article.id)
        if copy is None:
            return None
        story_id = self.index.story_of.get(copy.original_id)
        if story_id is None:
            story_id = self.store.story_of(copy.original_id)
        return self.index.resolve(story_id) if story_id is not None else None

    def _join(
        self,
        article: Article,
        story_id: int,
        vector: Vectors,
        features: ArticleFeatures,
        score: float,
    ) -> None:
        state = self.index.stories.get(story_id)
        first = state.first if state is not None else None
        when = features.published_at
        earlier = when is not None and first is not None and when < first
        self.store.assign_article(article.id, story_id, round(float(score), 4))
        if earlier and self.store.copy_of(article.id) is None:
            self.store.set_story_title(story_id, _title(article))
        self.index.add(story_id, vector, features)
        self.report.assigned += 1

    def _merge(self, story_id: int, others: tuple[int, ...]) -> int:
        """Fold ``others`` into ``story_id``; returns how many were merged."""
        merged = 0
        for other in others:
            source = self.index.resolve(other)
            if source == story_id:
                continue
            if self.index.apart(source, story_id, self.options.time_window_days):
                logger.info(
                    "kept story %d apart from %d: their reports lie more than %g days apart",
                    source,
                    story_id,
                    self.options.time_window_days,
                    extra={"stage": STAGE},
                )
                continue
            self._keep_earliest_title(source, story_id)
            self.store.merge_stories(source, story_id)
            self.index.merge(source, story_id)
            self.report.merges += 1
            merged += 1
            logger.info("merged story %d into %d", source, story_id, extra={"stage": STAGE})
        return merged

    def _keep_earliest_title(self, source: int, target: int) -> None:
        old, new = self.store.get_story(source), self.store.get_story(target)
        if old is None or new is None or old.first_published_at is None:
            return
        if new.first_published_at is None or old.first_published_at < new.first_published_at:
            self.store.set_story_title(target, old.title)

    def _flag(self, article: Article, features: ArticleFeatures) -> None:
        reasons = []
        if not article.text.strip() and not (article.title or "").strip():
            reasons.append(("empty_article", "has no title and no text; placed by its URL"))
        elif features.words < self.options.min_words:
            reasons.append(("too_short", f"has {features.words} words; placed on little evidence"))
        if features.published_at is None:
            reasons.append(("undated", "has no publication date; clustered without time"))
        if not features.language or features.language in {"und", "unknown", "?"}:
            reasons.append(("unknown_language", "has no known language; clustered without it"))
        for reason, message in reasons:
            self.report.flagged[reason] += 1
            self.store.record_item_error(
                ItemError(
                    stage=STAGE,
                    reason=reason,
                    message=f"article {article.id} ({article.url}) {message}",
                    url=article.url,
                    source_id=article.source_id,
                )
            )


def _title(article: Article) -> str | None:
    title = (article.title or "").strip()
    if title:
        return title
    first = article.text.strip().split("\n", 1)[0][:160].strip()
    return first or slug_words(article.url) or None
