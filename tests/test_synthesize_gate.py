"""The publish gate: each check on a failing and a passing example, the seed page, story pages,
``enforce``, and ``primenews check``.

Every page, article and name here is fictional (Tarsis, its bridge and its people are made
up), except the seed page, which is read from ../shared/data and never copied.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from primenews.cli.check import check_file
from primenews.models import (
    Article,
    Citation,
    Coverage,
    PageSentence,
    Quote,
    Section,
    SourceRef,
    StoryPage,
    StoryVersion,
    Verdict,
)
from primenews.synthesize.gate import check_page, check_text, enforce, is_boilerplate
from primenews.synthesize.render import render_markdown
from tests.conftest import shared_path

# --- plain text and Markdown: check_text ------------------------------------------------------


def codes(text: str) -> set[str]:
    return {verdict.check for verdict in check_text(text)}


def body(sentence: str) -> str:
    """A one-sentence page under a good headline and heading."""
    return f"# Tarsis closes its old bridge\n\n## The vote\n\n{sentence}\n"


@pytest.mark.parametrize(
    "sentence",
    [
        "the council voted on Tuesday to close the bridge. [1]",
        "And the council voted on Tuesday to close the bridge. [1]",
        "The council voted on Tuesday to close the bridge [1]",
        "The council voted on Tuesday to close the bridge and... [1]",
        "Mayor Ilse Varga said: “the bridge will close for good. [1]",
        "The council (which met on Tuesday voted to close the bridge. [1]",
        "Mayor Ilse Varga of Tarsis, on her visit to the old bridge in the spring. [1]",
        ", which the council approved on Tuesday. [1]",
    ],
)
def test_a_truncated_sentence_is_rejected(sentence: str) -> None:
    assert "truncated" in codes(body(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "The council voted on Tuesday to close the bridge. [1]",
        "“The bridge is unsafe,” Mayor Ilse Varga said. [1]",
        "eBay sellers in Tarsis protested against the closure. [1]",
        "Is the bridge safe for another winter? [1]",
        "There's no date for the reopening yet. [1]",
        "Engineers found cracks in two of the four piers. [1]",
        "El consejo cerró el puente viejo de Tarsis el martes. [1]",
        "Der Stadtrat von Tarsis sperrte die alte Brücke am Dienstag. [1]",
    ],
)
def test_a_whole_sentence_is_not_truncated(sentence: str) -> None:
    assert codes(body(sentence)) == set()


@pytest.mark.parametrize(
    "headline",
    [
        "Mayor Varga closes bridge, says Tarsis",
        "Council votes to close the",
        "Bridge closure approved and",
        "Tarsis mayor says",
        "Council approves bridge closure,",
    ],
)
def test_a_headline_fragment_is_rejected(headline: str) -> None:
    text = f"# {headline}\n\nThe council voted on Tuesday to close the bridge. [1]\n"
    assert codes(text) == {"headline_fragment"}


@pytest.mark.parametrize(
    "headline",
    [
        "Bridge unsafe, says Tarsis mayor",
        "Bridge is unsafe, says Varga",
        "Old bridge must close, inspectors say",
        "Tarsis closes old bridge after inspection",
        "Ferry to replace the bridge from March 4",
        "Mayor Varga dies at 94",
    ],
)
def test_a_whole_headline_is_not_a_fragment(headline: str) -> None:
    text = f"# {headline}\n\nThe council voted on Tuesday to close the bridge. [1]\n"
    assert codes(text) == set()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("# Tarsis bridge\n\n## >Repairs of the old bridge\n\nCrews arrived. [1]\n", "markup"),
        (body("The bridge <b>closed</b> on Tuesday. [1]"), "markup"),
        (body("The bridge closed &amp; crews left on Tuesday. [1]"), "markup"),
        (body('[caption id="12"]The bridge closed on Tuesday. [1]'), "markup"),
        (body("The cafÃ© near the bridge closed on Tuesday. [1]"), "markup"),
        (body("Crews had a ?quiet night? at the bridge on Tuesday. [1]"), "markup"),
        (body("The **bridge** closed on Tuesday. [1]"), "markup"),
        (body("150px Crews closed the Tarsis bridge on Tuesday. [1]"), "markup"),
    ],
)
def test_markup_artefacts_are_rejected(text: str, expected: str) -> None:
    assert expected in codes(text)


def test_editorial_brackets_and_markdown_quotes_are_not_markup() -> None:
    text = body("Varga said the [old] bridge would close. [1]") + (
        "\n> “It has carried us for ninety years,” — Ilse Varga, Tarsis Courier [1]\n"
    )
    assert codes(text) == set()


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to improve your experience on our site.",
        "Copyright © 2025 Tarsis Courier. All rights reserved.",
        "Share this article",
        "Follow us on Instagram",
        "Sign up for our morning newsletter",
        "Utilizamos cookies para mejorar su experiencia.",
        "Tutti i diritti riservati.",
        "Folgen Sie uns auf Instagram",
        "Alle rechten voorbehouden.",
        "Tous droits réservés.",
    ],
)
def test_boilerplate_is_rejected_in_several_languages(line: str) -> None:
    assert is_boilerplate(line)
    assert codes(body(line)) == {"boilerplate"}  # and nothing else about that line


def test_a_news_sentence_about_cookies_is_not_boilerplate() -> None:
    sentence = "The council said cookies sold at the bridge market would be taxed from May. [1]"
    assert not is_boilerplate(sentence)
    assert codes(body(sentence)) == set()


def test_a_repeated_sentence_is_a_duplicate() -> None:
    text = body(
        "The council voted on Tuesday to close the old bridge for good. [1] "
        "Engineers found cracks in two of the four piers. [2] "
        "On Tuesday the council voted to close the old bridge for good. [3]"
    )
    verdicts = [v for v in check_text(text) if v.check == "duplicate"]
    assert [v.text for v in verdicts] == [
        "On Tuesday the council voted to close the old bridge for good."
    ]
    assert "line:5" in verdicts[0].message


def test_related_sentences_are_not_duplicates() -> None:
    text = body(
        "The council voted on Tuesday to close the old bridge. [1] "
        "The council will vote on Friday on a ferry to replace the old bridge. [2]"
    )
    assert codes(text) == set()


def test_a_sentence_without_a_citation_marker_is_unsupported() -> None:
    verdicts = check_text(body("The council voted on Tuesday to close the bridge."))
    assert [(v.check, v.target, v.message) for v in verdicts] == [
        ("unsupported", "line:5", "no source cited")
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "They voted on Tuesday to close the bridge. [1]",
        "His council voted on Tuesday to close the bridge. [1]",
        "Ella anunció el cierre del puente el martes. [1]",
    ],
)
def test_a_section_opening_on_a_pronoun_is_rejected(sentence: str) -> None:
    assert codes(body(sentence)) == {"dangling_pronoun"}


@pytest.mark.parametrize(
    "sentence",
    [
        "This week the council voted to close the bridge. [1]",
        "It is unclear when the bridge will reopen. [1]",
        "The council met on Tuesday. [1] They voted to close the bridge. [2]",
    ],
)
def test_a_pronoun_with_an_antecedent_or_none_needed_passes(sentence: str) -> None:
    assert codes(body(sentence)) == set()


@pytest.mark.parametrize(
    "heading",
    [
        "Concerns and Superficiality",
        "Background",
        "Reactions and Implications",
        "Looking Ahead",
        "Conclusión",
        "Hintergrund",
    ],
)
def test_a_filler_heading_is_rejected(heading: str) -> None:
    text = f"# Tarsis closes its old bridge\n\n## {heading}\n\nCrews arrived on Monday. [1]\n"
    assert codes(text) == {"filler_heading"}


@pytest.mark.parametrize(
    "heading",
    ["Bridge closure in Tarsis", "40 years of the old bridge", "Mayor Varga's decision", "Ferry"],
)
def test_a_concrete_heading_passes(heading: str) -> None:
    text = f"# Tarsis closes its old bridge\n\n## {heading}\n\nCrews arrived on Monday. [1]\n"
    assert codes(text) == set()


def test_a_share_line_fused_into_a_headline_is_boilerplate() -> None:
    """A scraped title that carried the site's "Read <outlet>:" link ("… Ukraine Read
    Newsmax: Diplomat") is rejected; a headline that only says "read" is not."""
    text = "# Diplomat warned about envoy Read Harbour Gazette: Diplomat\n\nCrews came. [1]\n"
    assert "boilerplate" in codes(text)
    text = "# Tarsis mayor read the council's letter aloud\n\nCrews arrived on Monday. [1]\n"
    assert codes(text) == set()


