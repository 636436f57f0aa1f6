"""The topic of a story page, for the website's sections: a small multilingual keyword lexicon.

Each topic has word stems in English, German, French, Spanish, Italian, Portuguese and Dutch.
A word of the page counts for a topic when it starts with one of the topic's stems of five
letters or more, or is one of its shorter stems (plural ``s`` allowed: "war" must not match
"warning"); accents are folded and case ignored; headline words count double. The topic with
the most hits wins when it has at least :data:`MIN_HITS` and beats the runner-up; otherwise
the page is plain ``news``.
Model-free and deterministic, so a page keeps its topic until its text changes.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from primenews.models import StoryPage

__all__ = ["MIN_HITS", "TOPICS", "classify_topic"]

MIN_HITS = 2
_PREFIX_MIN = 5  # shorter stems match whole words only
_WORD = re.compile(r"\w+", re.UNICODE)

# stems per topic, space-separated (English, German, French, Spanish, Italian, Portuguese, Dutch)
_LEXICON = {
    "disasters": (
        "earthquake quake tremor aftershock tsunami eruption rescue rescued evacuat collapse "
        "aground erdbeben seisme terremoto sismo aardbeving"
    ),
    "politics": (
        "election elect vote voter parliament minister government senat congress president "
        "party coalition campaign referend mayor council wahl regierung bundestag partei "
        "kanzler gouvernement ministre parlement elecci gobierno partido diputad elezion "
        "governo eleica regering verkiezing"
    ),
    "business": (
        "compan market share stock profit revenue bank econom inflation merger acquisit "
        "investor price trade tariff export factory unterneh wirtschaft aktie entreprise marche "
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
        "health hospital patient doctor disease vaccin virus medic nurse cancer outbreak clinic "
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
        "war troops embassy diplomat sanction refugee border treaty nato ceasefire invasion "
        "krieg botschaft fluchtling guerre ambassade refugie guerra embajada refugiad oorlog"
    ),
    "transport": (
        "ferry bridge train rail airport airline flight bus traffic road motorway port harbour "
        "harbor commuter bahn zug fahre brucke flughafen ferroviai traghett transbord puente "
        "aeropuerto veerboot trein"
    ),
}
TOPICS: dict[str, tuple[str, ...]] = {t: tuple(w.split()) for t, w in _LEXICON.items()}


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _stems() -> dict[str, tuple[str, ...]]:
    return {topic: tuple(_fold(s) for s in stems) for topic, stems in TOPICS.items()}


_FOLDED = _stems()


def _matches(word: str, stem: str) -> bool:
    if len(stem) < _PREFIX_MIN:
        return word in (stem, stem + "s")
    return word.startswith(stem)


def _hits(words: list[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for word in words:
        for topic, stems in _FOLDED.items():
            if any(_matches(word, stem) for stem in stems):
                counts[topic] += 1
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
    headline, body = _page_words(page)
    counts = _hits(body)
    for topic, n in _hits(headline).items():
        counts[topic] += 2 * n
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_HITS:
        return "news"
    if len(ranked) > 1 and ranked[1][1] == ranked[0][1]:
        return "news"
    return ranked[0][0]
