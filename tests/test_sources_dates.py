"""The date reader shared by feeds, sitemaps and JSON Lines: aware UTC or None."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from primenews.sources.dates import dateline_date, from_struct_time, parse_datetime

MAY_1 = datetime(2024, 5, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01", MAY_1),
        ("2024-05", MAY_1),
        ("2024-05-01T02:00:00+02:00", MAY_1),
        ("2024-05-01T00:00:00Z", MAY_1),
        ("2024-05-01T00:00:00", MAY_1),  # no zone: UTC
        ("2024-05-01T00:00+00:00", MAY_1),
        ("Wed, 01 May 2024 00:00:00 GMT", MAY_1),
        ("Wed, 01 May 2024 02:00:00 +0200", MAY_1),
        (1714521600, MAY_1),
        (1714521600.0, MAY_1),
        (1714521600000, MAY_1),  # milliseconds
        ("1714521600", MAY_1),
    ],
)
def test_dates_are_read_as_aware_utc(value: object, expected: datetime) -> None:
    result = parse_datetime(value)
    assert result == expected
    assert result is not None and result.utcoffset() is not None
    assert result.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "yesterday", "2024-13-45", "32/13/2024", True, float("nan"), 10**30, [], {}],
)
def test_invalid_dates_are_none(value: object) -> None:
    assert parse_datetime(value) is None


def test_struct_time() -> None:
    assert from_struct_time(time.struct_time((2024, 5, 1, 0, 0, 0, 2, 122, 0))) == MAY_1
    assert from_struct_time(None) is None
    assert from_struct_time("2024-05-01") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Tanker deal signed March 27, 2008 The ministry said", datetime(2008, 3, 27, tzinfo=UTC)),
        ("KESSEL, 4. März 2025 (Agentur) - Die Bank", datetime(2025, 3, 4, tzinfo=UTC)),
        ("Port Hesk, 3 de marzo de 2021. Un terremoto", datetime(2021, 3, 3, tzinfo=UTC)),
        ("Le 1er mars 2020, la banque centrale", datetime(2020, 3, 1, tzinfo=UTC)),
        ("Updated 2024-07-19 08:00 — outage", datetime(2024, 7, 19, tzinfo=UTC)),
        (  # a birthday first, then the dateline
            "Born March 3, 1950, the judge. SEOUL, 10 October 2024 (AP) - The",
            datetime(2024, 10, 10, tzinfo=UTC),
        ),
    ],
)
def test_a_dateline_date_is_read_in_several_languages(text: str, expected: datetime) -> None:
    assert dateline_date(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The mayor, who took office in May 2001, said nothing.",  # no day: not a dateline
        "February 30, 2024 is not a day",  # impossible date
        "x" * 400 + " March 27, 2008",  # past the dateline: a date the story mentions
        "Han Kang wins the prize. Born November 27, 1970 in Gwangju, she lives in Seoul.",
        "Die Autorin, geboren am 27. November 1970 in Gwangju, lebt in Seoul.",
        "La autora, nacida el 27 de noviembre de 1970, vive en Seúl.",
        "The plant, in service since March 3, 1998, closed.",
    ],
)
def test_no_dateline_date_when_there_is_none(text: str) -> None:
    assert dateline_date(text) is None
