"""Embed articles through the store's cache: a vector is computed once per article and model.

The cache key is the embedder's ``name`` (model and variant) and the article id; the text
embedded is :func:`primenews.embed.text.embedding_text` (title and lead).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence

import numpy as np

from primenews.embed import Embedder, Vectors
from primenews.embed.text import DEFAULT_MAX_CHARS, embedding_text
from primenews.errors import StoreError
from primenews.models import Article
from primenews.store import Store

__all__ = ["embed_articles"]

logger = logging.getLogger(__name__)


def embed_articles(
    store: Store,
    embedder: Embedder,
    articles: Sequence[Article],
    *,
    batch_size: int = 64,
    max_chars: int = DEFAULT_MAX_CHARS,
) -> dict[int, Vectors]:
    """Each article's vector (id -> ``(dim,)`` float32), embedding only those not cached yet.

    New vectors are saved after each batch of ``batch_size``, so an interrupted run keeps
    what it computed. Articles with no text to embed get a zero vector (cached too).
    """
    ids = list(dict.fromkeys(a.id for a in articles))
    vectors = {
        i: _decode(blob, embedder, i)
        for i, blob in store.load_embeddings(embedder.name, ids).items()
    }
    missing = list({a.id: a for a in articles if a.id not in vectors}.values())
    started = time.perf_counter()
    for start in range(0, len(missing), batch_size):
        batch = missing[start : start + batch_size]
        rows = embedder.embed([embedding_text(a, max_chars) for a in batch])
        fresh = {a.id: rows[k] for k, a in enumerate(batch)}
        store.save_embeddings(
            embedder.name, embedder.dim, {i: v.astype("<f4").tobytes() for i, v in fresh.items()}
        )
        vectors.update(fresh)
    if missing:
        logger.info(
            "embedded articles",
            extra={
                "model": embedder.name,
                "embedded": len(missing),
                "cached": len(ids) - len(missing),
                "duration_ms": round(1000 * (time.perf_counter() - started)),
            },
        )
    return vectors


def _decode(blob: bytes, embedder: Embedder, article_id: int) -> Vectors:
    vector = np.frombuffer(blob, dtype="<f4").astype(np.float32)
    if vector.shape != (embedder.dim,):
        raise StoreError(
            f"cached embedding of article {article_id} for {embedder.name!r} has "
            f"{vector.size} dimensions, not {embedder.dim}: two models share that name; "
            "give the model a distinct embedding_model name"
        )
    return vector
