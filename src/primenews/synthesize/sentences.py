"""Sentences with their character offsets, for any language written with Latin, Greek or
Cyrillic letters, or in Hebrew, Arabic or an Indic script (and the CJK full stop).

``split_sentences(text)`` returns :class:`Span` objects such that
``text[span.start:span.end] == span.text``: a page sentence's citation is an article id and
such a span. Rule-based, no model: a sentence ends at ``.``, ``!``, ``?``, ``…``, ``؟`` or
``।`` (with any closing quotes or brackets) followed by white space and an upper-case letter
(any letter in a script without case), a digit, an opening quote or bracket — unless the word
before the full stop is a known abbreviation ("Mr.", "Gen.", "U.S."), a single initial ("J."),
or a number's decimal point. A paragraph break always ends a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Span", "split_sentences"]

# lower-cased, without the final full stop
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")  # zero-width characters
_BULLET = re.compile(r"[•·▪●◦‣∙]\s+")  # a list item's bullet before its text
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sr",
        "jr",
        "st",
        "mt",
        "ft",
        "gen",
        "lt",
        "col",
        "maj",
        "capt",
        "cmdr",
        "adm",
        "sgt",
        "cpl",
        "pvt",
        "gov",
        "rep",
        "sen",
        "pres",
        "supt",
        "insp",
        "det",
        "rev",
        "fr",
        "hon",
        "messrs",
        "mme",
        "mlle",
        "sra",
        "sr",
        "srta",
        "dña",
        "dn",
        "hr",
        "fr",
        "frl",
        "inc",
        "ltd",
        "corp",
        "co",
        "dept",
        "govt",
        "mrd",
        "mio",
        "bzw",
        "vgl",
        "assn",
        "univ",
        "bros",
        "plc",
        "llc",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "no",
        "nos",
        "vol",
        "vols",
        "pp",
        "p",
        "fig",
        "figs",
        "art",
        "sec",
        "ch",
        "para",
        "approx",
        "est",
        "ca",
        "cf",
        "vs",
        "etc",
        "al",
        "ie",
        "eg",
        "u.s",
        "u.k",
        "u.n",
        "e.u",
        "u.s.a",
        "d.c",
        "a.m",
        "p.m",
        "ph.d",
        "ave",
        "blvd",
        "rd",
        "hwy",
        "dott",
        "sig",
        "ing",
        "avv",
    ]
)

_END = re.compile(
    r"""
    (?P<stop>[.!?…。！？؟।]+)        # the end mark(s)
    (?P<close>['"’”»)\]]*)           # closing quotes / brackets that belong to this sentence
    (?P<space>\s+)                   # white space before the next sentence
    (?=(?:[•·▪●◦‣∙]\s+)?[\"'“‘«(\[¿¡]?[0-9A-ZÀ-ÖØ-ÞĀ-ſΆ-ΫА-ЯЁ\u0590-\u06ff\u0750-\u077f\u0900-\u0dff])
    # next: a capital or a digit, or any letter of a script without case (Hebrew, Arabic,
    # the Indic scripts), maybe after a quote or a list bullet
    """,
    re.VERBOSE,
)
_PARAGRAPH = re.compile(r"\n\s*\n|\n(?=\s*[-•*–]\s)")
_WORD_BEFORE = re.compile(r"([\w.]+)$")


@dataclass(frozen=True, slots=True)
class Span:
    """``text[start:end]`` of the text it was split from."""

    start: int
    end: int
    text: str


def split_sentences(text: str) -> list[Span]:
    """Split ``text`` into sentences, keeping offsets into ``text``."""
    spans: list[Span] = []
    for block_start, block_end in _blocks(text):
        spans.extend(_split_block(text, block_start, block_end))
    return spans


def _blocks(text: str) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    start = 0
    for match in _PARAGRAPH.finditer(text):
        blocks.append((start, match.start()))
        start = match.end()
    blocks.append((start, len(text)))
    return blocks


def _split_block(text: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    sentence_start = start
    for match in _END.finditer(text, start, end):
        if match.group("stop") == "." and _is_abbreviation(text, sentence_start, match.start()):
            continue
        cut = match.end("close")
        span = _trimmed(text, sentence_start, cut)
        if span is not None:
            spans.append(span)
        sentence_start = match.end()
    span = _trimmed(text, sentence_start, end)
    if span is not None:
        spans.append(span)
    return spans


def _is_abbreviation(text: str, sentence_start: int, stop: int) -> bool:
    """Whether the full stop at ``stop`` closes an abbreviation or an initial, not a sentence."""
    match = _WORD_BEFORE.search(text, sentence_start, stop)
    if match is None:
        return False
    word = match.group(1).lower().strip(".")
    if not word:
        return False
    if word in _ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "John F. Kennedy"
    return "." in word and all(len(part) <= 2 for part in word.split("."))  # "U.S", "e.g"


def _trimmed(text: str, start: int, end: int) -> Span | None:
    """The span without the white space, zero-width characters and list bullet around it
    (offsets move, the text is never rewritten)."""
    while start < end and (text[start].isspace() or text[start] in _INVISIBLE):
        start += 1
    bullet = _BULLET.match(text, start, end)
    if bullet:
        start = bullet.end()
    while end > start and (text[end - 1].isspace() or text[end - 1] in _INVISIBLE):
        end -= 1
    if start >= end:
        return None
    return Span(start, end, text[start:end])
