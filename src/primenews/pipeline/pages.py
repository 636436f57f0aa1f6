"""The pages stage: write a checked, versioned page for every story with enough reports.

For each story with at least ``page_min_reports`` independent reports (copies do not count)
whose reports changed since its latest page: the synthesizer writes a page from every report
(copies included), the publish gate checks it, removes what it rejects and checks it again,
and the version is stored with every verdict, a "What's new" line and its topic (for the
website's sections). The page is published when the final check rejects nothing; otherwise
it is kept, held, for review.

The stage is idempotent, so it can run on any machine at any time: it reads only the stories
whose reports changed since it last judged them (their change counter), a story whose
independent reports did not change is left alone, a page is rewritten at most every
``page_debounce_minutes`` while reports keep arriving, and two workers racing on one story
cannot both write version N (the store's ``UNIQUE (story_id, version)``; the loser counts the
story as unchanged).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

from primenews.config import Settings
from primenews.errors import SynthesisError
from primenews.models import (
    Article,
    ItemError,
    Report,
    StoryPage,
    StoryVersion,
    Verdict,
    utcnow,
)
from primenews.store import PageCandidate, Store
from primenews.synthesize import Synthesizer, gate
from primenews.synthesize.topics import classify_topic
from primenews.synthesize.versions import whats_new

__all__ = ["PagesObserver", "PagesReport", "write_story_pages"]

logger = logging.getLogger(__name__)

STAGE = "synthesize"
# outcomes after which a story needs no look until its reports change again (a debounced
# story is looked at again next run; a failed one is retried)
_SETTLED = frozenset({"published", "held", "unchanged"})


class PagesObserver(Protocol):
    """Hooks for progress display (the CLI draws a bar)."""

    def started(self, total: int) -> None: ...

    def story_done(self, story_id: int, outcome: str) -> None: ...


class _NoObserver:
    def started(self, total: int) -> None:
        return None

    def story_done(self, story_id: int, outcome: str) -> None:
        return None


@dataclass
class PagesReport:
    """What one run of the pages stage did, story by story."""

    stories: int = 0  # stories with enough independent reports for a page
    written: int = 0  # new versions stored
    published: int = 0  # of those, passed by the gate
    held: int = 0  # of those, rejected by the gate (kept for review, not published)
    unchanged: int = 0  # reports unchanged since the latest version (or another writer won)
    debounced: int = 0  # changed, but the latest version is younger than the debounce
    failed: int = 0  # the synthesizer could not write the page
    seconds: float = 0.0
    versions: list[tuple[int, int]] = field(default_factory=list)  # (story id, version) written
    failures: dict[int, str] = field(default_factory=dict)  # story id -> why


def write_story_pages(
    store: Store,
    settings: Settings,
    synthesizer: Synthesizer,
    *,
    story_id: int | None = None,
    now: datetime | None = None,
    force: bool = False,
    every_story: bool = False,
    observer: PagesObserver | None = None,
) -> PagesReport:
    """Write the pages that are due; ``force`` ignores the debounce and unchanged reports.

    A run reads only the stories changed since the stage last judged them; ``every_story``
    (and ``force``) reads them all, as after lowering ``page_min_reports``.

    ``story_id`` limits the run to one story (a merged story's id stands for the story it was
    merged into). ``now`` is the time the versions are stamped with and debounced against.
    """
    started = time.perf_counter()
    moment = now or utcnow()
    watcher = observer or _NoObserver()
    report = PagesReport()
    live = store.resolve_story_id(story_id) if story_id is not None else None
    if story_id is not None and live is None:
        return report
    if live is not None or force or every_story:
        due = None
        candidates = store.page_candidates(settings.page_min_reports, story_id=live)
    else:  # only the stories whose reports changed since this stage last judged them
        due = store.due_page_stories()
        candidates = store.page_candidates(settings.page_min_reports, story_ids=list(due))
    report.stories = len(candidates)
    watcher.started(len(candidates))
    debounce = timedelta(minutes=settings.page_debounce_minutes)
    seen: dict[int, int] = {}
    if due is not None:  # too few independent reports for a page: judged until they change
        listed = {c.story_id for c in candidates}
        seen.update((sid, changes) for sid, changes in due.items() if sid not in listed)
    for candidate in candidates:
        outcome = _due(candidate, moment, debounce, force)
        if outcome is None:
            outcome = _write_one(store, synthesizer, candidate, moment, report)
        else:
            setattr(report, outcome, getattr(report, outcome) + 1)
        if outcome in _SETTLED:
            seen[candidate.story_id] = candidate.changes
        watcher.story_done(candidate.story_id, outcome)
    store.mark_pages_seen(seen)
    report.seconds = time.perf_counter() - started
    return report


def _due(candidate: PageCandidate, now: datetime, debounce: timedelta, force: bool) -> str | None:
    """None when the story's page is due, else why not: ``unchanged`` or ``debounced``."""
    if force:
        return None
    if not candidate.changed:
        return "unchanged"
    written = candidate.latest_created_at
    if written is not None and now - written < debounce:
        return "debounced"
    return None


