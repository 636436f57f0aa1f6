"""Feeds and sitemaps of the fictional sample newswire.

The outlets mix the formats a reader meets in the wild: RSS 2.0, RSS 1.0 (RDF), Atom and
JSON Feed 1.1. One outlet's feed is broken on purpose (cut off before its first item by an
error message with a bare ampersand), so the demo shows a failing source; that outlet's
sitemap still lists every article. Two outlets publish Google News sitemaps.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from email.utils import format_datetime
from xml.sax.saxutils import escape

from primenews.newswire.catalogue import Outlet, Report
from primenews.newswire.templates import FICTION_NOTICE

__all__ = ["feed_content_type", "render_feed", "render_sitemap"]

_CONTENT_TYPES = {
    "rss2": "application/rss+xml; charset=utf-8",
    "rss1": "application/rdf+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
    "jsonfeed": "application/feed+json; charset=utf-8",
}


def feed_content_type(outlet: Outlet) -> str:
    return _CONTENT_TYPES[outlet.feed_format]


def render_feed(outlet: Outlet, reports: Sequence[Report], base_url: str) -> str:
    """The outlet's feed, newest report first, in its own format (broken where it should be)."""
    renderer = {
        "rss2": _rss2,
        "rss1": _rss1,
        "atom": _atom,
        "jsonfeed": _jsonfeed,
    }[outlet.feed_format]
    text = renderer(outlet, reports, base_url)
    return _break(text) if outlet.feed_broken else text


def render_sitemap(outlet: Outlet, reports: Sequence[Report], base_url: str) -> str:
    """A sitemap of the outlet's articles; a Google News sitemap where the outlet has one."""
    entries = [
        _news_url(outlet, r, base_url) if outlet.news_sitemap else _plain_url(r, base_url)
        for r in reports
    ]
    news_ns = (
        ' xmlns:news="http://www.google.com/schemas/sitemap-news/0.9"'
        if outlet.news_sitemap
        else ""
    )
    body = "\n".join(entries)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{news_ns}>\n'
        f"{body}\n</urlset>\n"
    )


def _plain_url(report: Report, base_url: str) -> str:
    return (
        f"<url><loc>{escape(base_url + report.path)}</loc>"
        f"<lastmod>{_iso(report.published_at)}</lastmod></url>"
    )


def _news_url(outlet: Outlet, report: Report, base_url: str) -> str:
    return (
        f"<url><loc>{escape(base_url + report.path)}</loc>\n"
        "  <news:news><news:publication>"
        f"<news:name>{escape(outlet.name)}</news:name>"
        f"<news:language>{report.language}</news:language></news:publication>\n"
        f"  <news:publication_date>{_iso(report.published_at)}</news:publication_date>\n"
        f"  <news:title>{escape(report.title)}</news:title></news:news></url>"
    )


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _latest(reports: Sequence[Report]) -> datetime | None:
    return max((r.published_at for r in reports), default=None)


def _summary(report: Report) -> str:
    return report.summary or report.paragraphs[0]


def _rss2(outlet: Outlet, reports: Sequence[Report], base_url: str) -> str:
    latest = _latest(reports)
    build = (
        f"<lastBuildDate>{format_datetime(latest, usegmt=True)}</lastBuildDate>" if latest else ""
    )
    items = "\n".join(_rss2_item(r, base_url) for r in reports)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel>
<title>{escape(outlet.name)}</title>
<link>{escape(base_url + outlet.home_path)}</link>
<atom:link href="{escape(base_url + outlet.feed_path)}" rel="self" type="application/rss+xml"/>
<description>{escape(outlet.tagline)} ({escape(FICTION_NOTICE)})</description>
<language>{outlet.language}</language>
{build}
{items}
</channel>
</rss>
"""


def _rss2_item(report: Report, base_url: str) -> str:
    url = escape(base_url + report.path)
    creators = "".join(f"<dc:creator>{escape(a)}</dc:creator>" for a in report.authors)
    return f"""<item>
