"""The options of extraction, built from the settings."""

from __future__ import annotations

from dataclasses import dataclass

from primenews.config import Settings

__all__ = ["ExtractOptions"]


@dataclass(frozen=True)
class ExtractOptions:
    """How to extract and which pages to refuse.

    ``fallback``: compare trafilatura with readability on pages where trafilatura's text
    looks too short or too long for the page, and take readability's when it is clearly
    the better cut. ``fast``: trafilatura's fast mode first, its full mode only where the
    cut looks short (False: full mode everywhere, slower). ``clean``: run PrimeNews's
    boilerplate cleaning. ``gate``: refuse non-articles (``SkipArticle``); the benchmark
    turns it off.
    """

    min_article_chars: int = 250
    min_article_quality: float = 0.5
    fallback: bool = True
    fast: bool = True
    clean: bool = True
    gate: bool = True
    max_html_chars: int = 15 * 1024 * 1024

    @classmethod
    def from_settings(cls, settings: Settings) -> ExtractOptions:
        return cls(
            min_article_chars=settings.min_article_chars,
            min_article_quality=settings.min_article_quality,
            fallback=settings.extraction_fallback,
            max_html_chars=settings.max_body_bytes,
        )
