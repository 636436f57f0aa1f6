"""The pages stage end to end on a fresh store (SQLite and PostgreSQL), with fictional reports.

The reports below were written for these tests: the places, people and events are invented.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from primenews.config import Settings
from primenews.errors import SynthesisError
from primenews.models import Copy, CopyKind, ExtractedArticle, Report, StoryPage
from primenews.pipeline.pages import write_story_pages
from primenews.store import ArticleRecord, Store, open_store
from primenews.synthesize.extractive import ExtractiveSynthesizer
from primenews.synthesize.gate import check_text
from primenews.synthesize.render import render_markdown

T0 = datetime(2026, 6, 8, 6, 0, tzinfo=UTC)

FERRY = {
    "ledger": (
        "The Ledger",
        "Ferry crews in Port Ansel strike over night shifts",
        "Ferry crews in Port Ansel walked off the job on Monday morning in a dispute over "
        "night shifts, stranding about 4,000 commuters on the island side of the bay.\n\n"
        "The crews' union said the harbour authority had added eleven night crossings without "
        "hiring extra staff. Harbour director Mara Quint said talks would resume on Wednesday.\n\n"
        '"Nobody can steer a ferry safely after fourteen hours at the wheel," union '
        "spokesperson Tobias Wren told reporters at the terminal.",
    ),
    "herald": (
        "Bay Herald",
        "Port Ansel ferries halted as crews walk out",
        "All six Port Ansel ferries stayed at their moorings on Monday after crews began a "
        "strike over longer night shifts.\n\n"
        "Commuters queued for buses that take two hours to circle the bay by road. The "
        "harbour authority said it would run two emergency crossings for medical staff.\n\n"
        "Harbour director Mara Quint said talks with the union would resume on Wednesday.",
    ),
    "courier": (
        "Island Courier",
        "Ferry strike enters second day in Port Ansel",
        "The Port Ansel ferry strike entered its second day on Tuesday with no crossings "
        "running between the island and the city.\n\n"
        "Shopkeepers on the island said deliveries of fresh food had stopped. The harbour "
        "authority offered to review the night timetable before Wednesday's talks.",
    ),
}
ORCHARD = (
    "Valley Post",
    "Hail damages orchards in the Brenn valley",
    "A short hailstorm damaged apple orchards across the Brenn valley on Sunday evening. "
    "Growers said about a third of the early crop was lost.",
)


def _save(store: Store, slug: str, outlet: str, title: str, text: str, hour: int) -> int:
    article = ExtractedArticle(
        url=f"https://{slug}.example/news/{hour}",
        title=title,
        text=text,
        outlet=outlet,
        language="en",
        published_at=T0 + timedelta(hours=hour),
    )
    return store.save_article(ArticleRecord(article, article.url, f"{slug}-{hour}")).article_id


def _newsroom(store: Store) -> dict[str, int]:
    """Two stories: the ferry strike (two outlets and a reprint) and a one-report hailstorm."""
    ids = {
        "ledger": _save(store, "ledger", *FERRY["ledger"], hour=1),
        "herald": _save(store, "herald", *FERRY["herald"], hour=2),
        "reprint": _save(store, "coastwire", "Coast Wire", *FERRY["ledger"][1:], hour=3),
        "orchard": _save(store, "valleypost", *ORCHARD, hour=1),
    }
    store.save_copy(Copy(ids["reprint"], ids["ledger"], CopyKind.EXACT, 1.0))
    ids["ferry_story"] = store.create_story("Ferry strike")
    for key in ("ledger", "herald", "reprint"):
        store.assign_article(ids[key], ids["ferry_story"])
    ids["orchard_story"] = store.create_story("Hail")
    store.assign_article(ids["orchard"], ids["orchard_story"])
    return ids


@pytest.fixture
def page_settings(store_url: str) -> Settings:
    return Settings(database_url=store_url, page_min_reports=2, page_debounce_minutes=10)


def test_pages_only_for_stories_with_two_independent_reports(
    fresh_store: Store, page_settings: Settings
) -> None:
    ids = _newsroom(fresh_store)
    report = write_story_pages(fresh_store, page_settings, ExtractiveSynthesizer(), now=T0)
    assert (report.stories, report.written, report.published, report.failed) == (1, 1, 1, 0)
    assert fresh_store.latest_story_version(ids["orchard_story"]) is None
    version = fresh_store.latest_story_version(ids["ferry_story"])
    assert version is not None and version.version == 1 and version.whats_new is None
    assert set(version.article_ids) == {ids["ledger"], ids["herald"], ids["reprint"]}
    assert version.created_at == T0 and version.page.backend == "extractive"
    assert version.published and not any(v.reject for v in version.verdicts)
    assert check_text(render_markdown(version)) == []  # `primenews check` reads it back clean
    texts = {a.id: a.text for a in fresh_store.get_articles(version.article_ids)}
    for sentence in (
        version.page.summary,
        *(s for x in version.page.sections for s in x.sentences),
    ):
        for c in sentence.citations:  # every stored citation still points into its article
            assert texts[c.article_id][c.start : c.end] == c.text


def test_a_rerun_writes_nothing_and_a_new_report_waits_for_the_debounce(
    fresh_store: Store, page_settings: Settings
) -> None:
    ids = _newsroom(fresh_store)
    writer = ExtractiveSynthesizer()
    write_story_pages(fresh_store, page_settings, writer, now=T0)
    again = write_story_pages(fresh_store, page_settings, writer, now=T0 + timedelta(hours=5))
    assert (again.stories, again.written) == (0, 0)  # nothing changed: no story is even read
    assert fresh_store.due_page_stories() == {}
    named = write_story_pages(
        fresh_store, page_settings, writer, story_id=ids["ferry_story"], now=T0
    )
    assert (named.stories, named.unchanged) == (1, 1)  # a story asked for by id is read
    courier = _save(fresh_store, "courier", *FERRY["courier"], hour=26)
    fresh_store.assign_article(courier, ids["ferry_story"])
    soon = write_story_pages(fresh_store, page_settings, writer, now=T0 + timedelta(minutes=5))
    assert (soon.written, soon.debounced) == (0, 1)
    later = T0 + timedelta(minutes=11)
    report = write_story_pages(fresh_store, page_settings, writer, now=later)
    assert report.written == 1 and report.versions == [(ids["ferry_story"], 2)]
    versions = fresh_store.story_versions(ids["ferry_story"])
    assert [v.version for v in versions] == [1, 2]  # the first version is kept
    assert courier in versions[1].article_ids and courier not in versions[0].article_ids
    assert versions[1].whats_new is not None
    assert versions[1].whats_new.startswith("Adds a report from Island Courier")
    assert write_story_pages(fresh_store, page_settings, writer, now=later).written == 0


def test_a_new_reprint_alone_does_not_rewrite_the_page(
    fresh_store: Store, page_settings: Settings
) -> None:
    ids = _newsroom(fresh_store)
    writer = ExtractiveSynthesizer()
    write_story_pages(fresh_store, page_settings, writer, now=T0)
    reprint = _save(fresh_store, "southwire", "South Wire", *FERRY["herald"][1:], hour=30)
    fresh_store.save_copy(Copy(reprint, ids["herald"], CopyKind.VERBATIM, 0.99))
    fresh_store.assign_article(reprint, ids["ferry_story"])
    report = write_story_pages(fresh_store, page_settings, writer, now=T0 + timedelta(days=1))
    assert (report.written, report.unchanged) == (0, 1)
    forced = write_story_pages(
        fresh_store, page_settings, writer, now=T0 + timedelta(minutes=1), force=True
    )
    assert forced.written == 1  # force ignores both the debounce and unchanged reports
    latest = fresh_store.latest_story_version(ids["ferry_story"])
    assert latest is not None and reprint in latest.article_ids
    assert latest.whats_new == "A reprint in South Wire."


class _Flaky:
    """Fails on one story, writes the others with the extractive backend."""

    name = "flaky"

    def __init__(self, failing: int) -> None:
        self.failing = failing
        self.inner = ExtractiveSynthesizer()

    def write(self, story_id: int, reports: Sequence[Report]) -> StoryPage:
        if story_id == self.failing:
            raise SynthesisError(f"backend timed out on story {story_id}")
        return self.inner.write(story_id, reports)


def test_a_failing_story_is_recorded_and_the_run_goes_on(
    fresh_store: Store, page_settings: Settings
) -> None:
    ids = _newsroom(fresh_store)
    second = fresh_store.create_story("Ferry strike, day two")
    courier = _save(fresh_store, "courier", *FERRY["courier"], hour=26)
    herald2 = _save(fresh_store, "herald2", *FERRY["herald"], hour=27)
    fresh_store.assign_article(courier, second)
    fresh_store.assign_article(herald2, second)
    report = write_story_pages(fresh_store, page_settings, _Flaky(ids["ferry_story"]), now=T0)
    assert (report.stories, report.failed, report.written) == (2, 1, 1)
    assert "timed out" in report.failures[ids["ferry_story"]]
    assert fresh_store.latest_story_version(ids["ferry_story"]) is None
    assert fresh_store.latest_story_version(second) is not None
    [error] = fresh_store.item_errors()
    assert error.error.stage == "synthesize" and error.error.reason == "synthesis_failed"
    assert error.error.url == f"story:{ids['ferry_story']}" and "flaky" in error.error.message
    retry = write_story_pages(fresh_store, page_settings, ExtractiveSynthesizer(), now=T0)
    assert (retry.stories, retry.written) == (1, 1)  # a failed story is tried again, alone


class _Markup:
    """Writes the extractive page, then spoils its headline with markup the gate rejects."""

    name = "markup"

    def write(self, story_id: int, reports: Sequence[Report]) -> StoryPage:
        page = ExtractiveSynthesizer().write(story_id, reports)
        return replace(page, headline="<b>Ferry</b> strike &amp; **more**")


def test_the_gate_verdicts_are_stored_and_a_rejected_page_is_held(
    fresh_store: Store, page_settings: Settings
) -> None:
    ids = _newsroom(fresh_store)
    report = write_story_pages(fresh_store, page_settings, _Markup(), now=T0)
    version = fresh_store.latest_story_version(ids["ferry_story"])
    assert version is not None and report.written == 1
    markup = [v for v in version.verdicts if v.check == "markup" and v.target == "headline"]
    assert markup and markup[0].reject
    # the gate cannot repair a headline: the version is kept, held, and not published
    assert (report.held, report.published, version.published) == (1, 0, False)
    assert fresh_store.latest_story_version(ids["ferry_story"], published_only=True) is None


def test_a_merged_story_id_writes_the_live_story(
    fresh_store: Store, page_settings: Settings
) -> None:
    ids = _newsroom(fresh_store)
    fresh_store.merge_stories(ids["orchard_story"], ids["ferry_story"])
    report = write_story_pages(
        fresh_store, page_settings, ExtractiveSynthesizer(), story_id=ids["orchard_story"], now=T0
    )
    assert report.versions == [(ids["ferry_story"], 1)]
    missing = write_story_pages(fresh_store, page_settings, ExtractiveSynthesizer(), story_id=999)
    assert missing.stories == 0 and missing.written == 0


def test_two_workers_racing_write_one_version(store_url: str, page_settings: Settings) -> None:
    seed = open_store(store_url)
    ids = _newsroom(seed)
    workers = [open_store(store_url) for _ in range(3)]
    reports = []
    barrier = threading.Barrier(len(workers))

    def work(store: Store) -> None:
        barrier.wait()
        reports.append(write_story_pages(store, page_settings, ExtractiveSynthesizer(), now=T0))

    threads = [threading.Thread(target=work, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sum(r.written for r in reports) == 1
    # each other worker lost the race (unchanged) or, started late, found nothing due
    losers = [r for r in reports if not r.written]
    assert all(r.unchanged == 1 or (r.stories, r.unchanged) == (0, 0) for r in losers)
    assert [v.version for v in seed.story_versions(ids["ferry_story"])] == [1]
    for s in [seed, *workers]:
        s.close()
