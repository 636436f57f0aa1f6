"""all-MiniLM-L6-v2 as an ONNX model: exported once from the packaged weights, run by onnxruntime.

:func:`export_minilm_onnx` (``scripts/export_minilm_onnx.py``; needs the ``ml`` and ``onnx``
extras) traces the packaged model with its mean pooling into one ONNX graph, writes it to a
folder with the tokenizer and a manifest, and checks the exported model against the original
on probe texts before it keeps anything. :class:`OnnxEmbedder` runs such a folder with
onnxruntime and the ``tokenizers`` package only: no torch at run time.

Its vectors are the fp32 model's (cosine >= 0.9999 on every text, checked at export), so it
shares the fp32 model's cache key (``all-MiniLM-L6-v2``) and an install may switch between the
two without re-embedding. Measured in ``bench/embedding.py``: 1.1-1.5x the docs/s of
sentence-transformers in fp32, but slower than its bfloat16 autocast on a CPU that computes
bf16 natively (which ``minilm`` uses there). Where the CPU lacks native bf16, ``minilm`` runs
on onnxruntime when this extra is installed, exported once into the ``model_cache`` folder
(:func:`cached_minilm_onnx`); ``embedding_model`` may also name an exported folder. 8-bit
dynamic quantization is faster again but moves vectors too far (see the bench), so it is not
offered.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from primenews.embed import Vectors
from primenews.embed.batching import embed_batched
from primenews.errors import ConfigError

__all__ = [
    "MANIFEST",
    "OnnxEmbedder",
    "cached_minilm_onnx",
    "export_minilm_onnx",
    "is_onnx_folder",
]

logger = logging.getLogger(__name__)

MANIFEST = "primenews-onnx.json"
MODEL_FILE = "model.onnx"
TOKENIZER_FILE = "tokenizer.json"
FORMAT = 1
MIN_AGREEMENT = 0.9999  # least cosine between exported and original vectors on the probes
_OPSET = 18
_PROBES = (
    "Magnitude 5.8 quake off the coast kills three; tsunami warning lifted after 90 minutes.",
    "Kessler Motors and the union reached a tentative deal to end the strike at Brenna.",
    "Un sismo de magnitud 5,8 frente a la costa deja tres muertos.",
    " ".join(["The central bank raised its key rate to 4.75% as inflation stayed high."] * 30),
    "Short.",
)
ONNX_EXTRA_HINT = (
    "install the onnx extra: pip install 'primenews[onnx]' (and the ml extra to export)"
)


def cached_minilm_onnx(model_cache: str = "") -> Path:
    """The folder of the packaged MiniLM exported to ONNX under ``model_cache`` (empty: the
    user's cache, ``$XDG_CACHE_HOME/primenews``), exported there the first time, and again
    when the packaged weights change (their digest is in the manifest). A lock file keeps two
    processes from exporting at once; the second uses the first one's export."""
    from primenews.embed.minilm import minilm_model_path

    base = Path(model_cache) if model_cache else _user_cache()
    folder = base / "onnx" / "all-MiniLM-L6-v2"
    weights = _sha256(Path(minilm_model_path()) / "model.safetensors")
    if _exported_from(folder, weights):
        return folder
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".onnx-export.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not _exported_from(folder, weights):  # none yet, or from weights since updated
            logger.info("exporting MiniLM to ONNX once", extra={"path": str(folder)})
            export_minilm_onnx(folder)
    return folder


def _exported_from(folder: Path, weights: str | None) -> bool:
    """Whether ``folder`` holds an export of the weights whose digest is ``weights``."""
    try:
        return bool(_read_manifest(folder).get("source_sha256") == weights)
    except ConfigError:
        return False


def _sha256(path: Path) -> str | None:
    """The SHA-256 of the file at ``path`` (None when there is none)."""
    if not path.is_file():
        return None
    digest = hashlib.sha256()
    with path.open("rb") as data:
        for block in iter(lambda: data.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _user_cache() -> Path:
    root = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "primenews"


def is_onnx_folder(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` is a folder written by :func:`export_minilm_onnx`."""
    return (Path(path) / MANIFEST).is_file()


def export_minilm_onnx(target: str | os.PathLike[str], *, model_path: str | None = None) -> Path:
    """Export the packaged all-MiniLM-L6-v2 (or the sentence-transformers folder
    ``model_path``) to ``target``: ``model.onnx`` (+ its weights), ``tokenizer.json`` and the
    manifest. The folder is written elsewhere and moved into place only after the exported
    model agreed with the original on the probe texts; an existing ``target`` is replaced.
    """
    from primenews.embed.minilm import MINILM_NAME, minilm_model_path

    source = model_path or minilm_model_path()
    name = MINILM_NAME if model_path is None else Path(model_path).name
    final = Path(target)
    final.parent.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".onnx-", dir=final.parent))
    try:
        _trace(source, scratch / MODEL_FILE)
        shutil.copyfile(Path(source) / TOKENIZER_FILE, scratch / TOKENIZER_FILE)
        manifest = _manifest(name, source)
        (scratch / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        agreement = _agreement(source, OnnxEmbedder(scratch))
        if agreement < MIN_AGREEMENT:
            raise ConfigError(
                f"the ONNX export of {source} disagrees with the model (cosine {agreement:.5f} "
                f"< {MIN_AGREEMENT}); check the torch, transformers and onnxruntime versions"
            )
        if final.exists():
            shutil.rmtree(final)
        scratch.rename(final)
        final.chmod(0o755)  # mkdtemp made it private
    finally:
        if scratch.exists():
            shutil.rmtree(scratch)
    logger.info("exported ONNX model", extra={"model": name, "path": str(final)})
    return final


class OnnxEmbedder:
    """An exported folder run by onnxruntime: batches of similar token count, mean-pooled in
    the graph, L2-normalised here; zero rows for empty texts. ``threads``: onnxruntime's
    intra-op threads (None: its default, every core)."""

    def __init__(
        self, folder: str | os.PathLike[str], *, threads: int | None = None, batch_size: int = 32
    ) -> None:
        self._folder = Path(folder)
        manifest = _read_manifest(self._folder)
        self._name = str(manifest["name"])
        self._dim = int(manifest["dim"])
        self._max_tokens = int(manifest["max_seq_length"])
        self._batch_size = batch_size
        self._session = _session(self._folder / MODEL_FILE, threads)
        self._tokenizer = _tokenizer(self._folder / TOKENIZER_FILE, self._max_tokens)

    @property
    def name(self) -> str:
        return self._name

    @property
    def dim(self) -> int:
        return self._dim

    @property
    def folder(self) -> Path:
        return self._folder

    def embed(self, texts: Sequence[str]) -> Vectors:
        live = [i for i, text in enumerate(texts) if text.strip()]
        tokens = self._encode([texts[i] for i in live]) if live else []
        encoded = {i: e.ids for i, e in zip(live, tokens, strict=True)}
        sizes = {i: len(ids) for i, ids in encoded.items()}
        return embed_batched(
            texts,
            self._dim,
            self._batch_size,
            lambda rows: self._run([encoded[i] for i in rows]),
            sizes,
        )

    def _encode(self, texts: list[str]) -> list[Any]:
        return list(self._tokenizer.encode_batch(texts))

    def _run(self, batch: list[list[int]]) -> Vectors:
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, tokens in enumerate(batch):
            ids[row, : len(tokens)] = tokens
            mask[row, : len(tokens)] = 1
        feed = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        return np.asarray(self._session.run(None, feed)[0], dtype=np.float32)


def _trace(source: str, path: Path) -> None:
    """The model with mean pooling, traced to ONNX at ``path`` (dynamic batch and length)."""
    try:
        import torch
        from transformers import AutoModel, AutoTokenizer
    except ImportError as exc:
        raise ConfigError(f"exporting to ONNX needs torch and transformers: {exc}") from exc
    if _missing("onnxscript"):
        raise ConfigError(f"exporting to ONNX needs onnxscript: {ONNX_EXTRA_HINT}")

    class Pooled(torch.nn.Module):
        def __init__(self, model: Any) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: Any, attention_mask: Any, token_type_ids: Any) -> Any:
            hidden = self.model(
                input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids
            ).last_hidden_state
            weights = attention_mask.unsqueeze(-1).to(hidden.dtype)
            return (hidden * weights).sum(1) / weights.sum(1).clamp(min=1e-9)

    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=True)
    model = AutoModel.from_pretrained(source, local_files_only=True, attn_implementation="eager")
    sample = tokenizer(list(_PROBES[:2]), return_tensors="pt", padding=True)  # padding traced
    with warnings.catch_warnings():  # torch's exporter warns about its own internals
        warnings.simplefilter("ignore", category=FutureWarning)
        warnings.simplefilter("ignore", category=DeprecationWarning)
        warnings.simplefilter("ignore", category=UserWarning)  # "axis name … will not be used"
        try:
            _export(torch, Pooled(model).eval(), sample, path)
        except RuntimeError as exc:  # torch.onnx.OnnxExporterError and its kind
            raise ConfigError(f"torch could not export {source} to ONNX: {exc}") from exc


def _export(torch: Any, module: Any, sample: Any, path: Path) -> None:
    batch, length = torch.export.Dim("batch"), torch.export.Dim("length", max=512)
    inputs = ("input_ids", "attention_mask", "token_type_ids")
    torch.onnx.export(
        module,
        tuple(sample[key] for key in inputs),
        str(path),
        input_names=list(inputs),
        output_names=["sentence_embedding"],  # "embedding" names a node of the graph
        dynamic_shapes={key: {0: batch, 1: length} for key in inputs},
        opset_version=_OPSET,
        dynamo=True,
    )


def _manifest(name: str, source: str) -> dict[str, Any]:
    config = json.loads((Path(source) / "sentence_bert_config.json").read_text(encoding="utf-8"))
    model_config = json.loads((Path(source) / "config.json").read_text(encoding="utf-8"))
    digest = _sha256(Path(source) / "model.safetensors")
    return {
        "format": FORMAT,
        "name": name,
        "dim": int(model_config["hidden_size"]),
        "max_seq_length": min(int(config.get("max_seq_length", 256)), 256),
        "pooling": "mean",
        "source": str(source),
        "source_sha256": digest,
        "opset": _OPSET,
    }


def _agreement(source: str, exported: OnnxEmbedder) -> float:
    """The least cosine between the exported model's vectors and the original's."""
    from primenews.embed.minilm import SentenceTransformerEmbedder

    original = SentenceTransformerEmbedder(
        source, precision="fp32", max_seq_length=exported._max_tokens, local_files_only=True
    )
    mine, theirs = exported.embed(_PROBES), original.embed(_PROBES)
    return float(np.min(np.sum(mine * theirs, axis=1)))


def _read_manifest(folder: Path) -> dict[str, Any]:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(
            f"{folder} is not an exported ONNX model ({exc}); write one with "
            "scripts/export_minilm_onnx.py"
        ) from exc
    needed = ("format", "name", "dim", "max_seq_length")
    if not isinstance(manifest, dict) or any(key not in manifest for key in needed):
        raise ConfigError(f"{path} lacks one of {', '.join(needed)}: export the model again")
    if manifest["format"] != FORMAT:
        raise ConfigError(f"{path} is format {manifest['format']}, not {FORMAT}: export again")
    return manifest


def _session(path: Path, threads: int | None) -> Any:
    try:
        import onnxruntime
        from onnxruntime.capi import onnxruntime_pybind11_state as state
    except ImportError as exc:
        raise ConfigError(f"running an ONNX model needs onnxruntime: {ONNX_EXTRA_HINT}") from exc
    failures = (state.Fail, state.InvalidArgument, state.NoSuchFile, state.InvalidProtobuf)
    options = onnxruntime.SessionOptions()
    options.graph_optimization_level = onnxruntime.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.inter_op_num_threads = 1
    if threads is not None:
        options.intra_op_num_threads = threads
    try:
        return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except (*failures, state.InvalidGraph, state.RuntimeException) as exc:
        raise ConfigError(f"cannot load the ONNX model {path}: {exc}") from exc


def _tokenizer(path: Path, max_tokens: int) -> Any:
    try:
        from tokenizers import Tokenizer
    except ImportError as exc:
        raise ConfigError(f"running an ONNX model needs tokenizers: {ONNX_EXTRA_HINT}") from exc
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()  # the saved tokenizer may pad to a fixed length: rows padded here
    return tokenizer


def _missing(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is None
