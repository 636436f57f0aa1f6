"""What of an article is embedded: title and lead, or the words of its URL."""

from __future__ import annotations

from primenews.embed import embedding_text
from primenews.embed.text import lead_of, slug_words
from primenews.models import ExtractedArticle


def _article(url: str, title: str | None = None, text: str = "") -> ExtractedArticle:
    return ExtractedArticle(url=url, title=title, text=text)


def test_title_and_lead_cut_at_a_word_boundary() -> None:
    text = "First paragraph about the flood.\n\n" + " ".join(["word"] * 300) + "\n\nLast one."
    result = embedding_text(_article("https://x/a", "Flood hits town", text), max_chars=100)
    title, lead = result.split("\n")
    assert title == "Flood hits town"
    assert lead.startswith("First paragraph about the flood. word")
    assert len(lead) <= 100 and lead.endswith("word") and "Last one" not in lead


def test_headline_repeated_as_first_paragraph_is_not_embedded_twice() -> None:
    text = "Flood hits town\n\nWater rose overnight."
    assert embedding_text(_article("https://x/a", "Flood hits town", text)) == (
        "Flood hits town\nWater rose overnight."
    )


def test_slug_fallback_for_meantime_urn_and_news_url() -> None:
    urn = "urn:meantime:es:108294_Government_Accountability_Office_requests_review"
    assert embedding_text(_article(urn)) == "Government Accountability Office requests review"
    url = "https://x.example/2024/05/quake-hits-city-123.html"
    assert embedding_text(_article(url, "", "  ")) == "quake hits city"


def test_slug_skips_ids_and_empty_paths() -> None:
    assert slug_words("https://x.example/news/2024/quake-hits-city/a1b2c3d4e5f6") == (
        "quake hits city"
    )
    assert slug_words("https://x.example/") == ""
    assert slug_words("https://x.example/article/123456.html") == ""
    assert embedding_text(_article("https://x.example/?id=5")) == ""


def test_lead_of_keeps_short_text_whole() -> None:
    assert lead_of("One  two\n\nthree", 600) == "One two three"
    assert lead_of("abcdefghij", 4) == "abcd"  # no space to cut at: a hard cut
