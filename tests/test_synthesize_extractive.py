"""The extractive synthesizer on a fictional story told by four outlets (one a copy, one in
Spanish): citations round-trip, page shape, quotes, coverage, sources, openers, determinism."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest

from primenews.errors import SynthesisError
from primenews.models import Article, PageSentence, Report, StoryPage
from primenews.synthesize.extractive import ExtractiveOptions, ExtractiveSynthesizer
from primenews.synthesize.gate import check_page
from primenews.synthesize.headline import choose_headline, clean_title, compress_headline
from primenews.synthesize.openers import repair_opener, strip_dateline
from primenews.synthesize.prose import fit_for_page
from primenews.synthesize.quotes import find_quote
from primenews.synthesize.ranking import RankWeights

# Fictional reports written for this test: Marrowdale, the Quell dam and every name are made up.
HERALD = (
    "Engineers opened the spillway of the Quell dam above Marrowdale on Tuesday after three days "
    "of heavy rain raised the reservoir to a record level. "
    "About 1,200 residents of the lower town were evacuated overnight to the sports hall and two "
    "schools. "
    "Mayor Elena Vasquez said the evacuation was a precaution and that the dam was not at risk of "
    "failing. "
    "“We would rather move people twice than be sorry once,” Vasquez said at a briefing. "
    "The river is expected to peak on Wednesday evening, according to the regional water board."
)
COURIER = (
    "The Quell dam above Marrowdale released water through its spillway on Tuesday as the "
    "reservoir reached a record level after three days of rain. "
    "Some 1,200 people from the lower town spent the night in the sports hall and in schools. "
    "Governor Tomas Reyner visited the shelters on Tuesday afternoon. "
    "He said the state would pay for the repair of flooded homes in the valley. "
    "“Nobody in this valley will be left to pay for this flood alone,” Reyner told reporters. "
    "Farmers downstream said their fields near the river were already under water."
)
DIGEST = HERALD  # a wire reprint of the Herald's report
DIARIO = (
    "La presa del Quell, sobre Marrowdale, abrió su aliviadero el martes después de tres días de "
    "lluvias intensas. "
    "Unos 1.200 vecinos de la parte baja del pueblo fueron evacuados durante la noche. "
    "El gobernador Tomas Reyner prometió pagar la reparación de las viviendas inundadas."
)


def _article(
    article_id: int, text: str, title: str, outlet: str, language: str, hour: int
) -> Article:
    return Article(
        id=article_id,
        url=f"https://{outlet}/marrowdale-{article_id}",
        canonical_url=f"https://{outlet}/marrowdale-{article_id}",
        content_hash=f"hash-{article_id}",
        title=title,
        text=text,
        published_at=datetime(2026, 3, 10, hour, 0, tzinfo=UTC),
        language=language,
        outlet=outlet,
    )


def _reports() -> list[Report]:
    return [
        Report(_article(4, DIARIO, "Abren la presa del Quell", "diarionorte.es", "es", 12)),
        Report(
            _article(3, DIGEST, "Quell dam spillway opened", "dailydigest.com", "en", 11),
            copy_of=1,
        ),
        Report(
            _article(
                2,
                COURIER,
                "Quell dam spillway opened as Marrowdale reservoir hits record - Northern Courier",
                "northerncourier.com",
                "en",
                10,
            )
        ),
        Report(
            _article(
                1,
                HERALD,
                "BREAKING: Quell dam opens spillway, 1,200 evacuated in Marrowdale",
                "valleyherald.com",
                "en",
                9,
            )
        ),
    ]


@pytest.fixture
def page() -> StoryPage:
    return ExtractiveSynthesizer().write(7, _reports())


def _all_sentences(page: StoryPage) -> list[PageSentence]:
    return [page.summary, *(s for section in page.sections for s in section.sentences)]


def test_every_citation_round_trips_to_its_article(page: StoryPage) -> None:
    texts = {r.article.id: r.article.text for r in _reports()}
    citations = [c for s in _all_sentences(page) for c in s.citations]
    citations += [q.citation for q in page.quotes]
    assert citations
    for citation in citations:
        assert texts[citation.article_id][citation.start : citation.end] == citation.text


def test_page_sentences_are_report_sentences_they_cite(page: StoryPage) -> None:
    for sentence in _all_sentences(page):
        assert sentence.citations, sentence.text
        own = sentence.citations[0].text
        assert sentence.text == own or sentence.text.split(" ", 1)[1] in own


def test_summary_is_cited_by_more_than_one_outlet(page: StoryPage) -> None:
    cited = {c.article_id for c in page.summary.citations}
    assert page.summary.text.count(". ") == 0
    assert len(cited) >= 2  # the Herald and the Courier both report the spillway


def test_headline_is_short_neutral_and_cleaned(page: StoryPage) -> None:
    assert 0 < len(page.headline) <= 90
    assert "BREAKING" not in page.headline
    assert "Northern Courier" not in page.headline
    assert "Quell" in page.headline


def test_two_to_five_sections_with_distinct_headings(page: StoryPage) -> None:
    assert 2 <= len(page.sections) <= 5
    headings = [s.heading for s in page.sections]
    assert len(set(headings)) == len(headings)
    assert all(h and h[0].isupper() and len(h) <= 60 for h in headings)
    assert all(section.sentences for section in page.sections)


def test_quotes_have_speakers_and_outlets(page: StoryPage) -> None:
    speakers = {q.speaker for q in page.quotes}
    assert speakers == {"Elena Vasquez", "Tomas Reyner"}  # the reports name them in full first
    for quote in page.quotes:
        assert quote.text in quote.citation.text
        assert quote.outlet in {"valleyherald.com", "northerncourier.com"}


def test_coverage_counts_copies_but_not_as_independent(page: StoryPage) -> None:
    coverage = page.coverage
    assert coverage.report_count == 4
    assert coverage.independent_count == 3
    assert coverage.copy_count == 1
    assert coverage.first_article_id == 1
    assert coverage.first_outlet == "valleyherald.com"
    assert coverage.languages == ("en", "es")
    assert set(coverage.outlets) == {
        "valleyherald.com",
        "northerncourier.com",
        "dailydigest.com",
        "diarionorte.es",
    }
    assert coverage.first_published_at == datetime(2026, 3, 10, 9, tzinfo=UTC)
    assert coverage.last_published_at == datetime(2026, 3, 10, 12, tzinfo=UTC)


def test_sources_list_originals_first_then_copies(page: StoryPage) -> None:
    assert [s.article_id for s in page.sources] == [1, 2, 4, 3]
    assert page.sources[-1].copy_of == 1
    assert page.backend == "extractive"


def test_no_sentence_or_quote_comes_from_the_copy(page: StoryPage) -> None:
    cited = {c.article_id for s in _all_sentences(page) for c in s.citations}
    cited |= {q.citation.article_id for q in page.quotes}
    assert 3 not in cited
    assert 1 in cited


def test_page_is_in_the_main_language(page: StoryPage) -> None:
    assert all(s.citations[0].article_id != 4 for s in _all_sentences(page))


def test_page_passes_the_publish_gate(page: StoryPage) -> None:
    articles = {r.article.id: r.article for r in _reports()}
    assert check_page(page, articles) == []


def test_title_glued_to_the_first_sentence_is_not_part_of_it() -> None:
    text = (
        "Quell dam opens spillway\nEngineers opened the spillway of the Quell dam on Tuesday "
        "after days of rain. The town hall stayed open all night for families."
    )
    page = ExtractiveSynthesizer().write(1, [_one_report(text, "Quell dam opens spillway")])
    assert page.summary.text == (
        "Engineers opened the spillway of the Quell dam on Tuesday after days of rain."
    )
    assert all("\n" not in s.text for s in _all_sentences(page))


def test_datelines_and_labels_are_dropped_from_page_sentences() -> None:
    assert strip_dateline("MARROWDALE (VH) — Engineers opened the spillway.") == (
        "Engineers opened the spillway."
    )
    assert strip_dateline("BREAKING: Engineers opened the spillway on Tuesday.") == (
        "Engineers opened the spillway on Tuesday."
    )
    assert strip_dateline("Marrowdale (CNN)Engineers opened the spillway on Tuesday.") == (
        "Engineers opened the spillway on Tuesday."
    )
    dated = "Marrowdale, Kelmar – April 2, 2025: Engineers opened the spillway on Tuesday."
    assert strip_dateline(dated) == "Engineers opened the spillway on Tuesday."
    assert strip_dateline("(CNN)Engineers opened the spillway on Tuesday.") == (
        "Engineers opened the spillway on Tuesday."
    )
    kept = "Engineers opened the spillway - a first for the dam."
    assert strip_dateline(kept) == kept
    labelled = "Farms: the engineers expect the fields below the dam to flood by Friday."
    assert (
        strip_dateline(labelled)
        == "The engineers expect the fields below the dam to flood by Friday."
    )
    said = "Engineers said: the fields below the dam will flood by Friday."  # no label
    assert strip_dateline(said) == said
    text = "MARROWDALE (VH) — Engineers opened the spillway of the Quell dam on Tuesday."
    page = ExtractiveSynthesizer().write(1, [_one_report(text, "Quell dam opens")])
    assert page.summary.text == "Engineers opened the spillway of the Quell dam on Tuesday."
    assert page.summary.citations[0].text == text


def test_undated_reports_have_no_coverage_dates() -> None:
    reports = [Report(replace(r.article, published_at=None), r.copy_of) for r in _reports()]
    page = ExtractiveSynthesizer().write(7, reports)
    assert page.coverage.first_published_at is None
    assert page.coverage.first_article_id == 1  # no dates: the lowest article id broke it
    assert [s.article_id for s in page.sources] == [1, 2, 4, 3]


def test_a_dangling_sentence_only_follows_its_own_predecessor(page: StoryPage) -> None:
    for section in page.sections:
        previous = None
        for sentence in section.sentences:
            if sentence.text.startswith(("He ", "She ", "They ", "But ", "However")):
                own = sentence.citations[0]
                assert previous is not None and previous.article_id == own.article_id
                assert previous.end < own.start
            previous = sentence.citations[0]


def _one_report(text: str, title: str) -> Report:
    return Report(_article(1, text, title, "valleyherald.com", "en", 9))


def test_a_question_in_the_reporters_voice_is_no_page_sentence_nor_headline() -> None:
    """ "Is the dam safe?" states nothing: a teaser or a crosshead. A quoted question is
    someone's words and may stay; a question title heads the page only when all titles ask."""
    text = (
        "Is the Quell dam safe for another winter? "
        "Engineers opened the spillway of the Quell dam above Marrowdale on Tuesday. "
        "The reservoir reached a record level after three weeks of heavy rain in the valley. "
        "What happens if the dam fails? "
        "About 1,200 residents downstream were told to leave their homes by the evening."
    )
    asking = _one_report(text, "Is the Quell dam safe?")
    telling = Report(
        _article(2, text.replace("?", "."), "Quell dam opens spillway", "b.com", "en", 9)
    )
    page = ExtractiveSynthesizer().write(1, [asking, telling])
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert written and not any(sentence.endswith("?") for sentence in written)
    assert page.headline == "Quell dam opens spillway"
    # a teaser announcing what follows states nothing either
    teasing = text.replace(
        "What happens if the dam fails?", "Here is what the opening means for farms."
    )
    page = ExtractiveSynthesizer().write(1, [_one_report(teasing, "Quell dam opens"), telling])
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert written and not any(sentence.startswith("Here is") for sentence in written)
    assert not fit_for_page("Here's how the spillway works.")
    assert fit_for_page("Here the engineers opened the spillway of the dam on Tuesday.")
    # words to the reader are a hook, not a fact; "you" in someone's quoted words stays
    assert not fit_for_page("If you live below the Quell dam, you had a long night on Tuesday.")
    assert fit_for_page('"You could hear the water roar," said farmer Ada Lindqvist on Tuesday.')
    # (the tail of a quotation whose opening mark is in the sentence before is no sentence)
    assert not fit_for_page("You could hear the water, '' Lindqvist told the Herald.")
    # words in the first person outside quotation marks are someone's, printed without them
    # (a statement's text, the tail of a quotation), or a blogger's own: not the page's voice
    assert not fit_for_page("We have reached an agreement in principle to reopen the dam.")
    assert not fit_for_page("I confirmed yesterday that the spillway had been opened.")
    assert not fit_for_page("The engineers told us the spillway would stay open all week.")
    assert fit_for_page('"We opened it at dawn," said engineer Ada Lindqvist on Tuesday.')
    assert fit_for_page("Even as clade II cases declined, infections with clade I mpox rose.")
    assert fit_for_page("The dam was built by the US Army after World War I ended in 1918.")
    # the rest of a quotation begun in the sentence before is no sentence on its own
    assert not fit_for_page("It will hold for another winter,” engineer Ada Lindqvist said.")
    assert not fit_for_page("It will hold. '' The engineers then closed the spillway gates.")
    assert fit_for_page("“It will hold for another winter,” engineer Ada Lindqvist said.")


