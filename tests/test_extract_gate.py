"""The quality gate refuses non-articles with a recorded reason."""

from __future__ import annotations

import pytest

from primenews.errors import SkipArticle
from primenews.extract import ExtractOptions, check_quality, extract_html
from primenews.models import ExtractedArticle

PROSE = (
    "The regional water board confirmed on Thursday that the reservoir above the valley had "
    "reached its lowest level in thirty years, and asked households to cut their use by a fifth "
    "until the autumn rains arrive. Farmers downstream said the restrictions came too late."
)


def _refused(html: str, options: ExtractOptions | None = None) -> SkipArticle:
    with pytest.raises(SkipArticle) as caught:
        extract_html(html, "https://news.example/page", options or ExtractOptions())
    return caught.value


def test_index_page_of_headline_links_is_refused() -> None:
    items = "".join(
        f'<li><a href="/story/{i}">Council approves new plan for district number {i}</a>'
        f'<span class="date">2 hours ago</span></li>'
        for i in range(40)
    )
    html = (
        '<html><head><title>Local news</title><meta property="og:type" content="website"></head>'
        f"<body><h1>Latest local news</h1><ul>{items}</ul></body></html>"
    )
    assert _refused(html).reason == "index_page"


def test_tag_page_with_teasers_is_refused() -> None:
    teasers = "".join(
        f'<div class="teaser"><h3><a href="/a/{i}">Water board story {i}</a></h3>'
        f"<p>Short teaser {i}.</p></div>"
        for i in range(25)
    )
    html = f"<html><body><h1>Tag: water</h1>{teasers}</body></html>"
    assert _refused(html).reason in {"index_page", "near_empty"}


def test_paywall_stub_is_refused() -> None:
    html = (
        "<html><body><article><h1>Reservoir at record low</h1>"
        f"<p>{PROSE}</p>"
        "<p>Subscribe to continue reading. Already a subscriber? Sign in.</p>"
        "</article></body></html>"
    )
    refusal = _refused(html)
    assert refusal.reason == "paywall_stub"
    assert "subscription" in refusal.detail


def test_near_empty_page_is_refused_with_the_threshold_in_the_detail() -> None:
    html = "<html><body><article><p>Reservoir at record low; more soon.</p></article></body></html>"
    refusal = _refused(html)
    assert refusal.reason == "near_empty"
    assert "min_article_chars=250" in refusal.detail


def test_a_real_article_passes_the_gate() -> None:
    second = PROSE.replace("Thursday", "Friday").replace("thirty", "forty")
    html = f"<html><body><article><h1>Reservoir</h1><p>{PROSE}</p><p>{second}</p></article></body>"
    article = extract_html(html, "https://news.example/reservoir", ExtractOptions())
    assert article.quality >= 0.5
    assert article.paragraphs == [PROSE, second]


def test_long_article_mentioning_subscribers_is_not_a_paywall_stub() -> None:
    ending = "Readers who subscribe to continue reading our coverage get the weekly water report."
    article = ExtractedArticle(
        url="https://news.example/x",
        title="x",
        text="\n\n".join([PROSE] * 8 + [ending]),
        quality=0.9,
    )
    check_quality(article, ExtractOptions())


def test_low_quality_score_is_refused() -> None:
    article = ExtractedArticle(url="https://news.example/x", title="x", text=PROSE * 2, quality=0.2)
    with pytest.raises(SkipArticle) as caught:
        check_quality(article, ExtractOptions(min_article_quality=0.5))
    assert caught.value.reason == "low_quality"


def test_gate_off_lets_short_pages_through() -> None:
    html = "<html><body><article><p>Reservoir at record low; more soon.</p></article></body></html>"
    article = extract_html(html, None, ExtractOptions(gate=False))
    assert article.text == "Reservoir at record low; more soon."
