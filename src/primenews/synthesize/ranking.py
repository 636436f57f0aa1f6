"""Which report sentences a story page should say: candidates, salience, and MMR selection.

A sentence is salient when other outlets say the same (cross-report centrality: its best match
in each other independent report, averaged), when it is central within the story (its mean
similarity to every other sentence, as in LexRank's degree centrality), when it opens its
report (news leads carry the facts) and when it shares words with the reports' titles. The
score is a weighted sum of the four, each scaled to 0..1 over the story, scaled again, less a
mark for a loaded word in the reporter's voice (see :mod:`.neutrality`). Selection is
maximal marginal relevance: the next sentence maximises ``λ·score − (1−λ)·max similarity to
the sentences already chosen``; a sentence too similar to a chosen one, or one whose content
terms the chosen sentences have mostly said already (a paraphrase), is never chosen, so the
page says each fact once. Copies are not candidates when their original is present.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from primenews.models import Report
from primenews.synthesize.neutrality import loaded_words
from primenews.synthesize.openers import DATE
from primenews.synthesize.prose import fit_for_page, looks_like_prose
from primenews.synthesize.sentences import Span, split_sentences
from primenews.synthesize.textstats import (
    TermMatrix,
    is_stopword,
    term_matrix,
    terms_of,
    words_of,
)

__all__ = [
    "Candidate",
    "RankWeights",
    "Ranked",
    "collect_candidates",
    "independent_reports",
    "rank_candidates",
    "select_sentences",
]

# a headline and its date before the first sentence, with no stop between them
# ("… as No. 1 U.S. music seller April 9, 2008 …", "… Apple Inc. doubled its profits …")
_HEADLINE_CHAR = (  # an abbreviation's or a number's full stop ends no headline
    r"(?:[^.!?]|(?<=\b[A-Z])\.|(?<=\bNo)\.|(?<=\bInc)\.|(?<=\bLtd)\.|(?<=\bCorp)\.|(?<=\bCo)\."
    r"|(?<=\bJr)\.|(?<=\bSt)\.|\.(?=\d))"
)
_HEADLINE_DATE = re.compile(rf"^{_HEADLINE_CHAR}{{10,160}}?\s{DATE}\s+(?=[A-Z])")
HEADLINE_WORDS = 12
_SAME_DAY = timedelta(
    hours=24
)  # a title repeated in the text shorter than this is a headline, not a lead
# where a headline ends in the text it tops: a stop, or the end of its line
_LINE_END = re.compile(r"[.!?:](?:\s|$)|[ \t]*(?:\n|$)")


@dataclass(frozen=True, slots=True)
class Candidate:
    """A report sentence that may go on the page: ``text == article.text[start:end]``."""

    article_id: int
    start: int
    end: int
    text: str
    position: int  # the sentence's index in its report
    published_at: datetime | None
    words: int


@dataclass(frozen=True, slots=True)
class RankWeights:
    """How much each salience signal counts (see the module docstring)."""

    cross: float = 1.0
    degree: float = 0.5
    position: float = 0.6
    title: float = 0.4
    position_decay: float = 1.0  # the position signal is 1 / (1 + position) ** decay
    loaded: float = 0.1  # taken off the scaled score of a sentence with a loaded word


@dataclass(frozen=True, slots=True)
class Ranked:
    """Candidates with their salience scores and pairwise similarities."""

    candidates: list[Candidate]
    scores: NDArray[np.float64]
    similarity: NDArray[np.float64]
    matrix: TermMatrix


def independent_reports(reports: list[Report]) -> list[Report]:
    """The reports that are evidence: originals, and copies whose original is not present."""
    present = {report.article.id for report in reports}
    return [r for r in reports if r.copy_of is None or r.copy_of not in present]


def collect_candidates(
    reports: list[Report], *, min_words: int, max_words: int, strict: bool = True
) -> list[Candidate]:
    """Every usable sentence of ``reports`` (in the order given); ``strict`` leaves out what
    does not look like prose (boilerplate, captions, fragments)."""
    candidates: list[Candidate] = []
    for report in reports:
        article = report.article
        title = _Title.of(article.title or "", article.text)
        for position, found in enumerate(_line_spans(article.text)):
            span = _after_title(_after_date(found), title) if position == 0 else found
            count = len(words_of(span.text))
            if not min_words <= count <= max_words:
                continue
            if strict and (not looks_like_prose(span.text) or _repeats_title(span.text, title)):
                continue  # the title repeated atop the text is a headline, not a sentence
            candidates.append(
                Candidate(
                    article_id=article.id,
                    start=span.start,
                    end=span.end,
                    text=span.text,
                    position=position,
                    published_at=article.published_at,
                    words=count,
                )
            )
    return candidates


@dataclass(frozen=True, slots=True)
class _Title:
    """A report's title as the candidate filters compare sentences with it (worked out once)."""

    text: str
    bare: str  # see _bare
    cased: bool  # in title case
    excerpt: bool = False  # the text's opening cut off mid-line, not a headline written for it

    @classmethod
    def of(cls, title: str, text: str = "") -> _Title:
        title = title.strip()
        ends = title.endswith((".", "!", "?")) or _LINE_END.match(text, len(title)) is not None
        cut = text.startswith(title) and not ends
        return cls(title, _bare(title), _title_case(title), bool(title) and cut)