def test_a_long_headline_is_rejected() -> None:
    headline = (
        "Tarsis council votes to close the old river bridge for good after engineers find cracks"
        " in two of its four piers"
    )
    assert len(headline) > 90
    assert codes(f"# {headline}\n\nCrews arrived on Monday. [1]\n") == {"headline_length"}
    assert (
        codes("# Tarsis council votes to close the old river bridge\n\nCrews came. [1]\n") == set()
    )


CLEAN_PAGE = """\
# Tarsis closes its old river bridge after inspectors find cracks

The council of Tarsis voted on Tuesday to close the old river bridge, after inspectors found \
cracks in two of its four piers. [1][2]

## The inspection

Engineers from the regional roads office examined the 1931 bridge over three days. [2] \
They reported cracks up to 4 centimetres wide in the two eastern piers. [2][3]

## A ferry for the crossing

Mayor Ilse Varga said a ferry would carry pedestrians from March 4. [1]

> “It has carried us for ninety years, and now it needs a rest,” — Ilse Varga, Tarsis Courier [1]

## Sources

1. Tarsis Courier — Council shuts old bridge — https://courier.example/bridge
2. River Post — Cracks found in bridge piers — https://riverpost.example/piers
3. Valley Daily — Bridge inspection results — https://valley.example/inspection

Coverage: 3 reports from 3 outlets (Tarsis Courier, River Post, Valley Daily) in 1 language.
"""


