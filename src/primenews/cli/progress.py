"""Rich progress bars and the summary table for ingest runs."""

from __future__ import annotations

import threading
from types import TracebackType

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from primenews.cli.context import console
from primenews.models import Source
from primenews.pipeline import IngestReport, SourceReport

__all__ = [
    "ClusterProgress",
    "CountBar",
    "IngestProgress",
    "PagesProgress",
    "count_progress",
    "ingest_table",
]


class IngestProgress:
    """One bar per source; listens to the ingest stage's hooks (thread-safe)."""

    def __init__(self) -> None:
        self._progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        )
        self._tasks: dict[int, TaskID] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> IngestProgress:
        self._progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._progress.stop()

    def source_started(self, source: Source) -> None:
        label = (source.title or source.url)[-48:]
        with self._lock:
            self._tasks[source.id] = self._progress.add_task(f"{source.id}: {label}", total=None)

    def items_found(self, source: Source, count: int) -> None:
        self._progress.update(self._tasks[source.id], total=count)

    def item_done(self, source: Source) -> None:
        self._progress.advance(self._tasks[source.id])

    def source_finished(self, source: Source, report: SourceReport) -> None:
        task = self._tasks[source.id]
        done = self._progress.tasks[self._tasks[source.id]].completed
        self._progress.update(task, total=max(done, 1), completed=max(done, 1))


def ingest_table(report: IngestReport) -> Table:
    table = Table(
        title=f"ingest: {report.new} new, {report.revised} revised articles "
        f"in {report.seconds:.1f}s"
    )
    for column in (
        "source",
        "kind",
        "found",
        "known",
        "fetched",
        "new",
        "revised",
        "unchanged",
        "refused",
        "failed",
        "error",
    ):
        table.add_column(column, overflow="fold")
    for r in report.sources:
        table.add_row(
            f"{r.source_id}: {r.title or r.url}",
            r.kind,
            str(r.found),
            str(r.skipped_known),
            "304" if r.not_modified else str(r.fetched),
            str(r.new),
            str(r.revised),
            str(r.unchanged),
            _counts(r.refused),
            _counts(r.failed + r.skipped),
            (r.error or "")[:90],
        )
    return table


def _counts(counter: dict[str, int]) -> str:
    return ", ".join(f"{reason} {n}" for reason, n in sorted(counter.items())) or "0"


def count_progress() -> Progress:
    """The bar layout of the clustering and pages stages: label, bar, n/total, elapsed."""
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )


class CountBar:
    """One bar over a count of items whose total is known when ``started`` is called."""

    def __init__(self, progress: Progress, label: str) -> None:
        self._progress = progress
        self._task = progress.add_task(label, total=None)

    def started(self, total: int) -> None:
        self._progress.update(self._task, total=total)

    def advance(self) -> None:
        self._progress.advance(self._task)


class ClusterProgress(CountBar):
    """A bar over the articles being placed (a ``ClusterObserver``)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(progress, "clustering")

    def article_done(self, article_id: int, story_id: int) -> None:
        self.advance()


class PagesProgress(CountBar):
    """A bar over the stories whose pages are considered (a pages observer)."""

    def __init__(self, progress: Progress) -> None:
        super().__init__(progress, "story pages")

    def story_done(self, story_id: int, outcome: str) -> None:
        self.advance()
