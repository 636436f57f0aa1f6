"""Sentence compression by deletion: each rule, quotes and attribution left alone, whole
sentences only, grounding kept, and the extractive writer's pages compressed and gate-clean.

Every sentence here is fictional, written for this test (Marrowdale, the Quell dam and every
name are made up)."""

from __future__ import annotations

import re

import pytest

from primenews.models import Article, Report
from primenews.synthesize.compress import (
    CompressOptions,
    compress_sentence,
    drop_dash_aside,
    drop_lead_phrase,
    drop_parenthetical,
    drop_relative_clause,
)
from primenews.synthesize.extractive import ExtractiveOptions, ExtractiveSynthesizer
from primenews.synthesize.gate import check_page
from primenews.synthesize.gate_rules import truncation
from primenews.synthesize.grounding import check_support

RULE_CASES = [
    (
        drop_parenthetical,
        "Senator Ann Poe (D-Marrow) voted against the dam budget on Tuesday.",
        "Senator Ann Poe voted against the dam budget on Tuesday.",
    ),
    (
        drop_dash_aside,
        "The water board — a body of nine appointed engineers — closed the spillway on Friday.",
        "The water board closed the spillway on Friday.",
    ),
    (
        drop_dash_aside,
        "About 1,200 residents -- most of them from the lower town -- slept in the sports hall.",
        "About 1,200 residents slept in the sports hall.",
    ),
    (
        drop_relative_clause,
        "Mayor Elena Vasquez, who took office in March, ordered the evacuation of the lower town.",
        "Mayor Elena Vasquez ordered the evacuation of the lower town.",
    ),
    (
        drop_relative_clause,
        "The Quell dam, which was built in 1962, held back a record volume of water.",
        "The Quell dam held back a record volume of water.",
    ),
    (
        drop_lead_phrase,
        "Meanwhile, farmers downstream moved their cattle to higher ground.",
        "Farmers downstream moved their cattle to higher ground.",
    ),
    (
        drop_lead_phrase,
        "In a statement on Tuesday, the water board promised a full inspection of the dam.",
        "The water board promised a full inspection of the dam.",
    ),
    (
        drop_lead_phrase,
        "After three days of heavy rain, the reservoir above Marrowdale reached a record level.",
        "The reservoir above Marrowdale reached a record level.",
    ),
]


@pytest.mark.parametrize(("rule", "text", "expected"), RULE_CASES)
def test_each_rule_deletes_its_aside(rule, text, expected):
    assert rule(text) == expected


@pytest.mark.parametrize(("rule", "text", "expected"), RULE_CASES)
def test_compressed_sentences_stay_whole_and_grounded(rule, text, expected):
    compressed = compress_sentence(text)
    assert compressed == expected
    assert truncation(compressed) is None
    support = check_support(compressed, [text])
    assert support.supported, support.reason
    source = set(re.findall(r"[\w'’-]+", text))
    source |= {word[:1].upper() + word[1:] for word in source}  # a new first word
    assert set(re.findall(r"[\w'’-]+", compressed)) <= source  # deletion only


def test_several_rules_apply_to_one_sentence():
    text = (
        "Meanwhile, Governor Tomas Reyner (a former engineer), who visited the shelters, "
        "promised money for the repair of flooded homes."
    )
    assert compress_sentence(text) == (
        "Governor Tomas Reyner promised money for the repair of flooded homes."
    )


def test_attribution_is_kept():
    claim = "The river will peak on Wednesday evening, according to the regional water board."
    assert compress_sentence(claim) == claim
    leading = "According to the water board, the river will peak on Wednesday evening."
    assert drop_lead_phrase(leading) == leading
    reported = "Mayor Elena Vasquez, who said the dam was safe, ordered the evacuation anyway."
    assert drop_relative_clause(reported) == reported
    aside = "The dam — engineers said on Tuesday — is not at risk of failing tonight."
    assert drop_dash_aside(aside) == aside


def test_quotations_stay_verbatim():
    quoted = "“The spillway (the old one) will hold,” Vasquez told reporters at the briefing."
    assert compress_sentence(quoted) == quoted
    relative = (
        'Reyner said "the valley, which has flooded twice, will be rebuilt" on Tuesday evening.'
    )
    assert compress_sentence(relative) == relative


def test_a_result_that_is_no_whole_sentence_is_refused():
    short = "Vasquez (the mayor) agreed."  # four words left: under the minimum
    assert compress_sentence(short) == short
    bared = "After Ann Poe resigned, she left Marrowdale for good on Friday morning."
    assert drop_lead_phrase(bared) == "She left Marrowdale for good on Friday morning."
    assert compress_sentence(bared) == bared  # a pronoun with nothing before it


def test_nothing_to_cut_and_rules_can_be_chosen():
    plain = "Engineers opened the spillway of the Quell dam above Marrowdale on Tuesday."
    assert compress_sentence(plain) == plain
    text = "Meanwhile, the council (all nine members) voted to rebuild the bridge."
    only = CompressOptions(rules=("parenthetical",))
    assert compress_sentence(text, only) == "Meanwhile, the council voted to rebuild the bridge."
    assert compress_sentence(text, CompressOptions(rules=())) == text


HERALD = (
    "Meanwhile, engineers opened the spillway of the Quell dam above Marrowdale on Tuesday after "
    "three days of heavy rain raised the reservoir to a record level. "
    "Mayor Elena Vasquez, who took office in March, ordered the evacuation of about 1,200 "
    "residents of the lower town. "
    "The regional water board (RWB) expects the river to peak on Wednesday evening."
)
COURIER = (
    "The Quell dam above Marrowdale released water through its spillway on Tuesday as the "
    "reservoir reached a record level after three days of heavy rain. "
    "About 1,200 residents of the lower town — most of them elderly — were evacuated on the "
    "orders of Mayor Elena Vasquez. "
    "The river is expected to peak on Wednesday evening, the regional water board said."
)


def _reports() -> list[Report]:
    reports = []
    for number, (text, title) in enumerate(
        [(HERALD, "Quell dam spillway opened"), (COURIER, "Marrowdale evacuates lower town")],
        start=1,
    ):
        url = f"https://example.test/marrowdale-{number}"
        article = Article(
            id=number,
            url=url,
            canonical_url=url,
            content_hash=f"hash-{number}",
            title=title,
            text=text,
            language="en",
        )
        reports.append(Report(article))
    return reports


def _sentences(page):
    return [page.summary, *(s for section in page.sections for s in section.sentences)]


def test_pages_are_compressed_cited_and_pass_the_gate():
    reports = _reports()
    articles = {r.article.id: r.article for r in reports}
    page = ExtractiveSynthesizer().write(7, reports)
    assert check_page(page, articles) == []
    texts = [s.text for s in _sentences(page)]
    assert not any("(RWB)" in t or "who took office" in t or "most of them" in t for t in texts)
    assert not any(t.startswith("Meanwhile") for t in texts)
    for sentence in _sentences(page):
        own = sentence.citations[0]
        assert articles[own.article_id].text[own.start : own.end] == own.text
        assert len(sentence.text) <= len(own.text)


def test_compression_can_be_turned_off():
    reports = _reports()
    verbatim = ExtractiveSynthesizer(ExtractiveOptions(compress=None)).write(7, reports)
    for sentence in _sentences(verbatim):  # the report's words (a leading connective dropped)
        assert sentence.text[1:] in sentence.citations[0].text
    texts = " ".join(s.text for s in _sentences(verbatim))
    assert "(RWB)" in texts or "who took office" in texts or "most of them" in texts
    assert check_page(verbatim, {r.article.id: r.article for r in reports}) == []
