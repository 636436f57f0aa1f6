"""Content hashes that ignore what does not change the words: case, spacing, punctuation."""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["content_hash", "normalize_text"]

_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


def normalize_text(text: str) -> str:
    """Casefolded words separated by single spaces (Unicode NFKC)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def content_hash(text: str) -> str:
    """A SHA-256 of the normalised text: the same words give the same hash."""
    return hashlib.sha256(normalize_text(text).encode("utf-8")).hexdigest()
