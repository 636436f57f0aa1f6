"""The grounding check: is a page sentence supported by the source sentences it cites?

An independent, model-free check, used by the publish gate on every backend's output and by
the grounding benchmark. Three tests, all on folded text (transliterated to ASCII with
``anyascii`` and case-folded, so it works for any language written in any script):

- **numbers**: every number in the sentence must be in the evidence. ``1,200``, ``1.200`` and
  ``1200`` are one number, ``1.2 million`` is ``1200000``, ``3,5 %`` and ``3.5 per cent`` are
  ``3.5%``. An invented figure is the most damaging error a news page can make.
- **names**: every capitalised word that does not start the sentence (a person, place,
  organisation, weekday or month) must be in the evidence; ``Russian`` is found in ``Russia``
  and ``Trump's`` in ``Trump``.
- **content words**: the share of the sentence's content words (function words of the
  common European languages and attribution verbs such as "said" or "told" left out) whose
  light stem is in the evidence must reach :data:`SUPPORT_THRESHOLD`.

A verbatim or trimmed evidence sentence always passes: its words, names and numbers are all
in the evidence by construction.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from anyascii import anyascii

__all__ = ["SUPPORT_THRESHOLD", "Support", "check_support", "names_in", "numbers_in"]

# A sentence is lexically supported when at least this share of its content words is found in
# the evidence. Extractive sentences score 1.0 and trimmed ones too; a faithful paraphrase keeps
# the names, numbers and most nouns and verbs of its source (0.7-0.9 in our tests), while a
# sentence that brings in a new claim around borrowed names falls below 0.6. Below 0.5 more
# than half of what a sentence says would be the writer's own, which a news page must not be.
SUPPORT_THRESHOLD = 0.6
STEM_CHARS = 7  # a crude, language-blind stem: "congratulated"/"congratulations" -> "congrat"

_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9]*")  # on anyascii text: "Trump's" -> "Trump", "s"
_NUMBER = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+(?!\d)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?:st|nd|rd|th)?"
    r"(\s?(?:%|per ?cent\b|percent\b|prozent\b|por ciento\b|pour ?cent\b|per cento\b|procent\b))?"
    r"(?:\s?("
    + "|".join(
        [
            "thousand",
            "million",
            "billion",
            "trillion",
            "mln",
            "bn",
            "m",
            "k",
            "mil",
            "millones?",
            "milliones?",
            "mille",
            "milioni",
            "miliardi",
            "miliardo",
            "milione",
            "millions?",
            "milliards?",
            "tausend",
            "millionen",
            "milliarden",
            "mrd",
            "mio",
            "miljoen",
            "miljard",
        ]
    )
    + r")\b)?",
    re.IGNORECASE,
)
_SCALES = {
    "thousand": 1e3, "k": 1e3, "mil": 1e3, "mille": 1e3, "tausend": 1e3,
    "million": 1e6, "mln": 1e6, "m": 1e6, "millon": 1e6, "millones": 1e6, "milione": 1e6,
    "milioni": 1e6, "millions": 1e6, "millionen": 1e6, "mio": 1e6, "miljoen": 1e6,
    "billion": 1e9, "bn": 1e9, "miliardo": 1e9, "miliardi": 1e9, "milliard": 1e9,
    "milliards": 1e9, "milliarden": 1e9, "mrd": 1e9, "miljard": 1e9,
    "trillion": 1e12,
}  # fmt: skip
_GROUPED = re.compile(r"^\d{1,3}(?:[ .,\u00a0\u202f]\d{3})+$")

# Function words of the languages we meet most, folded to ASCII; never counted as content.
FUNCTION_WORDS = frozenset(
    """
    a an and are as at be been being but by can could did do does for from had has have he her
    hers him his i if in into is it its me my of on or our ours she so than that the their them
    then there these they this those to too us was we were what when where which while who whom
    whose why will with would you your yours also just very about after before over under up
    out off than more most such some any each other another both all only own same am s t
    der die das den dem des ein eine einer eines einem einen und oder aber nach vor mit von zu
    zum zur im am ist sind war waren wird wurde werden hat haben hatte bei auf aus fur uber
    unter sich sie er es wir ihr als wie wenn dass noch nur schon seit bis gegen um durch
    el la los las un una unos unas y o pero de del al en con por para sobre tras desde es son
    fue ha han se su sus que como mas este esta estos estas ese esa lo le les
    une des et ou mais du au aux dans avec par pour sur apres avant est sont ont sa son ses
    qui ce cette ces il elle ils elles nous vous leur leurs
    lo gli di da tra fra della dei delle nel nella alla che piu questo questa sono hanno si
    het een van op voor na bij aan uit door zijn werd wordt heeft hebben dat deze dit ook
    """.split()  # noqa: SIM905
)
# Attribution verbs: who said it is checked as a name; "said" itself is never unsupported.
ATTRIBUTION_WORDS = frozenset(
    """
    say says said saying tell tells told telling add adds added according accordingly state
    states stated note notes noted explain explains explained report reports reported
    comment comments commented remark remarks remarked write writes wrote claim claims
    claimed insist insists insisted quote quoted reportedly
    dijo dice afirmo senalo segun declaro explico anadio
    detto dice ha afferma affermato secondo spiegato aggiunto dichiarato
    dit declare selon explique ajoute affirme
    sagte sagt laut erklarte betonte sagten
    zei zegt volgens verklaarde
    """.split()  # noqa: SIM905
)
# Capitalised titles a writer adds before a name; counted as content words, not as names.
_TITLES = frozenset(
    """
    president minister prime secretary general chancellor senator governor mayor king queen
    prince princess pope chief head leader spokesman spokeswoman spokesperson mr mrs ms dr sir
    """.split()  # noqa: SIM905
)
_SUFFIXES = ("ing", "ed", "es", "s", "ly")
_DEMONYM = ("n", "an", "ian", "ans", "ians", "ns", "ese", "i", "is", "ish")
_CLAUSE_OPENERS = frozenset("\"'(<[:-.!?")  # on anyascii text: quotes, brackets, end marks


@dataclass(frozen=True, slots=True)
class Support:
    """How well a sentence is supported by its evidence (the source sentences it cites)."""

    supported: bool
    score: float  # 0..1 lexical support of the sentence by its evidence
    missing_numbers: tuple[str, ...]  # numbers in the sentence not in the evidence
    missing_names: tuple[str, ...]  # capitalised names in the sentence not in the evidence
    reason: str | None  # why not supported, for the verdict message


def check_support(sentence: str, evidence: Sequence[str]) -> Support:
    """Whether ``sentence`` says nothing that ``evidence`` does not: numbers, names, words."""
    joined = anyascii("\n".join(evidence))
    if not joined.strip():
        return Support(False, 0.0, (), (), "no cited text to support it")
    text = anyascii(sentence)
    evidence_words = {word.casefold() for word in _TOKEN.findall(joined)}
    missing_numbers = _missing_numbers(text, joined)
    missing_names = _missing_names(text, evidence_words)
    score = _content_score(text, evidence_words)
    reason = _reason(score, missing_numbers, missing_names)
    return Support(reason is None, score, missing_numbers, missing_names, reason)


def _stem(folded: str) -> str:
    """A light stem: one English inflection off, then the first :data:`STEM_CHARS` letters."""
    for suffix in _SUFFIXES:
        if folded.endswith(suffix) and len(folded) - len(suffix) >= 4:
            folded = folded[: -len(suffix)]
            break
    return folded[:STEM_CHARS]


def _content_score(text: str, evidence_words: set[str]) -> float:
    """The share of the sentence's distinct content stems found among the evidence's stems."""
    words = {word.casefold() for word in _TOKEN.findall(text)}
    stems = {
        _stem(word)
        for word in words
        if len(word) >= 2 and word not in FUNCTION_WORDS and word not in ATTRIBUTION_WORDS
    }
    if not stems:  # nothing but function words: supported only when all are in the evidence
        return 1.0 if words <= evidence_words else 0.0
    evidence_stems = {_stem(word) for word in evidence_words}
    return len(stems & evidence_stems) / len(stems)


def numbers_in(text: str) -> list[tuple[str, str]]:
    """Each number in ``text`` as (normalised value, as written): ``1.2 million`` -> 1200000."""
    found: list[tuple[str, str]] = []
    for match in _NUMBER.finditer(text):
        raw, percent, scale = match.group(1), match.group(2), match.group(3)
        value = _number_value(raw)
        if value is None:
            continue
        if scale and not percent:
            value *= _SCALES.get(scale.lower().rstrip("s"), _SCALES.get(scale.lower(), 1.0))
        key = _format_number(value) + ("%" if percent else "")
        found.append((key, match.group().strip()))
    return found


def _number_value(raw: str) -> float | None:
    if _GROUPED.match(raw):
        digits = re.sub(r"[ .,\u00a0\u202f]", "", raw)
    else:
        digits = re.sub(r"[ \u00a0\u202f]", "", raw)
        last = max(digits.rfind("."), digits.rfind(","))
        if last >= 0:  # the last separator is the decimal mark; any other groups thousands
            digits = re.sub(r"[.,]", "", digits[:last]) + "." + digits[last + 1 :]
    try:
        return float(digits)
    except ValueError:
        return None


def _format_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:.6g}"


def _missing_numbers(text: str, evidence: str) -> tuple[str, ...]:
    """Numbers of the sentence that are not in the evidence (compared by value)."""
    in_sentence = numbers_in(text)
    if not in_sentence:
        return ()
    known: set[str] = set()
    for key, _raw in numbers_in(evidence):
        known.add(key)
        known.add(key.rstrip("%"))
    for raw in re.findall(r"\d+(?:[.,]\d+)?", evidence):  # "1.2" of a trimmed "1.2 million"
        value = _number_value(raw)
        if value is not None:
            known.add(_format_number(value))
    missing = [raw for key, raw in in_sentence if key not in known]
    return tuple(dict.fromkeys(missing))


def names_in(sentence: str) -> list[str]:
    """Capitalised words that do not start the sentence (or a quotation inside it)."""
    text = anyascii(sentence)
    names: list[str] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        if not word[0].isupper() or _starts_clause(text, match.start()):
            continue
        folded = word.casefold()
        if len(folded) < 2 or folded in FUNCTION_WORDS or folded in _TITLES:
            continue
        names.append(word)
    return names


def _starts_clause(text: str, start: int) -> bool:
    before = text[:start].rstrip()
    return not before or before[-1] in _CLAUSE_OPENERS


def _missing_names(text: str, evidence_words: set[str]) -> tuple[str, ...]:
    missing = [name for name in names_in(text) if not _name_found(name.casefold(), evidence_words)]
    return tuple(dict.fromkeys(missing))


def _name_found(name: str, evidence_words: set[str]) -> bool:
    """Exact, plural/possessive, or a demonym of an evidence word ("Russian" <- "Russia")."""
    if name in evidence_words:
        return True
    for suffix in ("s", "es"):
        if name.endswith(suffix) and name[: -len(suffix)] in evidence_words:
            return True
    return any(name in _variants(word) for word in evidence_words if word[:3] == name[:3])


def _variants(word: str) -> Iterable[str]:
    yield word + "s"
    base = word[:-1] if word[-1:] in ("a", "e", "o") else word
    for suffix in _DEMONYM:
        yield base + suffix
        yield word + suffix


def _reason(score: float, numbers: tuple[str, ...], names: tuple[str, ...]) -> str | None:
    problems: list[str] = []
    if numbers:
        problems.append("numbers not in the cited text: " + ", ".join(numbers))
    if names:
        problems.append("names not in the cited text: " + ", ".join(names))
    if score < SUPPORT_THRESHOLD:
        problems.append(
            f"only {score:.0%} of its content words are in the cited text "
            f"(needs {SUPPORT_THRESHOLD:.0%})"
        )
    return "; ".join(problems) or None
