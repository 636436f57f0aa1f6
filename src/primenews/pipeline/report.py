"""What an ingest run did, per source, and the hooks a progress display listens on."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Protocol

from primenews.models import SaveOutcome, Source

__all__ = ["IngestObserver", "IngestReport", "NullObserver", "SourceReport"]


@dataclass
class SourceReport:
    """Counts for one source in one run. ``error`` is set when the source itself failed."""

    source_id: int
    kind: str
    url: str
    title: str | None = None
    found: int = 0  # links or records the source listed
    skipped_known: int = 0  # already stored (or refused for good) and not fetched again
    fetched: int = 0
    not_modified: bool = False  # the source answered 304: nothing new
    saved: Counter[str] = field(default_factory=Counter)  # SaveOutcome -> count
    refused: Counter[str] = field(default_factory=Counter)  # reason -> count (quality gate)
    failed: Counter[str] = field(default_factory=Counter)  # reason -> count (fetch/extract)
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count (WARC etc.)
    error: str | None = None
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return self.saved[SaveOutcome.NEW]

    @property
    def revised(self) -> int:
        return self.saved[SaveOutcome.REVISED]

    @property
    def unchanged(self) -> int:
        return self.saved[SaveOutcome.UNCHANGED]


@dataclass
class IngestReport:
    sources: list[SourceReport] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def new(self) -> int:
        return sum(r.new for r in self.sources)

    @property
    def revised(self) -> int:
        return sum(r.revised for r in self.sources)

    @property
    def failed_sources(self) -> list[SourceReport]:
        return [r for r in self.sources if r.error]


class IngestObserver(Protocol):
    """Progress hooks; the CLI draws bars from them. Called on the event-loop thread."""

    def source_started(self, source: Source) -> None: ...

    def items_found(self, source: Source, count: int) -> None: ...

    def item_done(self, source: Source) -> None: ...

    def source_finished(self, source: Source, report: SourceReport) -> None: ...


class NullObserver:
    """Listens to nothing."""

    def source_started(self, source: Source) -> None:
        return None

    def items_found(self, source: Source, count: int) -> None:
        return None

    def item_done(self, source: Source) -> None:
        return None

    def source_finished(self, source: Source, report: SourceReport) -> None:
        return None
