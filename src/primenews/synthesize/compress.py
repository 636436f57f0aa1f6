"""Sentence compression by deletion: say a report sentence's facts in fewer words.

The "compressive" half of the extractive writer. A page sentence has a word budget to share
with the others, so asides that add colour but no new fact are cut out of it:

=====================  =========================================================================
``parenthetical``      "(R-Texas)", "(pictured)": a bracketed aside inside the sentence
``dash_aside``         "— often called 'passports' —": an aside between two dashes
``relative_clause``    ", who has called for ... ,": a non-restrictive who/which clause
``lead_phrase``        "Meanwhile,", "In a statement on Tuesday,", "After the vote,": a leading
                       phrase before the subject (never "According to ...": attribution stays)
=====================  =========================================================================

Rules only delete (then mend spacing, commas and the first letter's case), never touch words
inside quotation marks (a quote stays verbatim), never delete a reporting clause ("X said",
"according to X": the page keeps who claims what), and a result is kept only when it is still a
whole sentence to the publish gate (:func:`~.gate_rules.truncation`) with at least
``min_words`` words that does not newly open on a pronoun ("After Ann Poe resigned, she …").
The compressed text stays a near sub-span of its source sentence, so the citation keeps the
source's offsets and the grounding check (every name and number of the sentence in the cited
text) holds by construction.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from primenews.synthesize.gate_rules import truncation
from primenews.synthesize.openers import has_dangling_opener

__all__ = [
    "RULES",
    "CompressOptions",
    "compress_sentence",
    "drop_dash_aside",
    "drop_lead_phrase",
    "drop_parenthetical",
    "drop_relative_clause",
]

_PARENTHETICAL = re.compile(r"\s*\([^()]{1,80}\)(?=[\s,.;:!?])")
_DASH_ASIDE = re.compile(r"\s+(?:—|–|--)\s+[^—–]{3,160}?\s+(?:—|–|--)\s+")
_RELATIVE = re.compile(r",\s+(?:who|which|whose)\s[^,;:()\"“”]{3,160},\s+")
_LEAD_WORDS = (
    r"meanwhile|separately|additionally|in addition|in a (?:new |separate |joint |written )?"
    r"(?:statement|interview|speech|tweet|post|letter|report|press release)[^,]{0,60}|"
    r"in (?:a|an|the) [^,]{3,60}|after [^,]{3,60}|following [^,]{3,60}|amid [^,]{3,60}"
)
_LEAD_PHRASE = re.compile(rf"^(?:{_LEAD_WORDS}),\s+(?=\S)", re.IGNORECASE)
_REPORTING = re.compile(
    r"\b(?:said|says|say|told|tells|according|stated|announced|claimed|added|wrote|reported|"
    r"noted|argued|warned|insisted|explained|testified|tweeted|confirmed|denied)\b",
    re.IGNORECASE,
)
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|«[^»]*»|‘[^’]*’(?!\w)")
_SPACES = re.compile(r"\s{2,}")
_SPACE_BEFORE_MARK = re.compile(r"\s+([,.;:!?])")


@dataclass(frozen=True, slots=True)
class CompressOptions:
    """Which rules run (by name, in order) and the least words a result may keep."""

    rules: tuple[str, ...] = ("parenthetical", "dash_aside", "relative_clause", "lead_phrase")
    min_words: int = 6


def compress_sentence(text: str, options: CompressOptions | None = None) -> str:
    """``text`` with its asides deleted (see the module); unchanged when nothing can go."""
    options = options or CompressOptions()
    for name in options.rules:
        shorter = RULES[name](text)
        if shorter != text and _whole(shorter, text, options.min_words):
            text = shorter
    return text


def _whole(shorter: str, text: str, min_words: int) -> bool:
    """Whether ``shorter`` still reads as a whole sentence of at least ``min_words`` words
    that stands alone as well as ``text`` did (no pronoun bared by the cut)."""
    if len(shorter.split()) < min_words or truncation(shorter) is not None:
        return False
    return has_dangling_opener(text) or not has_dangling_opener(shorter)


def drop_parenthetical(text: str) -> str:
    """``text`` without bracketed asides inside it ("Sen. Ann Poe (D-Ore.) said" -> "Sen. Ann
    Poe said"); a sentence that opens with a bracket keeps it."""
    return _delete(text, _PARENTHETICAL, keep_reporting=False)


def drop_dash_aside(text: str) -> str:
    """``text`` without an aside set off by a pair of dashes."""
    return _delete(text, _DASH_ASIDE, keep_reporting=True, replacement=" ")


def drop_relative_clause(text: str) -> str:
    """``text`` without a non-restrictive relative clause between commas (", who …,")."""
    return _delete(text, _RELATIVE, keep_reporting=True, replacement=" ")


def drop_lead_phrase(text: str) -> str:
    """``text`` without a leading discourse or circumstance phrase before its subject, the
    next word capitalised ("Meanwhile, the council voted" -> "The council voted")."""
    match = _LEAD_PHRASE.match(text)
    if match is None or _REPORTING.search(match.group()) or _overlaps_quote(text, match.span()):
        return text
    rest = text[match.end() :]
    return rest[:1].upper() + rest[1:]


def _delete(
    text: str, pattern: re.Pattern[str], *, keep_reporting: bool, replacement: str = ""
) -> str:
    """``text`` with each match of ``pattern`` replaced, except matches that overlap a
    quotation or (with ``keep_reporting``) carry a reporting verb; spacing mended."""
    quotes = _quote_spans(text)
    pieces: list[str] = []
    last = 0
    for match in pattern.finditer(text):
        if match.start() == 0 or _overlaps(match.span(), quotes):
            continue
        if keep_reporting and _REPORTING.search(match.group()):
            continue
        pieces.append(text[last : match.start()] + replacement)
        last = match.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return _mend("".join(pieces))


def _quote_spans(text: str) -> list[tuple[int, int]]:
    return [match.span() for match in _QUOTED.finditer(text)]


def _overlaps(span: tuple[int, int], others: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in others)


def _overlaps_quote(text: str, span: tuple[int, int]) -> bool:
    return _overlaps(span, _quote_spans(text))


def _mend(text: str) -> str:
    """Single spaces, no space before punctuation, no doubled commas."""
    text = _SPACE_BEFORE_MARK.sub(r"\1", _SPACES.sub(" ", text))
    return text.replace(",,", ",").strip()


RULES: dict[str, Callable[[str], str]] = {
    "parenthetical": drop_parenthetical,
    "dash_aside": drop_dash_aside,
    "relative_clause": drop_relative_clause,
    "lead_phrase": drop_lead_phrase,
}
