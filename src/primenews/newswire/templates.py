"""HTML pages of the fictional sample newswire: one article layout per outlet, plus home pages.

Each outlet has its own markup (navigation, sidebars, bylines, date formats, meta tags), so the
extractor meets eight differently shaped pages. Brightline News carries the boilerplate real
sites wrap around an article: a cookie banner, a share bar, related posts, a newsletter prompt
and a copyright line. Every page footer says that the report is fictional.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from primenews.newswire.catalogue import Outlet, Report

__all__ = ["FICTION_NOTICE", "render_article", "render_home", "render_root"]

FICTION_NOTICE = (
    "Fictional sample report for the PrimeNews demo. The outlets, people, places and events "
    "are invented."
)
FICTION_NOTICE_ES = (
    "Noticia ficticia de ejemplo para la demostración de PrimeNews. Medios, personas, lugares "
    "y hechos son inventados."
)
_MONTHS_ES = (
    "enero",
    "febrero",
    "marzo",
    "abril",
    "mayo",
    "junio",
    "julio",
    "agosto",
    "septiembre",
    "octubre",
    "noviembre",
    "diciembre",
)

Layout = Callable[[Report, Outlet, str, Sequence[Report]], str]


def render_article(
    report: Report, outlet: Outlet, *, base_url: str = "", related: Sequence[Report] = ()
) -> str:
    """The article page of ``report`` in ``outlet``'s layout.

    ``base_url`` makes canonical and image URLs absolute; ``related`` fills the "Related posts"
    and "Most read" boxes of the layouts that have them.
    """
    layout = _LAYOUTS.get(outlet.template)
    if layout is None:
        raise KeyError(f"outlet {outlet.slug} names unknown template {outlet.template!r}")
    return layout(report, outlet, base_url, related)


def render_home(outlet: Outlet, reports: Sequence[Report], *, base_url: str = "") -> str:
    """The outlet's front page: a list of headlines, not an article."""
    items = "\n".join(
        f'<li><a href="{escape(r.path)}">{escape(r.title)}</a> '
        f'<span class="when">{r.published_at:%Y-%m-%d %H:%M}</span></li>'
        for r in reports
    )
    notice = FICTION_NOTICE_ES if outlet.language == "es" else FICTION_NOTICE
    return f"""<!DOCTYPE html>
<html lang="{outlet.language}">
<head><meta charset="utf-8"><title>{escape(outlet.name)}</title>
<meta property="og:site_name" content="{escape(outlet.name)}">
<meta property="og:type" content="website">
<link rel="canonical" href="{base_url}{outlet.home_path}">
<link rel="alternate" type="{_feed_mime(outlet)}" href="{base_url}{outlet.feed_path}"></head>
<body><header><h1>{escape(outlet.name)}</h1><p>{escape(outlet.tagline)}</p></header>
<main><h2>Latest</h2><ul class="headlines">
{items}
</ul></main>
<footer><p>{notice}</p></footer></body></html>
"""


def render_root(outlets: Sequence[Outlet]) -> str:
    """The server's index page: the outlets of the sample newswire."""
    items = "\n".join(
        f'<li><a href="{o.home_path}">{escape(o.name)}</a> '
        f'(<a href="{o.feed_path}">feed</a>, <a href="{o.sitemap_path}">sitemap</a>)</li>'
        for o in outlets
    )
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>PrimeNews sample newswire</title></head>
<body><h1>PrimeNews sample newswire</h1>
<p>Eight fictional outlets reporting fictional events, for the PrimeNews demo.</p>
<ul>
{items}
</ul>
<footer><p>{FICTION_NOTICE}</p></footer></body></html>
"""


def _feed_mime(outlet: Outlet) -> str:
    return {
        "rss2": "application/rss+xml",
        "rss1": "application/rdf+xml",
        "atom": "application/atom+xml",
        "jsonfeed": "application/feed+json",
    }[outlet.feed_format]


def _head(report: Report, outlet: Outlet, base_url: str, extra: str = "") -> str:
    """The <head> every layout shares: title, Open Graph, article times, canonical link."""
    title = escape(report.title)
    description = escape(_description(report))
    image = f"{base_url}/{outlet.slug}/images/{report.slug}.svg"
    authors = f'<meta name="author" content="{escape("; ".join(report.authors))}">\n'
    return f"""<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | {escape(outlet.name)}</title>
