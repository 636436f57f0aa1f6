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


def test_earthquakes_are_disasters_in_every_language_and_form() -> None:
    headlines = [
        "Earthquakes rattle the Dravo coast",
        "Quake tears away the old pier at Vell harbour",
        "Terremoto de magnitud 6,1 sacude la costa de Dravo",
        "Sismo sacude el valle de Orsa",
        "Erdbeben der Stärke 5,8 erschüttert das Orsatal",
        "Séisme de magnitude 5,8 dans la vallée d'Orsa",
        "Forte terremoto nella valle di Orsa",
    ]
    for headline in headlines:
        assert classify_topic(_page(headline)) == "disasters", headline


def test_the_headline_outweighs_consequences_told_in_the_body() -> None:
    # two fictional quake stories whose bodies talk about closed roads, bridges and ferries:
    # the headline says what they are about, so both are disasters (the review found one
    # filed under "News" after a tie with transport, the other under "Disasters")
    highlands = _page(
        "Earthquake of magnitude 6.2 kills nine in the Orsa highlands",
        "The quake struck before dawn, provincial officials said.",
        "The main road and two bridges were closed; the rail line to Orsa stays shut.",
        "Buses replaced trains and the airport was used for relief flights.",
        "The ferry to the islands was halted while the port was inspected.",
    )
    harbour = _page(
        "Vell harbour mourns two as quake tears away the old pier",
        "The pier where the ferry moored collapsed into the bay.",
        "Traffic on the coast road was stopped; the harbour stays closed to boats.",
    )
    assert classify_topic(highlands) == classify_topic(harbour) == "disasters"


def test_ties_go_to_the_topic_the_headline_names() -> None:
    # one transport word and one disaster word in the body, a tie; the headline decides
    page = _page("Rescue teams reach Vell", "The bridge held.", "An aftershock followed.")
    assert classify_topic(page) == "disasters"
    # no headline word either way: unsure, plain news
    assert classify_topic(_page("Tuesday in Vell", "The bridge held.", "A tremor followed.")) == (
        "news"
    )


def test_electricity_is_not_an_election() -> None:
    page = _page("Electric buses for Vell", "The electricity grid was upgraded.")
    assert classify_topic(page) == "transport"
