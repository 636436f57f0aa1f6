"""Story-page synthesis: summary quality beside three baselines, speed, and grounding.

Quality, on NeuS (``../shared/data/summarization/neus-val.jsonl`` unless ``--neus``): each
story's three outlets' title and lead become three Articles (ids 1..3, no outlet, no date); the
extractive backend writes a page; "our summary" is the page's text in reading order (summary
sentence, then the sections' sentences). It and three baselines, all cut to the reference
summary's word count, are scored against the AllSides editors' summary with ROUGE-1/2/L F1
(``rouge-score``, stemming on):

  lead            the first report's text
  lexrank         sumy's LexRank over the three reports' sentences, best first
  lexrank-order   sumy's own LexRank output: ``summarizer(document, n)`` (its top n sentences
                  in document order) with the least n that fills the reference's length
  textrank        sumy's TextRank over the same sentences, best first
  textrank-order  sumy's own TextRank output, as for lexrank-order

The baselines get PrimeNews's own sentence splitter (sumy's needs nltk data it would download).
Ours is compared with the best baseline on each metric (``best_baseline`` and ``margin`` in the
scores). Headlines are scored the same way against the editors' headline, beside the first
report's title.

Speed: pages/s over the NeuS stories, and the time to write one 10-report story on one core:
the ten longest reports of the largest event in ``news-events/pages-dev.jsonl``.

Grounding (with ``--grounding``): for each news-events set and the fictional sample newswire, a
page per event with at least two reports, checked by the publish gate
(``primenews.synthesize.gate.check_page``): pages written, sentences, sentences with a
rejecting verdict, verdicts by check; and the share of sentences an independent check (no code
shared with the writer or the gate: word containment and numbers) finds supported.

    python bench/synthesis.py [--neus FILE] [--limit N] [--grounding] [--out FILE]

Prints a table, writes every story's output as a JSON list (default
bench/results/synthesis.json: ``[{"id", "headline", "summary", "sections", "sentences":
[{"text", "citations": [{"article", "start", "end", "text"}]}], "quotes"}]``) and the scores
beside it (``synthesis-scores.json``).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from rouge_score import rouge_scorer
from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
from sumy.nlp.stemmers import Stemmer
from sumy.summarizers.lex_rank import LexRankSummarizer
from sumy.summarizers.text_rank import TextRankSummarizer
from sumy.utils import get_stop_words

from primenews.errors import SynthesisError
from primenews.models import Article, Report, StoryPage
from primenews.synthesize.extractive import ExtractiveSynthesizer
from primenews.synthesize.sentences import split_sentences
from primenews.synthesize.textstats import WORD

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEFAULT_NEUS = SHARED / "summarization" / "neus-val.jsonl"
EVENTS = SHARED / "news-events"
EVENT_SETS = ["ecbplus-dev", "neus-val-articles", "meantime", "pages-dev", "newswire"]
DEFAULT_OUT = ROOT / "bench" / "results" / "synthesis.json"
METRICS = ("rouge1", "rouge2", "rougeL")
SYSTEMS = ("ours", "lead", "lexrank", "lexrank-order", "textrank", "textrank-order")


# --- inputs --------------------------------------------------------------------------------


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def neus_reports(record: dict[str, Any]) -> list[Report]:
    """A NeuS story's three outlets as Reports: ids 1..3, no outlet, no date."""
    reports: list[Report] = []
    for number, item in enumerate(record["articles"], start=1):
        url = f"urn:neus:{record['id']}:{number}"
        article = Article(
            id=number,
            url=url,
            canonical_url=url,
            content_hash=f"{record['id']}:{number}",
            title=item.get("title"),
            text=item.get("text") or "",
            language="en",
        )
        reports.append(Report(article))
    return reports


def event_reports(records: Sequence[dict[str, Any]]) -> list[Report]:
    """News-events records (one event) as Reports with ids 1..n."""
    reports: list[Report] = []
    for number, record in enumerate(records, start=1):
        url = record.get("url") or f"urn:event:{record['id']}"
        article = Article(
            id=number,
            url=url,
            canonical_url=url,
            content_hash=str(record["id"]),
            title=record.get("title"),
            text=record.get("text") or "",
            language=record.get("language"),
            outlet=record.get("outlet"),
        )
        reports.append(Report(article))
    return reports


# --- texts to score ------------------------------------------------------------------------


def page_text(page: StoryPage) -> str:
    """The page's sentences in reading order: summary, then each section's sentences."""
    sentences = [page.summary.text]
    sentences += [s.text for section in page.sections for s in section.sentences]
    return " ".join(sentences)


