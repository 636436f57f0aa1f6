"""Connections to SQLite and PostgreSQL behind one small interface.

SQL in the store is written once, with ``?`` placeholders; the PostgreSQL connection
rewrites them to ``%s``. Rows come back as dicts. Timestamps go in as aware datetimes and
come out as aware UTC datetimes on both backends.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from primenews.errors import StoreError

__all__ = ["Database", "PostgresDatabase", "SQLiteDatabase", "connect", "to_datetime"]

logger = logging.getLogger(__name__)

Row = dict[str, Any]
Params = Sequence[Any]


class Database(Protocol):
    """What the store needs from a connection."""

    dialect: str

    def transaction(self, *, immediate: bool = False) -> Any:
        """Context manager: one transaction; ``immediate`` takes the write lock up front."""

    def execute(self, sql: str, params: Params = ()) -> int:
        """Run one statement; return the number of rows it changed."""

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        """Run a query; return all rows as dicts."""

    def query_one(self, sql: str, params: Params = ()) -> Row | None:
        """Run a query; return the first row or None."""

    def close(self) -> None:
        """Close the connection."""


def to_datetime(value: Any) -> datetime | None:
    """A stored timestamp as an aware UTC datetime."""
    if value is None or value == "":
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def connect(database_url: str) -> SQLiteDatabase | PostgresDatabase:
    """Open the database named by a ``sqlite:///`` or ``postgresql://`` URL."""
    if database_url.startswith("sqlite:///"):
        return SQLiteDatabase(database_url.removeprefix("sqlite:///"))
    if database_url.startswith(("postgresql://", "postgres://")):
        return PostgresDatabase(database_url)
    raise StoreError(
        f"unsupported database URL {database_url!r}: use sqlite:///PATH or postgresql://..."
    )


class _Connection:
    """Statements and queries shared by both backends; ``_run`` is each backend's own."""

    _lock: threading.RLock
    _conn: Any

    def _run(self, sql: str, params: Params = ()) -> Any:
        raise NotImplementedError

    def execute(self, sql: str, params: Params = ()) -> int:
        with self._lock:
            count: int = self._run(sql, params).rowcount
            return count

    def query(self, sql: str, params: Params = ()) -> list[Row]:
        with self._lock:
            return [dict(row) for row in self._run(sql, params).fetchall()]

    def query_one(self, sql: str, params: Params = ()) -> Row | None:
        with self._lock:
            row = self._run(sql, params).fetchone()
        return dict(row) if row is not None else None

    def executescript(self, sql: str) -> None:
        for statement in split_statements(sql):
            self._run(statement)

    def close(self) -> None:
        with self._lock:
            self._conn.close()


class SQLiteDatabase(_Connection):
    """SQLite in WAL mode with a busy timeout; explicit transactions."""

    dialect = "sqlite"

    def __init__(self, path: str, *, busy_timeout_ms: int = 30_000) -> None:
        if path != ":memory:":
            parent = Path(path).expanduser().resolve().parent
            if not parent.is_dir():
                raise StoreError(f"cannot open SQLite database {path}: folder {parent} is missing")
        try:
            self._conn = sqlite3.connect(
                path, isolation_level=None, check_same_thread=False, timeout=busy_timeout_ms / 1000
            )
            self._conn.row_factory = sqlite3.Row
            self._conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            self._conn.execute("PRAGMA journal_mode = WAL")
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open SQLite database {path}: {exc}") from exc
        self._lock = threading.RLock()
        self._depth = 0

    @contextmanager
    def transaction(self, *, immediate: bool = False) -> Iterator[None]:
        with self._lock:
            if self._depth:  # nested: join the outer transaction
                self._depth += 1
                try:
                    yield
                finally:
                    self._depth -= 1
                return
            self._run("BEGIN IMMEDIATE" if immediate else "BEGIN")
            self._depth = 1
            try:
                yield
            except BaseException:
                self._depth = 0
                self._run("ROLLBACK")
                raise
            self._depth = 0
            self._run("COMMIT")

    def _run(self, sql: str, params: Params = ()) -> sqlite3.Cursor:
        try:
            cursor: sqlite3.Cursor = self._conn.execute(sql, [_sqlite_value(p) for p in params])
        except sqlite3.Error as exc:
            raise StoreError(f"SQLite error: {exc} (in: {sql.strip()[:120]})") from exc
        return cursor


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return moment.astimezone(UTC).isoformat()
    return value


class PostgresDatabase(_Connection):
    """PostgreSQL through psycopg 3 (the ``postgres`` extra)."""

    dialect = "postgresql"

    def __init__(self, url: str) -> None:
        try:
            import psycopg
            from psycopg.rows import dict_row
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise StoreError("PostgreSQL needs psycopg: pip install 'primenews[postgres]'") from exc
        self._psycopg = psycopg
        try:
            self._conn = psycopg.connect(url, autocommit=True, row_factory=dict_row)
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to PostgreSQL at {_redact(url)}: {exc}") from exc
        self._lock = threading.RLock()

    @contextmanager
    def transaction(self, *, immediate: bool = False) -> Iterator[None]:
        # PostgreSQL takes row locks as it goes; read-then-write paths use SELECT ... FOR UPDATE.
        with self._lock:
            try:
                with self._conn.transaction():
                    yield
            except self._psycopg.Error as exc:
                raise StoreError(f"PostgreSQL transaction failed: {exc}") from exc

    def _run(self, sql: str, params: Params = ()) -> Any:
        try:
            return self._conn.execute(sql.replace("?", "%s"), list(params))
        except self._psycopg.Error as exc:
            raise StoreError(f"PostgreSQL error: {exc} (in: {sql.strip()[:120]})") from exc


def split_statements(script: str) -> list[str]:
    """Split a migration script on ``;`` at line ends, dropping ``--`` comment lines."""
    lines = [line for line in script.splitlines() if not line.strip().startswith("--")]
    return [part.strip() for part in "\n".join(lines).split(";\n") if part.strip().strip(";")]


def _redact(url: str) -> str:
    if "@" not in url:
        return url
    scheme, _, rest = url.partition("://")
    creds, _, host = rest.rpartition("@")
    user = creds.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"
