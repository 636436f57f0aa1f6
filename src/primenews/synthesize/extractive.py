"""The default synthesizer: an extractive-compressive story page, with no model.

    reports --timeline--> candidates without the "still going on" sentences of superseded
            reports --ranking--> salient, non-redundant sentences (cross-outlet centrality, lead
            position, title words; MMR)  --openers--> each sentence able to stand alone
            --compress--> asides deleted (brackets, dash asides, who/which clauses, leading
            discourse phrases), attribution and quotes kept
            --sections--> later developments first, then sub-topic groups of at least two
            sentences, chronological inside, keyphrase subheadings
            --headline--> the most representative title, at most 90 characters
            --quotes--> up to three attributed quotes;  --coverage--> facts and sources

Every page sentence is a report sentence (a leading dateline or label and a dangling
connective dropped, or a pronoun replaced by the name it stands for, and asides deleted by
:mod:`.compress`) and cites it, plus every other independent report's sentence that on its own
passes the grounding check for it (:mod:`.support`), so multi-outlet support is visible. Copies
are never quoted or cited when their original is a report of the story: they count in coverage
only. The page is written in the story's main language when its reports mix languages. Output
is deterministic: the same reports, in any order, give the same page.

Tuned on NeuS train only (``bench/synthesis.py --neus neus-train.jsonl``, 2,452 stories):
the title signal (a sentence's best match with one title, not the titles' centroid: +0.3
ROUGE-1), keeping sentences of 6-60 words (a 40-word cap cost 1.2 ROUGE-1), the redundancy
cut of 0.5 (0.3 cost 0.4) and the novelty floor of 0.45 (0.6 cost 0.2 ROUGE-2). After the
first three sentences chosen the floor rises to 0.6 (``body_novelty``): the body of a page then
adds facts instead of restating the lead in other words (on the demo, pages-dev and ECB+ pages,
sentence pairs sharing half their terms, four at least, fell from 353 to 162 while the
sentences fell from 1,546 to 1,497; NeuS train, 400 stories: ROUGE-1/2 -0.11/-0.11, as the
body's sentences reorder). The salience
weights, MMR λ, stem length and per-section size were swept there too and moved ROUGE by
under ±0.3, so :class:`ExtractiveOptions` keeps round defaults. Tried on train stories 0-499,
checked on held-out 1800-2451, and dropped because no gain held there: a supervised scorer of
the first sentence (ridge regression on 13 signals, fitted on 0-1799 to the page's ROUGE with
that sentence first: no better first picks on 1800-2451), a consensus signal (how many
reports use a sentence's terms: +0.4 ROUGE-1/2 on 0-499, +0.0 on all 2,452), SumBasic-style
word-probability selection (ROUGE-1/2 -0.5/-1.1 on 0-499, +0.4/-0.3 held out), a penalty on
questions, exclamations and first-person sentences (±0.1). Compression moves NeuS ROUGE by
under 0.1 (its leads have few asides) and is on because it shortens page sentences without
losing a cited fact. Skipping another outlet's retelling of a chosen sentence (``retelling``)
halved the repeated pairs on NeuS train pages but cost 0.1 ROUGE-1/2 there, all of it on pages
left shorter than the reference, so it applies only to stories with more candidate sentences
than three leads give (``retelling_candidates``). NeuS val is measured with every setting fixed.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from primenews.errors import SynthesisError
from primenews.models import Article, Citation, PageSentence, Report, Section, StoryPage
from primenews.synthesize.compress import CompressOptions, compress_sentence
from primenews.synthesize.coverage import describe_coverage, list_sources, report_order
from primenews.synthesize.headline import choose_headline, explainer
from primenews.synthesize.openers import has_dangling_opener, repair_opener, strip_dateline
from primenews.synthesize.quotes import pick_quotes
from primenews.synthesize.ranking import (
    Candidate,
    Ranked,
    RankWeights,
    collect_candidates,
    independent_reports,
    rank_candidates,
    select_sentences,
)
from primenews.synthesize.sections import closest_group, group_sentences, order_group
from primenews.synthesize.sentences import split_sentences
from primenews.synthesize.subheadings import heading_context, keyphrase_heading
from primenews.synthesize.support import supporting_sentences
from primenews.synthesize.timeline import (
    TimelineOptions,
    bears_news,
    later_developments,
    stale_candidates,
    superseded_candidates,
    superseded_titles,
    window_start,
)

__all__ = ["ExtractiveOptions", "ExtractiveSynthesizer"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ExtractiveOptions:
    """Knobs of the extractive writer (defaults tuned on NeuS train)."""

    max_sentences: int = 12  # summary + section sentences
    mmr_lambda: float = 0.7
    redundancy: float = 0.5  # never choose a sentence this similar to a chosen one
    novelty: float = 0.45  # least share of a sentence's content terms the page has not said
    body_novelty: float | None = 0.6  # the same after the first ``lead_count`` sentences
    lead_count: int = 3
    # another outlet's retelling of a chosen sentence (cosine at least this, each the other's
    # closest sentence in its report, published within a day) is skipped when the story holds
    # at least ``retelling_candidates`` candidate sentences: it has new facts to say instead
    retelling: float | None = 0.3
    retelling_candidates: int = 24
    min_words: int = 6
    max_words: int = 60
    per_section: int = 3
    max_sections: int = 5
    max_quotes: int = 3
    headline_chars: int = 90
    min_main_language_sentences: int = 3  # below this, other languages' sentences are used
    weights: RankWeights = field(default_factory=RankWeights)
    compress: CompressOptions | None = field(default_factory=CompressOptions)  # None: verbatim
    timeline: TimelineOptions = field(default_factory=TimelineOptions)


class ExtractiveSynthesizer:
    """Writes a story page by choosing and arranging report sentences (no model)."""

    name = "extractive"

    def __init__(self, options: ExtractiveOptions | None = None) -> None:
        self.options = options or ExtractiveOptions()

    def write(self, story_id: int, reports: Sequence[Report]) -> StoryPage:
        """The story page of ``reports``; :class:`SynthesisError` when none has a sentence."""
        started = time.perf_counter()
        ordered = sorted(reports, key=report_order)
        evidence = independent_reports(ordered)
        articles = {r.article.id: r.article for r in ordered}
        ranked, language = self._rank(story_id, evidence)
        chosen = select_sentences(
            ranked,
            count=self.options.max_sentences,
            mmr_lambda=self.options.mmr_lambda,
            redundancy=self.options.redundancy,
            novelty=self.options.novelty,
            body_novelty=self.options.body_novelty,
            lead_count=self.options.lead_count,
            retelling=self._retelling(ranked),
        )
        writer = _PageWriter(ranked, articles, self.options.compress)
        fresh = self._fresh(writer, chosen)
        # a story that developed leads with where it stands: the latest reports' news
        summary, rest = writer.summary([*fresh, *(i for i in chosen if i not in fresh)])
        sections = self._sections(writer, rest, language)
        titles = self._headline_titles(evidence, language, ranked, latest=bool(fresh))
        page = StoryPage(
            story_id=story_id,
            headline=choose_headline(
                titles,
                summary.text,
                limit=self.options.headline_chars,
                sentences=[s.text for x in sections for s in x.sentences],
            ),
            summary=summary,
            sections=sections,
            quotes=tuple(
                pick_quotes(
                    ranked.candidates,
                    ranked.scores,
                    articles,
                    limit=self.options.max_quotes,
                    said=[s.text for s in (summary, *(s for x in sections for s in x.sentences))],
                )
            ),
            coverage=describe_coverage(ordered),
            sources=list_sources(ordered),
            backend=self.name,
        )
        logger.debug(
            "story page written",
            extra={
                "story_id": story_id,
                "stage": "synthesize",
                "duration_ms": round((time.perf_counter() - started) * 1000),
            },
        )
        return page

    def _retelling(self, ranked: Ranked) -> float | None:
        """The retelling floor for this story, or None when it has too few candidate sentences
        to fill a page without retellings (a story told in three leads)."""
        if len(ranked.candidates) < self.options.retelling_candidates:
            return None
        return self.options.retelling

    def _fresh(self, writer: _PageWriter, chosen: list[int]) -> list[int]:
        """The chosen sentences that may lead as the story's later developments (see
        :func:`later_developments`): those that bear news (:func:`bears_news`), when the story
        has at least two later developments and the best that bears news ranks near the
        story's best sentence (``lead_share`` of its score: a later analysis or feature piece
        does not lead); else none."""
        supporters = [writer.cited_articles(index) for index in chosen]
        candidates = writer.ranked.candidates
        fresh = later_developments(chosen, candidates, supporters, self.options.timeline)
        news = [index for index in fresh if bears_news(candidates[index].text)]
        scores = writer.ranked.scores
        best = max((float(scores[i]) for i in chosen), default=0.0)
        strong = max((float(scores[i]) for i in news), default=0.0)
        if len(fresh) < 2 or strong < self.options.timeline.lead_share * best:
            return []
        return news

    def _headline_titles(
        self, evidence: list[Report], language: str | None, ranked: Ranked, *, latest: bool
    ) -> list[str]:
        """The titles the headline is chosen from: the main language's, less those later
        reports superseded (a raised count, an ended state), when others remain; only the
        latest reports' (see :func:`window_start`) when ``latest`` and they have titles."""
        dated = [
            (r.article.title or "", r.article.published_at)
            for r in evidence
            if _in_language(r, language)
        ]
        timeline = self.options.timeline
        old = superseded_titles(dated, ranked.candidates, timeline)
        kept = [(title, when) for index, (title, when) in enumerate(dated) if index not in old]
        opens = window_start([when for _title, when in dated], timeline.stale_hours)
        newest = [
            title
            for title, when in kept
            if when is not None and opens is not None and when > opens and not explainer(title)
        ]
        for titles in (newest if latest else [], [t for t, _when in kept]):
            if any(t.strip() for t in titles):
                return titles
        return [title for title, _when in dated]

    def _rank(self, story_id: int, evidence: list[Report]) -> tuple[Ranked, str | None]:
        """Candidates of the independent reports, scored; only those in the story's main
        language when it has enough of them (the others still count in coverage)."""
        options = self.options
        candidates = collect_candidates(
            evidence, min_words=options.min_words, max_words=options.max_words
        )
        if not candidates:  # short or odd reports: take any sentence with words
            candidates = collect_candidates(evidence, min_words=1, max_words=10_000, strict=False)
        if not candidates:
            raise SynthesisError(
                f"story {story_id}: none of its {len(evidence)} independent reports has a "
                "usable sentence; check that the articles have extracted text"
            )
        language = _main_language(evidence)
        languages = {r.article.id: r.article.language for r in evidence}
        same = [c for c in candidates if languages[c.article_id] in (None, language)]
        if language is not None and len(same) >= options.min_main_language_sentences:
            candidates = same
        stale = stale_candidates(candidates, options.timeline)
        stale |= superseded_candidates(candidates, _dated_titles(evidence), options.timeline)
        if stale and len(candidates) - len(stale) >= options.min_main_language_sentences:
            candidates = [c for i, c in enumerate(candidates) if i not in stale]
        titles = [
            r.article.title for r in evidence if r.article.title and _in_language(r, language)
        ]
        return rank_candidates(candidates, titles, options.weights), language

    def _sections(
        self, writer: _PageWriter, rest: list[int], language: str | None
    ) -> tuple[Section, ...]:
        """Sub-topic sections of the chosen sentences after the summary (in the story's main
        ``language``): the story's later developments first when it has at least two, then
        the topics by salience."""
        options = self.options
        supporters = [writer.cited_articles(index) for index in rest]
        fresh = later_developments(rest, writer.ranked.candidates, supporters, options.timeline)
        lead = [fresh] if len(fresh) >= 2 and len(fresh) < len(rest) else []
        remaining = [index for index in rest if not lead or index not in fresh]
        groups = lead + group_sentences(
            remaining,
            writer.ranked.similarity,
            per_section=options.per_section,
            max_sections=options.max_sections - len(lead),
        )
        rank = {index: place for place, index in enumerate(rest)}
        groups, bodies = self._bodies(writer, groups, rank, protected=len(lead))
        candidates = writer.ranked.candidates
        context = heading_context(
            [c.text for c in candidates], [c.article_id for c in candidates], language
        )
        used: set[str] = set()
        sections: list[Section] = []
        for index, body in enumerate(bodies):
            others = [s.text for j, other in enumerate(bodies) if j != index for s in other]
            heading = keyphrase_heading([s.text for s in body], others, used, context)
            sections.append(Section(heading, tuple(body)))
        return tuple(sections)

    def _bodies(
        self,
        writer: _PageWriter,
        groups: list[list[int]],
        rank: Mapping[int, int],
        *,
        protected: int,
    ) -> tuple[list[list[int]], list[list[PageSentence]]]:
        """Each group's page sentences in reading order; a group left with one sentence (or
        none) joins its closest group while there are others, so no section is a lone
        sentence. The first ``protected`` groups take no one in while others can."""
        candidates = writer.ranked.candidates
        when = [c.published_at for c in candidates]
        position = [c.position for c in candidates]
        owner = [c.article_id for c in candidates]

        def write(members: list[int]) -> list[PageSentence]:
            return writer.section_sentences(order_group(members, when, position, owner, rank))

        groups = [list(g) for g in groups]
        bodies = [write(g) for g in groups]
        while len(groups) > 1:
            lone = next((i for i, body in enumerate(bodies) if len(body) <= 1), None)
            if lone is None:
                break
            members, body = groups.pop(lone), bodies.pop(lone)
            protected -= 1 if lone < protected else 0
            if not body:
                continue
            targets = list(range(protected, len(groups))) or list(range(len(groups)))
            target = closest_group(members, [groups[i] for i in targets], writer.ranked.similarity)
            merged = targets[target]
            groups[merged] = groups[merged] + members
            bodies[merged] = write(groups[merged])
        return groups, [body for body in bodies if body]


