"""Copies, fingerprints, embeddings and stories in the store, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

from primenews.models import Copy, CopyKind, ExtractedArticle
from primenews.store import ArticleRecord, Store


def _add(store: Store, n: int, day: int) -> int:
    article = ExtractedArticle(
        url=f"https://a.example/{n}",
        title=f"T{n}",
        text=f"text {n}",
        published_at=datetime(2026, 3, day, 12, tzinfo=UTC),
    )
    return store.save_article(ArticleRecord(article, article.url, f"h{n}")).article_id


def test_copies_upsert_and_list(fresh_store: Store) -> None:
    a, b, c = (_add(fresh_store, i, 1 + i) for i in range(3))
    fresh_store.save_copy(Copy(b, a, CopyKind.VERBATIM, 0.97))
    fresh_store.save_copy(Copy(b, a, CopyKind.EXACT, 1.0))  # re-detection replaces
    fresh_store.save_copy(Copy(c, a, CopyKind.REWRITE, 0.71))
    assert fresh_store.copy_of(b) == Copy(b, a, CopyKind.EXACT, 1.0)
    assert fresh_store.copy_of(a) is None
    assert [x.article_id for x in fresh_store.list_copies()] == [b, c]
    fresh_store.clear_copies()
    assert fresh_store.list_copies() == []


def test_fingerprints_and_embeddings_are_binary_and_cached(fresh_store: Store) -> None:
    a, b = _add(fresh_store, 1, 1), _add(fresh_store, 2, 2)
    fresh_store.save_fingerprint(a, "minhash-64", b"\x00\x01\xff" * 10)
    fresh_store.save_fingerprint(b, "minhash-64", b"\x02" * 30)
    fresh_store.save_fingerprint(b, "minhash-64", b"\x03" * 30)
    assert list(fresh_store.iter_fingerprints("minhash-64", batch=1)) == [
        (a, b"\x00\x01\xff" * 10),
        (b, b"\x03" * 30),
    ]
    assert fresh_store.save_embeddings("m1", 3, {a: b"\x00" * 12, b: b"\x01" * 12}) == 2
    assert fresh_store.save_embeddings("m1", 3, {a: b"\x09" * 12}) == 0  # never recomputed
    assert fresh_store.load_embeddings("m1", [a, b, 999]) == {a: b"\x00" * 12, b: b"\x01" * 12}
    assert fresh_store.load_embeddings("other", [a]) == {}


def test_stories_assign_move_merge_and_redirect(fresh_store: Store) -> None:
    ids = [_add(fresh_store, i, 1 + i) for i in range(4)]
    assert fresh_store.unassigned_article_ids() == ids
    first, second = fresh_store.create_story("Quake"), fresh_store.create_story("Aftershock")
    fresh_store.assign_article(ids[0], first, 0.9)
    fresh_store.assign_article(ids[1], first)
    fresh_store.assign_article(ids[2], second)
    fresh_store.assign_article(ids[1], second)  # moved
    story = fresh_store.get_story(first)
    assert story is not None and story.article_count == 1
    assert fresh_store.story_article_ids(second) == [ids[1], ids[2]]
    assert fresh_store.unassigned_article_ids() == [ids[3]]
    fresh_store.merge_stories(second, first)
    assert fresh_store.resolve_story_id(second) == first
    merged = fresh_store.get_story(first)
    assert merged is not None and merged.article_count == 3
    assert merged.first_published_at == datetime(2026, 3, 1, 12, tzinfo=UTC)
    assert merged.last_published_at == datetime(2026, 3, 3, 12, tzinfo=UTC)
    assert [s.id for s in fresh_store.list_stories()] == [first]
    third = fresh_store.create_story()
    fresh_store.assign_article(ids[3], third)
    fresh_store.merge_stories(first, third)  # a chain of merges still resolves
    assert fresh_store.resolve_story_id(second) == third
    assert fresh_store.story_assignments() == {i: third for i in ids}
    assert fresh_store.count_stories() == 1
    fresh_store.clear_stories()
    assert fresh_store.count_stories() == 0 and len(fresh_store.unassigned_article_ids()) == 4
    assert [a.id for a in fresh_store.get_articles([ids[2], 999, ids[0]])] == [ids[2], ids[0]]
