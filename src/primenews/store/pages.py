"""Story page versions: every version of every story's page is kept, with the gate's verdicts.

A version number is claimed by the database: ``UNIQUE (story_id, version)`` with
``ON CONFLICT DO NOTHING``, so when two workers race to write version N of one story, one
row is written and the other writer learns it lost (``save_story_version`` returns None).
A story needs a (new) page when its independent reports (copies of another report of the same
story do not count) are at least ``min_reports`` and differ from those its latest version was
written from. Only stories whose reports changed since the pages stage last judged them need
reading (:meth:`PageQueries.due_page_stories`: a change counter on ``stories``, migration 0005),
so a run's cost follows what changed, not the size of the store.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime

from primenews.errors import StoreError
from primenews.models import StoryVersion, utcnow
from primenews.store.database import Database, Row, to_datetime
from primenews.synthesize.versions import (
    page_from_json,
    page_to_json,
    verdicts_from_json,
    verdicts_to_json,
)

__all__ = ["PageCandidate", "PageQueries"]

_COLUMNS = "story_id, version, created_at, published, page, article_ids, verdicts, whats_new"
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class PageCandidate:
    """A live story with enough independent reports for a page, and where its page stands."""

    story_id: int
    article_ids: tuple[int, ...]  # every report now in the story, copies included
    independent_ids: tuple[int, ...]  # those that copy no other article
    copy_of: dict[int, int] = field(default_factory=dict)  # copy's id -> original's id
    latest_version: int | None = None
    latest_created_at: datetime | None = None
    changed: bool = True  # the independent reports differ from the latest version's
    changes: int = 0  # the story's change counter when it was read (see mark_pages_seen)


def _version(row: Row) -> StoryVersion:
    where = f"story {row['story_id']} version {row['version']}"
    try:
        page = page_from_json(json.loads(row["page"]))
        verdicts = verdicts_from_json(json.loads(row["verdicts"] or "[]"))
        article_ids = tuple(int(i) for i in json.loads(row["article_ids"] or "[]"))
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"the stored page of {where} is unreadable: {exc!r}") from exc
    return StoryVersion(
        story_id=int(row["story_id"]),
        version=int(row["version"]),
        page=page,
        article_ids=article_ids,
        created_at=to_datetime(row["created_at"]) or utcnow(),
        published=bool(row["published"]),
        verdicts=verdicts,
        whats_new=row["whats_new"],
    )


class PageQueries:
    db: Database

    def save_story_version(self, version: StoryVersion) -> int | None:
        """Store ``version``; its number, or None when another writer already wrote that number.

        The reports that are not copies (per ``article_copies`` now) are kept with it, so
        :meth:`page_candidates` can tell when the story has changed since.
        """
        page = json.dumps(page_to_json(version.page), ensure_ascii=False)
        verdicts = json.dumps(verdicts_to_json(version.verdicts), ensure_ascii=False)
        with self.db.transaction(immediate=True):
            present = set(version.article_ids)
            copies = self._originals_of(version.article_ids)
            independent = [i for i in version.article_ids if copies.get(i) not in present]
            written = self.db.execute(
                "INSERT INTO story_versions (story_id, version, created_at, published, backend, "
                "headline, page, article_ids, independent_ids, verdicts, whats_new) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (story_id, version) DO NOTHING",
                (
                    version.story_id,
                    version.version,
                    version.created_at,
                    int(version.published),
                    version.page.backend,
                    version.page.headline,
                    page,
                    json.dumps(list(version.article_ids)),
                    json.dumps(independent),
                    verdicts,
                    version.whats_new,
                ),
            )
        return version.version if written else None

    def latest_story_version(
        self, story_id: int, *, published_only: bool = False
    ) -> StoryVersion | None:
        """The newest version of the story's page (the newest published one if asked)."""
        only = " AND published = 1" if published_only else ""
        row = self.db.query_one(
            f"SELECT {_COLUMNS} FROM story_versions WHERE story_id = ?{only} "
            "ORDER BY version DESC LIMIT 1",
            (story_id,),
        )
        return _version(row) if row else None

    def story_versions(self, story_id: int) -> list[StoryVersion]:
        """Every version of the story's page, oldest first."""
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM story_versions WHERE story_id = ? ORDER BY version",
            (story_id,),
        )
        return [_version(r) for r in rows]

    def get_story_version(self, story_id: int, version: int) -> StoryVersion | None:
        row = self.db.query_one(
            f"SELECT {_COLUMNS} FROM story_versions WHERE story_id = ? AND version = ?",
            (story_id, version),
        )
        return _version(row) if row else None

    def page_states(self, story_ids: list[int]) -> dict[int, tuple[int, bool]]:
        """story id -> (latest version, whether it is published), for stories with a page."""
        found: dict[int, tuple[int, bool]] = {}
        for start in range(0, len(story_ids), _CHUNK):
            chunk = story_ids[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                "SELECT v.story_id, v.version, v.published FROM story_versions v "
                "JOIN (SELECT story_id, MAX(version) AS version FROM story_versions "
                f"WHERE story_id IN ({marks}) GROUP BY story_id) m "
                "ON m.story_id = v.story_id AND m.version = v.version",
                chunk,
            )
            found.update(
                (int(r["story_id"]), (int(r["version"]), bool(r["published"]))) for r in rows
            )
        return found

    def due_page_stories(self) -> dict[int, int]:
        """Live stories changed since the pages stage last judged them -> change counter."""
        rows = self.db.query(
            "SELECT id, changes FROM stories WHERE changes <> pages_seen AND merged_into IS NULL"
        )
        return {int(r["id"]): int(r["changes"]) for r in rows}

    def mark_pages_seen(self, seen: dict[int, int]) -> None:
        """Record that the pages stage judged each story as of its change counter."""
        with self.db.transaction(immediate=True):
            for story_id, changes in sorted(seen.items()):
                self.db.execute(
                    "UPDATE stories SET pages_seen = ? WHERE id = ? AND pages_seen < ?",
                    (changes, story_id, changes),
                )

    def page_candidates(
        self,
        min_reports: int,
        *,
        story_id: int | None = None,
        story_ids: list[int] | None = None,
    ) -> list[PageCandidate]:
        """Live stories with at least ``min_reports`` independent reports, by story id.

        ``changed`` says whether the story's independent reports differ from those its latest
        version was written from (always true for a story without a page yet).
        """
        wanted = [story_id] if story_id is not None else story_ids
        members, changes = self._story_members(wanted)
        latest = self._latest_versions(wanted)
        candidates: list[PageCandidate] = []
        for sid, rows in sorted(members.items()):
            present = {a for a, _ in rows}
            # a copy whose original is in another story is this story's own report
            independent = tuple(a for a, original in rows if original not in present)
            if len(independent) < min_reports:
                continue
            version, created_at, written_from = latest.get(sid, (None, None, None))
            candidates.append(
                PageCandidate(
                    story_id=sid,
                    article_ids=tuple(a for a, _ in rows),
                    independent_ids=independent,
                    copy_of={a: o for a, o in rows if o is not None},
                    latest_version=version,
                    latest_created_at=created_at,
                    changed=written_from is None or set(written_from) != set(independent),
                    changes=changes[sid],
                )
            )
        return candidates

    def stories_needing_pages(self, min_reports: int, *, story_id: int | None = None) -> list[int]:
        """Stories whose page is missing or older than their current independent reports."""
        return [
            c.story_id for c in self.page_candidates(min_reports, story_id=story_id) if c.changed
        ]

    def _story_members(
        self, story_ids: list[int] | None
    ) -> tuple[dict[int, list[tuple[int, int | None]]], dict[int, int]]:
        """story id -> [(article id, original id or None)] in publication order, live stories
        (all, or those of ``story_ids``); and story id -> its change counter."""
        members: dict[int, list[tuple[int, int | None]]] = {}
        changes: dict[int, int] = {}
        for where, params in _in_chunks("sa.story_id", story_ids):
            rows = self.db.query(
                "SELECT sa.story_id, sa.article_id, c.original_id, s.changes "
                "FROM story_articles sa "
                "JOIN stories s ON s.id = sa.story_id AND s.merged_into IS NULL "
                "JOIN articles a ON a.id = sa.article_id "
                "LEFT JOIN article_copies c ON c.article_id = sa.article_id "
                f"WHERE {where} "
                "ORDER BY sa.story_id, COALESCE(a.published_at, a.fetched_at), a.id",
                params,
            )
            for r in rows:
                sid = int(r["story_id"])
                original = int(r["original_id"]) if r["original_id"] is not None else None
                members.setdefault(sid, []).append((int(r["article_id"]), original))
                changes[sid] = int(r["changes"])
        return members, changes

    def _latest_versions(
        self, story_ids: list[int] | None
    ) -> dict[int, tuple[int, datetime | None, list[int]]]:
        """story id -> (latest version, its time, the independent reports it was written from)."""
        found: dict[int, tuple[int, datetime | None, list[int]]] = {}
        for where, params in _in_chunks("story_id", story_ids):
            rows = self.db.query(
                "SELECT v.story_id, v.version, v.created_at, v.independent_ids "
                "FROM story_versions v "
                f"JOIN (SELECT story_id, MAX(version) AS version FROM story_versions WHERE {where} "
                "GROUP BY story_id) m ON m.story_id = v.story_id AND m.version = v.version",
                params,
            )
            found.update(
                (
                    int(r["story_id"]),
                    (
                        int(r["version"]),
                        to_datetime(r["created_at"]),
                        [int(i) for i in json.loads(r["independent_ids"] or "[]")],
                    ),
                )
                for r in rows
            )
        return found

    def _originals_of(self, article_ids: tuple[int, ...]) -> dict[int, int]:
        """copy's id -> original's id, for those of ``article_ids`` that are copies."""
        found: dict[int, int] = {}
        wanted = list(dict.fromkeys(article_ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(
                f"SELECT article_id, original_id FROM article_copies WHERE article_id IN ({marks})",
                chunk,
            )
            found.update((int(r["article_id"]), int(r["original_id"])) for r in rows)
        return found


def _in_chunks(column: str, ids: list[int] | None) -> list[tuple[str, list[int]]]:
    """WHERE clauses (and their parameters) covering ``ids`` in chunks; one for all when None."""
    if ids is None:
        return [("1 = 1", [])]
    wanted = sorted(set(ids))
    return [
        (f"{column} IN ({', '.join('?' for _ in chunk)})", chunk)
        for chunk in (wanted[i : i + _CHUNK] for i in range(0, len(wanted), _CHUNK))
    ]
