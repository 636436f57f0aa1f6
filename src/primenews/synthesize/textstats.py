"""Words, terms and sentence vectors for the extractive writer, in any Latin/Greek/Cyrillic
language and without a model.

A *term* is a content word folded to ASCII lower case and cut to a crude, language-blind stem
(its first :data:`STEM_CHARS` letters), or a number with its separators removed. Function words
of the common languages and attribution verbs ("said", "told", "sagte", "dijo") are not terms:
they say nothing about *what* happened. Sentences become L2-normalised TF-IDF rows so that one
matrix product gives every pairwise cosine similarity.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
from anyascii import anyascii
from numpy.typing import NDArray

__all__ = [
    "STEM_CHARS",
    "STOPWORDS",
    "TermMatrix",
    "fold",
    "is_stopword",
    "term_matrix",
    "terms_of",
    "words_of",
]

STEM_CHARS = 6

WORD = re.compile(r"[^\W_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"^\d+(?:[.,]\d+)*$")
_NOT_ALNUM = re.compile(r"[\W_]+")

# Function words of the languages we meet most, and attribution or reporting verbs.
STOPWORDS = frozenset(
    """
    a an and are as at be been being but by can could did do does for from had has have he her
    hers him his how i if in into is it its itself just me more most my no nor not of off on once
    only or other our ours out over own same she should so some such than that the their theirs
    them then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours also about after again
    against all am any because before below between both down during each few further here
    now one two three per via upon amid among s t don didn doesn isn wasn weren won wouldn
    said says say saying told tells tell added adding according reported reports reporting
    stated statement noted explained asked announced claimed insisted warned wrote
    mr mrs ms dr monday tuesday wednesday thursday friday saturday sunday
    der die das den dem des ein eine einer eines einem und oder aber nach vor mit von zu zum zur
    im am ist sind war wird wurde werden hat haben bei auf aus fur uber unter nicht auch sich
    sie er es wir ihr als wie wenn dass noch nur schon seit bis gegen um durch sagte erklarte
    el la los las un una unos unas y o pero de del al en con por para sin sobre tras desde es
    son fue ha han se su sus que como mas este esta estos estas ese esa lo le les dijo segun
    du au aux dans avec pour sans sur apres avant est sont ont sa son ses qui comme plus ce cette
    ces il elle ils elles nous vous selon gli uno di da tra fra della dei delle nel nella alla
    che piu questo questa sono hanno si het een maar van op voor na bij aan uit door zijn werd
    wordt heeft hebben dat deze dit ook niet nog
    parmi entre chez vers sous contre pendant depuis malgre hacia hasta contra durante zwischen
    neben hinter ohne wahrend trotz verso senza tussen naar tegen zonder tijdens
    """.split()  # noqa: SIM905
)


@lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """ASCII, case-folded, letters and digits only: ``Prigójine`` -> ``prigojine``."""
    ascii_word = word if word.isascii() else anyascii(word)
    return _NOT_ALNUM.sub("", ascii_word.casefold())


def is_stopword(word: str) -> bool:
    """Whether ``word`` (any case, any accents) is a function word or a reporting verb."""
    return fold(word) in STOPWORDS


def words_of(text: str) -> list[str]:
    """The words of ``text`` as written (letters, digits, inner apostrophes and hyphens)."""
    return WORD.findall(text)


def terms_of(text: str) -> list[str]:
    """The content terms of ``text``, in order, repeats kept (see the module docstring)."""
    return list(_terms(text))


@lru_cache(maxsize=1 << 12)
def _terms(text: str) -> tuple[str, ...]:
    """:func:`terms_of`, memoised: the writer asks for one sentence's terms many times."""
    terms: list[str] = []
    for word in WORD.findall(text):
        if word[0].isdigit():
            if _NUMBER.match(word):
                terms.append(re.sub(r"[.,](?=\d{3}\b)", "", word))
            continue
        folded = fold(word)
        if len(folded) < 2 or folded in STOPWORDS:
            continue
        if folded.endswith("s") and len(folded) > 3 and not folded.endswith("ss"):
            folded = folded[:-1]
        terms.append(folded[:STEM_CHARS])
    return tuple(terms)


class TermMatrix:
    """TF-IDF rows (L2-normalised) for a list of texts, with the vocabulary they share."""

    def __init__(self, rows: NDArray[np.float64], vocabulary: dict[str, int]) -> None:
        self.rows = rows
        self.vocabulary = vocabulary

    def similarity(self) -> NDArray[np.float64]:
        """The cosine similarity of every pair of rows."""
        return np.asarray(self.rows @ self.rows.T, dtype=np.float64)

    def vector(self, text: str) -> NDArray[np.float64]:
        """``text`` in this matrix's space (unknown terms ignored), L2-normalised."""
        vector = np.zeros(len(self.vocabulary), dtype=np.float64)
        for term, count in Counter(terms_of(text)).items():
            column = self.vocabulary.get(term)
            if column is not None:
                vector[column] = 1.0 + math.log(count)
        norm = float(np.linalg.norm(vector))
        return vector / norm if norm else vector


def term_matrix(texts: Sequence[str], documents: Sequence[int] | None = None) -> TermMatrix:
    """TF-IDF rows for ``texts``; IDF counts ``documents`` (one id per text) when given, so a
    term every outlet uses is common even when one outlet repeats it in every sentence."""
    bags = [Counter(terms_of(text)) for text in texts]
    owners = list(documents) if documents is not None else list(range(len(texts)))
    vocabulary: dict[str, int] = {}
    holders: dict[str, set[int]] = {}
    for bag, owner in zip(bags, owners, strict=True):
        for term in bag:
            vocabulary.setdefault(term, len(vocabulary))
            holders.setdefault(term, set()).add(owner)
    total = len(set(owners)) or 1
    idf = np.zeros(len(vocabulary), dtype=np.float64)
    for term, column in vocabulary.items():
        idf[column] = math.log((1 + total) / (1 + len(holders[term]))) + 1.0
    rows = np.zeros((len(texts), len(vocabulary)), dtype=np.float64)
    for i, bag in enumerate(bags):
        for term, count in bag.items():
            rows[i, vocabulary[term]] = (1.0 + math.log(count)) * idf[vocabulary[term]]
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return TermMatrix(rows / norms, vocabulary)
