"""The website's queries on a fresh store (SQLite and PostgreSQL): ranking, search, sources."""

from __future__ import annotations

from dataclasses import replace

import pytest

from primenews.errors import MigrationError, StoreError
from primenews.models import ExtractedArticle, SourceKind
from primenews.store import ArticleRecord, Store
from primenews.store.migrations import _migration, load_migrations
from primenews.store.web import HALF_LIFE_DAYS, rank_score, search_stems, search_terms
from tests.webdata import FERRY, ORCHARD, Report, add_article, add_story, add_version


def test_migration_0004_ships_one_file_per_dialect() -> None:
    web = next(m for m in load_migrations() if m.version == 4)
    assert "fts5" in web.for_dialect("sqlite")
    assert "GIN" in web.for_dialect("postgresql") and "fts5" not in web.for_dialect("postgresql")


def test_a_migration_is_common_or_per_dialect_never_both() -> None:
    assert _migration(5, "x", ("x", "SELECT 1"), {}).for_dialect("postgresql") == "SELECT 1"
    both = _migration(5, "x", None, {"sqlite": "A", "postgresql": "B"})
    assert (both.for_dialect("sqlite"), both.for_dialect("postgresql")) == ("A", "B")
    with pytest.raises(MigrationError, match="both a common and a dialect file"):
        _migration(5, "x", ("x", "A"), {"sqlite": "B"})
    with pytest.raises(MigrationError, match="lacks a file for"):
        _migration(5, "x", None, {"sqlite": "B"})


def test_rank_score_weighs_breadth_above_recency() -> None:
    assert rank_score(6, 6, 0) > rank_score(4, 6, 0) > rank_score(1, 6, 0)
    assert rank_score(4, 5, HALF_LIFE_DAYS) < rank_score(4, 5, 0)
    # the review's case: six outlets / eleven reports 2.5 days older beat four / five now,
    # and so do five outlets with fourteen reports two days older (the demo's quake)
    assert rank_score(6, 11, 2.5) > rank_score(4, 5, 0)
    assert rank_score(5, 14, 2.1) > rank_score(4, 5, 0)
    # outlets count more than reports: one outlet filing ten reports is not ten outlets
    assert rank_score(1, 10, 0) < rank_score(3, 3, 0)
    # a doubling of (1 + outlets) is worth six half-lives: 3 outlets == 1 outlet, 6 days newer
    assert rank_score(3, 1, 6 * HALF_LIFE_DAYS) == pytest.approx(rank_score(1, 1, 0), abs=1e-5)
    assert rank_score(6, 6, 14) < rank_score(1, 1, 0)  # a fresh story wins in the end
    assert rank_score(2, 2, -1.0) == rank_score(2, 2, 0)  # never newer than the newest


def _reports(topic: str, outlets: int, count: int, start: float) -> list[Report]:
    """``count`` fictional reports from ``outlets`` outlets, an hour apart from ``start``."""
    return [
        Report(
            f"{topic.title()} Outlet {n % outlets}",
            f"{topic.title()} report number {n}",
            f"The {topic} in Dravo Vale was reported again on day {n}. Nothing else changed.",
            hours=start + n,
        )
        for n in range(count)
    ]


