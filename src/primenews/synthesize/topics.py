"""The topic of a story page, for the website's sections: a small multilingual keyword lexicon.

Each topic has word stems in English, German, French, Spanish, Italian, Portuguese and Dutch.
A word of the page counts for a topic when it starts with one of the topic's stems of five
letters or more ("quake" counts "quakes", "terremoto" counts "terremotos"), or is one of its
shorter stems, alone or with a plural ``s``/``es`` ("war" must not match "warning"); accents
are folded and case ignored. Stems marked ``!`` name the kind of event itself ("earthquake",
"election", "war") and count :data:`EVENT_WEIGHT` times, so they outweigh the places and
consequences around them ("harbour", "road"). Headline words count :data:`HEADLINE_WEIGHT`
times, because the headline says what the story is about while the body also tells its
consequences (a quake closes roads and bridges; that does not make it a transport story).
The topic with the most weight wins when it has at least :data:`MIN_HITS`; a tie goes to the
topic the headline names more often, and a tie there too is plain ``news``.
Model-free and deterministic, so a page keeps its topic until its text changes, and two
stories on one kind of event get the same topic.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from primenews.models import StoryPage

__all__ = ["EVENT_WEIGHT", "HEADLINE_WEIGHT", "MIN_HITS", "TOPICS", "classify_topic"]

MIN_HITS = 2
HEADLINE_WEIGHT = 3
EVENT_WEIGHT = 3
_PREFIX_MIN = 5  # shorter stems match whole words only
_WORD = re.compile(r"\w+", re.UNICODE)

# stems per topic, space-separated (English, German, French, Spanish, Italian, Portuguese, Dutch)
_LEXICON = {
    "disasters": (
        "!earthquake !quake tremor aftershock !tsunami !eruption volcan magnitude epicent "
        "richter !landslide !mudslide !avalanche !hurricane !typhoon !cyclone !tornado rubble "
        "casualt survivor rescue evacuat collapse aground !shipwreck derail !erdbeben beben "
        "!erdrutsch !seisme tremblement sinistre !terremoto !sismo sismic !sisma !terramoto "
        "!aardbeving"
    ),
    "politics": (
        "!election elector vote voter parliament minister government senat congress president "
        "party coalition campaign !referend mayor council !wahl regierung bundestag partei "
        "kanzler gouvernement ministre parlement !elecci gobierno partido diputad !elezion "
        "governo !eleica regering !verkiezing"
    ),
    "business": (
        "compan market share stock profit revenue bank econom inflation merger acquisit "
        "investor price trade tariff export factory worker union wage industr employ "
        "unterneh wirtschaft aktie entreprise marche "
        "bourse empresa mercado economi azienda mercato bedrijf economie"
    ),
    "science": (
        "scien research study astronom physic telescop space nasa species fossil laborator "
        "experiment forschung wissenschaft recherche investigaci ciencia ricerca scienz "
        "onderzoek"
    ),
    "technology": (
        "software technolog digital internet comput smartphone cloud outage server database "
        "datacent cyber hacker artificial algorithm robot chip semiconduct startup data technik "
        "numerique tecnolog informatic"
    ),
    "health": (
        "health hospital patient doctor disease vaccin virus medic nurse cancer !outbreak clinic "
        "!epidemi !pandemi "
        "gesundheit krankenhaus arzt sante hopital salud medico salute ospedal saude ziekenhuis"
    ),
    "sport": (
        "match football soccer tennis olymp championship tournament league goal coach player "
        "stadium cup race fussball spiel sportif futbol partido calcio campionat voetbal "
        "wedstrijd"
    ),
    "culture": (
        "film cinema music concert festival museum exhibit theatre theater book novel artist "
        "album library kultur musik ausstell musee exposition cultur museo musica mostra "
        "tentoonstell"
    ),
    "climate": (
        "climat emission carbon warming flood drought wildfire heatwave storm hail renewabl "
        "solar wind glacier klima hochwasser durre inondat secheress inundaci sequia alluvion "
        "siccita overstroming droogte"
    ),
    "world": (
        "!war troops embassy diplomat sanction refugee border treaty nato !ceasefire !invasion "
        "!krieg botschaft fluchtling !guerre ambassade refugie !guerra embajada refugiad !oorlog"
    ),
    "transport": (
        "ferry bridge train rail airport airline flight bus traffic road motorway port harbour "
        "harbor commuter bahn zug fahre brucke flughafen ferroviai traghett transbord puente "
        "aeropuerto veerboot trein"
    ),
}
TOPICS: dict[str, tuple[str, ...]] = {
    t: tuple(w.lstrip("!") for w in words.split()) for t, words in _LEXICON.items()
}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stems() -> dict[str, tuple[tuple[str, int], ...]]:
    """topic -> (folded stem, weight) pairs; ``!`` stems weigh :data:`EVENT_WEIGHT`."""
    return {
        topic: tuple(
            (_fold(w.lstrip("!")), EVENT_WEIGHT if w.startswith("!") else 1) for w in words.split()
        )
        for topic, words in _LEXICON.items()
    }


_FOLDED = _stems()


def _matches(word: str, stem: str) -> bool:
    if len(stem) < _PREFIX_MIN:
        return word in (stem, stem + "s", stem + "es")
    return word.startswith(stem)


def _hits(words: list[str]) -> Counter[str]:
    """topic -> weight of the words that count for it (each word for one topic at most)."""
    counts: Counter[str] = Counter()
    for word in words:
        for topic, stems in _FOLDED.items():
            weight = next((w for stem, w in stems if _matches(word, stem)), 0)
            if weight:
                counts[topic] += weight
                break
    return counts


def _page_words(page: StoryPage) -> tuple[list[str], list[str]]:
    """The folded words of the headline, and those of the rest of the page."""
    body = [page.summary.text]
    for section in page.sections:
        body.append(section.heading)
        body.extend(s.text for s in section.sentences)
    return (
        _WORD.findall(_fold(page.headline)),
        _WORD.findall(_fold(" ".join(body))),
    )


def classify_topic(page: StoryPage) -> str:
    """The page's topic (a key of :data:`TOPICS`), or ``news`` when no topic clearly wins."""
    headline_words, body_words = _page_words(page)
    headline = _hits(headline_words)
    weight = _hits(body_words)
    for topic, n in headline.items():
        weight[topic] += HEADLINE_WEIGHT * n
    ranked = sorted(weight, key=lambda t: (weight[t], headline[t]), reverse=True)
    if not ranked or weight[ranked[0]] < MIN_HITS:
        return "news"
    best = ranked[0]
    if len(ranked) > 1:
        runner_up = ranked[1]
        if (weight[runner_up], headline[runner_up]) == (weight[best], headline[best]):
            return "news"
    return best
