"""Key quotes: verbatim quoted speech from the reports, with who said it.

A quote is text between quotation marks (“…”, "…", «…», „…“) of at least five words, in a
sentence that says who spoke: “…,” said X / “…,” X said / X said: “…” / “…,” according to X
(and "dijo X", "según X", "sagte X", "a déclaré X"). A subject pronoun ("he said") is resolved
to the first person named in the sentence before it (its subject, as a rule), else to the last
full name in the two sentences before it; a quote whose speaker cannot be named is left out,
since an unattributed quote is not a key quote, and so is a quote that starts mid-sentence
(lower case: a fragment woven into the reporter's sentence). Quotes are ranked by the salience
of their sentence, one per speaker (a name and its longer form, "Piet Vandeleur" and "Seismologist
Piet Vandeleur", are one speaker), near-duplicates (the same words in two outlets) kept once;
quotes the page's own sentences do not carry come before those they do.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import numpy as np
from numpy.typing import NDArray

from primenews.models import Article, Citation, Quote
from primenews.synthesize.openers import full_name, last_named_person, last_subject
from primenews.synthesize.prose import passes_gate
from primenews.synthesize.ranking import Candidate
from primenews.synthesize.textstats import fold, words_of

__all__ = ["find_quote", "pick_quotes"]

MIN_QUOTE_WORDS = 5
_QUOTED = re.compile(r"“([^”]+)”|\"([^\"]+)\"|«\s?([^»]+?)\s?»|„([^“”]+)[“”]")
_NAME = r"((?:[A-ZÀ-ÖØ-Þ][\w.'’-]*\s){0,3}[A-ZÀ-ÖØ-Þ][\w'’-]+)"
_PRONOUN = r"(he|she|He|She|él|ella|er|sie|il|elle)"
_VERB = (
    r"(?:said|says|told\s+\w+|added|wrote|stated|explained|warned|insisted|dijo|afirmó|"
    r"declaró|sagte|erklärte|a\s+déclaré|a\s+dit|ha\s+detto)"
)
_AFTER = [
    re.compile(rf"^[,.]?\s*{_VERB}\s+{_NAME}"),
    re.compile(rf"^[,.]?\s*{_NAME}\s+{_VERB}\b"),
    re.compile(rf"^[,.]?\s*(?:according\s+to|según|laut|selon)\s+{_NAME}"),
    re.compile(rf"^[,.]?\s*{_PRONOUN}\s+{_VERB}\b"),
    re.compile(rf"^[,.]?\s*{_VERB}\s+{_PRONOUN}\b"),
]
_BEFORE = [
    re.compile(rf"{_NAME}\s+{_VERB}(?:\s+\w+)?[:,]?\s*$"),
    re.compile(rf"(?:according\s+to|según|laut|selon)\s+{_NAME}[:,]?\s*$"),
    re.compile(rf"\b{_PRONOUN}\s+{_VERB}[:,]?\s*$"),
]
_TITLE_WORDS = frozenset(["The", "A", "An", "But", "And", "In", "On", "As", "When"])


def find_quote(sentence: str, before: str) -> tuple[str, str] | None:
    """The first attributed quote in ``sentence`` as (quote text, speaker), or ``None``.

    ``before`` is the report's text before the sentence, for resolving "he said".
    """
    for match in _QUOTED.finditer(sentence):
        inner = next(group for group in match.groups() if group is not None)
        inner = inner.strip().rstrip(",")
        if len(words_of(inner)) < MIN_QUOTE_WORDS or _partial(inner):
            continue
        speaker = _speaker(sentence[match.end() :], _AFTER, before)
        if speaker is None:
            speaker = _speaker(sentence[: match.start()], _BEFORE, before)
        if speaker is not None:
            return inner, speaker
    return None


def _partial(inner: str) -> bool:
    """Whether the quoted words start mid-sentence ('said the talks "seemed to be going
    well"'): a fragment woven into the reporter's sentence, not a key quote."""
    first = next((ch for ch in inner if ch.isalnum()), "")
    return first.islower()


def _speaker(context: str, patterns: list[re.Pattern[str]], before: str) -> str | None:
    for pattern in patterns:
        match = pattern.search(context)
        if match is None:
            continue
        name = match.group(1)
        if fold(name) in {"he", "she", "el", "ella", "er", "sie", "il", "elle"}:
            # the subject of the sentence before, else the last person of the two before:
            # 'Pelosi told … doing her best Joe Namath imitation. "…," she told ABC.'
            found = last_subject(before) or last_named_person(_last_sentences(before))
            return found[0] if found else None
        parts = name.split()
        while parts and parts[0] in _TITLE_WORDS:
            parts = parts[1:]
        if parts and parts[-1].endswith(("'s", "’s")):
            return None  # "…," Biancardi's lawyer said: someone the report does not name
        if len(parts) == 1:  # '…," Reyes-Tarn said': the report named her in full before
            return full_name(parts[0], before) or parts[0]
        if parts:
            return " ".join(parts)
    return None


def _last_sentences(before: str, count: int = 2) -> str:
    """Roughly the last ``count`` sentences of ``before``."""
    cut = len(before)
    for _ in range(count):
        stop = max(before.rfind(". ", 0, cut - 1), before.rfind("\n", 0, cut - 1))
        if stop < 0:
            return before
        cut = stop
    return before[cut:]


def pick_quotes(
    candidates: Sequence[Candidate],
    scores: NDArray[np.float64],
    articles: Mapping[int, Article],
    *,
    limit: int,
    said: Sequence[str] = (),
) -> list[Quote]:
    """Up to ``limit`` key quotes from ``candidates``, best first (see the module docstring).

    ``said`` are the page's sentences: quotes none of them carries come first, so the key
    quotes add voices before they repeat the page (as pull quotes).
    """
    attributed: list[tuple[float, int, str, str]] = []
    for index, candidate in enumerate(candidates):
        article = articles[candidate.article_id]
        quote = find_quote(candidate.text, article.text[: candidate.start])
        if quote is not None:
            attributed.append((-float(scores[index]), index, quote[0], quote[1]))
    # only a page sentence that quotes someone can carry a quote
    quoting = [s for s in said if _QUOTED.search(s)] if attributed else []
    page = [_folded_words(sentence) for sentence in quoting]
    found = [(_carried(_folded_words(q[2]), page), *q) for q in attributed]
    quotes: list[Quote] = []
    speakers: list[tuple[str, ...]] = []
    seen: list[set[str]] = []
    for _, _, index, text, speaker in sorted(found):
        name = tuple(fold(w) for w in words_of(speaker))
        words = _folded_words(text)
        if any(_same_person(name, other) for other in speakers) or _carried(words, seen):
            continue
        candidate = candidates[index]
        if not passes_gate(candidate.text):
            continue
        article = articles[candidate.article_id]
        citation = Citation(candidate.article_id, candidate.start, candidate.end, candidate.text)
        quotes.append(Quote(text, speaker, article.outlet or article.site_name, citation))
        speakers.append(name)
        seen.append(words)
        if len(quotes) >= limit:
            break
    return quotes


def _folded_words(text: str) -> set[str]:
    return {fold(w) for w in words_of(text)}


def _carried(words: set[str], sentences: Sequence[set[str]]) -> bool:
    """Whether most of a quote's (folded) ``words`` are in one of the (folded) ``sentences``."""
    return any(len(words & sentence) > 0.6 * len(words) for sentence in sentences)


def _same_person(one: tuple[str, ...], other: tuple[str, ...]) -> bool:
    """Whether two speaker names name one person: one ends with the other ("Seismologist Piet
    Vandeleur", "Piet Vandeleur", "Vandeleur")."""
    short, long = (one, other) if len(one) <= len(other) else (other, one)
    return bool(short) and long[len(long) - len(short) :] == short