def test_a_photo_caption_is_no_page_sentence() -> None:
    text = (
        "A view shows damage at the old mill in the historic town of Marrowdale, Kelmar. "
        "Engineers opened the spillway of the Quell dam above Marrowdale on Tuesday. "
        "A resident walks past sandbags in Marrowdale, Kelmar, during the evacuation. "
        "Governor Ines Calloway speaks during a news conference at the dam's control building "
        "on March 3, 2026 in Marrowdale. "
        "Volunteers stand in Marrowdale, Kelmar, during the evacuation of the lower town. "
        "Kelmar Province Governor Ines Calloway. "
        "Kelmar Province Governor Ines Calloway takes questions from reporters at the dam in "
        "Marrowdale, Kelmar, March 3, 2026. "
        "The reservoir reached a record level after three weeks of heavy rain in the valley."
    )
    page = ExtractiveSynthesizer().write(1, [_one_report(text, "Quell dam opens spillway")])
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    captions = ["view shows", "walks past", "speaks during", "Province", "takes questions"]
    captions.append("stand in")
    assert written and not any(caption in s for s in written for caption in captions)


def test_the_title_repeated_atop_the_text_is_no_page_sentence() -> None:
    """Some feeds and archives put the headline at the head of the text ("Will the Dam Hold
    Through the Winter?. Engineers …"): a headline, not a sentence of the page."""
    title = "Will the Quell Dam Hold Through the Winter Storms?"
    text = (
        f"{title}. Engineers opened the spillway of the Quell dam above Marrowdale on Tuesday. "
        "The reservoir reached a record level after three weeks of heavy rain in the valley. "
        "About 1,200 residents downstream were told to leave their homes by the evening."
    )
    page = ExtractiveSynthesizer().write(1, [_one_report(text, title)])
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert written and not any("Winter" in sentence for sentence in written)
    glued = "Engineers Open Quell Dam Spillway"  # a title-case title glued to the sentence
    page = ExtractiveSynthesizer().write(
        1, [_one_report(f"{glued} {text[len(title) + 2 :]}", glued)]
    )
    assert page.summary.text.startswith("Engineers opened the spillway")
    kept = "Engineers opened the spillway"  # a sentence-case title may open the sentence
    page = ExtractiveSynthesizer().write(1, [_one_report(text[len(title) + 2 :], kept)])
    assert page.summary.text.startswith("Engineers opened the spillway")
    wire = "Engineers opened the spillway of the Quell dam above Marrowdale on Tuesday"
    page = ExtractiveSynthesizer().write(1, [_one_report(text[len(title) + 2 :], wire)])
    assert page.summary.text == wire + "."  # a sentence-case title that is the lead stays
    brief = "Quell dam spillway opened"  # a short title repeated atop the text: a headline
    page = ExtractiveSynthesizer().write(
        1, [_one_report(f"{brief}. {text[len(title) + 2 :]}", brief)]
    )
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert "Quell dam spillway opened." not in written
    sentence_case = "Marrowdale braces for a record flood this week"  # glued before "The"
    glued = f"{sentence_case} The reservoir reached a record level after weeks of rain."
    page = ExtractiveSynthesizer().write(1, [_one_report(glued, sentence_case)])
    assert page.summary.text == "The reservoir reached a record level after weeks of rain."
    dated = f"Quell dam opens its spillway March 01, 2026 {text[len(title) + 2 :]}"  # no stops
    page = ExtractiveSynthesizer().write(1, [_one_report(dated, "Quell dam")])
    assert page.summary.text.startswith("Engineers opened the spillway")
    # the headline's own full stops, an initial's or "No."'s, do not hide it
    dated = f"Quell Inc. sees No. 1 U.S. risk at 7.2 m March 01, 2026 {text[len(title) + 2 :]}"
    page = ExtractiveSynthesizer().write(1, [_one_report(dated, "Quell dam")])
    assert page.summary.text.startswith("Engineers opened the spillway")
    # a "title" that is the text's opening cut off after "the" is no headline glued to it
    opening = (
        "Engineers opened the spillway of the Quell dam on Tuesday, the first time that its "
        "managers chose the"
    )
    whole = f"{opening} No. 1 option for high water in a decade."
    page = ExtractiveSynthesizer().write(1, [_one_report(f"{whole} {text}", opening)])
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert whole in written and not any(s.startswith("No. 1") for s in written)
    two = "The Quell Dam Looked Safe for Decades. Now Engineers Are Not So Sure"  # in pieces
    page = ExtractiveSynthesizer().write(1, [_one_report(f"{two}. {text}", two)])
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert not any("Decades" in sentence or "Sure" in sentence for sentence in written)
    # one sentence of a longer headline on its own line ("… Live updates") is the headline's
    deck = "Quell dam spillway opened as record rain forces 1,200 residents from their homes"
    page = ExtractiveSynthesizer().write(
        1,
        [_one_report(f"{deck}. Live updates\n\n{text[len(title) + 2 :]}", f"{deck}. Live updates")],
    )
    written = [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]
    assert written and not any(sentence.startswith(deck) for sentence in written)
    # a "title" that is only the text's opening cut off mid-word keeps the lead as a sentence
    body = text[len(title) + 2 :]
    page = ExtractiveSynthesizer().write(1, [_one_report(body, body[:110])])
    assert page.summary.text.startswith("Engineers opened the spillway")


