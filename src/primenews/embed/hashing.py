"""The light backend: hashed word and character n-grams, no model, no corpus statistics.

Each text is embedded on its own (so the vector never changes as the corpus grows): the
text is accent-folded and casefolded, cut into word unigrams, word bigrams and character
n-grams of the space-joined words (so word boundaries count), each feature is hashed
(CRC-32 and a polynomial hash, the same in every process) to a signed bucket, counts
become ``1 + log(count)`` (sublinear tf) and the row is L2-normalised. Character n-grams
let inflections and spellings across languages meet (``Prigozhin``/``Prigoschin``); words
and bigrams carry the topic.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
import zlib
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from primenews.embed import Vectors

__all__ = ["HashingEmbedder"]

_TOKEN = re.compile(r"\w+", re.UNICODE)
_MASK32 = np.uint64(0xFFFFFFFF)
_MIX = np.uint64(0x9E3779B1)  # Knuth's multiplicative constant
_BASE = np.uint64(1_000_003)
_WORD_WEIGHT = 1.0
_BIGRAM_WEIGHT = 0.5
_CHAR_WEIGHT = 1.0


class HashingEmbedder:
    """Deterministic hashed n-gram vectors: thousands of texts a second, nothing to install.

    ``dim`` is the number of buckets; ``char_ngram`` the length of the character n-grams.
    """

    def __init__(self, dim: int = 1024, char_ngram: int = 4) -> None:
        if dim < 16:
            raise ValueError(f"HashingEmbedder dim must be at least 16, got {dim}")
        if char_ngram < 2:
            raise ValueError(f"HashingEmbedder char_ngram must be at least 2, got {char_ngram}")
        self._dim = dim
        self._n = char_ngram

    @property
    def name(self) -> str:
        return f"hashing-v1-{self._dim}-c{self._n}"

    @property
    def dim(self) -> int:
        return self._dim

    def embed(self, texts: Sequence[str]) -> Vectors:
        out = np.zeros((len(texts), self._dim), dtype=np.float32)
        for row, text in enumerate(texts):
            self._fill(out[row], fold_text(text))
        return out

    def _fill(self, row: Vectors, text: str) -> None:
        words = _TOKEN.findall(text)
        if not words:
            return
        codes = [zlib.crc32(w.encode("utf-8")) for w in words]
        pairs = [zlib.crc32(f"{a} {b}".encode()) for a, b in itertools.pairwise(words)]
        self._add(row, np.array(codes, dtype=np.uint64), _WORD_WEIGHT)
        self._add(row, np.array(pairs, dtype=np.uint64), _BIGRAM_WEIGHT)
        self._add(row, _char_ngram_hashes(" ".join(words), self._n), _CHAR_WEIGHT)
        norm = float(np.linalg.norm(row))
        if norm > 0:
            row /= norm

    def _add(self, row: Vectors, hashes: NDArray[np.uint64], weight: float) -> None:
        """Add each distinct hash once, weighted ``weight * (1 + log count)``, signed."""
        if hashes.size == 0:
            return
        unique, counts = np.unique(hashes, return_counts=True)
        mixed = (unique * _MIX) & _MASK32  # spread CRC-32 and polynomial hashes alike
        buckets = ((mixed >> np.uint64(1)) % np.uint64(self._dim)).astype(np.intp)
        signs = np.where(mixed & np.uint64(1), 1.0, -1.0)
        values = signs * weight * (1.0 + np.log(counts))
        row += np.bincount(buckets, weights=values, minlength=self._dim).astype(np.float32)


def _char_ngram_hashes(text: str, n: int) -> NDArray[np.uint64]:
    """A 32-bit polynomial hash of every ``n`` characters of `` text `` (spaces included)."""
    padded = f" {text} "
    codes = np.frombuffer(padded.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    count = codes.size - n + 1
    if count <= 0:
        return np.zeros(0, dtype=np.uint64)
    hashes = np.zeros(count, dtype=np.uint64)
    for k in range(n):
        hashes = (hashes * _BASE + codes[k : k + count]) & _MASK32
    return hashes


def fold_text(text: str) -> str:
    """Casefolded, with accents removed (``Söldner`` -> ``soldner``)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))
