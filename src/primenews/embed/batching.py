"""Batching shared by the model backends: empty texts get zero rows, the others go to the model
in batches of similar length (less padding), and every row comes back at unit length."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np

from primenews.embed import Vectors

__all__ = ["embed_batched"]


def embed_batched(
    texts: Sequence[str],
    dim: int,
    batch_size: int,
    encode: Callable[[list[int]], Vectors],
    sizes: Mapping[int, int] | None = None,
) -> Vectors:
    """A ``(len(texts), dim)`` array of unit rows: ``encode(rows)`` embeds the texts at those
    indices (never an empty one), in batches ordered by ``sizes`` (index -> tokens) when given,
    else in the texts' order. ``sizes`` may be a callable's result for the non-empty texts."""
    out = np.zeros((len(texts), dim), dtype=np.float32)
    live = [i for i, text in enumerate(texts) if text.strip()]
    order = sorted(live, key=sizes.__getitem__) if sizes is not None else live
    for start in range(0, len(order), batch_size):
        rows = order[start : start + batch_size]
        out[rows] = encode(rows)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    np.divide(out, norms, out=out, where=norms > 0)
    return out
