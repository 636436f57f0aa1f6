"""A small fictional newsroom for the feed, SEO and API tests: stories with published pages.

Every report below was written for these tests; the towns, people and events are invented.
One report carries hostile markup (a script tag, an event handler, a javascript: link) in its
title and text, as a hostile source might.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI

from primenews.config import Settings
from primenews.models import Copy, CopyKind, ExtractedArticle, SourceKind, utcnow
from primenews.pipeline.pages import write_story_pages
from primenews.store import ArticleRecord, Store
from primenews.synthesize.extractive import ExtractiveSynthesizer
from primenews.web import create_app

HOSTILE_TITLE = '<script>alert("x")</script> Dam <b onmouseover="steal()">opens</b> & floods'

# event -> (outlet, title, text) per report; two independent reports make a page
EVENTS: dict[str, list[tuple[str, str, str]]] = {
    "tram": [
        (
            "Riverside Gazette",
            "Tram line to Oldmere opens after four years of works",
            "The new tram line between the station and Oldmere opened on Saturday after four "
            "years of works, the regional transport board said.\n\n"
            "Trams will run every seven minutes at peak times. Transport chair Edda Lorn said "
            "the line would carry 18,000 passengers a day by next spring.",
        ),
        (
            "Oldmere Times",
            "Oldmere tram carries first passengers",
            "The first passengers rode the Oldmere tram on Saturday morning as the line opened "
            "after four years of works.\n\n"
            "Transport chair Edda Lorn said the board expected 18,000 passengers a day. Shops "
            "along the route said the works had cost them customers.",
        ),
    ],
    "choir": [
        (
            "Hollin Post",
            "Hollin youth choir wins northern festival",
            "The Hollin youth choir won the northern choral festival on Sunday, beating "
            "twenty-two choirs from across the region.\n\n"
            "Conductor Paz Imre said the forty singers had rehearsed every evening for two "
            "months. The choir will perform at the winter concert in the capital.",
        ),
        (
            "Northern Courier",
            "Youth choir from Hollin takes festival prize",
            "A youth choir from Hollin took first prize at the northern choral festival on "
            "Sunday evening.\n\n"
            "Conductor Paz Imre said the forty singers had rehearsed for two months. The jury "
            "praised the choir's closing song, written by a local teacher.",
        ),
    ],
    "dam": [
        (
            "Vell Valley News",
            HOSTILE_TITLE,
            "The Vell valley dam opened its spillway gates on Thursday after three days of "
            "heavy rain, flooding meadows below the village of Carrow.\n\n"
            "Dam engineer Ruth Osk said the water level had risen by two metres since Monday. "
            '<a href="javascript:steal()">Residents</a> were told to move cars from the '
            "river road.",
        ),
        (
            "Carrow Herald",
            "Vell dam spillway opened as rain continues",
            "Engineers opened the spillway of the Vell valley dam on Thursday after three days "
            "of heavy rain.\n\n"
            "Dam engineer Ruth Osk said the level had risen by two metres since Monday. Meadows "
            "below Carrow were flooded but no homes were damaged.",
        ),
    ],
    "market": [
        (
            "Lessing Daily",
            "Lessing night market returns to the old harbour",
            "The Lessing night market returned to the old harbour on Friday after a two-year "
            "break, with ninety stalls selling food and crafts.\n\n"
            "Organiser Tomas Bree said the city had approved the market for every Friday until "
            "October. Police closed the harbour road to cars from six in the evening.",
        ),
        (
            "Harbour Voice",
            "Night market back at Lessing harbour",
            "Ninety stalls opened at the Lessing old harbour on Friday as the night market came "
            "back after two years.\n\n"
            "Organiser Tomas Bree said the market would run every Friday until October. Food "
            "sellers said the first evening was busier than they had hoped.",
        ),
    ],
    "school": [
        (
            "Brenmoor Chronicle",
            "Brenmoor school reopens after roof repairs",
            "The Brenmoor primary school reopened on Monday after a month of repairs to its "
            "roof, which was damaged in a winter storm.\n\n"
            "Head teacher Ines Kolb said 310 pupils had returned to their own classrooms. The "
            "repairs cost 420,000 crowns, the district council said.",
        ),
        (
            "Moorland Echo",
            "Pupils return to Brenmoor primary",
            "Pupils returned to Brenmoor primary school on Monday after the roof repairs ended.\n\n"
            "Head teacher Ines Kolb said 310 pupils were back in their classrooms. The district "
            "council said the repairs cost 420,000 crowns.",
        ),
    ],
}
# a later report that gives the tram story a second version
TRAM_UPDATE = (
    "Station Weekly",
    "Oldmere tram busier than planned in first week",
    "The Oldmere tram carried 21,000 passengers a day in its first week, more than the "
    "transport board had planned.\n\n"
    "Transport chair Edda Lorn said two extra trams would be added at peak times from Monday.",
)


@dataclass
class Newsroom:
    """What :func:`build_newsroom` stored: story ids by event, and article ids."""

    stories: dict[str, int] = field(default_factory=dict)
    articles: dict[str, list[int]] = field(default_factory=dict)
    reprint: int = 0
    source: int = 0  # the feed every first-day report came from
    broken_source: int = 0  # a feed that failed twice and gave nothing
    old_story: int = 0  # a story whose only page is older than the news sitemap's two days
    written_at: datetime = field(default_factory=utcnow)


def _slug(outlet: str) -> str:
    return outlet.lower().replace(" ", "")


def _save(
    store: Store,
    outlet: str,
    title: str,
    text: str,
    at: datetime,
    n: int,
    source: int | None = None,
) -> int:
    article = ExtractedArticle(
        url=f"https://{_slug(outlet)}.example/news/{n}",
        title=title,
        text=text,
        outlet=outlet,
        site_name=outlet,
        language="en",
        published_at=at,
    )
    record = ArticleRecord(article, article.url, f"{_slug(outlet)}-{n}", source_id=source)
    return store.save_article(record).article_id


def build_newsroom(store: Store, settings: Settings) -> Newsroom:
    """Five stories with published pages (the tram story in two versions), one of them old."""
    now = utcnow().replace(microsecond=0)
    room = Newsroom(written_at=now)
    writer = ExtractiveSynthesizer()
    room.source = store.add_source(
        SourceKind.FEED, "https://wire.example/feed.xml", title="Regional wire"
    )[0].id
    room.broken_source = store.add_source(SourceKind.FEED, "https://gone.example/rss")[0].id
    for _ in range(2):
        store.record_source_failure(
            room.broken_source,
            "HTTPStatusError: 503 from gone.example",
            check_interval=900,
            max_interval=86_400,
        )
    old = now - timedelta(days=5)
    n = 0
    for event, reports in EVENTS.items():
        room.stories[event] = store.create_story(event)
        room.articles[event] = []
        for outlet, title, text in reports:
            n += 1
            at = (old if event == "school" else now) - timedelta(hours=6 - n % 5)
            article_id = _save(store, outlet, title, text, at, n, room.source)
            store.assign_article(article_id, room.stories[event])
            room.articles[event].append(article_id)
    room.old_story = room.stories["school"]
    write_story_pages(store, settings, writer, story_id=room.old_story, now=old)
    write_story_pages(store, settings, writer, now=now - timedelta(hours=2))
    # a reprint of the first tram report (a copy) and a new report: tram version 2
    first = EVENTS["tram"][0]
    room.reprint = _save(store, "Wire Service", first[1], first[2], now - timedelta(hours=3), 90)
    store.save_copy(Copy(room.reprint, room.articles["tram"][0], CopyKind.EXACT, 1.0))
    store.assign_article(room.reprint, room.stories["tram"])
    update = _save(store, *TRAM_UPDATE, now - timedelta(hours=1), 91)
    store.assign_article(update, room.stories["tram"])
    room.articles["tram"] += [room.reprint, update]
    write_story_pages(store, settings, writer, story_id=room.stories["tram"], now=now)
    return room


def newsroom_app(store: Store, settings: Settings) -> FastAPI:
    """The site serving ``store`` (the store stays the caller's to close)."""
    return create_app(settings, store=store)


SITE_URL = "https://news.example.org"


def newsroom_settings(where: Path | str) -> Settings:
    """Settings for a newsroom in the SQLite file ``where`` (or at that database URL),
    published at :data:`SITE_URL`."""
    return Settings(
        database_url=where if isinstance(where, str) else f"sqlite:///{where}",
        site_url=SITE_URL,
        site_name="Test Newsroom",
        page_min_reports=2,
        page_debounce_minutes=10,
    )
