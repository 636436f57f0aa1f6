"""Sections: the chosen sentences grouped by sub-topic, each under a keyphrase subheading.

Grouping is average-link agglomerative clustering on the sentences' TF-IDF cosine similarity,
merged down to ``ceil(n / per_section)`` groups (at least 2 when there are 2 sentences, at most
``max_sections``). Sections come in the order of their most salient sentence (the page leads
with what matters most); inside a section sentences are chronological: the report's publication
time, then the sentence's place in its report (undated reports by salience, each report's
sentences in their own order). A subheading is the section's best keyphrase: one to three
consecutive content words whose terms are used by many of the section's sentences and few of the
others' (RAKE-style), as written in the report.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray

from primenews.synthesize.gate_rules import boilerplate_kind, fragment, is_filler
from primenews.synthesize.textstats import WORD, fold, is_stopword, terms_of

__all__ = ["group_sentences", "keyphrase_heading", "order_group"]

MAX_HEADING_CHARS = 60
_BREAK = re.compile(r"[,;:.!?()\[\]\"“”«»—–]|\s-\s")


def group_sentences(
    chosen: Sequence[int],
    similarity: NDArray[np.float64],
    *,
    per_section: int,
    max_sections: int,
) -> list[list[int]]:
    """``chosen`` (salience order) split into sub-topic groups, most salient group first."""
    if not chosen:
        return []
    target = min(len(chosen), max(2, math.ceil(len(chosen) / per_section)), max_sections)
    largest = math.ceil(len(chosen) / target) + 1  # keep sections of comparable size
    clusters: list[list[int]] = [[index] for index in chosen]
    while len(clusters) > target:
        a, b = _closest_pair(clusters, similarity, largest)
        clusters[a] = clusters[a] + clusters[b]
        del clusters[b]
    rank = {index: place for place, index in enumerate(chosen)}
    return sorted(clusters, key=lambda members: min(rank[m] for m in members))


def _closest_pair(
    clusters: list[list[int]], similarity: NDArray[np.float64], largest: int
) -> tuple[int, int]:
    """The two clusters with the highest average link whose union is not over ``largest``
    (any two when every union is)."""
    best: tuple[bool, float, int, int] = (False, -math.inf, 0, 1)
    for a in range(len(clusters)):
        for b in range(a + 1, len(clusters)):
            fits = len(clusters[a]) + len(clusters[b]) <= largest
            link = float(similarity[np.ix_(clusters[a], clusters[b])].mean())
            if (fits, link) > best[:2]:
                best = (fits, link, a, b)
    return best[2], best[3]


def order_group(
    members: Sequence[int],
    when: Sequence[datetime | None],
    position: Sequence[int],
    owner: Sequence[int],
    rank: Mapping[int, int],
) -> list[int]:
    """``members`` in reading order: dated reports' sentences chronologically (publication
    time, then place in the report); then undated ones, whose times cannot be compared, by
    salience (``rank``), one report's sentences always in that report's order."""
    dated = sorted(
        (m for m in members if when[m] is not None),
        key=lambda i: (when[i], position[i], i),
    )
    undated = sorted((m for m in members if when[m] is None), key=lambda i: rank[i])
    slots: dict[int, list[int]] = {}
    for index in undated:
        slots.setdefault(owner[index], []).append(index)
    queues = {report: sorted(found, key=lambda i: position[i]) for report, found in slots.items()}
    return dated + [queues[owner[index]].pop(0) for index in undated]


def keyphrase_heading(texts: Sequence[str], others: Sequence[str], avoid: set[str]) -> str:
    """The section's subheading from its sentences ``texts`` against the other sections'.

    A term weighs the share of the section's sentences that use it less the share of the
    other sections' sentences that do; a phrase scores its terms' weights (averaged, so a long
    phrase must earn its length), with a bonus for two or three words and for names.
    """
    inside = _sentence_share(texts)
    outside = _sentence_share(others)
    scored: dict[str, tuple[float, str]] = {}
    for text in texts:
        for phrase in _phrases(text):
            key = " ".join(fold(word) for word in phrase.split())
            terms = terms_of(phrase)
            if not terms or key in avoid or all(term.isdigit() for term in terms):
                continue
            weights = [max(0.0, inside.get(t, 0.0) - outside.get(t, 0.0)) for t in terms]
            value = sum(weights) / len(weights) + 0.5 * max(weights)
            value *= 1.3 if 2 <= len(terms) <= 3 else 1.0
            value *= 1.2 if any(word[:1].isupper() for word in phrase.split()[1:]) else 1.0
            if key not in scored or value > scored[key][0]:
                scored[key] = (value, phrase)
    ranked = sorted(scored.items(), key=lambda item: (-item[1][0], -len(item[0]), item[0]))
    best = next(((k, p) for k, (_, p) in ranked if not _rejected(p)), None)
    if best is None:
        return _fallback_heading(texts, avoid)
    key, heading = best
    avoid.add(key)
    if len(heading) > MAX_HEADING_CHARS:
        heading = heading[:MAX_HEADING_CHARS].rsplit(" ", 1)[0]
    return _capitalised(heading)


def _rejected(phrase: str) -> bool:
    """Whether the publish gate would reject ``phrase`` as a heading (abstract, cut off,
    boilerplate-like)."""
    return bool(is_filler(phrase) or fragment(phrase) or boilerplate_kind(phrase))


def _fallback_heading(texts: Sequence[str], avoid: set[str]) -> str:
    """The first unused phrase of the section, else its first four words."""
    for text in texts:
        for phrase in _phrases(text):
            key = " ".join(fold(word) for word in phrase.split())
            if key not in avoid and not _rejected(phrase):
                avoid.add(key)
                return _capitalised(phrase)
    return _capitalised(" ".join(texts[0].split()[:4]).rstrip(",;:")) if texts else "Report"


def _sentence_share(texts: Sequence[str]) -> dict[str, float]:
    """For each term, the share of ``texts`` that use it."""
    counts = Counter(term for text in texts for term in set(terms_of(text)))
    return {term: count / len(texts) for term, count in counts.items()} if texts else {}


def _phrases(text: str) -> list[str]:
    """Every one to three word stretch of the runs of content words (runs split at
    punctuation and function words) that does not cut a name in two, in order."""
    phrases: list[str] = []
    for chunk in _BREAK.split(text):
        run: list[str] = []
        for word in [*WORD.findall(chunk), ""]:
            if word and not is_stopword(word) and len(fold(word)) >= 2:
                run.append(word)
                continue
            phrases.extend(_stretches(run))
            run = []
    return phrases


def _stretches(run: list[str]) -> list[str]:
    named = [word[:1].isupper() for word in run]
    found: list[str] = []
    for size in (1, 2, 3, 4):
        for start in range(len(run) - size + 1):
            end = start + size
            if size == 4 and not all(named[start:end]):
                continue  # four words only for a full name
            if start > 0 and named[start - 1] and named[start]:
                continue
            if end < len(run) and named[end - 1] and named[end]:
                continue
            found.append(" ".join(run[start:end]))
    return found


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text
