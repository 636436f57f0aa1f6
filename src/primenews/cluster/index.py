"""The clustering state: stories' running representations and bounded candidate retrieval.

Retrieval never scans the store. A new article's candidate stories come from

- approximate nearest-neighbour indexes (usearch HNSW, inner product) over the vectors of
  the articles already placed, one per ``window_days`` of publication time: the stories of
  the article's ``neighbours`` nearest articles in the shards its time window reaches, and
- posting lists from each name and number key to the most recent ``postings`` stories that
  used it, so that reports in another language (whose vectors differ) still meet: of the
  stories posted under the article's rarest keys, the ``posting_candidates`` sharing the most
  IDF weight with it.

Both are bounded, so the number of stories scored per article stays flat as the store grows
(``candidates_scored`` counts them), and so does the search: a store grows in time, and only
the shards within the time window of the article's date are searched, so the cost of one
assignment follows the number of articles published within that window, not the size of the
store. An article with no date (no published date, no dateline) that was fetched within the
time window of the newest dated article placed is news of now: it is filed and searched by its
fetch time, so a live store's undated entries cost what dated ones do. Any other undated
article (an archive imported long after its news) goes to one more shard, which every search
also reads, and searches every shard, since it may belong to a story of any time (its cost
grows with the weeks the store spans). A store fed only undated pages is one unsharded index.
The state is rebuilt from the store (vectors and features from their caches in the store)
by :func:`primenews.cluster.run.load_index`: every story, or only the stories a run's new
articles can reach (those reported since ``horizon``, and those with undated reports), so that
a run's start-up, too, follows the news of the last weeks rather than the size of the store.

Stories may also carry a second, multilingual vector per report (``add_cross``): the sum of
those lets :meth:`ClusterIndex.cross_language_partners` find the story that tells the same
event in another language, by average-link cosine between the two stories' reports.
"""

from __future__ import annotations

import math
from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import numpy as np
from usearch.index import Index

from primenews.cluster.features import ArticleFeatures
from primenews.embed import Vectors

__all__ = ["Candidate", "ClusterIndex", "KeyWeights", "StoryState", "reach_start"]

_EXPANSION = 64
_UNDATED = -(2**62)  # the shard of articles with no date at all


@dataclass(slots=True)
class StoryState:
    """A story's running representation, updated one article at a time."""

    id: int
    vector_sum: Vectors
    size: int = 0
    entities: Counter[str] = field(default_factory=Counter)  # sums of unit-length weights
    named: Counter[str] = field(default_factory=Counter)  # reports naming each entity
    numbers: Counter[str] = field(default_factory=Counter)
    keyphrases: Counter[str] = field(default_factory=Counter)
    first: datetime | None = None
    last: datetime | None = None
    languages: Counter[str] = field(default_factory=Counter)
    cross_sum: Vectors | None = None  # sum of the multilingual vectors of substantial reports
    cross_count: int = 0
    cross_languages: Counter[str] = field(default_factory=Counter)

    def add_cross(self, vector: Vectors, language: str | None) -> None:
        self.cross_sum = vector.copy() if self.cross_sum is None else self.cross_sum + vector
        self.cross_count += 1
        self.cross_languages.update([language or "?"])

    def cross_link(self, other: StoryState) -> float | None:
        """Mean multilingual cosine between this story's reports and ``other``'s."""
        if self.cross_sum is None or other.cross_sum is None:
            return None
        total = float(np.dot(self.cross_sum, other.cross_sum))
        return total / (self.cross_count * other.cross_count)

    def add(self, vector: Vectors, features: ArticleFeatures, weights: KeyWeights) -> None:
        self.vector_sum += vector
        self.size += 1
        self.entities.update(weights.entities)
        self.named.update(features.entities)
        self.numbers.update(weights.numbers)
        self.keyphrases.update(weights.keyphrases)
        self.languages.update([features.language or "?"])
        when = features.published_at
        if when is not None:
            self.first = when if self.first is None else min(self.first, when)
            self.last = when if self.last is None else max(self.last, when)

    def absorb(self, other: StoryState) -> None:
        self.vector_sum += other.vector_sum
        self.size += other.size
        self.entities.update(other.entities)
        self.named.update(other.named)
        self.numbers.update(other.numbers)
        self.keyphrases.update(other.keyphrases)
        self.languages.update(other.languages)
        if other.cross_sum is not None:
            self.cross_sum = (
                other.cross_sum.copy()
                if self.cross_sum is None
                else self.cross_sum + other.cross_sum
            )
            self.cross_count += other.cross_count
            self.cross_languages.update(other.cross_languages)
        for when in (other.first, other.last):
            if when is not None:
                self.first = when if self.first is None else min(self.first, when)
                self.last = when if self.last is None else max(self.last, when)

    def centroid(self) -> Vectors:
        norm = float(np.linalg.norm(self.vector_sum))
        return self.vector_sum / norm if norm > 0 else self.vector_sum


