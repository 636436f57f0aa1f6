"""Story page versions: the stored JSON form, "What's new", diffs, and escaped rendering."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

from primenews.models import (
    Article,
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
from primenews.synthesize.gate import check_text
from primenews.synthesize.render import render_html, render_json, render_markdown, safe_url
from primenews.synthesize.versions import (
    diff_versions,
    page_from_json,
    page_to_json,
    whats_new,
)

T0 = datetime(2026, 5, 4, 7, 15, tzinfo=UTC)
# fictional reports about a fictional flood
LEDGER = (
    "Floodwater closed the Vell river road on Sunday. Crews evacuated 32 homes in Orrin. "
    "The mayor said the levee held overnight."
)
DIARIO = (
    "Rescue boats reached the last stranded farms near Orrin on Monday. Crews evacuated 45 homes."
)


def _article(aid: int, text: str, outlet: str, **kw: object) -> Article:
    return Article(
        id=aid,
        url=f"https://{outlet.lower().replace(' ', '')}.example/flood/{aid}",
        canonical_url=f"https://{outlet.lower().replace(' ', '')}.example/flood/{aid}",
        content_hash=f"h{aid}",
        title=kw.pop("title", f"Flood in Orrin ({outlet})"),  # type: ignore[arg-type]
        text=text,
        outlet=outlet,
        language="en",
        published_at=T0 + timedelta(hours=aid),
    )


def _cite(article: Article, sentence: str) -> Citation:
    start = article.text.index(sentence)
    return Citation(article.id, start, start + len(sentence), sentence)


def _source(article: Article, copy_of: int | None = None) -> SourceRef:
    return SourceRef(
        article.id,
        article.url,
        article.title,
        article.outlet,
        article.language,
        article.published_at,
        copy_of,
    )


LEDGER_ARTICLE = _article(1, LEDGER, "The Ledger")
DIARIO_ARTICLE = _article(2, DIARIO, "El Diario")


def _first_page() -> StoryPage:
    a = LEDGER_ARTICLE
    return StoryPage(
        story_id=7,
        headline="Floodwater closes Vell river road",
        summary=PageSentence(
            "Floodwater closed the Vell river road on Sunday.",
            (_cite(a, "Floodwater closed the Vell river road on Sunday."),),
        ),
        sections=(
            Section(
                "Evacuations",
                (
                    PageSentence(
                        "Crews evacuated 32 homes in Orrin.",
                        (_cite(a, "Crews evacuated 32 homes in Orrin."),),
                    ),
                ),
            ),
        ),
        quotes=(
            Quote(
                "The levee held overnight.",
                "the mayor",
                "The Ledger",
                _cite(a, "The mayor said the levee held overnight."),
            ),
        ),
        coverage=Coverage(("The Ledger",), ("en",), 1, 1, 0, 1, "The Ledger", T0, T0),
        sources=(_source(a),),
        backend="extractive",
    )


def _second_page() -> StoryPage:
    a, b = LEDGER_ARTICLE, DIARIO_ARTICLE
    first = _first_page()
    return replace(
        first,
        sections=(
            Section(
                "Evacuations",
                (
                    PageSentence(
                        "Crews evacuated 45 homes in Orrin.",
                        (_cite(b, "Crews evacuated 45 homes."),),
                    ),
                ),
            ),
            Section(
                "Rescue boats",
                (
                    PageSentence(
                        "Rescue boats reached the last stranded farms near Orrin on Monday.",
                        (
                            _cite(
                                b,
                                "Rescue boats reached the last stranded farms near Orrin "
                                "on Monday.",
                            ),
                        ),
                    ),
                ),
            ),
        ),
        coverage=Coverage(("The Ledger", "El Diario"), ("en",), 2, 2, 0, 1, "The Ledger", T0, T0),
        sources=(_source(a), _source(b)),
    )


def _version(
    page: StoryPage, number: int, ids: tuple[int, ...], note: str | None = None
) -> StoryVersion:
    return StoryVersion(
        story_id=page.story_id,
        version=number,
        page=page,
        article_ids=ids,
        created_at=T0 + timedelta(hours=number),
        published=True,
        verdicts=(
            Verdict(
                "duplicate",
                "section:0:sentence:0",
                page.sections[0].sentences[0].text,
                "said twice",
                False,
            ),
        ),
        whats_new=note,
    )


def test_json_round_trip_keeps_every_field() -> None:
    page = _second_page()
    data = json.loads(json.dumps(page_to_json(page)))  # really JSON: times as ISO strings
    assert data["coverage"]["first_published_at"] == T0.isoformat()
    assert page_from_json(data) == page


def test_whats_new_names_outlets_new_sections_and_updated_figures() -> None:
    first = _version(_first_page(), 1, (1,))
    reports = [Report(LEDGER_ARTICLE), Report(DIARIO_ARTICLE)]
    note = whats_new(first, _second_page(), reports)
    assert note == (
        "Adds a report from El Diario; a new section “Rescue boats” (1 new sentence); "
        "updated figures: 45 (was 32)."
    )
    assert whats_new(None, _first_page(), reports) is None
    assert whats_new(first, _first_page(), [Report(LEDGER_ARTICLE)]) is None


def test_whats_new_counts_reprints_and_reports_that_left() -> None:
    first = _version(_second_page(), 1, (1, 2))
    reprint = replace(LEDGER_ARTICLE, id=3, outlet="Coast Wire")
    note = whats_new(first, _second_page(), [Report(LEDGER_ARTICLE), Report(reprint, 1)])
    assert note == "A reprint in Coast Wire; 1 earlier report no longer in this story."


def test_whats_new_sums_up_many_outlets_and_sections() -> None:
    first = _version(_first_page(), 1, (1,))
    others = [
        Report(replace(DIARIO_ARTICLE, id=10 + n, outlet=name))
        for n, name in enumerate(
            ["El Diario", "Coast Wire", "Bay Herald", "Valley Post", "Orrin FM"]
        )
    ]
    grown = replace(
        _second_page(),
        sections=(
            *_second_page().sections,
            Section("Schools", (PageSentence("Schools in Orrin stay shut on Tuesday."),)),
            Section("Roads", (PageSentence("The coast road reopened at noon on Monday."),)),
        ),
    )
    note = whats_new(first, grown, [Report(LEDGER_ARTICLE), *others])
    assert note is not None
    assert note.startswith(
        "Adds reports from El Diario, Coast Wire, Bay Herald and 2 more outlets; "
        "new sections “Rescue boats”, “Schools” and “Roads” (3 new sentences)"
    )


def test_diff_has_a_summary_and_a_unified_diff() -> None:
    old = _version(_first_page(), 1, (1,))
    new = _version(_second_page(), 2, (1, 2), note="Adds a report from El Diario.")
    lines = diff_versions(old, new)
    assert lines[0].startswith("story 7: version 1 (2026-05-04 08:15 UTC) -> version 2")
    assert "1 new report(s)" in lines[0] and lines[0].endswith("Adds a report from El Diario.")
    assert "--- story 7 version 1" in lines and "+++ story 7 version 2" in lines
    assert "-Crews evacuated 32 homes in Orrin. [1]" in lines
    assert "+Crews evacuated 45 homes in Orrin. [2]" in lines


def test_markdown_has_the_agreed_shape() -> None:
    version = _version(_second_page(), 2, (1, 2), note="Adds a report from El Diario.")
    text = render_markdown(version)
    blocks = text.split("\n\n")
    assert blocks[0] == "# Floodwater closes Vell river road"
    assert blocks[1] == "Floodwater closed the Vell river road on Sunday. [1]"
    assert blocks[2:4] == ["## Evacuations", "Crews evacuated 45 homes in Orrin. [2]"]
    assert "> “The levee held overnight.” — the mayor, The Ledger [1]" in blocks
    sources = blocks[blocks.index("## Sources") + 1].splitlines()
    assert sources == [
        "1. The Ledger — Flood in Orrin (The Ledger) — https://theledger.example/flood/1",
        "2. El Diario — Flood in Orrin (El Diario) — https://eldiario.example/flood/2",
    ]
    assert blocks[blocks.index("## Sources") + 2].startswith(
        "Coverage: 2 reports from 2 outlets (The Ledger, El Diario) in 1 language (en): "
        "2 independent. First reported by The Ledger on 2026-05-04 07:15 UTC;"
    )
    assert "What's new: Adds a report from El Diario." in blocks
    assert check_text(text) == []  # ``primenews check`` reads the page back clean
    assert (
        blocks[-1]
        == "Version 2 of story 7, written 2026-05-04 09:15 UTC by extractive; published.\n"
    )


class _Collector(HTMLParser):
    """Every start tag and attribute, and the text, of an HTML document."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _hostile_version() -> StoryVersion:
    evil = "<script>alert('x')</script> Crews evacuated 32 homes in Orrin."
    article = replace(
        LEDGER_ARTICLE,
        url="javascript:alert(document.cookie)",
        title='<img src=x onerror="alert(1)"> **Flood** [click](javascript:alert(2))',
        outlet='The "Ledger" <b>',
        text=evil,
    )
    page = replace(
        _first_page(),
        headline="# <script>alert(1)</script> Flood",
        summary=PageSentence(evil, (Citation(1, 0, len(evil), evil),)),
        sections=(
            Section("> Evacuations\n# injected", (PageSentence("[x](javascript:alert(3))", ()),)),
        ),
        quotes=(
            Quote(
                "</blockquote><script>bad()</script>",
                "<i>me</i>",
                "Out<let>",
                Citation(1, 0, 5, "<scri"),
            ),
        ),
        sources=(
            _source(article),
            replace(_source(article), article_id=2, url="https://ok.example/a?b=<c>"),
        ),
    )
    return _version(page, 1, (1, 2), note="<b>Adds</b> a report.")


