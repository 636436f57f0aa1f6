"""The rendered-bytes cache, conditional requests (304) and compression."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import brotli
import pytest
from fastapi.testclient import TestClient
from starlette.requests import Request

from primenews.config import Settings
from primenews.store import Store, open_store
from primenews.web import create_app, pages
from primenews.web.cache import COMPRESS_MIN_BYTES, PageCache, conditional_response, make_body
from tests.webdata import FERRY, add_story, add_version


def _request(headers: dict[str, str]) -> Request:
    raw = [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return Request({"type": "http", "method": "GET", "path": "/", "headers": raw})


def test_make_body_compresses_only_large_text() -> None:
    big = make_body("<p>ferry</p>" * 100, "text/html; charset=utf-8")
    assert big.gzip is not None and gzip.decompress(big.gzip) == big.body
    assert big.br is not None and brotli.decompress(big.br) == big.body
    assert big.etag.startswith('"') and big.etag.endswith('"')
    small = make_body("x" * (COMPRESS_MIN_BYTES - 1), "text/plain")
    assert small.gzip is None and small.br is None
    binary = make_body(b"\x00" * 5000, "image/png")
    assert binary.gzip is None
    assert make_body("same", "text/plain").etag == make_body("same", "text/plain").etag
    assert make_body("same", "text/plain").etag != make_body("other", "text/plain").etag


def test_page_cache_builds_once_per_generation() -> None:
    generation = ["g1"]
    reads: list[str] = []

    def token() -> str:
        reads.append(generation[0])
        return generation[0]

    built: list[int] = []

    def build() -> object:
        built.append(1)
        return make_body(f"body {len(built)}", "text/plain")

    cache = PageCache(token, check_interval=0)
    first = cache.cached("k", build)  # type: ignore[arg-type]
    assert cache.cached("k", build) is first  # type: ignore[arg-type]
    assert len(built) == 1
    generation[0] = "g2"
    assert cache.cached("k", build).body == b"body 2"  # type: ignore[arg-type]
    slow = PageCache(token, check_interval=3600)
    slow.cached("k", build)  # type: ignore[arg-type]
    before = len(reads)
    for _ in range(100):
        slow.cached("k", build)  # type: ignore[arg-type]
    assert len(reads) == before  # the generation is not read on every request
    slow.invalidate()
    slow.cached("k", build)  # type: ignore[arg-type]
    assert len(reads) == before + 1


def test_page_cache_is_bounded() -> None:
    cache = PageCache(lambda: "g", check_interval=3600, max_entries=3)
    for i in range(10):
        cache.cached(("story", i), lambda: make_body("x", "text/plain"))
    assert len(cache) <= 3


def test_errors_and_query_answers_cannot_flush_the_pages() -> None:
    cache = PageCache(lambda: "g", check_interval=3600, max_entries=4, max_volatile=2)
    page = ("get", "/stories/1", ())
    cache.cached(page, lambda: make_body("story", "text/plain"))
    for i in range(50):
        cache.cached(
            ("get", f"/stories/{i + 100}", ()), lambda: make_body("no", "text/plain", status=404)
        )
        cache.cached(("get", "/search", (("q", f"w{i}"),)), lambda: make_body("hits", "text/plain"))
    assert cache.peek(page) is not None and len(cache) == 3  # the page and the 2 latest others
    assert cache.peek(("get", "/search", (("q", "w49"),))) is not None
    assert cache.peek(("get", "/search", (("q", "w0"),))) is None


def test_unknown_query_parameters_share_the_plain_addresss_entry(store: Store) -> None:
    first = add_story(store, "Ferry strike in Port Ansel", FERRY)
    app = create_app(Settings(database_url="sqlite:///unused.db"), store=store)
    client = TestClient(app)
    path = f"/stories/{first.story_id}"
    plain = client.get(path)
    entries = len(app.state.cache)
    for i in range(20):
        tracked = client.get(f"{path}?utm_source=x{i}&nocache={i}")
        assert tracked.status_code == 200 and tracked.headers["etag"] == plain.headers["etag"]
        assert client.get(f"/stories/{10_000 + i}").status_code == 404
    assert len(app.state.cache) == entries + 20  # only the made-up ids, in the small partition
    assert client.get("/search?q=ferry&utm_medium=feed").text == client.get("/search?q=ferry").text


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [
        ("br, gzip", "br"),
        ("gzip, deflate", "gzip"),
        ("", None),
        ("br;q=0, gzip", "gzip"),
        ("identity", None),
    ],
)
def test_conditional_response_picks_the_encoding(accept: str, encoding: str | None) -> None:
    body = make_body("<p>hello</p>" * 200, "text/html; charset=utf-8")
    answer = conditional_response(_request({"Accept-Encoding": accept}), body, 60)
    assert answer.headers.get("content-encoding") == encoding
    assert answer.headers["vary"] == "Accept-Encoding"
    assert answer.headers["cache-control"] == "public, max-age=60"
    again = conditional_response(
        _request({"Accept-Encoding": accept, "If-None-Match": answer.headers["etag"]}), body, 60
    )
    assert again.status_code == 304 and again.body == b""
    # an ETag from another encoding of the same body still matches
    other = conditional_response(_request({"If-None-Match": f'W/{body.etag}, "nope"'}), body, 60)
    assert other.status_code == 304
    changed = conditional_response(_request({"If-None-Match": '"stale"'}), body, 60)
    assert changed.status_code == 200


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    opened = open_store(f"sqlite:///{tmp_path / 'web.db'}")
    try:
        yield opened
    finally:
        opened.close()


def test_story_page_is_cached_revalidated_and_rebuilt_on_change(store: Store) -> None:
    settings = Settings(database_url="sqlite:///unused.db")
    first = add_story(store, "Ferry strike in Port Ansel", FERRY)
    app = create_app(settings, store=store, cache_check_interval=0)
    client = TestClient(app)
    path = f"/stories/{first.story_id}"
    page = client.get(path, headers={"Accept-Encoding": "br"})
    assert page.status_code == 200 and page.headers["content-encoding"] == "br"
    etag = page.headers["etag"]
    assert client.get(path, headers={"If-None-Match": etag}).status_code == 304
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    assert plain.headers["etag"] != etag and "content-encoding" not in plain.headers
    # the br tag also validates the identity form (the same bytes underneath)
    plain_again = client.get(path, headers={"Accept-Encoding": "identity", "If-None-Match": etag})
    assert plain_again.status_code == 304 and plain_again.content == b""
    newer = replace(first.page, headline="Ferry strike enters its second day")
    add_version(store, newer, first.article_ids, version=2, hours=3)
    fresh = client.get(path, headers={"If-None-Match": etag})
    assert fresh.status_code == 200 and "second day" in fresh.text
    assert fresh.headers["etag"] != etag


def test_uncached_responses_are_compressed_by_the_middleware(store: Store) -> None:
    add_story(store, "Ferry strike in Port Ansel", FERRY)
    client = TestClient(create_app(Settings(database_url="sqlite:///unused.db"), store=store))
    for accept, encoding in (("br", "br"), ("gzip", "gzip"), ("identity", None)):
        page = client.get("/search?q=ferry", headers={"Accept-Encoding": accept})
        assert page.headers.get("content-encoding") == encoding
        assert "The Harbour Ledger" in page.text  # the client decoded it back
        if encoding:
            assert "Accept-Encoding" in page.headers["vary"]
    small = client.get("/robots.txt", headers={"Accept-Encoding": "gzip"})
    assert "content-encoding" not in small.headers


def test_built_pages_are_served_without_entering_the_routes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = add_story(store, "Ferry strike in Port Ansel", FERRY)
    app = create_app(
        Settings(database_url="sqlite:///unused.db"), store=store, cache_check_interval=0
    )
    client = TestClient(app)
    path = f"/stories/{first.story_id}"
    built = client.get(path, headers={"Accept-Encoding": "gzip"})

    def route_entered(*args: object, **kwargs: object) -> None:
        raise AssertionError("the route ran for a page the cache holds")

    monkeypatch.setattr(pages, "_page", route_entered)
    again = client.get(path, headers={"Accept-Encoding": "gzip"})
    assert again.status_code == 200 and again.content == built.content
    assert again.headers["etag"] == built.headers["etag"]
    assert again.headers["cache-control"] == built.headers["cache-control"]
    assert again.headers["content-security-policy"]  # still wrapped by the security headers
    tagged = client.get(path, headers={"If-None-Match": built.headers["etag"]})
    assert tagged.status_code == 304
    add_version(store, replace(first.page, headline="New"), first.article_ids, version=2)
    with pytest.raises(AssertionError, match="the route ran"):
        client.get(path)  # the store moved on: the page is built again by its route
