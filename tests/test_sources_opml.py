"""OPML import (nested, hostile) and export round trip."""

from __future__ import annotations

from pathlib import Path

import pytest

from primenews.errors import SourceError
from primenews.models import Source, SourceKind
from primenews.sources import read_opml, write_opml

DATA = Path(__file__).resolve().parent / "data" / "sources"


def test_nested_outlines_with_categories() -> None:
    outlines = read_opml((DATA / "subscriptions.opml").read_bytes())
    assert [o.url for o in outlines] == [
        "https://northfield.example/rss.xml",
        "https://fictif.example/atom.xml",
        "https://orchard.example/feed.json",
        "https://meadow.example/sitemap.xml",
    ]
    northfield, fictif, orchard, meadow = outlines
    assert northfield.title == "Northfield Daily"
    assert northfield.site_url == "https://northfield.example/"
    assert northfield.category == "Local"
    assert fictif.category == "Local / Towns"
    assert orchard.site_url == "https://orchard.example/"  # lower-case htmlurl accepted
    assert orchard.category is None
    assert northfield.kind is SourceKind.FEED
    assert meadow.kind is SourceKind.SITEMAP


def test_export_then_import_round_trips() -> None:
    sources = [
        Source(1, SourceKind.FEED, "https://a.example/rss", "A & B <News>", "https://a.example/"),
        Source(2, SourceKind.FEED, "https://b.example/atom.xml"),
        Source(3, SourceKind.SITEMAP, "https://c.example/sitemap.xml", "C sitemap"),
        Source(4, SourceKind.URLS, "https://d.example/list.txt", "D list"),
        Source(5, SourceKind.WARC, "/data/cc-news.warc.gz", "local archive"),
    ]
    text = write_opml(sources, title="Mine")
    assert text.startswith("<?xml")
    assert "<title>Mine</title>" in text
    assert "cc-news" not in text  # local sources stay on this machine
    outlines = read_opml(text.encode("utf-8"))
    assert [(o.url, o.title, o.site_url, o.kind) for o in outlines] == [
        ("https://a.example/rss", "A & B <News>", "https://a.example/", SourceKind.FEED),
        ("https://b.example/atom.xml", "https://b.example/atom.xml", None, SourceKind.FEED),
        ("https://c.example/sitemap.xml", "C sitemap", None, SourceKind.SITEMAP),
        ("https://d.example/list.txt", "D list", None, SourceKind.URLS),
    ]


def test_hostile_opml_is_refused() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<opml version="2.0"><body><outline text="&x;" xmlUrl="https://a.example/&x;"/>'
        b"</body></opml>"
    )
    with pytest.raises(SourceError, match="XXE") as caught:
        read_opml(body)
    assert "root:" not in str(caught.value)


def test_not_opml_is_refused() -> None:
    with pytest.raises(SourceError, match="not an OPML file"):
        read_opml(b'<rss version="2.0"><channel/></rss>')
    with pytest.raises(SourceError, match="not XML"):
        read_opml(b"\x00\x01 not xml at all")
