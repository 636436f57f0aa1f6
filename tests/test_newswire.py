"""The offline sample newswire: its data invariants, and its real server on 127.0.0.1."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime
from email.utils import format_datetime, parsedate_to_datetime
from importlib import resources

import feedparser
import httpx
import pytest
import trafilatura
from lxml import etree, html
from protego import Protego

from primenews.newswire import (
    FICTION_NOTICE,
    Newswire,
    NewswireServer,
    load_newswire,
    render_article,
)

QUOTE = re.compile(r"[\"“”«»]")


@pytest.fixture(scope="module")
def wire() -> Newswire:
    return load_newswire()


@pytest.fixture(scope="module")
def server(wire: Newswire) -> Iterator[NewswireServer]:
    with NewswireServer(newswire=wire) as running:
        yield running


@pytest.fixture(scope="module")
def client() -> Iterator[httpx.Client]:
    with httpx.Client(timeout=5.0) as http:
        yield http


# --- the data ------------------------------------------------------------------------------


def test_at_least_six_outlets_with_the_required_kinds(wire: Newswire) -> None:
    assert len(wire.outlets) >= 6
    assert len({o.slug for o in wire.outlets}) == len(wire.outlets)
    assert len({o.name for o in wire.outlets}) == len(wire.outlets)
    assert len({o.template for o in wire.outlets}) == len(wire.outlets)
    assert any(o.language != "en" for o in wire.outlets)
    assert sum(o.feed_broken for o in wire.outlets) == 1
    assert any(o.republishes for o in wire.outlets)
    assert {o.feed_format for o in wire.outlets} >= {"rss2", "rss1", "atom", "jsonfeed"}
    assert any(o.news_sitemap for o in wire.outlets)
    assert all(wire.reports_by(o.slug) for o in wire.outlets)


def test_at_least_ten_events_with_four_to_eight_reports(wire: Newswire) -> None:
    assert len(wire.events) >= 10
    for event in wire.events:
        count = len(wire.reports_of(event.id))
        assert 4 <= count <= 8, f"{event.id} has {count} reports"
        assert len({r.outlet for r in wire.reports_of(event.id)}) >= 3


def test_report_ids_and_paths_are_unique(wire: Newswire) -> None:
    ids = [r.id for r in wire.reports]
    paths = [r.path for r in wire.reports]
    assert len(set(ids)) == len(ids)
    assert len(set(paths)) == len(paths)
    for report in wire.reports:
        assert report.path.startswith(f"/{report.outlet}/")


def test_reports_are_realistic_news_prose(wire: Newswire) -> None:
    quoted = 0
    for report in wire.reports:
        words = len(report.text.split())
        assert 4 <= len(report.paragraphs) <= 9, report.id
        assert 180 <= words <= 450, f"{report.id} has {words} words"
        assert report.authors, report.id
        assert report.published_at.year == 2026
        assert report.published_at.utcoffset() is not None
        quoted += bool(QUOTE.search(report.text))
    assert quoted >= 0.8 * len(wire.reports)


def test_verbatim_copies_repeat_the_original(wire: Newswire) -> None:
    copies = [r for r in wire.reports if r.copy_of]
    assert len(copies) >= 1
    for copy in copies:
        original = wire.report(copy.copy_of or "")
        outlet = wire.outlet(copy.outlet)
        assert copy.paragraphs == original.paragraphs
        assert copy.event_id == original.event_id
        assert copy.path != original.path
        assert copy.published_at > original.published_at
        assert outlet.republishes == original.outlet


def test_non_english_reports_match_their_outlet(wire: Newswire) -> None:
    spanish = [r for r in wire.reports if r.language == "es"]
    assert len(spanish) >= 4
    assert {r.outlet for r in spanish} == {"el-faro"}
    assert len({r.event_id for r in spanish}) >= 4
    assert all(" el " in r.text or " la " in r.text for r in spanish)


def test_publication_is_spread_over_a_week(wire: Newswire) -> None:
    days = {r.published_at.date() for r in wire.reports}
    assert len(days) >= 7
    long_running = [
        e.id
        for e in wire.events
        if len({r.published_at.date() for r in wire.reports_of(e.id)}) >= 3
    ]
    assert len(long_running) >= 2


def test_confusable_events_name_each_other(wire: Newswire) -> None:
    pairs = {frozenset((e.id, other)) for e in wire.events for other in e.confusable_with}
    assert len(pairs) >= 3
    for pair in pairs:
        first, second = (wire.event(eid) for eid in pair)
        assert first.kind == second.kind
        assert first.start != second.start


def test_data_is_labelled_fictional() -> None:
    data = resources.files("primenews.newswire").joinpath("data")
    assert "fictional" in data.joinpath("README.md").read_text(encoding="utf-8").lower()
    for file in data.joinpath("events").iterdir():
        assert file.read_text(encoding="utf-8").startswith("# Fictional event"), file.name


# --- the pages -----------------------------------------------------------------------------


def test_each_outlet_has_its_own_layout(wire: Newswire) -> None:
    report = wire.reports[0]
    skeletons = set()
    for outlet in wire.outlets:
        page = html.fromstring(render_article(replace(report, outlet=outlet.slug), outlet))
        skeletons.add(tuple(sorted({el.get("class") or el.get("id") or "" for el in page.iter()})))
        assert FICTION_NOTICE in page.text_content() or "ficticia" in page.text_content()
    assert len(skeletons) == len(wire.outlets)


def test_article_pages_extract_with_trafilatura(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    for report in wire.reports:
        response = client.get(server.article_url(report))
        assert response.status_code == 200, report.path
        assert response.headers["content-type"] == "text/html; charset=utf-8"
        text = trafilatura.extract(response.text) or ""
        assert report.paragraphs[0] in text, report.id
        assert report.paragraphs[-1] in text, report.id


def test_article_pages_carry_metadata(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    for report in wire.reports_of("summit-port-ellery"):
        page = html.fromstring(client.get(server.article_url(report)).content)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in page.iter("meta")}
        outlet = wire.outlet(report.outlet)
        assert page.get("lang") == report.language
        assert meta["og:title"] == report.title
        assert meta["og:site_name"] == outlet.name
        image = client.get(meta["og:image"])
        assert image.status_code == 200
        assert image.headers["content-type"] == "image/svg+xml"
        published = datetime.fromisoformat(meta["article:published_time"])
        assert published == report.published_at
        canonical = page.xpath("//link[@rel='canonical']/@href")
        assert canonical == [server.article_url(report)]


def test_cookie_banner_outlet_carries_boilerplate(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    report = wire.reports_by("brightline")[0]
    page = client.get(server.article_url(report)).text
    for boilerplate in (
        "We use cookies",
        "Cookies policy.",
        "Share news",
        "Copyright &copy;2026 All rights reserved | Brightline News",
        "Related posts",
        "Subscribe",
    ):
        assert boilerplate in page
    text = trafilatura.extract(page) or ""
    assert "We use cookies" not in text
    assert report.paragraphs[0] in text


def test_home_pages_list_headlines_not_an_article(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    for outlet in wire.outlets:
        response = client.get(server.url(outlet.home_path))
        assert response.status_code == 200
        page = html.fromstring(response.content)
        links = page.xpath("//ul[@class='headlines']/li/a/@href")
        assert links == [r.path for r in wire.reports_by(outlet.slug)]
        assert not page.xpath("//meta[@property='og:type'][@content='article']")
    assert client.get(server.url("/")).status_code == 200
    assert client.get(server.url("/no-such-outlet/")).status_code == 404


# --- feeds, sitemaps, robots.txt -----------------------------------------------------------


def test_xml_feeds_parse_and_list_every_report(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    xml_outlets = [o for o in wire.outlets if o.feed_format != "jsonfeed" and not o.feed_broken]
    assert len(xml_outlets) >= 5
    for outlet in xml_outlets:
        response = client.get(server.feed_url(outlet.slug))
        assert response.status_code == 200
        assert "charset=utf-8" in response.headers["content-type"]
        parsed = feedparser.parse(response.content)
        assert not parsed.bozo, (outlet.slug, parsed.get("bozo_exception"))
        links = [entry.link for entry in parsed.entries]
        assert links == [server.article_url(r) for r in wire.reports_by(outlet.slug)]
        assert all(
            entry.get("published_parsed") or entry.get("updated_parsed") for entry in parsed.entries
        )


def test_feed_formats_are_what_the_outlets_say(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    expected = {"rss2": "rss20", "rss1": "rss10", "atom": "atom10"}
    for outlet in wire.outlets:
        if outlet.feed_format in expected and not outlet.feed_broken:
            parsed = feedparser.parse(client.get(server.feed_url(outlet.slug)).content)
            assert parsed.version == expected[outlet.feed_format], outlet.slug


def test_json_feed_lists_every_report(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    outlet = next(o for o in wire.outlets if o.feed_format == "jsonfeed")
    response = client.get(server.feed_url(outlet.slug))
    assert response.headers["content-type"] == "application/feed+json; charset=utf-8"
    feed = json.loads(response.content)
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert [item["url"] for item in feed["items"]] == [
        server.article_url(r) for r in wire.reports_by(outlet.slug)
    ]
    assert all(item["date_published"].endswith("Z") for item in feed["items"])


def test_broken_feed_is_bozo_but_its_sitemap_lists_everything(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    outlet = next(o for o in wire.outlets if o.feed_broken)
    reports = wire.reports_by(outlet.slug)
    parsed = feedparser.parse(client.get(server.feed_url(outlet.slug)).content)
    assert parsed.bozo
    assert parsed.entries == []
    sitemap = etree.fromstring(client.get(server.sitemap_url(outlet.slug)).content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locs = sitemap.xpath("//s:url/s:loc/text()", namespaces=ns)
    assert locs == [server.article_url(r) for r in reports]


def test_news_sitemaps_carry_publication_data(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    ns = {"n": "http://www.google.com/schemas/sitemap-news/0.9"}
    for outlet in (o for o in wire.outlets if o.news_sitemap):
        sitemap = etree.fromstring(client.get(server.sitemap_url(outlet.slug)).content)
        titles = sitemap.xpath("//n:news/n:title/text()", namespaces=ns)
        assert titles == [r.title for r in wire.reports_by(outlet.slug)]
        assert sitemap.xpath("//n:publication/n:name/text()", namespaces=ns)[0] == outlet.name


def test_sources_name_every_feed_and_the_broken_outlets_sitemap(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    sources = server.sources()
    feeds = [url for kind, url, _ in sources if kind == "feed"]
    sitemaps = [url for kind, url, _ in sources if kind == "sitemap"]
    assert feeds == [server.feed_url(o.slug) for o in wire.outlets]
    assert sitemaps == [server.sitemap_url(o.slug) for o in wire.outlets if o.feed_broken]
    for _, url, title in sources:
        assert title
        assert client.get(url).status_code == 200


def test_robots_txt_allows_all_but_private(server: NewswireServer, client: httpx.Client) -> None:
    response = client.get(server.url("/robots.txt"))
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/plain; charset=utf-8"
    robots = Protego.parse(response.text)
    assert robots.can_fetch(server.url("/meridian-wire/feed.xml"), "PrimeNews")
    assert not robots.can_fetch(server.url("/private/drafts"), "PrimeNews")
    assert server.sitemap_url("valley-post") in list(robots.sitemaps)


# --- conditional GET -----------------------------------------------------------------------


def test_conditional_get_answers_304(
    wire: Newswire, server: NewswireServer, client: httpx.Client
) -> None:
    for url in (server.feed_url("daily-ledger"), server.article_url(wire.reports[0])):
        first = client.get(url)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        by_etag = client.get(url, headers={"If-None-Match": etag})
        assert by_etag.status_code == 304
        assert by_etag.content == b""
        assert by_etag.headers["etag"] == etag
        by_date = client.get(url, headers={"If-Modified-Since": modified})
        assert by_date.status_code == 304
        stale = client.get(url, headers={"If-None-Match": '"not-the-tag"'})
        assert stale.status_code == 200
        assert stale.content == first.content
        older = format_datetime(parsedate_to_datetime(modified).replace(year=2025), usegmt=True)
        assert client.get(url, headers={"If-Modified-Since": older}).status_code == 200
        head = client.head(url)
        assert head.status_code == 200
        assert head.content == b""
        assert head.headers["etag"] == etag


def test_server_records_requests_and_stops(wire: Newswire) -> None:
    with NewswireServer(newswire=wire) as running:
        url = running.feed_url("meridian-wire")
        assert httpx.get(url, timeout=5.0).status_code == 200
        assert ("GET", "/meridian-wire/feed.xml", 200) in running.requests
        assert running.base_url.startswith("http://127.0.0.1:")
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=2.0)
