"""What one clustering run costs as the store grows: loading the state, then placing a few.

A live newsroom runs ``primenews cluster`` every few minutes to place the articles fetched
since the last run into a store holding months of news. For each store size (synthetic
fictional reports, ``--rate`` a day, five reports a story, embeddings and clustering features
cached, every article already in its story), ``--new`` fresh reports of the latest stories
are placed three times, on three copies of the same store: by a run that loads only the
stories the new articles can reach (the default), by the same run on a store without cached
features (each loaded article's names, numbers and keyphrases worked out again from its
text, as every run did before the feature cache), and by one that loads every story
(``full_state``, what every run did before the partial load). Reported: articles whose state
was loaded, seconds per run, the ratios, the share of new articles the partial and full runs
put in the same story, and the share the partial run put in the story of their own reports
("right").

Usage: python bench/cluster_startup.py [--sizes 10000,100000] [--rate N] [--new N] [--out FILE]
Prints a table and writes JSON (default bench/results/cluster_startup.json).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import shutil
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EPOCH = datetime(2024, 1, 1, tzinfo=UTC)
REPORTS_PER_STORY = 5


_SYLLABLES = tuple(c + v for c in "bdfgklmnprstvz" for v in "aeiou")


def _name(number: int, syllables: int = 4) -> str:
    """A made-up word for ``number``: a different one for every number below 70**syllables,
    scrambled so that stories close in time do not get look-alike names."""
    space = len(_SYLLABLES) ** syllables
    number = number * 2_654_435_761 % space  # a bijection: the factor shares no prime with 70
    out = []
    for _ in range(syllables):
        number, digit = divmod(number, len(_SYLLABLES))
        out.append(_SYLLABLES[digit])
    return "".join(out)


def _report(position: int, story: int, rate: int) -> Any:
    """A fictional report of ``story``: its two names, its figure, and words of its own."""
    from primenews.models import ExtractedArticle

    rng = random.Random(position)
    own = random.Random(story)
    words = [_name(own.randrange(10**7)) for _ in range(10)]
    picked = rng.sample(words, 6)
    firm, place = f"{_name(story).title()} Group", f"Port {_name(story + 7, 3).title()}"
    figure = 1000 + story % 9000  # a figure of its own among the stories of three weeks
    return ExtractedArticle(
        url=f"https://wire.test/{story}/{position}",
        title=f"{firm} {picked[0]} {picked[1]} in {place} over {figure} {picked[2]}",
        text=(
            f"{firm} said its {picked[0]} {picked[3]} in {place} would {picked[1]} {figure} "
            f"{picked[2]}. The {picked[4]} {picked[5]} drew {rng.choice(words)} to the "
            f"{rng.choice(words)}, a spokesperson told reporters."
        ),
        published_at=EPOCH + timedelta(days=position / rate),
        language="en",
    )


def _save(store: Any, extracted: Any) -> int:
    from primenews.store import ArticleRecord

    record = ArticleRecord(
        extracted,
        canonical_url=extracted.url,
        content_hash=hashlib.sha256(extracted.url.encode()).hexdigest(),
        fetched_at=extracted.published_at,
    )
    article_id: int = store.save_article(record).article_id
    return article_id


def build_store(path: Path, size: int, rate: int) -> None:
    """A store of ``size`` placed reports (stories of five, begun in time order)."""
    from primenews.embed.cache import embed_articles
    from primenews.embed.hashing import HashingEmbedder
    from primenews.store import open_store

    store = open_store(f"sqlite:///{path}")
    embedder = HashingEmbedder()
    stories: dict[int, int] = {}
    try:
        for start in range(0, size, 2_000):
            ids = []
            for position in range(start, min(start + 2_000, size)):
                story = position // REPORTS_PER_STORY
                article_id = _save(store, _report(position, story, rate))
                if story not in stories:
                    stories[story] = store.create_story(f"story {story}")
                store.assign_article(article_id, stories[story], 1.0)
                ids.append(article_id)
            embed_articles(store, embedder, store.get_articles(ids))
    finally:
        store.close()


def cache_features(path: Path) -> None:
    """Work out and cache every stored article's clustering features (what placing them by
    ``primenews cluster`` leaves behind)."""
    from primenews.cluster.cache import cached_features
    from primenews.store import open_store

    store = open_store(f"sqlite:///{path}")
    try:
        batch = []
        for article in store.iter_articles():
            batch.append(article)
            if len(batch) == 2_000:
                cached_features(store, batch)
                batch = []
        cached_features(store, batch)
    finally:
        store.close()


def place_new(path: Path, size: int, rate: int, new: int, *, full_state: bool) -> dict[str, Any]:
    """Add ``new`` reports of the latest stories and run the clustering stage once."""
    from primenews.cluster import cluster_articles
    from primenews.config import Settings
    from primenews.embed.hashing import HashingEmbedder
    from primenews.store import open_store

    url = f"sqlite:///{path}"
    store = open_store(url)
    try:
        latest = (size - 1) // REPORTS_PER_STORY
        stories = [latest - q % 20 for q in range(new)]  # the twenty latest stories
        ids = [_save(store, _report(size + q, story, rate)) for q, story in enumerate(stories)]
        expected = [_story_of(store, story) for story in stories]
        started = time.perf_counter()
        report = cluster_articles(
            store, Settings(database_url=url), embedder=HashingEmbedder(), full_state=full_state
        )
        seconds = time.perf_counter() - started
        placements = [store.story_of(i) for i in ids]
        return {
            "seconds": seconds,
            "loaded": report.loaded,
            "assigned": report.assigned,
            "placements": placements,
            "right_story": sum(a == b for a, b in zip(placements, expected, strict=True)) / new,
        }
    finally:
        store.close()


def _story_of(store: Any, story: int) -> int | None:
    """The story holding the first report of synthetic ``story``."""
    first = store.find_article(f"https://wire.test/{story}/{story * REPORTS_PER_STORY}")
    return store.story_of(first.id) if first is not None else None


def startup_curve(sizes: list[int], *, rate: int = 2_000, new: int = 50) -> list[dict[str, Any]]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            base = Path(tmp) / f"store-{size}.db"
            started = time.perf_counter()
            build_store(base, size, rate)
            uncached = Path(tmp) / f"store-{size}-uncached.db"
            shutil.copyfile(base, uncached)
            cache_features(base)
            build = time.perf_counter() - started
            copy = Path(tmp) / f"store-{size}-full.db"
            shutil.copyfile(base, copy)
            partial = place_new(base, size, rate, new, full_state=False)
            worked_out = place_new(uncached, size, rate, new, full_state=False)
            uncached.unlink()
            full = place_new(copy, size, rate, new, full_state=True)
            copy.unlink()
            same = sum(
                a == b for a, b in zip(partial["placements"], full["placements"], strict=True)
            )
            row = {
                "stored": size,
                "articles_per_day": rate,
                "new_articles": new,
                "loaded_partial": partial["loaded"],
                "loaded_full": full["loaded"],
                "run_s_partial": partial["seconds"],
                "run_s_partial_uncached": worked_out["seconds"],
                "run_s_full": full["seconds"],
                "speedup": full["seconds"] / partial["seconds"] if partial["seconds"] else 0.0,
                "feature_cache_speedup": (
                    worked_out["seconds"] / partial["seconds"] if partial["seconds"] else 0.0
                ),
                "same_story": same / new,
                "right_story_partial": partial["right_story"],
                "right_story_full": full["right_story"],
                "build_s": build,
            }
            rows.append(row)
            print(
                f"  run @ {size:>9,}: partial {partial['seconds']:.2f} s "
                f"({partial['loaded']:,} loaded; {worked_out['seconds']:.2f} s without the "
                f"feature cache), every story {full['seconds']:.2f} s "
                f"({full['loaded']:,}), same story {same}/{new}, right story "
                f"{partial['right_story']:.0%} / {full['right_story']:.0%}",
                file=sys.stderr,
            )
    return rows


def print_table(rows: list[dict[str, Any]]) -> None:
    header = (
        f"{'stored':>10} {'loaded':>8} {'run s':>7} {'uncached':>9} {'ratio':>6} "
        f"{'loaded':>8} {'run s':>7} {'ratio':>6} {'same':>6} {'right':>6}"
    )
    print(f"{'':>10} {'reachable stories':>33} {'every story':>22}")
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['stored']:>10,} {row['loaded_partial']:>8,} {row['run_s_partial']:>7.2f} "
            f"{row['run_s_partial_uncached']:>9.2f} {row['feature_cache_speedup']:>5.1f}x "
            f"{row['loaded_full']:>8,} {row['run_s_full']:>7.2f} {row['speedup']:>5.1f}x "
            f"{row['same_story']:>6.0%} {row['right_story_partial']:>6.0%}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000", help="stored articles, comma-separated")
    parser.add_argument("--rate", type=int, default=2_000, help="articles a day")
    parser.add_argument("--new", type=int, default=50, help="new articles a run places")
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "cluster_startup.json"
    )
    args = parser.parse_args(argv)
    sizes = [int(size) for size in args.sizes.split(",") if size]
    rows = startup_curve(sizes, rate=args.rate, new=args.new)
    print_table(rows)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps({"runs": rows}, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
