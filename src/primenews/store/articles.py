"""Articles, the URLs they were seen under, and their revisions."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from primenews.errors import StoreError
from primenews.models import (
    Article,
    ArticleRevision,
    ExtractedArticle,
    SaveOutcome,
    SaveResult,
    utcnow,
)
from primenews.store.copies import TOUCH_STORY_OF_ARTICLE
from primenews.store.database import Database, Row, to_datetime

__all__ = ["ArticleQueries", "ArticleRecord"]

_COLUMNS = (
    "id, url, canonical_url, content_hash, title, text, authors, published_at, updated_at, "
    "fetched_at, language, site_name, lead_image, description, outlet, source_id, quality, "
    "extra, revision"
)
# the IN (...) lists of URL look-ups are sent in chunks of this size
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ArticleRecord:
    """An extracted article with what the pipeline worked out about it, ready to store."""

    article: ExtractedArticle
    canonical_url: str
    content_hash: str
    source_id: int | None = None
    fetched_at: datetime | None = None
    aliases: tuple[str, ...] = ()  # other URLs it was seen under (feed link, redirect origin)


def _article(row: Row) -> Article:
    return Article(
        id=int(row["id"]),
        url=row["url"],
        canonical_url=row["canonical_url"],
        content_hash=row["content_hash"],
        title=row["title"],
        text=row["text"],
        authors=tuple(json.loads(row["authors"] or "[]")),
        published_at=to_datetime(row["published_at"]),
        updated_at=to_datetime(row["updated_at"]),
        fetched_at=to_datetime(row["fetched_at"]),
        language=row["language"],
        site_name=row["site_name"],
        lead_image=row["lead_image"],
        description=row["description"],
        outlet=row["outlet"],
        source_id=row["source_id"],
        quality=float(row["quality"]),
        extra=json.loads(row["extra"] or "{}"),
        revision=int(row["revision"]),
    )


class ArticleQueries:
    db: Database

    def save_article(self, record: ArticleRecord) -> SaveResult:
        """Insert a new article, or revise a known one whose text changed; never duplicate.

        Known means: the canonical URL, or any URL it was seen under before. When the text
        changed, the previous text is kept as a revision.
        """
        urls = _urls_of(record)
        lock = " FOR UPDATE" if self.db.dialect == "postgresql" else ""
        with self.db.transaction(immediate=True):
            row = self._find_for_update(urls, lock)
            if row is None:
                new_id = self._insert(record)
                if new_id is not None:
                    self._add_urls(new_id, urls)
                    return SaveResult(new_id, SaveOutcome.NEW)
                row = self._find_for_update(urls, lock)  # lost a race to another writer
                if row is None:  # pragma: no cover - the conflict guarantees a row
                    raise StoreError(f"article {record.canonical_url} vanished while saving")
            article_id = int(row["id"])
            self._add_urls(article_id, urls)
            if row["content_hash"] == record.content_hash:
                return SaveResult(article_id, SaveOutcome.UNCHANGED)
            self._revise(row, record)
            return SaveResult(article_id, SaveOutcome.REVISED)

    def get_article(self, article_id: int) -> Article | None:
        row = self.db.query_one(f"SELECT {_COLUMNS} FROM articles WHERE id = ?", (article_id,))
        return _article(row) if row else None

    def get_articles(self, article_ids: Iterable[int]) -> list[Article]:
        """The articles with these ids, in the order asked (missing ids are left out)."""
        wanted = list(dict.fromkeys(article_ids))
        found: dict[int, Article] = {}
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(f"SELECT {_COLUMNS} FROM articles WHERE id IN ({marks})", chunk)
            found.update((int(r["id"]), _article(r)) for r in rows)
        return [found[i] for i in wanted if i in found]

    def find_article(self, url: str) -> Article | None:
        """The article seen under ``url`` (canonical or any alias)."""
        row = self.db.query_one(
            f"SELECT {_COLUMNS} FROM articles WHERE id = "
            "(SELECT article_id FROM article_urls WHERE url = ?)",
            (url,),
        )
        return _article(row) if row else None

    def list_articles(
        self, *, limit: int = 50, offset: int = 0, source_id: int | None = None
    ) -> list[Article]:
        """Newest first (by publication, then fetch time)."""
        where, params = ("WHERE source_id = ?", [source_id]) if source_id is not None else ("", [])
        rows = self.db.query(
            f"SELECT {_COLUMNS} FROM articles {where} "
            "ORDER BY COALESCE(published_at, fetched_at) DESC, id DESC LIMIT ? OFFSET ?",
            (*params, limit, offset),
        )
        return [_article(r) for r in rows]

    def iter_articles(self, *, batch: int = 500) -> Iterable[Article]:
        """Every article in id order, fetched in batches."""
        last = 0
        while True:
            rows = self.db.query(
                f"SELECT {_COLUMNS} FROM articles WHERE id > ? ORDER BY id LIMIT ?", (last, batch)
            )
            if not rows:
                return
            for row in rows:
                yield _article(row)
            last = int(rows[-1]["id"])

    def count_articles(self, *, source_id: int | None = None) -> int:
        if source_id is None:
            row = self.db.query_one("SELECT COUNT(*) AS n FROM articles")
        else:
            row = self.db.query_one(
                "SELECT COUNT(*) AS n FROM articles WHERE source_id = ?", (source_id,)
            )
        return int(row["n"]) if row else 0

    def known_urls(self, urls: Iterable[str]) -> set[str]:
        """Those of ``urls`` that an article was already seen under."""
        wanted = list(dict.fromkeys(urls))
        found: set[str] = set()
        for start in range(0, len(wanted), _CHUNK):
            chunk = wanted[start : start + _CHUNK]
            marks = ", ".join("?" for _ in chunk)
            rows = self.db.query(f"SELECT url FROM article_urls WHERE url IN ({marks})", chunk)
            found.update(r["url"] for r in rows)
        return found

    def article_revisions(self, article_id: int) -> list[ArticleRevision]:
        rows = self.db.query(
            "SELECT article_id, revision, title, text, content_hash, replaced_at "
            "FROM article_revisions WHERE article_id = ? ORDER BY revision",
            (article_id,),
        )
        return [
            ArticleRevision(
                article_id=int(r["article_id"]),
                revision=int(r["revision"]),
                title=r["title"],
                text=r["text"],
                content_hash=r["content_hash"],
                replaced_at=to_datetime(r["replaced_at"]) or utcnow(),
            )
            for r in rows
        ]

    def _find_for_update(self, urls: list[str], lock: str) -> Row | None:
        marks = ", ".join("?" for _ in urls)
        return self.db.query_one(
            "SELECT id, content_hash, revision, title, text FROM articles WHERE id IN "
            f"(SELECT article_id FROM article_urls WHERE url IN ({marks})) "
            f"OR canonical_url = ? ORDER BY id LIMIT 1{lock}",
            (*urls, urls[0]),
        )

    def _insert(self, record: ArticleRecord) -> int | None:
        a = record.article
        row = self.db.query_one(
            "INSERT INTO articles (url, canonical_url, content_hash, title, text, authors, "
            "published_at, updated_at, fetched_at, language, site_name, lead_image, description, "
            "outlet, source_id, quality, extra, revision, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?) "
            "ON CONFLICT (canonical_url) DO NOTHING RETURNING id",
            (
                a.url,
                record.canonical_url,
                record.content_hash,
                a.title,
                a.text,
                json.dumps(list(a.authors), ensure_ascii=False),
                a.published_at,
                a.updated_at,
                record.fetched_at or utcnow(),
                a.language,
                a.site_name,
                a.lead_image,
                a.description,
                a.outlet,
                record.source_id,
                a.quality,
                json.dumps(a.extra, ensure_ascii=False, default=str),
                utcnow(),
            ),
        )
        return int(row["id"]) if row else None

    def _add_urls(self, article_id: int, urls: list[str]) -> None:
        for url in urls:
            self.db.execute(
                "INSERT INTO article_urls (url, article_id) VALUES (?, ?) ON CONFLICT DO NOTHING",
                (url, article_id),
            )

    def _revise(self, row: Row, record: ArticleRecord) -> None:
        a = record.article
        revision = int(row["revision"])
        self.db.execute(
            "INSERT INTO article_revisions (article_id, revision, title, text, content_hash, "
            "replaced_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (row["id"], revision, row["title"], row["text"], row["content_hash"], utcnow()),
        )
        self.db.execute(
            "UPDATE articles SET content_hash = ?, title = ?, text = ?, authors = ?, "
            "updated_at = COALESCE(?, updated_at), fetched_at = ?, quality = ?, "
            "lead_image = COALESCE(?, lead_image), description = COALESCE(?, description), "
            "revision = ? WHERE id = ?",
            (
                record.content_hash,
                a.title,
                a.text,
                json.dumps(list(a.authors), ensure_ascii=False),
                a.updated_at,
                record.fetched_at or utcnow(),
                a.quality,
                a.lead_image,
                a.description,
                revision + 1,
                row["id"],
            ),
        )
        # what was worked out from the old text is stale: check copies and embed it again
        self.db.execute(TOUCH_STORY_OF_ARTICLE, (row["id"],))
        for table in ("article_fingerprints", "article_copies", "embeddings", "article_features"):
            self.db.execute(f"DELETE FROM {table} WHERE article_id = ?", (row["id"],))


def _urls_of(record: ArticleRecord) -> list[str]:
    return list(dict.fromkeys([record.canonical_url, record.article.url, *record.aliases]))
