"""Copies: canonical URLs and content hashes (near-duplicates come with the stories stage)."""

from __future__ import annotations

from primenews.dedupe.hashing import content_hash, normalize_text
from primenews.dedupe.urls import canonicalize_url

__all__ = ["canonicalize_url", "content_hash", "normalize_text"]
