"""Consolidation passes: stories that tell one event merge, look-alikes stay apart."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from primenews.cluster import ClusterOptions, cluster_articles
from primenews.cluster.consolidate import plan_lone_merges, plan_merges, story_link
from primenews.cluster.features import extract_features
from primenews.cluster.index import ClusterIndex, StoryState
from primenews.cluster.run import article_vectors
from primenews.embed.hashing import HashingEmbedder
from primenews.store import Store
from tests.test_cluster_stage import (
    DAY0,
    QUAKE_A,
    QUAKE_B,
    RATES_A,
    RATES_B,
    add_article,
    add_reports,
    groups,
    settings_for,
)

# Online, every article starts its own story; only consolidation can gather them.
NEVER = 9.0  # above any score
SPLIT_ONLINE = ClusterOptions(threshold=NEVER, merge_threshold=NEVER)


def add_events(store: Store) -> list[list[int]]:
    return [
        add_reports(store, "qa", QUAKE_A, DAY0),
        add_reports(store, "qb", QUAKE_B, DAY0 + timedelta(days=3)),
        add_reports(store, "ra", RATES_A, DAY0 + timedelta(days=1)),
        add_reports(store, "rb", RATES_B, DAY0 + timedelta(days=4)),
    ]


@pytest.mark.parametrize("every", [1, 3, 64])  # a pass after each article, mid-batch, at its end
def test_consolidation_gathers_each_event_that_online_assignment_split(
    fresh_store: Store, store_url: str, every: int
) -> None:
    events = add_events(fresh_store)
    options = dataclasses.replace(SPLIT_ONLINE, consolidate_every=every)
    report = cluster_articles(
        fresh_store, settings_for(store_url), embedder=HashingEmbedder(), options=options
    )
    assert report.new_stories == 10  # online: one story per article
    assert report.consolidated == 6 == report.merges
    found = groups(fresh_store, *events)
    assert all(len(g) == 1 for g in found), found
    assert len(set.union(*found)) == 4  # the look-alike quakes and rate decisions stay apart
    assert fresh_store.count_stories() == 4
    for story in fresh_store.list_stories():
        assert story.article_count == len(fresh_store.story_article_ids(story.id))


def test_without_consolidation_the_split_stays(fresh_store: Store, store_url: str) -> None:
    events = add_events(fresh_store)
    options = ClusterOptions(
        threshold=NEVER, merge_threshold=NEVER, consolidate_threshold=NEVER, lone_threshold=None
    )
    report = cluster_articles(
        fresh_store, settings_for(store_url), embedder=HashingEmbedder(), options=options
    )
    assert report.consolidated == 0
    assert fresh_store.count_stories() == sum(len(e) for e in events)


def test_consolidation_is_idempotent_and_a_rebuild_repeats_it(
    fresh_store: Store, store_url: str
) -> None:
    settings = settings_for(store_url)
    add_events(fresh_store)
    embedder = HashingEmbedder()
    cluster_articles(fresh_store, settings, embedder=embedder, options=SPLIT_ONLINE)
    before = fresh_store.story_assignments()
    again = cluster_articles(fresh_store, settings, embedder=embedder, options=SPLIT_ONLINE)
    assert again.assigned == 0 and again.merges == 0
    assert fresh_store.story_assignments() == before
    rebuilt = cluster_articles(
        fresh_store, settings, embedder=embedder, options=SPLIT_ONLINE, rebuild=True
    )
    assert rebuilt.consolidated == 6
    assert _partition(fresh_store.story_assignments()) == _partition(before)


def test_a_later_run_consolidates_with_the_stories_of_an_earlier_one(
    fresh_store: Store, store_url: str
) -> None:
    settings = settings_for(store_url)
    first = add_reports(fresh_store, "qa", QUAKE_A[:1], DAY0)
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder(), options=SPLIT_ONLINE)
    later = [
        add_article(fresh_store, f"https://late.test/{i}", title, text, when=DAY0 + timedelta(i))
        for i, (title, text) in enumerate(QUAKE_A[1:], start=1)
    ]
    report = cluster_articles(
        fresh_store, settings, embedder=HashingEmbedder(), options=SPLIT_ONLINE
    )
    assert report.consolidated == 2
    (story,) = groups(fresh_store, first + later)
    assert len(story) == 1


def _states(store: Store, *id_lists: list[int]) -> tuple[ClusterIndex, list[StoryState]]:
    """An index holding one story per id list (story ids 1, 2, ...)."""
    embedder = HashingEmbedder()
    index = ClusterIndex(embedder.dim)
    for story_id, ids in enumerate(id_lists, start=1):
        articles = store.get_articles(ids)
        vectors = article_vectors(store, embedder, articles)
        index.add_many([(story_id, vectors[a.id], extract_features(a)) for a in articles])
    return index, [index.stories[s] for s in range(1, len(id_lists) + 1)]


def test_story_link_is_symmetric_and_favours_the_same_event(fresh_store: Store) -> None:
    quake_a = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    more_a = add_reports(fresh_store, "qa2", QUAKE_A[:1], DAY0 + timedelta(hours=6))
    quake_b = add_reports(fresh_store, "qb", QUAKE_B, DAY0 + timedelta(days=1))
    _index, (a, a2, b) = _states(fresh_store, quake_a[1:], more_a, quake_b)
    options = ClusterOptions()
    same = story_link(a, a2, options)
    assert same is not None and same >= options.consolidate_threshold
    assert same == story_link(a2, a, options)
    other = story_link(a, b, options)
    assert other is None or other < options.consolidate_threshold


def test_story_link_needs_the_time_window_and_shared_names_or_numbers(
    fresh_store: Store,
) -> None:
    quake = add_reports(fresh_store, "qa", QUAKE_A[:2], DAY0)
    late = add_reports(fresh_store, "late", QUAKE_A[2:], DAY0 + timedelta(days=30))
    anonymous = add_article(fresh_store, "https://x.test/a", "an earthquake", "a quake struck.")
    _index, (one, far, unnamed) = _states(fresh_store, quake, late, [anonymous])
    options = ClusterOptions()
    assert story_link(one, far, options) is None  # 30 days apart: beyond the window
    assert story_link(one, unnamed, options) is None  # no name or number in common


def test_plan_merges_leaves_the_index_as_it_was(fresh_store: Store) -> None:
    quake = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    index, stories = _states(fresh_store, quake[:1], quake[1:2], quake[2:])
    sizes = [s.size for s in stories]
    merges = plan_merges(index, {1: {2}, 3: {2}}, ClusterOptions())
    assert len(merges) == 2
    assert {target for _source, target in merges} <= {1, 2, 3}
    assert set(index.stories) == {1, 2, 3} and [s.size for s in stories] == sizes
    assert plan_merges(index, {1: set()}, ClusterOptions()) == []


def _partition(assignments: dict[int, int]) -> set[frozenset[int]]:
    by_story: dict[int, set[int]] = {}
    for article, story in assignments.items():
        by_story.setdefault(story, set()).add(article)
    return {frozenset(g) for g in by_story.values()}


def test_a_lone_report_joins_its_unambiguous_nearest_story_at_the_end_of_the_batch(
    fresh_store: Store, store_url: str
) -> None:
    """Online and by consolidation nothing merges here; the lone-report pass alone gathers
    the reports of each event, and never puts a look-alike event's report in (two close links
    leave a report alone)."""
    events = add_events(fresh_store)
    off = ClusterOptions(
        threshold=NEVER, merge_threshold=NEVER, consolidate_threshold=NEVER, lone_threshold=None
    )
    settings = settings_for(store_url)
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder(), options=off)
    assert fresh_store.count_stories() == 10
    lone = dataclasses.replace(off, lone_threshold=0.25)
    report = cluster_articles(
        fresh_store, settings, embedder=HashingEmbedder(), options=lone, rebuild=True
    )
    assert 0 < report.consolidated == report.merges
    assert fresh_store.count_stories() == 10 - report.merges
    found = groups(fresh_store, *events)
    assert all(len(g) == 1 for g in found), found  # each event gathered in one story
    assert len(set.union(*found)) == 4  # the look-alike quakes and rate decisions stay apart
    # reports shorter than lone_min_words (a headline alone) are left where they are
    terse = dataclasses.replace(lone, lone_min_words=10_000)
    report = cluster_articles(
        fresh_store, settings, embedder=HashingEmbedder(), options=terse, rebuild=True
    )
    assert report.merges == 0 and fresh_store.count_stories() == 10


def test_a_lone_report_between_two_equally_close_stories_stays_alone(fresh_store: Store) -> None:
    quake = add_reports(fresh_store, "qa", QUAKE_A, DAY0)
    twin = add_reports(fresh_store, "twin", QUAKE_A[1:2], DAY0)  # the same report elsewhere
    index, _stories = _states(fresh_store, quake[1:2], twin, quake[:1])
    options = ClusterOptions(lone_threshold=0.1)
    assert plan_lone_merges(index, {3: {1, 2}}, [3], options) == []  # no unambiguous home
    assert plan_lone_merges(index, {3: {1}}, [3], options) == [(3, 1)]
    assert plan_lone_merges(index, {3: {1}}, [], options) == []  # only the batch's stories
    assert plan_lone_merges(index, {3: {1}}, [3], ClusterOptions(lone_threshold=None)) == []
    # days after the story's span, a report like it may tell a look-alike event: it stays alone
    later = add_reports(fresh_store, "later", QUAKE_A[:1], DAY0 + timedelta(days=3))
    index, _stories = _states(fresh_store, quake[1:2], later)
    assert plan_lone_merges(index, {2: {1}}, [2], options) == []


# Fictional bouts: one champion, two challengers on two nights (look-alike events).
BOUT_RAHN = [
    (
        "Tomas Vale stops Ivo Rahn in seventh round",
        "Tomas Vale stopped Ivo Rahn in the seventh round in Halvorsby to keep his title.",
    ),
    (
        "Vale retains title against Rahn",
        "Champion Tomas Vale beat Ivo Rahn in Halvorsby, the referee stopping it in round seven.",
    ),
    (
        "Rahn beaten by Vale",
        "Ivo Rahn could not survive round seven against Tomas Vale, who keeps his title.",
    ),
]
BOUT_DAHL = [
    (
        "Tomas Vale stops Anton Dahl in sixth round",
        "Tomas Vale stopped Anton Dahl in the sixth round in Halvorsby to keep his title.",
    ),
    (
        "Vale retains title against Dahl",
        "Champion Tomas Vale beat Anton Dahl in Halvorsby, the referee stopping it in round six.",
    ),
    (
        "Dahl beaten by Vale",
        "Anton Dahl could not survive round six against Tomas Vale, who keeps his title.",
    ),
]


def test_stories_that_each_name_someone_the_other_never_names_do_not_merge(
    fresh_store: Store,
) -> None:
    rahn = add_reports(fresh_store, "rahn", BOUT_RAHN, DAY0)
    dahl = add_reports(fresh_store, "dahl", BOUT_DAHL, DAY0)
    again = add_reports(fresh_store, "again", BOUT_RAHN, DAY0)  # the same bout, elsewhere
    _index, (one, other, part) = _states(fresh_store, rahn, dahl, again)
    loose = ClusterOptions(consolidate_threshold=0.0)
    assert story_link(one, other, loose) is not None  # alike in words, names and numbers
    clashing = dataclasses.replace(loose, clash_share=0.6)
    assert (
        story_link(one, other, clashing) is None
    )  # Rahn in every report of one, Dahl of the other
    assert story_link(one, part, clashing) is not None  # one bout: no clash
    few = dataclasses.replace(clashing, clash_min_reports=4)
    assert story_link(one, other, few) is not None  # three reports are too few to tell


def test_the_dense_preset_checks_for_clashing_signatures() -> None:
    assert ClusterOptions.for_embedder("all-MiniLM-L6-v2").clash_share == 0.6
    assert ClusterOptions.for_embedder("hashing-v1-1024-c4").clash_share is None