def _dated_titles(reports: Sequence[Report]) -> list[tuple[str, datetime | None]]:
    return [(r.article.title, r.article.published_at) for r in reports if r.article.title]


def _main_language(reports: Sequence[Report]) -> str | None:
    counts = Counter(r.article.language for r in reports if r.article.language)
    if not counts:
        return None
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[0][0]


def _in_language(report: Report, language: str | None) -> bool:
    return language is None or report.article.language in (None, language)


class _PageWriter:
    """Turns chosen candidates into cited page sentences that stand alone."""

    def __init__(
        self, ranked: Ranked, articles: Mapping[int, Article], compress: CompressOptions | None
    ) -> None:
        self.ranked = ranked
        self.articles = articles
        self.compress = compress
        self._cache: dict[int, PageSentence] = {}

    def cited_articles(self, index: int) -> set[int]:
        """The articles a candidate's page sentence cites (itself and its supporters)."""
        return {citation.article_id for citation in self._cited(index).citations}

    def _shorter(self, text: str) -> str:
        """``text`` compressed (see :mod:`.compress`) unless compression is off."""
        return text if self.compress is None else compress_sentence(text, self.compress)

    def summary(self, chosen: list[int]) -> tuple[PageSentence, list[int]]:
        """The first chosen sentence that can stand alone, and the rest of ``chosen``."""
        for place, index in enumerate(chosen):
            sentence = self._standalone(index)
            if sentence is not None:
                return sentence, chosen[:place] + chosen[place + 1 :]
        raise SynthesisError("no chosen sentence can stand alone as the page summary")

    def section_sentences(self, members: list[int]) -> list[PageSentence]:
        """``members`` as page sentences; a dangling sentence stays only right after the
        sentence it follows in its report, else it is repaired or dropped."""
        sentences: list[PageSentence] = []
        previous: Candidate | None = None
        for index in members:
            candidate = self.ranked.candidates[index]
            follows = (
                previous is not None
                and previous.article_id == candidate.article_id
                and previous.position == candidate.position - 1
            )
            sentence = self._cited(index) if follows else self._standalone(index)
            if sentence is not None:
                sentences.append(sentence)
                previous = candidate
        return sentences

    def _standalone(self, index: int) -> PageSentence | None:
        candidate = self.ranked.candidates[index]
        text = strip_dateline(candidate.text)
        if not has_dangling_opener(text):
            return self._cited(index)
        article = self.articles[candidate.article_id]
        repair = repair_opener(text, article.text[: candidate.start])
        if repair.text is None:
            return None
        cited = self._cited(index)
        extra: tuple[Citation, ...] = ()
        if repair.name_at is not None:
            extra = (_citation_at(article, repair.name_at),)
        return PageSentence(self._shorter(repair.text), cited.citations + extra)

    def _cited(self, index: int) -> PageSentence:
        """The candidate (without a leading dateline) citing itself and its supporters."""
        if index not in self._cache:
            candidate = self.ranked.candidates[index]
            own = Citation(candidate.article_id, candidate.start, candidate.end, candidate.text)
            others = supporting_sentences(self.ranked, index)
            text = self._shorter(strip_dateline(candidate.text))
            self._cache[index] = PageSentence(text, (own, *others))
        return self._cache[index]


def _citation_at(article: Article, offset: int) -> Citation:
    """A citation of the sentence of ``article`` that contains ``offset``."""
    for span in split_sentences(article.text):
        if span.start <= offset < span.end:
            return Citation(article.id, span.start, span.end, span.text)
    raise SynthesisError(f"article {article.id}: offset {offset} is in no sentence")
