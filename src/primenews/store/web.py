"""What the website reads: ranked top stories, an outlet's reports, full-text search, page views.

Top stories are the live stories with a published page, ranked by breadth of independent
coverage first and recency second::

    score = BREADTH_WEIGHT * ln(1 + independent outlets)
            + REPORTS_WEIGHT * ln(1 + independent reports)
            - ln(2) * age / HALF_LIFE_DAYS

that is, ``(1 + outlets) ** 6 * (1 + reports)`` halved for every :data:`HALF_LIFE_DAYS` of
age. "Independent" leaves out copies (a wire story reprinted by another outlet counts once,
for the outlet that wrote it); outlets count most, and follow-up reports a little, so a story
that keeps drawing new independent reports stays up. The age (in days) of a story is measured
from its latest report back from the latest report of the newest story, not from the clock,
so an archive (or a demo loaded weeks later) still ranks sensibly and the order only changes
when new reports arrive. With these weights and a half-life of one day, six outlets with
eleven reports two and a half days old outrank four outlets with five reports today, each
doubling of ``1 + outlets`` is worth six days, and a story one outlet covered today passes a
six-outlet, six-report story once that is about thirteen days older. A cursor
``"<score>:<story id>"`` pages through the order; scores only move when a new story becomes
the newest, which also changes the site's generation (so cached pages are rebuilt).

Search uses FTS5 in SQLite and GIN-indexed ``tsvector`` expressions in PostgreSQL (migration
0004); the user's words are cut to word stems (:func:`search_stems`) and only ever passed as
quoted FTS5 terms / ``to_tsquery`` lexemes of letters and digits, each matched at the start of
a word, never as query syntax.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import datetime

from primenews.errors import StoreError
from primenews.models import Article, StoryVersion, utcnow
from primenews.store.articles import _COLUMNS as _ARTICLE_COLUMNS
from primenews.store.articles import _article
from primenews.store.database import Database, Row, to_datetime
from primenews.store.pages import _COLUMNS as _VERSION_COLUMNS
from primenews.store.pages import _version

__all__ = [
    "BREADTH_WEIGHT",
    "HALF_LIFE_DAYS",
    "REPORTS_WEIGHT",
    "ArticleHit",
    "SearchResults",
    "SourceReport",
    "SourceReportList",
    "StoryHit",
    "StoryList",
    "StoryListing",
    "WebQueries",
    "independent_outlets",
    "rank_score",
    "search_terms",
]

BREADTH_WEIGHT = 6.0
REPORTS_WEIGHT = 1.0
HALF_LIFE_DAYS = 1.0
_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_TERMS = 12
_MIN_PREFIX = 3  # shorter stems match whole words only
# the latest published version of every live story
_LATEST_PUBLISHED = (
    "SELECT v.story_id, v.version FROM story_versions v "
    "JOIN stories s ON s.id = v.story_id AND s.merged_into IS NULL "
    "JOIN (SELECT story_id, MAX(version) AS version FROM story_versions WHERE published = 1 "
    "GROUP BY story_id) m ON m.story_id = v.story_id AND m.version = v.version"
)
_PG_ARTICLE_VECTOR = "to_tsvector('simple', COALESCE(a.title, '') || ' ' || a.text)"
_PG_VERSION_VECTOR = "jsonb_to_tsvector('simple', v.page::jsonb, '[\"string\"]')"


@dataclass(frozen=True, slots=True)
class StoryListing:
    """A story on the home page: its latest published version and where it ranks."""

    version: StoryVersion
    topic: str
    independent_count: int  # independent reports (not copies)
    updated_at: datetime  # the latest report (or the version's time when unknown)
    score: float
    independent_outlets: int = 0  # distinct outlets of the independent reports

    @property
    def story_id(self) -> int:
        return self.version.story_id


@dataclass(frozen=True, slots=True)
class StoryList:
    items: tuple[StoryListing, ...]
    next_cursor: str | None
    topics: tuple[tuple[str, int], ...]  # every topic with a published story, and how many


@dataclass(frozen=True, slots=True)
class SourceReport:
    """One report of a source, with the story it joined (if its page is published)."""

    article: Article
    story_id: int | None
    story_headline: str | None
    copy_of: int | None


@dataclass(frozen=True, slots=True)
class SourceReportList:
    items: tuple[SourceReport, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class StoryHit:
    story_id: int
    version: int
    headline: str
    summary: str


@dataclass(frozen=True, slots=True)
class ArticleHit:
    article: Article
    story_id: int | None


@dataclass(frozen=True, slots=True)
class SearchResults:
    query: str
    terms: tuple[str, ...]  # the word starts searched for (what the page highlights)
    stories: tuple[StoryHit, ...]
    articles: tuple[ArticleHit, ...]


@dataclass(frozen=True, slots=True)
class _Ranked:
    story_id: int
    version: int
    topic: str
    independent: int
    outlets: int
    updated_at: datetime
    score: float


def rank_score(outlets: int, reports: int, age_days: float) -> float:
    """The rank of a story: breadth of independent coverage, halved per half-life of age.

    ``outlets`` and ``reports`` are independent ones (copies left out); ``age_days`` counts
    back from the newest story's latest report (never negative).
    """
    breadth = BREADTH_WEIGHT * math.log1p(max(outlets, 0))
    volume = REPORTS_WEIGHT * math.log1p(max(reports, 0))
    return round(breadth + volume - math.log(2) * max(age_days, 0.0) / HALF_LIFE_DAYS, 6)


def independent_outlets(page: dict[str, object]) -> int:
    """Distinct outlets (case-folded) of a stored page's sources that are not copies."""
    sources = page.get("sources")
    if not isinstance(sources, list) or not sources:
        coverage = page.get("coverage")
        outlets = coverage.get("outlets") if isinstance(coverage, dict) else None
        return len(outlets) if isinstance(outlets, list) else 0
    names = {
        str(s.get("outlet") or s.get("url") or "").casefold()
        for s in sources
        if isinstance(s, dict) and s.get("copy_of") is None
    }
    return len(names)