def truncate(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


class _Tokenizer:
    """Sumy's tokenizer interface over PrimeNews's splitter (no nltk data needed)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> list[str]:
        return [span.text for span in split_sentences(paragraph)]

    def to_words(self, sentence: str) -> list[str]:
        return WORD.findall(sentence)


def sumy_ranked(texts: Sequence[str], summarizer: Any) -> str:
    """All the texts' sentences, best first by ``summarizer``'s rating (ties: text order)."""
    tokenizer = _Tokenizer()
    sentences = [Sentence(span.text, tokenizer) for text in texts for span in split_sentences(text)]
    if not sentences:
        return ""
    document = ObjectDocumentModel([Paragraph(sentences)])
    summarizer.stop_words = get_stop_words("english")
    ratings = _ratings(summarizer, document)
    order = sorted(range(len(sentences)), key=lambda i: (-ratings[sentences[i]], i))
    return " ".join(str(sentences[i]) for i in order)


def sumy_ordered(texts: Sequence[str], summarizer: Any, words: int) -> str:
    """Sumy's own summary (its top ``n`` sentences, in document order) for the least ``n``
    whose output has at least ``words`` words (every sentence when none has)."""
    tokenizer = _Tokenizer()
    sentences = [Sentence(span.text, tokenizer) for text in texts for span in split_sentences(text)]
    if not sentences:
        return ""
    document = ObjectDocumentModel([Paragraph(sentences)])
    summarizer.stop_words = get_stop_words("english")
    summary = ""
    for count in range(1, len(sentences) + 1):
        summary = " ".join(str(sentence) for sentence in summarizer(document, count))
        if len(summary.split()) >= words:
            break
    return summary


def _ratings(summarizer: Any, document: Any) -> dict[Any, float]:
    """Sumy's sentence ratings (LexRank's as its ``__call__`` computes them)."""
    if isinstance(summarizer, TextRankSummarizer):
        return dict(summarizer.rate_sentences(document))
    words = [summarizer._to_words_set(s) for s in document.sentences]
    tf = summarizer._compute_tf(words)
    idf = summarizer._compute_idf(words)
    matrix = summarizer._create_matrix(words, summarizer.threshold, tf, idf)
    scores = summarizer.power_method(matrix, summarizer.epsilon)
    return dict(zip(document.sentences, scores, strict=True))


# --- quality -------------------------------------------------------------------------------


def bench_quality(records: list[dict[str, Any]]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """ROUGE of ours and the baselines, the headline ROUGE, and every story's output."""
    scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)
    stemmer = Stemmer("english")
    baselines: dict[str, Callable[[list[str], int], str]] = {
        "lead": lambda texts, _: texts[0] if texts else "",
        "lexrank": lambda texts, _: sumy_ranked(texts, LexRankSummarizer(stemmer)),
        "lexrank-order": lambda texts, n: sumy_ordered(texts, LexRankSummarizer(stemmer), n),
        "textrank": lambda texts, _: sumy_ranked(texts, TextRankSummarizer(stemmer)),
        "textrank-order": lambda texts, n: sumy_ordered(texts, TextRankSummarizer(stemmer), n),
    }
    synthesizer = ExtractiveSynthesizer()
    sums: dict[str, dict[str, list[float]]] = {s: defaultdict(list) for s in SYSTEMS}
    heads: dict[str, dict[str, list[float]]] = {s: defaultdict(list) for s in ("ours", "lead")}
    outputs: list[dict[str, Any]] = []
    elapsed = 0.0
    failures = 0
    for record in records:
        reference = record["reference"]
        length = len(reference["summary"].split())
        reports = neus_reports(record)
        started = time.perf_counter()
        try:
            page: StoryPage | None = synthesizer.write(1, reports)
        except SynthesisError:
            page = None  # no usable sentence at all: scored as empty output
        elapsed += time.perf_counter() - started
        texts = [r.article.text for r in reports]
        candidates = {"ours": page_text(page) if page else ""}
        candidates |= {name: make(texts, length) for name, make in baselines.items()}
        for name, text in candidates.items():
            _add(sums[name], scorer.score(reference["summary"], truncate(text, length)))
        _add(heads["ours"], scorer.score(reference["headline"], page.headline if page else ""))
        _add(heads["lead"], scorer.score(reference["headline"], reports[0].article.title or ""))
        if page is not None:
            outputs.append(story_output(record["id"], page))
        else:
            failures += 1
    summary = {name: _means(values) for name, values in sums.items()}
    table = {
        "stories": len(records),
        "failures": failures,
        "summary": summary,
        **_against_baselines(summary),
        "headline": {name: _means(values) for name, values in heads.items()},
        "pages_per_s": len(records) / elapsed if elapsed else 0.0,
    }
    return table, outputs