def test_html_escapes_hostile_text_and_links_only_http() -> None:
    html = render_html(_hostile_version())
    assert html.startswith("<!DOCTYPE html>")
    parser = _Collector()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert "script" not in tags and "img" not in tags and "b" not in tags and "i" not in tags
    hrefs = [attrs["href"] for tag, attrs in parser.tags if tag == "a"]
    assert hrefs and all(
        h and (h.startswith("#source-") or h.startswith("https://")) for h in hrefs
    )
    assert not any("javascript" in (h or "") for h in hrefs)
    assert all(not any(k.startswith("on") for k in attrs) for _, attrs in parser.tags)
    text = "".join(parser.text)
    assert "<script>alert('x')</script> Crews evacuated" in text  # shown, not run
    assert "Content-Security-Policy" in html and 'id="source-1"' in html


def test_html_marks_each_cited_source_once_per_sentence() -> None:
    a = LEDGER_ARTICLE
    both = PageSentence(
        "Floodwater closed the road and crews evacuated 32 homes.",
        (
            _cite(a, "Floodwater closed the Vell river road on Sunday."),
            _cite(a, "Crews evacuated 32 homes in Orrin."),
            _cite(DIARIO_ARTICLE, "Crews evacuated 45 homes."),
        ),
    )
    page = replace(_second_page(), summary=both)
    html = render_html(_version(page, 2, (1, 2)))
    summary = html[html.index('<p class="summary">') :].split("</p>", 1)[0]
    assert summary.count('href="#source-1"') == 1 and summary.count('href="#source-2"') == 1
    assert 'title="Floodwater closed the Vell river road on Sunday. … Crews evacuated 32' in summary
    assert render_markdown(_version(page, 2, (1, 2))).count("homes. [1][2]") == 1