def test_dangling_pronoun_opening_the_page_is_repaired_with_its_name() -> None:
    text = (
        "Governor Tomas Reyner toured the flooded valley on Tuesday morning. "
        "Farmers showed him fields of ruined barley near the river. "
        "He said the state would pay for all flood repairs in the valley."
    )
    options = ExtractiveOptions(weights=RankWeights(position=0.0, title=1.0))
    page = ExtractiveSynthesizer(options).write(1, [_one_report(text, "State pays flood repairs")])
    assert (
        page.summary.text
        == "Tomas Reyner said the state would pay for all flood repairs in the valley."
    )
    cited = [c.text for c in page.summary.citations]
    assert cited[0].startswith("He said")
    assert any(c.startswith("Governor Tomas Reyner toured") for c in cited)


def test_unresolvable_dangling_opener_is_dropped() -> None:
    text = (
        "Farmers showed the visitors fields of ruined barley near the river. "
        "They said the state would pay for all flood repairs in the valley."
    )
    options = ExtractiveOptions(weights=RankWeights(position=0.0, title=1.0))
    page = ExtractiveSynthesizer(options).write(1, [_one_report(text, "State pays flood repairs")])
    texts = [s.text for s in _all_sentences(page)]
    assert texts == ["Farmers showed the visitors fields of ruined barley near the river."]


def test_repair_opener_drops_connectives_and_unresolvable_pronouns() -> None:
    assert repair_opener("However, the river fell.", "").text == "The river fell."
    assert repair_opener("So, the river fell.", "").text == "The river fell."
    # a German adverb puts the verb after it: without it the sentence would open on the verb
    german = "So funktionieren die Systeme der Flughäfen nicht mehr."
    assert repair_opener(german, "").text == german
    also = "Außerdem kam es zu Ausfällen."
    assert repair_opener(also, "").text == also
    before = (  # "COVID-19 Thursday" and "Walter Reed" are no one's name; the minister is
        "Minister Ilse Varga returned to work on Monday. She spent three days at Walter Reed "
        "Medical Center after she tested positive for COVID-19 Thursday. "
    )
    assert repair_opener("She was given two drugs.", before).text == (
        "Ilse Varga was given two drugs."
    )
    subject = "Mayor Ilse Varga met fire chief Tomas Brecht at the dam on Monday. "
    assert repair_opener("She said the dam would hold.", subject).text == (
        "Ilse Varga said the dam would hold."  # the subject, not the last name
    )
    assert repair_opener("He said it was over.", "The weather was calm.").text is None
    assert repair_opener("They left early.", "Mayor Ann Lee spoke.").text is None
    fixed = repair_opener("She said it was over.", "Mayor Ann Lee spoke at noon.")
    assert fixed.text == "Ann Lee said it was over."
    assert fixed.name_at == len("Mayor ")
    assert repair_opener("The river fell.", "").changed is False


def test_repair_opener_drops_stance_adverbs_and_answers_to_what_came_before() -> None:
    assert repair_opener("Unfortunately, the pass stayed shut.", "").text == "The pass stayed shut."
    assert repair_opener("Unfortunately, it has not worked out.", "Mo Rook coached.").text is None
    assert repair_opener("Not because Mo Rook was long for the job.", "").text is None
    assert repair_opener("Beverly, a nurse, said it was cold.", "").changed is False


def test_a_quotation_whose_speaker_another_sentence_named_cannot_stand_alone() -> None:
    from primenews.synthesize.openers import has_dangling_opener

    before = '"These are two separate faults," said Piet Vandeleur of the institute. '
    bare = '"Offshore quakes of this size happen here every ten to fifteen years."'
    assert has_dangling_opener(bare) and repair_opener(bare, before).text is None
    assert has_dangling_opener("«C’est fini.»")
    for attributed in ('"We will rebuild," the mayor said.', 'The mayor called it "a disaster".'):
        assert not has_dangling_opener(attributed)


def test_a_pronoun_never_becomes_a_place_or_words_across_a_sentence_end() -> None:
    before = (
        "Police spokesman Dave Gaskin said Duncan Rait slipped near the Tasman Glacier. "
        "The New Zealander had climbed for years in Mount Cook National Park"
    )
    fixed = repair_opener("He said the deaths were a reminder to take care.", before)
    assert fixed.text == "Duncan Rait said the deaths were a reminder to take care."
    assert fixed.name_at == before.index("Duncan Rait")


def test_a_name_after_a_long_title_is_the_whole_name() -> None:
    from primenews.synthesize.openers import last_named_person

    before = "Digital Affairs Minister Elin Sorvik said she would meet Nimbus executives."
    assert last_named_person(before) == ("Elin Sorvik", before.index("Elin"))
    assert last_named_person("New York Mayor Eric Adams spoke.") == ("Eric Adams", 15)
    assert last_named_person("The Marine Accident Investigation Board said so.") is None


def test_a_speaker_named_by_surname_gets_the_name_the_report_gave_in_full() -> None:
    before = "About 2,600 are homeless, governor Alma Reyes-Tarn said at a briefing in Dovik. "
    quote = '"Every hour we find families who spent the night outside," Reyes-Tarn said.'
    assert find_quote(quote, before) == (
        "Every hour we find families who spent the night outside",
        "Alma Reyes-Tarn",
    )
    assert find_quote(quote, "The governor flew in. ") is not None
    assert find_quote(quote, "The governor flew in. ")[1] == "Reyes-Tarn"  # nothing fuller


def test_the_body_adds_facts_rather_than_restating_the_lead() -> None:
    import numpy as np

    from primenews.synthesize.ranking import collect_candidates, rank_candidates, select_sentences

    text = (
        "Harrow United sacked manager Tom Vale on Saturday after nine defeats. "
        "Assistant Rhys Penn will take charge for the derby against Kelby Town. "
        "Ticket sales have fallen by a third since the summer. "
        "Chairman Ada Frost will appoint a permanent successor in January. "
        "Harrow United sacked manager Tom Vale on Saturday, his agent Lena Moss told Ostley "
        "local radio."  # the lead again, with 6 of its 13 terms new
    )
    report = Report(_article(1, text, "Harrow sack Vale", "a.test", "en", 9))
    candidates = collect_candidates([report], min_words=6, max_words=60)
    count = len(candidates)
    ranked = replace(  # best first, in the report's order, and no two alike by cosine
        rank_candidates(candidates, ["Harrow sack Vale"], RankWeights()),
        scores=np.linspace(1.0, 0.5, count),
        similarity=np.zeros((count, count)),
    )
    options = {"count": 10, "mmr_lambda": 0.7, "redundancy": 0.5, "novelty": 0.45}
    assert select_sentences(ranked, **options) == [0, 1, 2, 3, 4]
    body = select_sentences(ranked, **options, body_novelty=0.6, lead_count=3)
    assert body == [0, 1, 2, 3]


