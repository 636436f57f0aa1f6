"""extract_article end to end: a page served over HTTP on 127.0.0.1, then extracted."""

from __future__ import annotations

import html
from datetime import UTC, datetime

import pytest

from primenews.config import Settings
from primenews.errors import ExtractError
from primenews.extract import ExtractOptions, extract_article, extract_html
from primenews.fetch import fetch_once
from primenews.models import Link, Page
from tests.conftest import TEST_DATA, shared_path
from tests.localserver import LocalServer

DATA = TEST_DATA / "extract"


def _seed_page(seed: str) -> str:
    """Wrap the seed text into a realistic article page (the wrapping is ours)."""
    lines = [line.strip() for line in seed.splitlines() if line.strip()]
    title, body = lines[0], lines[1:]
    share_at = body.index("Share news")
    article, tail = body[:share_at], body[share_at + 1 :]
    copyright_line = next(line for line in tail if line.startswith("Copyright"))
    cookie_lines = [line for line in tail if "ookie" in line]
    parts = []
    for line in article:
        tag = "h2" if len(line) < 60 and not line.endswith(".") else "p"
        parts.append(f"<{tag}>{html.escape(line)}</{tag}>")
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)} - PrimeAi News</title>
<meta property="og:site_name" content="PrimeAi News"></head>
<body>
<header><a href="/">PrimeAi News</a>
<nav><ul><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/tech">Tech</a></li><li><a href="/markets">Markets</a></li></ul></nav></header>
<main><article>
<h1>{html.escape(title)}</h1>
<p class="meta">November 7, 2024</p>
{"".join(parts)}
<div class="share-bar"><span>Share news</span>
<a href="https://facebook.example/share">Facebook</a> <a href="https://x.example/share">X</a></div>
</article></main>
<footer><p>{html.escape(copyright_line)}</p></footer>
<div id="cookie-banner" class="cookie-consent">
<p>{html.escape(cookie_lines[0])}</p><p><a href="/cookies">{html.escape(cookie_lines[1])}</a></p>
<button>Accept</button></div>
</body></html>"""


def test_seed_page_served_over_http_comes_out_clean(
    http_server: LocalServer, settings: Settings
) -> None:
    seed = shared_path("seed/primeai-news-page.txt").read_text(encoding="utf-8")
    url = http_server.route("/world/putin-trump", body=_seed_page(seed).encode("utf-8"))
    page = fetch_once(settings, url)

    article = extract_article(page, ExtractOptions.from_settings(settings))

    text = article.text
    assert "Share news" not in text
    assert "Copyright" not in text and "All rights reserved" not in text
    assert "cookies" not in text.lower()
    assert not any(p.startswith(">") for p in article.paragraphs)
    assert "Implications for Future Relations" in article.paragraphs
    assert any(
        p.startswith("During a speech at the Valdai discussion club") for p in article.paragraphs
    )
    assert any(p.startswith("Despite these tensions, Putin reaffirmed") for p in article.paragraphs)
    assert (
        article.title
        == "Putin Congratulates Donald Trump on Election Win, Calls for Dialogue and Cooperation"
    )
    assert article.site_name == "PrimeAi News"
    assert article.language == "en"
    assert article.url == url
    assert article.quality >= 0.5


def test_metadata_of_a_written_fixture_page() -> None:
    body = (DATA / "metadata-article.html").read_bytes()
    page = Page(url="https://gazette.example/news/2026/harbour-floating-library?utm=x", body=body)

    article = extract_article(page, ExtractOptions())

    assert article.title == "Harbour Town Opens Floating Library"
    assert article.authors == ("Mira Okonkwo", "Tomas Lindqvist")
    assert article.published_at == datetime(2026, 3, 14, 8, 30, tzinfo=UTC)
    assert article.updated_at == datetime(2026, 3, 15, 18, 5, tzinfo=UTC)
    assert article.canonical_url == "https://gazette.example/news/2026/harbour-floating-library"
    assert article.lead_image == "https://gazette.example/images/floating-library.jpg"
    assert article.site_name == "The Lantern Gazette"
    assert article.language == "en"
    assert article.description == "A converted ferry now lends books to islanders twice a week."
    assert article.paragraphs[0].startswith("The old ferry Saltmarsh")
    assert "Copyright" not in article.text
    assert article.published_at is not None and article.published_at.tzinfo is not None


def test_feed_metadata_fills_what_the_page_lacks() -> None:
    paragraph = (
        "<p>The ferry timetable changes next week, with an extra crossing on Saturdays and an "
        "earlier last boat on Sundays, the operator said in a statement on Monday morning.</p>"
    )
    body = f"<html><body><div>{paragraph * 3}</div></body></html>".encode()
    link = Link(
        url="https://ferries.example/timetable",
        title="Ferry timetable changes",
        published_at=datetime(2026, 1, 5, 7, 0, tzinfo=UTC),
        authors=("Ines Duarte",),
        language="en-GB",
    )
    page = Page(url=link.url, body=body, link=link)

    article = extract_article(page, ExtractOptions(min_article_chars=100))

    assert article.title == "Ferry timetable changes"
    assert article.published_at == link.published_at
    assert article.authors == ("Ines Duarte",)
    assert article.language == "en"


def test_language_is_guessed_when_the_page_does_not_say() -> None:
    sentence = (
        "<p>Die Stadt hat am Dienstag beschlossen, die Hafenmauer um vierzig Meter zu verlängern, "
        "nachdem das Wasser in den letzten zwei Wintern die Unterstadt überflutet hat und die "
        "Bewohner nicht mehr warten wollten.</p>"
    )
    article = extract_html(f"<html><body>{sentence * 3}</body></html>", None, ExtractOptions())
    assert article.language == "de"


def test_script_only_page_is_a_clear_extract_error() -> None:
    page = Page(
        url="https://app.example/",
        body=b"<html><head><script>window.app = {};</script></head>"
        b"<body><script>boot()</script></body></html>",
    )
    with pytest.raises(ExtractError, match="no article text"):
        extract_article(page, ExtractOptions())
