"""HTML -> article text and metadata: trafilatura (readability where it helps), PrimeNews's
own boilerplate cleaning, and a quality gate that refuses non-articles with a reason.

    Page --decode_html--> str --trafilatura/readability--> paragraphs
         --clean_paragraphs--> text --read_metadata--> ExtractedArticle --check_quality-->
"""

from __future__ import annotations

from .article import extract_article, extract_html
from .clean import clean_paragraphs
from .gate import check_quality, score_quality
from .html import decode_html
from .language import detect_language
from .metadata import PageMetadata, read_metadata
from .options import ExtractOptions

__all__ = [
    "ExtractOptions",
    "PageMetadata",
    "check_quality",
    "clean_paragraphs",
    "decode_html",
    "detect_language",
    "extract_article",
    "extract_html",
    "read_metadata",
    "score_quality",
]
