"""Read local HTML files, or folders of them, as pages.

:func:`iter_html_files` takes a file or a folder (walked recursively, symlinked folders not
followed, in sorted order) and yields a :class:`Page` per ``.html``/``.htm``/``.xhtml``
file, gzip-compressed ones (``.html.gz``) too. A page's URL is the file's ``file://`` URI;
extraction finds the canonical URL inside the page. Files that cannot be read are counted
in :class:`FileStats` with a message, and the walk goes on.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from primenews.errors import SourceError
from primenews.models import ItemError, Page
from primenews.sources.compression import gunzip_capped

__all__ = ["FileStats", "iter_html_files"]

logger = logging.getLogger(__name__)

HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".html.gz", ".htm.gz", ".xhtml.gz")
MAX_FILE_BYTES = 50 * 1024 * 1024


@dataclass
class FileStats:
    """What a walk over local files found (filled in while iterating)."""

    files: int = 0  # HTML files met
    pages: int = 0  # pages yielded
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    errors: list[ItemError] = field(default_factory=list)


def iter_html_files(
    path: Path, stats: FileStats | None = None, *, max_bytes: int = MAX_FILE_BYTES
) -> Iterator[Page]:
    """Pages for the HTML file ``path`` or every HTML file under the folder ``path``."""
    stats = stats if stats is not None else FileStats()
    if not path.exists():
        raise SourceError(f"{path} does not exist; give an HTML file or a folder of them")
    for file in _html_files(path):
        stats.files += 1
        page = _read_page(file, stats, max_bytes)
        if page is not None:
            stats.pages += 1
            yield page


def _html_files(path: Path) -> Iterator[Path]:
    if path.is_file():
        yield path
        return
    for folder, subfolders, names in os.walk(path):
        subfolders.sort()
        for name in sorted(names):
            if name.lower().endswith(HTML_SUFFIXES):
                yield Path(folder, name)


def _read_page(file: Path, stats: FileStats, max_bytes: int) -> Page | None:
    try:
        size = file.stat().st_size
        if size > max_bytes:
            return _skip(stats, file, "too_large", f"is {size} bytes, over {max_bytes}")
        body = file.read_bytes()
        if file.name.lower().endswith(".gz"):
            body, complete = gunzip_capped(body, max_bytes=max_bytes)
            if not complete:
                return _skip(stats, file, "truncated", "is a gzip file cut short")
    except OSError as exc:
        return _skip(stats, file, "unreadable", f"cannot be read ({exc})")
    except ValueError as exc:
        return _skip(stats, file, "bad_gzip", f"is gzip-compressed and {exc}")
    return Page(
        url=file.resolve().as_uri(),
        body=body,
        content_type="text/html",
        fetched_at=datetime.fromtimestamp(file.stat().st_mtime, UTC),
    )


def _skip(stats: FileStats, file: Path, reason: str, message: str) -> Page | None:
    stats.skipped[reason] += 1
    stats.errors.append(
        ItemError(
            stage="source",
            reason=reason,
            message=f"{file} {message}; skipped",
            url=file.resolve().as_uri(),
        )
    )
    logger.warning("%s %s; skipped", file, message)
    return None
