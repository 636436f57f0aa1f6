"""PrimeNews's own boilerplate cleaning, family by family, with the sentences that must stay."""

from __future__ import annotations

import pytest

from primenews.extract import clean_paragraphs
from primenews.extract.clean import drop_title_paragraphs

ARTICLE = (
    "The council voted on Tuesday to extend the harbour wall by forty metres, after two winters "
    "in which storm surges flooded the lower town."
)


@pytest.mark.parametrize(
    "line",
    [
        "We use cookies to improve your browsing experience, offer personalized ads or content, "
        "and analyze our traffic. By clicking 'Accept', you consent to our use of cookies.",
        "Cookies policy.",
        "This website uses cookies.",
        "Accept all cookies",
        "Manage cookie settings",
    ],
)
def test_cookie_and_consent_notices_are_dropped(line: str) -> None:
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE]


@pytest.mark.parametrize(
    "line",
    [
        "Copyright ©2024 All rights reserved | PrimeAi News",
        "© 2026 The Lantern Gazette",
        "(c) 2025 Example Media Group",
        "All Rights Reserved.",
    ],
)
def test_copyright_lines_are_dropped(line: str) -> None:
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE]


@pytest.mark.parametrize(
    "line",
    [
        "Share news",
        "Share",
        "Share this article",
        "Share on Facebook",
        "Tweet",
        "Follow us on Twitter",
        "Like this story? Share it with a friend!",
        "Sign up for our newsletter to get the day's top stories in your inbox.",
        "Subscribe to the Morning Review newsletter",
        "Pick Six Newsletter",
        "Follow the Lantern Gazette opinion desk on Facebook, Twitter and Instagram.",
        "Subscribe to Harbour Weekly on YouTube for more local news:",
    ],
)
def test_share_follow_and_newsletter_prompts_are_dropped(line: str) -> None:
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE]


@pytest.mark.parametrize(
    "line",
    [
        "Leave a comment",
        "12 comments",
        "Advertisement",
        "Tell us what YOU think...",
        "CLICK HERE TO GET THE NEWS APP",
        "Write to Al Root at al.root@paper.example",
        "This copy is for your personal, non-commercial use only.",
        "If you buy something through this post, we may get a share of the sale.",
        "Reading time: 4 minutes",
        "Tempo de leitura: 2 minutos",
        "6 min read",
    ],
)
def test_comment_prompts_and_ad_labels_are_dropped(line: str) -> None:
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE]


def test_related_posts_heading_and_its_headline_list_are_dropped() -> None:
    paragraphs = [
        ARTICLE,
        "Related posts",
        "Harbour wall plans go on show at the town hall",
        "Storm surge: what the new flood maps mean for you",
        "The debate continues next month, when engineers present the final design.",
    ]
    assert clean_paragraphs(paragraphs) == [ARTICLE, paragraphs[-1]]


@pytest.mark.parametrize(
    "heading",
    ["DON'T MISS", "Popular on Harbour Weekly", "Most read in world news", "Explore further"],
)
def test_more_related_headings_drop_the_headline_list_after_them(heading: str) -> None:
    paragraphs = [ARTICLE, heading, "Harbour wall plans go on show at the town hall"]
    assert clean_paragraphs(paragraphs) == [ARTICLE]


@pytest.mark.parametrize(
    "line",
    [
        "Updated at 1:23 p.m.",
        "UPDATED: Tue., Nov. 19, 2019",
        "November 20, 2019 - 11:28 AMT",
        "sexta-feira, 22 de outubro de 2010 às 20:13",
        "[Related: Harbour wall plans go on show]",
        "(Leggi anche: Il porto chiude per lavori)",
    ],
)
def test_datelines_and_bracketed_read_also_lines_are_dropped(line: str) -> None:
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE]


@pytest.mark.parametrize(
    "line", ["In 2019 the wall was raised.", "| 2019 | 2020 |", "1,200", "12%"]
)
def test_sentences_and_numbers_with_dates_stay(line: str) -> None:
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE, line]


def test_click_to_tweet_suffix_is_stripped() -> None:
    line = "Every harbour town needs a wall it can trust.Click To Tweet"
    assert clean_paragraphs([ARTICLE, line]) == [ARTICLE, line.removesuffix("Click To Tweet")]


def test_read_more_and_tag_lines_are_dropped() -> None:
    paragraphs = [ARTICLE, "READ MORE: Harbour wall plans go on show", "Tags", "harbour, flooding"]
    assert clean_paragraphs(paragraphs) == [ARTICLE]


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        (">Implications for Future Relations", "Implications for Future Relations"),
        ("&gt; A quoted line", "A quoted line"),
        ("A <b>bold</b> claim&nbsp;here", "A bold claim here"),
        (
            '[button link="http://x.test/"]Send us your review[/button] now',
            "Send us your review now",
        ),
    ],
)
def test_markup_artefacts_are_stripped(raw: str, clean: str) -> None:
    assert clean_paragraphs([raw]) == [clean]


@pytest.mark.parametrize(
    "sentence",
    [
        "Bakers in the town say they share the recipe for their oat cookies with anyone who asks.",
        "Shareholders approved the merger on Friday, sending the stock up four percent.",
        "The study found that people who use cookies as a reward eat more sugar over a year.",
        "Share prices fell sharply after the announcement.",
        "She said the copyright dispute had dragged on for years before the court ruled.",
        "Follow the river north for two miles and you reach the old mill.",
        "Follow the money, she said, and you will find out who on Twitter paid for the ads.",
        "Reading time for pupils rose to 40 minutes a day under the new plan.",
        "The related posts on the forum were removed by moderators after complaints.",
        "The code uses <config files> in the home folder.",
    ],
)
def test_real_sentences_that_mention_the_keywords_stay(sentence: str) -> None:
    assert clean_paragraphs([ARTICLE, sentence]) == [ARTICLE, sentence]


def test_a_leading_title_repeat_is_dropped_but_not_a_lone_paragraph() -> None:
    title = "Harbour Wall to Grow by Forty Metres"
    assert drop_title_paragraphs([title, ARTICLE], title) == [ARTICLE]
    assert drop_title_paragraphs([ARTICLE], title) == [ARTICLE]
    assert drop_title_paragraphs([title], title) == [title]


def test_a_run_of_menu_items_is_dropped_but_a_table_of_numbers_stays() -> None:
    menu = [
        "Home",
        "News",
        "Sport",
        "Weather",
        "Culture",
        "Travel",
        "Jobs",
        "Contact",
        "About",
        "Help",
    ]
    assert clean_paragraphs([*menu, ARTICLE]) == [ARTICLE]
    table = ["Driver", "Points", "Wins", "Ana Lima", "5040", "3", "Rui Costa", "5035", "2", "Bo Li"]
    assert clean_paragraphs([ARTICLE, *table]) == [ARTICLE, *table]
    few = menu[:4]
    assert clean_paragraphs([*few, ARTICLE]) == [*few, ARTICLE]
