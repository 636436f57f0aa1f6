"""The fetch log and the item errors (what a stage refused or failed on, and why)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from primenews.models import FetchLogEntry, ItemError
from primenews.store.database import Database, to_datetime

__all__ = ["LogQueries", "StoredItemError"]

_CHUNK = 500


@dataclass(frozen=True, slots=True)
class StoredItemError:
    error: ItemError
    occurrences: int
    first_seen_at: datetime | None
    last_seen_at: datetime | None


def _error_key(error: ItemError) -> str:
    return f"{error.source_id or ''}|{error.url or ''}|{error.stage}|{error.reason}"


class LogQueries:
    db: Database

    def log_fetches(self, entries: Iterable[FetchLogEntry]) -> int:
        count = 0
        with self.db.transaction():
            for e in entries:
                self.db.execute(
                    "INSERT INTO fetch_log (source_id, url, started_at, duration_ms, status, "
                    "outcome, bytes, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        e.source_id,
                        e.url,
                        e.started_at,
                        e.duration_ms,
                        e.status,
                        e.outcome,
                        e.bytes,
                        e.error,
                    ),
                )
                count += 1
        return count

    def fetch_log(self, *, source_id: int | None = None, limit: int = 100) -> list[FetchLogEntry]:
        where, params = ("WHERE source_id = ?", [source_id]) if source_id is not None else ("", [])
        rows = self.db.query(
            "SELECT source_id, url, started_at, duration_ms, status, outcome, bytes, error "
            f"FROM fetch_log {where} ORDER BY id DESC LIMIT ?",
            (*params, limit),
        )
        return [
            FetchLogEntry(
                url=r["url"],
                started_at=to_datetime(r["started_at"]),  # type: ignore[arg-type]
                duration_ms=int(r["duration_ms"]),
                outcome=r["outcome"],
                source_id=r["source_id"],
                status=r["status"],
                bytes=int(r["bytes"]),
                error=r["error"],
            )
            for r in rows
        ]

    def record_item_error(self, error: ItemError) -> None:
        """Record (or count again) one refused or failed item."""
        self.db.execute(
            "INSERT INTO item_errors (error_key, source_id, url, stage, reason, message, "
            "occurrences, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, 1, ?, ?) "
            "ON CONFLICT (error_key) DO UPDATE SET occurrences = item_errors.occurrences + 1, "
            "message = excluded.message, last_seen_at = excluded.last_seen_at",
            (
                _error_key(error),
                error.source_id,
                error.url,
                error.stage,
                error.reason,
                error.message[:2000],
                error.created_at,
                error.created_at,
            ),
        )

    def item_errors(
        self, *, source_id: int | None = None, limit: int = 100
    ) -> list[StoredItemError]:
        where, params = ("WHERE source_id = ?", [source_id]) if source_id is not None else ("", [])
        rows = self.db.query(
            "SELECT source_id, url, stage, reason, message, occurrences, first_seen_at, "
            f"last_seen_at FROM item_errors {where} ORDER BY last_seen_at DESC, id DESC LIMIT ?",
            (*params, limit),
        )
        return [
            StoredItemError(
                error=ItemError(
                    stage=r["stage"],
                    reason=r["reason"],
                    message=r["message"],
                    url=r["url"],
                    source_id=r["source_id"],
                    created_at=to_datetime(r["last_seen_at"]),  # type: ignore[arg-type]
                ),
                occurrences=int(r["occurrences"]),
                first_seen_at=to_datetime(r["first_seen_at"]),
                last_seen_at=to_datetime(r["last_seen_at"]),
            )
            for r in rows
        ]

    def refused_urls(
        self, urls: Iterable[str], *, stages: tuple[str, ...] = (), reasons: tuple[str, ...] = ()
    ) -> set[str]:
        """Those of ``urls`` refused for good (at one of ``stages``, or for one of ``reasons``)."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        kinds = [("stage", stage) for stage in stages] + [("reason", r) for r in reasons]
        if not kinds:
            return found
        condition = " OR ".join(f"{column} = ?" for column, _ in kinds)
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                f"SELECT DISTINCT url FROM item_errors WHERE url IN ({marks}) AND ({condition})",
                (*chunk, *(value for _, value in kinds)),
            )
            found.update(r["url"] for r in rows)
        return found
