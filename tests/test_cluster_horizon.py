"""A clustering run loads only the stories its new articles can reach (real stores).

A live newsroom's run places a few new articles into a store holding months of news: it must
load the last weeks' stories, not the archive, and still place every article where a run
holding every story would.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from primenews.cluster import cluster_articles
from primenews.embed.hashing import HashingEmbedder
from primenews.store import Store, open_store
from tests import test_cluster_stage as stage

MONTHS_AGO = stage.DAY0 - timedelta(days=60)


def test_a_run_loads_only_the_stories_reported_within_reach(
    fresh_store: Store, store_url: str
) -> None:
    settings = stage.settings_for(store_url)
    old_quake = stage.add_reports(fresh_store, "qa", stage.QUAKE_A, MONTHS_AGO)
    old_rates = stage.add_reports(fresh_store, "ra", stage.RATES_A, MONTHS_AGO + timedelta(days=1))
    first = stage.add_article(fresh_store, "https://b.test/1", *stage.QUAKE_B[0], when=stage.DAY0)
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder())

    later = stage.add_reports(fresh_store, "qb", stage.QUAKE_B[1:], stage.DAY0 + timedelta(hours=3))
    report = cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    assert report.assigned == 2
    assert report.loaded == 1  # the recent story's one report; not the months-old stories
    assert not report.full_state
    quake_b, quake_a, rates_a = stage.groups(fresh_store, [first, *later], old_quake, old_rates)
    assert len(quake_b) == 1 and quake_b not in (quake_a, rates_a)


def test_a_run_with_nothing_new_loads_nothing(fresh_store: Store, store_url: str) -> None:
    settings = stage.settings_for(store_url)
    stage.add_reports(fresh_store, "qa", stage.QUAKE_A, stage.DAY0)
    assert cluster_articles(fresh_store, settings, embedder=HashingEmbedder()).assigned == 3
    again = cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    assert (again.assigned, again.loaded) == (0, 0)


def test_a_late_report_of_an_old_story_reaches_it(fresh_store: Store, store_url: str) -> None:
    """Dated long ago: the run's horizon starts from it, so its old story is loaded."""
    settings = stage.settings_for(store_url)
    old_quake = stage.add_reports(fresh_store, "qa", stage.QUAKE_A[:2], MONTHS_AGO)
    stage.add_reports(fresh_store, "rb", stage.RATES_B, stage.DAY0)
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder())

    late = stage.add_article(
        fresh_store, "https://late.test/q", *stage.QUAKE_A[2], when=MONTHS_AGO + timedelta(hours=5)
    )
    recent = stage.add_article(
        fresh_store, "https://b.test/new", *stage.QUAKE_B[0], when=stage.DAY0
    )
    report = cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    assert report.loaded == 4  # the horizon reaches back to the late report's weeks
    (quake_a,) = stage.groups(fresh_store, [*old_quake, late])
    assert len(quake_a) == 1
    assert fresh_store.story_assignments()[recent] not in quake_a


def test_an_undated_archive_report_makes_the_run_load_every_story(
    fresh_store: Store, store_url: str
) -> None:
    """No date, fetched far from the news of the store: it may belong to a story of any
    time, so the run loads every story before placing it."""
    settings = stage.settings_for(store_url)
    old_quake = stage.add_reports(fresh_store, "qa", stage.QUAKE_A[:2], MONTHS_AGO)
    later = stage.DAY0 + timedelta(days=30)  # the store's news runs a month past the fetch time
    stage.add_reports(fresh_store, "rb", stage.RATES_B, later)
    cluster_articles(fresh_store, settings, embedder=HashingEmbedder())

    recent = stage.add_article(fresh_store, "https://b.test/new", *stage.QUAKE_B[0], when=later)
    archive = stage.add_article(fresh_store, "https://archive.test/q", *stage.QUAKE_A[2], when=None)
    report = cluster_articles(fresh_store, settings, embedder=HashingEmbedder())
    assert report.full_state
    assert report.loaded >= 4
    (quake_a,) = stage.groups(fresh_store, [*old_quake, archive])
    assert len(quake_a) == 1
    assert fresh_store.story_assignments()[recent] not in quake_a


def test_runs_over_a_partial_state_place_articles_as_runs_over_every_story(
    tmp_path: Path,
) -> None:
    """Week by week, the same reports end in the same stories either way."""
    weeks = [
        ("qa", stage.QUAKE_A, stage.DAY0),
        ("ra", stage.RATES_A, stage.DAY0 + timedelta(days=9)),
        ("qb", stage.QUAKE_B, stage.DAY0 + timedelta(days=25)),
        ("rb", stage.RATES_B, stage.DAY0 + timedelta(days=26)),
        (
            "qa2",
            stage.QUAKE_A,
            stage.DAY0 + timedelta(days=60),
        ),  # a look-alike of the first, months on
    ]
    partitions = []
    for full in (False, True):
        url = f"sqlite:///{tmp_path / f'full-{full}.db'}"
        store = open_store(url)
        try:
            loaded = []
            for prefix, reports, when in weeks:
                stage.add_reports(store, prefix, reports, when)
                report = cluster_articles(
                    store, stage.settings_for(url), embedder=HashingEmbedder(), full_state=full
                )
                loaded.append(report.loaded)
            urls = {a.id: a.url for a in store.iter_articles()}
            stories: dict[int, set[str]] = {}
            for article_id, story_id in store.story_assignments().items():
                stories.setdefault(story_id, set()).add(urls[article_id])
            partitions.append({frozenset(members) for members in stories.values()})
            assert loaded[-1] == (10 if full else 0)  # two months on: nothing within reach
        finally:
            store.close()
    assert partitions[0] == partitions[1]
    assert len(partitions[0]) == 5