def _against_baselines(summary: dict[str, dict[str, float]]) -> dict[str, Any]:
    """The best baseline on each metric and ours' margin over it (ROUGE points)."""
    best = {
        metric: max((name for name in summary if name != "ours"), key=lambda n: summary[n][metric])
        for metric in METRICS
    }
    margin = {metric: summary["ours"][metric] - summary[best[metric]][metric] for metric in METRICS}
    return {"best_baseline": best, "margin": margin}


def _add(bucket: dict[str, list[float]], scores: dict[str, Any]) -> None:
    for metric in METRICS:
        bucket[metric].append(scores[metric].fmeasure)


def _means(bucket: dict[str, list[float]]) -> dict[str, float]:
    return {metric: 100 * statistics.fmean(bucket[metric]) for metric in METRICS}


def story_output(story: str, page: StoryPage) -> dict[str, Any]:
    sentences = [page.summary, *(s for section in page.sections for s in section.sentences)]
    return {
        "id": story,
        "headline": page.headline,
        "summary": page.summary.text,
        "sections": [section.heading for section in page.sections],
        "sentences": [
            {
                "text": sentence.text,
                "citations": [
                    {"article": c.article_id, "start": c.start, "end": c.end, "text": c.text}
                    for c in sentence.citations
                ],
            }
            for sentence in sentences
        ],
        "quotes": [{"text": q.text, "speaker": q.speaker} for q in page.quotes],
    }


# --- speed ---------------------------------------------------------------------------------


def bench_ten_reports(path: Path, runs: int = 20) -> dict[str, Any]:
    """Median time to write a page from the 10 longest reports of the largest event."""
    events: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for record in read_jsonl(path):
        events[record["event_id"]].append(record)
    event, records = max(events.items(), key=lambda item: (len(item[1]), item[0]))
    chosen = sorted(records, key=lambda r: (-len(r.get("text") or ""), str(r["id"])))[:10]
    reports = event_reports(chosen)
    synthesizer = ExtractiveSynthesizer()
    if hasattr(os, "sched_setaffinity"):  # one core, as the target says
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    times: list[float] = []
    cpu: list[float] = []  # CPU time: what the write costs when other work shares the core
    with _one_blas_thread():  # BLAS pools started before the pinning would run elsewhere
        synthesizer.write(1, reports)  # warm up
        for _ in range(runs):
            started, started_cpu = time.perf_counter(), time.process_time()
            synthesizer.write(1, reports)
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)
    return {
        "event": event,
        "reports": len(reports),
        "characters": sum(len(r.article.text) for r in reports),
        "median_ms": 1000 * statistics.median(times),
        "max_ms": 1000 * max(times),
        "median_cpu_ms": 1000 * statistics.median(cpu),
    }


def _one_blas_thread() -> Any:
    """A context in which numpy's BLAS uses one thread (threadpoolctl, when installed)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return contextlib.nullcontext()
    return threadpool_limits(limits=1)


# --- grounding -----------------------------------------------------------------------------


def newswire_events() -> dict[str, list[Report]]:
    """The fictional sample newswire's events as Reports (copies marked by ``copy_of``)."""
    from primenews.newswire import load_newswire

    wire = load_newswire()
    by_event: dict[str, list[Report]] = defaultdict(list)
    ids: dict[str, int] = {}
    for event in sorted({r.event_id for o in wire.outlets for r in wire.reports_by(o.slug)}):
        for number, report in enumerate(wire.reports_of(event), start=1):
            ids[report.id] = number
            article = Article(
                id=number,
                url=f"https://newswire.test/{report.id}",
                canonical_url=f"https://newswire.test/{report.id}",
                content_hash=report.id,
                title=report.title,
                text=report.text,
                language=report.language,
                outlet=wire.outlet(report.outlet).name,
                published_at=report.published_at,
            )
            by_event[event].append(Report(article))
        by_event[event] = [
            Report(r.article, ids.get(orig.copy_of or "") if orig.copy_of else None)
            for r, orig in zip(by_event[event], wire.reports_of(event), strict=True)
        ]
    return by_event


_WORD = re.compile(r"\w+", re.UNICODE)
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")


def independently_supported(sentence: str, cited: Sequence[str]) -> bool:
    """A check that shares no code with the writer or the gate: at least 80% of the sentence's
    words (lower-cased) occur in the cited text, and every number it writes occurs there too."""
    evidence = " ".join(cited)
    words = [w.lower() for w in _WORD.findall(sentence)]
    have = {w.lower() for w in _WORD.findall(evidence)}
    flat = evidence.replace(",", "")
    if not words:
        return False
    numbers_ok = all(n.replace(",", "") in flat for n in _DIGITS.findall(sentence))
    return numbers_ok and sum(w in have for w in words) / len(words) >= 0.8