<title>{escape(report.title)}</title>
<link>{url}</link>
<guid isPermaLink="false">{escape(report.id)}</guid>
<pubDate>{format_datetime(report.published_at, usegmt=True)}</pubDate>
{creators}
<description>{escape(_summary(report))}</description>
</item>"""


def _rss1(outlet: Outlet, reports: Sequence[Report], base_url: str) -> str:
    seq = "\n".join(f'<rdf:li rdf:resource="{escape(base_url + r.path)}"/>' for r in reports)
    items = "\n".join(
        f"""<item rdf:about="{escape(base_url + r.path)}">
<title>{escape(r.title)}</title>
<link>{escape(base_url + r.path)}</link>
<description>{escape(_summary(r))}</description>
<dc:date>{_iso(r.published_at)}</dc:date>
<dc:creator>{escape(", ".join(r.authors))}</dc:creator>
<dc:language>{r.language}</dc:language>
</item>"""
        for r in reports
    )
    home = escape(base_url + outlet.home_path)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="{escape(base_url + outlet.feed_path)}">
<title>{escape(outlet.name)}</title>
<link>{home}</link>
<description>{escape(outlet.tagline)} ({escape(FICTION_NOTICE)})</description>
<items><rdf:Seq>
{seq}
</rdf:Seq></items>
</channel>
{items}
</rdf:RDF>
"""


def _atom(outlet: Outlet, reports: Sequence[Report], base_url: str) -> str:
    latest = _latest(reports)
    updated = _iso(latest) if latest else "2026-03-01T00:00:00Z"
    entries = "\n".join(_atom_entry(outlet, r, base_url) for r in reports)
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="{outlet.language}">
<title>{escape(outlet.name)}</title>
<subtitle>{escape(outlet.tagline)}</subtitle>
<id>tag:primenews-demo,2026:{outlet.slug}</id>
<link rel="alternate" type="text/html" href="{escape(base_url + outlet.home_path)}"/>
<link rel="self" type="application/atom+xml" href="{escape(base_url + outlet.feed_path)}"/>
<updated>{updated}</updated>
<rights>{escape(FICTION_NOTICE)}</rights>
{entries}
</feed>
"""


def _atom_entry(outlet: Outlet, report: Report, base_url: str) -> str:
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in report.authors)
    return f"""<entry>
<id>tag:primenews-demo,2026:{outlet.slug}/{escape(report.id)}</id>
<title>{escape(report.title)}</title>
<link rel="alternate" type="text/html" href="{escape(base_url + report.path)}"/>
<published>{_iso(report.published_at)}</published>
<updated>{_iso(report.published_at)}</updated>
{authors}
<summary>{escape(_summary(report))}</summary>
</entry>"""


def _jsonfeed(outlet: Outlet, reports: Sequence[Report], base_url: str) -> str:
    feed = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": outlet.name,
        "home_page_url": base_url + outlet.home_path,
        "feed_url": base_url + outlet.feed_path,
        "description": f"{outlet.tagline} ({FICTION_NOTICE})",
        "language": outlet.language,
        "items": [
            {
                "id": r.id,
                "url": base_url + r.path,
                "title": r.title,
                "summary": _summary(r),
                "date_published": _iso(r.published_at),
                "authors": [{"name": a} for a in r.authors],
                "language": r.language,
            }
            for r in reports
        ],
    }
    return json.dumps(feed, ensure_ascii=False, indent=2) + "\n"


def _break(text: str) -> str:
    """Cut the feed off before its first item, where a crashing CMS printed an error with a
    bare ampersand: malformed XML with no entries, so readers must fail it and fall back."""
    first = text.find("<item")
    cut = first if first > 0 else len(text) // 2
    return (
        text[:cut]
        + "<b>Fatal error</b>: Allowed memory size exhausted in feed & export module "
        + "(line 212)<br>\n<ite"
    )