def _after_date(span: Span) -> Span:
    """``span`` from the body on when it opens with a headline and a date glued to the first
    sentence ("Boeing unveils long-range 777 February 17, 2005 Boeing has unveiled …")."""
    match = _HEADLINE_DATE.match(span.text)
    if match is None or len(span.text[match.end() :].split()) < 6:
        return span
    return Span(span.start + match.end(), span.end, span.text[match.end() :])


def _after_title(span: Span, title: _Title) -> Span:
    """``span`` less the title glued to its start with no stop between them ("Lohan Checks
    Into Betty Ford Rehab Lindsay Lohan checked into …", "Boston looks to sign slugger for
    eight years Though the Red Sox …"): offsets move, the text is not rewritten. A title in
    title case goes before any capital; one in sentence case only before a capitalised
    function word ("Though", "The"), since it may simply open the sentence ("Quake kills 12
    in Tarsen Highlands, officials said")."""
    words = title.text.split()
    if len(words) < 3 or not span.text.startswith(title.text) or is_stopword(words[-1]):
        return span  # (ending on "the": the text's own opening cut off, no headline)
    rest = span.text[len(title.text) :]
    skip = len(rest) - len(rest.lstrip(" \t\u00a0.:;–—-"))
    opener = rest[skip:].split(" ", 1)[0]
    glued = title.cased or is_stopword(opener)
    if skip == 0 or not opener[:1].isupper() or not glued or len(rest.split()) < 6:
        return span  # the title runs on into the sentence: keep it whole
    cut = len(title.text) + skip
    return Span(span.start + cut, span.end, span.text[cut:])


def _title_case(title: str) -> bool:
    """Most of the title's words of four letters or more are capitalised."""
    long = [word for word in words_of(title) if len(word) >= 4 and word[:1].isalpha()]
    return len(long) >= 3 and sum(word[0].isupper() for word in long) > 0.6 * len(long)


def _repeats_title(text: str, title: _Title) -> bool:
    """Whether the sentence ``text`` is the headline ``title`` (or one of its sentences:
    "China Once Looked Tough on Trade." of "China Once Looked Tough on Trade. Now …") written
    as a headline: in title case, short (fewer than :data:`HEADLINE_WORDS` words), only part
    of the title ("… construction crews are missing." of "… are missing. Live updates"), or a
    question or exclamation given a full stop ("Are the tweets strategic?."). A sentence-case
    title as long as a lead sentence, which wire copy repeats whole as its lead, stays."""
    bare = _bare(text)
    if not title.bare or len(bare.split()) < 3 or bare not in title.bare:
        return False
    short = len(bare.split()) < HEADLINE_WORDS  # "Trump loses patience with Puerto Rico."
    # one sentence of a longer headline: "… are missing." of "… are missing. Live updates"
    part = bare != title.bare and not title.excerpt
    return short or part or title.cased or text.rstrip().endswith(("?.", "!.", "?”.", '?".'))


def _bare(text: str) -> str:
    """``text`` case-folded without white space runs and end punctuation, for comparing a
    sentence with a title ("Are the tweets strategic?." and "Are the tweets strategic?")."""
    return " ".join(text.split()).rstrip(" .?!…").casefold()


def _line_spans(text: str) -> list[Span]:
    """The sentences of ``text``, each further cut at single line breaks: a page's title,
    dateline or caption glued to the first sentence by one newline is not part of it."""
    spans: list[Span] = []
    for span in split_sentences(text):
        start = span.start
        for line in span.text.split("\n"):
            stripped = line.strip()
            if stripped:
                offset = text.index(stripped, start)
                spans.append(Span(offset, offset + len(stripped), stripped))
            start += len(line) + 1
    return spans


