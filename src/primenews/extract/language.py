"""A light language guess from stopwords, for pages that do not declare their language."""

from __future__ import annotations

import re
from collections import Counter

__all__ = ["detect_language"]

_STOPWORD_TABLE = """
en the and of to in is that for it was on with as are by this be at from
de der die und das ist nicht mit den von zu sich des auf ein eine dem im
fr le la les et des est une que dans pour pas sur du qui au avec ce il
es el la los las y que del en por una con para es se lo como más al
it il la di che e per una sono non con del della gli nel le è anche
pt o a os as e que do da em um uma para com não por mais dos das é
nl de het een en van is dat op te in niet met voor zijn er ook aan
pl i w na z się nie do to że jest o jak po ale przez od dla
sv och att det som en på är av för med till den har inte om ett
ru и в не на что с по это он как из к но его она так за
tr ve bir bu da de için ile olarak çok daha gibi ama olan en
"""
_STOPWORDS: dict[str, frozenset[str]] = {
    line.split()[0]: frozenset(line.split()[1:]) for line in _STOPWORD_TABLE.strip().splitlines()
}
_WORD = re.compile(r"\w+")
MIN_HITS = 5


def detect_language(text: str) -> str | None:
    """'en', 'de', ... when the text's stopwords point clearly at one language, else None."""
    words = _WORD.findall(text[:5000].lower())
    if not words:
        return _script_language(text)
    counts = Counter(words)
    scores = {lang: sum(counts[w] for w in stop) for lang, stop in _STOPWORDS.items()}
    if not scores:
        return _script_language(text)
    best = max(scores, key=lambda lang: scores[lang])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] >= MIN_HITS and ranked[0] >= 1.5 * ranked[1]:
        return best
    return _script_language(text)


def _script_language(text: str) -> str | None:
    sample = text[:2000]
    if not sample:
        return None
    counts = Counter(_script(ch) for ch in sample if not ch.isspace())
    script, n = counts.most_common(1)[0]
    return script if script and n > len(sample) // 3 else None


def _script(ch: str) -> str | None:
    code = ord(ch)
    if 0x3040 <= code <= 0x30FF:
        return "ja"
    if 0xAC00 <= code <= 0xD7AF:
        return "ko"
    if 0x4E00 <= code <= 0x9FFF:
        return "zh"
    if 0x0600 <= code <= 0x06FF:
        return "ar"
    if 0x0590 <= code <= 0x05FF:
        return "he"
    if 0x0E00 <= code <= 0x0E7F:
        return "th"
    return None
