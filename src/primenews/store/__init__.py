"""The only package with SQL: SQLite by default, PostgreSQL when the URL says so.

``open_store(settings.database_url)`` connects, applies any missing migration, and
returns a :class:`Store`. Uniqueness is enforced by the database, so re-running any
stage is harmless.
"""

from __future__ import annotations

from primenews.store.articles import ArticleQueries, ArticleRecord
from primenews.store.copies import CopyQueries
from primenews.store.database import PostgresDatabase, SQLiteDatabase, connect
from primenews.store.log import LogQueries, StoredItemError
from primenews.store.migrations import apply_migrations
from primenews.store.pages import PageCandidate, PageQueries
from primenews.store.sources import SourceQueries
from primenews.store.stories import StoryQueries
from primenews.store.web import WebQueries

__all__ = ["ArticleRecord", "PageCandidate", "Store", "StoredItemError", "open_store"]


class Store(
    SourceQueries,
    ArticleQueries,
    LogQueries,
    CopyQueries,
    StoryQueries,
    PageQueries,
    WebQueries,
):
    """Sources, articles, revisions, fetch log, item errors, copies, stories, pages, website."""

    def __init__(self, db: SQLiteDatabase | PostgresDatabase) -> None:
        self.db = db

    @property
    def dialect(self) -> str:
        return self.db.dialect

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(database_url: str) -> Store:
    """Connect and migrate."""
    db = connect(database_url)
    apply_migrations(db)
    return Store(db)
