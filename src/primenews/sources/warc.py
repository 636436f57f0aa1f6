"""Read WARC / WARC.gz archives (CC-NEWS and the like) as pages.

FastWARC reads the archive (it is the declared dependency, a fast C++ reader that also
handles per-record gzip, zstd and lz4). Only ``response`` records with HTTP status 200 and
an HTML content type become :class:`Page` objects; every other record is counted in
:class:`WarcStats` under a reason (``not_response``, ``revisit``, ``http_status_404``,
``not_html``, ``too_large``, ``truncated``, ``corrupt``, ...). The payload is read raw
(``auto_decode="none"``) so that a record cut short is noticed (fewer bytes than its
Content-Length); chunked transfer and gzip/deflate/br/zstd content encodings are then
undone here, under a size cap.

A corrupt or truncated archive never raises out of the iteration: the damage is counted
with a message in ``stats.errors`` and the pages read so far stand. FastWARC stops quietly
where a file was cut off, so the tail of the file is checked after the last record; a file
cut exactly between two records cannot be told from a shorter archive.
"""

from __future__ import annotations

import logging
import re
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import brotli
import zstandard
from fastwarc.warc import ArchiveIterator, WarcRecordType

from primenews.errors import SourceError
from primenews.models import ItemError, Page, utcnow
from primenews.sources.compression import gunzip_capped
from primenews.sources.dates import parse_datetime

__all__ = ["WarcStats", "iter_warc"]

logger = logging.getLogger(__name__)

MAX_PAYLOAD_BYTES = 15 * 1024 * 1024
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_CONTENT_LENGTH = re.compile(rb"(?im)^content-length:[ \t]*(\d+)[ \t]*\r?$")


@dataclass
class WarcStats:
    """What one pass over an archive found (filled in while iterating)."""

    records: int = 0
    responses: int = 0
    html: int = 0  # pages yielded
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> count
    errors: list[ItemError] = field(default_factory=list)  # truncated/corrupt, with messages


def iter_warc(
    path: Path, stats: WarcStats | None = None, *, max_bytes: int = MAX_PAYLOAD_BYTES
) -> Iterator[Page]:
    """The HTML pages archived in ``path`` (a .warc or .warc.gz file)."""
    stats = stats if stats is not None else WarcStats()
    if not path.is_file():
        raise SourceError(f"{path} is not a file; give a .warc or .warc.gz archive")
    last_position, damaged_at_end = 0, False
    with path.open("rb") as stream:
        records = ArchiveIterator(stream, parse_http=True, auto_decode="none", fsspec_args=False)
        damaged = 0  # unreadable records in a row; at the end of the file: truncation
        try:
            for record in records:
                stats.records += 1
                last_position = record.stream_pos
                if _is_damaged(record):
                    damaged += 1
                    continue
                _count_damaged(stats, damaged, "corrupt_record", path)
                damaged, truncated_before = 0, stats.skipped["truncated"]
                page = _page(record, stats, path, max_bytes)
                damaged_at_end = stats.skipped["truncated"] > truncated_before
                if page is not None:
                    stats.html += 1
                    yield page
        except (OSError, ValueError) as exc:
            message = f"stopped reading after {stats.records} records ({exc})"
            _record(stats, "corrupt", f"{path}: {message}; the archive is damaged from there on")
            return
    _count_damaged(stats, damaged, "truncated", path)
    if not damaged and not damaged_at_end and not _ends_cleanly(path, last_position):
        _record(
            stats,
            "truncated",
            f"{path}: the archive ends inside a record (after byte "
            f"{last_position}); it was cut short and what followed is lost",
        )


def _is_damaged(record: Any) -> bool:
    if record.record_type == WarcRecordType.unknown:
        return True
    return record.headers.get("Content-Length") is None


def _page(record: Any, stats: WarcStats, path: Path, max_bytes: int) -> Page | None:
    if record.record_type == WarcRecordType.revisit:
        return _skip(stats, "revisit")
    if record.record_type != WarcRecordType.response:
        return _skip(stats, "not_response")
    stats.responses += 1
    url = (record.headers.get("WARC-Target-URI") or "").strip().strip("<>")  # WARC 1.0 <uri>
    http = record.http_headers
    if not url:
        return _skip(stats, "no_target_uri")
    if http is None or http.status_code is None:
        return _skip(stats, "not_http")
    if http.status_code != 200:
        return _skip(stats, f"http_status_{http.status_code}")
    content_type = http.get("Content-Type")
    if not _is_html(content_type):
        return _skip(stats, "not_html")
    if record.content_length > max_bytes:
        return _skip(stats, "too_large")
    raw = record.reader.read()
    if len(raw) < record.content_length:
        return _record(
            stats,
            "truncated",
            f"{path}: record for {url} is cut short ({len(raw)} of {record.content_length} bytes)",
            url,
        )
    try:
        body = _decode(raw, http, max_bytes)
    except ValueError as exc:
        return _record(stats, "bad_content_encoding", f"{path}: record for {url}: {exc}", url)
    fetched_at = record.record_date or parse_datetime(record.headers.get("WARC-Date"))
    return Page(
        url=url,
        body=body,
        content_type=content_type,
        status=200,
        fetched_at=fetched_at if isinstance(fetched_at, datetime) else utcnow(),
        etag=http.get("ETag"),
        last_modified=http.get("Last-Modified"),
    )


