"""The offline sample newswire: fictional outlets reporting fictional events, for the demo.

Everything served here is invented and labelled so: eight outlets (a wire agency, a national
daily, a regional paper, a tech/business site, a Spanish-language outlet, a republisher that runs
the wire's copy verbatim, a blog-like site with a cookie banner and share bar, and a regional
paper whose feed is broken) and ten events with four to seven reports each, spread over a week
of March 2026. Some events are easy to confuse on purpose (two earthquakes, two rate
decisions, two strikes at one company, two outages).

- :func:`load_newswire` reads the packaged data: outlets, events and reports, with the ground
  truth (``Report.event_id``, ``Report.copy_of``, ``Event.confusable_with``).
- :class:`NewswireServer` serves it on 127.0.0.1 with feeds, sitemaps and robots.txt.
- :func:`render_article` draws one report in its outlet's layout.
"""

from __future__ import annotations

from primenews.newswire.catalogue import Event, Newswire, Outlet, Report, load_newswire
from primenews.newswire.feeds import render_feed, render_sitemap
from primenews.newswire.server import NewswireServer
from primenews.newswire.templates import FICTION_NOTICE, render_article, render_home

__all__ = [
    "FICTION_NOTICE",
    "Event",
    "Newswire",
    "NewswireServer",
    "Outlet",
    "Report",
    "load_newswire",
    "render_article",
    "render_feed",
    "render_home",
    "render_sitemap",
]
