"""Bytes to HTML text: refuse what is not HTML, then decode with the right charset.

The charset is taken, in this order, from a byte-order mark, the HTTP ``charset``, a
``<meta charset>`` / ``http-equiv`` in the first bytes, and finally detection
(``charset_normalizer``); UTF-8 that decodes cleanly wins over a wrong declaration.
"""

from __future__ import annotations

import codecs
import logging
import re

from primenews.errors import SkipArticle

__all__ = ["decode_html", "refuse_non_html"]

logger = logging.getLogger(__name__)

SNIFF_BYTES = 4096

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE
)
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a RIFF media file"),
    (b"\x00\x00\x00", "binary data"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x7fELF", "an executable"),
)


def refuse_non_html(body: bytes, url: str | None = None) -> None:
    """Raise ``SkipArticle('not_html')`` when the bytes are clearly not an HTML document."""
    head = body[:16].lstrip()
    where = f" at {url}" if url else ""
    for magic, what in _MAGIC:
        if head.startswith(magic):
            raise SkipArticle("not_html", f"the page{where} is {what}, not HTML")
    sample = body[:SNIFF_BYTES]
    if sample and not _has_bom(sample) and sample.count(b"\x00") > len(sample) // 10:
        raise SkipArticle("not_html", f"the page{where} holds binary data, not HTML")


def decode_html(body: bytes, declared: str | None = None) -> str:
    """Decode HTML bytes: BOM, then the declared (HTTP) charset, then meta, then sniffing.

    Each declared charset must decode the bytes strictly; one that fails (a header saying
    UTF-8 over windows-1252 bytes, say) is passed over for the next clue.
    """
    for bom, bom_codec in _BOMS:
        if body.startswith(bom):
            return body.decode(bom_codec, errors="replace")
    utf8 = _strict_decode(body, "utf-8")
    for candidate in (declared, _meta_charset(body[:SNIFF_BYTES])):
        codec = _codec_name(candidate)
        if codec is None:
            continue
        if codec != "utf-8" and utf8 is not None and not body.isascii():
            logger.debug("declared %s but the bytes are valid UTF-8; using UTF-8", codec)
            return utf8
        text = utf8 if codec == "utf-8" else _strict_decode(body, codec)
        if text is not None:
            return text
        logger.debug("the bytes are not valid %s; trying the next clue", codec)
    if utf8 is not None:
        return utf8
    return body.decode(_detect(body), errors="replace")


def _has_bom(sample: bytes) -> bool:
    return any(sample.startswith(bom) for bom, _ in _BOMS)


def _meta_charset(head: bytes) -> str | None:
    match = _META_CHARSET.search(head)
    return match.group(1).decode("ascii", errors="ignore") if match else None


def _codec_name(label: str | None) -> str | None:
    """A Python codec for a charset label, following the WHATWG aliases that matter."""
    if not label:
        return None
    label = label.strip().lower()
    if label in {"iso-8859-1", "latin1", "latin-1", "us-ascii", "ascii", "iso8859-1"}:
        label = "windows-1252"  # browsers treat these as windows-1252
    try:
        name = codecs.lookup(label).name
    except LookupError:
        logger.debug("unknown charset %r ignored", label)
        return None
    return "utf-8" if name in {"utf-8", "utf_8"} else name


def _strict_decode(body: bytes, codec: str) -> str | None:
    """The text, or None when the bytes are not valid in ``codec``."""
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _detect(body: bytes) -> str:
    """Guess the charset; of equally clean guesses windows-1252 wins (the WHATWG default)."""
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - charset_normalizer comes with trafilatura
        return "windows-1252"
    matches = list(from_bytes(body[:65536]))
    if not matches:
        return "windows-1252"
    least = min(m.chaos for m in matches)
    clean = [m for m in matches if m.chaos <= least + 0.01]
    if any(m.encoding in {"cp1252", "latin_1", "iso8859_15"} for m in clean):
        return "windows-1252"
    best = max(clean, key=lambda m: m.coherence)
    return _codec_name(str(best.encoding)) or "windows-1252"