def test_a_clean_primenews_markdown_page_passes() -> None:
    assert check_text(CLEAN_PAGE) == []


def test_the_same_page_as_plain_text_without_markers_is_unsupported_throughout() -> None:
    plain = CLEAN_PAGE.split("## Sources")[0]
    plain = plain.replace("[1]", "").replace("[2]", "").replace("[3]", "").replace("#", "")
    verdicts = check_text(plain)
    assert {v.check for v in verdicts} == {"unsupported"}
    assert {v.target for v in verdicts} == {"line:3", "line:7", "line:11"}


def test_a_sentence_is_reported_at_the_line_it_starts_on() -> None:
    text = (
        "Tarsis closes its old bridge\n\n"
        "The council voted on Tuesday to close\nthe bridge. Engineers found cracks\n"
        "in two piers. And the ferry starts in March.\n"
    )
    found = [(v.target, v.check) for v in check_text(text) if v.check != "unsupported"]
    assert found == [("line:5", "truncated")]
    unsupported = [v.target for v in check_text(text) if v.check == "unsupported"]
    assert unsupported == ["line:3", "line:4", "line:5"]


# --- the seed page ----------------------------------------------------------------------------


def test_the_seed_page_has_every_flaw_flagged_at_its_line() -> None:
    text = shared_path("seed/primeai-news-page.txt").read_text(encoding="utf-8")
    found = {(v.target, v.check) for v in check_text(text)}
    expected = {
        ("line:5", "truncated"),  # "President of the United States, Donald Trump, on his victory"
        ("line:7", "headline_fragment"),  # "Putin praises Trump, says Russia"
        ("line:19", "markup"),  # ">Implications for Future Relations"
        ("line:23", "filler_heading"),  # "Concerns and Superficiality"
        ("line:31", "boilerplate"),  # "Share news"
        ("line:33", "boilerplate"),  # "Copyright ©2024 All rights reserved | PrimeAi News"
        ("line:35", "boilerplate"),  # the cookie paragraph
        ("line:37", "boilerplate"),  # "Cookies policy."
    }
    # no sentence carries a citation: every prose line is unsupported
    expected |= {(f"line:{n}", "unsupported") for n in (3, 5, 9, 13, 17, 21, 25, 29)}
    assert expected <= found
    flagged_lines = {target for target, _ in found}
    assert "line:1" not in flagged_lines  # the headline itself is whole
    assert "line:11" not in flagged_lines  # "Recognition of Trump's Actions" names someone
    assert not {check for target, check in found if target == "line:5"} - {
        "truncated",
        "unsupported",
    }


# --- story pages: check_page ------------------------------------------------------------------

COURIER = (
    "The council of Tarsis voted on Tuesday to close the old river bridge. "
    "Inspectors found cracks in two of the bridge's four piers last week. "
    "Mayor Ilse Varga said a ferry would carry pedestrians from March 4. "
    "“It has carried us for ninety years,” Varga said."
)
RIVER_POST = (
    "Engineers from the regional roads office examined the 1931 bridge over three days. "
    "They reported cracks up to 4 centimetres wide in the two eastern piers. "
    "The council of Tarsis voted on Tuesday to close the old river bridge."
)


def make_article(article_id: int, text: str, outlet: str) -> Article:
    return Article(
        id=article_id,
        url=f"https://{outlet}.example/bridge-{article_id}",
        canonical_url=f"https://{outlet}.example/bridge-{article_id}",
        content_hash=f"hash-{article_id}",
        title="Tarsis bridge",
        text=text,
        language="en",
        outlet=outlet,
        published_at=datetime(2026, 3, 1, 9, tzinfo=UTC),
    )


