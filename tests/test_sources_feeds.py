"""Feed reading: RSS 0.91/1.0/2.0, Atom, JSON Feed, and every way a feed goes wrong."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from primenews.errors import FeedError, SourceError
from primenews.sources import read_feed
from primenews.sources.xmlsafety import declares_entities

DATA = Path(__file__).resolve().parent / "data" / "sources"


def test_rss091_with_netscape_doctype_is_read() -> None:
    result = read_feed((DATA / "rss091.xml").read_bytes(), url="https://gazette.example/rss")
    assert result.version.startswith("rss091")
    assert result.title == "Valley Gazette"
    assert result.site_url == "https://gazette.example/"
    assert [link.url for link in result.links] == [
        "https://gazette.example/2024/bridge-reopens",
        "https://gazette.example/2024/cafe-prize",
    ]
    assert result.links[1].title == "Café wins regional prize"
    assert result.links[0].language == "en-gb"
    assert result.errors == ()


def test_rss10_rdf_dates_and_creators() -> None:
    result = read_feed((DATA / "rss10.rdf").read_bytes(), url="https://harbour.example/rss")
    assert result.version == "rss10"
    first, second = result.links
    assert first.url == "https://harbour.example/ferry-timetable"
    assert first.published_at == datetime(2024, 3, 2, 7, 30, tzinfo=UTC)
    assert first.authors == ("Joris Visser",)
    assert first.language == "nl"
    assert second.published_at == datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def test_rss20_keeps_good_items_and_records_bad_ones() -> None:
    result = read_feed(
        (DATA / "rss20.xml").read_bytes(),
        url="https://northfield.example/feeds/rss.xml",
        source_id=7,
    )
    urls = [link.url for link in result.links]
    assert urls == [
        "https://northfield.example/news/library",
        "https://northfield.example/news/relative-story",  # resolved against the feed URL
        "https://northfield.example/news/bad-date",
        "https://northfield.example/news/library-again",  # repeated GUID, other link: kept
        "https://northfield.example/news/no-guid",
        "https://northfield.example/news/permalink-guid",
    ]
    assert len(set(urls)) == len(urls)
    library = result.links[0]
    assert library.guid == "nf-1001"
    assert library.published_at == datetime(2024, 3, 5, 8, 15, tzinfo=UTC)
    assert library.published_at.tzinfo is UTC
    assert library.authors == ("Ada Marsh",)
    assert library.source_id == 7
    assert result.links[2].published_at is None  # invalid date: kept, no date
    assert result.links[4].guid is None
    reasons = sorted(error.reason for error in result.errors)
    assert reasons == ["duplicate_guid", "duplicate_link", "invalid_link", "missing_link"]
    assert all(error.source_id == 7 and error.stage == "source" for error in result.errors)
    missing = next(e for e in result.errors if e.reason == "missing_link")
    assert "An item with no link" in missing.message


def test_atom_relative_links_languages_and_authors() -> None:
    result = read_feed((DATA / "atom.xml").read_bytes(), url="https://fictif.example/atom.xml")
    assert result.version == "atom10"
    assert result.site_url == "https://fictif.example/"
    marche, market = result.links
    assert marche.url == "https://fictif.example/articles/marche"
    assert marche.language == "fr"
    assert marche.authors == ("Claire Fontaine", "Marc Dupuis")
    assert marche.published_at == datetime(2024, 4, 1, 5, 0, tzinfo=UTC)
    assert marche.updated_at == datetime(2024, 4, 2, 7, 0, tzinfo=UTC)
    assert market.language == "en"
    assert market.published_at == market.updated_at == datetime(2024, 4, 2, 10, 0, tzinfo=UTC)


def test_json_feed_11() -> None:
    result = read_feed((DATA / "feed.json").read_bytes(), url="https://orchard.example/feed.json")
    assert result.version == "json11"
    assert result.title == "Orchard Notes"
    assert result.site_url == "https://orchard.example/"
    apple, pear, repeated = result.links
    assert repeated.url == "https://orchard.example/posts/apple-harvest-duplicate"  # same id
    assert apple.url == "https://orchard.example/posts/apple-harvest"
    assert apple.published_at == datetime(2024, 9, 1, 10, 0, tzinfo=UTC)
    assert apple.updated_at == datetime(2024, 9, 1, 12, 0, tzinfo=UTC)
    assert apple.authors == ("Pat Greene",)
    assert pear.url == "https://orchard.example/posts/pear-prices"
    assert pear.guid == "2"
    assert pear.published_at is None
    assert pear.authors == ("Orchard Desk",)  # the feed's authors
    assert pear.language == "en-GB"
    assert sorted(e.reason for e in result.errors) == [
        "duplicate_guid",
        "invalid_item",
        "missing_link",
    ]


def test_json_that_is_not_a_json_feed_is_refused() -> None:
    with pytest.raises(FeedError, match="not a JSON Feed"):
        read_feed(b'{"hello": "world"}', url="https://x.example/data.json")
    with pytest.raises(FeedError, match="cannot be read as JSON"):
        read_feed(b'{"version": ', url="https://x.example/broken.json")


def test_xxe_is_refused_and_nothing_leaks() -> None:
    body = (DATA / "xxe.xml").read_bytes()
    with pytest.raises(FeedError, match="XXE") as caught:
        read_feed(body, url="https://attacker.example/feed")
    assert "root:" not in str(caught.value)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_xxe_in_other_encodings_is_refused(encoding: str) -> None:
    text = (DATA / "xxe.xml").read_text(encoding="utf-8")
    text = text.replace('encoding="utf-8"', f'encoding="{encoding.upper()}"')
    body = text.encode(encoding)
    assert declares_entities(body)
    with pytest.raises(FeedError):
        read_feed(body, url="https://attacker.example/feed")


def test_billion_laughs_fails_fast() -> None:
    started = time.monotonic()
    with pytest.raises(FeedError, match="billion laughs"):
        read_feed((DATA / "billion_laughs.xml").read_bytes(), url="https://attacker.example/lol")
    assert time.monotonic() - started < 1.0


def test_parameter_entities_are_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY % remote SYSTEM '
        b'"http://127.0.0.1:9/evil.dtd"> %remote;]><rss version="2.0"><channel>'
        b"<item><link>https://a.example/1</link></item></channel></rss>"
    )
    with pytest.raises(FeedError):
        read_feed(body, url="https://attacker.example/feed")


def test_entity_text_inside_cdata_without_doctype_is_fine() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Sec</title><item>'
        b"<title>About XXE</title><link>https://sec.example/xxe</link>"
        b"<description><![CDATA[Never allow <!ENTITY x SYSTEM 'file:///'>.]]></description>"
        b"</item></channel></rss>"
    )
    result = read_feed(body, url="https://sec.example/rss")
    assert [link.url for link in result.links] == ["https://sec.example/xxe"]


@pytest.mark.parametrize(
    "body",
    [
        b"\x00\x01\x02garbage\xff\xfe bytes that are no feed",
        b"<html><head><title>A web page</title></head><body><p>Hi</p></body></html>",
        b"just some text",
        b"   ",
        b"<rss><channel><item><title>cut",  # not well-formed, and no item with a link
    ],
)
def test_not_a_feed_raises_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError) as caught:
        read_feed(body, url="https://x.example/page")
    assert "https://x.example/page" in str(caught.value)
    assert isinstance(caught.value, SourceError)


def test_malformed_feed_with_items_is_read_with_a_warning() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title>'
        b"<item><title>One</title><link>https://cut.example/1</link></item>"
        b"<item><title>Two</title><link>https://cut.example/2</link></item>"
        b"<item><title>Thr"
    )
    result = read_feed(body, url="https://cut.example/rss")
    assert [link.url for link in result.links] == ["https://cut.example/1", "https://cut.example/2"]
    assert "malformed_feed" in [error.reason for error in result.errors]


def test_empty_channel_is_an_empty_result_not_an_error() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Quiet</title></channel></rss>'
    result = read_feed(body, url="https://quiet.example/rss", content_type="application/rss+xml")
    assert result.title == "Quiet"
    assert result.links == ()
    assert result.errors == ()


def _big_feed(count: int) -> bytes:
    items = []
    for i in range(count):
        day = 1 + i % 28
        hour = i % 24
        minute = (i // 24) % 60
        items.append(
            f"<item><title>Item {i}</title><link>https://big.example/{i}</link>"
            f"<guid>big-{i}</guid><pubDate>{_rfc822(2024, 1 + i % 12, day, hour, minute)}"
            "</pubDate></item>"
        )
    return (
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Big</title>'
        + "".join(items)
        + "</channel></rss>"
    ).encode()


def _rfc822(year: int, month: int, day: int, hour: int, minute: int) -> str:
    moment = datetime(year, month, day, hour, minute, tzinfo=UTC)
    return moment.strftime("%a, %d %b %Y %H:%M:%S +0000")


def test_five_thousand_items_truncated_to_the_newest_and_counted() -> None:
    body = _big_feed(5000)
    result = read_feed(body, url="https://big.example/rss", max_items=100)
    assert len(result.links) == 100
    assert result.truncated == 4900
    assert result.errors == ()
    dates = [link.published_at for link in result.links]
    assert all(d is not None for d in dates)
    oldest_kept = min(d for d in dates if d is not None)
    newest_dropped_allowed = sorted(
        (
            datetime(2024, 1 + i % 12, 1 + i % 28, i % 24, (i // 24) % 60, tzinfo=UTC)
            for i in range(5000)
        ),
        reverse=True,
    )[99]
    assert oldest_kept == newest_dropped_allowed


def test_truncation_keeps_document_order_when_there_are_no_dates() -> None:
    items = "".join(f"<item><link>https://nodate.example/{i}</link></item>" for i in range(10))
    body = f'<rss version="2.0"><channel><title>N</title>{items}</channel></rss>'.encode()
    result = read_feed(body, url="https://nodate.example/rss", max_items=3)
    assert [link.url for link in result.links] == [f"https://nodate.example/{i}" for i in range(3)]
    assert result.truncated == 7


def test_feed_served_with_a_wrong_content_type_is_read_without_warning() -> None:
    body = (DATA / "rss20.xml").read_bytes()
    result = read_feed(body, url="https://northfield.example/rss", content_type="text/html")
    assert len(result.links) == 6
    assert "malformed_feed" not in [error.reason for error in result.errors]
