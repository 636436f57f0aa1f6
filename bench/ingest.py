"""Ingest throughput: fetch + extract + store, articles/s and peak memory.

Scenarios, each in its own subprocess so peak memory (max RSS) is its own:
  newswire   the fictional sample newswire served on 127.0.0.1, ingested over real HTTP
  warc       a WARC.gz built at run time (in a temp dir) from a folder of real pages
             (default: ../shared/data/extraction-scrapinghub/html), ingested from disk
  baseline   the same WARC pages, naive: trafilatura.extract + sqlite3 insert, one by one

Usage: python bench/ingest.py [--pages DIR] [--out FILE]
Prints a table and writes JSON (default bench/results/ingest.json).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = ROOT.parent / "shared" / "data" / "extraction-scrapinghub" / "html"


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _settings(db: Path):  # type: ignore[no-untyped-def]
    from primenews.config import Settings

    return Settings(
        database_url=f"sqlite:///{db}",
        allow_private_networks=True,
        per_host_delay=0.0,
        global_concurrency=8,
    )


def run_newswire(workdir: Path) -> dict[str, float]:
    from primenews.models import SourceKind
    from primenews.newswire import NewswireServer
    from primenews.pipeline import ingest
    from primenews.store import open_store

    settings = _settings(workdir / "newswire.db")
    with NewswireServer() as server, open_store(settings.database_url) as store:
        sources = [store.add_source(SourceKind(k), u, title=t)[0] for k, u, t in server.sources()]
        started = time.perf_counter()
        report = ingest(settings, store, sources)
        seconds = time.perf_counter() - started
        stored = store.count_articles()
    return {"articles": stored, "seconds": seconds, "new": report.new}


def build_warc(pages: Path, target: Path) -> int:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    count = 0
    with target.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for path in sorted(pages.iterdir()):
            raw = path.read_bytes()
            body = gzip.decompress(raw) if path.name.endswith(".gz") else raw
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            url = f"https://bench.example/{path.name.split('.')[0]}"
            writer.write_record(
                writer.create_warc_record(
                    url, "response", payload=BytesIO(body), length=len(body), http_headers=headers
                )
            )
            count += 1
    return count


def run_warc(workdir: Path) -> dict[str, float]:
    from primenews.models import SourceKind
    from primenews.pipeline import ingest
    from primenews.store import open_store

    settings = _settings(workdir / "warc.db")
    with open_store(settings.database_url) as store:
        source, _ = store.add_source(SourceKind.WARC, str(workdir / "pages.warc.gz"), enabled=False)
        started = time.perf_counter()
        report = ingest(settings, store, [source])
        seconds = time.perf_counter() - started
        stored = store.count_articles()
        refused = sum(report.sources[0].refused.values())
    return {"articles": stored, "seconds": seconds, "refused": refused}


def run_baseline(workdir: Path) -> dict[str, float]:
    import trafilatura
    from warcio.archiveiterator import ArchiveIterator

    conn = sqlite3.connect(workdir / "baseline.db")
    conn.execute("CREATE TABLE articles (url TEXT PRIMARY KEY, text TEXT)")
    started = time.perf_counter()
    with (workdir / "pages.warc.gz").open("rb") as stream:
        for record in ArchiveIterator(stream):
            if record.rec_type != "response":
                continue
            html = record.content_stream().read()
            text = trafilatura.extract(html)
            if text:
                conn.execute(
                    "INSERT OR IGNORE INTO articles VALUES (?, ?)",
                    (record.rec_headers.get_header("WARC-Target-URI"), text),
                )
    conn.commit()
    seconds = time.perf_counter() - started
    stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    return {"articles": stored, "seconds": seconds}


SCENARIOS = {"newswire": run_newswire, "warc": run_warc, "baseline": run_baseline}


def _child(name: str, workdir: Path) -> None:
    result = SCENARIOS[name](workdir)
    result["peak_mib"] = _peak_mib()
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "ingest.json")
    parser.add_argument("--child", choices=sorted(SCENARIOS), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.workdir)
        return
    if not args.pages.is_dir():
        sys.exit(f"no pages folder at {args.pages}; pass --pages DIR")
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        pages = build_warc(args.pages, workdir / "pages.warc.gz")
        for name in ("newswire", "warc", "baseline"):
            done = subprocess.run(
                [sys.executable, __file__, "--child", name, "--workdir", str(workdir)],
                check=True,
                capture_output=True,
                text=True,
                env={**os.environ},
            )
            results[name] = json.loads(done.stdout.strip().splitlines()[-1])
    for r in results.values():
        r["articles_per_s"] = r["articles"] / r["seconds"] if r["seconds"] else 0.0
    ratio = results["warc"]["articles_per_s"] / max(results["baseline"]["articles_per_s"], 1e-9)
    print(f"{'scenario':<34}{'articles':>9}{'seconds':>9}{'art/s':>9}{'peak MiB':>10}")
    labels = {
        "newswire": "PrimeNews, sample newswire (HTTP)",
        "warc": f"PrimeNews, WARC of {pages} pages",
        "baseline": "naive trafilatura+sqlite3",
    }
    for name, r in results.items():
        print(
            f"{labels[name]:<34}{r['articles']:>9.0f}{r['seconds']:>9.2f}"
            f"{r['articles_per_s']:>9.1f}{r['peak_mib']:>10.0f}"
        )
    print(f"WARC ingest speed vs naive baseline: {ratio:.2f}x")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps({"results": results, "warc_vs_baseline": ratio, "pages": pages}, indent=2)
    )


if __name__ == "__main__":
    main()