@dataclass(frozen=True, slots=True)
class KeyWeights:
    """An article's keys weighted by IDF, each family scaled to unit length."""

    entities: dict[str, float]
    numbers: dict[str, float]
    keyphrases: dict[str, float]


@dataclass(frozen=True, slots=True)
class Candidate:
    """A story worth scoring, with the best similarity of its members among the neighbours."""

    story: StoryState
    nearest: float  # best cosine between the article and one of the story's articles found


class ClusterIndex:
    """Stories, the article -> story map, document frequencies and the retrieval structures."""

    def __init__(
        self,
        dim: int,
        *,
        neighbours: int = 24,
        postings: int = 32,
        posting_candidates: int = 16,
        window_days: float = 7.0,
    ) -> None:
        self.dim = dim
        self.neighbours = neighbours
        self.shard_seconds = max(window_days, 1.0) * 86400.0  # one ANN index per window
        self.postings = postings
        self.posting_candidates = posting_candidates  # stories taken from the posting lists
        self.stories: dict[int, StoryState] = {}
        self.story_of: dict[int, int] = {}
        self.redirects: dict[int, int] = {}
        self.document_frequency: Counter[str] = Counter()
        self.documents = 0
        self.candidates_scored = 0  # stories scored, over all retrievals
        self.retrievals = 0
        self._shards: dict[int, Index] = {}
        self._window = timedelta(days=window_days)
        self._clock: datetime | None = None  # the newest publication time placed
        # stories last reported before this time were left out (None: every story is here)
        self.horizon: datetime | None = None
        self._posted: dict[str, deque[int]] = {}

    def __len__(self) -> int:
        return len(self.story_of)

    def resolve(self, story_id: int) -> int:
        while story_id in self.redirects:
            story_id = self.redirects[story_id]
        return story_id

    def idf(self, key: str) -> float:
        return math.log((1 + self.documents) / (1 + self.document_frequency[key])) + 1.0

    def weigh(self, features: ArticleFeatures) -> KeyWeights:
        """IDF weights of the article's keys, as they stand now, unit length per family."""
        return KeyWeights(
            self._unit("e:", features.entities),
            self._unit("n:", features.numbers),
            self._unit("k:", features.keyphrases),
        )

    def _unit(self, prefix: str, keys: frozenset[str]) -> dict[str, float]:
        weights = {key: self.idf(prefix + key) for key in keys}
        norm = math.sqrt(sum(w * w for w in weights.values()))
        return {key: w / norm for key, w in weights.items()} if norm else {}

    def candidates(self, vector: Vectors, features: ArticleFeatures) -> list[Candidate]:
        """Stories that may hold this article's event: a bounded set, never a scan."""
        nearest: dict[int, float] = {}
        for article_id, similarity in self._nearest_articles(vector, self._ann_time(features)):
            story_id = self.resolve(self.story_of[article_id])
            if similarity > nearest.get(story_id, -1.0):
                nearest[story_id] = similarity
        votes: dict[int, float] = {}  # stories sharing the article's rarest keys, by IDF
        for key in self._rare_keys(features):
            weight = self.idf(key)
            for story_id in self._posted.get(key, ()):
                resolved = self.resolve(story_id)
                votes[resolved] = votes.get(resolved, 0.0) + weight
        best = sorted(votes, key=votes.__getitem__, reverse=True)[: self.posting_candidates]
        for story_id in best:
            nearest.setdefault(story_id, 0.0)
        found = [Candidate(self.stories[s], v) for s, v in nearest.items() if s in self.stories]
        self.retrievals += 1
        self.candidates_scored += len(found)
        return found

    def _nearest_articles(self, vector: Vectors, when: datetime | None) -> list[tuple[int, float]]:
        """The ``neighbours`` nearest placed articles in the shards of the article's window."""
        if not self._shards or float(np.abs(vector).sum()) == 0:
            return []
        if when is None:
            reach = list(self._shards)
        else:
            shard = self._shard_of(when)
            reach = [_UNDATED, shard - 1, shard, shard + 1]  # the window either side
        found: list[tuple[int, float]] = []
        for key in reach:
            ann = self._shards.get(key)
            if ann is None or not len(ann):
                continue
            matches = ann.search(vector, min(self.neighbours, len(ann)))
            found.extend(
                (int(article), 1.0 - float(distance))
                for article, distance in zip(matches.keys, matches.distances, strict=True)
            )
        found.sort(key=lambda match: match[1], reverse=True)
        return found[: self.neighbours]

    def _ann_time(self, features: ArticleFeatures) -> datetime | None:
        """The time an article is filed and searched under (None: undated, see the module)."""
        if features.published_at is not None:
            return features.published_at
        fetched, clock = features.fetched_at, self._clock
        if fetched is not None and clock is not None and abs(fetched - clock) <= self._window:
            return fetched
        return None

    def beyond_horizon(self, features: ArticleFeatures) -> bool:
        """Whether placing this article could need a story left out of a partial state: its
        time window (two windows back, the ANN shards it reaches) starts before ``horizon``,
        or it is an archive article with no date, which may belong to a story of any time."""
        if self.horizon is None:
            return False
        when = self._ann_time(features)
        return when is None or reach_start(when, self.shard_seconds) < self.horizon

    def _shard_of(self, when: datetime | None) -> int:
        return _UNDATED if when is None else int(when.timestamp() // self.shard_seconds)

    @property
    def shards(self) -> dict[int, int]:
        """Articles in each ANN shard, by shard number (for reports and tests)."""
        return {key: len(ann) for key, ann in sorted(self._shards.items())}

    def _rare_keys(self, features: ArticleFeatures) -> Iterable[str]:
        keys = [*(f"e:{k}" for k in features.entities), *(f"n:{k}" for k in features.numbers)]
        keys.sort(key=self.idf, reverse=True)
        return keys[:8]

    def new_story(self, story_id: int) -> StoryState:
        state = StoryState(story_id, np.zeros(self.dim, dtype=np.float32))
        self.stories[story_id] = state
        return state

    def add(self, story_id: int, vector: Vectors, features: ArticleFeatures) -> None:
        """Record that ``features.article_id`` now belongs to ``story_id``."""
        self.add_many([(story_id, vector, features)])

    def add_many(self, items: Sequence[tuple[int, Vectors, ArticleFeatures]]) -> None:
        """Record many placements at once (one batched ANN insert: rebuilding is faster)."""
        shards: dict[int, tuple[list[int], list[Vectors]]] = {}
        for story_id, vector, features in items:
            self._place(self.resolve(story_id), vector, features)
            when = self._ann_time(features)
            published = features.published_at
            if published is not None:
                self._clock = published if self._clock is None else max(self._clock, published)
            if float(np.abs(vector).sum()) > 0:
                keys, rows = shards.setdefault(self._shard_of(when), ([], []))
                keys.append(features.article_id)
                rows.append(vector)
        for shard, (keys, rows) in shards.items():
            ann = self._shards.get(shard)
            if ann is None:
                ann = Index(ndim=self.dim, metric="ip", dtype="f16", expansion_search=_EXPANSION)
                self._shards[shard] = ann
            ann.add(np.asarray(keys, dtype=np.uint64), np.stack(rows).astype(np.float32))

    def _place(self, story_id: int, vector: Vectors, features: ArticleFeatures) -> None:
        state = self.stories.get(story_id) or self.new_story(story_id)
        state.add(vector, features, self.weigh(features))
        article_id = features.article_id
        self.story_of[article_id] = story_id
        self.documents += 1
        keys = [*(f"e:{k}" for k in features.entities), *(f"n:{k}" for k in features.numbers)]
        self.document_frequency.update(keys)
        self.document_frequency.update(f"k:{k}" for k in features.keyphrases)
        for key in keys:
            posted = self._posted.setdefault(key, deque(maxlen=self.postings))
            if story_id not in posted:
                posted.append(story_id)

    def add_cross(self, story_id: int, vector: Vectors, language: str | None) -> None:
        """Record the multilingual vector of a substantial report of ``story_id``."""
        state = self.stories.get(self.resolve(story_id))
        if state is not None and float(np.abs(vector).sum()) > 0:
            state.add_cross(vector, language)

    def cross_language_partners(
        self,
        story_id: int,
        candidate_ids: Iterable[int],
        threshold: float,
        window_days: float,
        shared_threshold: float = 1.0,
    ) -> list[int]:
        """Candidate stories telling ``story_id``'s event in another language, best first.

        A partner's substantial reports are in other languages than ``story_id``'s, its span
        lies within ``window_days`` of the story's, and the mean multilingual cosine between
        the two stories' reports reaches the threshold :func:`_needed_link` says.
        """
        story = self.stories.get(self.resolve(story_id))
        if story is None or story.cross_sum is None:
            return []
        found: list[tuple[float, int]] = []
        for other_id in {self.resolve(c) for c in candidate_ids} - {story.id}:
            other = self.stories.get(other_id)
            if other is None or _span_gap_days(story, other) > window_days:
                continue
            needed = _needed_link(story, other, threshold, shared_threshold)
            link = story.cross_link(other)
            if needed is not None and link is not None and link >= needed:
                found.append((link, other_id))
        return [other_id for _link, other_id in sorted(found, reverse=True)]

    def apart(self, one_id: int, other_id: int, window_days: float) -> bool:
        """Whether the two stories' dated spans lie more than ``window_days`` apart.

        Candidates checked one by one against a third story (the partners of an undated
        report, the stories an article bridges) can be near it and yet months from each
        other: folding them in turn must not join two look-alike events that way.
        """
        one = self.stories.get(self.resolve(one_id))
        other = self.stories.get(self.resolve(other_id))
        return one is not None and other is not None and _span_gap_days(one, other) > window_days

    def merge(self, source_id: int, target_id: int) -> None:
        """Fold story ``source_id`` into ``target_id``; its id redirects from now on."""
        source_id, target_id = self.resolve(source_id), self.resolve(target_id)
        if source_id == target_id:
            return
        source = self.stories.pop(source_id)
        target = self.stories.get(target_id) or self.new_story(target_id)
        target.absorb(source)
        self.redirects[source_id] = target_id


def reach_start(when: datetime, shard_seconds: float) -> datetime:
    """The earliest publication time an article of time ``when`` can meet: the start of the
    ANN shard before its own (a story a posting list offers must lie within one window, which
    is less), with a day to spare."""
    return when - timedelta(seconds=2 * shard_seconds, days=1)


def _needed_link(
    one: StoryState, other: StoryState, threshold: float, shared_threshold: float
) -> float | None:
    """The multilingual link two stories need to merge, or None when they may not.

    Stories whose substantial reports share no language need ``threshold``. Stories with a
    language in common but not all were already compared on those reports by the main
    (monolingual) scorer and kept apart: they need the stricter ``shared_threshold``.
    Stories in exactly the same languages are the main scorer's business alone.
    """
    mine, theirs = set(one.cross_languages), set(other.cross_languages)
    if not mine or not theirs or mine == theirs:
        return None
    return threshold if mine.isdisjoint(theirs) else shared_threshold


def _span_gap_days(one: StoryState, other: StoryState) -> float:
    """Days between the two stories' spans (0 when they overlap or either has no date)."""
    if one.first is None or one.last is None or other.first is None or other.last is None:
        return 0.0
    gap = max(one.first, other.first) - min(one.last, other.last)
    return max(gap.total_seconds(), 0.0) / 86400.0