def test_output_is_deterministic_in_any_report_order() -> None:
    synthesizer = ExtractiveSynthesizer()
    reports = _reports()
    first = synthesizer.write(7, reports)
    again = synthesizer.write(7, list(reversed(reports)))
    assert first == again


def test_find_quote_recognises_the_usual_attributions() -> None:
    assert find_quote("“The bridge will hold for years,” said Ana Ruiz.", "") == (
        "The bridge will hold for years",
        "Ana Ruiz",
    )
    assert find_quote('Ana Ruiz said: "The bridge will hold for years."', "") == (
        "The bridge will hold for years.",
        "Ana Ruiz",
    )
    assert find_quote("“The bridge will hold for years,” he said.", "Engineer Ana Ruiz came.") == (
        "The bridge will hold for years",
        "Ana Ruiz",
    )
    assert find_quote("“The bridge will hold,” said Ana Ruiz.", "") is None  # too short
    # a fragment woven into the reporter's sentence is no key quote
    woven = 'Ana Ruiz said the cracks "seemed to be growing wider every single week."'
    assert find_quote(woven, "") is None
    lawyer = '"We deny that the club broke any of the league rules," said Varga\'s lawyer.'
    assert find_quote(lawyer, "") is None  # the lawyer speaks, unnamed: not Varga
    # "she" is the subject of the sentence before, not the last name in it
    before = (
        "Mayor Ilse Varga told the council on Sunday that the bridge would reopen, doing her "
        "best Tomas Brecht impression by promising it twice. "
    )
    assert find_quote('"We are going to open the bridge this week," she said.', before) == (
        "We are going to open the bridge this week",
        "Ilse Varga",
    )
    # "he" is a person: not the organisation or place named after the speaker
    before = (
        "North Sound Lines chief executive Per Ekholm said the company would cooperate fully "
        "with the Marine Accident Investigation Board off Tollen Island. "
    )
    assert find_quote('"We owe our passengers answers," he said.', before) == (
        "We owe our passengers answers",
        "Per Ekholm",
    )
    assert repair_opener("He said it was over.", before).text == "Per Ekholm said it was over."
    headline = "Chief: The Inquiry Was 'Predetermined'. Garry McCarthy led the Chicago Police. "
    assert repair_opener("He was dismissed.", headline).text == "Garry McCarthy was dismissed."
    assert find_quote("“The bridge will hold for years,” a sign read.", "") is None


def test_a_page_without_titles_heads_with_a_whole_sentence() -> None:
    from primenews.synthesize.headline import sentence_headline

    summary = (
        "Governor Ilse Varga has asked hydrologist and Valley Herald columnist Dr. Anika "
        "Sorensen to lead the review of the Quell dam, a senior official said on Tuesday."
    )
    whole = "Varga asked Dr. Anika Sorensen to lead the Quell dam review."
    side = "Sorensen has written about dams for twenty years."
    assert sentence_headline(summary, [side, whole], 90) == whole[:-1]  # not "… asked hydrologist"
    short = "Governor Ilse Varga named Dr. Anika Sorensen to lead the Quell dam review."
    assert sentence_headline(short, [whole], 90) == short[:-1]


def test_headline_cleaning_and_compression() -> None:
    assert clean_title("WATCH: Dam opens above the valley town | Valley Herald") == (
        "Dam opens above the valley town"
    )
    fused = (  # a site's share line carried into the title, repeating it
        "Envoy warned about the mayor's adviser   Read Valley Herald: Envoy Warned About "
        "Adviser | ValleyHerald.com"
    )
    assert clean_title(fused) == "Envoy warned about the mayor's adviser"
    assert clean_title("Read the room: why the vote failed") == "Read the room: why the vote failed"
    # a dateline and the text glued after a title go; a short title's date stays
    glued = "Quell dam opens its spillway March 3, 2026 Engineers at the Quell dam opened"
    assert clean_title(glued) == "Quell dam opens its spillway"
    assert clean_title("Engineers open spillway on March 3, 2026") == "Engineers open spillway"
    assert clean_title("Dam opens on March 3, 2026") == "Dam opens on March 3, 2026"
    # a live page's label goes, wherever the outlet put it; "live" in the news stays
    assert clean_title("Quell dam live updates: spillway opened, 1,200 leave homes") == (
        "Quell dam: spillway opened, 1,200 leave homes"
    )
    assert clean_title("Spillway opened at the Quell dam: Live Updates") == (
        "Spillway opened at the Quell dam"
    )
    assert clean_title("Watch live: engineers open the Quell dam spillway") == (
        "Engineers open the Quell dam spillway"
    )
    assert clean_title("Valley TV will not air the dam opening live") == (
        "Valley TV will not air the dam opening live"
    )
    spaced = "Woman killed in hit - and - run crash"  # a tokenised hyphen is no outlet suffix
    assert clean_title(spaced) == spaced
    # the subject's relative clause and the closing attribution go before any clause is cut
    long = (
        "A former employee who opened fire at the Marrowdale mill's Christmas party, has been "
        "charged with first-degree murder, police said Saturday."
    )
    assert (
        compress_headline(long, 90) == "A former employee has been charged with first-degree murder"
    )
    long = (
        "Engineers open the spillway of the Quell dam above Marrowdale, as record rain forces "
        "1,200 residents out of their homes overnight"
    )
    short = compress_headline(long, 90)
    assert len(short) <= 90
    assert short == "Engineers open the spillway of the Quell dam above Marrowdale"
    # a comma between names in a list that goes on is no clause boundary
    titles = (
        "Boxer Tomas Vale stopped Ivo Marek in the seventh round in Halvorsby to retain his "
        "IBF, WBA and WBO heavyweight titles on Saturday night"
    )
    assert not compress_headline(titles, 90).endswith("IBF")
    # a cut before "after" or "before" takes the span of time that belongs to it along
    timed = (
        "The Quell dam board said it reached an agreement to reopen the spillway road days after "
        "the flood closed it, ending a week of detours"
    )
    assert compress_headline(timed, 90) == (
        "The Quell dam board said it reached an agreement to reopen the spillway road"
    )


def test_a_title_cut_after_its_reporting_verb_gives_way_to_one_that_keeps_the_news() -> None:
    """Sentence-long titles (fictional): the most representative one, cut to 90 characters,
    would stop before what was confirmed; a title that fits whole says it instead."""
    reported = (
        "Harbour board chairman Olaf Brandt confirmed to the Corvin Gazette on Tuesday that the "
        "board has approved a new breakwater for the fishing port of Salt Harbour."
    )
    assert compress_headline(reported, 90).endswith("Corvin Gazette on Tuesday")  # the cut
    titles = [
        reported,
        "Harbour board chairman Olaf Brandt told the Corvin Gazette about the new breakwater "
        "plan for Salt Harbour's fishing port on Tuesday.",
        "The Salt Harbour board has approved a new breakwater for the fishing port.",
    ]
    summary = (
        "Harbour board chairman Olaf Brandt said the board approved a new breakwater for the "
        "Salt Harbour fishing port."
    )
    headline = choose_headline(titles, summary)
    assert headline == "The Salt Harbour board has approved a new breakwater for the fishing port"
    # a title whose cut keeps its news stays the headline
    kept = [
        "Salt Harbour board approves breakwater for fishing port after two-year row, "
        "chairman Olaf Brandt says, and the work starts in May"
    ]
    assert choose_headline(kept, summary).startswith("Salt Harbour board approves breakwater")


