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

The *latest window* is every report published less than ``stale_hours`` before the story's
latest report; when the story also has earlier reports, a chosen sentence of the window that
no earlier report supports (see :mod:`.support`) is a *later development*, and the writer
gives those a section of their own ahead of the others (see :func:`later_developments`).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from anyascii import anyascii

from primenews.synthesize.ranking import Candidate

__all__ = [
    "TimelineOptions",
    "describes_ongoing_state",
    "later_developments",
    "stale_candidates",
    "window_start",
]

# phrases, accent-folded and lower case, that say a state holds at the time of writing
_ONGOING = re.compile(
    r"\b(?:"
    # English
    r"under ?way|ongoing|continu(?:e|es|ing) to|(?:is|are) continuing|"
    r"(?<!was )(?<!were )(?<!had )(?<!stand )(?<!stood )(?<!standing )still|so far|"
    r"as yet|not yet|(?:remain|remains|remained) (?:missing|unaccounted|trapped|closed|shut|"
    r"on board|stranded|in (?:hospital|custody|place|force)|unclear|unknown)|at (?:the|this) "
    r"(?:moment|time|stage)|at present|currently|for now|at least for now|"
    r"(?:is|are) (?:now )?(?!being\b|going\b|(?:some|no|any|every)thing\b|morning\b|evening\b)"
    r"[a-z]{2,}ing\b|"
    # Spanish and Portuguese
    r"en curso|todavia|aun|sigue[n]? |continua[n]? |hasta (?:el momento|ahora)|por ahora|"
    r"de momento|permanece[n]? desaparecid|ainda|ate (?:o momento|agora)|em curso|"
    # German
    r"dauer[nt] (?:noch )?an|andauernd|noch immer|immer noch|weiterhin|bislang|bisher|derzeit|"
    r"zurzeit|werden (?:noch )?vermisst|"
    # French
    r"en cours|toujours|se poursui(?:t|vent)|pour l'instant|pour le moment|jusqu'a present|"
    r"actuellement|portes? disparus|"
    # Italian
    r"in corso|ancora|finora|tuttora|al momento|"
    # Dutch
    r"nog steeds|nog altijd|tot nu toe|momenteel|voorlopig|worden vermist"
    r")",
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»")


@dataclass(frozen=True, slots=True)
class TimelineOptions:
    """How much later a report must be to supersede another's "still going on" sentences."""

    stale_hours: float = 6.0
    enabled: bool = True


def describes_ongoing_state(text: str) -> bool:
    """Whether ``text`` (outside its quotations) says a state holds at the time of writing."""
    folded = " ".join(anyascii(_QUOTED.sub(" ", text)).casefold().split())
    return _ONGOING.search(folded) is not None


def window_start(times: Sequence[datetime | None], stale_hours: float) -> datetime | None:
    """When the latest window opens (``stale_hours`` before the latest dated report); None
    when no report is dated."""
    dated = [t for t in times if t is not None]
    return max(dated) - timedelta(hours=stale_hours) if dated else None


def stale_candidates(candidates: Sequence[Candidate], options: TimelineOptions) -> set[int]:
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
