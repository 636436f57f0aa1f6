"""Sitemaps (urlset, index, Google News, gzip, text) and plain URL lists."""

from __future__ import annotations

import gzip
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from primenews.errors import SourceError
from primenews.sources import read_sitemap, read_url_list

DATA = Path(__file__).resolve().parent / "data" / "sources"


def test_urlset_links_dates_and_refusals() -> None:
    result = read_sitemap(
        (DATA / "sitemap_urlset.xml").read_bytes(),
        url="https://meadow.example/sitemap.xml",
        source_id=3,
    )
    assert [link.url for link in result.links] == [
        "https://meadow.example/news/first",
        "https://meadow.example/news/second",
        "https://meadow.example/news/relative",
    ]
    assert result.links[0].updated_at == datetime(2024, 5, 1, tzinfo=UTC)
    assert result.links[1].updated_at == datetime(2024, 5, 2, 8, 30, tzinfo=UTC)
    assert result.links[2].updated_at is None  # "yesterday" is no date
    assert all(link.source_id == 3 for link in result.links)
    assert result.sitemaps == ()
    assert sorted(e.reason for e in result.errors) == [
        "duplicate_link",
        "invalid_link",
        "missing_link",
    ]


def test_sitemap_index_gives_child_sitemaps_once() -> None:
    result = read_sitemap(
        (DATA / "sitemap_index.xml").read_bytes(), url="https://meadow.example/sitemap.xml"
    )
    assert result.links == ()
    assert result.sitemaps == (
        "https://meadow.example/sitemap-news.xml",
        "https://meadow.example/sitemap-2024-04.xml.gz",
    )
    assert [e.reason for e in result.errors] == ["duplicate_link"]


def test_sitemap_index_listing_itself_is_not_a_loop() -> None:
    body = (
        b"<sitemapindex><sitemap><loc>https://loop.example/sitemap.xml</loc></sitemap>"
        b"<sitemap><loc>https://loop.example/child.xml</loc></sitemap></sitemapindex>"
    )
    result = read_sitemap(body, url="https://loop.example/sitemap.xml")
    assert result.sitemaps == ("https://loop.example/child.xml",)
    assert [e.reason for e in result.errors] == ["self_reference"]


def test_google_news_sitemap() -> None:
    result = read_sitemap(
        (DATA / "sitemap_news.xml").read_bytes(), url="https://meadow.example/news.xml"
    )
    flood, festival = result.links
    assert flood.title == "Hochwasserwarnung für das Tal"
    assert flood.language == "de"
    assert flood.published_at == datetime(2024, 5, 3, 5, 45, tzinfo=UTC)
    assert festival.title == "Festival & fair"
    assert festival.published_at == datetime(2024, 5, 2, tzinfo=UTC)


def test_gzip_sitemap_is_decompressed() -> None:
    body = gzip.compress((DATA / "sitemap_news.xml").read_bytes())
    result = read_sitemap(body, url="https://meadow.example/news.xml.gz")
    assert len(result.links) == 2


def test_gzip_bomb_is_refused() -> None:
    bomb = gzip.compress(b"<urlset>" + b" " * 5_000_000 + b"</urlset>")
    assert len(bomb) < 10_000
    with pytest.raises(SourceError, match="decompresses to more than"):
        read_sitemap(bomb, url="https://meadow.example/bomb.xml.gz", max_bytes=1_000_000)


def test_broken_gzip_is_a_source_error() -> None:
    with pytest.raises(SourceError, match="cannot be decompressed"):
        read_sitemap(b"\x1f\x8b\x08\x00garbage", url="https://meadow.example/x.xml.gz")


def test_plain_text_sitemap() -> None:
    body = b"https://meadow.example/a\nhttps://meadow.example/b\n\nnot a url\n"
    result = read_sitemap(body, url="https://meadow.example/sitemap.txt")
    assert [link.url for link in result.links] == [
        "https://meadow.example/a",
        "https://meadow.example/b",
    ]
    assert [e.reason for e in result.errors] == ["invalid_url"]


def test_hostile_sitemap_is_refused_fast() -> None:
    body = (DATA / "billion_laughs.xml").read_bytes().replace(b"<rss", b"<urlset", 1)
    started = time.monotonic()
    with pytest.raises(SourceError, match="XXE"):
        read_sitemap(body, url="https://attacker.example/sitemap.xml")
    assert time.monotonic() - started < 1.0
    xxe = (
        b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<urlset><url><loc>https://a.example/&x;</loc></url></urlset>"
    )
    with pytest.raises(SourceError):
        read_sitemap(xxe, url="https://attacker.example/sitemap.xml")


def test_html_page_is_not_a_sitemap() -> None:
    with pytest.raises(SourceError, match="not <urlset> or <sitemapindex>"):
        read_sitemap(
            b"<html><body><p>Hello</p></body></html>", url="https://meadow.example/index.html"
        )


def test_malformed_sitemap_is_read_leniently_with_a_warning() -> None:
    body = (
        b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        b"<url><loc>https://meadow.example/ok</loc></url><url><loc>https://meadow.example/cut"
    )
    result = read_sitemap(body, url="https://meadow.example/cut.xml")
    assert "https://meadow.example/ok" in [link.url for link in result.links]
    assert "malformed_xml" in [e.reason for e in result.errors]


def test_large_sitemap_truncated_to_newest() -> None:
    urls = "".join(
        f"<url><loc>https://meadow.example/{i}</loc>"
        f"<lastmod>2024-01-{1 + i % 28:02d}</lastmod></url>"
        for i in range(3000)
    )
    body = f"<urlset>{urls}</urlset>".encode()
    result = read_sitemap(body, url="https://meadow.example/big.xml", max_items=50)
    assert len(result.links) == 50
    assert result.truncated == 2950
    assert {link.updated_at for link in result.links} == {datetime(2024, 1, 28, tzinfo=UTC)}


def test_url_list_comments_blanks_invalid_and_duplicates() -> None:
    text = (
        "\ufeff# my reading list\n"
        "https://a.example/one\n"
        "\n"
        "   https://a.example/two   a title after the URL\n"
        "ftp://a.example/file\n"
        "mailto:someone@a.example\n"
        "www.a.example/no-scheme\n"
        "https://a.example/one\n"
        "http://b.example:8080/three?x=1#frag\n"
    )
    links, errors = read_url_list(text, source_id=9)
    assert [link.url for link in links] == [
        "https://a.example/one",
        "https://a.example/two",
        "http://b.example:8080/three?x=1#frag",
    ]
    assert all(link.source_id == 9 for link in links)
    assert [e.reason for e in errors] == [
        "invalid_url",
        "invalid_url",
        "invalid_url",
        "duplicate_link",
    ]
    assert "line 5" in errors[0].message


def test_empty_url_list() -> None:
    assert read_url_list("") == ([], [])


def test_truncated_gzip_sitemap_keeps_what_was_there() -> None:
    whole = gzip.compress((DATA / "sitemap_urlset.xml").read_bytes())
    result = read_sitemap(whole[: len(whole) - 40], url="https://meadow.example/cut.xml.gz")
    reasons = [e.reason for e in result.errors]
    assert "truncated" in reasons
    assert "https://meadow.example/news/first" in [link.url for link in result.links]