RESCUE_A = (
    "The Velmark coastguard rescued 14 crew members from the cargo ship Norrland Star after it "
    "ran aground off Tarrow on Monday night. "
    "The ship was carrying timber from Halvorsby to the port of Ulm. "
    "Waves of up to six metres hampered the rescue for several hours. "
    "The owners, Brandt Shipping, said an engine failure had left the vessel drifting."
)
RESCUE_B = (
    "Helicopters of the Velmark coastguard lifted all 14 sailors off the stranded freighter "
    "Norrland Star near Tarrow on Monday night. "
    "Two of the sailors were treated for hypothermia at the Tarrow clinic. "
    "Salvage crews hope to refloat the ship later this week if the weather calms. "
    "Environmental officials said no fuel had leaked from the hull so far."
)


def test_another_outlets_retelling_gives_way_when_the_story_has_more_to_say() -> None:
    """Fictional reports: two outlets' leads tell one rescue in different words. When a story
    holds enough candidate sentences, the second telling is left out for a new fact; a story
    with few (three outlets' leads) keeps it, since there is nothing else to say."""
    reports = [
        Report(_article(1, RESCUE_A, "Coastguard rescues Norrland Star crew", "a.test", "en", 8)),
        Report(_article(2, RESCUE_B, "Sailors lifted off stranded freighter", "b.test", "en", 9)),
    ]

    def written(options: ExtractiveOptions) -> list[str]:
        page = ExtractiveSynthesizer(options).write(1, reports)
        return [page.summary.text, *(x.text for sec in page.sections for x in sec.sentences)]

    retold = "Helicopters of the Velmark coastguard lifted all 14 sailors"
    assert any(s.startswith(retold) for s in written(ExtractiveOptions()))  # 8 candidates
    lean = written(ExtractiveOptions(retelling_candidates=0))
    assert lean[0].startswith("The Velmark coastguard rescued 14 crew members")
    assert not any(s.startswith(retold) for s in lean)
    assert any(s.startswith("Two of the sailors were treated") for s in lean)
    assert written(ExtractiveOptions(retelling=None, retelling_candidates=0)) == written(
        ExtractiveOptions()
    )


def test_a_headline_is_not_the_summary_sentence_cut_short() -> None:
    """Fictional titles: the wire's lead sentence, cut to 90 characters, would head a page
    whose first sentence is that lead; a title nearly as representative heads it instead."""
    lead = (
        "The Velmark coastguard has rescued 14 crew members from the cargo ship Norrland Star "
        "after it ran aground off Tarrow in a storm on Monday night."
    )
    titles = [
        lead,
        "Coastguard rescues 14 crew members from cargo ship Norrland Star aground off Tarrow",
        "Storm drives cargo ship aground near Tarrow",
    ]
    assert choose_headline(titles, lead) == titles[1]
    # a title that is the whole summary sentence is no cut copy, and stays when it fits
    short = "The Velmark coastguard rescued 14 crew members from the Norrland Star."
    assert choose_headline([short, titles[2]], short) == short[:-1]


def test_story_without_any_text_is_a_synthesis_error() -> None:
    empty = Report(_article(9, "", "Nothing here", "valleyherald.com", "en", 9))
    with pytest.raises(SynthesisError, match="story 5"):
        ExtractiveSynthesizer().write(5, [empty])


def test_single_short_report_still_gives_a_page() -> None:
    text = "Engineers opened the Quell dam spillway on Tuesday."
    report = Report(_article(1, text, "Quell dam opened", "valleyherald.com", "en", 9))
    page = ExtractiveSynthesizer(ExtractiveOptions(max_sentences=4)).write(1, [report])
    assert page.summary.text == text
    assert page.sections == ()
    assert page.headline == "Quell dam opened"


# --- a story told over two days: stale states, later developments, sections, subheadings -----

# Fictional reports written for these tests: the Corrin Pass, Velmark and Tarrow are made up.
PASS_DAY_ONE = (
    "An avalanche buried part of the road over the Corrin Pass in Velmark early on Monday, "
    "trapping several cars, police said. "
    "A large rescue operation is under way. "
    "Rescuers are still searching for two drivers who remain missing. "
    "The pass road was closed in both directions at the Tarrow tunnel. "
    "Police said 14 people had been pulled from their cars and taken to the Tarrow clinic."
)
PASS_DAY_ONE_B = (
    "An avalanche buried the Corrin Pass road in Velmark on Monday morning, trapping several "
    "cars, police said. "
    "Fourteen people were pulled from their cars and taken to the Tarrow clinic with minor "
    "injuries. "
    "The road was closed at the Tarrow tunnel after the avalanche. "
    "Mountain guides had warned of high avalanche danger after two days of heavy snow."
)
PASS_DAY_TWO = (
    "Both drivers missing after Monday's avalanche on the Corrin Pass were found alive on Monday "
    "evening, police said on Tuesday. "
    "The two men had sheltered in a lorry cab under the snow for nine hours. "
    "Investigators are examining whether the road should have been closed on Sunday night. "
    "The regional council said it would review its avalanche warning rules before next winter. "
    "The pass road is expected to reopen on Friday once the snow has been cleared."
)
PASS_DAY_TWO_B = (
    "Two drivers buried for nine hours in a lorry cab by Monday's Corrin Pass avalanche were "
    "found alive, police said. "
    "Investigators are examining whether the road should have been closed on Sunday night, when "
    "guides first warned of avalanche danger. "
    "The regional council will review its avalanche warning rules before next winter. "
    "The Corrin Pass road should reopen on Friday."
)


def _pass_reports(*, same_day: bool = False) -> list[Report]:
    texts = [
        (1, PASS_DAY_ONE, "Avalanche buries cars on Corrin Pass", "alpinepost.test", 7, 6),
        (2, PASS_DAY_ONE_B, "Avalanche closes Corrin Pass road", "valleynews.test", 9, 6),
        (
            3,
            PASS_DAY_TWO,
            "Drivers found alive after Corrin Pass avalanche",
            "alpinepost.test",
            10,
            7,
        ),
        (4, PASS_DAY_TWO_B, "Corrin Pass drivers survive nine hours", "mountainwire.test", 11, 7),
    ]
    reports: list[Report] = []
    for article_id, text, title, outlet, hour, day in texts:
        article = _article(article_id, text, title, outlet, "en", hour)
        when = datetime(2026, 3, 6 if same_day else day, hour, 0, tzinfo=UTC)
        reports.append(Report(replace(article, published_at=when)))
    return reports


def _page_texts(page: StoryPage) -> list[str]:
    return [s.text for s in _all_sentences(page)]


def test_describes_ongoing_state_in_several_languages() -> None:
    from primenews.synthesize.timeline import describes_ongoing_state

    ongoing = [
        "A large rescue operation is under way.",
        "Rescuers are still searching for two drivers.",
        "Two climbers remain missing, police said.",
        "The cause of the fire is not yet known.",
        "So far 40 homes have been evacuated.",
        "Las labores de rescate siguen en curso.",
        "Die Suche nach den Vermissten dauert an.",
        "Les recherches sont toujours en cours.",
        "Le ricerche sono ancora in corso.",
        "De zoektocht is nog steeds bezig.",
        "Aún hay tres personas desaparecidas.",
        "Toujours pas de nouvelles des deux alpinistes.",
    ]
    settled = [
        "El gobierno aprobó el plan, aun cuando la oposición votó en contra.",
        "Comme toujours, le maire a inauguré la foire.",
        "Il governo ha alzato ancora una volta le tasse.",
        "The rescue operation ended at 2am.",
        "Both drivers were found alive on Monday evening.",
        "The bell was still lying in the street on Monday morning.",
        "The lines stand still for the whole day.",
        '"We are still searching," the commander said.',
    ]
    assert all(describes_ongoing_state(text) for text in ongoing)
    assert not any(describes_ongoing_state(text) for text in settled)