<meta name="description" content="{description}">
{authors}<meta property="og:type" content="article">
<meta property="og:title" content="{title}">
<meta property="og:site_name" content="{escape(outlet.name)}">
<meta property="og:description" content="{description}">
<meta property="og:image" content="{escape(image)}">
<meta property="og:url" content="{base_url}{escape(report.path)}">
<meta property="article:published_time" content="{_iso(report.published_at)}">
<link rel="canonical" href="{base_url}{escape(report.path)}">
<link rel="alternate" type="{_feed_mime(outlet)}" title="{escape(outlet.name)}"
 href="{base_url}{outlet.feed_path}">
{extra}</head>"""


def _description(report: Report) -> str:
    if report.summary:
        return report.summary
    first = report.paragraphs[0]
    return first if len(first) <= 200 else first[:197].rsplit(" ", 1)[0] + "..."


def _iso(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _paras(report: Report, css: str = "") -> str:
    cls = f' class="{css}"' if css else ""
    return "\n".join(f"<p{cls}>{escape(p)}</p>" for p in report.paragraphs)


def _byline(report: Report, joiner: str = " and ") -> str:
    names = [escape(a) for a in report.authors]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + joiner + names[-1]


def _meridian(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    when = report.published_at.strftime("%d %b %Y %H:%M GMT")
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url)}
<body class="wire">
<div class="masthead"><a href="/{outlet.slug}/">MERIDIAN</a> |
<a href="/{outlet.slug}/">Top News</a> |
<a href="/{outlet.slug}/">Markets</a> | <a href="/{outlet.slug}/">World</a></div>
<div class="story" id="story-{escape(report.id)}">
<h1 class="headline">{escape(report.title)}</h1>
<div class="slug">By {_byline(report)}, Meridian Wire Service &middot; {when}</div>
<div class="story-body">
{_paras(report)}
</div>
<div class="story-end">(Reporting by {_byline(report)}; editing by the Meridian desk)</div>
</div>
<div class="legal"><p>{FICTION_NOTICE}</p>
<p>Meridian Wire copy may be republished by subscribers with credit.</p></div>
</body>
</html>
"""


def _ledger(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    ld = json.dumps(
        {
            "@context": "https://schema.org",
            "@type": "NewsArticle",
            "headline": report.title,
            "datePublished": _iso(report.published_at),
            "author": [{"@type": "Person", "name": a} for a in report.authors],
            "publisher": {"@type": "Organization", "name": outlet.name},
            "inLanguage": report.language,
        },
        ensure_ascii=False,
    )
    extra = f'<script type="application/ld+json">{ld}</script>\n'
    most_read = "\n".join(
        f'<li><a href="{escape(r.path)}">{escape(r.title)}</a></li>' for r in related[:4]
    )
    when = f"{report.published_at:%A, %B} {report.published_at.day}, {report.published_at.year}"
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url, extra)}
<body>
<header class="site-header"><a class="logo" href="/{outlet.slug}/">The Daily Ledger</a>
<nav><ul><li><a href="/{outlet.slug}/">Home</a></li><li><a href="/{outlet.slug}/">Nation</a></li>
<li><a href="/{outlet.slug}/">World</a></li><li><a href="/{outlet.slug}/">Business</a></li>
<li><a href="/{outlet.slug}/">Opinion</a></li></ul></nav></header>
<div class="layout">
<main>
<article itemscope itemtype="https://schema.org/NewsArticle">
<h1 itemprop="headline">{escape(report.title)}</h1>
<p class="byline">By <span itemprop="author">{_byline(report)}</span></p>
<time itemprop="datePublished" datetime="{_iso(report.published_at)}">{when}</time>
<div itemprop="articleBody" class="article-body">
{_paras(report)}
</div>
</article>
</main>
<aside class="sidebar"><h3>Most read</h3><ol>
{most_read}
</ol></aside>
</div>
<footer class="site-footer"><p>{FICTION_NOTICE}</p>
<p>&copy; 2026 The Daily Ledger (fictional)</p></footer>
</body>
</html>
"""


def _harbour(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    when = report.published_at.strftime("%d/%m/%Y at %H:%M")
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url)}
<body>
<div id="wrapper">
<div id="top"><img src="/{outlet.slug}/images/logo.svg" alt="The Harbour Gazette">
<span class="weather">Port Ellery: 9&deg;C, showers</span></div>
<div id="menu"><a href="/{outlet.slug}/">News</a> &middot; <a href="/{outlet.slug}/">Sport</a>
&middot; <a href="/{outlet.slug}/">Shipping</a> &middot; <a href="/{outlet.slug}/">Notices</a></div>
<div id="content">
<div class="entry">
<h2 class="entry-title">{escape(report.title)}</h2>
<div class="entry-meta">Posted {when} by {_byline(report, " &amp; ")}</div>
<div class="entry-content">
{_paras(report)}
</div>
</div>
</div>
<div id="bottom"><p>{FICTION_NOTICE}</p>
<p>The Harbour Gazette, 12 Quay Row, Port Ellery (fictional).</p></div>
</div>
</body>
</html>
"""


