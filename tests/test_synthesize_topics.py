"""The topic lexicon: a page's topic from its words, in several languages; ``news`` when unsure."""

from __future__ import annotations

from primenews.models import Coverage, PageSentence, Section, StoryPage
from primenews.synthesize.topics import TOPICS, classify_topic


def _page(headline: str, *sentences: str) -> StoryPage:
    return StoryPage(
        story_id=1,
        headline=headline,
        summary=PageSentence(sentences[0] if sentences else headline),
        sections=(Section("More", tuple(PageSentence(s) for s in sentences[1:])),),
        quotes=(),
        coverage=Coverage((), (), 0, 0, 0),
        sources=(),
        backend="test",
    )


def test_english_pages_get_their_topic() -> None:
    assert classify_topic(_page("Earthquake shakes the Tarsen highlands")) == "disasters"
    assert (
        classify_topic(
            _page("Central bank raises rates", "Inflation stayed high and the market fell.")
        )
        == "business"
    )
    assert classify_topic(_page("Ferry runs aground", "All passengers were rescued.")) in (
        "transport",
        "disasters",
    )
    assert (
        classify_topic(_page("Parliament passes budget", "The minister said the coalition agreed."))
        == "politics"
    )


def test_other_languages_and_accents() -> None:
    assert classify_topic(_page("Erdbeben erschüttert die Region")) == "disasters"
    assert classify_topic(_page("Élections: le gouvernement perd sa majorité")) == "politics"
    assert classify_topic(_page("El hospital amplía la vacunación", "La salud mejora.")) == "health"


def test_short_stems_match_whole_words_only() -> None:
    # "war" must not make "warning" or "warm" world news; "bus" is not "business"
    assert classify_topic(_page("A warm warning", "Warmer days ahead.")) == "news"
    assert classify_topic(_page("The war goes on", "Troops crossed the border.")) == "world"


def test_unsure_pages_are_plain_news() -> None:
    assert classify_topic(_page("Something happened on Tuesday")) == "news"
    assert classify_topic(_page("", "")) == "news"
    assert "news" not in TOPICS
