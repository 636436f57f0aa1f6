"""The stage runner: sources in, stored articles out (later stages add stories and pages)."""

from __future__ import annotations

from primenews.pipeline.ingest import Ingestor, choose_canonical, fetch_error_reason, ingest
from primenews.pipeline.report import IngestObserver, IngestReport, NullObserver, SourceReport

__all__ = [
    "IngestObserver",
    "IngestReport",
    "Ingestor",
    "NullObserver",
    "SourceReport",
    "choose_canonical",
    "fetch_error_reason",
    "ingest",
]