def test_stale_state_from_a_superseded_report_is_left_out() -> None:
    from primenews.synthesize.ranking import collect_candidates
    from primenews.synthesize.timeline import TimelineOptions, stale_candidates

    reports = _pass_reports()
    candidates = collect_candidates(reports, min_words=6, max_words=60)
    stale = {candidates[i].text for i in stale_candidates(candidates, TimelineOptions())}
    assert "A large rescue operation is under way." in stale
    assert "Rescuers are still searching for two drivers who remain missing." in stale
    # the latest reports' own states are current: "is expected to reopen" is not stale
    assert all(c.article_id in (1, 2) for c in candidates if c.text in stale)
    page = ExtractiveSynthesizer().write(9, reports)
    texts = " ".join(_page_texts(page))
    assert "under way" not in texts and "still searching" not in texts
    assert "found alive" in texts  # the later state is told instead
    # reports of one morning supersede nothing: the same page then says the rescue goes on
    same_day_page = ExtractiveSynthesizer().write(9, _pass_reports(same_day=True))
    assert "A large rescue operation is under way." in _page_texts(same_day_page)
    same_day = collect_candidates(_pass_reports(same_day=True), min_words=6, max_words=60)
    assert stale_candidates(same_day, TimelineOptions()) == set()
    assert stale_candidates(same_day, TimelineOptions(enabled=False)) == set()


def test_later_developments_get_the_first_section() -> None:
    page = ExtractiveSynthesizer().write(9, _pass_reports())
    first = page.sections[0]
    assert len(first.sentences) >= 2
    for sentence in first.sentences:  # day two's facts, which no day-one report told
        assert {c.article_id for c in sentence.citations} <= {3, 4}
    assert check_page(page, {r.article.id: r.article for r in _pass_reports()}) == []
    # told on one day, the story has no later stage: sections are topical only, so the
    # sentences only the last reports tell are not gathered in the first section
    same_day = ExtractiveSynthesizer().write(9, _pass_reports(same_day=True))
    later = [
        sentence
        for section in same_day.sections
        for sentence in section.sentences
        if {c.article_id for c in sentence.citations} <= {3, 4}
    ]
    assert later and not set(later) <= set(same_day.sections[0].sentences)


def test_sections_hold_at_least_two_sentences(page: StoryPage) -> None:
    for story in (page, ExtractiveSynthesizer().write(9, _pass_reports())):
        if sum(len(s.sentences) for s in story.sections) >= 2:
            assert all(len(section.sentences) >= 2 for section in story.sections)


def test_lone_sentences_join_the_closest_section() -> None:
    import numpy as np

    from primenews.synthesize.sections import closest_group

    similarity = np.array(
        [[1.0, 0.1, 0.6, 0.0], [0.1, 1.0, 0.2, 0.3], [0.6, 0.2, 1.0, 0.1], [0.0, 0.3, 0.1, 1.0]]
    )
    assert closest_group([0], [[1, 3], [2]], similarity) == 1
    assert closest_group([3], [[1], [0, 2]], similarity) == 0


def test_subheadings_name_a_subtopic_not_a_place_or_number() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    texts = [
        "Snow ploughs from Tarrow cleared the pass road overnight.",
        "The snow ploughs left Tarrow again at noon.",
    ]
    others = ["Police said the drivers were found alive on Monday evening."]
    heading = keyphrase_heading(texts, others, set())
    assert heading == "Snow ploughs"
    counted = ["245 people were taken to Tarrow.", "All 245 people reached Tarrow by boat."]
    heading = keyphrase_heading(counted, others, set())
    assert not any(ch.isdigit() for ch in heading) and heading != "Tarrow"


def test_a_one_word_subheading_takes_what_follows_it_with_of() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    others = ["Rescuers reached the Tarrow hut on Sunday.", "The Tarrow hut was closed."]
    emergency = [
        "The governor declared a state of emergency in Velmark on Monday.",
        "Every county in Velmark is under a state of emergency.",
    ]
    assert keyphrase_heading(emergency, others, set()) == "State of emergency"
    # not a verb's phrase, and not half a name
    getting = ["The price of getting back home rose.", "The price rose again."]
    assert keyphrase_heading(getting, others, set()) == "Price"
    name = ["The resolution of the Central Election Commission was read.", "It passed."]
    assert keyphrase_heading(name, others, set()) == "Resolution"


def test_a_word_taking_an_object_pronoun_is_a_verb_and_ends_no_subheading() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    others = ["About 850 workers at the Tarrow plant stopped work.", "The walkout goes on."]
    texts = [
        "The testing room will stay closed until the inspectors approve it.",
        "Two inspectors will visit the testing room on Monday, and the inspectors approve or "
        "close it.",
    ]
    assert keyphrase_heading(texts, others, set()) == "Testing room"  # not "Inspectors approve"


def test_casualty_counts_read_the_nearest_count_of_each_kind() -> None:
    from primenews.synthesize.timeline import casualty_counts

    assert casualty_counts(
        "A quake struck on Monday, killing at least 12 people and injuring about 140."
    ) == {
        "dead": 12,
        "injured": 140,
    }
    assert casualty_counts("Another 412 people were injured and about 2,600 are homeless.") == {
        "injured": 412
    }
    assert casualty_counts("The death toll from Monday's quake in the hills rose to 31.") == {
        "dead": 31
    }
    assert casualty_counts("Ocho muertos y 25 heridos tras el temporal; 3 desaparecidos.") == {
        "injured": 25,
        "missing": 3,
    }  # counts in words are not read
    assert casualty_counts("A 6.4 quake at 03:41, the deadliest since 1987 killed 3.") == {
        "dead": 3
    }
    assert casualty_counts('"Twelve dead, 40 hurt," he said.') == {}  # quotes are not counts
    assert casualty_counts("Share prices rose to 31 crowns.") == {}


def test_a_toll_that_later_reports_raised_is_neither_summary_nor_headline() -> None:
    day = [
        (
            1,
            "Flash floods swept through Harrow Vale on Monday night, killing at least 4 people "
            "and injuring 20, the regional fire service said. Rescue crews worked through the "
            "night along the Harrow river, where the water rose two metres in an hour.",
            "Floods in Harrow Vale kill at least 4",
            "valeherald.test",
            datetime(2026, 4, 6, 23, 0, tzinfo=UTC),
        ),
        (
            2,
            "The number of people killed by Monday's flash floods in Harrow Vale rose to 11 on "
            "Wednesday, the regional fire service said, after crews reached farms cut off by "
            "the water. Another 35 people were injured. The Harrow river is back inside its "
            "banks, and the Vale road reopened on Wednesday afternoon.",
            "Harrow Vale flood toll rises to 11",
            "riverwire.test",
            datetime(2026, 4, 8, 15, 0, tzinfo=UTC),
        ),
        (
            3,
            "Families in Harrow Vale began clearing mud from their homes on Wednesday after "
            "Monday's flash floods, which killed 11 people across the valley, the fire service "
            "said. The regional council opened two shelters in the Vale school and the "
            "church hall.",
            "Harrow Vale clears mud after deadly floods",
            "dailycourier.test",
            datetime(2026, 4, 8, 18, 0, tzinfo=UTC),
        ),
    ]
    reports = [
        Report(replace(_article(i, text, title, outlet, "en", 0), published_at=when))
        for i, text, title, outlet, when in day
    ]
    page = ExtractiveSynthesizer().write(5, reports)
    assert "at least 4" not in page.summary.text and "at least 4" not in page.headline
    assert "kill at least 4" not in page.headline
    assert all("at least 4" not in s.text for s in _all_sentences(page))
    # the same reports written an hour apart supersede nothing: the first toll may lead
    close = [
        Report(replace(r.article, published_at=datetime(2026, 4, 6, 23, i, tzinfo=UTC)))
        for i, r in enumerate(reports)
    ]
    texts = " ".join(_page_texts(ExtractiveSynthesizer().write(5, close)))
    assert "at least 4" in texts


