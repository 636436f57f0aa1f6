"""Extraction benchmark: PrimeNews's extract_html beside plain trafilatura.extract, in one run.

Sets (from ../shared/data unless given):

- ``scrapinghub``: a folder of pages (``ID.html`` or ``ID.html.gz``) and a ground-truth JSON
  ``{ID: {"articleBody": ...}}``; scored as scrapinghub/article-extraction-benchmark does:
  4-token shingles of ``\\w+`` tokens, per-page TP/FP/FN normalised to sum 1, precision and
  recall averaged over pages, F1 from the two averages.
- ``readability``: Mozilla Readability's test pages, ``expected.html`` text as the truth, same
  metric
  (its truth is Readability's own output, so it favours readability-like cuts).
- ``trafilatura``: trafilatura's evaluation set (``.tar.xz``, unpacked to a temporary folder):
  a "with" snippet found is a TP, missed an FN; a "without" snippet found is an FP.

    python bench/extraction.py [--sets scrapinghub,readability,trafilatura]
        [--pages DIR --truth FILE] [--passes N] [--clock wall|cpu]
        [--out bench/results/extraction.json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import tarfile
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import trafilatura
from lxml import etree

from primenews.errors import PrimeNewsError
from primenews.extract import ExtractOptions, extract_html

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_OUT = ROOT / "bench" / "results" / "extraction.json"
_TOKEN = re.compile(r"\w+", re.UNICODE)

Extractor = Callable[[str | bytes], str]
TpFpFn = tuple[float, float, float]


def primenews_extractor(options: ExtractOptions | None = None) -> Extractor:
    """PrimeNews's extraction as the benchmark calls it: no gate, cleaning and fallback on."""
    chosen = options or ExtractOptions(gate=False)

    def run(html: str | bytes) -> str:
        try:
            return extract_html(html, None, chosen).text
        except PrimeNewsError:
            return ""

    return run


def trafilatura_extractor(html: str | bytes) -> str:
    return trafilatura.extract(html, include_comments=False) or ""


