"""The grounding check: numbers, names and content words of a sentence against its evidence.

All text here is fictional, written for these tests.
"""

from __future__ import annotations

import pytest

from primenews.synthesize import split_sentences
from primenews.synthesize.grounding import (
    SUPPORT_THRESHOLD,
    Support,
    check_support,
    names_in,
    numbers_in,
)

ARTICLE = (
    "Harbour officials in Velmora said on Tuesday that 1,240 containers were stranded after "
    "a crane collapsed at the northern terminal. Port director Anika Sorensen told reporters "
    "the terminal would reopen within 12 days, and that repairs would cost 3.5 million euros. "
    "Dockworkers' union leader Tomas Brecht warned that 18% of the harbour's jobs depended on "
    'the terminal. "We cannot wait two weeks," Brecht said.'
)
EVIDENCE = [span.text for span in split_sentences(ARTICLE)]


@pytest.mark.parametrize("sentence", EVIDENCE)
def test_a_verbatim_evidence_sentence_is_supported(sentence: str) -> None:
    support = check_support(sentence, EVIDENCE)
    assert support == Support(True, 1.0, (), (), None)


def test_a_trimmed_evidence_sentence_is_supported() -> None:
    trimmed = (
        "Port director Anika Sorensen told reporters the terminal would reopen within 12 days."
    )
    support = check_support(trimmed, EVIDENCE[1:2])
    assert support.supported, support.reason
    assert support.score == 1.0


def test_every_evidence_sentence_supports_itself_in_any_cut() -> None:
    for sentence in EVIDENCE:
        words = sentence.split()
        for cut in range(3, len(words)):
            support = check_support(" ".join(words[:cut]), [sentence])
            assert support.supported, (words[:cut], support.reason)


def test_an_invented_number_is_not_supported() -> None:
    support = check_support(
        "Harbour officials in Velmora said that 1,420 containers were stranded.", EVIDENCE
    )
    assert not support.supported
    assert support.missing_numbers == ("1,420",)
    assert support.reason is not None and "1,420" in support.reason


def test_an_invented_name_is_not_supported() -> None:
    support = check_support(
        "Port director Anika Sorensen told Mayor Lund the terminal would reopen within 12 days.",
        EVIDENCE,
    )
    assert not support.supported
    assert support.missing_names == ("Lund",)  # "Mayor" is a title, not a name
    assert support.score >= SUPPORT_THRESHOLD  # names alone decide here


def test_a_faithful_paraphrase_is_supported() -> None:
    support = check_support(
        "Sorensen expects the Velmora terminal to reopen within 12 days after the crane accident.",
        EVIDENCE,
    )
    assert support.supported, support.reason
    assert SUPPORT_THRESHOLD <= support.score < 1.0


def test_a_new_claim_around_borrowed_names_is_not_supported() -> None:
    support = check_support(
        "Sorensen blamed Brecht for sabotage and demanded immediate arrests of striking crews.",
        EVIDENCE,
    )
    assert not support.supported
    assert support.score < SUPPORT_THRESHOLD
    assert support.missing_names == ()
    assert support.reason is not None and "content words" in support.reason


def test_attribution_and_function_words_never_count_against_a_sentence() -> None:
    support = check_support("Brecht told them the union had warned of it, he said.", EVIDENCE)
    # content words: brecht, union, warned -> all in the evidence
    assert support.score == 1.0
    assert support.supported


@pytest.mark.parametrize(
    ("sentence", "evidence"),
    [
        ("About 1240 containers were stranded.", "1,240 containers were stranded"),
        ("About 1.240 containers were stranded.", "1,240 containers were stranded"),
        ("Repairs cost 3,5 million euros.", "repairs cost 3.5 million euros"),
        ("Repairs cost 3.5m euros.", "repairs cost 3,500,000 euros"),
        ("Jobs fell 18 per cent.", "jobs fell 18%"),
        ("Jobs fell 18,5 %.", "jobs fell 18.5 percent"),
    ],
)
def test_numbers_written_differently_are_one_number(sentence: str, evidence: str) -> None:
    support = check_support(sentence, [evidence])
    assert support.missing_numbers == ()


