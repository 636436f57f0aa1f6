"""Story page versions: the JSON a page is stored as, "What's new" lines, and diffs.

A story page is rewritten when its story gains (or loses) reports; every version is kept.
:func:`page_to_json` / :func:`page_from_json` are the one stored form of a page (the store
keeps it in a TEXT column, times in ISO 8601). :func:`whats_new` says, in one factual line,
what a new version adds over the previous one: reports from new outlets, new sections and
sentences, and figures that changed. :func:`diff_versions` is the summary plus a unified diff
of the two versions' Markdown, for ``primenews stories diff``.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any

from primenews.models import (
    Citation,
    Coverage,
    PageSentence,
    Quote,
    Report,
    Section,
    SourceRef,
    StoryPage,
    StoryVersion,
    Verdict,
)
from primenews.synthesize.coverage import outlet_of

__all__ = [
    "diff_versions",
    "page_from_json",
    "page_to_json",
    "verdicts_from_json",
    "verdicts_to_json",
    "whats_new",
]

JSONDict = dict[str, Any]

_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# a rewritten sentence counts as the same sentence (updated) when this share of words is kept
_SAME_SENTENCE = 0.6
_MAX_NAMED = 3


# --- the stored JSON form ------------------------------------------------------------------


def page_to_json(page: StoryPage) -> JSONDict:
    """A page as JSON-ready data (times as ISO 8601 strings); :func:`page_from_json` reverses it."""
    return {
        "story_id": page.story_id,
        "headline": page.headline,
        "backend": page.backend,
        "summary": _sentence_json(page.summary),
        "sections": [
            {"heading": s.heading, "sentences": [_sentence_json(x) for x in s.sentences]}
            for s in page.sections
        ],
        "quotes": [
            {
                "text": q.text,
                "speaker": q.speaker,
                "outlet": q.outlet,
                "citation": _citation_json(q.citation),
            }
            for q in page.quotes
        ],
        "coverage": _coverage_json(page.coverage),
        "sources": [_source_json(s) for s in page.sources],
    }


def page_from_json(data: Mapping[str, Any]) -> StoryPage:
    """The page :func:`page_to_json` wrote; raises KeyError/TypeError/ValueError on bad data."""
    return StoryPage(
        story_id=int(data["story_id"]),
        headline=str(data["headline"]),
        summary=_sentence(data["summary"]),
        sections=tuple(
            Section(str(s["heading"]), tuple(_sentence(x) for x in s["sentences"]))
            for s in data["sections"]
        ),
        quotes=tuple(
            Quote(str(q["text"]), q["speaker"], q["outlet"], _citation(q["citation"]))
            for q in data["quotes"]
        ),
        coverage=_coverage(data["coverage"]),
        sources=tuple(_source(s) for s in data["sources"]),
        backend=str(data["backend"]),
    )


def verdicts_to_json(verdicts: Sequence[Verdict]) -> list[JSONDict]:
    """The gate's verdicts as JSON-ready data."""
    return [
        {
            "check": v.check,
            "target": v.target,
            "text": v.text,
            "message": v.message,
            "reject": v.reject,
        }
        for v in verdicts
    ]


def verdicts_from_json(data: Sequence[Mapping[str, Any]]) -> tuple[Verdict, ...]:
    """The verdicts :func:`verdicts_to_json` wrote."""
    return tuple(
        Verdict(
            str(v["check"]), str(v["target"]), str(v["text"]), str(v["message"]), bool(v["reject"])
        )
        for v in data
    )


def _citation_json(c: Citation) -> JSONDict:
    return {"article_id": c.article_id, "start": c.start, "end": c.end, "text": c.text}


def _citation(data: Mapping[str, Any]) -> Citation:
    return Citation(
        int(data["article_id"]), int(data["start"]), int(data["end"]), str(data["text"])
    )


def _sentence_json(s: PageSentence) -> JSONDict:
    return {"text": s.text, "citations": [_citation_json(c) for c in s.citations]}


def _sentence(data: Mapping[str, Any]) -> PageSentence:
    return PageSentence(str(data["text"]), tuple(_citation(c) for c in data["citations"]))


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment is not None else None


