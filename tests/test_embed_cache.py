"""Embeddings through the store cache, on SQLite and PostgreSQL: never recomputed."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pytest

from primenews.embed import Embedder, Vectors, embed_articles, load_embedder
from primenews.embed.hashing import HashingEmbedder
from primenews.errors import ConfigError, StoreError
from primenews.models import Article, ExtractedArticle
from primenews.store import ArticleRecord, Store


class CountingEmbedder:
    """A real embedder that counts the texts it was asked to embed."""

    def __init__(self, inner: Embedder, name: str | None = None) -> None:
        self.inner = inner
        self._name = name or inner.name
        self.texts: list[str] = []

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self.inner.dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        self.texts.extend(texts)
        return self.inner.embed(texts)


def _articles(store: Store, titles: Sequence[str]) -> list[Article]:
    ids = []
    for n, title in enumerate(titles):
        extracted = ExtractedArticle(url=f"https://a.example/{n}", title=title, text=f"Lead {n}.")
        ids.append(store.save_article(ArticleRecord(extracted, extracted.url, f"h{n}")).article_id)
    return store.get_articles(ids)


def test_second_call_embeds_nothing_and_returns_the_same_vectors(fresh_store: Store) -> None:
    articles = _articles(fresh_store, ["Flood hits town", "Bank raises rates", "Storm ends"])
    embedder = CountingEmbedder(HashingEmbedder())
    first = embed_articles(fresh_store, embedder, articles[:2], batch_size=1)
    assert sorted(first) == [articles[0].id, articles[1].id] and len(embedder.texts) == 2
    assert embedder.texts[0] == "Flood hits town\nLead 0."
    second = embed_articles(fresh_store, embedder, articles + articles)
    assert len(embedder.texts) == 3  # only the third article was new, and only once
    assert sorted(second) == sorted(a.id for a in articles)
    for article_id, vector in first.items():
        assert vector.dtype == np.float32 and np.array_equal(second[article_id], vector)
    again = CountingEmbedder(HashingEmbedder())  # a new process: the store still remembers
    embed_articles(fresh_store, again, articles)
    assert again.texts == []


def test_cache_is_keyed_by_model_name(fresh_store: Store) -> None:
    articles = _articles(fresh_store, ["Flood hits town"])
    embed_articles(fresh_store, CountingEmbedder(HashingEmbedder()), articles)
    other = CountingEmbedder(HashingEmbedder(dim=256))
    vectors = embed_articles(fresh_store, other, articles)
    assert len(other.texts) == 1 and vectors[articles[0].id].shape == (256,)


def test_a_cached_vector_of_another_length_is_an_error(fresh_store: Store) -> None:
    articles = _articles(fresh_store, ["Flood hits town"])
    embed_articles(fresh_store, HashingEmbedder(dim=256), articles)
    clash = CountingEmbedder(HashingEmbedder(dim=128), name=HashingEmbedder(dim=256).name)
    with pytest.raises(StoreError, match="share that name"):
        embed_articles(fresh_store, clash, articles)


def test_registry_names() -> None:
    assert load_embedder(" hashing ").name.startswith("hashing-v1-")
    with pytest.raises(ConfigError, match="empty"):
        load_embedder("  ")


def test_a_revised_text_is_embedded_again(fresh_store: Store) -> None:
    articles = _articles(fresh_store, ["Flood hits town"])
    embedder = CountingEmbedder(HashingEmbedder())
    embed_articles(fresh_store, embedder, articles)
    revised = ExtractedArticle(url="https://a.example/0", title="Flood hits town", text="New lead.")
    result = fresh_store.save_article(ArticleRecord(revised, revised.url, "h0-revised"))
    assert result.article_id == articles[0].id
    embed_articles(fresh_store, embedder, fresh_store.get_articles([articles[0].id]))
    assert embedder.texts == ["Flood hits town\nLead 0.", "Flood hits town\nNew lead."]