ARTICLES = {1: make_article(1, COURIER, "courier"), 2: make_article(2, RIVER_POST, "riverpost")}


def cite(article_id: int, sentence: str) -> Citation:
    start = ARTICLES[article_id].text.index(sentence)
    return Citation(article_id, start, start + len(sentence), sentence)


def said(text: str, *citations: Citation) -> PageSentence:
    return PageSentence(text, tuple(citations))


def make_page() -> StoryPage:
    vote = "The council of Tarsis voted on Tuesday to close the old river bridge."
    cracks = "Inspectors found cracks in two of the bridge's four piers last week."
    ferry = "Mayor Ilse Varga said a ferry would carry pedestrians from March 4."
    exam = "Engineers from the regional roads office examined the 1931 bridge over three days."
    quote = "“It has carried us for ninety years,” Varga said."
    return StoryPage(
        story_id=7,
        headline="Tarsis closes its old river bridge after inspectors find cracks",
        summary=said(vote, cite(1, vote), cite(2, vote)),
        sections=(
            Section("The inspection", (said(exam, cite(2, exam)), said(cracks, cite(1, cracks)))),
            Section("A ferry for the crossing", (said(ferry, cite(1, ferry)),)),
        ),
        quotes=(
            Quote("It has carried us for ninety years", "Ilse Varga", "courier", cite(1, quote)),
        ),
        coverage=Coverage(("courier", "riverpost"), ("en",), 2, 2, 0),
        sources=tuple(
            SourceRef(a.id, a.url, a.title, a.outlet, a.language, a.published_at)
            for a in ARTICLES.values()
        ),
        backend="test",
    )


def with_sentence(page: StoryPage, section: int, index: int, sentence: PageSentence) -> StoryPage:
    sections = list(page.sections)
    sentences = list(sections[section].sentences)
    sentences[index] = sentence
    sections[section] = replace(sections[section], sentences=tuple(sentences))
    return replace(page, sections=tuple(sections))


def test_a_well_cited_page_passes() -> None:
    assert check_page(make_page(), ARTICLES) == []


def test_an_invented_number_is_unsupported_by_its_citation() -> None:
    ferry = "Mayor Ilse Varga said a ferry would carry pedestrians from March 4."
    invented = said(
        "Mayor Ilse Varga said a ferry would carry 400 pedestrians a day.", cite(1, ferry)
    )
    verdicts = check_page(with_sentence(make_page(), 1, 0, invented), ARTICLES)
    assert [(v.check, v.target) for v in verdicts] == [("unsupported", "section:1:sentence:0")]
    assert "400" in verdicts[0].message


def test_an_uncited_sentence_is_unsupported() -> None:
    bare = said("Engineers from the regional roads office examined the bridge.")
    verdicts = check_page(with_sentence(make_page(), 0, 0, bare), ARTICLES)
    assert [(v.check, v.target, v.message) for v in verdicts] == [
        ("unsupported", "section:0:sentence:0", "no source cited")
    ]


@pytest.mark.parametrize(
    ("citation", "message"),
    [
        (Citation(1, 5, 9999, "The council"), "outside article 1"),
        (Citation(1, -3, 10, "The council"), "outside article 1"),
        (Citation(1, 20, 10, "The council"), "outside article 1"),
        (Citation(1, 0, 11, "The mayor's"), "differs from article 1"),
        (Citation(9, 0, 11, "The council"), "article 9, which is not one of the story's reports"),
    ],
)
def test_a_broken_citation_is_rejected(citation: Citation, message: str) -> None:
    page = make_page()
    broken = replace(page, summary=said(page.summary.text, citation))
    verdicts = check_page(broken, ARTICLES)
    assert [(v.check, v.target) for v in verdicts] == [
        ("bad_citation", "summary"),
        ("unsupported", "summary"),  # nothing valid is left to support it
    ]
    assert message in verdicts[0].message


def test_one_good_citation_still_supports_a_sentence_beside_a_bad_one() -> None:
    page = make_page()
    citations = (Citation(2, 0, 5000, "x"), *page.summary.citations)
    verdicts = check_page(replace(page, summary=said(page.summary.text, *citations)), ARTICLES)
    assert [v.check for v in verdicts] == ["bad_citation"]


def test_a_quote_must_be_verbatim_in_its_citation() -> None:
    page = make_page()
    quote = replace(page.quotes[0], text="It has served us for a century")
    verdicts = check_page(replace(page, quotes=(quote,)), ARTICLES)
    assert [(v.check, v.target) for v in verdicts] == [("unsupported", "quote:0")]