def _moment(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _coverage_json(c: Coverage) -> JSONDict:
    return {
        "outlets": list(c.outlets),
        "languages": list(c.languages),
        "report_count": c.report_count,
        "independent_count": c.independent_count,
        "copy_count": c.copy_count,
        "first_article_id": c.first_article_id,
        "first_outlet": c.first_outlet,
        "first_published_at": _iso(c.first_published_at),
        "last_published_at": _iso(c.last_published_at),
    }


def _coverage(data: Mapping[str, Any]) -> Coverage:
    return Coverage(
        outlets=tuple(data["outlets"]),
        languages=tuple(data["languages"]),
        report_count=int(data["report_count"]),
        independent_count=int(data["independent_count"]),
        copy_count=int(data["copy_count"]),
        first_article_id=data.get("first_article_id"),
        first_outlet=data.get("first_outlet"),
        first_published_at=_moment(data.get("first_published_at")),
        last_published_at=_moment(data.get("last_published_at")),
    )


def _source_json(s: SourceRef) -> JSONDict:
    return {
        "article_id": s.article_id,
        "url": s.url,
        "title": s.title,
        "outlet": s.outlet,
        "language": s.language,
        "published_at": _iso(s.published_at),
        "copy_of": s.copy_of,
    }


def _source(data: Mapping[str, Any]) -> SourceRef:
    return SourceRef(
        article_id=int(data["article_id"]),
        url=str(data["url"]),
        title=data.get("title"),
        outlet=data.get("outlet"),
        language=data.get("language"),
        published_at=_moment(data.get("published_at")),
        copy_of=data.get("copy_of"),
    )


# --- what's new ----------------------------------------------------------------------------


def whats_new(
    previous: StoryVersion | None, page: StoryPage, reports: Sequence[Report]
) -> str | None:
    """One factual line on what ``page`` adds over ``previous`` (None for a first version).

    Built only from what changed: reports that joined or left the story (named by outlet),
    new sections and sentences, and figures that changed in a sentence that is otherwise the
    same ("updated figures: 45 (was 32)"). None when nothing a reader would notice changed.
    """
    if previous is None:
        return None
    parts = [
        *_report_changes(previous.article_ids, reports),
        *_text_changes(previous.page, page),
    ]
    if not parts:
        return None
    line = "; ".join(parts)
    return line[0].upper() + line[1:] + "."


def _report_changes(before: Sequence[int], reports: Sequence[Report]) -> Iterator[str]:
    known = set(before)
    fresh = [r for r in reports if r.article.id not in known]
    present = {r.article.id for r in reports}
    originals = [_outlet(r) for r in fresh if r.copy_of not in present]
    copies = [_outlet(r) for r in fresh if r.copy_of in present]
    if originals:
        noun = "a report" if len(originals) == 1 else "reports"
        yield f"adds {noun} from {_names(originals, 'more outlet')}"
    if copies:
        noun = "a reprint" if len(copies) == 1 else f"{len(copies)} reprints"
        yield f"{noun} in {_names(copies, 'more outlet')}"
    gone = len(known - {r.article.id for r in reports})
    if gone:
        yield f"{gone} earlier report{'s' if gone > 1 else ''} no longer in this story"


def _outlet(report: Report) -> str:
    return outlet_of(report.article) or "an unnamed outlet"


def _names(names: Sequence[str], noun: str = "more") -> str:
    """ "A", "A and B", "A, B and C", "A, B, C, D and 3 more" (a repeated name with its count)."""
    counts = Counter(names)
    named = [f"{name} ({n})" if n > 1 else name for name, n in counts.items()]
    if len(named) > _MAX_NAMED:
        rest = len(named) - _MAX_NAMED
        plural = "s" if rest > 1 and noun != "more" else ""
        named = [*named[:_MAX_NAMED], f"{rest} {noun}{plural}"]
    if len(named) == 1:
        return named[0]
    return ", ".join(named[:-1]) + " and " + named[-1]


def _text_changes(old: StoryPage, new: StoryPage) -> Iterator[str]:
    if _norm(old.headline) != _norm(new.headline):
        yield "a new headline"
    old_sentences = [s.text for s in _all_sentences(old)]
    seen = {_norm(t) for t in old_sentences}
    old_headings = {_norm(s.heading) for s in old.sections}
    new_sections: list[tuple[str, int]] = []
    grown: list[tuple[str, int]] = []
    updates: list[str] = []
    for section in new.sections:
        fresh = 0
        for sentence in section.sentences:
            if _norm(sentence.text) in seen:
                continue
            update = _updated_figures(sentence.text, old_sentences)
            if update is not None:
                updates.append(update)
            else:
                fresh += 1
        if fresh:
            known = _norm(section.heading) in old_headings
            (grown if known else new_sections).append((section.heading, fresh))
    yield from _section_news(new_sections, grown)
    if updates:
        yield "updated figures: " + ", ".join(updates)
    quotes = [q for q in new.quotes if _norm(q.text) not in {_norm(o.text) for o in old.quotes}]
    if quotes:
        yield "a new quote" if len(quotes) == 1 else f"{len(quotes)} new quotes"


def _section_news(
    new: Sequence[tuple[str, int]], grown: Sequence[tuple[str, int]]
) -> Iterator[str]:
    """ "a new section “Rescue” (2 new sentences)", "3 new sentences in 2 sections", ..."""
    if len(new) == 1:
        yield f"a new section “{new[0][0]}” ({_sentences(new[0][1])})"
    elif new:
        headings = _names([f"“{heading}”" for heading, _ in new])
        yield f"new sections {headings} ({_sentences(sum(n for _, n in new))})"
    if len(grown) == 1:
        yield f"{_sentences(grown[0][1])} under “{grown[0][0]}”"
    elif grown:
        yield f"{_sentences(sum(n for _, n in grown))} in {len(grown)} earlier sections"


def _sentences(count: int) -> str:
    return "1 new sentence" if count == 1 else f"{count} new sentences"


def _all_sentences(page: StoryPage) -> list[PageSentence]:
    return [page.summary, *(s for section in page.sections for s in section.sentences)]


def _updated_figures(sentence: str, old_sentences: Sequence[str]) -> str | None:
    """ "45 (was 32)" when an old sentence says the same with other numbers, else None."""
    words = set(_WORD.findall(sentence.casefold()))
    numbers = Counter(_NUMBER.findall(sentence))
    if not words or not numbers:
        return None
    for old in old_sentences:
        old_words = set(_WORD.findall(old.casefold()))
        overlap = len(words & old_words) / len(words | old_words)
        if overlap < _SAME_SENTENCE:
            continue
        old_numbers = Counter(_NUMBER.findall(old))
        added, dropped = numbers - old_numbers, old_numbers - numbers
        if added and dropped:
            return f"{', '.join(added.elements())} (was {', '.join(dropped.elements())})"
    return None


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


# --- diff ----------------------------------------------------------------------------------


def diff_versions(old: StoryVersion, new: StoryVersion) -> list[str]:
    """A summary line, then the unified diff of the two versions' Markdown."""
    # render imports this module's JSON form, so it is imported here, not at the top
    from primenews.synthesize.render import render_markdown

    before = render_markdown(old).splitlines()
    after = render_markdown(new).splitlines()
    lines = list(
        difflib.unified_diff(
            before,
            after,
            fromfile=f"story {old.story_id} version {old.version}",
            tofile=f"story {new.story_id} version {new.version}",
            lineterm="",
        )
    )
    added = sum(1 for x in lines if x.startswith("+") and not x.startswith("+++"))
    removed = sum(1 for x in lines if x.startswith("-") and not x.startswith("---"))
    reports = len(set(new.article_ids) - set(old.article_ids))
    summary = (
        f"story {new.story_id}: version {old.version} ({_stamp(old.created_at)}) -> version "
        f"{new.version} ({_stamp(new.created_at)}): {reports} new report(s), "
        f"{added} line(s) added, {removed} removed"
    )
    if new.whats_new and new.version > old.version:
        summary += f". {new.whats_new}"
    return [summary, *lines]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")
