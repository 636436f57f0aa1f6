"""The JSON API through the app (TestClient) over a fictional newsroom (tests/web_newsroom.py)."""

from __future__ import annotations

import base64
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx
import hypothesis
import pytest
import schemathesis
import uvicorn
from fastapi.testclient import TestClient
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from primenews.store import Store, open_store
from tests.web_newsroom import SITE_URL, Newsroom, build_newsroom, newsroom_app, newsroom_settings

API = "/api/v1"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Store, Newsroom]]:
    settings = newsroom_settings(tmp_path_factory.mktemp("api") / "api.db")
    store = open_store(settings.database_url)
    room = build_newsroom(store, settings)
    with TestClient(newsroom_app(store, settings)) as client:
        yield client, store, room
    store.close()


def _local(url: str) -> str:
    assert url.startswith(SITE_URL)
    return url.removeprefix(SITE_URL)


def _walk(client: TestClient, path: str) -> tuple[list[dict[str, Any]], int]:
    """Every item of a paged list, following ``next``; and the number of pages."""
    items: list[dict[str, Any]] = []
    pages = 0
    while path:
        response = client.get(path)
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["items"]
        pages += 1
        link = response.headers.get("link")
        if body["next"] is None:
            assert link is None
            break
        assert link == f'<{body["next"]}>; rel="next"'
        path = _local(body["next"])
    return items, pages


