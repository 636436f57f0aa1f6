"""Copy detection: pairwise precision / recall / F1 and articles/s, against a brute-force baseline.

Each data set is imported into a temporary SQLite store through the real ingest pipeline (a JSON
Lines source), then ``detect_copies`` runs once. Every pair of articles in one copy group counts
as a predicted copy pair. Gold, per row:

  copy_of  the sample newswire: pairs within each original + its ``copy_of`` reports
  event    sets without copy labels: a predicted pair in two different events is a false
           positive (precision only; recall is not defined and shown as "-")

Baseline, same run: every pair of the set compared exactly (no LSH) with the same shingles and
thresholds. ``lsh recall`` is the share of the baseline's pairs that LSH candidates found;
``speed`` is PrimeNews articles/s divided by the baseline's.

Usage: python bench/copies.py [FILES...] [--out FILE]
Default files: the sample newswire, ../shared/data/news-events/meantime.jsonl and pages-dev.jsonl.
Prints a table and writes JSON (default bench/results/copies.json).
"""

from __future__ import annotations

import argparse
import itertools
import json
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EVENTS = ROOT.parent / "shared" / "data" / "news-events"
DEFAULT_FILES = ["newswire", str(EVENTS / "meantime.jsonl"), str(EVENTS / "pages-dev.jsonl")]


def write_newswire(path: Path) -> None:
    """The fictional sample newswire as JSON Lines (in a temp dir), with its copy_of labels."""
    from primenews.newswire import load_newswire

    with path.open("w", encoding="utf-8") as out:
        for r in load_newswire().reports:
            record = {
                "id": r.id,
                "url": f"https://newswire.invalid{r.path}",
                "title": r.title,
                "text": r.text,
                "outlet": r.outlet,
                "language": r.language,
                "published_at": r.published_at.isoformat(),
                "event_id": r.event_id,
                "copy_of": r.copy_of,
            }
            out.write(json.dumps(record) + "\n")


def import_file(path: Path, db: Path) -> Any:
    from primenews.config import Settings
    from primenews.models import SourceKind
    from primenews.pipeline import ingest
    from primenews.store import open_store

    settings = Settings(database_url=f"sqlite:///{db}")
    store = open_store(settings.database_url)
    source, _ = store.add_source(SourceKind.JSONL, str(path), enabled=False)
    ingest(settings, store, [source])
    return store


def predicted_pairs(store: Any) -> set[frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for copy in store.list_copies():
        groups.setdefault(copy.original_id, {copy.original_id}).add(copy.article_id)
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def gold_copy_pairs(articles: list[Any]) -> set[frozenset[int]]:
    by_label = {a.extra.get("id"): a.id for a in articles}
    groups: dict[int, set[int]] = {}
    for a in articles:
        original = a.extra.get("copy_of")
        if original in by_label:
            groups.setdefault(by_label[original], {by_label[original]}).add(a.id)
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(sorted(g), 2)}


def brute_force_pairs(articles: list[Any]) -> tuple[set[frozenset[int]], float]:
    """Every pair compared exactly with the detector's shingles and thresholds."""
    from primenews.dedupe import CopyOptions
    from primenews.dedupe.neardup import classify_overlap, measure_overlap, shingle_text

    options = CopyOptions()
    started = time.perf_counter()
    shingles = {
        a.id: shingle_text(f"{a.title or ''}\n\n{a.text}", options.shingle_size) for a in articles
    }
    judged = [i for i, s in shingles.items() if len(s) >= options.min_shingles]
    found = set()
    for i, j in itertools.combinations(judged, 2):
        if classify_overlap(measure_overlap(shingles[i], shingles[j]), options) is not None:
            found.add(frozenset((i, j)))
    return found, time.perf_counter() - started


def evaluate(name: str, path: Path, workdir: Path) -> dict[str, Any]:
    from primenews.dedupe import detect_copies

    store = import_file(path, workdir / f"{name}.db")
    try:
        articles = list(store.iter_articles())
        started = time.perf_counter()
        report = detect_copies(store)
        seconds = time.perf_counter() - started
        predicted = predicted_pairs(store)
        event = {a.id: a.extra.get("event_id") for a in articles}
        has_copy_labels = any("copy_of" in a.extra for a in articles)
        if has_copy_labels:
            gold = gold_copy_pairs(articles)
            tp = len(predicted & gold)
            recall: float | None = tp / len(gold) if gold else 1.0
        else:
            tp = sum(1 for p in predicted if len({event[i] for i in p}) == 1)
            recall = None
        precision = tp / len(predicted) if predicted else 1.0
        f1 = 2 * precision * recall / (precision + recall) if recall and precision else None
        baseline, base_seconds = brute_force_pairs(articles)
        lsh_recall = len(predicted & baseline) / len(baseline) if baseline else 1.0
        return {
            "set": name,
            "gold": "copy_of" if has_copy_labels else "event",
            "articles": len(articles),
            "too_short": report.too_short,
            "copies": {
                "exact": report.exact,
                "verbatim": report.verbatim,
                "rewrite": report.rewrite,
            },
            "predicted_pairs": len(predicted),
            "true_pairs": tp,
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "seconds": seconds,
            "articles_per_s": len(articles) / seconds if seconds else 0.0,
            "baseline_pairs": len(baseline),
            "baseline_seconds": base_seconds,
            "lsh_recall_vs_baseline": lsh_recall,
            "speed_vs_baseline": base_seconds / seconds if seconds else 0.0,
        }
    finally:
        store.close()


def _fmt(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def print_table(rows: list[dict[str, Any]]) -> None:
    head = (
        f"{'set':<20}{'gold':>8}{'arts':>6}{'short':>6}{'ex/vb/rw':>11}{'pairs':>7}"
        f"{'P':>7}{'R':>7}{'F1':>7}{'art/s':>8}{'base':>6}{'lshR':>7}{'speed':>7}"
    )
    print(head)
    for r in rows:
        kinds = "/".join(str(v) for v in r["copies"].values())
        print(
            f"{r['set']:<20}{r['gold']:>8}{r['articles']:>6}{r['too_short']:>6}{kinds:>11}"
            f"{r['predicted_pairs']:>7}{_fmt(r['precision']):>7}{_fmt(r['recall']):>7}"
            f"{_fmt(r['f1']):>7}{r['articles_per_s']:>8.0f}{r['baseline_pairs']:>6}"
            f"{_fmt(r['lsh_recall_vs_baseline']):>7}{r['speed_vs_baseline']:>6.1f}x"
        )
    print(
        "gold copy_of: newswire copy labels (P, R, F1); gold event: a pair across events is a "
        "false positive (P only).\nbase: pairs an exact all-pairs comparison finds with the "
        "same thresholds; lshR: share of those found; speed: our art/s over the baseline's."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("files", nargs="*", default=DEFAULT_FILES, help="JSONL files or newswire")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "copies.json")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        for item in args.files:
            if item == "newswire":
                path = workdir / "newswire.jsonl"
                write_newswire(path)
            else:
                path = Path(item)
            rows.append(evaluate(path.stem, path, workdir))
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"copies": rows}, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