def test_page_level_flaws_get_their_targets() -> None:
    page = make_page()
    vote = "The council of Tarsis voted on Tuesday to close the old river bridge."
    sections = (
        Section("Concerns and Superficiality", page.sections[0].sentences),
        Section(
            "A ferry for the crossing",
            (
                said(
                    "They reported cracks up to 4 centimetres wide in the two eastern piers.",
                    cite(
                        2, "They reported cracks up to 4 centimetres wide in the two eastern piers."
                    ),
                ),
                said(vote, cite(2, vote)),
            ),
        ),
    )
    flawed = replace(page, headline="Tarsis council votes to close the", sections=sections)
    found = [(v.check, v.target) for v in check_page(flawed, ARTICLES)]
    assert found == [
        ("headline_fragment", "headline"),
        ("filler_heading", "section:0:heading"),
        ("dangling_pronoun", "section:1:sentence:0"),
        ("duplicate", "section:1:sentence:1"),
    ]


def test_enforce_drops_what_was_rejected_and_the_second_check_passes() -> None:
    page = make_page()
    vote = page.summary.text
    sections = (
        Section("Concerns and Superficiality", page.sections[0].sentences),
        Section(
            "A ferry for the crossing",
            (*page.sections[1].sentences, said(vote, cite(2, vote))),  # repeats the summary
        ),
        Section("Cookies", (said("We use cookies to improve your experience."),)),
    )
    flawed = replace(page, summary=said(vote), sections=sections)  # no citation
    first = check_page(flawed, ARTICLES)
    assert {v.check for v in first} >= {"filler_heading", "duplicate", "boilerplate", "unsupported"}
    mended = enforce(flawed, first)
    assert check_page(mended, ARTICLES) == []
    # the summary came from the first surviving section, whose sentences joined the ferry's
    assert mended.summary == page.sections[0].sentences[0]
    assert [s.heading for s in mended.sections] == ["A ferry for the crossing"]
    assert mended.sections[0].sentences == (
        page.sections[0].sentences[1],
        *page.sections[1].sentences,
    )


def test_enforce_keeps_a_page_it_cannot_mend_and_advice_removes_nothing() -> None:
    page = make_page()
    headline = replace(page, headline="Council votes to close the")
    assert enforce(headline, check_page(headline, ARTICLES)) == headline  # held, not mended
    advice = [Verdict("duplicate", "section:0:sentence:0", "x", "advice", reject=False)]
    assert enforce(page, advice) == page


def test_a_rendered_page_reads_back_clean() -> None:
    version = StoryVersion(
        story_id=7,
        version=1,
        page=make_page(),
        article_ids=(1, 2),
        created_at=datetime(2026, 3, 1, 10, tzinfo=UTC),
        published=True,
    )
    assert check_text(render_markdown(version)) == []


# --- primenews check FILE ---------------------------------------------------------------------


def run_check(*args: str) -> tuple[int, str]:
    app = typer.Typer()
    app.command("check")(check_file)

    @app.callback()
    def root() -> None:
        """Make ``check`` a subcommand, as in the primenews app."""

    result = CliRunner().invoke(app, ["check", *args])
    return result.exit_code, result.output


def test_check_lists_the_flaws_and_exits_1(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(body("the council voted to close the bridge. [1]"), encoding="utf-8")
    code, output = run_check(str(page))
    assert code == 1
    assert "truncated" in output and "the council voted" in output


def test_check_exits_0_on_a_clean_page(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(CLEAN_PAGE, encoding="utf-8")
    code, output = run_check(str(page))
    assert code == 0
    assert "clean" in output


def test_check_writes_json(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(body("They voted to close the bridge. [1]"), encoding="utf-8")
    code, output = run_check("--format", "json", str(page))
    assert code == 1
    data = json.loads(output)
    assert data["rejected"] is True
    assert [(v["check"], v["target"]) for v in data["verdicts"]] == [("dangling_pronoun", "line:5")]


def test_check_runs_on_the_seed_page() -> None:
    code, output = run_check("--format", "json", str(shared_path("seed/primeai-news-page.txt")))
    assert code == 1
    checks = {v["check"] for v in json.loads(output)["verdicts"]}
    assert checks >= {"truncated", "headline_fragment", "markup", "filler_heading", "boilerplate"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\xff\xfe\x00bad", "looks binary"),
        (b"caf\xe9 au lait", "is not UTF-8 text"),
    ],
)
def test_check_says_why_a_file_cannot_be_read(
    tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "page.txt"
    if content is not None:
        path.write_bytes(content)
    code, output = run_check(str(path))
    assert code == 2
    assert message in output
