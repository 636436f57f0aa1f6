"""Hostile report content is inert in every page; security headers; no third-party requests."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from primenews.config import Settings
from primenews.models import SourceKind
from primenews.store import Store, open_store
from primenews.web import create_app
from primenews.web.middleware import CSP
from tests.webdata import FERRY, Report, add_story
from tests.webhtml import Document, parse

HOSTILE = [
    Report(
        "<b onmouseover=alert(1)>Evil Outlet</b>",
        "<script>alert('title')</script> Harbour news",
        "Crews <img src=x onerror=alert(2)> walked out on Monday. The </script><script>alert(3)"
        "</script> strike went on.",
        url="javascript:alert(4)",
    ),
    Report(
        'Quote "><svg onload=alert(5)> Times',
        "A normal title",
        "The ferry stopped on Monday. \"<a href='javascript:alert(6)'>Click</a>,\" said one.",
        language='en" onclick="alert(7)',
        url="https://times.example/a?x=<script>",
    ),
]


@pytest.fixture
def site(tmp_path: Path) -> Iterator[tuple[TestClient, Store, int, int]]:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", analytics=True)
    store = open_store(settings.database_url)
    source, _ = store.add_source(
        SourceKind.FEED, "https://feed.example/rss", title="<script>alert(8)</script>Feed"
    )
    version = add_story(
        store,
        "<script>alert('headline')</script> Ferry </script> strike",
        HOSTILE,
        source_id=source.id,
    )
    add_story(store, "Ferry strike in Port Ansel", FERRY)
    try:
        yield TestClient(create_app(settings, store=store)), store, version.story_id, source.id
    finally:
        store.close()


def _pages(story_id: int, source_id: int) -> list[str]:
    return [
        "/",
        f"/stories/{story_id}",
        f"/stories/{story_id}/versions/1",
        "/sources",
        f"/sources/{source_id}",
        "/search?q=alert+ferry",
        "/search?q=%3Cscript%3Ealert(9)%3C/script%3E",
        "/about",
        "/no/such/page",
        "/topics/news",
    ]


def _assert_inert(doc: Document, path: str) -> None:
    for element in doc.elements:
        for name, value in element.attrs.items():
            assert not name.startswith("on"), (path, element.tag, name)
            if name in ("href", "src", "action"):
                assert not value.strip().lower().startswith(("javascript:", "data:")), (path, value)
        assert element.tag not in ("svg", "img", "iframe", "object", "embed", "b"), (path, element)
    scripts = doc.find_all("script")
    for script in scripts:
        if "src" in script.attrs:
            assert re.fullmatch(r"/static/site\.js\?v=[0-9a-f]+", script.attrs["src"]), path
        else:
            assert script.attrs.get("type") == "application/ld+json", (path, script)
            json.loads(script.text)  # the JSON-LD block is whole: nothing closed it early


def test_hostile_content_is_inert_everywhere(site: tuple[TestClient, Store, int, int]) -> None:
    client, _, story_id, source_id = site
    for path in _pages(story_id, source_id):
        answer = client.get(path)
        assert answer.status_code in (200, 404), path
        _assert_inert(parse(answer.text), path)
        assert "<script>alert" not in answer.text, path


def test_hostile_text_is_shown_as_text(site: tuple[TestClient, Store, int, int]) -> None:
    client, _, story_id, _ = site
    page = client.get(f"/stories/{story_id}").text
    doc = parse(page)
    assert doc.find_all("h1")[0].text == "<script>alert('headline')</script> Ferry </script> strike"
    assert "&lt;b onmouseover=alert(1)&gt;Evil Outlet&lt;/b&gt;" in page
    (jsonld,) = doc.find_all("script", type="application/ld+json")
    assert json.loads(jsonld.text)["headline"].startswith("<script>alert('headline')")
    # the javascript: report URL is not a link; the https one is, escaped
    links = [
        a.attrs["href"] for a in doc.find_all("a") if a.attrs.get("rel", "").startswith("noopener")
    ]
    assert "https://times.example/a?x=<script>" in links
    assert not any(h.startswith("javascript:") for h in links)
    # an invalid language tag is dropped, never written into an attribute
    assert all('"' not in e.attrs.get("lang", "") for e in doc.elements)
    assert not any("onclick" in e.attrs.get("lang", "") for e in doc.elements)


def test_security_headers_on_every_kind_of_response(
    site: tuple[TestClient, Store, int, int],
) -> None:
    client, _, story_id, source_id = site
    paths = [*_pages(story_id, source_id), "/feed.atom", "/api/v1/stories", "/robots.txt"]
    doc = parse(client.get("/").text)
    paths += [doc.find_all("link", rel="stylesheet")[0].attrs["href"]]
    for path in paths:
        answer = client.get(path)
        assert answer.headers["content-security-policy"] == CSP, path
        assert "script-src" not in CSP and "'unsafe-inline'" not in CSP
        assert answer.headers["x-content-type-options"] == "nosniff"
        assert answer.headers["referrer-policy"] == "no-referrer"
        assert "camera=()" in answer.headers["permissions-policy"]
        assert "set-cookie" not in answer.headers, path


_ABSOLUTE = re.compile(r"(?i)\b(?:https?:)?//[^\s\"'<>)]+")


def test_no_third_party_requests(site: tuple[TestClient, Store, int, int]) -> None:
    """Nothing a page loads (styles, scripts, images, fonts, fetches) comes from elsewhere.

    Plain links (to reports, to share pages) are fine: following one is the reader's choice.
    """
    client, _, story_id, source_id = site
    for path in _pages(story_id, source_id):
        doc = parse(client.get(path).text)
        for element in doc.elements:
            for name in ("src", "srcset", "poster", "data"):
                if name in element.attrs:
                    assert element.attrs[name].startswith("/"), (path, element)
            if element.tag == "link" and element.attrs.get("rel") not in ("canonical", "alternate"):
                assert element.attrs["href"].startswith("/"), (path, element)
            if element.tag == "form":
                assert element.attrs["action"].startswith("/"), (path, element)
            assert "style" not in element.attrs, (path, element)
        assert not doc.find_all("style"), path
    doc = parse(client.get("/").text)
    css = client.get(doc.find_all("link", rel="stylesheet")[0].attrs["href"]).text
    js = client.get(doc.find_all("script")[0].attrs["src"]).text
    assert "@import" not in css and "url(" not in css and not _ABSOLUTE.search(css)
    assert not _ABSOLUTE.search(js)
    fetched = re.findall(r"fetch\(\s*\"([^\"]+)\"", js)
    assert fetched == ["/analytics/view"]