def search_terms(query: str) -> tuple[str, ...]:
    """The words of a search query (at most a dozen), lower-cased, in order, each once."""
    words = [w.casefold() for w in _WORD.findall(query)]
    return tuple(dict.fromkeys(words))[:_MAX_TERMS]


def search_stems(terms: tuple[str, ...]) -> tuple[str, ...]:
    """What each term is matched as: a word start, its plural ending cut.

    Language-light on purpose (reports come in many languages): "strikes" finds "strike" and
    "striker", "ferries" finds "ferry". A stem shorter than three letters is matched as a
    whole word.
    """
    stems = []
    for term in terms:
        if len(term) >= 6 and term.endswith("ies"):
            term = term[:-3]
        elif len(term) >= 4 and term.endswith("s") and not term.endswith(("ss", "us", "is")):
            term = term[:-1]
        stems.append(term)
    return tuple(dict.fromkeys(stems))


def _is_prefix(stem: str) -> bool:
    return len(stem) >= _MIN_PREFIX


def _parse_cursor(cursor: str | None, what: str) -> tuple[str, int] | None:
    if not cursor:
        return None
    head, sep, tail = cursor.rpartition(":")
    if not sep or not tail.isdigit():
        raise StoreError(f"invalid {what} cursor {cursor!r}: use the next_cursor given")
    return head, int(tail)