def test_numbers_are_normalised() -> None:
    assert [key for key, _ in numbers_in("1,240 and 1.2 million, 18 per cent, 2,5% in 2024")] == [
        "1240",
        "1200000",
        "18%",
        "2.5%",
        "2024",
    ]
    # a day and a year side by side are two numbers, not one grouped by a space
    assert [key for key, _ in numbers_in("on March 5 2024")] == ["5", "2024"]


def test_a_part_of_a_number_is_not_the_number() -> None:
    support = check_support(
        "Some 240 containers were stranded.", ["1,240 containers were stranded"]
    )
    assert support.missing_numbers == ("240",)


def test_names_skip_the_first_word_and_titles_and_possessives_match() -> None:
    assert names_in("Officials met Sorensen's deputy in Velmora, President Kaur said.") == [
        "Sorensen",
        "Velmora",
        "Kaur",
    ]
    support = check_support("Crews cheered Sorensen in Velmora.", ["Sorensen's crews in Velmora"])
    assert support.missing_names == ()


def test_a_demonym_is_found_in_its_country() -> None:
    support = check_support("The Velmoran port reopened.", ["The port of Velmora reopened."])
    assert support.missing_names == ()
    assert support.supported


def test_a_quotation_start_is_not_a_name() -> None:
    assert names_in('Crews told Brecht: "Nobody will wait." Then he left.') == ["Brecht"]


def test_folding_works_across_scripts_and_accents() -> None:
    support = check_support("Zoë Ångström visited Malmö.", ["Zoe Angstrom visited Malmo on Friday"])
    assert support.supported, support.reason
    cyrillic = check_support(
        "Мэр Велморы открыл порт.", ["Во вторник мэр Велморы открыл порт после ремонта."]
    )
    assert cyrillic.supported, cyrillic.reason
    assert not check_support("Мэр Тарсиса открыл порт.", ["Мэр Велморы открыл порт."]).supported


def test_empty_evidence_supports_nothing() -> None:
    support = check_support("The port reopened.", [])
    assert not support.supported
    assert support.reason == "no cited text to support it"
    assert not check_support("The port reopened.", ["  "]).supported


def test_a_sentence_of_function_words_needs_them_all_in_the_evidence() -> None:
    assert check_support("It was there.", ["it was there"]).supported
    assert not check_support("It was not.", ["it was there"]).supported


def test_sentences_skip_invisible_characters_bullets_and_abbreviated_departments() -> None:
    """A zero-width space before a title, "State Dept." inside it and a list bullet are not
    part of any sentence (and not sentence ends); offsets still point into the text."""
    text = (
        "\u200bVelmora puts a critic on its wanted list; State Dept. revokes his visa. "
        "• Harbour officials said the visa was revoked on Friday.\u200b"
    )
    spans = split_sentences(text)
    assert [span.text for span in spans] == [
        "Velmora puts a critic on its wanted list; State Dept. revokes his visa.",
        "Harbour officials said the visa was revoked on Friday.",
    ]
    assert all(text[span.start : span.end] == span.text for span in spans)


def test_sentences_end_in_scripts_without_case() -> None:
    """No capital letter follows a full stop in Arabic or Hindi: any letter of such a script
    starts the next sentence, and "؟" and "।" end one (fictional sentences)."""
    arabic = "فتح المهندسون مفيض السد يوم الثلاثاء. وبلغ منسوب الخزان مستوى قياسيا؟ وغادر السكان."
    hindi = "इंजीनियरों ने मंगलवार को बांध खोला। जलाशय रिकॉर्ड स्तर पर पहुंच गया।"
    for text, count in ((arabic, 3), (hindi, 2)):
        spans = split_sentences(text)
        assert len(spans) == count
        assert all(text[span.start : span.end] == span.text for span in spans)
    # a full stop before a lower-case Latin word is still no sentence end
    assert len(split_sentences("The dam opened at 6 a.m. on Tuesday.")) == 1
