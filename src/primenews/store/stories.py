"""Stories, which article belongs to which, and merges (the old id redirects)."""

from __future__ import annotations

from datetime import datetime

from primenews.errors import StoreError
from primenews.models import Story, utcnow
from primenews.store.database import Database, Row, to_datetime

__all__ = ["StoryQueries"]

_COLUMNS = (
    "id, title, created_at, updated_at, first_published_at, last_published_at, article_count, "
    "merged_into"
)
_MAX_REDIRECTS = 64
# the first key of the advisory lock taken on an article being assigned (PostgreSQL)
_ARTICLE_LOCK_CLASS = 0x5354


def _story(row: Row) -> Story:
    return Story(
        id=int(row["id"]),
        title=row["title"],
        created_at=to_datetime(row["created_at"]) or utcnow(),
        updated_at=to_datetime(row["updated_at"]) or utcnow(),
        first_published_at=to_datetime(row["first_published_at"]),
        last_published_at=to_datetime(row["last_published_at"]),
        article_count=int(row["article_count"]),
        merged_into=row["merged_into"],
    )


class StoryQueries:
    db: Database

    def create_story(self, title: str | None = None) -> int:
        now = utcnow()
        row = self.db.query_one(
            "INSERT INTO stories (title, created_at, updated_at) VALUES (?, ?, ?) RETURNING id",
            (title, now, now),
        )
        if row is None:  # pragma: no cover - RETURNING always answers
            raise StoreError("creating a story returned no id")
        return int(row["id"])

    def assign_article(self, article_id: int, story_id: int, score: float | None = None) -> None:
        """Put an article in a story (moving it out of any other); counts follow."""
        with self.db.transaction(immediate=True):
            if self.db.dialect == "postgresql":
                # writers of the same article wait for each other, so ``before`` is true
                self.db.query_one(
                    "SELECT pg_advisory_xact_lock(?, ?)", (_ARTICLE_LOCK_CLASS, article_id)
                )
            before = self.db.query_one(
                "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
            )
            touched = {story_id} | ({int(before["story_id"])} if before else set())
            self._lock_stories(touched)
            self.db.execute(
                "INSERT INTO story_articles (article_id, story_id, score, assigned_at) "
                "VALUES (?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "story_id = excluded.story_id, score = excluded.score, "
                "assigned_at = excluded.assigned_at",
                (article_id, story_id, score, utcnow()),
            )
            self._recount(story_id)
            if before is not None and int(before["story_id"]) != story_id:
                self._recount(int(before["story_id"]))

    def merge_stories(self, source_id: int, target_id: int) -> None:
        """Move every article of ``source_id`` into ``target_id``; the old id redirects."""
        if source_id == target_id:
            return
        with self.db.transaction(immediate=True):
            self._lock_stories({source_id, target_id})
            self.db.execute(
                "UPDATE story_articles SET story_id = ? WHERE story_id = ?", (target_id, source_id)
            )
            self.db.execute(
                "UPDATE stories SET merged_into = ? WHERE id = ? OR merged_into = ?",
                (target_id, source_id, source_id),
            )
            self._recount(source_id)
            self._recount(target_id)

    def set_story_title(self, story_id: int, title: str | None) -> None:
        self.db.execute(
            "UPDATE stories SET title = ?, updated_at = ? WHERE id = ?", (title, utcnow(), story_id)
        )

    def resolve_story_id(self, story_id: int) -> int | None:
        """The live story an id stands for now (following merges), or None."""
        current = story_id
        for _ in range(_MAX_REDIRECTS):
            row = self.db.query_one("SELECT merged_into FROM stories WHERE id = ?", (current,))
            if row is None:
                return None
            if row["merged_into"] is None:
                return current
            current = int(row["merged_into"])
        raise StoreError(f"story {story_id} redirects more than {_MAX_REDIRECTS} times")

    def get_story(self, story_id: int) -> Story | None:
        """The story, without following a merge (see :meth:`resolve_story_id`)."""
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM stories WHERE id = ?", (story_id,))
        return _story(row) if row else None

    def list_stories(self, *, limit: int = 50, offset: int = 0) -> list[Story]:
        """Live stories, most recently updated by publication first."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM stories WHERE merged_into IS NULL AND article_count > 0 "
            "ORDER BY last_published_at DESC, id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [_story(r) for r in rows]

    def count_stories(self) -> int:
        row = self.db.query_one(
            "SELECT COUNT(*) AS n FROM stories WHERE merged_into IS NULL AND article_count > 0"
        )
        return int(row["n"]) if row else 0

    def story_article_ids(self, story_id: int) -> list[int]:
        rows = self.db.query(
            "SELECT sa.article_id FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ? ORDER BY COALESCE(a.published_at, a.fetched_at), a.id",
            (story_id,),
        )
        return [int(r["article_id"]) for r in rows]

    def story_of(self, article_id: int) -> int | None:
        row = self.db.query_one(
            "SELECT story_id FROM story_articles WHERE article_id = ?", (article_id,)
        )
        return int(row["story_id"]) if row else None

    def story_assignments(self, *, since: datetime | None = None) -> dict[int, int]:
        """article id -> story id, for every assigned article; with ``since``, only for the
        articles of the stories still going on then (a report published, or fetched when
        undated, at ``since`` or later) and of the stories holding an undated report."""
        if since is None:
            rows = self.db.query("SELECT article_id, story_id FROM story_articles")
        else:
            rows = self.db.query(
                "SELECT article_id, story_id FROM story_articles WHERE story_id IN ("
                "SELECT id FROM stories WHERE last_published_at >= ? AND merged_into IS NULL "
                "UNION SELECT sa.story_id FROM articles a "
                "JOIN story_articles sa ON sa.article_id = a.id WHERE a.published_at IS NULL)",
                (since,),
            )
        return {int(r["article_id"]): int(r["story_id"]) for r in rows}

    def unassigned_article_ids(self, *, limit: int | None = None) -> list[int]:
        """Articles in no story yet, oldest first (the order they are clustered in)."""
        tail = f" LIMIT {int(limit)}" if limit is not None else ""
        rows = self.db.query(
            "SELECT a.id FROM articles a LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE sa.article_id IS NULL ORDER BY COALESCE(a.published_at, a.fetched_at), a.id"
            + tail
        )
        return [int(r["id"]) for r in rows]

    def clear_stories(self) -> None:
        """Forget every story (for a full re-clustering)."""
        with self.db.transaction(immediate=True):
            self.db.execute("DELETE FROM story_articles")
            self.db.execute("UPDATE stories SET merged_into = NULL")
            self.db.execute("DELETE FROM stories")

    def _lock_stories(self, story_ids: set[int]) -> None:
        """PostgreSQL: serialise writers of the same stories, so their counts stay true.

        Rows are locked in id order (no deadlock between two writers); SQLite's
        ``BEGIN IMMEDIATE`` already serialises every writer.
        """
        if self.db.dialect != "postgresql":
            return
        for story_id in sorted(story_ids):
            self.db.query_one("SELECT id FROM stories WHERE id = ? FOR UPDATE", (story_id,))

    def _recount(self, story_id: int) -> None:
        self.db.execute(
            "UPDATE stories SET updated_at = ?, changes = changes + 1, "
            "article_count = (SELECT COUNT(*) FROM story_articles WHERE story_id = ?), "
            "first_published_at = (SELECT MIN(COALESCE(a.published_at, a.fetched_at)) "
            "FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ?), "
            "last_published_at = (SELECT MAX(COALESCE(a.published_at, a.fetched_at)) "
            "FROM story_articles sa JOIN articles a ON a.id = sa.article_id "
            "WHERE sa.story_id = ?) WHERE id = ?",
            (utcnow(), story_id, story_id, story_id, story_id),
        )
