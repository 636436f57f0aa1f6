"""Copies, near-duplicate fingerprints, cached embeddings and cached clustering features."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from primenews.models import Copy, CopyKind, utcnow
from primenews.store.database import Database, Row

__all__ = ["TOUCH_STORY_OF_ARTICLE", "CopyQueries"]

_CHUNK = 500
# a copy mark changes which of its story's reports are independent: the pages stage looks again
TOUCH_STORY_OF_ARTICLE = (
    "UPDATE stories SET changes = changes + 1 "
    "WHERE id = (SELECT story_id FROM story_articles WHERE article_id = ?)"
)


def _copy(row: Row) -> Copy:
    return Copy(
        article_id=int(row["article_id"]),
        original_id=int(row["original_id"]),
        kind=CopyKind(row["kind"]),
        similarity=float(row["similarity"]),
    )


class CopyQueries:
    db: Database

    def save_copy(self, copy: Copy) -> None:
        """Mark ``copy.article_id`` as a copy of ``copy.original_id`` (replacing any older mark)."""
        with self.db.transaction(immediate=True):
            self.db.execute(
                "INSERT INTO article_copies (article_id, original_id, kind, similarity, "
                "detected_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (article_id) DO UPDATE SET "
                "original_id = excluded.original_id, kind = excluded.kind, "
                "similarity = excluded.similarity, detected_at = excluded.detected_at",
                (copy.article_id, copy.original_id, str(copy.kind), copy.similarity, utcnow()),
            )
            self.db.execute(TOUCH_STORY_OF_ARTICLE, (copy.article_id,))

    def copy_of(self, article_id: int) -> Copy | None:
        row = self.db.query_one(
            "SELECT article_id, original_id, kind, similarity FROM article_copies "
            "WHERE article_id = ?",
            (article_id,),
        )
        return _copy(row) if row else None

    def list_copies(self) -> list[Copy]:
        rows = self.db.query(
            "SELECT article_id, original_id, kind, similarity FROM article_copies "
            "ORDER BY article_id"
        )
        return [_copy(r) for r in rows]

    def clear_copies(self) -> None:
        with self.db.transaction(immediate=True):
            self.db.execute(
                "UPDATE stories SET changes = changes + 1 WHERE id IN (SELECT sa.story_id "
                "FROM story_articles sa JOIN article_copies c ON c.article_id = sa.article_id)"
            )
            self.db.execute("DELETE FROM article_copies")

    def save_fingerprint(self, article_id: int, scheme: str, signature: bytes) -> None:
        self.db.execute(
            "INSERT INTO article_fingerprints (article_id, scheme, signature) VALUES (?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET scheme = excluded.scheme, "
            "signature = excluded.signature",
            (article_id, scheme, signature),
        )

    def unfingerprinted_article_ids(self, scheme: str) -> list[int]:
        """Articles not checked for copies under ``scheme`` yet (new or revised), oldest first."""
        rows = self.db.query(
            "SELECT a.id FROM articles a LEFT JOIN article_fingerprints f "
            "ON f.article_id = a.id AND f.scheme = ? WHERE f.article_id IS NULL "
            "ORDER BY COALESCE(a.published_at, a.fetched_at), a.id",
            (scheme,),
        )
        return [int(r["id"]) for r in rows]

    def iter_fingerprints(self, scheme: str, *, batch: int = 2000) -> Iterator[tuple[int, bytes]]:
        """Every stored signature of ``scheme``, in article order."""
        last = 0
        while True:
            rows = self.db.query(
                "SELECT article_id, signature FROM article_fingerprints WHERE scheme = ? "
                "AND article_id > ? ORDER BY article_id LIMIT ?",
                (scheme, last, batch),
            )
            if not rows:
                return
            for row in rows:
                yield int(row["article_id"]), bytes(row["signature"])
            last = int(rows[-1]["article_id"])

    def save_embeddings(self, model: str, dim: int, vectors: Mapping[int, bytes]) -> int:
        """Store vectors (float32 bytes) for ``model``; existing ones are kept. Returns added."""
        added = 0
        now = utcnow()
        with self.db.transaction(immediate=True):
            for article_id, vector in vectors.items():
                added += self.db.execute(
                    "INSERT INTO embeddings (article_id, model, dim, vector, created_at) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                    (article_id, model, dim, vector, now),
                )
        return added

    def load_embeddings(self, model: str, article_ids: Iterable[int]) -> dict[int, bytes]:
        """The cached vectors of ``model`` for those of ``article_ids`` that have one."""
        rows = self._rows_of_articles(
            "SELECT article_id, vector FROM embeddings WHERE model = ? AND article_id IN ({})",
            model,
            article_ids,
        )
        return {int(r["article_id"]): bytes(r["vector"]) for r in rows}

    def save_features(self, scheme: str, features: Mapping[int, str]) -> int:
        """Store encoded clustering features for ``scheme``; existing ones are kept. Returns
        how many were added."""
        added = 0
        with self.db.transaction(immediate=True):
            for article_id, data in features.items():
                added += self.db.execute(
                    "INSERT INTO article_features (article_id, scheme, data) "
                    "VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                    (article_id, scheme, data),
                )
        return added

    def load_features(self, scheme: str, article_ids: Iterable[int]) -> dict[int, str]:
        """The cached clustering features of ``scheme`` for those of ``article_ids`` that have
        them."""
        rows = self._rows_of_articles(
            "SELECT article_id, data FROM article_features WHERE scheme = ? AND article_id IN ({})",
            scheme,
            article_ids,
        )
        return {int(r["article_id"]): str(r["data"]) for r in rows}

    def _rows_of_articles(self, sql: str, key: str, article_ids: Iterable[int]) -> Iterator[Row]:
        """The rows ``sql`` gives for ``key`` and the articles, asked ``_CHUNK`` ids at a time
        (``{}`` in ``sql`` takes the placeholders of one chunk)."""
        wanted = list(dict.fromkeys(article_ids))
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            yield from self.db.query(sql.format(", ".join("?" for _ in chunk)), (key, *chunk))
