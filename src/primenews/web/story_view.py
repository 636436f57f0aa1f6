"""A story page version arranged for its template: numbered sources, markers, folded copies.

Sources are numbered by their place in the page's source list, as in every other rendering
(``synthesize.render``, the API's ``source`` numbers), so ``[3]`` means the same report
everywhere. Each source entry carries the sentences of that report the page cites (the
citation texts), so a reader can follow a claim to its evidence; copies are folded under
their original. Nothing here escapes: the templates autoescape, and links are only made to
URLs that :func:`safe_url` passes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from markupsafe import Markup

from primenews.models import Citation, PageSentence, SourceRef, StoryVersion
from primenews.synthesize.render import safe_url

__all__ = [
    "Marker",
    "SentenceView",
    "SourceView",
    "StoryView",
    "language_attributes",
    "language_tag",
    "story_view",
]

_LANGUAGE = re.compile(r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$")


def language_tag(value: str | None) -> str | None:
    """``value`` when it is a plausible BCP 47 tag (for ``lang`` attributes), else None."""
    if value and len(value) <= 20 and _LANGUAGE.match(value):
        return value
    return None


# languages written right to left (primary subtags): their text gets dir="rtl"
_RIGHT_TO_LEFT = frozenset(
    {"ar", "arc", "ckb", "dv", "fa", "he", "iw", "ps", "sd", "ug", "ur", "yi"}
)


def language_attributes(value: str | None) -> Markup:
    """`` lang="…" dir="…"`` for an element in language ``value`` (nothing when it is no
    plausible tag): the direction is explicit, so that an English line inside an Arabic
    story (or the reverse) is laid out in its own direction."""
    tag = language_tag(value)
    if tag is None:
        return Markup("")
    direction = "rtl" if tag.split("-")[0].casefold() in _RIGHT_TO_LEFT else "ltr"
    return Markup(f' lang="{tag}" dir="{direction}"')  # tag matched _LANGUAGE: no quotes


@dataclass(frozen=True, slots=True)
class Marker:
    number: int
    outlet: str


@dataclass(frozen=True, slots=True)
class SentenceView:
    text: str
    markers: tuple[Marker, ...]
    lang: str | None  # set when the sentence's report is in another language than the page


@dataclass
class SourceView:
    number: int
    outlet: str
    title: str
    url: str | None  # http(s) only
    lang: str | None
    published_at: datetime | None
    cited: list[str] = field(default_factory=list)  # the sentences of this report the page cites
    copies: list[SourceView] = field(default_factory=list)
    copy_of: int | None = None  # the original's number


@dataclass(frozen=True, slots=True)
class QuoteView:
    text: str
    speaker: str | None
    outlet: str | None
    lang: str | None
    markers: tuple[Marker, ...]


@dataclass(frozen=True, slots=True)
class StoryView:
    version: StoryVersion
    lang: str
    summary: SentenceView
    sections: tuple[tuple[str, tuple[SentenceView, ...]], ...]
    quotes: tuple[QuoteView, ...]
    sources: tuple[SourceView, ...]  # originals (and orphan copies), copies folded inside
    timeline: tuple[SourceView, ...]  # every report, oldest first
    first: SourceView | None  # the report that broke the story


class _Numbering:
    """Source numbers and the facts the markers need."""

    def __init__(self, sources: Sequence[SourceRef], page_lang: str) -> None:
        self.page_lang = page_lang
        self.number: dict[int, int] = {}
        self.ref: dict[int, SourceRef] = {}
        for position, source in enumerate(sources, 1):
            self.number.setdefault(source.article_id, position)
            self.ref.setdefault(source.article_id, source)

    def markers(self, citations: Sequence[Citation]) -> tuple[Marker, ...]:
        numbers = dict.fromkeys(
            self.number[c.article_id] for c in citations if c.article_id in self.number
        )
        outlet = {self.number[a]: self.ref[a].outlet for a in self.number}
        return tuple(Marker(n, outlet[n] or "Unknown outlet") for n in numbers)

    def lang_of(self, citations: Sequence[Citation]) -> str | None:
        for citation in citations:
            ref = self.ref.get(citation.article_id)
            lang = language_tag(ref.language if ref else None)
            if lang:
                return None if lang.split("-")[0] == self.page_lang.split("-")[0] else lang
        return None

    def sentence(self, sentence: PageSentence) -> SentenceView:
        citations = sentence.citations
        return SentenceView(sentence.text, self.markers(citations), self.lang_of(citations))


def _source_views(version: StoryVersion, numbering: _Numbering) -> list[SourceView]:
    page = version.page
    cited: dict[int, list[str]] = {}
    everything = [page.summary, *(s for sec in page.sections for s in sec.sentences)]
    citations = [c for s in everything for c in s.citations] + [q.citation for q in page.quotes]
    for c in citations:
        texts = cited.setdefault(c.article_id, [])
        if c.text not in texts:
            texts.append(c.text)
    views = []
    for position, source in enumerate(page.sources, 1):
        views.append(
            SourceView(
                number=position,
                outlet=source.outlet or "Unknown outlet",
                title=source.title or "Untitled report",
                url=safe_url(source.url),
                lang=language_tag(source.language),
                published_at=source.published_at,
                cited=cited.get(source.article_id, []),
                copy_of=numbering.number.get(source.copy_of) if source.copy_of else None,
            )
        )
    return views


def _folded(views: list[SourceView]) -> tuple[SourceView, ...]:
    """Originals in order, each with its copies inside; a copy of a missing original stays."""
    by_number = {v.number: v for v in views}
    top: list[SourceView] = []
    for view in views:
        original = by_number.get(view.copy_of) if view.copy_of else None
        if original is not None and original is not view and original.copy_of is None:
            original.copies.append(view)
        else:
            top.append(view)
    return tuple(top)


def story_view(version: StoryVersion) -> StoryView:
    """The version laid out for ``story.html``."""
    page = version.page
    first_lang = page.coverage.languages[0] if page.coverage.languages else None
    lang = language_tag(first_lang) or "en"
    numbering = _Numbering(page.sources, lang)
    views = _source_views(version, numbering)
    quotes = tuple(
        QuoteView(
            text=q.text.strip().strip('"“”„«»'),
            speaker=q.speaker,
            outlet=q.outlet,
            lang=language_tag(
                numbering.ref[q.citation.article_id].language
                if q.citation.article_id in numbering.ref
                else None
            ),
            markers=numbering.markers((q.citation,)),
        )
        for q in page.quotes
    )
    timeline = tuple(
        sorted(views, key=lambda v: (v.published_at is None, _stamp(v.published_at), v.number))
    )
    first_id = page.coverage.first_article_id
    first_number = numbering.number.get(first_id) if first_id is not None else None
    return StoryView(
        version=version,
        lang=lang,
        summary=numbering.sentence(page.summary),
        sections=tuple(
            (s.heading, tuple(numbering.sentence(x) for x in s.sentences)) for s in page.sections
        ),
        quotes=quotes,
        sources=_folded(views),
        timeline=timeline,
        first=views[first_number - 1] if first_number else (timeline[0] if timeline else None),
    )


def _stamp(moment: datetime | None) -> float:
    return moment.timestamp() if moment else 0.0
