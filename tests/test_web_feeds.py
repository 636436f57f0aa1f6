"""Atom, RSS and JSON Feed, sitemaps and robots.txt, read back with feedparser and lxml.

The newsroom is fictional (tests/web_newsroom.py): five stories with published pages, the
tram story in two versions, the school story's page five days old.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import pytest
from fastapi.testclient import TestClient

from primenews.models import StoryVersion
from primenews.store import Store, open_store
from primenews.web.feeds import FeedEntry, FeedFormat, FeedInfo, render_feed
from tests.web_newsroom import (
    HOSTILE_TITLE,
    SITE_URL,
    Newsroom,
    build_newsroom,
    newsroom_app,
    newsroom_settings,
)

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store, Newsroom]]:
    settings = newsroom_settings(tmp_path_factory.mktemp("feeds") / "feeds.db")
    store = open_store(settings.database_url)
    room = build_newsroom(store, settings)
    with TestClient(newsroom_app(store, settings)) as client:
        yield client, store, room
    store.close()


def _latest(store: Store, story_id: int) -> StoryVersion:
    version = store.latest_story_version(story_id, published_only=True)
    assert version is not None
    return version


def _json_feed(data: dict[str, Any]) -> feedparser.FeedParserDict:
    """A JSON Feed in feedparser's shape (feedparser reads only XML feeds)."""

    def parsed_time(value: str) -> time.struct_time:
        return datetime.fromisoformat(value).astimezone(UTC).timetuple()

    entries = [
        feedparser.FeedParserDict(
            id=item["id"],
            link=item["url"],
            title=item["title"],
            summary=item["summary"],
            published_parsed=parsed_time(item["date_published"]),
            updated_parsed=parsed_time(item["date_modified"]),
            tags=[feedparser.FeedParserDict(term=t) for t in item.get("tags", [])],
        )
        for item in data["items"]
    ]
    feed = feedparser.FeedParserDict(title=data["title"], link=data["home_page_url"], links=[])
    return feedparser.FeedParserDict(bozo=0, entries=entries, feed=feed)


def _parse(client: TestClient, path: str) -> feedparser.FeedParserDict:
    response = client.get(path)
    assert response.status_code == 200, response.text
    if path.endswith(".json"):
        return _json_feed(response.json())
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


@pytest.mark.parametrize("fmt", ["atom", "rss", "json"])
def test_top_stories_feed_has_every_story_with_its_latest_headline(
    site: tuple[TestClient, Store, Newsroom], fmt: str
) -> None:
    client, store, room = site
    response = client.get(f"/feed.{fmt}")
    assert response.headers["content-type"] == FeedFormat(fmt).media_type
    parsed = _parse(client, f"/feed.{fmt}")
    expected = {sid: _latest(store, sid) for sid in room.stories.values()}
    assert len(parsed.entries) == len(expected) == 5
    by_link = {e.link: e for e in parsed.entries}
    for sid, version in expected.items():
        entry = by_link[f"{SITE_URL}/stories/{sid}"]
        assert entry.title == version.page.headline
        assert entry.id == f"tag:news.example.org,2026:story/{sid}"
        # RSS has only pubDate; in a list of stories it is the latest version's time
        moment = entry.published_parsed if fmt == "rss" else entry.updated_parsed
        assert datetime(*moment[:6], tzinfo=UTC) == version.created_at
        assert version.page.summary.text in entry.summary
    assert parsed.feed.title == "Test Newsroom"
    assert parsed.feed.link == f"{SITE_URL}/"
    if fmt != "json":  # feedparser does not read JSON Feed's feed_url as a link
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [f"{SITE_URL}/feed.{fmt}"]


@pytest.mark.parametrize("fmt", ["atom", "rss", "json"])
def test_story_feed_has_one_entry_per_published_version(
    site: tuple[TestClient, Store, Newsroom], fmt: str
) -> None:
    client, store, room = site
    tram = room.stories["tram"]
    versions = store.story_versions(tram)
    assert [v.version for v in versions] == [1, 2]
    parsed = _parse(client, f"/stories/{tram}/feed.{fmt}")
    assert [e.id for e in parsed.entries] == [
        f"tag:news.example.org,2026:story/{tram}/version/2",
        f"tag:news.example.org,2026:story/{tram}/version/1",
    ]
    newest, oldest = parsed.entries
    assert newest.link == f"{SITE_URL}/stories/{tram}/versions/2"
    assert newest.title.endswith("(version 2)") and oldest.title.endswith("(version 1)")
    assert versions[1].whats_new and newest.summary.startswith("What's new: Adds a report")
    assert "What's new" not in oldest.summary
    times = [datetime(*e.published_parsed[:6], tzinfo=UTC) for e in parsed.entries]
    assert times == [versions[1].created_at, versions[0].created_at]
    assert parsed.feed.link == f"{SITE_URL}/stories/{tram}"