def test_top_stories_rank_independent_outlets_then_recency(fresh_store: Store) -> None:
    # the review's case: 6 outlets / 11 reports ranked under 4 outlets / 5 reports, ~2.4 days newer
    quake = add_story(fresh_store, "Quake", _reports("quake", 6, 11, 0))  # latest: hour 10
    ferry = add_story(fresh_store, "Ferry", _reports("ferry", 4, 5, 64))  # latest: hour 68
    # five reports from five outlets, but four are copies of the first: one independent outlet
    wire = add_story(
        fresh_store, "Wire", _reports("wire", 5, 5, 66), copies={1: 0, 2: 0, 3: 0, 4: 0}
    )  # latest: hour 70, the newest story
    lone = add_story(fresh_store, "Lone", _reports("lone", 1, 1, 60))  # hour 60, one outlet
    listing = fresh_store.top_stories(10)
    order = [x.story_id for x in listing.items]
    assert order == [quake.story_id, ferry.story_id, wire.story_id, lone.story_id]
    outlets = {x.story_id: (x.independent_outlets, x.independent_count) for x in listing.items}
    assert outlets[quake.story_id] == (6, 11)
    assert outlets[wire.story_id] == (1, 1)
    # the newest story has age 0: its score is its breadth alone, whatever the clock says
    newest = next(x for x in listing.items if x.story_id == wire.story_id)
    assert newest.score == rank_score(1, 1, 0)
    # paging walks the same order
    seen, cursor = [], None
    while True:
        page = fresh_store.top_stories(1, cursor)
        seen += [x.story_id for x in page.items]
        if (cursor := page.next_cursor) is None:
            break
    assert seen == order


def test_search_stems_cut_plural_endings_and_keep_short_words() -> None:
    assert search_stems(("ferries", "strikes", "bus", "press", "crisis", "news", "x")) == (
        "ferr",
        "strike",
        "bus",
        "press",
        "crisis",
        "new",
        "x",
    )


def test_search_matches_word_starts(fresh_store: Store) -> None:
    ferry = add_story(fresh_store, "Ferry strike in Port Ansel", FERRY)
    for query in ("ferries", "Ferry", "strikes", "STRIK"):
        assert [h.story_id for h in fresh_store.search(query, 10).stories] == [ferry.story_id]
    assert fresh_store.search("erry", 10).stories == ()  # the start of a word, not its middle


def test_search_terms_are_words_only() -> None:
    assert search_terms('Ferry" OR crews* NEAR(x) ferry') == ("ferry", "or", "crews", "near", "x")
    assert search_terms("  -- ;; ") == ()


def test_top_stories_rank_page_and_filter(fresh_store: Store) -> None:
    ferry = add_story(fresh_store, "Ferry strike in Port Ansel", FERRY, topic="transport")
    orchard = add_story(fresh_store, "Hail in the Brenn valley", ORCHARD, topic="climate")
    held = add_story(
        fresh_store,
        "Held story",
        [Report("X", "Held one", "Nothing to see. Really.")],
        published=False,
    )
    listing = fresh_store.top_stories(10)
    # the orchard story is more than a day newer, but the ferry has 3 outlets to its 2
    assert [x.story_id for x in listing.items] == [ferry.story_id, orchard.story_id]
    assert held.story_id not in [x.story_id for x in listing.items]
    assert dict(listing.topics) == {"transport": 1, "climate": 1}
    first = fresh_store.top_stories(1)
    assert [x.story_id for x in first.items] == [ferry.story_id] and first.next_cursor
    second = fresh_store.top_stories(1, first.next_cursor)
    assert [x.story_id for x in second.items] == [orchard.story_id]
    assert second.next_cursor is None
    only = fresh_store.top_stories(10, None, "transport")
    assert [(x.story_id, x.topic, x.independent_count) for x in only.items] == [
        (ferry.story_id, "transport", 3)
    ]
    with pytest.raises(StoreError):
        fresh_store.top_stories(10, "not-a-cursor")


def test_top_stories_show_the_latest_published_version_and_skip_merged(
    fresh_store: Store,
) -> None:
    ferry = add_story(fresh_store, "Ferry strike", FERRY)
    newer = replace(ferry.page, headline="Ferry strike enters second day")
    add_version(fresh_store, newer, ferry.article_ids, version=2, hours=5)
    add_version(
        fresh_store,
        replace(ferry.page, headline="Held v3"),
        ferry.article_ids,
        version=3,
        published=False,
    )
    (item,) = fresh_store.top_stories(10).items
    assert item.version.version == 2 and item.version.page.headline.endswith("second day")
    orchard = add_story(fresh_store, "Hail", ORCHARD)
    fresh_store.merge_stories(orchard.story_id, ferry.story_id)
    assert [x.story_id for x in fresh_store.top_stories(10).items] == [ferry.story_id]


