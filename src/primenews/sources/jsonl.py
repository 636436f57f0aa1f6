"""Import JSON Lines of already-extracted articles (corpora from other tools).

Each line is one JSON object: ``url`` and ``text`` are required (``url`` may be any URI,
such as the ``urn:`` ids of research corpora; ``text`` may be empty, the quality gate
judges it later), and ``title``, ``published_at``, ``updated_at``, ``language``,
``outlet``, ``authors``, ``canonical_url``, ``site_name``, ``description`` and
``lead_image`` are mapped when present (also trafilatura's ``date``, ``author``,
``sitename`` and ``image``). Every other field is kept in ``ExtractedArticle.extra``.

Dates may be ISO-8601 (a zone-less time is UTC) or Unix epochs; an unreadable date becomes
``None`` and its raw value is kept in ``extra["published_at_raw"]``. A bad line (invalid
JSON or UTF-8, not an object, no url or text, a url seen before) is yielded as an
:class:`ItemError` naming the file and line, and reading goes on. ``.jsonl.gz`` works too.
"""

from __future__ import annotations

import gzip
import io
import json
import logging
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from primenews.errors import SkipArticle, SourceError
from primenews.models import ExtractedArticle, ItemError
from primenews.sources.dates import parse_datetime

__all__ = ["JsonlStats", "iter_jsonl"]

logger = logging.getLogger(__name__)

_TEXT_FIELDS = (
    "title",
    "language",
    "outlet",
    "canonical_url",
    "site_name",
    "description",
    "lead_image",
)
_DATE_FIELDS = ("published_at", "updated_at")
_ALIASES = {
    "date": "published_at",
    "author": "authors",
    "sitename": "site_name",
    "image": "lead_image",
}
_MAPPED = frozenset({"url", "text", "authors", *_TEXT_FIELDS, *_DATE_FIELDS})


@dataclass
class JsonlStats:
    """What one pass over a JSON Lines file found (filled in while iterating)."""

    lines: int = 0  # non-blank lines
    articles: int = 0
    errors: Counter[str] = field(default_factory=Counter)  # reason -> count


class _BadLine(SkipArticle):
    """A line that cannot become an article; ``url`` when the line had one."""

    def __init__(self, reason: str, message: str, url: str | None = None) -> None:
        super().__init__(reason, message)
        self.url = url


def iter_jsonl(
    path: Path, *, stats: JsonlStats | None = None, source_id: int | None = None
) -> Iterator[ExtractedArticle | ItemError]:
    """An :class:`ExtractedArticle` per good line of ``path``, an :class:`ItemError` per bad one."""
    stats = stats if stats is not None else JsonlStats()
    if not path.is_file():
        raise SourceError(f"{path} is not a file; give a .jsonl or .jsonl.gz file")
    seen: set[str] = set()
    with _open(path) as stream:
        number = 0
        try:
            for number, raw in enumerate(stream, 1):
                if not raw.strip():
                    continue
                stats.lines += 1
                yield _item(raw, number, path, seen, stats, source_id)
        except (EOFError, OSError, zlib.error) as exc:
            stats.errors["truncated"] += 1
            message = f"{path}: unreadable after line {number} ({exc}); the rest is lost"
            logger.warning("%s", message)
            yield ItemError(
                stage="source", reason="truncated", message=message, source_id=source_id
            )


def _open(path: Path) -> gzip.GzipFile | io.BufferedReader:
    if path.name.lower().endswith(".gz"):
        return gzip.GzipFile(path, "rb")
    return path.open("rb")


def _item(
    raw: bytes, number: int, path: Path, seen: set[str], stats: JsonlStats, source_id: int | None
) -> ExtractedArticle | ItemError:
    try:
        article = _article(_object(raw))
        if article.url in seen:
            raise _BadLine(
                "duplicate_url", "repeats a url of an earlier line; kept the first", article.url
            )
    except _BadLine as bad:
        stats.errors[bad.reason] += 1
        message = f"{path}:{number}: {bad.detail}"
        logger.info("%s", message)
        return ItemError(
            stage="source", reason=bad.reason, message=message, url=bad.url, source_id=source_id
        )
    seen.add(article.url)
    stats.articles += 1
    return article


def _object(raw: bytes) -> dict[str, Any]:
    try:
        text = raw.decode("utf-8").lstrip("\ufeff")
    except UnicodeDecodeError as exc:
        raise _BadLine("invalid_utf8", f"line is not UTF-8 ({exc})") from None
    try:
        value = json.loads(text, parse_constant=_refuse_constant)
    except ValueError as exc:
        raise _BadLine("invalid_json", f"line is not valid JSON ({exc})") from None
    if not isinstance(value, dict):
        raise _BadLine("not_an_object", f"line is a JSON {type(value).__name__}, not an object")
    return value


def _refuse_constant(name: str) -> None:
    raise ValueError(f"{name} is not a JSON number")


def _article(record: dict[str, Any]) -> ExtractedArticle:
    fields, extra = _split(record)
    url = fields.get("url")
    if not isinstance(url, str) or not url.strip():
        raise _BadLine("missing_url", "has no 'url' (a non-empty string)")
    text = fields.get("text")
    if not isinstance(text, str):
        raise _BadLine("missing_text", "has no 'text' string", url.strip())
    dates: dict[str, datetime | None] = {}
    for name in _DATE_FIELDS:
        value = fields.get(name)
        dates[name] = parse_datetime(value)
        if value not in (None, "") and dates[name] is None:
            extra[f"{name}_raw"] = value
    strings = {name: _text(fields.get(name)) for name in _TEXT_FIELDS}
    for name in _TEXT_FIELDS:  # a number or list where text belongs is kept, not lost
        if fields.get(name) is not None and not isinstance(fields[name], str):
            extra[name] = fields[name]
    return ExtractedArticle(
        url=url.strip(),
        title=strings["title"],
        text=text,
        canonical_url=strings["canonical_url"],
        authors=_authors(fields.get("authors")),
        published_at=dates["published_at"],
        updated_at=dates["updated_at"],
        language=strings["language"],
        site_name=strings["site_name"],
        lead_image=strings["lead_image"],
        description=strings["description"],
        outlet=strings["outlet"],
        extra=extra,
    )


def _split(record: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    for key, value in record.items():
        if key in _MAPPED:
            fields[key] = value
    for key, value in record.items():
        target = _ALIASES.get(key)
        if key in _MAPPED:
            continue
        if target is not None and target not in fields:
            fields[target] = value
        else:
            extra[key] = value
    return fields, extra


def _text(value: object) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    return None


def _authors(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        names = value.split(";")
    elif isinstance(value, list):
        names = [v for v in value if isinstance(v, str)]
    else:
        names = []
    return tuple(dict.fromkeys(n.strip() for n in names if n.strip()))