def rank_candidates(candidates: list[Candidate], titles: list[str], weights: RankWeights) -> Ranked:
    """Salience of every candidate (0..1 scaled signals, weighted, summed)."""
    matrix = term_matrix([c.text for c in candidates], [c.article_id for c in candidates])
    similarity = matrix.similarity()
    np.fill_diagonal(similarity, 0.0)
    owners = np.array([c.article_id for c in candidates])
    cross = _cross_centrality(similarity, owners)
    count = len(candidates)
    degree = similarity.sum(axis=1) / max(1, count - 1)
    position = np.array([1.0 / (1.0 + c.position) ** weights.position_decay for c in candidates])
    title = _title_similarity(matrix, titles, count)
    scores = (
        weights.cross * _scaled(cross)
        + weights.degree * _scaled(degree)
        + weights.position * position
        + weights.title * _scaled(title)
    )
    # a verdict in the reporter's voice ("slams", "spineless"): a neutral page says it another way
    loaded = np.array([loaded_words(c.text) > 0 for c in candidates], dtype=np.float64)
    return Ranked(candidates, _scaled(scores) - weights.loaded * loaded, similarity, matrix)


def _cross_centrality(
    similarity: NDArray[np.float64], owners: NDArray[np.int_]
) -> NDArray[np.float64]:
    """For each sentence, its best match in every other report, averaged over those reports."""
    reports = sorted(set(owners.tolist()))
    if len(reports) < 2:
        return np.zeros(len(owners), dtype=np.float64)
    best = np.zeros((len(owners), len(reports)), dtype=np.float64)
    for column, report in enumerate(reports):
        mask = owners == report
        best[:, column] = similarity[:, mask].max(axis=1)
        best[mask, column] = 0.0
    return np.asarray(best.sum(axis=1) / (len(reports) - 1), dtype=np.float64)


def _title_similarity(matrix: TermMatrix, titles: list[str], count: int) -> NDArray[np.float64]:
    """Each sentence's best cosine with one of the titles."""
    if not titles:
        return np.zeros(count, dtype=np.float64)
    vectors = np.stack([matrix.vector(title) for title in titles])
    return np.asarray((matrix.rows @ vectors.T).max(axis=1), dtype=np.float64)


def _scaled(values: NDArray[np.float64]) -> NDArray[np.float64]:
    top = float(values.max()) if values.size else 0.0
    return values / top if top > 0 else values


def _retells(
    ranked: Ranked, owners: NDArray[np.int_], index: int, other: int, floor: float
) -> bool:
    """Whether candidate ``index`` tells the fact of ``other`` again in another report's words:
    they come from different reports published within a day of each other, are at least
    ``floor`` similar, and each is the other's closest sentence in its report (``owners``:
    each candidate's article id)."""
    candidates = ranked.candidates
    mine, theirs = candidates[index].article_id, candidates[other].article_id
    similarity = ranked.similarity
    if mine == theirs or similarity[index, other] < floor:
        return False
    dates = (candidates[index].published_at, candidates[other].published_at)
    if dates[0] is not None and dates[1] is not None and abs(dates[0] - dates[1]) > _SAME_DAY:
        return False  # a day later the same words tell a development, not a retelling
    in_theirs = np.flatnonzero(owners == theirs)
    in_mine = np.flatnonzero(owners == mine)
    return bool(
        in_theirs[similarity[index, in_theirs].argmax()] == other
        and in_mine[similarity[other, in_mine].argmax()] == index
    )


def select_sentences(
    ranked: Ranked,
    *,
    count: int,
    mmr_lambda: float,
    redundancy: float,
    novelty: float = 0.0,
    usable: Callable[[str], bool] = fit_for_page,
    body_novelty: float | None = None,
    lead_count: int = 0,
    retelling: float | None = None,
) -> list[int]:
    """Indices of up to ``count`` candidates, by maximal marginal relevance, best first.

    A candidate whose share of content terms not yet said by a chosen sentence is below
    ``novelty`` adds no fact and is skipped (paraphrases that a cosine cut misses); once
    ``lead_count`` sentences are chosen, ``body_novelty`` (when given) is that floor instead.
    A candidate is checked with ``usable`` only when it would be chosen.
    """
    scores = _scaled(ranked.scores)
    owners = np.array([c.article_id for c in ranked.candidates])
    chosen: list[int] = []
    said: set[str] = set()
    available = list(range(len(ranked.candidates)))
    while available and len(chosen) < count:
        best_index, best_value = -1, -np.inf
        for index in available:
            overlap = max((ranked.similarity[index, c] for c in chosen), default=0.0)
            if overlap >= redundancy:
                continue
            value = mmr_lambda * scores[index] - (1.0 - mmr_lambda) * overlap
            if value > best_value:
                best_index, best_value = index, value
        if best_index < 0:
            break
        available.remove(best_index)
        text = ranked.candidates[best_index].text
        terms = set(terms_of(text))
        floor = novelty if body_novelty is None or len(chosen) < lead_count else body_novelty
        if chosen and terms and len(terms - said) < floor * len(terms):
            continue
        if retelling is not None and any(
            _retells(ranked, owners, best_index, c, retelling) for c in chosen
        ):
            continue
        if usable(text):
            chosen.append(best_index)
            said |= terms
    return chosen
