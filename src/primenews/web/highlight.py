"""Search result snippets: escaped text with the searched words in ``<mark>``.

Done in Python, the same for SQLite and PostgreSQL, on text that is escaped first, so
hostile markup in a report can never come through a snippet; only the ``<mark>`` tags added
here are markup. Words match case- and accent-insensitively at the start of a word.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from html import escape

from markupsafe import Markup

__all__ = ["highlight", "snippet"]

_SNIPPET_CHARS = 240


def _fold(text: str) -> str:
    """Case-folded, accents removed, one character per character of ``text``."""
    out = []
    for char in text:
        base = unicodedata.normalize("NFKD", char)
        kept = "".join(c for c in base if not unicodedata.combining(c)).casefold()
        out.append(kept[:1] if len(kept) >= 1 else char)
    return "".join(out)


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    folded = _fold(text)
    words = [re.escape(_fold(t)) for t in terms if t]
    if not words:
        return []
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(sorted(words, key=len, reverse=True)) + r")\w*")
    return [(m.start(), m.end()) for m in pattern.finditer(folded)]


def highlight(text: str, terms: Sequence[str]) -> Markup:
    """All of ``text``, escaped, with each word that starts with a term marked."""
    parts: list[str] = []
    last = 0
    for start, end in _spans(text, terms):
        parts.append(escape(text[last:start]))
        parts.append(f"<mark>{escape(text[start:end])}</mark>")
        last = end
    parts.append(escape(text[last:]))
    return Markup("".join(parts))


def snippet(text: str, terms: Sequence[str], width: int = _SNIPPET_CHARS) -> Markup:
    """About ``width`` characters of ``text`` around its first match, escaped and marked."""
    line = " ".join(text.split())
    spans = _spans(line, terms)
    if not spans or len(line) <= width:
        start = 0
    else:
        start = max(0, spans[0][0] - width // 3)
        space = line.rfind(" ", 0, start)
        start = space + 1 if space > 0 and start - space < 30 else start
    piece = line[start : start + width]
    if start + width < len(line):
        cut = piece.rfind(" ")
        piece = (piece[:cut] if cut > width // 2 else piece) + " …"
    prefix = "… " if start > 0 else ""
    return Markup(escape(prefix)) + highlight(piece, terms)
