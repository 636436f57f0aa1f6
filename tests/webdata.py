"""A small fictional newsroom for the website tests (written for PrimeNews; not real news).

Story pages here are built by hand (not by a synthesizer), so a test controls every field a
page shows, hostile ones included: the web layer must render whatever a page holds safely.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from primenews.models import (
    Article,
    Citation,
    Copy,
    CopyKind,
    Coverage,
    ExtractedArticle,
    PageSentence,
    Quote,
    Section,
    SourceRef,
    StoryPage,
    StoryVersion,
)
from primenews.store import ArticleRecord, Store

T0 = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Report:
    outlet: str
    title: str
    text: str
    language: str = "en"
    hours: float = 0.0  # published T0 + hours
    url: str | None = None


def add_article(store: Store, report: Report, *, source_id: int | None = None) -> Article:
    url = report.url or f"https://{_slug(report.outlet)}.example/{_slug(report.title)}"
    extracted = ExtractedArticle(
        url=url,
        title=report.title,
        text=report.text,
        outlet=report.outlet,
        language=report.language,
        published_at=T0 + timedelta(hours=report.hours),
    )
    canonical = url if url.startswith("http") else f"https://odd.example/{_slug(report.title)}"
    record = ArticleRecord(extracted, canonical, f"hash-{canonical}", source_id=source_id)
    article = store.get_article(store.save_article(record).article_id)
    assert article is not None
    return article


def _slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())[:60] or "x"


def _first_sentence(article: Article) -> Citation:
    end = article.text.find(". ")
    end = len(article.text) if end < 0 else end + 1
    return Citation(article.id, 0, end, article.text[:end])


def _sentence(article: Article) -> PageSentence:
    citation = _first_sentence(article)
    return PageSentence(citation.text, (citation,))


def make_page(
    story_id: int,
    headline: str,
    articles: Sequence[Article],
    *,
    copies: dict[int, int] | None = None,
    quote_speaker: str | None = "A spokesperson",
) -> StoryPage:
    """A page citing each article's first sentence; a quote from the last article."""
    copy_of = copies or {}
    sources = tuple(
        SourceRef(a.id, a.url, a.title, a.outlet, a.language, a.published_at, copy_of.get(a.id))
        for a in articles
    )
    outlets = tuple(dict.fromkeys(a.outlet or "?" for a in articles))
    languages = tuple(dict.fromkeys(a.language or "en" for a in articles))
    last = _first_sentence(articles[-1])
    first = min(articles, key=lambda a: a.published_at or T0)
    return StoryPage(
        story_id=story_id,
        headline=headline,
        summary=_sentence(articles[0]),
        sections=(Section("What happened", tuple(_sentence(a) for a in articles[1:])),),
        quotes=(Quote(last.text, quote_speaker, articles[-1].outlet, last),),
        coverage=Coverage(
            outlets=outlets,
            languages=languages,
            report_count=len(articles),
            independent_count=len(articles) - len(copy_of),
            copy_count=len(copy_of),
            first_article_id=first.id,
            first_outlet=first.outlet,
            first_published_at=first.published_at,
            last_published_at=max(a.published_at or T0 for a in articles),
        ),
        sources=sources,
        backend="test",
    )


def add_story(
    store: Store,
    headline: str,
    reports: Sequence[Report],
    *,
    published: bool = True,
    topic: str = "news",
    copies: dict[int, int] | None = None,
    source_id: int | None = None,
) -> StoryVersion:
    """Store the reports, a story holding them, and version 1 of its page.

    ``copies`` maps report positions: copy's index -> original's index.
    """
    articles = [add_article(store, r, source_id=source_id) for r in reports]
    by_id = {}
    for copy_index, original_index in (copies or {}).items():
        copy, original = articles[copy_index], articles[original_index]
        store.save_copy(Copy(copy.id, original.id, CopyKind.VERBATIM, 0.97))
        by_id[copy.id] = original.id
    story_id = store.create_story(headline)
    for article in articles:
        store.assign_article(article.id, story_id)
    page = make_page(story_id, headline, articles, copies=by_id)
    return add_version(store, page, [a.id for a in articles], published=published, topic=topic)


def add_version(
    store: Store,
    page: StoryPage,
    article_ids: Sequence[int],
    *,
    version: int = 1,
    published: bool = True,
    topic: str = "news",
    whats_new: str | None = None,
    hours: float = 0.0,
) -> StoryVersion:
    written = StoryVersion(
        story_id=page.story_id,
        version=version,
        page=page,
        article_ids=tuple(article_ids),
        created_at=T0 + timedelta(hours=hours),
        published=published,
        whats_new=whats_new,
    )
    assert store.save_story_version(written) == version
    store.set_version_topic(page.story_id, version, topic)
    return written


FERRY = [
    Report(
        "The Harbour Ledger",
        "Ferry crews in Port Ansel strike over night shifts",
        "Ferry crews in Port Ansel walked off the job on Monday in a dispute over night "
        "shifts. About 4,000 commuters were stranded on the island side of the bay.",
        hours=1,
    ),
    Report(
        "Bay Herald",
        "Port Ansel ferries halted as crews walk out",
        "All six Port Ansel ferries stayed at their moorings on Monday after crews began a "
        "strike. Commuters queued for buses around the bay.",
        hours=2,
    ),
    Report(
        "Kurier am Meer",
        "Fährstreik in Port Ansel geht weiter",
        "Der Fährstreik in Port Ansel ging am Dienstag in den zweiten Tag. Pendler müssen "
        "weiter auf Busse ausweichen.",
        language="de",
        hours=3,
    ),
]
ORCHARD = [
    Report(
        "Valley Post",
        "Hail damages orchards in the Brenn valley",
        "A short hailstorm damaged apple orchards across the Brenn valley on Sunday evening. "
        "Growers said a third of the early crop was lost.",
        hours=30,
    ),
    Report(
        "Brenn Courier",
        "Growers count hail losses",
        "Orchard growers in the Brenn valley counted their losses on Monday after the "
        "hailstorm. Insurers sent assessors to the worst-hit farms.",
        hours=31,
    ),
]
