"""Fictional article pages and feeds for pipeline tests (written for PrimeNews; not real news)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

STORIES = {
    "bridge": (
        "Harbour bridge reopens after six-week repair",
        [
            "The Marlow harbour bridge reopened to traffic on Tuesday morning after six weeks "
            "of repairs to its northern span, the city's transport office said.",
            "Engineers replaced 48 steel bearings and resurfaced 900 metres of roadway. The "
            "work cost 3.2 million crowns, slightly below the budget approved in March.",
            '"We finished two days early and the bridge is safer than it has been in decades," '
            "said chief engineer Ilse Varga at a short ceremony on the eastern ramp.",
            "Bus routes 4 and 11 return to their usual timetable from Wednesday. Cyclists will "
            "keep a separated lane that was added during the works.",
        ],
    ),
    "library": (
        "Tallin Street library extends opening hours",
        [
            "The Tallin Street public library will open until 10 p.m. on weekdays from next "
            "month, the district council decided on Monday by eleven votes to two.",
            "The change follows a survey in which 61 per cent of members asked for evening "
            "hours. Four additional staff will be hired on one-year contracts.",
            '"Students told us they had nowhere quiet to work after school," council member '
            "Rosa Lind said. Weekend hours stay unchanged.",
        ],
    ),
    "ferry": (
        "Island ferry adds a second daily crossing",
        [
            "The ferry between Port Alder and Skerry Island will sail twice a day from June, "
            "its operator announced, after passenger numbers rose by a third last year.",
            "The additional crossing leaves Port Alder at 17:30 and returns at 19:00. Fares "
            "remain at 14 crowns for adults and 7 crowns for children.",
            'Islanders had campaigned for an evening service for three years. "This changes '
            'what is possible for families here," said Tomas Berg of the island association.',
        ],
    ),
}


def article_html(slug: str, *, title: str | None = None, extra: str = "") -> str:
    headline, paragraphs = STORIES[slug]
    body = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<title>{escape(title or headline)} | The Marlow Courier</title>
<meta property="og:site_name" content="The Marlow Courier">
<meta property="article:published_time" content="2026-03-0{len(slug) % 9 + 1}T08:00:00Z">
<link rel="canonical" href="/news/{slug}">
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav>
<article><h1>{escape(title or headline)}</h1>
<p class="byline">By Mira Holm</p>
{body}
{extra}
</article>
<footer>Fictional test page written for PrimeNews.</footer>
</body></html>"""


def index_html() -> str:
    links = "\n".join(
        f'<li><a href="/news/item-{i}">Headline number {i} about the town</a></li>'
        for i in range(60)
    )
    return f"""<!doctype html><html lang="en"><head><title>News index</title></head>
<body><h1>All news</h1><ul>{links}</ul></body></html>"""


def rss(base: str, items: list[tuple[str, str]], *, start: datetime | None = None) -> str:
    moment = start or datetime(2026, 3, 1, 8, 0, tzinfo=UTC)
    entries = []
    for i, (path, title) in enumerate(items):
        when = format_datetime(moment + timedelta(hours=i))
        entries.append(
            f"<item><title>{escape(title)}</title><link>{base}{path}</link>"
            f"<guid>{base}{path}</guid><pubDate>{when}</pubDate></item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Marlow Courier</title><link>{base}/</link><description>Test feed</description>"
        + "".join(entries)
        + "</channel></rss>"
    )
