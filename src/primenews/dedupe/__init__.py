"""Copies: canonical URLs, content hashes, near-duplicates, and the copies stage.

- :mod:`~primenews.dedupe.urls`: one canonical URL per page (tracking, AMP and mobile variants).
- :mod:`~primenews.dedupe.hashing`: content hashes that ignore case, spacing and punctuation.
- :mod:`~primenews.dedupe.neardup`: MinHash/LSH candidates verified on exact shingle overlap.
- :mod:`~primenews.dedupe.copies`: the stage that marks copies and points them at the original.
"""

from __future__ import annotations

from primenews.dedupe.copies import (
    CopyCheck,
    CopyDetector,
    CopyMatch,
    CopyReport,
    detect_copies,
    independent_article_ids,
    report_order,
)
from primenews.dedupe.hashing import content_hash, normalize_text
from primenews.dedupe.neardup import CopyOptions
from primenews.dedupe.urls import canonicalize_url

__all__ = [
    "CopyCheck",
    "CopyDetector",
    "CopyMatch",
    "CopyOptions",
    "CopyReport",
    "canonicalize_url",
    "content_hash",
    "detect_copies",
    "independent_article_ids",
    "normalize_text",
    "report_order",
]