def _event_sets(sets: Sequence[str]) -> dict[str, list[list[Report]]]:
    out: dict[str, list[list[Report]]] = {}
    for name in sets:
        if name == "newswire":
            out[name] = [reps for _e, reps in sorted(newswire_events().items()) if len(reps) > 1]
            continue
        path = EVENTS / f"{name}.jsonl"
        if not path.exists():
            continue
        events: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for record in read_jsonl(path):
            events[record["event_id"]].append(record)
        out[name] = [event_reports(events[e]) for e in sorted(events) if len(events[e]) >= 2]
    return out


def bench_grounding(sets: Sequence[str]) -> dict[str, Any]:
    """A page per event (events with at least two reports): the publish gate's verdicts, and
    the share of published sentences an independent check finds supported by their citations."""
    from primenews.synthesize.gate import check_page

    synthesizer = ExtractiveSynthesizer()
    results: dict[str, Any] = {}
    for name, stories in _event_sets(sets).items():
        pages = sentences = flawed = skipped = independent = 0
        checks: Counter[str] = Counter()
        for reports in stories:
            try:
                page = synthesizer.write(1, reports)
            except SynthesisError:
                skipped += 1  # no report of the event has a usable sentence
                continue
            verdicts = check_page(page, {r.article.id: r.article for r in reports})
            pages += 1
            written = [page.summary, *(x for sec in page.sections for x in sec.sentences)]
            sentences += len(written)
            independent += sum(
                independently_supported(x.text, [c.text for c in x.citations]) for x in written
            )
            flawed += len({v.target for v in verdicts if v.reject and "sentence" in v.target})
            flawed += any(v.reject and v.target == "summary" for v in verdicts)
            checks.update(v.check for v in verdicts)
        results[name] = {
            "pages": pages,
            "skipped": skipped,
            "sentences": sentences,
            "flawed_sentences": flawed,
            "supported_rate": 1 - flawed / sentences if sentences else 0.0,
            "independent_supported_rate": independent / sentences if sentences else 0.0,
            "verdicts": dict(sorted(checks.items())),
        }
    return results


# --- report --------------------------------------------------------------------------------


def print_table(results: dict[str, Any]) -> None:
    quality = results["quality"]
    print(f"NeuS {quality['stories']} stories; ROUGE F1 x100 at the reference's length")
    print(f"{'system':<15} {'R-1':>6} {'R-2':>6} {'R-L':>6}")
    for name, scores in quality["summary"].items():
        print(f"{name:<15} " + " ".join(f"{scores[m]:6.1f}" for m in METRICS))
    margin, best = quality["margin"], quality["best_baseline"]
    print(f"{'ours - best':<15} " + " ".join(f"{margin[m]:+6.1f}" for m in METRICS))
    print("best baseline: " + ", ".join(f"{m} {best[m]}" for m in METRICS))
    print("headline vs editors' headline")
    for name, scores in quality["headline"].items():
        label = "ours" if name == "ours" else "1st title"
        print(f"{label:<15} " + " ".join(f"{scores[m]:6.1f}" for m in METRICS))
    print(f"extractive: {quality['pages_per_s']:.0f} pages/s on NeuS stories")
    ten = results.get("ten_reports")
    if ten:
        print(
            f"10-report story ({ten['event']}, {ten['characters']} chars): "
            f"median {ten['median_ms']:.1f} ms, max {ten['max_ms']:.1f} ms wall, "
            f"median {ten['median_cpu_ms']:.1f} ms CPU (one core)"
        )
    for name, grounding in results.get("grounding", {}).items():
        print(
            f"gate {name:<18} pages {grounding['pages']:>4}  sentences {grounding['sentences']:>5}"
            f"  supported {100 * grounding['supported_rate']:5.1f}% (gate), "
            f"{100 * grounding['independent_supported_rate']:5.1f}% (independent)"
            f"  {grounding['verdicts']}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--neus", type=Path, default=DEFAULT_NEUS)
    parser.add_argument("--limit", type=int, default=0, help="only the first N stories")
    parser.add_argument("--grounding", action="store_true", help="run the publish gate too")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = parser.parse_args(argv)
    if not args.neus.exists():
        print(f"no NeuS file at {args.neus}", file=sys.stderr)
        return 2
    records = read_jsonl(args.neus)
    if args.limit:
        records = records[: args.limit]
    quality, outputs = bench_quality(records)
    results: dict[str, Any] = {"neus": str(args.neus), "quality": quality}
    if (EVENTS / "pages-dev.jsonl").exists():
        results["ten_reports"] = bench_ten_reports(EVENTS / "pages-dev.jsonl")
    if args.grounding:
        results["grounding"] = bench_grounding(EVENT_SETS)
    print_table(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(outputs, ensure_ascii=False, indent=1), encoding="utf-8")
    scores = args.out.with_name(f"{args.out.stem}-scores.json")
    scores.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(f"wrote {args.out} and {scores}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
