"""Where a story stands in time: stale "still going on" sentences, and the later developments.

A story told over hours or days has reports that later reports supersede. A sentence of an
early report that describes a state *at the time of writing* ("A large rescue operation is
under way", "Two people remain missing", "The cause is not yet known", "so far") may no longer
be true when a report :attr:`~TimelineOptions.stale_hours` or more later exists: the page tells
the latest state, so :func:`stale_candidates` marks such sentences and the writer leaves them
out. The markers are short phrases in English, Spanish, German, French, Italian, Portuguese and
Dutch, matched on accent-folded, lower-cased text; English present progressives ("are
searching", "is burning") count too. Settled facts (numbers, past events, quotes of what was
said) are never stale.

Counts of the dead, injured and missing rise as a story develops: a sentence or title of a
report from before the latest window whose count is lower than the latest report's count of the
same kind ("kills at least 12" once a later report says 34) is *superseded*
(:func:`superseded_candidates`, :func:`superseded_titles`), so neither the summary nor the
headline repeats an old toll.

The *latest window* is every report published less than ``stale_hours`` before the story's
latest report; when the story also has earlier reports, a chosen sentence of the window that
no earlier report supports (see :mod:`.support`) is a *later development*, and the writer
gives those a section of their own ahead of the others (see :func:`later_developments`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from anyascii import anyascii

from primenews.synthesize.ranking import Candidate

__all__ = [
    "Dated",
    "TimelineOptions",
    "bears_news",
    "casualty_counts",
    "describes_ongoing_state",
    "later_developments",
    "stale_candidates",
    "superseded_candidates",
    "superseded_titles",
    "window_start",
]

# phrases, accent-folded and lower case, that say a state holds at the time of writing
_ONGOING = re.compile(
    r"\b(?:"
    # English
    r"under ?way|ongoing|continu(?:e|es|ing) to|(?:is|are) continuing|"
    r"(?<!was )(?<!were )(?<!had )(?<!stand )(?<!stood )(?<!standing )still|so far|"
    r"as yet|not yet|(?:is|are) (?:down|offline|unavailable|out of service|cut off)\b|"
    r"(?:remain|remains|remained) (?:missing|unaccounted|trapped|closed|shut|down|offline|"
    r"on board|stranded|in (?:hospital|custody|place|force)|unclear|unknown)|at (?:the|this) "
    r"(?:moment|time|stage)|at present|currently|for now|at least for now|"
    r"(?:is|are) (?:now )?(?!being\b|going\b|(?:some|no|any|every)thing\b|morning\b|evening\b)"
    r"[a-z]{2,}ing\b|"
    # Spanish and Portuguese
    r"en curso|todavia|sigue[n]? |continua[n]? |hasta (?:el momento|ahora)|por ahora|"
    r"de momento|permanece[n]? desaparecid|ainda|ate (?:o momento|agora)|em curso|"
    # German
    r"dauer[nt] (?:noch )?an|andauernd|noch immer|immer noch|weiterhin|bislang|bisher|derzeit|"
    r"zurzeit|werden (?:noch )?vermisst|"
    # French
    # "toujours" is "still" except as "always" ("comme toujours") or "forever"
    r"en cours|(?<!comme )(?<!pour )(?<!presque )toujours(?! plus\b)|se poursui(?:t|vent)|"
    r"pour l'instant|pour le moment|jusqu'a present|"
    r"actuellement|portes? disparus|"
    # Italian
    # "ancora" is "still" except as "again" ("ancora una volta") or "more" ("ancora di piu")
    r"in corso|ancora(?! una volta| di piu| piu\b)|finora|tuttora|al momento|"
    # Dutch
    r"nog steeds|nog altijd|tot nu toe|momenteel|voorlopig|worden vermist"
    r")",
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


class Dated(Protocol):
    """A sentence with the publication time of its report (a ranking candidate, an LLM's
    evidence sentence)."""

    @property
    def text(self) -> str: ...

    @property
    def published_at(self) -> datetime | None: ...


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """How much later a report must be to supersede another's "still going on" sentences."""

    stale_hours: float = 6.0
    enabled: bool = True
    lead_share: float = 0.7  # later developments lead when their best ranks this near the top


# Spanish "aún" (still) is "aun" (even) without its accent, so it is read before folding
_STILL_ACCENTED = re.compile(r"\baún\b")


