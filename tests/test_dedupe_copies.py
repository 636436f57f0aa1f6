"""The copies stage on real stores: exact, verbatim and rewrite copies, originals, idempotence."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from primenews.dedupe import (
    CopyDetector,
    content_hash,
    detect_copies,
    independent_article_ids,
    report_order,
)
from primenews.models import Article, CopyKind, ExtractedArticle
from primenews.newswire import load_newswire
from primenews.store import ArticleRecord, Store, open_store

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# fictional reports written for these tests: a wire story, a reprint with a credit line and one
# changed sentence, a rewrite that keeps whole passages, and a distinct story on the same topic

WIRE_TITLE = "Harbour crane collapse halts container traffic at Port Vellan"
WIRE = [
    "A 60-metre gantry crane collapsed onto the main quay at Port Vellan early on Tuesday, "
    "halting container traffic at the country's third-busiest harbour, the port authority said.",
    "Nobody was injured when the crane, which had been unloading a feeder ship from Oskarsund, "
    "folded at its base shortly after 4 a.m., according to harbour master Ilse Brandvik.",
    "Brandvik told reporters that inspectors had certified the crane in January and that a "
    "cracked weld in the rear leg was the most likely cause, though an investigation would take "
    "several weeks.",
    "Four ships waiting at anchor were diverted to the smaller terminal at Nesvik, where dock "
    "workers agreed to extra night shifts to handle the backlog of roughly 2,300 containers.",
    "The port handles about a fifth of the region's imports of machinery and grain, and shipping "
    "agents warned that delays could last until the weekend.",
    "The Vellan dockers' union said it had raised concerns about the age of the quay cranes twice "
    "last year and called for all six machines of the same model to be taken out of service.",
]
REPRINT = [
    "(Meridian Wire) " + WIRE[0],
    WIRE[1],
    WIRE[2],
    WIRE[3],
    "The harbour moves roughly one fifth of all machinery and grain imported into the region, and "
    "agents said the disruption might continue for several days.",
    WIRE[5],
    "This story was provided by the Meridian Wire news agency.",
]
REWRITE = [
    "Container traffic at Port Vellan ground to a halt on Tuesday after a giant crane came down "
    "on the main quay before dawn.",
    WIRE[1],
    "Brandvik told reporters that inspectors had certified the crane in January and that a "
    "cracked weld in the rear leg was the most likely cause.",
    "Four ships waiting at anchor were diverted to the smaller terminal at Nesvik, where dock "
    "workers agreed to extra night shifts.",
    "Local business leaders said the accident was a blow to a port that has been trying to win "
    "back customers from rival harbours in the south.",
    "The Vellan dockers' union said it had raised concerns about the age of the quay cranes twice "
    "last year.",
]
OTHER_TITLE = "Second crane fault closes quay at Nesvik terminal"
OTHER = [
    "A quay crane at the Nesvik container terminal stopped working on Friday when its hoist motor "
    "overheated, forcing the terminal to close one of its two berths for the day.",
    "The terminal had been handling extra ships since a crane collapse at nearby Port Vellan "
    "earlier in the week, and managers said the machine had been running almost without a break.",
    "Engineers replaced the motor by the evening, terminal director Jonas Aalberg said, adding "
    "that no containers or vessels were damaged and that nobody had been hurt.",
    "The dockers' union renewed its call for an independent review of crane maintenance at both "
    "harbours and said members would refuse unpaid overtime from next week.",
    "Shipping agents said two vessels bound for Nesvik would wait at anchor until Saturday "
    "morning.",
    # background reused word for word from the wire story: shared, but not a copy
    WIRE[4],
]
REWRITE_TITLE = "Crane falls at Port Vellan, ships diverted"


def _save(
    store: Store,
    slug: str,
    title: str,
    paragraphs: list[str],
    published: datetime | None,
    *,
    fetched: datetime | None = None,
) -> int:
    text = "\n\n".join(paragraphs)
    url = f"https://{slug}.example/news/crane"
    article = ExtractedArticle(url=url, title=title, text=text, published_at=published, outlet=slug)
    record = ArticleRecord(article, url, content_hash(text), fetched_at=fetched or T0)
    return store.save_article(record).article_id


def _at(hours: float) -> datetime:
    return T0 + timedelta(hours=hours)


def _corpus(store: Store) -> dict[str, int]:
    return {
        "wire": _save(store, "wire", WIRE_TITLE, WIRE, _at(0)),
        "exact": _save(store, "exact", "Port Vellan crane collapse", WIRE, _at(1)),
        "reprint": _save(store, "reprint", WIRE_TITLE, REPRINT, _at(2)),
        "rewrite": _save(store, "rewrite", REWRITE_TITLE, REWRITE, _at(3)),
        "other": _save(store, "other", OTHER_TITLE, OTHER, _at(4)),
    }


def test_exact_verbatim_and_rewrite_copies_point_at_the_wire(fresh_store: Store) -> None:
    ids = _corpus(fresh_store)
    report = detect_copies(fresh_store)
    assert (report.exact, report.verbatim, report.rewrite) == (1, 1, 1)
    assert report.checked == 5 and report.too_short == 0
    kinds = {name: fresh_store.copy_of(ids[name]) for name in ids}
    assert kinds["wire"] is None and kinds["other"] is None  # same topic, another event
    for name, kind in [
        ("exact", CopyKind.EXACT),
        ("reprint", CopyKind.VERBATIM),
        ("rewrite", CopyKind.REWRITE),
    ]:
        copy = kinds[name]
        assert copy is not None and copy.original_id == ids["wire"] and copy.kind == kind
    reprint = kinds["reprint"]
    assert reprint is not None and 0.8 <= reprint.similarity < 1.0
    ordered = [ids[n] for n in ("rewrite", "other", "wire", "exact")]
    assert independent_article_ids(fresh_store, ordered) == [ids["other"], ids["wire"]]


def test_rerun_marks_nothing_new(fresh_store: Store) -> None:
    _corpus(fresh_store)
    detect_copies(fresh_store)
    before = fresh_store.list_copies()
    again = detect_copies(fresh_store)
    assert again.checked == 0 and again.known == 0 and again.copies == 0  # none even read
    assert fresh_store.unfingerprinted_article_ids(CopyDetector.load(fresh_store).scheme) == []
    assert fresh_store.list_copies() == before


def test_late_earlier_report_becomes_the_original(fresh_store: Store) -> None:
    reprint = _save(fresh_store, "reprint", WIRE_TITLE, REPRINT, _at(2))
    rewrite = _save(fresh_store, "rewrite", REWRITE_TITLE, REWRITE, _at(3))
    detect_copies(fresh_store)
    first = fresh_store.copy_of(rewrite)
    assert first is not None and first.original_id == reprint
    # the wire story arrives last but was published first
    wire = _save(fresh_store, "wire", WIRE_TITLE, WIRE, _at(0))
    report = detect_copies(fresh_store, [wire])
    assert report.repointed == 2 and report.copies == 0
    assert fresh_store.copy_of(wire) is None
    marks = {c.article_id: c for c in fresh_store.list_copies()}
    assert set(marks) == {reprint, rewrite}
    assert {c.original_id for c in marks.values()} == {wire}
    assert marks[reprint].kind == CopyKind.VERBATIM and marks[rewrite].kind == CopyKind.REWRITE


def test_copy_of_a_copy_points_at_the_original(fresh_store: Store) -> None:
    wire = _save(fresh_store, "wire", WIRE_TITLE, WIRE, _at(0))
    reprint = _save(fresh_store, "reprint", WIRE_TITLE, REPRINT, _at(2))
    # runs the reprint's text (credit line, changed sentence and all) with its own footer
    second = _save(
        fresh_store, "second", WIRE_TITLE, [*REPRINT, "Reprinted with permission."], _at(5)
    )
    detect_copies(fresh_store)
    copy = fresh_store.copy_of(second)
    assert copy is not None and copy.original_id == wire
    assert fresh_store.copy_of(reprint) is not None
    assert independent_article_ids(fresh_store, [second, reprint]) == [second]


def test_missing_dates_fall_back_to_fetch_time_then_id(fresh_store: Store) -> None:
    undated = _save(fresh_store, "undated", WIRE_TITLE, WIRE, None, fetched=_at(-5))
    dated = _save(fresh_store, "dated", WIRE_TITLE, REPRINT, _at(1))
    detect_copies(fresh_store)
    copy = fresh_store.copy_of(dated)
    assert copy is not None and copy.original_id == undated
    a = Article(id=1, url="u1", canonical_url="u1", content_hash="h", title=None, text="")
    b = Article(id=2, url="u2", canonical_url="u2", content_hash="h", title=None, text="")
    assert report_order(a) < report_order(b)  # nothing known: the older id came first
    naive = Article(
        id=3,
        url="u3",
        canonical_url="u3",
        content_hash="h",
        title=None,
        text="",
        published_at=datetime(2026, 3, 1),
    )
    assert report_order(naive) < report_order(a)  # a naive time is read as UTC


def test_revised_text_is_checked_again(fresh_store: Store) -> None:
    wire = _save(fresh_store, "wire", WIRE_TITLE, WIRE, _at(0))
    late = _save(fresh_store, "late", OTHER_TITLE, OTHER, _at(4))
    detect_copies(fresh_store)
    assert fresh_store.copy_of(late) is None
    # the same page, re-fetched: the outlet replaced its own story with the wire copy
    revised = _save(fresh_store, "late", WIRE_TITLE, REPRINT, _at(4))
    assert revised == late
    scheme = CopyDetector.load(fresh_store).scheme
    assert fresh_store.unfingerprinted_article_ids(scheme) == [late]  # the default run finds it
    report = detect_copies(fresh_store, [wire, late])
    assert report.known == 1 and report.checked == 1
    copy = fresh_store.copy_of(late)
    assert copy is not None and copy.original_id == wire and copy.kind == CopyKind.VERBATIM


def test_detector_rebuilt_from_fingerprints_finds_copies_of_old_articles(store_url: str) -> None:
    with open_store(store_url) as store:
        wire = _save(store, "wire", WIRE_TITLE, WIRE, _at(0))
        detect_copies(store)
        blobs = list(store.iter_fingerprints(CopyDetector(store).scheme))
        assert [article_id for article_id, _ in blobs] == [wire]
    with open_store(store_url) as store:
        detector = CopyDetector.load(store)
        assert detector.is_known(store.get_article(wire))  # type: ignore[arg-type]
        reprint = _save(store, "reprint", WIRE_TITLE, REPRINT, _at(2))
        article = store.get_article(reprint)
        assert article is not None
        match = detector.check(article)
        assert match is not None and match.original_id == wire
        assert store.copy_of(reprint) is None  # check() writes nothing
        result = detector.add(article)
        assert result.status == "copy" and result.copy is not None
        assert result.copy.original_id == wire and result.copy.kind == CopyKind.VERBATIM


def test_too_short_and_empty_texts_are_recorded_not_marked(fresh_store: Store) -> None:
    line = ["Breaking: a crane has collapsed at Port Vellan."]
    empty = _save(fresh_store, "empty", "Crane", [""], _at(0))
    first = _save(fresh_store, "first", "Crane", line, _at(1))
    second = _save(fresh_store, "second", "Crane", line, _at(2))
    report = detect_copies(fresh_store)
    assert report.too_short == 3 and report.copies == 0
    assert fresh_store.list_copies() == []
    errors = [e for e in fresh_store.item_errors() if e.error.stage == "copies"]
    assert {e.error.reason for e in errors} == {"too_short"}
    urls = {e.error.url for e in errors}
    assert len(urls) == 3 and all(e.occurrences == 1 for e in errors)
    assert "shingles" in errors[0].error.message
    again = detect_copies(fresh_store)  # judged once: not retried, not recorded again
    assert again.checked == 0 and again.too_short == 0
    assert all(e.occurrences == 1 for e in fresh_store.item_errors())
    assert {empty, first, second} == {a.id for a in fresh_store.iter_articles()}


def test_the_same_article_checked_twice_concurrently_gets_one_mark(store_url: str) -> None:
    with open_store(store_url) as store:
        ids = _corpus(store)
    stores = [open_store(store_url) for _ in range(2)]
    detectors = [CopyDetector.load(s) for s in stores]
    barrier = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(index: int) -> None:
        try:
            barrier.wait()
            detect_copies(stores[index], list(ids.values()), detector=detectors[index])
        except BaseException as exc:  # handed to the main thread
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for s in stores:
        s.close()
    assert failures == []
    with open_store(store_url) as store:
        marks = store.list_copies()
        assert sorted(c.article_id for c in marks) == sorted(
            ids[n] for n in ("exact", "reprint", "rewrite")
        )
        assert {c.original_id for c in marks} == {ids["wire"]}


def test_sample_newswire_every_gold_copy_found_and_no_false_copy(fresh_store: Store) -> None:
    wire = load_newswire()
    ids: dict[str, int] = {}
    for r in wire.reports:
        url = f"https://newswire.invalid{r.path}"
        article = ExtractedArticle(
            url=url,
            title=r.title,
            text=r.text,
            published_at=r.published_at,
            outlet=r.outlet,
            language=r.language,
        )
        ids[r.id] = fresh_store.save_article(
            ArticleRecord(article, url, content_hash(r.text))
        ).article_id
    detect_copies(fresh_store)
    found = {(c.article_id, c.original_id) for c in fresh_store.list_copies()}
    gold = {(ids[r.id], ids[r.copy_of]) for r in wire.reports if r.copy_of}
    assert gold and found == gold
