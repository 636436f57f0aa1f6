"""Near-duplicates: MinHash over word shingles, LSH for candidates, exact overlap to decide.

A text becomes the set of its overlapping ``shingle_size``-word shingles (words as
:func:`~primenews.dedupe.hashing.normalize_text` gives them, title included). A MinHash
signature of that set goes into an in-memory :class:`NearDupIndex` (datasketch ``MinHashLSH``),
which proposes *candidates*; each candidate is then verified on the exact shingle sets, so
the LSH's guesses never reach a verdict. The verdict uses the *containment* of the shorter text
in the longer one (shared shingles / shingles of the shorter), which also catches a reprint cut
short or padded with a credit line:

- ``verbatim`` when containment >= ``verbatim_containment`` (0.8: a reprint with a credit line
  and one sentence of six changed measures about 0.83),
- ``rewrite`` when containment >= ``rewrite_containment`` (0.5: whole passages of wire copy).

Thresholds were chosen on the sample newswire and ../shared/data/news-events (see
``bench/copies.py``), the same for every set: with 4-word shingles no pair of reports on
*different* events reached a containment of 0.2 in any of those sets (2,500 articles), so 0.5
keeps a wide margin for precision. LSH proposes pairs from an estimated Jaccard of about 0.15
(64 bands of 2 rows); a short text wholly inside a long one (Jaccard below that) can be missed.
Translations share almost no shingles and are left to the stories stage.

A fingerprint (what the store keeps per article, scheme :func:`fingerprint_scheme`) is the
SHA-256 of the article's content hash followed by the MinHash values as little-endian
``uint32``; a text too short to judge keeps only the hash part.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
from datasketch import MinHash, MinHashLSH

from primenews.dedupe.hashing import normalize_text
from primenews.models import CopyKind

__all__ = [
    "CopyOptions",
    "Fingerprint",
    "NearDupIndex",
    "Overlap",
    "classify_overlap",
    "decode_fingerprint",
    "encode_fingerprint",
    "fingerprint_scheme",
    "hash_digest",
    "measure_overlap",
    "shingle_text",
    "sign_shingles",
]

_HASH_BYTES = 32
_SEED = 1
_MINHASH_SCHEME = "affine32"  # datasketch >= 2.0: uint32 values, bijective permutations


@dataclass(frozen=True, slots=True)
class CopyOptions:
    """How copies are recognised (the defaults are the tuned ones; see the module docstring)."""

    shingle_size: int = 4  # words per shingle
    num_perm: int = 128  # MinHash permutations
    lsh_threshold: float = 0.15  # estimated Jaccard at which LSH proposes a candidate
    min_shingles: int = 16  # fewer shingles than this: too short to judge (about 19 words)
    verbatim_containment: float = 0.8
    rewrite_containment: float = 0.5


@dataclass(frozen=True, slots=True)
class Overlap:
    """Shared shingles of two texts: Jaccard, and containment of the shorter in the longer."""

    jaccard: float
    containment: float


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What the store keeps per article: its content-hash digest and, if judged, a MinHash."""

    hash_digest: bytes
    minhash: MinHash | None


def fingerprint_scheme(options: CopyOptions) -> str:
    """The ``scheme`` fingerprints are stored under: changing a parameter starts a new index."""
    return f"minhash-w{options.shingle_size}-p{options.num_perm}"


def shingle_text(text: str, size: int) -> frozenset[str]:
    """The overlapping ``size``-word shingles of the normalised text (empty when too few words)."""
    words = normalize_text(text).split()
    return frozenset(" ".join(words[i : i + size]) for i in range(len(words) - size + 1))


def sign_shingles(shingles: Iterable[str], num_perm: int) -> MinHash:
    """A MinHash signature of a shingle set (deterministic: fixed seed, SHA-1 based hashing)."""
    minhash = MinHash(num_perm=num_perm, seed=_SEED, scheme=_MINHASH_SCHEME)
    minhash.update_batch([s.encode("utf-8") for s in shingles])
    return minhash


def measure_overlap(a: frozenset[str], b: frozenset[str]) -> Overlap:
    """Exact Jaccard and containment-of-the-shorter of two shingle sets."""
    if not a or not b:
        return Overlap(0.0, 0.0)
    shared = len(a & b)
    return Overlap(shared / len(a | b), shared / min(len(a), len(b)))


def classify_overlap(overlap: Overlap, options: CopyOptions) -> CopyKind | None:
    """``verbatim``, ``rewrite``, or None when the texts are not copies of each other."""
    if overlap.containment >= options.verbatim_containment:
        return CopyKind.VERBATIM
    if overlap.containment >= options.rewrite_containment:
        return CopyKind.REWRITE
    return None


def hash_digest(content_hash: str) -> bytes:
    """A fixed-size key for an article's content hash."""
    return hashlib.sha256(content_hash.encode("utf-8")).digest()


def encode_fingerprint(digest: bytes, minhash: MinHash | None) -> bytes:
    """The bytes stored for an article: its :func:`hash_digest`, then the MinHash values if any."""
    if minhash is None:
        return digest
    values = np.asarray(minhash.hashvalues, dtype="<u4")
    return digest + values.tobytes()


def decode_fingerprint(blob: bytes, num_perm: int) -> Fingerprint:
    """Read back :func:`encode_fingerprint`'s bytes (a hash-only blob has no MinHash)."""
    digest = bytes(blob[:_HASH_BYTES])
    if len(blob) != _HASH_BYTES + 4 * num_perm:
        return Fingerprint(digest, None)
    values = np.frombuffer(blob, dtype="<u4", offset=_HASH_BYTES).astype(np.uint32)
    minhash = MinHash(num_perm=num_perm, seed=_SEED, hashvalues=values, scheme=_MINHASH_SCHEME)
    return Fingerprint(digest, minhash)


class NearDupIndex:
    """Article ids by MinHash in LSH bands: ``candidates`` proposes, the caller verifies."""

    def __init__(self, options: CopyOptions) -> None:
        self._lsh = MinHashLSH(
            threshold=options.lsh_threshold, num_perm=options.num_perm, weights=(0.3, 0.7)
        )
        self._ids: set[int] = set()

    def __contains__(self, article_id: object) -> bool:
        return article_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def add(self, article_id: int, minhash: MinHash) -> None:
        self.remove(article_id)
        self._lsh.insert(article_id, minhash)
        self._ids.add(article_id)

    def remove(self, article_id: int) -> None:
        if article_id in self._ids:
            self._lsh.remove(article_id)
            self._ids.discard(article_id)

    def candidates(self, minhash: MinHash) -> list[int]:
        """Ids whose signatures share an LSH band with ``minhash`` (unverified), in id order."""
        return sorted(int(key) for key in self._lsh.query(minhash))