def describes_ongoing_state(text: str) -> bool:
    """Whether ``text`` (outside its quotations) says a state holds at the time of writing."""
    unquoted = _QUOTED.sub(" ", text).casefold()
    folded = " ".join(anyascii(unquoted).split())
    return _ONGOING.search(folded) is not None or _STILL_ACCENTED.search(unquoted) is not None


def window_start(times: Sequence[datetime | None], stale_hours: float) -> datetime | None:
    """When the latest window opens (``stale_hours`` before the latest dated report); None
    when no report is dated."""
    dated = [t for t in times if t is not None]
    return max(dated) - timedelta(hours=stale_hours) if dated else None


def stale_candidates(candidates: Sequence[Dated], options: TimelineOptions) -> set[int]:
    """Indices of the candidates that describe an ongoing state in a report published before
    the latest window opens (undated reports are never stale)."""
    if not options.enabled:
        return set()
    opens = window_start([c.published_at for c in candidates], options.stale_hours)
    if opens is None:
        return set()
    return {
        index
        for index, candidate in enumerate(candidates)
        if candidate.published_at is not None
        and candidate.published_at <= opens
        and describes_ongoing_state(candidate.text)
    }


def later_developments(
    chosen: Sequence[int],
    candidates: Sequence[Candidate],
    supporters: Sequence[Collection[int]],
    options: TimelineOptions,
) -> list[int]:
    """The ``chosen`` candidates (in that order) from the latest window that no report before
    the window supports; ``supporters[k]`` are the article ids citing ``chosen[k]``. Empty
    when no report is dated before the window (the story has no earlier stage)."""
    if not options.enabled:
        return []
    opens = window_start([c.published_at for c in candidates], options.stale_hours)
    if opens is None:
        return []
    earlier = {
        c.article_id for c in candidates if c.published_at is not None and c.published_at <= opens
    }
    if not earlier:
        return []
    found: list[int] = []
    for index, cited in zip(chosen, supporters, strict=True):
        when = candidates[index].published_at
        if when is not None and when > opens and not earlier.intersection(cited):
            found.append(index)
    return found


# a report's news is attributed or counted; a scene-setting feature lede ("Salt Harbour woke
# to a gap where the pier used to be") is neither (en, es, pt, fr, de, it, nl; accent-folded)
_NEWS = re.compile(
    r"\d|\b(?:said|says|told|tells|announced|announces|confirmed|confirms|according to|"
    r"dijo|dijeron|afirmo|anuncio|informo|segun|disse|afirmou|anunciou|segundo|"
    r"a declare|a annonce|a indique|selon|sagte|sagten|teilte mit|kundigte an|laut|"
    r"ha detto|ha annunciato|secondo|zei|zeiden|maakte bekend|volgens)\b"
)


def bears_news(text: str) -> bool:
    """Whether a sentence reports news (a number, or who said it) rather than sets a scene:
    only such a sentence may lead a page as the story's latest development."""
    return _NEWS.search(anyascii(text).casefold()) is not None


# --- counts that later reports supersede ---------------------------------------------------

# folded words that name what a count counts, by kind (en, es, pt, fr, de, it, nl)
_COUNT_KINDS = {
    "dead": re.compile(
        r"kill\w*|dead|deaths?|died|dies|toll|victims?|bodies|fatalit\w*|muert\w*|fallecid\w*|"
        r"victimas|mortos|morts?|tues|toten?|getotet|morti|vittime|doden|omgekomen"
    ),
    "injured": re.compile(
        r"injur\w*|wounded|hurt|herid\w*|ferid\w*|blesses|verletzt\w*|feriti|gewond\w*"
    ),
    "missing": re.compile(r"missing|desaparecid\w*|disparus|vermisst\w*|dispersi|vermist"),
}
_TOKEN = re.compile(r"[a-z]+|\d[\d,.:]*")
_COUNT = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
_COUNT_REACH = 5  # words between a count and what it counts
# the words before a count that a count rose to (en, es, pt, fr, de, it, nl)
_RISE = re.compile(
    r"(?:\w+ )?(?:rose|rises|risen|climbed|climbs|jumped|increased|reached|reaches|stands|stood|"
    r"ascendio|asciende|subiu|sobe|atteint|passe|stieg|steigt|salito|sale|gestegen|stijgt)"
    r"(?: to| at| a| auf| op)?$|(?:rose|rises|risen|climbed|increased) to$"
)


