"""What an article says about its event, in a form that crosses languages.

For every article: name-like tokens (capitalised words, transliterated to ASCII and
case-folded, keyed by their first letters so ``Prigozhin``, ``Prigoschin`` and ``Prigojine``
meet), numbers (``3,5 %`` and ``3.5%`` are one number), keyphrases (content words of the
title and lead), the publication time (``None`` when unknown: no time penalty then) and the
language. An article with no title and no text is described by its URL slug's words; one
with no publication date is timed by the date in its dateline, when it has one.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from datetime import datetime

from anyascii import anyascii

from primenews.embed.text import slug_words
from primenews.models import Article
from primenews.sources.dates import dateline_date

__all__ = ["ArticleFeatures", "extract_features", "fold", "lead_text"]

ENTITY_KEY_CHARS = 5  # transliterations agree on a name's first letters more than on its end
KEYPHRASE_KEY_CHARS = 6  # a crude, language-blind stem
LEAD_CHARS = 1000

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*", re.UNICODE)
_NUMBER = re.compile(r"(?<![\w.,])(\d+(?:[.,]\d+)*)(\s?(?:%|per ?cent|prozent|por ciento))?", re.I)
_THOUSANDS = re.compile(r"^\d{1,3}(?:[.,]\d{3})+$")
_SENTENCE_END = re.compile(r"[.!?:;\"“”«»]\s*$")

# Function words of the languages we meet most; a capitalised one is not a name.
_STOPWORDS = frozenset(
    """
    a an and are as at be but by for from has have he her his in is it its of on or our she that
    the their them they this to was we were will with who what when where which why how after
    before over under new says said also not no more than into about up out one two three first
    last year years week day today yesterday monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december
    der die das den dem des ein eine einer eines einem und oder aber nach vor mit von zu zum zur
    im am ist sind war wird wurde werden hat haben bei auf aus fur uber unter nicht auch sich
    sie er es wir ihr als wie wenn dass noch nur schon seit bis gegen um durch el la los las un
    una unos unas y o pero de del al en con por para sin sobre tras desde es son fue ha han se
    su sus que como mas este esta estos estas ese esa lo le les le la les un une des et ou mais
    de du au aux en dans avec par pour sans sur apres avant est sont a ont se sa son ses qui que
    comme plus ce cette ces il elle ils elles nous vous il lo la gli le i un una uno e o ma di
    da in con su per tra fra del della dei delle nel nella al alla che come piu questo questa
    sono ha hanno si de het een en of maar van in op met voor na bij aan uit door over is zijn
    was werd wordt heeft hebben dat die deze dit als ook niet nog
    """.split()  # noqa: SIM905
)


@dataclass(frozen=True, slots=True)
class ArticleFeatures:
    """The clustering view of one article."""

    article_id: int
    entities: frozenset[str]
    numbers: frozenset[str]
    keyphrases: frozenset[str]
    published_at: datetime | None
    language: str | None
    words: int  # words of title + lead: how much there is to go on
    fetched_at: datetime | None = None  # when PrimeNews got it (a live feed's undated entry)


@functools.lru_cache(maxsize=1 << 16)
def fold(word: str) -> str:
    """ASCII, case-folded, letters and digits only: ``Prigójine`` -> ``prigojine``.

    Memoised: news repeats its words, and folding every word of every lead was most of the
    time it takes to load the clustering state of a large store.
    """
    return "".join(ch for ch in anyascii(word).casefold() if ch.isalnum())


def lead_text(article: Article, *, chars: int = LEAD_CHARS) -> str:
    """The title and the opening of the text (or the URL slug's words when both are empty)."""
    title = (article.title or "").strip()
    body = article.text.strip()
    if title and body.startswith(title):
        body = body[len(title) :].lstrip(" .\n")
    lead = body[:chars]
    text = f"{title}.\n\n{lead}" if title and lead else title or lead
    return text if text.strip() else slug_words(article.url)


def extract_features(article: Article, *, lead_chars: int = LEAD_CHARS) -> ArticleFeatures:
    """Names, numbers, keyphrases, time and language of ``article``."""
    text = lead_text(article, chars=lead_chars)
    from_slug = not (article.title or "").strip() and not article.text.strip()
    lowercase_slug = from_slug and text == text.lower()  # case lost: every word may be a name
    tokens = _tokens(text)  # one pass over the words serves names, keyphrases and the count
    return ArticleFeatures(
        article_id=article.id,
        entities=_entity_keys(text, tokens, all_words=lowercase_slug),
        numbers=extract_numbers(text),
        keyphrases=_keyphrase_keys(tokens),
        published_at=article.published_at or dateline_date(text),
        language=article.language,
        words=len(tokens),
        fetched_at=article.fetched_at,
    )


def _tokens(text: str) -> list[tuple[str, str, int]]:
    """Every word of ``text``: (as written, folded, where it starts)."""
    return [(m.group(), fold(m.group()), m.start()) for m in _TOKEN.finditer(text)]


def _entity_keys(
    text: str, tokens: list[tuple[str, str, int]], *, all_words: bool
) -> frozenset[str]:
    """Keys of capitalised, name-like words; ``all_words`` for slugs (where case is lost)."""
    named: list[tuple[str, bool]] = []  # (folded word, starts a sentence)
    for word, folded, start in tokens:
        if not all_words and not word[0].isupper():
            continue
        # a sentence's first word is a name only if it is capitalised mid-sentence somewhere
        initial = not all_words and _starts_sentence(text, start)
        named.append((folded, initial and not _looks_named(word)))
    inside = {folded for folded, initial in named if not initial}
    keys: set[str] = set()
    for folded, initial in named:
        if len(folded) < 3 or folded in _STOPWORDS:
            continue
        if initial and folded not in inside:
            continue  # only capitalised because it starts a sentence
        keys.add(folded[:ENTITY_KEY_CHARS])
    return frozenset(keys)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 3) : start]
    return start == 0 or "\n" in before or bool(_SENTENCE_END.search(before))


def _looks_named(word: str) -> bool:
    """A sentence-initial word still counts when it is an acronym or has inner capitals."""
    return sum(ch.isupper() for ch in word) > 1


def extract_numbers(text: str) -> frozenset[str]:
    """Normalised numbers: separators dropped, decimal commas made points, percents marked."""
    found: set[str] = set()
    for match in _NUMBER.finditer(text):
        raw, percent = match.group(1), match.group(2)
        value = re.sub(r"[.,]", "", raw) if _THOUSANDS.match(raw) else raw.replace(",", ".")
        value = value.rstrip(".")
        if len(value) < 2 and not percent:
            continue  # single digits are everywhere
        found.add(value + ("%" if percent else ""))
    return frozenset(found)


def _keyphrase_keys(tokens: list[tuple[str, str, int]]) -> frozenset[str]:
    """Stems of the content words (four letters or more, not function words)."""
    return frozenset(
        folded[:KEYPHRASE_KEY_CHARS]
        for _word, folded, _start in tokens
        if len(folded) >= 4 and folded not in _STOPWORDS
    )