def test_a_headline_of_a_state_later_reports_ended_is_not_chosen() -> None:
    from primenews.synthesize.timeline import describes_ongoing_state

    assert describes_ongoing_state("Pellin Pay's app is down across the country")
    first = (
        "Pellin Pay's mobile app and cards stopped working across the country on Tuesday "
        "morning, leaving shoppers unable to pay, the company said. Pellin Pay said its "
        "engineers were looking into a fault in its card system."
    )
    second = (
        "Pellin Pay restored its mobile app and card payments on Tuesday evening after an "
        "outage of nine hours, the company said. Pellin Pay said a fault in its card system "
        "stopped the app and cards, and that no customer money was lost."
    )
    reports = [
        Report(
            replace(
                _article(
                    1, first, "Pellin Pay's app is down across the country", "a.test", "en", 0
                ),
                published_at=datetime(2026, 5, 5, 8, 0, tzinfo=UTC),
            )
        ),
        Report(
            replace(
                _article(
                    2, second, "Pellin Pay app and cards are down for hours", "b.test", "en", 0
                ),
                published_at=datetime(2026, 5, 5, 9, 0, tzinfo=UTC),
            )
        ),
        Report(
            replace(
                _article(
                    3,
                    second,
                    "Pellin Pay restores payments after nine-hour outage",
                    "c.test",
                    "en",
                    0,
                ),
                published_at=datetime(2026, 5, 5, 19, 0, tzinfo=UTC),
            )
        ),
    ]
    page = ExtractiveSynthesizer().write(6, reports)
    assert page.headline == "Pellin Pay restores payments after nine-hour outage"


def _strike_reports(latest_title: str, latest_text: str) -> list[Report]:
    monday = (
        "About 600 workers at the Ostby paper mill walked out on Monday over pay, halting "
        "production, the Paper Workers Union said. The union wants a 6% rise; the mill's owner, "
        "Norrvik Paper, has offered 3%. Pickets gathered at the mill gate from 6am."
    )
    monday_b = (
        "Production stopped at the Ostby paper mill on Monday after about 600 workers went on "
        "strike over pay. Norrvik Paper said it had offered a 3% rise and that talks could "
        "resume at any time. The Paper Workers Union said the walkout would go on."
    )
    items = [
        (1, monday, "Ostby paper mill workers strike over pay", "millnews.test", 8),
        (2, monday_b, "Strike halts Ostby paper mill", "northwire.test", 9),
        (3, latest_text, latest_title, "ledger.test", 9),
    ]
    days = {1: 6, 2: 6, 3: 9}
    return [
        Report(
            replace(
                _article(i, text, title, outlet, "en", hour),
                published_at=datetime(2026, 4, days[i], hour, 0, tzinfo=UTC),
            )
        )
        for i, text, title, outlet, hour in items
    ]


def test_a_story_that_developed_leads_with_where_it_stands() -> None:
    deal = (
        "Norrvik Paper and the Paper Workers Union reached a deal on Thursday to end the "
        "four-day strike at the Ostby paper mill, with a 5% pay rise over two years. "
        "The 600 workers will vote on the agreement on Friday, and production could restart "
        "on Monday, Norrvik Paper said. State mediator Hanne Lund brokered the deal after two "
        "days of talks in Ostby town hall. The agreement also adds a one-off payment of 800 "
        "crowns for every worker at the mill."
    )
    page = ExtractiveSynthesizer().write(
        7, _strike_reports("Deal reached to end Ostby mill strike", deal)
    )
    assert page.headline == "Deal reached to end Ostby mill strike"
    assert page.summary.text.startswith("Norrvik Paper and the Paper Workers Union reached a deal")
    explained = ExtractiveSynthesizer().write(
        7, _strike_reports("What the Ostby mill deal means for the town", deal)
    )
    assert explained.headline != "What the Ostby mill deal means for the town"  # an explainer


def test_a_later_feature_piece_sets_a_scene_but_does_not_lead() -> None:
    """A later report's scene-setting lede (no number, nobody quoted) is not the story's
    news: the page leads with the reports' news and takes its headline from their titles."""
    from primenews.synthesize.timeline import bears_news

    feature = (
        "A quiet settled over the Ostby paper mill gate on Thursday, where pickets had stood in "
        "the rain all week. The braziers were cold and the banners of the Paper Workers Union "
        "hung from the mill fence. Inside the Ostby town hall, the talks between the union and "
        "Norrvik Paper went on late into the night. Few in the town expected the mill to stay "
        "shut for long."
    )
    page = ExtractiveSynthesizer().write(
        7, _strike_reports("Ostby waits at the mill gate", feature)
    )
    assert not page.summary.text.startswith("A quiet settled")
    assert page.headline != "Ostby waits at the mill gate"
    assert not bears_news("A quiet settled over the mill gate, where pickets had stood.")
    assert bears_news("The 600 workers will vote on Friday.")
    assert bears_news("Las obras terminarán pronto, según el ministerio.")


def test_a_subheading_names_a_thing_rather_than_a_general_word() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    texts = [
        "The army sent two field hospitals to the valley, and the state promised emergency funds.",
        "The state will pay emergency funds to every family whose home was destroyed, he said.",
    ]
    others = ["The quake struck at a depth of 10 kilometres.", "Aftershocks shook the valley."]
    assert keyphrase_heading(texts, others, set()) == "Emergency funds"  # was "State"


def test_a_subheading_is_not_a_clause() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    others = ["The mayor visited the site on Tuesday.", "Traffic was diverted around the square."]
    called = [
        "Deputies said a neighbour's call came shortly after midnight.",
        "The call came from a farmhouse near the river, deputies said.",
    ]
    assert keyphrase_heading(called, others, set()) == "Neighbour's call"  # not "Call came"
    trapped = [
        "Officials believe six construction workers were inside the tower.",
        "Officials believe the six construction workers were repairing the roof.",
    ]
    assert keyphrase_heading(trapped, others, set()) == "Six construction workers"
    found = [  # a count ("Third woman") opens a name but cannot be all of it
        "Rescuers found a third woman alive under the bakery roof.",
        "The third woman was taken to the Corvin Coast Infirmary by the rescue team.",
    ]
    assert keyphrase_heading(found, others, set()) == "Rescue team"


def test_german_subheadings_end_on_a_noun_and_never_on_an_article() -> None:
    from primenews.synthesize.subheadings import (
        _oblique_adjective,
        heading_context,
        keyphrase_heading,
    )

    others = [
        "Der Pegel des Flusses stieg bis Mittag auf einen neuen Höchststand.",
        "Die Bahnstrecke nach Kelmar bleibt bis Freitag gesperrt.",
    ]
    rescued = [
        "Die Feuerwehr hat in der Nacht zwölf Menschen aus dem Hochwasser gerettet.",
        "Am Morgen wurden noch einmal vier Menschen von Booten der Feuerwehr gerettet.",
    ]
    german = heading_context(rescued + others, None, "de")
    assert keyphrase_heading(rescued, others, set()) == "Feuerwehr gerettet"  # "rescued"
    assert keyphrase_heading(rescued, others, set(), german) == "Feuerwehr"
    fall = [
        "Einen dramatischen Rückgang meldete die Börse in Frankfurt.",
        "Einen dramatischen Rückgang gab es auch bei den Banken.",
    ]
    german = heading_context(fall + others, None, "de")
    heading = keyphrase_heading(fall, others, set(), german)
    # neither the article nor the adjective it inflected ("dramatischen"): a heading stands
    # without an article, so its adjective would be "dramatischer"
    assert heading and not heading.startswith(("Einen", "Dramatischen"))
    assert _oblique_adjective("internationalen Flughäfen")
    assert not _oblique_adjective("schwere Erdbeben") and not _oblique_adjective("weitere Opfer")


def test_a_subheading_never_opens_on_whose_nor_ends_on_together() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    others = ["The reservoir reached a record level.", "Residents left their homes."]
    named = [
        "Police said two dam workers whose names were withheld were arrested.",
        "The workers whose names were withheld appeared in court on Friday.",
    ]
    assert "whose" not in keyphrase_heading(named, others, set()).casefold()
    kept = [
        "The board said it wanted to keep the dam crew together.",
        "Staff want to keep the dam crew together, a spokesman said.",
    ]
    assert "together" not in keyphrase_heading(kept, others, set()).casefold()


def test_a_subheading_never_ends_on_a_preposition_of_another_language() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    texts = [
        "Des scènes de panique parmi les habitants de Marrakech cette nuit.",
        "La panique parmi les touristes a duré toute la nuit dans la vieille ville.",
    ]
    others = ["Le séisme a frappé la province vendredi.", "Les secours sont arrivés samedi."]
    assert "parmi" not in keyphrase_heading(texts, others, set()).casefold()