# --- the scrapinghub metric ------------------------------------------------------------


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def shingle_match(true: str, pred: str) -> TpFpFn:
    a, b = shingles(true), shingles(pred)
    tp = float(sum((a & b).values()))
    fp = float(sum((b - a).values()))
    fn = float(sum((a - b).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fp == 0 else tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    return 0.0 if tp == fn == 0 else tp / (tp + fn)


def shingle_scores(matches: list[TpFpFn]) -> dict[str, float]:
    precision = statistics.mean(_precision(*m) for m in matches if m[0] + m[1] > 0)
    recall = statistics.mean(_recall(*m) for m in matches if m[0] + m[2] > 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"f1": f1, "precision": precision, "recall": recall}


# --- the sets ----------------------------------------------------------------------------

Item = tuple[str, str | bytes, Any]  # id, html, truth


def scrapinghub_items(pages: Path, truth_file: Path) -> list[Item]:
    truth = json.loads(truth_file.read_text(encoding="utf-8"))
    items: list[Item] = []
    for key in sorted(truth):
        path = next(
            (pages / f"{key}{s}" for s in (".html.gz", ".html") if (pages / f"{key}{s}").exists()),
            None,
        )
        if path is None:
            continue
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        items.append(
            (key, data.decode("utf-8", errors="replace"), truth[key].get("articleBody", ""))
        )
    return items  # fmt: skip


def readability_items(folder: Path) -> list[Item]:
    items: list[Item] = []
    for page in sorted(p for p in folder.iterdir() if (p / "source.html").exists()):
        expected = (page / "expected.html").read_bytes()
        tree = etree.fromstring(expected, etree.HTMLParser())
        truth = " ".join(tree.itertext()) if tree is not None else ""
        items.append((page.name, (page / "source.html").read_bytes(), truth))
    return items


def trafilatura_items(folder: Path, workdir: Path) -> list[Item]:
    with tarfile.open(folder / "trafilatura-eval-html.tar.xz") as archive:
        archive.extractall(workdir, filter="data")
    evaldata = json.loads((folder / "evaldata.json").read_text(encoding="utf-8"))
    items: list[Item] = []
    for url, entry in evaldata.items():
        path = next(
            (
                workdir / sub / entry["file"]
                for sub in ("eval", "cache")
                if (workdir / sub / entry["file"]).exists()
            ),
            None,
        )
        if path is None:
            continue
        items.append((url, path.read_bytes(), entry))
    return items  # fmt: skip


def snippet_scores(outputs: list[tuple[str, Any]]) -> dict[str, float]:
    tp = fn = fp = tn = 0
    for text, entry in outputs:
        flat = " ".join(text.split())
        for snippet in entry.get("with", []):
            if " ".join(snippet.split()) in flat:
                tp += 1
            else:
                fn += 1
        for snippet in entry.get("without", []):
            if " ".join(snippet.split()) in flat:
                fp += 1
            else:
                tn += 1
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    accuracy = (tp + tn) / max(1, tp + tn + fp + fn)
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": accuracy}


# --- running -----------------------------------------------------------------------------


CLOCKS: dict[str, Callable[[], float]] = {"wall": time.perf_counter, "cpu": time.process_time}


def run_extractor(
    extractor: Extractor, items: list[Item], clock: Callable[[], float] = time.perf_counter
) -> tuple[list[str], float]:
    """Outputs and the seconds they took (wall-clock, or this process's CPU time)."""
    started = clock()
    outputs = [extractor(html) for _, html, _ in items]
    return outputs, clock() - started


def score_set(
    kind: str,
    items: list[Item],
    extractors: dict[str, Extractor],
    passes: int = 1,
    clock: Callable[[], float] = time.perf_counter,
) -> dict[str, Any]:
    """Scores and pages/s per extractor; passes are interleaved and the fastest one counts."""
    outputs: dict[str, list[str]] = {}
    best: dict[str, float] = dict.fromkeys(extractors, float("inf"))
    for _ in range(max(1, passes)):
        for name, extractor in extractors.items():
            outputs[name], seconds = run_extractor(extractor, items, clock)
            best[name] = min(best[name], seconds)
    results: dict[str, Any] = {}
    for name, texts in outputs.items():
        pairs = [(text, truth) for text, (_, _, truth) in zip(texts, items, strict=True)]
        if kind == "snippets":
            scores = snippet_scores(pairs)
        else:
            scores = shingle_scores([shingle_match(truth, text) for text, truth in pairs])
        results[name] = {
            **{k: round(v, 4) for k, v in scores.items()},
            "pages_per_s": round(len(items) / best[name], 1) if best[name] else 0.0,
            "pages": len(items),
        }
    base = results.get("trafilatura", {}).get("pages_per_s")
    for r in results.values():
        r["speed_vs_trafilatura"] = round(r["pages_per_s"] / base, 3) if base else None
    return results


def score_scrapinghub(pages: Path, truth: Path) -> float:
    """F1 of PrimeNews on a scrapinghub-style set (the floor test calls this)."""
    items = scrapinghub_items(pages, truth)
    outputs, _ = run_extractor(primenews_extractor(), items)
    return shingle_scores(
        [shingle_match(t, o) for o, (_, _, t) in zip(outputs, items, strict=True)]
    )["f1"]


def iter_sets(args: argparse.Namespace, workdir: Path) -> Iterator[tuple[str, str, list[Item]]]:
    wanted = set(args.sets.split(","))
    if "scrapinghub" in wanted:
        yield "scrapinghub", "shingles", scrapinghub_items(args.pages, args.truth)
    if "readability" in wanted:
        yield (
            "readability",
            "shingles",
            readability_items(SHARED / "extraction-readability" / "test-pages"),
        )
    if "trafilatura" in wanted:
        yield (
            "trafilatura",
            "snippets",
            trafilatura_items(SHARED / "extraction-trafilatura", workdir),
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sets", default="scrapinghub,readability,trafilatura")
    parser.add_argument("--pages", type=Path, default=SHARED / "extraction-scrapinghub" / "html")
    parser.add_argument(
        "--truth", type=Path, default=SHARED / "extraction-scrapinghub" / "ground-truth.json"
    )
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--passes", type=int, default=1, help="timed passes; the best counts")
    parser.add_argument(
        "--clock",
        choices=sorted(CLOCKS),
        default="wall",
        help="time pages/s by wall clock, or by CPU time (steadier on a shared machine)",
    )
    args = parser.parse_args(argv)
    extractors: dict[str, Extractor] = {
        "trafilatura": trafilatura_extractor,
        "primenews": primenews_extractor(),
        "primenews-full-mode": primenews_extractor(ExtractOptions(gate=False, fast=False)),
        "primenews-no-fallback": primenews_extractor(ExtractOptions(gate=False, fallback=False)),
        "primenews-no-clean": primenews_extractor(ExtractOptions(gate=False, clean=False)),
    }
    report: dict[str, Any] = {
        "trafilatura_version": trafilatura.__version__,
        "clock": args.clock,
        "passes": args.passes,
        "sets": {},
    }
    with tempfile.TemporaryDirectory(prefix="primenews-bench-") as tmp:
        for name, kind, items in iter_sets(args, Path(tmp)):
            report["sets"][name] = score_set(
                kind, items, extractors, args.passes, CLOCKS[args.clock]
            )
            print_table(name, report["sets"][name])
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")
    return 0


def print_table(name: str, results: dict[str, Any]) -> None:
    """One row per extractor; ``speed`` is pages/s relative to trafilatura's in this run."""
    base = results.get("trafilatura", {}).get("pages_per_s") or 0.0
    print(f"\n{name}")
    print(f"{'extractor':<24}{'F1':>8}{'prec.':>8}{'recall':>8}{'pages/s':>9}{'speed':>7}")
    for extractor, r in results.items():
        scores = f"{r['f1']:>8.4f}{r['precision']:>8.4f}{r['recall']:>8.4f}"
        speed = f"{r['pages_per_s'] / base:>6.2f}x" if base else f"{'-':>7}"
        print(f"{extractor:<24}{scores}{r['pages_per_s']:>9.1f}{speed}")


if __name__ == "__main__":
    sys.exit(main())
