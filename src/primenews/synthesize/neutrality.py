"""Loaded words: the judgement and attack vocabulary a neutral page avoids in its own voice.

Outlets of every slant put verdicts into their headlines and leads ("Bloomberg obliterates
Sanders", "Trump continues to slam spineless McConnell"); an editor writing a neutral summary
says what happened instead ("Bloomberg criticises Sanders"). The writer counts such words in a
title or a sentence, outside quotation marks (someone's quoted words are reported, not
endorsed), and prefers the alternatives that carry none. The list is English and deliberately
short: words that describe as well as judge are not on it ("radical", "extremist", "brutal"),
nor verbs that news also uses literally ("blasts", "destroys", "rips", "torches", "crushes"),
nor the outrage or fury a report says others feel.
"""

from __future__ import annotations

import re

from primenews.synthesize.openers import outside_quotes

__all__ = ["loaded_words"]

_LOADED = re.compile(
    r"\b(?:slams?|slammed|obliterates?|obliterated|eviscerates?|eviscerated|trashes|trashed"
    r"|lashes out|mocks|mocked|humiliates?|humiliated|savages|skewers|bashes|bashed|spineless"
    r"|baffling|disgraceful|outrageous|shameful|shameless|pathetic|insane|crazy|hysterical"
    r"|unhinged|ridiculous|absurd|disastrous|bombshell|epic|horrifying|evil|hoax|sham"
    r"|witch hunt|so-called|meltdown|freaks? out|stunning|shocking|jaw-dropping|scathing"
    r"|furious|rants?|ranting|tirade|smears?|disgraced|cabal)\b",
    re.IGNORECASE,
)


def loaded_words(text: str) -> int:
    """How many loaded words ``text`` uses outside quotation marks."""
    return len(_LOADED.findall(outside_quotes(text)))