class WebQueries:
    db: Database

    def web_generation(self) -> str:
        """A token that changes whenever what the website shows may have changed.

        Cheap, as it runs every second or so: index look-ups only (the newest story version
        and article, the latest change to any story: assignments and merges touch it) and
        the latest check of the (few) sources.
        """
        row = self.db.query_one(
            "SELECT (SELECT MAX(id) FROM story_versions) AS v, (SELECT MAX(id) FROM articles) AS a,"
            " (SELECT MAX(updated_at) FROM stories) AS t,"
            " (SELECT MAX(last_checked_at) FROM sources) AS s"
        )
        if row is None:  # pragma: no cover - an aggregate always answers
            return ""
        return "|".join(str(row[k]) for k in ("v", "a", "t", "s"))

    def set_version_topic(self, story_id: int, version: int, topic: str) -> None:
        """Record the topic of a story version (written by the pages stage)."""
        self.db.execute(
            "UPDATE story_versions SET topic = ? WHERE story_id = ? AND version = ?",
            (topic, story_id, version),
        )

    def top_stories(
        self, limit: int, cursor: str | None = None, topic: str | None = None
    ) -> StoryList:
        """Live stories with a published page, best first; ``cursor`` continues a list."""
        ranked = self._ranked_stories()
        topics: dict[str, int] = {}
        for r in ranked:
            topics[r.topic] = topics.get(r.topic, 0) + 1
        chosen = [r for r in ranked if topic is None or r.topic == topic]
        after = _parse_cursor(cursor, "story list")
        if after is not None:
            try:
                mark = (float(after[0]), after[1])
            except ValueError as exc:
                raise StoreError(f"invalid story list cursor {cursor!r}") from exc
            chosen = [r for r in chosen if (r.score, r.story_id) < mark]
        page = chosen[:limit]
        items = []
        for r in page:
            version = self._version_row(r.story_id, r.version)
            if version is not None:
                items.append(
                    StoryListing(version, r.topic, r.independent, r.updated_at, r.score, r.outlets)
                )
        more = len(chosen) > limit and page
        next_cursor = f"{page[-1].score}:{page[-1].story_id}" if more else None
        ordered = tuple(sorted(topics.items(), key=lambda t: (-t[1], t[0])))
        return StoryList(tuple(items), next_cursor, ordered)

    def _ranked_stories(self) -> list[_Ranked]:
        rows = self.db.query(
            "SELECT v.story_id, v.version, v.topic, v.independent_ids, v.created_at, v.page, "
            "s.last_published_at FROM story_versions v JOIN stories s ON s.id = v.story_id "
            f"JOIN ({_LATEST_PUBLISHED}) l ON l.story_id = v.story_id AND l.version = v.version"
        )
        facts = []
        for r in rows:
            updated = to_datetime(r["last_published_at"]) or to_datetime(r["created_at"])
            try:
                page = json.loads(r["page"])
            except (TypeError, ValueError) as exc:
                raise StoreError(f"the stored page of story {r['story_id']} is unreadable") from exc
            independent = len(json.loads(r["independent_ids"] or "[]"))
            facts.append((r, updated or utcnow(), independent, independent_outlets(page)))
        newest = max((moment for _, moment, _, _ in facts), default=None)
        ranked = [
            _Ranked(
                story_id=int(r["story_id"]),
                version=int(r["version"]),
                topic=r["topic"] or "news",
                independent=independent,
                outlets=outlets,
                updated_at=moment,
                score=rank_score(outlets, independent, _days(newest, moment)),
            )
            for r, moment, independent, outlets in facts
        ]
        ranked.sort(key=lambda x: (x.score, x.story_id), reverse=True)
        return ranked

    def _version_row(self, story_id: int, version: int) -> StoryVersion | None:
        row = self.db.query_one(
            f"SELECT {_VERSION_COLUMNS} FROM story_versions WHERE story_id = ? AND version = ?",
            (story_id, version),
        )
        return _version(row) if row else None

    def version_topic(self, story_id: int, version: int) -> str | None:
        row = self.db.query_one(
            "SELECT topic FROM story_versions WHERE story_id = ? AND version = ?",
            (story_id, version),
        )
        return row["topic"] if row else None

    def source_reports(
        self, source_id: int, limit: int, cursor: str | None = None
    ) -> SourceReportList:
        """A source's reports, newest first, with the story each joined."""
        after = _parse_cursor(cursor, "report list")
        where = "a.source_id = ?"
        params: list[object] = [source_id]
        if after is not None:
            moment = to_datetime(after[0])
            if moment is None:
                raise StoreError(f"invalid report list cursor {cursor!r}")
            where += (
                " AND (COALESCE(a.published_at, a.fetched_at) < ? OR "
                "(COALESCE(a.published_at, a.fetched_at) = ? AND a.id < ?))"
            )
            params += [moment, moment, after[1]]
        columns = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))
        rows = self.db.query(
            f"SELECT {columns}, sa.story_id, c.original_id, (SELECT v.headline FROM "
            "story_versions v WHERE v.story_id = sa.story_id AND v.published = 1 "
            "ORDER BY v.version DESC LIMIT 1) AS story_headline FROM articles a "
            "LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "LEFT JOIN article_copies c ON c.article_id = a.id "
            f"WHERE {where} ORDER BY COALESCE(a.published_at, a.fetched_at) DESC, a.id DESC "
            "LIMIT ?",
            [*params, limit + 1],
        )
        items = tuple(_source_report(r) for r in rows[:limit])
        next_cursor = None
        if len(rows) > limit and items:
            last = items[-1].article
            moment = last.published_at or last.fetched_at
            next_cursor = f"{moment.isoformat() if moment else ''}:{last.id}"
        return SourceReportList(items, next_cursor)

    def search(self, query: str, limit: int) -> SearchResults:
        """Stories (their latest published page) and articles matching every word of ``query``."""
        terms = search_stems(search_terms(query))
        if not terms:
            return SearchResults(query, terms, (), ())
        if self.db.dialect == "postgresql":
            # terms are \w+ words: nothing in them is tsquery syntax but what is added here
            text = " & ".join(t + (":*" if _is_prefix(t) else "") for t in terms)
            stories = self._pg_story_hits(text, limit)
            articles = self._pg_article_hits(text, limit)
        else:
            match = " ".join(f'"{t}"' + (" *" if _is_prefix(t) else "") for t in terms)
            stories = self._sqlite_story_hits(match, limit)
            articles = self._sqlite_article_hits(match, limit)
        return SearchResults(query, terms, tuple(stories), tuple(articles))

    def _sqlite_story_hits(self, match: str, limit: int) -> list[StoryHit]:
        rows = self.db.query(
            "SELECT v.story_id, v.version, v.headline, v.page FROM story_versions_fts f "
            "JOIN story_versions v ON v.id = f.rowid "
            f"JOIN ({_LATEST_PUBLISHED}) l ON l.story_id = v.story_id AND l.version = v.version "
            "WHERE story_versions_fts MATCH ? ORDER BY bm25(story_versions_fts, 5.0, 1.0) LIMIT ?",
            (match, limit),
        )
        return [_story_hit(r) for r in rows]

    def _pg_story_hits(self, text: str, limit: int) -> list[StoryHit]:
        rows = self.db.query(
            "SELECT v.story_id, v.version, v.headline, v.page FROM story_versions v "
            f"JOIN ({_LATEST_PUBLISHED}) l ON l.story_id = v.story_id AND l.version = v.version "
            f"WHERE {_PG_VERSION_VECTOR} @@ to_tsquery('simple', ?) "
            f"ORDER BY ts_rank({_PG_VERSION_VECTOR}, to_tsquery('simple', ?)) DESC, "
            "v.story_id DESC LIMIT ?",
            (text, text, limit),
        )
        return [_story_hit(r) for r in rows]

    def _sqlite_article_hits(self, match: str, limit: int) -> list[ArticleHit]:
        columns = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))
        rows = self.db.query(
            f"SELECT {columns}, sa.story_id FROM articles_fts f JOIN articles a ON a.id = f.rowid "
            "LEFT JOIN story_articles sa ON sa.article_id = a.id "
            "WHERE articles_fts MATCH ? ORDER BY bm25(articles_fts, 5.0, 1.0) LIMIT ?",
            (match, limit),
        )
        return [ArticleHit(_article(r), _int_or_none(r["story_id"])) for r in rows]

    def _pg_article_hits(self, text: str, limit: int) -> list[ArticleHit]:
        columns = ", ".join(f"a.{c.strip()}" for c in _ARTICLE_COLUMNS.split(","))
        rows = self.db.query(
            f"SELECT {columns}, sa.story_id FROM articles a "
            "LEFT JOIN story_articles sa ON sa.article_id = a.id "
            f"WHERE {_PG_ARTICLE_VECTOR} @@ to_tsquery('simple', ?) "
            f"ORDER BY ts_rank({_PG_ARTICLE_VECTOR}, to_tsquery('simple', ?)) DESC, "
            "a.id DESC LIMIT ?",
            (text, text, limit),
        )
        return [ArticleHit(_article(r), _int_or_none(r["story_id"])) for r in rows]

    def record_page_view(self, path: str) -> None:
        """Count one page view (called only for a reader who accepted analytics)."""
        self.db.execute(
            "INSERT INTO page_views (path, viewed_at) VALUES (?, ?)", (path[:500], utcnow())
        )

    def page_view_counts(self) -> dict[str, int]:
        """path -> page views recorded."""
        rows = self.db.query("SELECT path, COUNT(*) AS n FROM page_views GROUP BY path")
        return {r["path"]: int(r["n"]) for r in rows}


def _days(newest: datetime | None, moment: datetime) -> float:
    """Days from ``moment`` back from ``newest`` (0 when there is no newer story)."""
    if newest is None:
        return 0.0
    return max((newest - moment).total_seconds(), 0.0) / 86_400


def _int_or_none(value: object) -> int | None:
    return int(str(value)) if value is not None else None


def _story_hit(row: Row) -> StoryHit:
    try:
        summary = str(json.loads(row["page"])["summary"]["text"])
    except (KeyError, TypeError, ValueError) as exc:
        raise StoreError(f"the stored page of story {row['story_id']} is unreadable") from exc
    return StoryHit(int(row["story_id"]), int(row["version"]), row["headline"], summary)


def _source_report(row: Row) -> SourceReport:
    return SourceReport(
        article=_article(row),
        story_id=_int_or_none(row["story_id"]),
        story_headline=row["story_headline"],
        copy_of=_int_or_none(row["original_id"]),
    )
