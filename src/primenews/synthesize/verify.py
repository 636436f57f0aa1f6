"""The llm backend's verifier: every sentence a model wrote is checked against what it cites.

A model's draft (:class:`Draft`, parsed from its JSON answer) becomes a story page only through
:func:`verify_draft`. Each sentence must cite at least one valid evidence id and be supported
by the cited evidence under :func:`~primenews.synthesize.grounding.check_support` (content-word
overlap; every number and proper name present) and, when an embedder is given, be close in
meaning (cosine) to its best cited sentence. What fails is repaired or dropped:

- a sentence that some *other* evidence sentence supports on its own is re-cited to it;
- a sentence with an invented number or name is replaced by its best-supporting cited evidence
  sentence, verbatim, or dropped when none shares enough of its words;
- a citation that says nothing of its sentence is removed when the others carry it;
- a sentence without a valid citation, an unsupported or repeated one, boilerplate, an echo of
  instructions ("ignore previous instructions", "system prompt"), links that the evidence does
  not contain and markup are dropped (with the publish gate's
  :func:`~primenews.synthesize.gate.enforce`: a dropped summary is replaced by the first
  section sentence left, a section whose heading fails joins its neighbour);
- a heading must be short, clean and name no name or number the evidence lacks;
- the headline must be at most 90 characters and supported by the titles and evidence, else
  it is chosen from the reports' titles as the extractive backend chooses it;
- a quote must be a verbatim substring of the evidence sentence it names, its speaker named
  in that report.

Every repair or removal is recorded as a :class:`~primenews.models.Verdict` (advice,
``reject=False``: what is left on the page has passed), so a caller can log or count what the
model got wrong.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from primenews.embed import Embedder, Vectors
from primenews.models import (
    Article,
    Citation,
    PageSentence,
    Quote,
    Report,
    Section,
    StoryPage,
    Verdict,
)
from primenews.synthesize.coverage import describe_coverage, list_sources, outlet_of, report_order
from primenews.synthesize.gate import enforce
from primenews.synthesize.gate_rules import is_boilerplate, markup_problem
from primenews.synthesize.grounding import Support, check_support
from primenews.synthesize.headline import choose_headline
from primenews.synthesize.prompt import Evidence, looks_like_instruction
from primenews.synthesize.ranking import independent_reports

__all__ = [
    "Draft",
    "DraftQuote",
    "DraftSection",
    "DraftSentence",
    "VerifyOptions",
    "strip_markers",
    "verify_draft",
]

_MARKERS = re.compile(r"\s*[\[(]\s*[Ee]\d+(?:\s*[,;/]?\s*[Ee]?\d+)*\s*[\])]")
_MARKER_ID = re.compile(r"[Ee]?(\d+)")
_URL = re.compile(r"(?:https?://|www\.)[^\s)\]>\"']+", re.IGNORECASE)
_QUOTED = re.compile(r"[\"“”«„]([^\"“”«»„]{12,}?)[\"“”»]")
_QUOTE_MARKS = "\"'“”‘’«»„ "


@dataclass(frozen=True, slots=True)
class DraftSentence:
    """A sentence as the model wrote it, with the evidence ids it cites."""

    text: str
    cites: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftSection:
    heading: str
    sentences: tuple[DraftSentence, ...]


@dataclass(frozen=True, slots=True)
class DraftQuote:
    """A quote the model picked: an evidence id, the quoted words (if given) and a speaker."""

    evidence: str
    speaker: str | None = None
    text: str | None = None


@dataclass(frozen=True, slots=True)
class Draft:
    """A model's story page before verification."""

    headline: str
    summary: DraftSentence | None
    sections: tuple[DraftSection, ...] = ()
    quotes: tuple[DraftQuote, ...] = ()


@dataclass(frozen=True, slots=True)
class VerifyOptions:
    """Limits of the verifier."""

    max_headline_chars: int = 90
    max_heading_chars: int = 80
    min_similarity: float = 0.5  # cosine to the best cited sentence, when an embedder is given
    min_replace_score: float = 0.5  # share of the sentence's content words a replacement has
    min_quote_chars: int = 12
    min_citation_share: float = 0.25  # share of the sentence's words one of its citations has


