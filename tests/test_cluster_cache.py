"""Clustering features through the store cache, on SQLite and PostgreSQL: worked out once.

The reports are fictional, written for these tests.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from primenews.cluster import features as features_module
from primenews.cluster.cache import FEATURES_SCHEME, cached_features
from primenews.cluster.features import extract_features
from primenews.models import Article, ExtractedArticle
from primenews.store import ArticleRecord, Store

REPORTS = [
    # (title, text, published_at)
    (
        "Quake of magnitude 5.8 shakes Corvin Coast",
        "PORT ELLERY, March 3, 2026 (Meridian) - A magnitude 5.8 earthquake struck off the Corvin "
        "Coast on Tuesday, killing three people, Aldmark's National Seismic Institute said.",
        None,  # undated: timed by its dateline
    ),
    (
        "Bank of Aldmark raises key rate to 4.75%",
        "The Bank of Aldmark raised its main policy rate by 50 basis points to 4,75 % on "
        "Tuesday, Governor Helena Marsk said.",
        datetime(2026, 3, 3, 11, 0, tzinfo=UTC),
    ),
    ("", "", None),  # nothing but its URL to go on
]


def _articles(store: Store) -> list[Article]:
    ids = []
    for n, (title, text, published) in enumerate(REPORTS):
        extracted = ExtractedArticle(
            url=f"https://wire.example/2026/03/report-{n}-quake-coast",
            title=title or None,
            text=text,
            published_at=published,
        )
        record = ArticleRecord(extracted, extracted.url, f"hash-{n}")
        ids.append(store.save_article(record).article_id)
    return store.get_articles(ids)


def test_cached_features_are_the_features_of_the_text(fresh_store: Store) -> None:
    articles = _articles(fresh_store)
    first = cached_features(fresh_store, articles)
    second = cached_features(fresh_store, articles)  # read back from the store
    for article in articles:
        assert first[article.id] == extract_features(article) == second[article.id]
    stored = fresh_store.load_features(FEATURES_SCHEME, [a.id for a in articles])
    assert sorted(stored) == sorted(a.id for a in articles)
    undated = second[articles[0].id]
    assert undated.published_at == datetime(2026, 3, 3, tzinfo=UTC)  # from the dateline
    assert {"5.8", "4.75%"} <= second[articles[0].id].numbers | second[articles[1].id].numbers


def test_a_second_run_works_nothing_out_again(
    fresh_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = _articles(fresh_store)
    cached_features(fresh_store, articles)
    worked_out: list[int] = []
    real = features_module.extract_features

    def counting(article: Article) -> features_module.ArticleFeatures:
        worked_out.append(article.id)
        return real(article)

    monkeypatch.setattr("primenews.cluster.cache.extract_features", counting)
    cached_features(fresh_store, articles)
    assert worked_out == []


def test_date_and_language_come_from_the_article_not_the_cache(fresh_store: Store) -> None:
    articles = _articles(fresh_store)
    cached_features(fresh_store, articles)
    dated = articles[1]
    undated_now = replace(dated, published_at=None, language="de")
    found = cached_features(fresh_store, [undated_now])[dated.id]
    assert found.language == "de" and found.published_at is None  # its lead has no dateline
    dateline = articles[0]
    dated_now = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
    redated = replace(dateline, published_at=dated_now)
    assert cached_features(fresh_store, [redated])[dateline.id].published_at == dated_now


def test_a_revised_text_is_worked_out_again(fresh_store: Store) -> None:
    articles = _articles(fresh_store)
    cached_features(fresh_store, articles)
    old = articles[1]
    revised = ExtractedArticle(
        url=old.url,
        title="Bank of Aldmark raises key rate to 5%",
        text="The Bank of Aldmark raised its main policy rate to 5% on Wednesday.",
        published_at=old.published_at,
    )
    assert fresh_store.save_article(ArticleRecord(revised, old.url, "hash-revised")).article_id
    assert fresh_store.load_features(FEATURES_SCHEME, [old.id]) == {}
    (current,) = fresh_store.get_articles([old.id])
    features = cached_features(fresh_store, [current])[old.id]
    assert "5%" in features.numbers and "4.75%" not in features.numbers


def test_the_first_saved_features_stay(fresh_store: Store) -> None:
    articles = _articles(fresh_store)
    one = articles[0].id
    assert fresh_store.save_features("test-scheme", {one: "[1]"}) == 1
    assert fresh_store.save_features("test-scheme", {one: "[2]"}) == 0
    assert fresh_store.load_features("test-scheme", [one, one]) == {one: "[1]"}
    assert fresh_store.load_features(FEATURES_SCHEME, [one]) == {}
