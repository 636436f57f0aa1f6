"""Canonical URLs: tracking parameters, AMP and mobile editions folded, distinct pages apart."""

from __future__ import annotations

import pytest

from primenews.dedupe import canonicalize_url
from primenews.pipeline import choose_canonical


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://m.example.com/news/crane", "https://example.com/news/crane"),
        ("https://mobile.example.co.uk/news/crane", "https://example.co.uk/news/crane"),
        ("https://amp.example.com/news/crane", "https://example.com/news/crane"),
        ("https://example.com/amp/news/crane", "https://example.com/news/crane"),
        ("https://example.com/news/crane/amp", "https://example.com/news/crane"),
        ("https://example.com/news/crane/amp/", "https://example.com/news/crane"),
        ("https://example.com/news/crane?amp=1", "https://example.com/news/crane"),
        ("https://example.com/news/crane?amp", "https://example.com/news/crane"),
        ("https://example.com/news/crane?AMP=true", "https://example.com/news/crane"),
        (
            "https://example.com/news/crane?outputType=amp&id=7",
            "https://example.com/news/crane?id=7",
        ),
        (
            "HTTPS://M.Example.com:443/amp/news/crane?utm_source=x&amp=1#top",
            "https://example.com/news/crane",
        ),
    ],
)
def test_amp_and_mobile_editions_become_the_main_page(url: str, expected: str) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/news/amplifier",  # a word that starts with amp
        "https://example.com/campaign/amp-up",
        "https://example.com/amp",  # a section called amp, nothing else left
        "https://example.com/amp/",
        "https://example.com/news/crane?amp=0",  # amp switched off is another request
        "https://example.com/news/crane?page=amp",
        "https://m.example/news/crane",  # no domain left after the prefix
        "https://media.example.com/news/crane",  # not a mobile prefix
        "https://example.com/m/news/crane",
    ],
)
def test_lookalikes_are_left_alone(url: str) -> None:
    assert canonicalize_url(url) == url


def test_distinct_articles_stay_distinct() -> None:
    urls = [
        "https://example.com/news/crane",
        "https://example.com/news/crane-2",
        "https://example.com/news/crane?id=2",
        "https://news.example.com/news/crane",
        "https://example.org/news/crane",
    ]
    assert len({canonicalize_url(u) for u in urls}) == len(urls)


def test_declared_canonical_on_the_mobile_host_is_accepted() -> None:
    # the AMP page names its main page as canonical: same site once the editions are folded
    chosen = choose_canonical(
        "https://amp.example.com/news/crane/amp", "https://www.example.com/news/crane"
    )
    assert chosen == "https://www.example.com/news/crane"
    assert canonicalize_url("urn:meantime:en:1_crane") == "urn:meantime:en:1_crane"
