"""Consolidation passes: merge stories that turn out to tell one event.

Online assignment sees each article once, in time order: the first reports of an event may
start two stories before enough reports exist to tie them together, and a report that would
bridge them may have arrived earlier still. Every ``consolidate_every`` articles (and at the
end of each batch), the stories touched since the last pass are compared with the candidate
stories their new articles were scored against, story to story, by :func:`story_link`: the
score :func:`~primenews.cluster.assign.score_story` gives an article, averaged over every
pair of reports (average link), with the time penalty taken on the gap between the two
stories' spans, and only for stories sharing names or numbers (``consolidate_min_evidence``).
The best pair scoring ``consolidate_threshold`` or more merges first, its links are
re-scored, and so on until no pair reaches it (greedy average-link agglomeration over a
bounded candidate graph, never a scan of the store).

At the end of each batch, :func:`plan_lone_merges` looks again at the stories the batch
started that still hold one report (of ``lone_min_words`` at least: a headline alone says too
little). A report whose words matched no story well enough to join it online (outlets of
opposite slant tell one event in few shared words) joins the candidate story in its language
and within a day of it that it links to best, names and numbers not required, when that link
reaches ``lone_threshold`` and leads the next best by ``lone_margin`` (an unambiguous nearest
story; look-alike events give two close links and the report stays alone).
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Iterable, Mapping

import numpy as np

from primenews.cluster.assign import ClusterOptions, Evidence, combine
from primenews.cluster.index import ClusterIndex, StoryState

__all__ = ["plan_lone_merges", "plan_merges", "story_link"]

_DAY = 86400.0
# a lone report further than this from a story's span is no later report of it: a look-alike
# event days on (a second quake in the region) would otherwise find its only close link there
_LONE_GAP_DAYS = 1.0


def story_link(
    one: StoryState, other: StoryState, options: ClusterOptions, *, concrete: bool = True
) -> float | None:
    """Average-link score of two stories (about 0-1), or None when they may not merge.

    They may not when their spans lie more than ``time_window_days`` apart, or (when
    ``concrete``) when their reports share, on average, no more than
    ``consolidate_min_evidence`` of name and number overlap (text alike but nothing concrete
    in common, as with look-alike headlines), or when their signatures clash (see
    :func:`_signatures_clash`: each names someone the other never does).
    """
    gap = _span_gap_days(one, other)
    if gap is not None and gap > options.time_window_days:
        return None
    if _signatures_clash(one, other, options):
        return None
    pairs = max(one.size, 1) * max(other.size, 1)
    mean = float(np.dot(one.vector_sum, other.vector_sum)) / pairs
    names = _pair_overlap(one.entities, other.entities) / pairs
    numbers = _pair_overlap(one.numbers, other.numbers) / pairs
    keys = _pair_overlap(one.keyphrases, other.keyphrases) / pairs
    if concrete and names + numbers <= options.consolidate_min_evidence:
        return None
    evidence = Evidence(mean, mean, names, numbers, keys)  # average link stands for nearest too
    return combine(evidence, options, other_language=_other_languages(one, other), gap=gap)


def _signatures_clash(one: StoryState, other: StoryState, options: ClusterOptions) -> bool:
    """Whether each story names, in at least ``clash_share`` of its reports, someone or
    something the other never names: two look-alike events ("Klitschko stops Rahman",
    "Klitschko stops Thompson"), not one event told by different outlets. Only stories of
    ``clash_min_reports`` reports or more have signatures worth the name."""
    share, least = options.clash_share, options.clash_min_reports
    if share is None or one.size < least or other.size < least:
        return False
    return _signature_missing(one, other, share) and _signature_missing(other, one, share)


def _signature_missing(one: StoryState, other: StoryState, share: float) -> bool:
    least = share * one.size
    return any(n >= least and other.named[key] == 0 for key, n in one.named.items())


def plan_merges(
    index: ClusterIndex, neighbours: Mapping[int, Iterable[int]], options: ClusterOptions
) -> list[tuple[int, int]]:
    """The merges (source, target) consolidation makes, in order; ``index`` is not changed.

    ``neighbours`` maps each story a batch touched to the stories its articles were scored
    against. Stories are merged in a scratch copy of their states, so that each later pair
    is scored on the merged stories.
    """
    queue = _Queue(_graph(index, neighbours), index, options)
    merges: list[tuple[int, int]] = []
    while (pair := queue.pop()) is not None:
        merges.append(queue.merge(*pair))
    return merges


def plan_lone_merges(
    index: ClusterIndex,
    neighbours: Mapping[int, Iterable[int]],
    lone: Iterable[int],
    options: ClusterOptions,
) -> list[tuple[int, int]]:
    """The merges (source, target) that bring one-report stories home at the end of a batch.

    ``lone`` are the stories the batch started; ``neighbours`` maps each story the batch
    touched to the stories its articles were scored against. A started story still holding
    one report joins its unambiguous nearest story (see ``_Queue.home_of_lone``); judged at
    the end of the batch, when the story's later reports have had their chance to join it.
    """
    if options.lone_threshold is None:
        return []
    queue = _Queue(_graph(index, neighbours), index, options, scored=False)
    merges: list[tuple[int, int]] = []
    for story in sorted({index.resolve(s) for s in lone}):
        target = queue.home_of_lone(story)
        if target is not None:
            merges.append(queue.merge(story, target))
    return merges


class _Queue:
    """Candidate pairs by score, over scratch copies of the stories (the index stays as is)."""

    def __init__(
        self,
        graph: dict[int, set[int]],
        index: ClusterIndex,
        options: ClusterOptions,
        *,
        scored: bool = True,  # False: no pairs queued (the lone pass scores its own)
    ):
        self.graph = graph
        self.options = options
        self.scored = scored
        self.states = {s: _copy(index.stories[s]) for s in graph}
        self.version = dict.fromkeys(graph, 0)
        self.heap: list[tuple[float, int, int, int, int]] = []
        for one in sorted(graph) if scored else ():
            for other in sorted(graph[one]):
                if one < other:
                    self.push(one, other)

    def push(self, one: int, other: int) -> None:
        """Score the pair and queue it when it passes ``consolidate_threshold``."""
        one, other = min(one, other), max(one, other)
        score = story_link(self.states[one], self.states[other], self.options)
        if score is not None and score >= self.options.consolidate_threshold:
            entry = (-score, one, other, self.version[one], self.version[other])
            heapq.heappush(self.heap, entry)

    def pop(self) -> tuple[int, int] | None:
        """The best pair still current (neither story changed since it was scored)."""
        while self.heap:
            _score, one, other, v_one, v_other = heapq.heappop(self.heap)
            if self.version.get(one) == v_one and self.version.get(other) == v_other:
                return one, other
        return None

    def home_of_lone(self, story: int) -> int | None:
        """The story a one-report ``story`` belongs to, if any: its best linked neighbour in
        its language and within a day of its span, when that link reaches ``lone_threshold``
        (names and numbers not required) and leads the next best by ``lone_margin``: an
        unambiguous nearest story. Failing that, the same by the multilingual cosine among
        the neighbours with reports in other languages (:meth:`_home_across_languages`)."""
        state = self.states.get(story)
        threshold = self.options.lone_threshold
        if state is None or state.size != 1 or threshold is None:
            return None
        links = [
            (score, other)
            for other in self._near(state, story)
            if not _other_languages(state, self.states[other])
            and (score := story_link(state, self.states[other], self.options, concrete=False))
            is not None
        ]
        home = _unambiguous(links, threshold, self.options.lone_margin)
        if home is None:
            home = self._settle_tie(state, links, threshold)
        return home if home is not None else self._home_across_languages(state, story)

    def _settle_tie(
        self, state: StoryState, links: list[tuple[float, int]], threshold: float
    ) -> int | None:
        """When the best link reaches ``threshold`` but others lie within ``lone_margin`` of
        it (the monolingual scorer cannot tell those stories apart), the one of them the
        multilingual vectors prefer by ``lone_tie_margin``: a second, independent model's
        opinion (outlets of opposite slant retell one event in few shared words)."""
        tie = self.options.lone_tie_margin
        if tie is None or state.cross_sum is None or not links:
            return None
        best = max(score for score, _other in links)
        if best < threshold:
            return None
        close = [other for score, other in links if score >= best - self.options.lone_margin]
        cross = [
            (link, other)
            for other in close
            if (link := state.cross_link(self.states[other])) is not None
        ]
        if len(close) < 2 or len(cross) < len(close):
            return None  # a candidate without multilingual vectors could be the one
        return _unambiguous(cross, -np.inf, tie)

    def _home_across_languages(self, state: StoryState, story: int) -> int | None:
        """The neighbour telling a lone report's event in other languages: the monolingual
        scorer cannot compare a German report with an English story, but the multilingual
        vectors can, and at the end of a batch every story it might join is there to compare
        (the online cross-language merge needs a fixed, higher link, having no runner-up)."""
        threshold = self.options.lone_cross_threshold
        if threshold is None or state.cross_sum is None:
            return None
        mine = set(state.cross_languages)
        links = [
            (link, other)
            for other in self._near(state, story)
            if not set(self.states[other].cross_languages) <= mine
            and (link := state.cross_link(self.states[other])) is not None
        ]
        return _unambiguous(links, threshold, self.options.lone_cross_margin)

    def _near(self, state: StoryState, story: int) -> list[int]:
        """The neighbours of ``story`` within a day of its span (undated: all)."""
        return [
            other
            for other in sorted(self.graph.get(story, ()))
            if (_span_gap_days(state, self.states[other]) or 0.0) <= _LONE_GAP_DAYS
        ]

    def merge(self, one: int, other: int) -> tuple[int, int]:
        """Fold the smaller story into the larger; re-score the links of the result."""
        source, target = _order(self.states[one], self.states[other])
        self.states[target].absorb(self.states.pop(source))
        del self.version[source]
        self.version[target] += 1
        links = (self.graph.pop(source) | self.graph[target]) - {source, target}
        self.graph[target] = links
        for node in sorted(links):
            self.graph[node].discard(source)
            self.graph[node].add(target)
            if self.scored:
                self.push(target, node)
        return source, target


def _unambiguous(links: list[tuple[float, int]], threshold: float, margin: float) -> int | None:
    """The best of ``links`` (score, story) when it reaches ``threshold`` and leads the next
    best by ``margin``, else None."""
    ranked = sorted(links, reverse=True)
    if not ranked or ranked[0][0] < threshold:
        return None
    runner_up = ranked[1][0] if len(ranked) > 1 else -np.inf
    return ranked[0][1] if ranked[0][0] - runner_up >= margin else None


def _graph(index: ClusterIndex, neighbours: Mapping[int, Iterable[int]]) -> dict[int, set[int]]:
    """Undirected candidate links between live stories (redirects followed)."""
    graph: dict[int, set[int]] = {}
    for story, others in neighbours.items():
        one = index.resolve(story)
        if one not in index.stories:
            continue
        for other in others:
            two = index.resolve(other)
            if two != one and two in index.stories:
                graph.setdefault(one, set()).add(two)
                graph.setdefault(two, set()).add(one)
    return graph


def _order(one: StoryState, other: StoryState) -> tuple[int, int]:
    """(source, target): the larger story absorbs the smaller; on a tie, the older id."""
    if (other.size, -other.id) > (one.size, -one.id):
        return one.id, other.id
    return other.id, one.id


def _copy(state: StoryState) -> StoryState:
    copy = StoryState(state.id, np.zeros_like(state.vector_sum))
    copy.absorb(state)
    return copy


def _pair_overlap(one: Counter[str], other: Counter[str]) -> float:
    """Sum over every pair of reports of the cosine of their unit-weighted keys."""
    small, large = (one, other) if len(one) <= len(other) else (other, one)
    return sum(w * large.get(key, 0.0) for key, w in small.items())


def _other_languages(one: StoryState, other: StoryState) -> bool:
    mine = {lang for lang, n in one.languages.items() if n and lang != "?"}
    theirs = {lang for lang, n in other.languages.items() if n and lang != "?"}
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)


def _span_gap_days(one: StoryState, other: StoryState) -> float | None:
    """Days between the two stories' spans (0 when they overlap; None when either is undated)."""
    if one.first is None or one.last is None or other.first is None or other.last is None:
        return None
    gap = max(one.first, other.first) - min(one.last, other.last)
    return max(gap.total_seconds(), 0.0) / _DAY
