"""Story page versions in the store, on SQLite and PostgreSQL: save, latest, list, races, needs."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest

from primenews.errors import StoreError
from primenews.models import (
    Citation,
    Copy,
    CopyKind,
    Coverage,
    ExtractedArticle,
    PageSentence,
    Section,
    SourceRef,
    StoryPage,
    StoryVersion,
    Verdict,
)
from primenews.store import ArticleRecord, Store, open_store

T0 = datetime(2026, 4, 2, 9, 30, tzinfo=UTC)


def _add(store: Store, n: int, outlet: str = "The Ledger") -> int:
    article = ExtractedArticle(
        url=f"https://ledger.example/{n}",
        title=f"Ferry strike day {n}",
        text=f"Ferry crews in Port Ansel stopped work for day {n}.",
        outlet=outlet,
        published_at=T0 + timedelta(hours=n),
    )
    return store.save_article(ArticleRecord(article, article.url, f"hash-{n}")).article_id


def _page(story_id: int, article_ids: list[int], headline: str = "Ferry crews strike") -> StoryPage:
    first = article_ids[0]
    cite = Citation(first, 0, 11, "Ferry crews")
    return StoryPage(
        story_id=story_id,
        headline=headline,
        summary=PageSentence("Ferry crews in Port Ansel stopped work.", (cite,)),
        sections=(Section("Talks", (PageSentence("Talks resume on Friday.", (cite,)),)),),
        quotes=(),
        coverage=Coverage(("The Ledger",), ("en",), len(article_ids), len(article_ids), 0),
        sources=tuple(
            SourceRef(a, f"https://ledger.example/{a}", "Ferry strike", "The Ledger", "en", T0)
            for a in article_ids
        ),
        backend="extractive",
    )


def _version(store_story: int, number: int, article_ids: list[int], **kw: object) -> StoryVersion:
    return StoryVersion(
        story_id=store_story,
        version=number,
        page=_page(store_story, article_ids),
        article_ids=tuple(article_ids),
        created_at=kw.pop("created_at", T0),  # type: ignore[arg-type]
        published=bool(kw.pop("published", True)),
        verdicts=(Verdict("truncated", "section:0:sentence:0", "Talks resume", "cut off"),),
        whats_new=kw.pop("whats_new", None),  # type: ignore[arg-type]
    )


def _story(store: Store, article_ids: list[int]) -> int:
    story = store.create_story("Ferry strike")
    for a in article_ids:
        store.assign_article(a, story)
    return story


def test_save_latest_list_and_get(fresh_store: Store) -> None:
    ids = [_add(fresh_store, n) for n in range(3)]
    story = _story(fresh_store, ids)
    assert fresh_store.latest_story_version(story) is None
    first = _version(story, 1, ids[:2], published=True)
    assert fresh_store.save_story_version(first) == 1
    second = _version(
        story, 2, ids, published=False, created_at=T0 + timedelta(hours=1), whats_new="Adds one."
    )
    assert fresh_store.save_story_version(second) == 2
    assert fresh_store.latest_story_version(story) == second  # round trip, verdicts included
    assert fresh_store.latest_story_version(story, published_only=True) == first
    assert [v.version for v in fresh_store.story_versions(story)] == [1, 2]
    assert fresh_store.get_story_version(story, 1) == first
    assert fresh_store.get_story_version(story, 3) is None
    assert fresh_store.page_states([story, 999]) == {story: (2, False)}


def test_a_version_number_is_written_once(fresh_store: Store) -> None:
    ids = [_add(fresh_store, n) for n in range(2)]
    story = _story(fresh_store, ids)
    assert fresh_store.save_story_version(_version(story, 1, ids)) == 1
    assert fresh_store.save_story_version(_version(story, 1, ids, whats_new="other")) is None
    kept = fresh_store.latest_story_version(story)
    assert kept is not None and kept.whats_new is None


def test_racing_writers_store_one_version(store_url: str) -> None:
    seed = open_store(store_url)
    ids = [_add(seed, n) for n in range(2)]
    story = _story(seed, ids)
    stores = [open_store(store_url) for _ in range(4)]
    results: list[int | None] = []
    barrier = threading.Barrier(len(stores))

    def write(store: Store, n: int) -> None:
        barrier.wait()
        results.append(store.save_story_version(_version(story, 1, ids, whats_new=f"w{n}")))

    threads = [threading.Thread(target=write, args=(s, n)) for n, s in enumerate(stores)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results, key=str) == [1, None, None, None]
    assert len(seed.story_versions(story)) == 1
    for s in [seed, *stores]:
        s.close()


def test_stories_needing_pages_count_independent_reports_only(fresh_store: Store) -> None:
    a, b, c, d = (_add(fresh_store, n, outlet=f"Outlet {n}") for n in range(4))
    lone = _story(fresh_store, [a, b])  # b copies a: one independent report
    fresh_store.save_copy(Copy(b, a, CopyKind.VERBATIM, 0.98))
    pair = _story(fresh_store, [c, d])
    assert fresh_store.stories_needing_pages(2) == [pair]
    assert sorted(fresh_store.stories_needing_pages(1)) == sorted([lone, pair])
    candidates = fresh_store.page_candidates(1, story_id=lone)
    assert len(candidates) == 1
    assert candidates[0].independent_ids == (a,) and candidates[0].copy_of == {b: a}
    assert candidates[0].article_ids == (a, b)
    fresh_store.save_story_version(_version(pair, 1, [c, d]))
    assert fresh_store.stories_needing_pages(2) == []
    state = fresh_store.page_candidates(2)[0]
    assert (state.latest_version, state.latest_created_at, state.changed) == (1, T0, False)


def test_a_new_copy_does_not_need_a_page_but_a_new_report_does(fresh_store: Store) -> None:
    a, b, c, d = (_add(fresh_store, n, outlet=f"Outlet {n}") for n in range(4))
    story = _story(fresh_store, [a, b])
    fresh_store.save_story_version(_version(story, 1, [a, b]))
    fresh_store.assign_article(c, story)
    fresh_store.save_copy(Copy(c, a, CopyKind.EXACT, 1.0))
    assert fresh_store.stories_needing_pages(2) == []
    fresh_store.assign_article(d, story)
    assert fresh_store.stories_needing_pages(2) == [story]
    fresh_store.save_story_version(_version(story, 2, [a, b, c, d]))
    assert fresh_store.stories_needing_pages(2) == []
    other = fresh_store.create_story("Elsewhere")
    fresh_store.assign_article(d, other)  # a report leaves: the page is out of date again
    assert fresh_store.stories_needing_pages(2) == [story]
    fresh_store.assign_article(a, other)  # c's original left: c is now this story's own report
    [moved] = fresh_store.page_candidates(1, story_id=story)
    assert moved.independent_ids == (b, c) and moved.copy_of == {c: a}


def test_merged_stories_need_no_page_of_their_own(fresh_store: Store) -> None:
    ids = [_add(fresh_store, n, outlet=f"Outlet {n}") for n in range(4)]
    first, second = _story(fresh_store, ids[:2]), _story(fresh_store, ids[2:])
    fresh_store.save_story_version(_version(second, 1, ids[2:]))
    fresh_store.merge_stories(second, first)
    assert fresh_store.stories_needing_pages(2) == [first]
    assert fresh_store.latest_story_version(second) is not None  # the old pages are kept


def test_an_unreadable_stored_page_is_a_store_error(fresh_store: Store) -> None:
    ids = [_add(fresh_store, n) for n in range(2)]
    story = _story(fresh_store, ids)
    fresh_store.save_story_version(_version(story, 1, ids))
    fresh_store.db.execute("UPDATE story_versions SET page = ? WHERE story_id = ?", ("{}", story))
    with pytest.raises(StoreError, match=f"story {story} version 1"):
        fresh_store.latest_story_version(story)


def test_rebuilding_stories_drops_their_pages(fresh_store: Store) -> None:
    ids = [_add(fresh_store, n) for n in range(2)]
    story = _story(fresh_store, ids)
    fresh_store.save_story_version(_version(story, 1, ids))
    fresh_store.clear_stories()  # cluster --rebuild: the story ids are gone, so are their pages
    assert fresh_store.story_versions(story) == []


def test_only_stories_changed_since_they_were_judged_are_due(fresh_store: Store) -> None:
    a, b, c, d = (_add(fresh_store, n, outlet=f"Outlet {n}") for n in range(4))
    story = _story(fresh_store, [a, b])
    small = _story(fresh_store, [c])
    due = fresh_store.due_page_stories()
    assert set(due) == {story, small}
    fresh_store.mark_pages_seen(due)
    assert fresh_store.due_page_stories() == {}
    fresh_store.mark_pages_seen({story: due[story] - 1})  # an older judgement never wins
    assert fresh_store.due_page_stories() == {}
    fresh_store.assign_article(d, small)  # a report joins
    assert set(fresh_store.due_page_stories()) == {small}
    fresh_store.save_copy(Copy(b, a, CopyKind.VERBATIM, 0.98))  # a copy mark: a changes count
    assert set(fresh_store.due_page_stories()) == {story, small}
    fresh_store.mark_pages_seen(fresh_store.due_page_stories())
    fresh_store.merge_stories(small, story)  # a merge: the story it joined is due, not the old
    assert set(fresh_store.due_page_stories()) == {story}
    [candidate] = fresh_store.page_candidates(1, story_ids=[story, small])
    assert (
        candidate.story_id == story and candidate.changes == fresh_store.due_page_stories()[story]
    )
    fresh_store.mark_pages_seen(fresh_store.due_page_stories())
    fresh_store.clear_copies()  # b is independent again
    assert set(fresh_store.due_page_stories()) == {story}
    assert fresh_store.page_candidates(1, story_ids=[]) == []