def _is_html(content_type: str | None) -> bool:
    if not content_type:
        return False
    return content_type.split(";")[0].strip().lower() in _HTML_TYPES


def _decode(raw: bytes, http: Any, max_bytes: int) -> bytes:
    body = raw
    if "chunked" in (http.get("Transfer-Encoding") or "").lower():
        body = _dechunk(body) or body  # archives often store bodies already de-chunked
    encodings = [e.strip().lower() for e in (http.get("Content-Encoding") or "").split(",")]
    for encoding in reversed([e for e in encodings if e and e != "identity"]):
        try:
            body = _decompress(body, encoding, max_bytes)
        except ValueError:
            if body.lstrip()[:1] == b"<":  # stored decoded, header left behind
                break
            raise
    if len(body) > max_bytes:
        raise ValueError(f"payload is over {max_bytes} bytes")
    return body


def _decompress(body: bytes, encoding: str, max_bytes: int) -> bytes:
    try:
        if encoding in ("gzip", "x-gzip"):
            data, _ = gunzip_capped(body, max_bytes=max_bytes)
        elif encoding == "deflate":
            data = zlib.decompressobj().decompress(body, max_bytes + 1)
        elif encoding == "br":
            data = brotli.decompress(body)
        elif encoding == "zstd":
            data = zstandard.ZstdDecompressor().decompressobj().decompress(body)
        else:
            raise ValueError(f"unknown Content-Encoding {encoding!r}")
    except (zlib.error, brotli.error, zstandard.ZstdError) as exc:
        raise ValueError(f"Content-Encoding {encoding} cannot be decoded ({exc})") from exc
    if len(data) > max_bytes:
        raise ValueError(f"payload decodes to more than {max_bytes} bytes")
    return bytes(data)


def _dechunk(body: bytes) -> bytes | None:
    """The body with chunked transfer coding undone, or None if it is not chunked."""
    out: list[bytes] = []
    position = 0
    while True:
        end = body.find(b"\r\n", position)
        if end < 0:
            return None
        size_text = body[position:end].split(b";")[0].strip()
        try:
            size = int(size_text, 16)
        except ValueError:
            return None
        if size == 0:
            return b"".join(out)
        out.append(body[end + 2 : end + 2 + size])
        position = end + 2 + size + 2


def _count_damaged(stats: WarcStats, count: int, reason: str, path: Path) -> None:
    for _ in range(count):
        _record(stats, reason, f"{path}: a record could not be read ({reason})")


def _ends_cleanly(path: Path, position: int) -> bool:
    """Whether the last record, starting at ``position``, ends exactly at the end of the file.

    FastWARC stops quietly where a file was cut off; this looks at the tail to tell.
    """
    with path.open("rb") as stream:
        stream.seek(position)
        tail = stream.read()
    if tail.startswith(b"\x1f\x8b"):
        return _gzip_members_complete(tail)
    if tail.startswith(b"WARC/"):
        return _plain_record_complete(tail)
    return not tail.strip()  # lz4/zstd or empty: no opinion beyond "nothing left over"


def _gzip_members_complete(data: bytes) -> bool:
    while data:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        pending = data
        try:
            while pending and not inflater.eof:
                inflater.decompress(pending, 1 << 20)
                pending = inflater.unconsumed_tail
        except zlib.error:
            return False
        if not inflater.eof:
            return False
        data = inflater.unused_data
    return True


def _plain_record_complete(tail: bytes) -> bool:
    header_end = tail.find(b"\r\n\r\n")
    match = _CONTENT_LENGTH.search(tail, 0, header_end) if header_end >= 0 else None
    if match is None:
        return False
    end = header_end + 4 + int(match.group(1)) + 4
    return len(tail) >= end and not tail[end:].strip()


def _skip(stats: WarcStats, reason: str) -> Page | None:
    stats.skipped[reason] += 1
    return None


def _record(stats: WarcStats, reason: str, message: str, url: str | None = None) -> Page | None:
    stats.skipped[reason] += 1
    stats.errors.append(ItemError(stage="source", reason=reason, message=message, url=url))
    logger.warning("%s", message)
    return None