def test_a_story_without_a_page_has_no_feed(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, _, _ = site
    assert client.get("/stories/999/feed.atom").status_code == 404
    assert client.get("/feed.html").status_code in (404, 422)


def test_topic_feeds_hold_only_their_topic(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, store, _ = site
    topics = dict(store.top_stories(1).topics)
    assert sum(topics.values()) == 5
    for topic, count in topics.items():
        parsed = _parse(client, f"/topics/{topic}/feed.atom")
        assert len(parsed.entries) == count
        assert all(e.tags[0].term == topic for e in parsed.entries)
        stories = {x.story_id for x in store.top_stories(20, None, topic).items}
        assert {int(e.link.rsplit("/", 1)[1]) for e in parsed.entries} == stories
    assert client.get("/topics/no-such-topic/feed.rss").status_code == 404
    assert client.get("/topics/BAD%20TOPIC/feed.rss").status_code == 404


def test_json_feed_has_the_required_fields_of_version_1_1(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, _, room = site
    for path in ("/feed.json", f"/stories/{room.stories['tram']}/feed.json"):
        data = client.get(path).json()
        assert data["version"] == "https://jsonfeed.org/version/1.1"
        assert isinstance(data["title"], str) and data["title"]
        assert data["feed_url"] == f"{SITE_URL}{path}"
        assert data["home_page_url"].startswith(SITE_URL)
        assert data["items"]
        for item in data["items"]:
            assert isinstance(item["id"], str) and item["id"]
            assert item.get("content_text") or item.get("content_html")
            assert item["url"].startswith(f"{SITE_URL}/stories/")
            for key in ("date_published", "date_modified"):
                assert datetime.fromisoformat(item[key]).tzinfo is not None  # RFC 3339
        assert all(isinstance(a["name"], str) for a in data["authors"])


def test_feeds_answer_304_to_a_matching_etag(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, _, _ = site
    first = client.get("/feed.atom")
    etag = first.headers["etag"]
    assert "max-age=" in first.headers["cache-control"]
    again = client.get("/feed.atom", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""


def test_hostile_text_stays_text_in_every_format(tmp_path: Path) -> None:
    settings = newsroom_settings(tmp_path / "unused.db")
    moment = datetime(2026, 5, 1, 12, tzinfo=UTC)
    entry = FeedEntry(
        id="tag:news.example.org,2026:story/1",
        url=f"{SITE_URL}/stories/1",
        title=HOSTILE_TITLE + "\x00\x0b",
        summary="Fine & <i>dandy</i>\x1f",
        published=moment,
        updated=moment,
    )
    info = FeedInfo("Feed <b>", "About", "/feed", f"{SITE_URL}/")
    atom = lxml.etree.fromstring(render_feed(FeedFormat.ATOM, info, [entry], settings))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    [title] = atom.xpath("//a:entry/a:title", namespaces=ns)
    assert title.text == HOSTILE_TITLE and title.get("type") in (None, "text")
    assert atom.xpath("//script") == [] and atom.xpath("//a:entry/a:title/*", namespaces=ns) == []
    rss = lxml.etree.fromstring(render_feed(FeedFormat.RSS, info, [entry], settings))
    assert rss.xpath("//item/title")[0].text == HOSTILE_TITLE
    assert rss.xpath("//item/description")[0].text == "Fine & <i>dandy</i>"
    item = json.loads(render_feed(FeedFormat.JSON, info, [entry], settings))["items"][0]
    assert item["title"] == HOSTILE_TITLE and item["content_text"] == "Fine & <i>dandy</i>"


def test_sitemap_lists_every_story_with_its_last_modification(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, store, room = site
    response = client.get("/sitemap.xml")
    assert response.headers["content-type"].startswith("application/xml")
    root = lxml.etree.fromstring(response.content)
    assert root.tag == f"{SITEMAP}urlset"
    urls = {u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod") for u in root}
    assert urls.pop(f"{SITE_URL}/") is None
    assert set(urls) == {f"{SITE_URL}/stories/{sid}" for sid in room.stories.values()}
    for sid in room.stories.values():
        modified = datetime.fromisoformat(urls[f"{SITE_URL}/stories/{sid}"])
        assert modified == _latest(store, sid).created_at


def test_news_sitemap_lists_the_stories_of_the_last_two_days(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, store, room = site
    root = lxml.etree.fromstring(client.get("/news-sitemap.xml").content)
    entries = root.findall(f"{SITEMAP}url")
    locs = {u.findtext(f"{SITEMAP}loc") for u in entries}
    recent = {sid for sid in room.stories.values() if sid != room.old_story}
    assert locs == {f"{SITE_URL}/stories/{sid}" for sid in recent}
    now = datetime.now(UTC)
    for url in entries:
        sid = int(url.findtext(f"{SITEMAP}loc").rsplit("/", 1)[1])
        news = url.find(f"{NEWS}news")
        assert news.findtext(f"{NEWS}publication/{NEWS}name") == "Test Newsroom"
        assert news.findtext(f"{NEWS}publication/{NEWS}language") == "en"
        assert news.findtext(f"{NEWS}title") == _latest(store, sid).page.headline
        published = datetime.fromisoformat(news.findtext(f"{NEWS}publication_date"))
        assert now - timedelta(days=2) <= published <= now


def test_robots_txt_allows_all_and_names_the_sitemaps(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, _, _ = site
    response = client.get("/robots.txt")
    assert response.headers["content-type"].startswith("text/plain")
    lines = response.text.splitlines()
    assert lines[:2] == ["User-agent: *", "Allow: /"]
    assert f"Sitemap: {SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {SITE_URL}/news-sitemap.xml" in lines
    assert not any(line.startswith("Disallow") for line in lines)


def test_an_empty_site_has_valid_empty_feeds_and_sitemaps(tmp_path: Path) -> None:
    settings = newsroom_settings(tmp_path / "empty.db")
    store = open_store(settings.database_url)
    try:
        with TestClient(newsroom_app(store, settings)) as client:
            for fmt in ("atom", "rss"):
                parsed = _parse(client, f"/feed.{fmt}")
                assert parsed.entries == [] and parsed.feed.title == "Test Newsroom"
            assert client.get("/feed.json").json()["items"] == []
            root = lxml.etree.fromstring(client.get("/sitemap.xml").content)
            assert [u.findtext(f"{SITEMAP}loc") for u in root] == [f"{SITE_URL}/"]
            assert len(lxml.etree.fromstring(client.get("/news-sitemap.xml").content)) == 0
    finally:
        store.close()
