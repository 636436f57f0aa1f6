"""What text of an article is embedded: its title and lead, not the whole article.

Clustering needs what a report is about, which the headline and first paragraphs say; a
small model reads 256 tokens at most, and short inputs are several times faster to embed.
When an article has neither title nor text, the words of its URL slug stand in, since news
URLs usually carry the headline (``/2024/05/quake-hits-city-123.html``).
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from primenews.models import Article, ExtractedArticle

__all__ = ["DEFAULT_MAX_CHARS", "embedding_text", "lead_of", "slug_words"]

DEFAULT_MAX_CHARS = 600

_SPLIT = re.compile(r"[-_+.\s]+")
_WORD = re.compile(r"[^\W\d_]", re.UNICODE)  # a token must hold a letter to count as a word
_URN = re.compile(r"^urn:[^:]+:(?:[^:]+:)*")  # urn:meantime:es:108294_Title -> 108294_Title
_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?|jsp|cms)$", re.IGNORECASE)
_BORING = frozenset({"index", "article", "story", "news", "amp", "print"})


def embedding_text(article: Article | ExtractedArticle, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Title and lead of ``article`` (at most about ``max_chars`` of lead), or its URL's words.

    Returns an empty string when the article has no title, no text and no words in its URL.
    """
    title = " ".join((article.title or "").split())
    lead = lead_of(article.text, max_chars)
    if title and lead.startswith(title):  # some extractors repeat the headline as paragraph one
        lead = lead[len(title) :].lstrip(" .:-")
    text = f"{title}\n{lead}".strip()
    if text:
        return text
    return slug_words(article.url)


def lead_of(text: str, max_chars: int) -> str:
    """The first paragraphs of ``text``, whitespace-normalised, cut at a word near ``max_chars``."""
    parts: list[str] = []
    size = 0
    for paragraph in text.split("\n\n"):
        words = " ".join(paragraph.split())
        if not words:
            continue
        parts.append(words)
        size += len(words) + 1
        if size >= max_chars:
            break
    lead = " ".join(parts)
    if len(lead) <= max_chars:
        return lead
    cut = lead.rfind(" ", 0, max_chars + 1)
    return lead[: cut if cut > 0 else max_chars]


def slug_words(url: str) -> str:
    """The headline words in a news URL's last meaningful path segment, or ``""``.

    ``https://x/2024/05/quake-hits-city-123.html`` gives ``quake hits city``;
    ``urn:meantime:es:108294_Government_Accountability_Office`` gives
    ``Government Accountability Office``.
    """
    if url.startswith("urn:"):
        segments = [_URN.sub("", url)]
    else:
        segments = [s for s in urlsplit(url).path.split("/") if s]
    for segment in reversed(segments):
        words = _words(_EXTENSION.sub("", unquote(segment)))
        if len(words) >= 2 or (words and len(words[0]) >= 4 and words[0].lower() not in _BORING):
            return " ".join(words)
    return ""


def _words(segment: str) -> list[str]:
    return [t for t in _SPLIT.split(segment) if t and _WORD.search(t) and not _is_id(t)]


def _is_id(token: str) -> bool:
    """Hex hashes and tokens mostly of digits are ids, not words."""
    digits = sum(c.isdigit() for c in token)
    return digits * 2 >= len(token) or (
        len(token) >= 8 and all(c in "0123456789abcdef" for c in token)
    )
