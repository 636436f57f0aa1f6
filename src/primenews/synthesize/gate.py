"""The publish gate: every backend's story page is checked here before it is published.

One small function per flaw (in :mod:`.gate_rules`, driven by its patterns and word lists):

==================  ==============================================================================
``truncated``       a sentence cut at either end: lower-case or continuation start, no final
                    punctuation, unbalanced quotes or brackets, or (English) no verb at all
``headline_fragment`` a headline or heading that ends on a dangling word ("says Russia", "to")
``markup``          a stray ``>``, tags, entities, shortcodes, markdown, mis-decoded characters
``boilerplate``     cookie/consent, copyright, share/follow/newsletter lines (several languages)
``duplicate``       a sentence (or quote) that repeats an earlier one (word-set Jaccard >= 0.8)
``unsupported``     a sentence with no citation, or one its cited text does not support
``dangling_pronoun`` a section opening on "He", "They", "This", ... with nothing to refer to
``filler_heading``  a heading of abstract words only ("Concerns and Superficiality")
``headline_length`` a headline or heading over :data:`MAX_HEADLINE_CHARS`
``bad_citation``    a citation outside its article, or whose text differs from the article's
==================  ==============================================================================

:func:`check_page` checks a :class:`~primenews.models.StoryPage` against its articles,
:func:`check_text` any text (``primenews check FILE``): a PrimeNews markdown page or a scraped
page. The pipeline runs ``check_page`` -> :func:`enforce` -> ``check_page`` and publishes only
when the second check rejects nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

from primenews.models import Article, Citation, PageSentence, Section, StoryPage, Verdict
from primenews.synthesize.gate_rules import (
    CITATION_MARKER,
    END_MARK,
    boilerplate_kind,
    dangling_pronoun,
    folded_words,
    fragment,
    is_boilerplate,
    is_filler,
    markup_problem,
    strip_leading_mark,
    truncation,
    word_set,
)
from primenews.synthesize.grounding import check_support
from primenews.synthesize.sentences import split_sentences

__all__ = [
    "DUPLICATE_JACCARD",
    "MAX_HEADLINE_CHARS",
    "check_page",
    "check_text",
    "enforce",
    "is_boilerplate",
]

MAX_HEADLINE_CHARS = 90
DUPLICATE_JACCARD = 0.8  # word-set overlap at which a sentence repeats an earlier one
HEADING_MAX_CHARS = 120  # a plain-text block longer than this is prose, not a heading
HEADING_MAX_WORDS = 16
_SOURCES_HEADINGS = frozenset(["sources", "fuentes", "fonti", "quellen", "bronnen"])
_QUOTE_LINE = re.compile(r"^>\s*[\"“«„‘']")
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_ITEM = re.compile(r"^\s*(?:\d+[.)]|[-*•])\s+")
_LEADING_MARKERS = re.compile(r"(?:\s*\[\d+(?:\s*[,–-]\s*\d+)*\])+\s*")
_MD_ESCAPE = re.compile(r"\\([\\`*_\[\]<>#+=|~.)-])")  # how the Markdown renderer escapes text


@dataclass(frozen=True, slots=True)
class _Unit:
    """One checkable part of a page: a headline, heading, sentence or quote."""

    kind: str  # "headline", "heading", "sentence", "quote"
    target: str
    text: str  # without citation markers
    cited: bool = False
    opens_section: bool = False
    citations: tuple[Citation, ...] = ()


# --- running the checks over units -----------------------------------------------------------


def _verdict(check: str, unit: _Unit, message: str) -> Verdict:
    return Verdict(check=check, target=unit.target, text=unit.text, message=message)


def _check_heading(unit: _Unit) -> Iterator[Verdict]:
    markup = markup_problem(unit.text)
    if markup:
        yield _verdict("markup", unit, f"{markup} in the {unit.kind}")
    text = strip_leading_mark(unit.text)
    if len(text) > MAX_HEADLINE_CHARS:
        yield _verdict(
            "headline_length", unit, f"{len(text)} characters (at most {MAX_HEADLINE_CHARS})"
        )
    cut = fragment(text)
    if cut:
        yield _verdict("headline_fragment", unit, cut)
    if is_filler(text):
        yield _verdict("filler_heading", unit, "generic heading: no name, number or concrete noun")


def _check_sentence(unit: _Unit) -> Iterator[Verdict]:
    markup = markup_problem(unit.text)
    if markup:
        yield _verdict("markup", unit, f"{markup} in the sentence")
    truncated = truncation(strip_leading_mark(unit.text))
    if truncated:
        yield _verdict("truncated", unit, truncated)
    if unit.opens_section:
        dangling = dangling_pronoun(unit.text)
        if dangling:
            yield _verdict("dangling_pronoun", unit, dangling)


def _check_units(units: Sequence[_Unit]) -> Iterator[tuple[_Unit, Verdict]]:
    """The checks every unit gets, whatever the input; boilerplate units get no others."""
    for unit in units:
        family = boilerplate_kind(unit.text)
        if family is not None:
            yield unit, _verdict("boilerplate", unit, f"site boilerplate ({family}), not news")
            continue
        if unit.kind in ("headline", "heading"):
            checks = _check_heading(unit)
        elif unit.kind == "sentence":
            checks = _check_sentence(unit)
        else:
            checks = iter(())
        for verdict in checks:
            yield unit, verdict


def _duplicates(units: Sequence[_Unit]) -> Iterator[Verdict]:
    """Each sentence or quote that repeats an earlier one of its kind."""
    seen: list[tuple[_Unit, frozenset[str]]] = []
    for unit in units:
        if unit.kind not in ("sentence", "quote"):
            continue
        words = word_set(unit.text)
        if len(words) < 3:
            continue
        for earlier, earlier_words in seen:
            if earlier.kind != unit.kind:
                continue
            overlap = len(words & earlier_words) / len(words | earlier_words)
            if overlap >= DUPLICATE_JACCARD:
                yield _verdict("duplicate", unit, f"repeats {earlier.target} ({overlap:.0%})")
                break
        else:
            seen.append((unit, words))


def _in_order(verdicts: list[Verdict], units: Sequence[_Unit]) -> list[Verdict]:
    """Verdicts in page order (stable within one part of the page)."""
    rank: dict[str, int] = {}
    for index, unit in enumerate(units):
        rank.setdefault(unit.target, index)
    return sorted(verdicts, key=lambda v: rank.get(v.target, len(units)))


# --- story pages -----------------------------------------------------------------------------


def check_page(page: StoryPage, articles: Mapping[int, Article]) -> list[Verdict]:
    """Every flaw of ``page``; citations are checked against ``articles`` (id -> article)."""
    units = _page_units(page)
    verdicts = [verdict for _, verdict in _check_units(units)]
    for unit in units:
        if unit.kind == "sentence" and CITATION_MARKER.search(unit.text):
            verdicts.append(_verdict("markup", unit, "a citation marker left in the text"))
        if unit.kind in ("sentence", "quote"):
            verdicts.extend(_check_citations(unit, articles))
    verdicts.extend(_duplicates(units))
    return _in_order(verdicts, units)


def _page_units(page: StoryPage) -> list[_Unit]:
    units = [_Unit("headline", "headline", page.headline)]
    units.append(_sentence_unit(page.summary, "summary", opens_section=True))
    for i, section in enumerate(page.sections):
        units.append(_Unit("heading", f"section:{i}:heading", section.heading))
        for j, sentence in enumerate(section.sentences):
            target = f"section:{i}:sentence:{j}"
            units.append(_sentence_unit(sentence, target, opens_section=j == 0))
    for k, quote in enumerate(page.quotes):
        units.append(_Unit("quote", f"quote:{k}", quote.text, citations=(quote.citation,)))
    return units


def _sentence_unit(sentence: PageSentence, target: str, *, opens_section: bool) -> _Unit:
    return _Unit(
        "sentence",
        target,
        sentence.text,
        cited=bool(sentence.citations),
        opens_section=opens_section,
        citations=sentence.citations,
    )


def _check_citations(unit: _Unit, articles: Mapping[int, Article]) -> Iterator[Verdict]:
    """bad_citation for each broken citation; unsupported when the valid ones do not carry it."""
    evidence: list[str] = []
    for citation in unit.citations:
        problem = _citation_problem(citation, articles)
        if problem:
            yield _verdict("bad_citation", unit, problem)
        else:
            evidence.append(citation.text)
    if not unit.citations:
        yield _verdict("unsupported", unit, "no source cited")
    elif not evidence:
        yield _verdict("unsupported", unit, "none of its citations is valid")
    elif unit.kind == "quote":
        if not _verbatim(unit.text, evidence):
            yield _verdict("unsupported", unit, "the quote is not verbatim in the cited text")
    else:
        support = check_support(unit.text, evidence)
        if not support.supported:
            yield _verdict("unsupported", unit, f"the cited text does not say it: {support.reason}")


def _citation_problem(citation: Citation, articles: Mapping[int, Article]) -> str | None:
    article = articles.get(citation.article_id)
    if article is None:
        return f"cites article {citation.article_id}, which is not one of the story's reports"
    start, end, size = citation.start, citation.end, len(article.text)
    if not 0 <= start < end <= size:
        return f"offsets {start}:{end} fall outside article {article.id} ({size} characters)"
    if article.text[start:end] != citation.text:
        return f"the cited text differs from article {article.id} at {start}:{end}"
    return None


def _verbatim(quote: str, evidence: Sequence[str]) -> bool:
    words = " ".join(folded_words(quote))
    return bool(words) and any(f" {words} " in f" {' '.join(folded_words(t))} " for t in evidence)


def enforce(page: StoryPage, verdicts: Sequence[Verdict]) -> StoryPage:
    """``page`` without the parts that got reject verdicts, so that a second check may pass.

    Rejected sentences and quotes are dropped, and sections left empty with them; a section
    under a rejected heading joins the section before it (or the next one); a rejected summary
    is replaced by the first surviving section sentence. A rejected headline cannot be mended
    here: the second check rejects the page again and it is held.
    """
    rejected = {verdict.target for verdict in verdicts if verdict.reject}
    sections = _enforce_sections(page.sections, rejected)
    summary = page.summary
    if "summary" in rejected and sections:
        summary, sections = _promote_first(sections)
    quotes = tuple(q for k, q in enumerate(page.quotes) if f"quote:{k}" not in rejected)
    return replace(page, summary=summary, sections=tuple(sections), quotes=quotes)


def _enforce_sections(sections: Sequence[Section], rejected: set[str]) -> list[Section]:
    kept_sections: list[Section] = []
    orphans: list[PageSentence] = []  # sentences under a rejected heading, with no home yet
    orphan_heading = ""
    for i, section in enumerate(sections):
        kept = tuple(
            s
            for j, s in enumerate(section.sentences)
            if f"section:{i}:sentence:{j}" not in rejected
        )
        if f"section:{i}:heading" in rejected:
            if kept_sections:
                last = kept_sections[-1]
                kept_sections[-1] = replace(last, sentences=last.sentences + kept)
            else:
                orphans.extend(kept)
                orphan_heading = orphan_heading or section.heading
            continue
        kept = (*orphans, *kept)
        orphans = []
        if kept:
            kept_sections.append(replace(section, sentences=kept))
    if orphans:  # every heading was rejected: keep the text; the page stays held
        kept_sections.append(Section(orphan_heading, tuple(orphans)))
    return kept_sections


def _promote_first(sections: list[Section]) -> tuple[PageSentence, list[Section]]:
    first, rest = sections[0], sections[1:]
    summary = first.sentences[0]
    if len(first.sentences) > 1:
        rest = [replace(first, sentences=first.sentences[1:]), *rest]
    return summary, rest


# --- any text: primenews check FILE ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Block:
    line: int  # 1-based line of the block's first character
    text: str
    kind: str  # "markdown_heading", "quote", "item", "paragraph"


def check_text(text: str) -> list[Verdict]:
    """Every flaw of a page given as text (a PrimeNews markdown page or any scraped page).

    Blocks are split at blank lines; markdown headings, ``>`` quote lines and list items are
    blocks of their own. A short block without final punctuation is a heading (the first one
    the headline); other blocks are prose, whose sentences must carry ``[n]`` citation markers.
    Quotes and the list under a "Sources" heading are not claims. Targets are ``line:N``.
    """
    units = _text_units(text)
    found = list(_check_units(units))
    boilerplate = {unit for unit, verdict in found if verdict.check == "boilerplate"}
    verdicts = [verdict for _, verdict in found]
    for unit in units:
        if unit.kind == "sentence" and not unit.cited and unit not in boilerplate:
            verdicts.append(_verdict("unsupported", unit, "no source cited"))
    verdicts.extend(_duplicates([unit for unit in units if unit not in boilerplate]))
    return _in_order(verdicts, units)


def _blocks(text: str) -> list[_Block]:
    blocks: list[_Block] = []
    paragraph: list[str] = []
    start = 0

    def flush() -> None:
        if paragraph:
            blocks.append(_Block(start, "\n".join(paragraph), "paragraph"))
            paragraph.clear()

    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        own = _own_block_kind(stripped)
        if not stripped or own:
            flush()
            if own:
                blocks.append(_Block(number, stripped, own))
            continue
        if not paragraph:
            start = number
        paragraph.append(stripped)
    flush()
    return blocks


def _own_block_kind(line: str) -> str | None:
    if _MD_HEADING.match(line):
        return "markdown_heading"
    if _QUOTE_LINE.match(line):
        return "quote"
    return "item" if _LIST_ITEM.match(line) else None


def _text_units(text: str) -> list[_Unit]:
    units: list[_Unit] = []
    in_sources = False
    opens_section = True
    blocks = _blocks(text)
    markdown = any(block.kind == "markdown_heading" for block in blocks)
    for index, block in enumerate(blocks):
        target = f"line:{block.line}"
        heading = _block_heading(block, first=index == 0, markdown=markdown)
        if heading is not None:
            in_sources = " ".join(folded_words(heading[1])) in _SOURCES_HEADINGS
            if not in_sources:
                units.append(_Unit(heading[0], target, _unescape(heading[1])))
            opens_section = True
        elif in_sources:
            continue
        elif block.kind == "quote":
            quote = _unescape(CITATION_MARKER.sub("", block.text[1:]).strip())
            units.append(_Unit("quote", target, quote))
        elif boilerplate_kind(_unescape(block.text)):
            units.append(_Unit("sentence", target, _unescape(block.text)))
        else:
            units.extend(_prose_units(block, opens_section))
            opens_section = False
    return units


def _block_heading(block: _Block, *, first: bool, markdown: bool) -> tuple[str, str] | None:
    """("headline" or "heading", its text) when the block is one, else None.

    In Markdown only ``#`` lines are headings; in plain text a short one-line block without
    final punctuation or citation markers is one (a cut sentence then reads as a heading, and
    the headline-fragment check is the one that catches it).
    """
    if block.kind == "markdown_heading":
        match = _MD_HEADING.match(block.text)
        assert match is not None  # the block was classified by this pattern
        level = len(match.group(1))
        return ("headline" if level == 1 and first else "heading"), match.group(2).strip()
    if markdown or block.kind != "paragraph" or "\n" in block.text:
        return None
    if CITATION_MARKER.search(block.text):
        return None
    text = CITATION_MARKER.sub("", block.text).strip()
    short = len(text) <= HEADING_MAX_CHARS and len(text.split()) <= HEADING_MAX_WORDS
    if not short or END_MARK.search(text):
        return None
    return ("headline" if first else "heading"), text


def _prose_units(block: _Block, opens_section: bool) -> list[_Unit]:
    """The block's sentences; a citation marker after a full stop belongs to the sentence before."""
    body = _LIST_ITEM.sub("", block.text, count=1) if block.kind == "item" else block.text
    offset = len(block.text) - len(body)
    units: list[_Unit] = []
    for span in split_sentences(body):
        sentence, start = span.text, span.start
        leading = _LEADING_MARKERS.match(sentence)
        if leading and units:
            units[-1] = replace(units[-1], cited=True)
            sentence, start = sentence[leading.end() :], start + leading.end()
        if not sentence.strip():
            continue
        line = block.line + block.text.count("\n", 0, start + offset)
        units.append(
            _Unit(
                "sentence",
                f"line:{line}",
                _unescape(CITATION_MARKER.sub("", sentence).strip()),
                cited=CITATION_MARKER.search(sentence) is not None,
                opens_section=opens_section and not units,
            )
        )
    return units


def _unescape(text: str) -> str:
    return _MD_ESCAPE.sub(r"\1", text)
