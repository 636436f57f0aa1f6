"""Articles as JSON for the commands that print them."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from primenews.models import Article, ExtractedArticle

__all__ = ["article_json"]


def article_json(article: Article | ExtractedArticle) -> dict[str, Any]:
    """Every field of an article, JSON-ready: times in ISO 8601, tuples as lists."""
    data: dict[str, Any] = {}
    for f in dataclasses.fields(article):
        value = getattr(article, f.name)
        if isinstance(value, datetime):
            value = value.isoformat()
        elif isinstance(value, tuple):
            value = list(value)
        data[f.name] = value
    return data
