"""JSON-LD and meta tags of story pages, built from a fictional newsroom (tests/web_newsroom.py)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime

import jinja2
import lxml.html
import pytest

from primenews.config import Settings
from primenews.models import StoryVersion
from primenews.store import Store, open_store
from primenews.web.seo import (
    HEADLINE_LIMIT,
    jsonld_script_text,
    meta_attribute,
    story_jsonld,
    story_meta,
)
from tests.web_newsroom import (
    HOSTILE_TITLE,
    SITE_URL,
    Newsroom,
    build_newsroom,
    newsroom_settings,
)

SITE = SITE_URL


@pytest.fixture(scope="module")
def newsroom(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Store, Newsroom, Settings]]:
    settings = newsroom_settings(tmp_path_factory.mktemp("seo") / "seo.db")
    store = open_store(settings.database_url)
    try:
        yield store, build_newsroom(store, settings), settings
    finally:
        store.close()


def _latest(store: Store, story_id: int) -> StoryVersion:
    version = store.latest_story_version(story_id, published_only=True)
    assert version is not None
    return version


def test_jsonld_is_a_news_article_based_on_its_reports(
    newsroom: tuple[Store, Newsroom, Settings],
) -> None:
    store, room, settings = newsroom
    version = _latest(store, room.stories["tram"])
    first = store.story_versions(room.stories["tram"])[0]
    articles = store.get_articles(version.article_ids)
    data = json.loads(
        jsonld_script_text(
            story_jsonld(version, articles, settings, first_published=first.created_at)
        )
    )
    assert data["@context"] == "https://schema.org" and data["@type"] == "NewsArticle"
    assert data["headline"] == version.page.headline and len(data["headline"]) <= HEADLINE_LIMIT
    assert data["url"] == f"{SITE}/stories/{room.stories['tram']}"
    assert datetime.fromisoformat(data["datePublished"]) == first.created_at
    assert datetime.fromisoformat(data["dateModified"]) == version.created_at
    assert data["datePublished"] < data["dateModified"]
    report_urls = {a.canonical_url for a in articles}
    assert set(data["isBasedOn"]) == report_urls and len(data["isBasedOn"]) == 4
    assert [c["url"] for c in data["citation"]] == data["isBasedOn"]
    outlets = {c["publisher"]["name"] for c in data["citation"]}
    assert {"Riverside Gazette", "Oldmere Times", "Station Weekly", "Wire Service"} == outlets
    assert data["publisher"] == {"@type": "Organization", "name": "Test Newsroom", "url": SITE}
    assert data["inLanguage"] == "en" and data["version"] == "2"


def test_a_long_headline_is_clipped_to_110_characters(
    newsroom: tuple[Store, Newsroom, Settings],
) -> None:
    store, room, settings = newsroom
    version = _latest(store, room.stories["choir"])
    long_page = replace(version.page, headline="Choir " * 40 + "wins")
    data = story_jsonld(replace(version, page=long_page), [], settings)
    assert len(data["headline"]) <= HEADLINE_LIMIT and data["headline"].endswith("…")
    assert data["headline"].startswith("Choir Choir")
    # without articles, the page's own source list still names the reports
    assert data["isBasedOn"] == [s.url for s in version.page.sources]


def test_hostile_titles_cannot_close_the_script_element(
    newsroom: tuple[Store, Newsroom, Settings],
) -> None:
    store, room, settings = newsroom
    version = _latest(store, room.stories["dam"])
    assert any(s.title == HOSTILE_TITLE for s in version.page.sources)
    text = jsonld_script_text(
        story_jsonld(version, store.get_articles(version.article_ids), settings)
    )
    assert "<" not in text and ">" not in text and "&" not in text
    document = lxml.html.fromstring(
        f'<html><head><script type="application/ld+json">{text}</script></head><body></body></html>'
    )
    [script] = document.xpath("//script")
    assert document.xpath("//b") == [] and len(document.xpath("//script")) == 1
    titles = [c.get("headline") for c in json.loads(script.text)["citation"]]
    assert HOSTILE_TITLE in titles  # the data survives, inert


# the way the story template writes the meta pairs: autoescaped attributes
_META_TEMPLATE = (
    "<html><head>{% for key, value in meta %}"
    '<meta {{ attribute(key) }}="{{ key }}" content="{{ value }}">'
    "{% endfor %}</head><body></body></html>"
)


def test_open_graph_and_twitter_meta_are_present_and_escaped(
    newsroom: tuple[Store, Newsroom, Settings],
) -> None:
    store, room, settings = newsroom
    version = _latest(store, room.stories["dam"])
    hostile = replace(version.page, headline=HOSTILE_TITLE)
    meta = story_meta(replace(version, page=hostile), settings)
    keys = [k for k, _ in meta]
    for key in (
        "og:title",
        "og:description",
        "og:url",
        "og:type",
        "og:site_name",
        "twitter:card",
        "twitter:title",
        "twitter:description",
        "description",
    ):
        assert key in keys
    values = dict(meta)
    assert values["og:url"] == f"{SITE}/stories/{room.stories['dam']}"
    assert values["og:type"] == "article" and values["twitter:card"] == "summary"
    assert values["og:description"] == version.page.summary.text
    env = jinja2.Environment(autoescape=True)
    html = env.from_string(_META_TEMPLATE).render(meta=meta, attribute=meta_attribute)
    assert "<script>" not in html and 'onmouseover="' not in html
    document = lxml.html.fromstring(html)
    assert document.xpath("//script") == [] and document.xpath("//b") == []
    found = {
        (m.get("property") or m.get("name")): m.get("content") for m in document.xpath("//meta")
    }
    assert found["og:title"] == HOSTILE_TITLE == found["twitter:title"]  # escaped, not lost
    assert document.xpath('//meta[@property="og:title"]') and document.xpath(
        '//meta[@name="twitter:card"]'
    )