def test_markdown_escapes_hostile_text() -> None:
    text = render_markdown(_hostile_version())
    lines = text.splitlines()
    assert lines[0] == "# \\# \\<script\\>alert(1)\\</script\\> Flood"
    assert "## \\> Evacuations # injected" in lines  # one heading line, no injected block
    assert "\\[x\\](javascript:alert(3))" in text
    assert "javascript:alert(document.cookie)" not in text  # the unsafe source link is dropped
    assert "https://ok.example/a?b=%3Cc%3E" in text
    assert not any(line.startswith(("<", "# <")) for line in lines)


def test_json_lists_every_sentence_with_citations_and_verdicts() -> None:
    version = _version(_second_page(), 2, (1, 2))
    data = json.loads(render_json(version))
    assert [s["target"] for s in data["sentences"]] == [
        "summary",
        "section:0:sentence:0",
        "section:1:sentence:0",
    ]
    evac = data["sentences"][1]
    assert evac["citations"][0]["source"] == 2 and evac["citations"][0]["article_id"] == 2
    assert evac["verdicts"][0]["check"] == "duplicate"
    assert data["verdicts"][0]["reject"] is False and data["published"] is True
    assert data["verdicts"][0]["on_page"] is True


def test_json_does_not_pin_a_removed_sentence_s_verdict_on_its_successor() -> None:
    removed = Verdict("truncated", "section:0:sentence:0", "Crews evacuated 32", "cut off")
    version = replace(_version(_second_page(), 2, (1, 2)), verdicts=(removed,))
    data = json.loads(render_json(version))
    assert data["sentences"][1]["verdicts"] == []  # it named a sentence the gate dropped
    assert data["verdicts"][0]["on_page"] is False and data["verdicts"][0]["check"] == "truncated"
    assert page_from_json(data["page"]) == version.page


def test_safe_url_allows_only_absolute_http() -> None:
    assert safe_url("https://a.example/x") == "https://a.example/x"
    for bad in (
        "javascript:alert(1)",
        "JaVaScRiPt:x",
        "data:text/html,x",
        "//a.example",
        "http://",
        "https://a.example/\nx",
        None,
    ):
        assert safe_url(bad) is None