def test_a_subheading_may_open_on_a_noun_in_ing() -> None:
    """ "Fishing port", "Voting rights": nouns in -ing, not a verb's phrase ("offering
    workers"); "due" breaks a phrase ("building due to …")."""
    from primenews.synthesize.subheadings import keyphrase_heading

    others = ["The quake struck late on Thursday.", "The coastguard lifted its warning."]
    texts = [
        "Three people died in the fishing port of Salt Harbour, officials said.",
        "The fishing port lost its old stone pier in the night.",
    ]
    assert keyphrase_heading(texts, others, set()) == "Fishing port"
    closed = [
        "Inspectors closed the building due to safety concerns.",
        "The building due for repairs stays closed until Monday.",
    ]
    assert "due" not in keyphrase_heading(closed, others, set()).casefold()


def test_a_subheading_keeps_a_brands_spelling() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    texts = [
        "Kessler said the iPhone app would return on Monday.",
        "Customers could not open the iPhone app for six hours.",
    ]
    others = ["The union met on Tuesday.", "Shares fell 2% in early trading."]
    assert keyphrase_heading(texts, others, set()).startswith("iPhone")


def test_a_subheading_never_comes_from_a_condition() -> None:
    from primenews.synthesize.subheadings import keyphrase_heading

    texts = [
        "The mill could reopen on Monday if the vote passes, the company said.",
        "The union said the mill would reopen after the strike if the vote passes.",
    ]
    others = ["Pickets gathered at the gate on Foundry Road.", "Shares fell 2% in early trading."]
    heading = keyphrase_heading(texts, others, set())
    assert "vote" not in heading.casefold() and "passes" not in heading.casefold()


def test_a_subheading_never_names_what_a_report_denies() -> None:
    """ "none is in a serious condition" and "this was not a cyber attack" deny the phrase:
    a heading drawn from them would tell the reader the opposite of the report."""
    from primenews.synthesize.subheadings import keyphrase_heading

    others = ["The ferry ran aground off Tollen Island.", "Crossings were cancelled."]
    hurt = [
        "Nine people were taken to hospital with hypothermia; none is in a serious condition.",
        "Doctors said none of the nine was in a serious condition after the night in the cold.",
    ]
    heading = keyphrase_heading(hurt, others, set())
    assert "condition" not in heading.casefold()
    outage = [
        '"This was not a cyber attack," said the bank\'s spokesman Henrik Dahl.',
        "The bank said it was never a cyber attack, and no customer data was taken.",
    ]
    heading = keyphrase_heading(outage, others, set())
    assert "attack" not in heading.casefold() and "data" not in heading.casefold()


def test_a_subheading_does_not_end_on_a_verb_the_story_uses() -> None:
    """ "Russia sought" (an irregular past), "Economy reopens" (the story says "to reopen"),
    "Last" (a word that orders, not names)."""
    from primenews.synthesize.subheadings import heading_context, keyphrase_heading

    others = ["The committee met behind closed doors.", "Shares fell 2% in early trading."]
    sought = [
        "Russia sought contacts with the campaign, the Senate panel found.",
        "The Senate panel said Russia sought to influence the vote.",
    ]
    assert keyphrase_heading(sought, others, set()) == "Senate panel"
    reopening = [
        "Shops are preparing as the economy reopens after the lockdown.",
        "Owners fear the economy reopens too late for the shops on Main Street.",
        "The governor said the state would reopen shops on Monday.",
    ]
    context = heading_context(reopening + others)
    heading = keyphrase_heading(reopening, others, set(), context)
    assert not heading.casefold().endswith("reopens")
    last = [
        "The last of the passengers came ashore at 2am.",
        "The ferry passed its last safety inspection in November.",
    ]
    assert keyphrase_heading(last, others, set()) == "Last safety inspection"


def test_key_quotes_name_each_speaker_once_and_add_voices_first() -> None:
    """ "Seismologist Piet Vandeleur" and "Piet Vandeleur" are one speaker; a quote the page's
    sentences do not already carry comes before one they do."""
    from primenews.synthesize.quotes import pick_quotes
    from primenews.synthesize.ranking import collect_candidates, rank_candidates

    wire = (
        "An earthquake of magnitude 5.8 struck off the Corvin Coast late on Thursday, killing "
        "three people in Salt Harbour, local authorities said. Seismologist Piet Vandeleur "
        "said: \"There is no physical link between Monday's quake and tonight's offshore "
        'event." The coastguard lifted a tsunami warning after 90 minutes.'
    )
    ledger = (
        "Thursday's magnitude 5.8 tremor off the Corvin Coast killed three people in Salt "
        'Harbour, the second deadly quake in Aldmark in four days. "I understand why people '
        'are frightened, but these are two separate faults," said Piet Vandeleur. The harbour '
        'master, Ada Kestrel, said the old pier would be rebuilt. "We will put the stones back '
        'one by one if we have to," Kestrel told the paper at the harbour wall.'
    )
    articles = [
        _article(1, wire, "Quake off Corvin Coast kills three", "wire.test", "en", 8),
        _article(2, ledger, "Second deadly quake in a week", "ledger.test", "en", 9),
    ]
    candidates = collect_candidates([Report(a) for a in articles], min_words=4, max_words=80)
    ranked = rank_candidates(candidates, [a.title or "" for a in articles], RankWeights())
    by_id = {a.id: a for a in articles}
    carried = next(c.text for c in candidates if "We will put the stones" in c.text)
    quotes = pick_quotes(ranked.candidates, ranked.scores, by_id, limit=3, said=[carried])
    speakers = [q.speaker for q in quotes]
    assert sum("Vandeleur" in speaker for speaker in speakers) == 1, speakers
    assert speakers[-1] == "Ada Kestrel"  # the page already quotes her: her quote comes last
    assert len(quotes) == 2


def test_a_story_in_a_script_without_case_gets_a_page() -> None:
    """Fictional Arabic reports: sentences are told apart with no capital letter after a full
    stop, and the prose checks that look at letter case leave them alone."""
    first = (
        "فتح المهندسون مفيض سد كويل فوق بلدة ماروديل يوم الثلاثاء بعد أمطار غزيرة. "
        "وبلغ منسوب الخزان مستوى قياسيا بعد ثلاثة أسابيع من الأمطار في الوادي. "
        "وطلبت السلطات من نحو 1200 ساكن مغادرة منازلهم قبل المساء."
    )
    second = (
        "قالت السلطات إن نحو 1200 ساكن غادروا منازلهم أسفل سد كويل يوم الثلاثاء. "
        "وفتح المهندسون المفيض بعد أن بلغ الخزان مستوى قياسيا. "
        "ولم تسجل أي إصابات حتى مساء الثلاثاء بحسب الدفاع المدني."
    )
    reports = [
        Report(_article(1, first, "فتح مفيض سد كويل بعد أمطار قياسية", "a.example", "ar", 9)),
        Report(_article(2, second, "إجلاء 1200 ساكن أسفل سد كويل", "b.example", "ar", 10)),
    ]
    page = ExtractiveSynthesizer().write(1, reports)
    written = [page.summary, *(x for sec in page.sections for x in sec.sentences)]
    assert len(written) >= 4
    assert all(sentence.text.count(".") == 1 for sentence in written)  # one sentence each
    articles = {r.article.id: r.article for r in reports}
    assert not [v for v in check_page(page, articles) if v.reject]


def test_loaded_words_are_counted_outside_quotations_only() -> None:
    from primenews.synthesize.neutrality import loaded_words

    assert loaded_words("Mayor slams spineless council over the dam") == 2
    assert loaded_words('Mayor calls the dam report a "hoax"') == 0  # someone's words
    assert loaded_words("Fire destroys the old mill; blasts heard across the valley") == 0


def test_a_neutral_title_heads_the_page_before_a_loaded_one() -> None:
    """Fictional titles: the loaded one ("slams", "spineless") says the same as the neutral
    ones; the page heads with words of the reporter's, not of the row."""
    titles = [
        "Mayor slams council over Quell dam spillway delay",
        "Mayor faults council over Quell dam spillway delay",
        "Council criticised over Quell dam spillway delay",
    ]
    summary = "The mayor took on the council over the spillway delay at the Quell dam."
    assert choose_headline(titles, summary) in titles[1:]
    assert choose_headline(titles[:1], summary) == titles[0]  # the only title still heads it
