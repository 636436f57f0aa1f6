"""Source readers: bytes or local paths in, models out.

Pure readers, no HTTP and no SQL: the pipeline fetches a feed or sitemap with the fetcher
and hands the bytes here; local archives and files are read from disk.

- :func:`read_feed` -- RSS 0.9x/1.0/2.0, Atom, JSON Feed -> :class:`FeedResult` (links)
- :func:`read_sitemap` -- sitemap, sitemap index, Google News, gzip, text -> :class:`SitemapResult`
- :func:`read_url_list` -- one URL a line -> links
- :func:`read_opml` / :func:`write_opml` -- subscription lists in and out
- :func:`iter_html_files` -- a local HTML file or folder -> pages
- :func:`iter_warc` -- WARC / WARC.gz (CC-NEWS) -> pages, with :class:`WarcStats`
- :func:`iter_jsonl` -- JSON Lines of extracted articles -> articles and item errors

Hostile XML (a DOCTYPE declaring entities: XXE, billion laughs) is refused by
:mod:`primenews.sources.xmlsafety` before any parser sees it.
"""

from __future__ import annotations

from primenews.sources.feeds import FeedResult, read_feed
from primenews.sources.files import FileStats, iter_html_files
from primenews.sources.jsonl import JsonlStats, iter_jsonl
from primenews.sources.opml import OpmlOutline, read_opml, write_opml
from primenews.sources.sitemaps import SitemapResult, read_sitemap
from primenews.sources.urllists import read_url_list
from primenews.sources.warc import WarcStats, iter_warc

__all__ = [
    "FeedResult",
    "FileStats",
    "JsonlStats",
    "OpmlOutline",
    "SitemapResult",
    "WarcStats",
    "iter_html_files",
    "iter_jsonl",
    "iter_warc",
    "read_feed",
    "read_opml",
    "read_sitemap",
    "read_url_list",
    "write_opml",
]
