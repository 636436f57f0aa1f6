"""The store, on SQLite and on PostgreSQL: the same tests for both."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from primenews.models import (
    ExtractedArticle,
    FetchLogEntry,
    ItemError,
    SaveOutcome,
    SourceKind,
    utcnow,
)
from primenews.store import ArticleRecord, Store, open_store
from primenews.store.migrations import load_migrations


def _record(url: str, text: str, *, title: str = "A title", **kw: object) -> ArticleRecord:
    article = ExtractedArticle(
        url=url,
        title=title,
        text=text,
        authors=("Ana Ruiz", "Bo Chen"),
        published_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC),
        language="en",
        extra={"event_id": "e1"},
    )
    return ArticleRecord(
        article=article,
        canonical_url=str(kw.get("canonical", url)),
        content_hash=f"h:{text}",
        aliases=tuple(kw.get("aliases", ())),  # type: ignore[arg-type]
    )


def test_migrations_are_applied_once(store_url: str) -> None:
    first = open_store(store_url)
    versions = [m.version for m in load_migrations()]
    rows = first.db.query("SELECT version FROM schema_migrations ORDER BY version")
    assert [r["version"] for r in rows] == versions
    first.close()
    second = open_store(store_url)  # re-opening applies nothing new and keeps data
    assert len(second.db.query("SELECT version FROM schema_migrations")) == len(versions)
    second.close()


def test_sqlite_uses_wal(tmp_path) -> None:  # type: ignore[no-untyped-def]
    store = open_store(f"sqlite:///{tmp_path / 'wal.db'}")
    row = store.db.query_one("PRAGMA journal_mode")
    assert row is not None and next(iter(row.values())) == "wal"
    store.close()


def test_sources_add_list_remove(fresh_store: Store) -> None:
    feed, new = fresh_store.add_source(SourceKind.FEED, "https://example.org/feed.xml")
    assert new and feed.id > 0 and feed.enabled
    again, new_again = fresh_store.add_source(SourceKind.FEED, "https://example.org/feed.xml")
    assert again.id == feed.id and not new_again
    fresh_store.add_source(SourceKind.SITEMAP, "https://example.org/sitemap.xml", title="Maps")
    assert [s.kind for s in fresh_store.list_sources()] == [SourceKind.FEED, SourceKind.SITEMAP]
    assert fresh_store.remove_source(feed.id)
    assert not fresh_store.remove_source(feed.id)
    assert [s.url for s in fresh_store.list_sources()] == ["https://example.org/sitemap.xml"]


def test_source_health_and_backoff(fresh_store: Store) -> None:
    source, _ = fresh_store.add_source(SourceKind.FEED, "https://example.org/feed.xml")
    assert [s.id for s in fresh_store.due_sources()] == [source.id]
    failed = fresh_store.record_source_failure(
        source.id, "HTTP 503 from server", check_interval=60, max_interval=3600
    )
    assert failed.consecutive_failures == 1 and failed.last_error == "HTTP 503 from server"
    failed = fresh_store.record_source_failure(
        source.id, "HTTP 503 again", check_interval=60, max_interval=3600
    )
    assert failed.consecutive_failures == 2
    assert failed.next_check_at is not None and failed.last_error_at is not None
    wait = failed.next_check_at - failed.last_error_at
    assert timedelta(seconds=239) <= wait <= timedelta(seconds=241)  # 60 * 2**2
    assert fresh_store.due_sources() == []
    fresh_store.record_source_success(
        source.id, next_check_at=utcnow(), etag='"v1"', last_modified="Mon, 02 Mar 2026", title="T"
    )
    healthy = fresh_store.get_source(source.id)
    assert healthy is not None
    assert healthy.consecutive_failures == 0 and healthy.etag == '"v1"'
    assert healthy.last_success_at is not None and healthy.title == "T"
    assert healthy.last_error == "HTTP 503 again"  # the last error is kept for the record


def test_save_new_unchanged_revised(fresh_store: Store) -> None:
    first = fresh_store.save_article(_record("https://a.example/1", "first text"))
    assert first.outcome is SaveOutcome.NEW
    same = fresh_store.save_article(_record("https://a.example/1", "first text"))
    assert same == first.__class__(first.article_id, SaveOutcome.UNCHANGED)
    revised = fresh_store.save_article(_record("https://a.example/1", "second text", title="B"))
    assert revised.outcome is SaveOutcome.REVISED and revised.article_id == first.article_id
    article = fresh_store.get_article(first.article_id)
    assert article is not None
    assert article.text == "second text" and article.title == "B" and article.revision == 2
    assert article.authors == ("Ana Ruiz", "Bo Chen") and article.extra == {"event_id": "e1"}
    assert article.published_at == datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    revisions = fresh_store.article_revisions(first.article_id)
    assert [(r.revision, r.text, r.title) for r in revisions] == [(1, "first text", "A title")]
    assert fresh_store.count_articles() == 1


def test_aliases_prevent_duplicates(fresh_store: Store) -> None:
    saved = fresh_store.save_article(
        _record(
            "https://a.example/story?utm_source=x",
            "text",
            canonical="https://a.example/story",
            aliases=["https://feeds.example/item/9"],
        )
    )
    assert fresh_store.known_urls(
        ["https://feeds.example/item/9", "https://a.example/story", "https://new.example/"]
    ) == {"https://feeds.example/item/9", "https://a.example/story"}
    again = fresh_store.save_article(_record("https://feeds.example/item/9", "text"))
    assert again.article_id == saved.article_id and again.outcome is SaveOutcome.UNCHANGED
    found = fresh_store.find_article("https://a.example/story?utm_source=x")
    assert found is not None and found.id == saved.article_id
    assert fresh_store.count_articles() == 1


def test_concurrent_saves_store_one_article(store_url: str) -> None:
    stores = [open_store(store_url) for _ in range(4)]
    results = []
    barrier = threading.Barrier(len(stores))

    def save(store: Store) -> None:
        barrier.wait()
        results.append(store.save_article(_record("https://a.example/race", "same text")))

    threads = [threading.Thread(target=save, args=(s,)) for s in stores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len({r.article_id for r in results}) == 1
    assert sorted(r.outcome for r in results).count(SaveOutcome.NEW) == 1
    assert stores[0].count_articles() == 1
    for s in stores:
        s.close()


def test_list_and_iterate_articles(fresh_store: Store) -> None:
    source, _ = fresh_store.add_source(SourceKind.JSONL, "/data/in.jsonl", enabled=False)
    for i in range(7):
        record = _record(f"https://a.example/{i}", f"text {i}")
        fresh_store.save_article(
            ArticleRecord(record.article, record.canonical_url, record.content_hash, source.id)
        )
    assert len(fresh_store.list_articles(limit=5)) == 5
    assert fresh_store.count_articles(source_id=source.id) == 7
    assert [a.url for a in fresh_store.iter_articles(batch=3)] == [
        f"https://a.example/{i}" for i in range(7)
    ]
    assert fresh_store.due_sources() == []  # disabled one-off imports are never due


def test_item_errors_are_counted_not_duplicated(fresh_store: Store) -> None:
    source, _ = fresh_store.add_source(SourceKind.FEED, "https://example.org/feed.xml")
    for _ in range(3):
        fresh_store.record_item_error(
            ItemError(
                "fetch", "http_404", "HTTP 404", url="https://a.example/x", source_id=source.id
            )
        )
    errors = fresh_store.item_errors(source_id=source.id)
    assert len(errors) == 1 and errors[0].occurrences == 3
    assert errors[0].error.reason == "http_404"
    urls = ["https://a.example/x", "https://b"]
    assert fresh_store.refused_urls(urls, stages=("fetch",)) == {"https://a.example/x"}
    assert fresh_store.refused_urls(urls, reasons=("http_404",)) == {"https://a.example/x"}
    assert fresh_store.refused_urls(urls, stages=("gate",), reasons=("http_410",)) == set()


def test_fetch_log(fresh_store: Store) -> None:
    entry = FetchLogEntry(
        url="https://a.example/",
        started_at=utcnow(),
        duration_ms=12,
        outcome="ok",
        status=200,
        bytes=1234,
    )
    assert fresh_store.log_fetches([entry, entry]) == 2
    log = fresh_store.fetch_log()
    assert len(log) == 2 and log[0].status == 200 and log[0].bytes == 1234