def _circuit(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    moment = report.published_at
    when = f"{moment:%b} {moment.day}, {moment.year}, {moment:%I:%M %p} UTC"
    words = sum(len(p.split()) for p in report.paragraphs)
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url, '<meta name="twitter:card" content="summary_large_image">')}
<body class="cc">
<div class="topbar"><a href="/{outlet.slug}/">Circuit &amp; Capital</a>
<a href="/{outlet.slug}/">Cloud</a> <a href="/{outlet.slug}/">Deals</a>
<a href="/{outlet.slug}/">Markets</a></div>
<section class="post">
<div class="kicker">Analysis</div>
<h1 class="post-title">{escape(report.title)}</h1>
<div class="post-meta"><span class="author">{_byline(report)}</span>
<span class="date">{when}</span> <span class="read">{max(1, words // 220)} min read</span></div>
<div class="post-content">
{_paras(report)}
</div>
<div class="tags">Filed under: <a href="/{outlet.slug}/">industry</a></div>
</section>
<footer><p>{FICTION_NOTICE}</p></footer>
</body>
</html>
"""


def _faro(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    moment = report.published_at
    when = f"{moment.day} de {_MONTHS_ES[moment.month - 1]} de {moment.year}, {moment:%H:%M} UTC"
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url, '<meta property="og:locale" content="es_ES">')}
<body>
<header><div class="cabecera"><a href="/{outlet.slug}/">El Faro Continental</a></div>
<nav class="secciones"><a href="/{outlet.slug}/">Portada</a>
<a href="/{outlet.slug}/">Internacional</a>
<a href="/{outlet.slug}/">Economía</a> <a href="/{outlet.slug}/">Sociedad</a></nav></header>
<article class="noticia">
<h1>{escape(report.title)}</h1>
<p class="firma byline">Por {_byline(report, " y ")}</p>
<p class="fecha"><time datetime="{_iso(moment)}">{when}</time></p>
<div class="cuerpo">
{_paras(report)}
</div>
</article>
<footer><p>{FICTION_NOTICE_ES}</p><p>El Faro Continental (medio ficticio)</p></footer>
</body>
</html>
"""


def _northgate(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    moment = report.published_at
    hour = moment.hour % 12 or 12
    half = "am" if moment.hour < 12 else "pm"
    when = f"{moment:%B} {moment.day}, {moment.year} {hour}:{moment:%M} {half}"
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url)}
<body>
<table class="frame" width="100%"><tr><td class="nav">
<a href="/{outlet.slug}/">Northgate Courier</a><br><a href="/{outlet.slug}/">Local</a><br>
<a href="/{outlet.slug}/">Wire news</a><br><a href="/{outlet.slug}/">Classifieds</a></td>
<td class="main">
<div class="headline"><h1>{escape(report.title)}</h1></div>
<div class="credit">(Wire) Meridian Wire Service &mdash; {when}</div>
<div class="text">
{_paras(report)}
</div>
<div class="wire-note">This story was published from the Meridian Wire Service feed and has not
been edited by Northgate Courier staff.</div>
</td></tr></table>
<div class="foot"><p>{FICTION_NOTICE}</p></div>
</body>
</html>
"""


def _brightline(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    moment = report.published_at
    when = f"{moment:%B} {moment.day}, {moment.year}"
    related_items = "\n".join(
        f'<li><a href="{escape(r.path)}">{escape(r.title)}</a></li>' for r in related[:3]
    )
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url)}
<body class="single-post">
<div id="cookie-notice" class="cookie-banner" role="dialog">We use cookies to improve your
reading, show you tailored offers and measure our audience. By clicking 'Accept', you agree to
our use of cookies. <a href="/{outlet.slug}/cookies/">Cookies policy.</a>
<button>Accept</button> <button>Settings</button></div>
<header class="site-header"><a href="/{outlet.slug}/" class="brand">Brightline News</a>
<nav><a href="/{outlet.slug}/">World</a> <a href="/{outlet.slug}/">Business</a>
<a href="/{outlet.slug}/">Life</a></nav></header>
<div class="content-area"><article class="post type-post">
<h1 class="entry-title">{escape(report.title)}</h1>
<div class="post-info"><span class="author vcard">{_byline(report)}</span> &middot;
<span class="posted-on">{when}</span></div>
<div class="share-bar top">Share news <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">WhatsApp</a> <a href="#">Email</a></div>
<div class="entry-content">
{_paras(report)}
</div>
<div class="share-bar bottom">Share news <a href="#">Facebook</a> <a href="#">X</a>
<a href="#">WhatsApp</a> <a href="#">Email</a></div>
</article>
<section class="related-posts"><h3>Related posts</h3><ul>
{related_items}
</ul></section>
<div class="newsletter"><h4>Never miss a story</h4>
<p>Sign up for the Brightline morning newsletter and get the day's news in your inbox.</p>
<form><input type="email" placeholder="Your email"><button>Subscribe</button></form></div>
</div>
<footer class="site-footer"><p>Copyright &copy;2026 All rights reserved | Brightline News</p>
<p>{FICTION_NOTICE}</p></footer>
</body>
</html>
"""


def _valley(report: Report, outlet: Outlet, base_url: str, related: Sequence[Report]) -> str:
    when = report.published_at.strftime("%Y-%m-%d %H:%M")
    return f"""<!DOCTYPE html>
<html lang="{report.language}">
{_head(report, outlet, base_url)}
<body>
<div class="header"><div class="title">The Valley Post</div>
<div class="subtitle">{escape(outlet.tagline)}</div></div>
<ol class="breadcrumbs"><li><a href="/{outlet.slug}/">Home</a></li>
<li><a href="/{outlet.slug}/">News</a></li><li>{escape(report.title)}</li></ol>
<div class="main-column">
<h1>{escape(report.title)}</h1>
<div class="meta">{_byline(report)} | Published {when} UTC</div>
<div class="body-copy">
{_paras(report)}
</div>
</div>
<div class="right-column"><h4>Valley weather</h4><p>Brenna 7&deg;C, Lowfield 6&deg;C.</p>
<h4>Notices</h4><p>The Lowfield library is closed on Sundays.</p></div>
<div class="footer"><p>{FICTION_NOTICE}</p></div>
</body>
</html>
"""


_LAYOUTS: dict[str, Layout] = {
    "meridian-wire": _meridian,
    "daily-ledger": _ledger,
    "harbour-gazette": _harbour,
    "circuit-capital": _circuit,
    "el-faro": _faro,
    "northgate-courier": _northgate,
    "brightline": _brightline,
    "valley-post": _valley,
}