def test_story_pages_walk_every_story_exactly_once_in_rank_order(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, store, room = site
    items, pages = _walk(client, f"{API}/stories?limit=2")
    ids = [item["id"] for item in items]
    assert pages == 3 and len(ids) == len(set(ids)) == 5
    assert set(ids) == set(room.stories.values())
    assert ids == [x.story_id for x in store.top_stories(10).items]
    tram = next(item for item in items if item["id"] == room.stories["tram"])
    assert tram["version"] == 2 and tram["url"] == f"{SITE_URL}/stories/{room.stories['tram']}"
    assert tram["report_count"] == 4 and tram["independent_count"] == 3
    assert "Wire Service" in tram["outlets"] and tram["languages"] == ["en"]


def test_a_topic_filter_pages_through_that_topic_only(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, store, _ = site
    topics = dict(store.top_stories(1).topics)
    for topic, count in topics.items():
        items, _ = _walk(client, f"{API}/stories?limit=1&topic={topic}")
        assert len(items) == count and {i["topic"] for i in items} == {topic}


def test_a_story_has_its_latest_version_with_cited_sentences(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, _, room = site
    tram = room.stories["tram"]
    body = client.get(f"{API}/stories/{tram}").json()
    latest = body["latest"]
    assert body["story"]["id"] == tram and latest["version"] == 2 and latest["published"]
    assert latest["sentences"][0]["target"] == "summary"
    assert latest["whats_new"].startswith("Adds a report from Station Weekly")
    citations = [c for s in latest["sentences"] for c in s["citations"]]
    assert citations and all(c["source"] >= 1 for c in citations)
    for c in citations:  # each citation points at the exact sentence of its report
        article = client.get(f"{API}/articles/{c['article_id']}").json()
        assert article["text"][c["start"] : c["end"]] == c["text"]
        assert article["story_id"] == tram


def test_versions_list_and_one_version(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, store, room = site
    tram = room.stories["tram"]
    versions = client.get(f"{API}/stories/{tram}/versions").json()["items"]
    assert [v["version"] for v in versions] == [1, 2]
    assert versions[0]["whats_new"] is None and versions[1]["whats_new"]
    first = client.get(_local(versions[0]["api_url"])).json()
    stored = store.get_story_version(tram, 1)
    assert stored is not None and first["headline"] == stored.page.headline
    assert first["article_ids"] == list(stored.article_ids)
    assert room.reprint not in first["article_ids"]


def test_articles_know_their_story_and_what_they_copy(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, _, room = site
    reprint = client.get(f"{API}/articles/{room.reprint}").json()
    assert reprint["copy_of"] == room.articles["tram"][0]
    assert reprint["story_id"] == room.stories["tram"] and reprint["outlet"] == "Wire Service"
    assert reprint["url"] == "https://wireservice.example/news/90"
    original = client.get(f"{API}/articles/{room.articles['tram'][0]}").json()
    assert original["copy_of"] is None and original["text"] == reprint["text"]


def test_sources_with_health_and_their_reports(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, _, room = site
    sources = {s["id"]: s for s in client.get(f"{API}/sources").json()["items"]}
    wire, broken = sources[room.source], sources[room.broken_source]
    assert wire["healthy"] and wire["url"] == "https://wire.example/feed.xml"
    assert not broken["healthy"] and broken["consecutive_failures"] == 2
    assert "503" in broken["last_error"] and broken["last_error_at"] is not None
    assert client.get(f"{API}/sources/{room.broken_source}").json() == broken
    items, pages = _walk(client, f"{API}/sources/{room.source}/articles?limit=3")
    expected = {a for event in room.articles.values() for a in event[:2]}
    ids = [i["id"] for i in items]
    assert pages == 4 and len(ids) == len(set(ids)) and set(ids) == expected
    empty = client.get(f"{API}/sources/{room.broken_source}/articles").json()
    assert empty == {"items": [], "next": None}


def test_search_finds_stories_and_reports(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, _, room = site
    body = client.get(f"{API}/search", params={"q": "Oldmere tram"}).json()
    kinds = {(hit["kind"], hit["id"]) for hit in body["items"]}
    assert ("story", room.stories["tram"]) in kinds
    assert ("article", room.articles["tram"][0]) in kinds
    assert all("choir" not in hit["title"].lower() for hit in body["items"])
    assert client.get(f"{API}/search").status_code == 422  # q is required


def test_every_answer_has_an_etag_and_a_match_gets_304(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, _, room = site
    tram = room.stories["tram"]
    for path in (
        f"{API}/stories",
        f"{API}/stories/{tram}",
        f"{API}/stories/{tram}/versions",
        f"{API}/stories/{tram}/versions/1",
        f"{API}/articles/{room.reprint}",
        f"{API}/sources",
        f"{API}/search?q=ferry",
    ):
        first = client.get(path)
        assert first.status_code == 200 and first.headers["etag"].startswith('"')
        assert "max-age=" in first.headers["cache-control"]
        again = client.get(path, headers={"If-None-Match": first.headers["etag"]})
        assert again.status_code == 304 and again.content == b"", path
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
    plain = client.get(f"{API}/stories/{tram}", headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers
    assert (
        client.get(
            f"{API}/stories/{tram}",
            headers={"If-None-Match": plain.headers["etag"]},
        ).status_code
        == 304
    )


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status
    assert response.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    return body


def test_unknown_ids_are_404_problems(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, _, room = site
    tram = room.stories["tram"]
    for path, named in (
        (f"{API}/stories/999", "story 999"),
        (f"{API}/stories/999/versions", "story 999"),
        (f"{API}/stories/{tram}/versions/99", f"version 99 of story {tram}"),
        (f"{API}/articles/999", "article 999"),
        (f"{API}/sources/999", "source 999"),
        (f"{API}/sources/999/articles", "source 999"),
    ):
        assert _problem(client.get(path), 404)["detail"].startswith(named)
    assert client.get(f"{API}/stories/0").status_code == 422
    assert client.get(f"{API}/stories/{2**64}").status_code == 422


def test_a_merged_storys_old_id_redirects_to_the_story_it_joined(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    settings = newsroom_settings(tmp_path_factory.mktemp("merged") / "merged.db")
    store = open_store(settings.database_url)
    room = build_newsroom(store, settings)
    old, live = room.stories["tram"], room.stories["choir"]
    store.merge_stories(old, live)
    with TestClient(newsroom_app(store, settings)) as client:
        moved = client.get(f"{API}/stories/{old}", follow_redirects=False)
        assert _problem(moved, 301)["detail"] == f"story {old} was merged into story {live}."
        assert moved.headers["location"] == f"{SITE_URL}{API}/stories/{live}"
        versions = client.get(f"{API}/stories/{old}/versions", follow_redirects=False)
        assert versions.status_code == 301
        assert versions.headers["location"] == f"{SITE_URL}{API}/stories/{live}/versions"
        kept = client.get(f"{API}/stories/{old}/versions/1")  # what it published stays
        assert kept.status_code == 200 and kept.json()["story_id"] == old
        followed = client.get(_local(moved.headers["location"]))
        assert followed.status_code == 200 and followed.json()["story"]["id"] == live
    store.close()


def test_a_cursor_the_api_did_not_give_is_a_400_problem(
    site: tuple[TestClient, Store, Newsroom],
) -> None:
    client, _, room = site
    forged = base64.urlsafe_b64encode(b"not-a-score:3").decode().rstrip("=")
    for cursor in ("%%%", "bm9wZQ", forged, "a" * 150):
        _problem(client.get(f"{API}/stories", params={"cursor": cursor}), 400)
        path = f"{API}/sources/{room.source}/articles"
        _problem(client.get(path, params={"cursor": cursor}), 400)
    assert client.get(f"{API}/stories", params={"limit": 0}).status_code == 422


def test_held_versions_are_not_public(site: tuple[TestClient, Store, Newsroom]) -> None:
    client, store, room = site
    choir = room.stories["choir"]
    version = store.latest_story_version(choir)
    assert version is not None
    held = replace(version, version=2, published=False, whats_new="held")
    assert store.save_story_version(held) == 2
    client.app.state.cache.invalidate()  # do not wait for the cache's generation check
    assert client.get(f"{API}/stories/{choir}").json()["latest"]["version"] == 1
    assert [
        v["version"] for v in client.get(f"{API}/stories/{choir}/versions").json()["items"]
    ] == [1]
    _problem(client.get(f"{API}/stories/{choir}/versions/2"), 404)


# --- the OpenAPI document, checked by schemathesis against a real server ---------------------


@pytest.fixture(scope="module")
def live_site(site: tuple[TestClient, Store, Newsroom]) -> Iterator[str]:
    """The same app served by uvicorn on 127.0.0.1 in a thread; its base URL."""
    client, _, _ = site
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(client.app, log_level="warning", lifespan="off")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


def test_the_api_keeps_to_its_openapi_document(live_site: str) -> None:
    """Every operation, with a dozen generated requests each (schemathesis strategies).

    (``schemathesis.pytest.from_fixture`` does not run under pytest 9: its lazy schema sets
    ``node._nodeid``; the operations' strategies are driven by hypothesis directly instead.)
    """
    schema = schemathesis.openapi.from_url(f"{live_site}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 9
    statuses: list[int] = []
    for operation in operations:

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(
            max_examples=12,
            deadline=None,
            database=None,
            suppress_health_check=list(hypothesis.HealthCheck),
        )
        def check(case: Any) -> None:
            statuses.append(case.call_and_validate(checks=CHECKS).status_code)

        check()
    assert len(statuses) >= 2 * len(operations) and 200 in statuses and 404 in statuses


def test_the_openapi_document_names_every_route(live_site: str) -> None:
    document = httpx.get(f"{live_site}/openapi.json").json()
    paths = set(document["paths"])
    for path in (
        "/api/v1/stories",
        "/api/v1/stories/{story_id}",
        "/api/v1/stories/{story_id}/versions",
        "/api/v1/stories/{story_id}/versions/{version}",
        "/api/v1/articles/{article_id}",
        "/api/v1/sources",
        "/api/v1/sources/{source_id}",
        "/api/v1/sources/{source_id}/articles",
        "/api/v1/search",
    ):
        assert path in paths
    assert not any(p.endswith((".atom", ".rss", ".json", ".xml", ".txt")) for p in paths)
    sentence = document["components"]["schemas"]["SentenceOut"]
    assert set(sentence["required"]) >= {"target", "text", "citations", "verdicts"}


def test_lists_search_and_feeds_on_each_database(store_url: str) -> None:
    """The store queries behind the API and feeds, on SQLite and on PostgreSQL."""
    settings = newsroom_settings(store_url)
    store = open_store(store_url)
    try:
        room = build_newsroom(store, settings)
        with TestClient(newsroom_app(store, settings)) as client:
            stories, _ = _walk(client, f"{API}/stories?limit=2")
            assert sorted(s["id"] for s in stories) == sorted(room.stories.values())
            reports, _ = _walk(client, f"{API}/sources/{room.source}/articles?limit=4")
            assert len({r["id"] for r in reports}) == len(reports) == 10
            hits = client.get(f"{API}/search", params={"q": "spillway"}).json()["items"]
            assert ("story", room.stories["dam"]) in {(h["kind"], h["id"]) for h in hits}
            tram = room.stories["tram"]
            feed = client.get(f"/stories/{tram}/feed.json").json()
            assert [i["id"].rsplit("/", 1)[1] for i in feed["items"]] == ["2", "1"]
    finally:
        store.close()
