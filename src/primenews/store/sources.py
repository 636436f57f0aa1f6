"""Sources and their health."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from primenews.errors import StoreError
from primenews.models import Source, SourceKind, utcnow
from primenews.store.database import Database, Row, to_datetime

__all__ = ["SourceQueries"]

_COLUMNS = (
    "id, kind, url, title, site_url, enabled, created_at, last_checked_at, last_success_at, "
    "last_error_at, last_error, consecutive_failures, next_check_at, etag, last_modified"
)


def _source(row: Row) -> Source:
    return Source(
        id=int(row["id"]),
        kind=SourceKind(row["kind"]),
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        enabled=bool(row["enabled"]),
        created_at=to_datetime(row["created_at"]),
        last_checked_at=to_datetime(row["last_checked_at"]),
        last_success_at=to_datetime(row["last_success_at"]),
        last_error_at=to_datetime(row["last_error_at"]),
        last_error=row["last_error"],
        consecutive_failures=int(row["consecutive_failures"]),
        next_check_at=to_datetime(row["next_check_at"]),
        etag=row["etag"],
        last_modified=row["last_modified"],
    )


class SourceQueries:
    db: Database

    def add_source(
        self,
        kind: SourceKind,
        url: str,
        *,
        title: str | None = None,
        site_url: str | None = None,
        enabled: bool = True,
    ) -> tuple[Source, bool]:
        """Add a source, or return the existing one with that URL; the flag says if it is new."""
        with self.db.transaction(immediate=True):
            changed = self.db.execute(
                "INSERT INTO sources (kind, url, title, site_url, enabled, created_at, "
                "next_check_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (url) DO NOTHING",
                (str(kind), url, title, site_url, int(enabled), utcnow(), utcnow()),
            )
            row = self.db.query_one(f"SELECT {_COLUMNS} FROM sources WHERE url = ?", (url,))
        if row is None:  # pragma: no cover - the insert or the conflict guarantees a row
            raise StoreError(f"source {url} vanished while it was added")
        return _source(row), changed == 1

    def get_source(self, source_id: int) -> Source | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM sources WHERE id = ?", (source_id,))
        return _source(row) if row else None

    def find_source(self, url: str) -> Source | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM sources WHERE url = ?", (url,))
        return _source(row) if row else None

    def list_sources(self) -> list[Source]:
        return [_source(r) for r in self.db.query(f"SELECT {_COLUMNS} FROM sources ORDER BY id")]

    def due_sources(self, now: datetime | None = None) -> list[Source]:
        """Enabled sources whose next check time has come."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM sources WHERE enabled = 1 "
            "AND (next_check_at IS NULL OR next_check_at <= ?) ORDER BY next_check_at, id",
            (now or utcnow(),),
        )
        return [_source(r) for r in rows]

    def remove_source(self, source_id: int) -> bool:
        """Remove a source; its articles stay (their source becomes NULL)."""
        with self.db.transaction(immediate=True):
            return self.db.execute("DELETE FROM sources WHERE id = ?", (source_id,)) == 1

    def record_source_success(
        self,
        source_id: int,
        *,
        next_check_at: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
        title: str | None = None,
        site_url: str | None = None,
    ) -> None:
        """A check worked: clear the failure streak; save validators (after articles commit)."""
        now = utcnow()
        updates: dict[str, Any] = {
            "last_checked_at": now,
            "last_success_at": now,
            "consecutive_failures": 0,
            "next_check_at": next_check_at,
        }
        if etag is not None or last_modified is not None:
            updates.update(etag=etag, last_modified=last_modified)
        self._update_source(source_id, updates, title=title, site_url=site_url)

    def record_source_failure(
        self, source_id: int, error: str, *, check_interval: float, max_interval: float
    ) -> Source:
        """A check failed: keep the error, back off exponentially (capped)."""
        with self.db.transaction(immediate=True):
            row = self.db.query_one(
                "SELECT consecutive_failures FROM sources WHERE id = ?", (source_id,)
            )
            if row is None:
                raise StoreError(f"source {source_id} does not exist")
            failures = int(row["consecutive_failures"]) + 1
            wait = min(check_interval * 2 ** min(failures, 20), max_interval)
            now = utcnow()
            self.db.execute(
                "UPDATE sources SET last_checked_at = ?, last_error_at = ?, last_error = ?, "
                "consecutive_failures = ?, next_check_at = ? WHERE id = ?",
                (now, now, error[:2000], failures, now + timedelta(seconds=wait), source_id),
            )
        source = self.get_source(source_id)
        assert source is not None
        return source

    def _update_source(
        self, source_id: int, updates: dict[str, Any], *, title: str | None, site_url: str | None
    ) -> None:
        assignments = ", ".join(f"{column} = ?" for column in updates)
        params = [*updates.values()]
        # a feed's own title fills in a missing one; a user's title is never overwritten
        fill = ", title = COALESCE(title, ?), site_url = COALESCE(site_url, ?)"
        with self.db.transaction(immediate=True):
            self.db.execute(
                f"UPDATE sources SET {assignments}{fill} WHERE id = ?",
                (*params, title, site_url, source_id),
            )