def test_search_finds_stories_and_articles(fresh_store: Store) -> None:
    ferry = add_story(fresh_store, "Ferry strike in Port Ansel", FERRY)
    add_story(fresh_store, "Hail in the Brenn valley", ORCHARD)
    found = fresh_store.search("ferries moorings", 10)
    assert found.terms == ("ferr", "mooring")
    assert [h.story_id for h in found.stories] == [ferry.story_id]
    assert [h.article.title for h in found.articles] == [FERRY[1].title]
    assert fresh_store.search("hailstorm", 10).stories[0].headline == "Hail in the Brenn valley"
    assert fresh_store.search("nonexistentword", 10).stories == ()
    # query syntax is never passed through: quotes, operators and stars are just words
    assert fresh_store.search('"ferry" OR crews* AND (', 10).articles == ()
    assert fresh_store.search("Ferry OR", 10).articles == ()
    assert fresh_store.search("***", 10).stories == ()


def test_search_follows_article_revisions_and_new_versions(fresh_store: Store) -> None:
    ferry = add_story(fresh_store, "Ferry strike", FERRY)
    article = fresh_store.get_articles(ferry.article_ids)[0]
    revised = ExtractedArticle(
        url=article.url,
        title=article.title,
        text="Crews returned to the wheelhouses.",
        outlet=article.outlet,
        language="en",
        published_at=article.published_at,
    )
    fresh_store.save_article(ArticleRecord(revised, article.canonical_url, "hash-revised"))
    assert [h.article.id for h in fresh_store.search("wheelhouses", 10).articles] == [article.id]
    assert fresh_store.search("stranded", 10).articles == ()
    add_version(
        fresh_store,
        replace(ferry.page, headline="Ferry talks collapse overnight"),
        ferry.article_ids,
        version=2,
    )
    hits = fresh_store.search("collapse", 10).stories
    assert [(h.story_id, h.version) for h in hits] == [(ferry.story_id, 2)]
    assert fresh_store.search("collapse", 10).stories[0].summary.startswith("Ferry crews")


def test_source_reports_page_through_with_their_stories(fresh_store: Store) -> None:
    source, _ = fresh_store.add_source(SourceKind.FEED, "https://ledger.example/feed.xml")
    ferry = add_story(fresh_store, "Ferry strike", FERRY, source_id=source.id)
    lone = add_article(
        fresh_store,
        Report("The Harbour Ledger", "Lone", "A lone report.", hours=9),
        source_id=source.id,
    )
    first = fresh_store.source_reports(source.id, 2)
    assert first.items[0].article.id == lone.id and first.next_cursor
    assert first.items[0].story_id is None and first.items[1].story_id == ferry.story_id
    assert first.items[1].story_headline == "Ferry strike"
    rest = fresh_store.source_reports(source.id, 2, first.next_cursor)
    seen = [r.article.id for r in first.items + rest.items]
    assert len(seen) == 4 and len(set(seen)) == 4 and rest.next_cursor is None
    with pytest.raises(StoreError):
        fresh_store.source_reports(source.id, 2, "garbage")


def test_generation_moves_with_new_content(fresh_store: Store) -> None:
    before = fresh_store.web_generation()
    ferry = add_story(fresh_store, "Ferry strike", FERRY)
    after_story = fresh_store.web_generation()
    assert after_story != before
    add_version(fresh_store, ferry.page, ferry.article_ids, version=2)
    assert fresh_store.web_generation() != after_story
    assert fresh_store.web_generation() == fresh_store.web_generation()


def test_page_views_are_counted_by_path(fresh_store: Store) -> None:
    assert fresh_store.page_view_counts() == {}
    fresh_store.record_page_view("/stories/1")
    fresh_store.record_page_view("/stories/1")
    fresh_store.record_page_view("/")
    assert fresh_store.page_view_counts() == {"/stories/1": 2, "/": 1}