def _write_one(
    store: Store,
    synthesizer: Synthesizer,
    candidate: PageCandidate,
    now: datetime,
    report: PagesReport,
) -> str:
    """Write, check and store one story's page; the outcome's name (a ``PagesReport`` count)."""
    sid = candidate.story_id
    began = time.perf_counter()
    articles = {a.id: a for a in store.get_articles(candidate.article_ids)}
    reports = [Report(a, candidate.copy_of.get(a.id)) for a in articles.values()]
    try:
        page = synthesizer.write(sid, reports)
    except SynthesisError as exc:
        _record_failure(store, sid, synthesizer.name, exc)
        report.failed += 1
        report.failures[sid] = str(exc)
        return "failed"
    # the version the candidate was judged against: if another worker wrote one since, this
    # one claims the same number and loses, rather than stacking a duplicate on top
    latest = candidate.latest_version
    previous = store.get_story_version(sid, latest) if latest is not None else None
    version = _checked_version(page, articles, reports, previous, now)
    if store.save_story_version(version) is None:
        logger.info("story %d: version %d was written by another worker", sid, version.version)
        report.unchanged += 1
        return "unchanged"
    store.set_version_topic(sid, version.version, classify_topic(version.page))
    report.written += 1
    report.versions.append((sid, version.version))
    outcome = "published" if version.published else "held"
    setattr(report, outcome, getattr(report, outcome) + 1)
    logger.info(
        "story %d: page version %d %s by %s",
        sid,
        version.version,
        outcome,
        page.backend,
        extra={"story_id": sid, "stage": STAGE, "duration_ms": _ms(began)},
    )
    return outcome


def _checked_version(
    page: StoryPage,
    articles: Mapping[int, Article],
    reports: Sequence[Report],
    previous: StoryVersion | None,
    now: datetime,
) -> StoryVersion:
    """The next version of the page: checked, mended by the gate, checked again."""
    first = gate.check_page(page, articles)
    page = gate.enforce(page, first)
    final = gate.check_page(page, articles)
    return StoryVersion(
        story_id=page.story_id,
        version=(previous.version if previous else 0) + 1,
        page=page,
        article_ids=tuple(articles),
        created_at=now,
        published=not any(v.reject for v in final),
        verdicts=_all_verdicts(first, final),
        whats_new=whats_new(previous, page, reports),
    )


def _all_verdicts(first: Sequence[Verdict], final: Sequence[Verdict]) -> tuple[Verdict, ...]:
    """The first check's verdicts, then the final check's that are not among them."""
    return tuple(dict.fromkeys([*first, *final]))


def _record_failure(store: Store, story_id: int, backend: str, exc: SynthesisError) -> None:
    logger.warning(
        "story %d: %s could not write the page: %s",
        story_id,
        backend,
        exc,
        extra={"story_id": story_id, "stage": STAGE},
    )
    store.record_item_error(
        ItemError(
            stage=STAGE,
            reason="synthesis_failed",
            message=f"{backend}: {exc}",
            url=f"story:{story_id}",
        )
    )


def _ms(began: float) -> int:
    return int((time.perf_counter() - began) * 1000)