def casualty_counts(text: str) -> dict[str, int]:
    """The highest count of each kind (see :func:`_read_counts`, memoised: a page's writer
    and its headline both read every candidate sentence)."""
    return dict(_read_counts(text))


@functools.lru_cache(maxsize=4096)
def _read_counts(text: str) -> tuple[tuple[str, int], ...]:
    """The highest count of each kind (dead, injured, missing) that ``text`` gives: for each
    word naming a kind, the nearest whole number within a few words (the one before it on a
    tie: "412 people were injured and about 2,600 ...") that no other such word is nearer to
    ("8 muertos y 25 heridos": 25 is the injured's)."""
    tokens = _TOKEN.findall(anyascii(_QUOTED.sub(" ", text)).casefold())
    numbers = [(i, _count(t)) for i, t in enumerate(tokens)]
    counts = [(i, n) for i, n in numbers if n is not None]
    kinds = [
        next((k for k, words in _COUNT_KINDS.items() if words.fullmatch(token)), None)
        for token in tokens
    ]
    named = [i for i, kind in enumerate(kinds) if kind is not None]
    found: dict[str, int] = {}
    for position in named:
        # the nearest count (the one before on a tie) that no other kind word is nearer to
        for distance, _after, at, value in sorted(
            (abs(i - position), i > position, i, n) for i, n in counts
        ):
            if distance > _COUNT_REACH:
                break
            if min(named, key=lambda k: (abs(k - at), k > at)) == position:
                kind = kinds[position]
                assert kind is not None
                found[kind] = max(found.get(kind, 0), value)
                break
    for i, value in counts:  # "the toll from Monday's quake rose to 31": any distance back
        if _RISE.match(" ".join(tokens[max(0, i - 2) : i])):
            kind = next((k for k in reversed(kinds[:i]) if k is not None), None)
            if kind is not None:
                found[kind] = max(found.get(kind, 0), value)
    return tuple(found.items())


def _count(token: str) -> int | None:
    """The whole number a token writes, or None (decimals, times, years are not counts)."""
    token = token.rstrip(",.:")
    if not _COUNT.fullmatch(token):
        return None
    value = int(token.replace(",", ""))
    return None if 1900 <= value <= 2100 and "," not in token else value


def _latest_counts(texts: Sequence[tuple[str, datetime | None]]) -> dict[str, tuple[datetime, int]]:
    """Per kind, the time and the highest count of the latest dated text giving one."""
    latest: dict[str, tuple[datetime, int]] = {}
    for text, when in texts:
        if when is None:
            continue
        for kind, value in _read_counts(text):
            seen = latest.get(kind)
            if seen is None or when > seen[0] or (when == seen[0] and value > seen[1]):
                latest[kind] = (when, value)
    return latest


def _superseded(
    text: str,
    when: datetime | None,
    latest: dict[str, tuple[datetime, int]],
    options: TimelineOptions,
) -> bool:
    if when is None:
        return False
    for kind, value in _read_counts(text):
        newest = latest.get(kind)
        if (
            newest is not None
            and value < newest[1]
            and newest[0] - when >= timedelta(hours=options.stale_hours)
        ):
            return True
    return False


def superseded_candidates(
    candidates: Sequence[Dated],
    titles: Sequence[tuple[str, datetime | None]],
    options: TimelineOptions,
) -> set[int]:
    """Indices of the candidates giving a count that a report ``stale_hours`` or more later
    raised (see the module); ``titles`` (with their reports' times) count as reports too."""
    if not options.enabled:
        return set()
    latest = _latest_counts([*((c.text, c.published_at) for c in candidates), *titles])
    return {
        index
        for index, candidate in enumerate(candidates)
        if _superseded(candidate.text, candidate.published_at, latest, options)
    }


def superseded_titles(
    titles: Sequence[tuple[str, datetime | None]],
    candidates: Sequence[Dated],
    options: TimelineOptions,
) -> set[int]:
    """Indices of the ``titles`` that later reports superseded: a count they raised, or a
    state of the time of writing ("region is down") told before the latest window."""
    if not options.enabled:
        return set()
    latest = _latest_counts([*((c.text, c.published_at) for c in candidates), *titles])
    opens = window_start(
        [*(c.published_at for c in candidates), *(when for _title, when in titles)],
        options.stale_hours,
    )
    return {
        index
        for index, (title, when) in enumerate(titles)
        if _superseded(title, when, latest, options)
        or (
            opens is not None
            and when is not None
            and when <= opens
            and describes_ongoing_state(title)
        )
    }