def strip_markers(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` without its ``[E3][E7]`` citation markers, and the ids they named."""
    ids: list[str] = []
    for match in _MARKERS.finditer(text):
        ids.extend(f"E{number}" for number in _MARKER_ID.findall(match.group()))
    cleaned = " ".join(_MARKERS.sub("", text).split())
    cleaned = re.sub(r"\s+([.,;:!?])", r"\1", cleaned)
    return cleaned, tuple(ids)


def verify_draft(
    draft: Draft,
    evidence: Sequence[Evidence],
    reports: Sequence[Report],
    *,
    story_id: int,
    backend: str,
    embedder: Embedder | None = None,
    options: VerifyOptions | None = None,
) -> tuple[StoryPage | None, list[Verdict]]:
    """The story page ``draft`` becomes once every part is checked against ``evidence``.

    Sentences that fail are dropped with :func:`~primenews.synthesize.gate.enforce` (a section
    whose heading fails joins its neighbour; a dropped summary is replaced by the first
    section sentence left). Returns None for the page when no sentence is left, and a verdict
    for every repair or removal (all advice: the page returned has passed).
    """
    ordered = sorted(reports, key=report_order)
    articles = {report.article.id: report.article for report in ordered}
    titles = [r.article.title for r in independent_reports(ordered) if r.article.title]
    verifier = _Verifier(evidence, articles, embedder, options or VerifyOptions())
    summary = verifier.summary(draft.summary)
    sections = tuple(verifier.section(section, i) for i, section in enumerate(draft.sections))
    quotes = verifier.quotes(draft.quotes)
    coverage, sources = describe_coverage(ordered), list_sources(ordered)
    raw = StoryPage(story_id, draft.headline, summary, sections, quotes, coverage, sources, backend)
    page = verifier.enforced(raw)
    if page is not None:
        page = replace(page, headline=verifier.headline(draft.headline, titles, page.summary))
    return page, [replace(verdict, reject=False) for verdict in verifier.verdicts]


class _Verifier:
    """One verification run: the evidence index, what the page already says, the verdicts."""

    def __init__(
        self,
        evidence: Sequence[Evidence],
        articles: Mapping[int, Article],
        embedder: Embedder | None,
        options: VerifyOptions,
    ) -> None:
        self.evidence = {item.id: item for item in evidence}
        self.usable = [item for item in evidence if not looks_like_instruction(item.text)]
        self.articles = articles
        self.embedder = embedder
        self.options = options
        self.verdicts: list[Verdict] = []
        self.said: set[str] = set()
        self._vectors: dict[str, Vectors] = {}
        self._evidence_text = " ".join(item.text for item in evidence)

    def summary(self, draft: DraftSentence | None) -> PageSentence:
        if draft is None:
            self.note("empty", "summary", "", "no summary written", remove=True)
            return PageSentence("")
        return self.sentence(draft, "summary")

    def section(self, draft: DraftSection, index: int) -> Section:
        """The section with each sentence checked (failures stay, marked, for :meth:`enforced`)."""
        heading = self.heading(draft.heading, f"section:{index}:heading")
        sentences = tuple(
            self.sentence(sentence, f"section:{index}:sentence:{number}")
            for number, sentence in enumerate(draft.sentences)
        )
        return Section(heading, sentences)

    def enforced(self, raw: StoryPage) -> StoryPage | None:
        """``raw`` without what failed; None when no sentence is left."""
        page = enforce(raw, self.verdicts)
        removed = {verdict.target for verdict in self.verdicts if verdict.reject}
        if "summary" in removed and page.summary is raw.summary:
            return None  # nothing left to put in the summary's place
        headings = {f"section:{i}:heading" for i in range(len(raw.sections))}
        if page.sections and headings <= removed:  # every heading failed: no section stands
            self.note("heading", "sections", "", "sections dropped: every heading failed")
            page = replace(page, sections=())
        return page

    # --- findings -------------------------------------------------------------------------

    def note(
        self, check: str, target: str, text: str, message: str, *, remove: bool = False
    ) -> None:
        """Record a finding; ``remove`` marks a page part that :meth:`enforced` must drop."""
        self.verdicts.append(Verdict(check, target, text, message, reject=remove))

    def hygiene(self, text: str) -> tuple[str, str] | None:
        """(check, message) when ``text`` may not appear on a page whatever it cites."""
        if looks_like_instruction(text):
            return "injection", "dropped: reads as an instruction to a model (prompt injection)"
        for url in _URL.findall(text):
            if url.rstrip(".,;") not in self._evidence_text:
                return "markup", f"dropped: link {url!r} is not in the evidence"
        markup = markup_problem(text)
        if markup is not None:
            return "markup", f"dropped: {markup}"
        if is_boilerplate(text):
            return "boilerplate", "dropped: boilerplate, not reporting"
        return None

    # --- sentences ------------------------------------------------------------------------

    def sentence(self, draft: DraftSentence, target: str) -> PageSentence:
        """The checked sentence (kept, re-cited or replaced), or the draft's own text without
        citations, marked for removal."""
        checked = self.checked(draft, target)
        return checked if checked is not None else PageSentence(draft.text)

    def checked(self, draft: DraftSentence, target: str) -> PageSentence | None:
        text, marked = strip_markers(draft.text)
        if not text:
            self.note("empty", target, draft.text, "dropped: no text", remove=True)
            return None
        problem = self.hygiene(text)
        if problem is not None:
            self.note(problem[0], target, text, problem[1], remove=True)
            return None
        cited = self.cited((*draft.cites, *marked))
        if not cited:
            self.note("citation", target, text, "dropped: cites no valid evidence id", remove=True)
            return None
        page_sentence = self.supported(text, cited, target)
        if page_sentence is None:
            return None
        key = _key(page_sentence.text)
        if key in self.said:
            self.note("duplicate", target, page_sentence.text, "dropped: said already", remove=True)
            return None
        self.said.add(key)
        return page_sentence

    def cited(self, ids: Sequence[str]) -> list[Evidence]:
        found: list[Evidence] = []
        for raw in ids:
            match = _MARKER_ID.fullmatch(raw.strip().strip("[]()"))
            item = self.evidence.get(f"E{match.group(1)}") if match else None
            if item is not None and item in self.usable and item not in found:
                found.append(item)
        return found

    def supported(self, text: str, cited: list[Evidence], target: str) -> PageSentence | None:
        support = check_support(text, [item.text for item in cited])
        if self.holds(text, support, cited):
            kept = self.pruned(text, cited, target)
            return PageSentence(text, tuple(_citation(item) for item in kept))
        other = self.best_other(text, cited)
        if other is not None:
            self.note(
                "recited",
                target,
                text,
                f"re-cited to {other.id}: the cited evidence "
                f"does not support it ({support.reason or 'low overlap'})",
            )
            return PageSentence(text, (_citation(other),))
        if support.missing_numbers or support.missing_names:
            return self.replaced(text, cited, support, target)
        self.note(
            "unsupported",
            target,
            text,
            f"dropped: not supported by its evidence ({support.reason or 'low overlap'})",
            remove=True,
        )
        return None

    def pruned(self, text: str, cited: list[Evidence], target: str) -> list[Evidence]:
        """``cited`` without the evidence that shares (almost) nothing with ``text``, when the
        rest still supports it: a citation must point at what the sentence says."""
        if len(cited) == 1:
            return cited
        kept = [
            item
            for item in cited
            if check_support(text, [item.text]).score >= self.options.min_citation_share
        ]
        if (
            not kept
            or kept == cited
            or not self.holds(text, check_support(text, [item.text for item in kept]), kept)
        ):
            return cited
        dropped = ", ".join(item.id for item in cited if item not in kept)
        self.note("citation", target, text, f"citation {dropped} removed: it does not say this")
        return kept

    def holds(self, text: str, support: Support, cited: Sequence[Evidence]) -> bool:
        """Whether ``support`` passes and, with an embedder, the meaning is close enough."""
        if not support.supported:
            return False
        if self.embedder is None:
            return True
        return self.similarity(text, cited) >= self.options.min_similarity

    def best_other(self, text: str, cited: Sequence[Evidence]) -> Evidence | None:
        """The evidence sentence (not cited) that alone supports ``text`` best, if any does."""
        best: tuple[float, Evidence] | None = None
        for item in self.usable:
            if item in cited:
                continue
            support = check_support(text, [item.text])
            if self.holds(text, support, [item]) and (best is None or support.score > best[0]):
                best = (support.score, item)
        return best[1] if best else None

    def replaced(
        self, text: str, cited: Sequence[Evidence], support: Support, target: str
    ) -> PageSentence | None:
        """The best cited evidence sentence, verbatim, in place of one with invented facts."""
        invented = ", ".join((*support.missing_numbers, *support.missing_names))
        scored = sorted(
            ((check_support(text, [item.text]).score, item) for item in cited),
            key=lambda pair: -pair[0],
        )
        for score, item in scored:
            verbatim = " ".join(item.text.split())
            if score >= self.options.min_replace_score and _key(verbatim) not in self.said:
                self.note(
                    "replaced", target, text, f"replaced by {item.id} verbatim: invented {invented}"
                )
                return PageSentence(verbatim, (_citation(item),))
        self.note("invented", target, text, f"dropped: invented {invented}", remove=True)
        return None

    def similarity(self, text: str, cited: Sequence[Evidence]) -> float:
        """Highest cosine between ``text`` and a cited evidence sentence."""
        vectors = self.vectors([text, *(item.text for item in cited)])
        return max(float(np.dot(vectors[0], row)) for row in vectors[1:])

    def vectors(self, texts: Sequence[str]) -> list[Vectors]:
        """Embeddings of ``texts``, each text embedded once per verification."""
        assert self.embedder is not None
        missing = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if missing:
            rows = self.embedder.embed(missing)
            self._vectors.update(zip(missing, rows, strict=True))
        return [self._vectors[text] for text in texts]

    # --- sections, headline, quotes --------------------------------------------------------

    def heading(self, heading: str, target: str) -> str:
        """The heading, cleaned; one that fails is marked for removal (its section merges)."""
        text = " ".join(strip_markers(heading)[0].split()).rstrip(".")
        problem = self.hygiene(text) if text else ("empty", "no heading")
        if problem is None and len(text) > self.options.max_heading_chars:
            problem = ("length", f"over {self.options.max_heading_chars} characters")
        if problem is None:
            support = check_support(text, [item.text for item in self.usable])
            if support.missing_numbers or support.missing_names:
                invented = ", ".join((*support.missing_numbers, *support.missing_names))
                problem = ("invented", f"invented {invented}")
        if problem is not None:
            self.note(problem[0], target, heading, f"heading dropped: {problem[1]}", remove=True)
        return text

    def headline(self, headline: str, titles: Sequence[str], summary: PageSentence | None) -> str:
        """The model's headline when it holds, else one chosen from the reports' titles."""
        text = " ".join(strip_markers(headline)[0].split()).rstrip(".")
        problem = self.hygiene(text) if text else ("empty", "no headline")
        if problem is None and len(text) > self.options.max_headline_chars:
            problem = ("length", f"over {self.options.max_headline_chars} characters")
        if problem is None:
            support = check_support(text, [*titles, *(item.text for item in self.usable)])
            if not support.supported:
                problem = ("unsupported", support.reason or "not supported by the reports")
        if problem is None:
            return text
        fallback = choose_headline(
            titles, summary.text if summary else "", limit=self.options.max_headline_chars
        )
        self.note(problem[0], "headline", headline, f"replaced by a report title: {problem[1]}")
        return fallback

    def quotes(self, drafts: Sequence[DraftQuote]) -> tuple[Quote, ...]:
        kept: list[Quote] = []
        for index, draft in enumerate(drafts):
            quote = self.quote(draft, f"quote:{index}")
            if quote is not None and all(q.text != quote.text for q in kept):
                kept.append(quote)
        return tuple(kept)

    def quote(self, draft: DraftQuote, target: str) -> Quote | None:
        cited = self.cited([draft.evidence])
        if not cited:
            self.note("citation", target, draft.text or "", "quote dropped: no valid evidence id")
            return None
        item = cited[0]
        span = _quote_span(item.text, draft.text)
        if span is None or span[1] - span[0] < self.options.min_quote_chars:
            self.note(
                "verbatim",
                target,
                draft.text or "",
                f"quote dropped: not words quoted verbatim in {item.id}",
            )
            return None
        start, end = span
        article = self.articles.get(item.article_id)
        speaker = self.speaker(draft.speaker, article, target)
        citation = Citation(
            item.article_id, item.start + start, item.start + end, item.text[start:end]
        )
        outlet = outlet_of(article) if article else item.outlet
        return Quote(" ".join(citation.text.split()), speaker, outlet, citation)

    def speaker(self, speaker: str | None, article: Article | None, target: str) -> str | None:
        """The speaker when the quote's report names them; otherwise no speaker at all."""
        name = " ".join((speaker or "").split())
        if not name:
            return None
        if article is None or name.casefold() not in article.text.casefold():
            self.note("speaker", target, name, "speaker removed: the report does not name them")
            return None
        return name


def _citation(item: Evidence) -> Citation:
    return Citation(item.article_id, item.start, item.end, item.text)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def _quote_span(sentence: str, words: str | None) -> tuple[int, int] | None:
    """Where the quoted ``words`` lie in ``sentence`` (white space may differ), or the
    sentence's own quotation when no words are given; without a trailing comma or colon."""
    if words is None or not words.strip(_QUOTE_MARKS):
        match = _QUOTED.search(sentence)
        span = match.span(1) if match else None
    else:
        parts = words.strip(_QUOTE_MARKS).split()
        found = re.search(r"\s+".join(re.escape(part) for part in parts), sentence)
        span = found.span() if found else None
    if span is None:
        return None
    start, end = span
    while end > start and sentence[end - 1] in ",;: ":
        end -= 1
    return start, end
