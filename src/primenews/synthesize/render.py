"""A stored story page version as Markdown, a standalone HTML document, or JSON.

Article text is hostile: every field that came from an article (headline, sentences, quotes,
speakers, outlets, titles, URLs) is escaped for the format it goes into, and links are only
ever made to ``http``/``https`` URLs. Citation markers are positions in the page's source
list: ``[2]`` is the second source.

The Markdown form is also what ``primenews check`` reads back, so it stays plain::

    # Headline

    Summary sentence. [1][2]

    ## Subheading

    Sentence one. [1] Sentence two. [2][3]

    > “Quote” — Speaker, Outlet [2]

    ## Sources

    1. Outlet — Title — https://...

    Coverage: 3 reports from 3 outlets (...) in 1 language (en): 2 independent, 1 copy. ...

    What's new: Adds a report from El Diario; updated figures: 45 (was 32).

    Version 2 of story 7, written 2026-05-04 09:15 UTC by extractive; published.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from datetime import datetime
from html import escape
from typing import Any
from urllib.parse import urlsplit

from primenews.models import Citation, Coverage, PageSentence, SourceRef, StoryVersion, Verdict
from primenews.synthesize.versions import page_to_json, verdicts_to_json

__all__ = ["render_html", "render_json", "render_markdown", "safe_url", "version_json"]

# characters that start inline markup anywhere in a line of Markdown (or HTML inside it)
_MD_INLINE = re.compile(r"([\\`*_\[\]<>])")
# what makes a line a heading, quote, list item or rule when it starts the line
_MD_BLOCK_START = re.compile(r"^(\s*)([#>+=|~-]|\d+[.)])")
# URL characters that could close or open markup around a bare link: percent-encoded
_MD_URL_UNSAFE = re.compile(r"[<>\"'`*\[\]()\\]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_QUOTE_MARKS = "\"'“”„«»‘’‚ "

_CSS = """
body{font:17px/1.55 Georgia,serif;max-width:44rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.9rem;line-height:1.2}h2{font-size:1.2rem;margin-top:2rem}
.summary{font-size:1.1rem}
sup a{text-decoration:none;font-size:.75rem}
blockquote{border-left:3px solid #999;margin:1rem 0;padding:.2rem 1rem;color:#333}
.sources li:target{background:#fff3b0}
.meta,.held{font-size:.85rem;color:#555}.held{color:#8a1c1c}
"""


# --- shared pieces -------------------------------------------------------------------------


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an absolute http(s) URL without control characters, else None."""
    if not url or _CONTROL.search(url) or any(c.isspace() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def _source_numbers(sources: Sequence[SourceRef]) -> dict[int, int]:
    """article id -> position (from 1) in the page's source list."""
    numbers: dict[int, int] = {}
    for position, source in enumerate(sources, 1):
        numbers.setdefault(source.article_id, position)
    return numbers


def _markers(citations: Sequence[Citation], numbers: dict[int, int]) -> list[int]:
    """The source numbers a sentence cites, each once, in citation order."""
    return list(dict.fromkeys(numbers[c.article_id] for c in citations if c.article_id in numbers))


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _unquoted(text: str) -> str:
    return _one_line(text).strip(_QUOTE_MARKS)


def _day(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "unknown time"


def _coverage_lines(c: Coverage) -> list[str]:
    outlets = ", ".join(c.outlets)
    languages = ", ".join(c.languages) or "unknown"
    copies = f", {c.copy_count} cop{'y' if c.copy_count == 1 else 'ies'}" if c.copy_count else ""
    lines = [
        f"{c.report_count} report{'s' if c.report_count != 1 else ''} from "
        f"{len(c.outlets)} outlet{'s' if len(c.outlets) != 1 else ''} ({outlets}) in "
        f"{len(c.languages)} language{'s' if len(c.languages) != 1 else ''} ({languages}): "
        f"{c.independent_count} independent{copies}.",
    ]
    if c.first_outlet or c.first_published_at:
        lines.append(
            f"First reported by {c.first_outlet or 'an unknown outlet'} on "
            f"{_day(c.first_published_at)}; latest report {_day(c.last_published_at)}."
        )
    return lines


def _version_line(version: StoryVersion) -> str:
    state = "published" if version.published else "held by the publish gate"
    return (
        f"Version {version.version} of story {version.story_id}, written "
        f"{_day(version.created_at)} by {version.page.backend}; {state}."
    )


# --- Markdown ------------------------------------------------------------------------------


def _md(text: str) -> str:
    """One line of Markdown showing ``text`` literally (no markup, links or HTML)."""
    line = _MD_INLINE.sub(r"\\\1", _one_line(text))
    return _MD_BLOCK_START.sub(lambda m: m.group(1) + "\\" + m.group(2), line)


def _md_markers(numbers: Sequence[int]) -> str:
    return "".join(f"[{n}]" for n in numbers)


def _md_sentence(sentence: PageSentence, numbers: dict[int, int]) -> str:
    marks = _md_markers(_markers(sentence.citations, numbers))
    return f"{_md(sentence.text)} {marks}" if marks else _md(sentence.text)


def _md_source(position: int, source: SourceRef, numbers: dict[int, int]) -> str:
    parts = [_md(source.outlet or "Unknown outlet"), _md(source.title or "Untitled")]
    url = safe_url(source.url)
    if url is not None:
        parts.append(_MD_URL_UNSAFE.sub(lambda m: f"%{ord(m.group()):02X}", url))
    line = f"{position}. " + " — ".join(parts)
    if source.copy_of is not None and source.copy_of in numbers:
        line += f" (copy of [{numbers[source.copy_of]}])"
    return line


def render_markdown(version: StoryVersion) -> str:
    """The page as Markdown: headline, summary, sections, quotes, sources, coverage, what's new."""
    return "\n\n".join(_markdown_blocks(version)) + "\n"


def _markdown_blocks(version: StoryVersion) -> Iterator[str]:
    page = version.page
    numbers = _source_numbers(page.sources)
    yield f"# {_md(page.headline)}"
    yield _md_sentence(page.summary, numbers)
    for section in page.sections:
        yield f"## {_md(section.heading)}"
        yield " ".join(_md_sentence(s, numbers) for s in section.sentences)
    for quote in page.quotes:
        who = ", ".join(_md(x) for x in (quote.speaker, quote.outlet) if x)
        marks = _md_markers(_markers((quote.citation,), numbers))
        yield (
            f"> “{_md(_unquoted(quote.text))}”"
            + (f" — {who}" if who else "")
            + (f" {marks}" if marks else "")
        )
    # everything from here on is about the page, not a claim: it stays under "Sources",
    # which ``primenews check`` (gate.check_text) does not read as claims to be cited
    yield "## Sources"
    yield "\n".join(_md_source(i, s, numbers) for i, s in enumerate(page.sources, 1))
    yield "Coverage: " + " ".join(_md(line) for line in _coverage_lines(page.coverage))
    if version.whats_new:
        yield f"What's new: {_md(version.whats_new)}"
    yield _md(_version_line(version))


# --- HTML ----------------------------------------------------------------------------------


def _h(text: str | None) -> str:
    return escape(_one_line(text or ""), quote=True)


def _html_markers(citations: Sequence[Citation], numbers: dict[int, int]) -> str:
    """One marker per cited source, its title the cited sentence(s) of that source."""
    cited: dict[int, list[str]] = {}
    for citation in citations:
        number = numbers.get(citation.article_id)
        if number is not None:
            cited.setdefault(number, []).append(citation.text)
    return "".join(
        f'<sup><a href="#source-{n}" title="{_h(" … ".join(texts))}">[{n}]</a></sup>'
        for n, texts in cited.items()
    )


def _html_sentence(sentence: PageSentence, numbers: dict[int, int]) -> str:
    return _h(sentence.text) + _html_markers(sentence.citations, numbers)


def _html_source(position: int, source: SourceRef, numbers: dict[int, int]) -> str:
    title = _h(source.title or "Untitled")
    url = safe_url(source.url)
    if url is not None:
        title = (
            f'<a href="{escape(url, quote=True)}" rel="nofollow noopener noreferrer">{title}</a>'
        )
    extra = [
        x
        for x in (source.language, _day(source.published_at) if source.published_at else None)
        if x
    ]
    line = f"{_h(source.outlet or 'Unknown outlet')} — {title}"
    if extra:
        line += f' <span class="meta">({_h(", ".join(extra))})</span>'
    if source.copy_of is not None and source.copy_of in numbers:
        n = numbers[source.copy_of]
        line += f' <span class="meta">copy of <a href="#source-{n}">[{n}]</a></span>'
    return f'<li id="source-{position}">{line}</li>'


def render_html(version: StoryVersion) -> str:
    """The page as one standalone HTML document (inline CSS, no script, everything escaped)."""
    page = version.page
    language = page.sources[0].language if page.sources and page.sources[0].language else "en"
    head = (
        "<!DOCTYPE html>\n"
        f'<html lang="{_h(language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        '<meta name="referrer" content="no-referrer">\n'
        f"<title>{_h(page.headline)}</title>\n<style>{_CSS}</style>\n</head>\n"
    )
    body = "\n".join(_html_body(version))
    return f"{head}<body>\n<article>\n{body}\n</article>\n</body>\n</html>\n"


def _html_body(version: StoryVersion) -> Iterator[str]:
    page = version.page
    numbers = _source_numbers(page.sources)
    yield f"<h1>{_h(page.headline)}</h1>"
    if not version.published:
        yield '<p class="held">Held by the publish gate: not published.</p>'
    yield f'<p class="summary">{_html_sentence(page.summary, numbers)}</p>'
    for section in page.sections:
        sentences = " ".join(_html_sentence(s, numbers) for s in section.sentences)
        yield f"<section>\n<h2>{_h(section.heading)}</h2>\n<p>{sentences}</p>\n</section>"
    for quote in page.quotes:
        who = ", ".join(_h(x) for x in (quote.speaker, quote.outlet) if x)
        marks = _html_markers((quote.citation,), numbers)
        yield (
            f"<blockquote><p>“{_h(_unquoted(quote.text))}”</p>"
            f"<footer>{'— ' + who if who else ''} {marks}</footer></blockquote>"
        )
    yield "<h2>Sources</h2>"
    items = "\n".join(_html_source(i, s, numbers) for i, s in enumerate(page.sources, 1))
    yield f'<ol class="sources">\n{items}\n</ol>'
    yield "<h2>Coverage</h2>"
    yield "<ul>" + "".join(f"<li>{_h(x)}</li>" for x in _coverage_lines(page.coverage)) + "</ul>"
    if version.whats_new:
        yield f"<h2>What’s new</h2>\n<p>{_h(version.whats_new)}</p>"
    yield f'<p class="meta">{_h(_version_line(version))}</p>'


# --- JSON ----------------------------------------------------------------------------------


def render_json(version: StoryVersion) -> str:
    """The version as JSON: the page, every sentence with its citations and verdicts, all verdicts.

    ``sentences`` lists the summary and each section's sentences with their gate ``target``
    (``summary``, ``section:2:sentence:0``), the citations with their source number, and the
    verdicts on that sentence. ``verdicts`` holds every verdict of the gate (headline, headings
    and quotes included); ``on_page`` is false for one about a part the gate removed before
    the version was stored.
    """
    return json.dumps(version_json(version), ensure_ascii=False, indent=2) + "\n"


def version_json(version: StoryVersion) -> dict[str, Any]:
    """The data :func:`render_json` prints."""
    page = version.page
    numbers = _source_numbers(page.sources)
    parts = _page_parts(version)
    on_page: dict[str, list[Verdict]] = {}
    for verdict in version.verdicts:
        if parts.get(verdict.target) == verdict.text:
            on_page.setdefault(verdict.target, []).append(verdict)
    targets = [("summary", page.summary)] + [
        (f"section:{i}:sentence:{j}", s)
        for i, section in enumerate(page.sections)
        for j, s in enumerate(section.sentences)
    ]
    sentences = [
        {
            "target": target,
            "text": s.text,
            "citations": [
                {"source": numbers.get(c.article_id), **_citation_json(c)} for c in s.citations
            ],
            "verdicts": verdicts_to_json(on_page.get(target, [])),
        }
        for target, s in targets
    ]
    verdicts = [
        {**data, "on_page": parts.get(v.target) == v.text}
        for v, data in zip(version.verdicts, verdicts_to_json(version.verdicts), strict=True)
    ]
    return {
        "story_id": version.story_id,
        "version": version.version,
        "created_at": version.created_at.isoformat(),
        "published": version.published,
        "backend": page.backend,
        "whats_new": version.whats_new,
        "article_ids": list(version.article_ids),
        "headline": page.headline,
        "sentences": sentences,
        "verdicts": verdicts,
        "page": page_to_json(page),
    }


def _page_parts(version: StoryVersion) -> dict[str, str]:
    """The gate's target names of the stored page's parts -> their text.

    The stored verdicts include the first check's, made before the gate removed what it
    rejected; a verdict whose target no longer holds its text was about a removed part.
    """
    page = version.page
    parts = {"headline": page.headline, "summary": page.summary.text}
    for i, section in enumerate(page.sections):
        parts[f"section:{i}:heading"] = section.heading
        for j, sentence in enumerate(section.sentences):
            parts[f"section:{i}:sentence:{j}"] = sentence.text
    for k, quote in enumerate(page.quotes):
        parts[f"quote:{k}"] = quote.text
    return parts


def _citation_json(c: Citation) -> dict[str, Any]:
    return {"article_id": c.article_id, "start": c.start, "end": c.end, "text": c.text}
