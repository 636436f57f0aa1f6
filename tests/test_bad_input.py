"""Bad input, end to end against real servers on 127.0.0.1: each bad thing is recorded
against its source or item with a clear message, the run goes on, nothing stored is lost
or duplicated, and re-running the ingest adds nothing."""

from __future__ import annotations

import gzip
from collections.abc import Callable
from pathlib import Path

import pytest

from primenews.config import Settings
from primenews.models import SourceKind
from primenews.pipeline import IngestReport, ingest
from primenews.store import Store, open_store
from tests.localserver import LocalServer, RequestInfo, Response
from tests.pages import STORIES, article_html, rss

DATA = Path(__file__).resolve().parent / "data" / "sources"


def _ingest_twice(
    settings: Settings, url: str, kind: SourceKind = SourceKind.FEED
) -> tuple[Store, IngestReport, int]:
    """Ingest a source, then again; the second run must add nothing."""
    store = open_store(settings.database_url)
    source, _ = store.add_source(kind, url)
    first = ingest(settings, store, [source])
    count = store.count_articles()
    second = ingest(settings, store, [store.get_source(source.id)])  # type: ignore[list-item]
    assert second.new == 0 and second.revised == 0
    assert store.count_articles() == count
    return store, first, count


def _feed_with(server: LocalServer, bad_path: str) -> str:
    server.route("/news/bridge", body=article_html("bridge").encode())
    items = [("/news/bridge", "Bridge"), (bad_path, "Bad item")]
    return server.route(
        "/feed.xml", body=rss(server.base, items).encode(), content_type="application/rss+xml"
    )


def _redirect_loop(request: RequestInfo) -> Response:
    return Response(302, b"", {"Location": "/loop"})


def _slow_drip(request: RequestInfo) -> Response:
    return Response(200, ((b"<p>drip</p>", 0.3) for _ in range(40)))


ITEM_CASES: dict[str, tuple[Callable[[RequestInfo], Response] | Response, str, str]] = {
    "404": (Response(404, b"gone"), "fetch", "http_404"),
    "410": (Response(410, b"gone for good"), "fetch", "http_410"),
    "429": (Response(429, b"slow down", {"Retry-After": "1"}), "fetch", "http_429"),
    "5xx": (Response(503, b"down"), "fetch", "http_503"),
    "slow_drip": (_slow_drip, "fetch", "fetch_timeout"),
    "redirect_loop": (_redirect_loop, "fetch", "too_many_redirects"),
    "oversize": (Response(200, b"<p>" + b"x" * 300_000 + b"</p>"), "fetch", "body_too_large"),
    "non_html": (
        Response(200, b"%PDF-1.7\n" + bytes(range(256)) * 20, content_type="application/pdf"),
        "gate",
        "not_html",
    ),
}


@pytest.mark.parametrize("case", sorted(ITEM_CASES))
def test_bad_item_is_recorded_and_the_run_goes_on(
    case: str, settings: Settings, http_server: LocalServer
) -> None:
    response, stage, reason = ITEM_CASES[case]
    bad_path = "/loop" if case == "redirect_loop" else f"/bad/{case}"
    http_server.route(bad_path, response)
    settings = settings.replace(fetch_timeout=1.5, max_body_bytes=200_000, retries=1)
    feed = _feed_with(http_server, bad_path)
    store, report, count = _ingest_twice(settings, feed)
    assert count == 1 and report.sources[0].error is None  # the good article made it
    errors = [e for e in store.item_errors() if e.error.reason == reason]
    assert len(errors) == 1, [e.error for e in store.item_errors()]
    assert errors[0].error.stage == stage and errors[0].error.source_id == 1
    assert errors[0].error.url == http_server.url(bad_path)
    assert len(errors[0].error.message) > 20  # says what was wrong
    source = store.get_source(1)
    assert source is not None and source.consecutive_failures == 0
    store.close()


def test_permanent_failures_are_not_fetched_again(
    settings: Settings, http_server: LocalServer
) -> None:
    http_server.route("/bad/gone", Response(410, b"gone"))
    feed = _feed_with(http_server, "/bad/gone")
    store, _report, _count = _ingest_twice(settings, feed)
    assert http_server.count("/bad/gone") == 1
    store.close()


FEED_CASES = {
    "xxe": ("xxe.xml", "FeedError"),
    "billion_laughs": ("billion_laughs.xml", "FeedError"),
    "garbage": (None, "FeedError"),
}


@pytest.mark.parametrize("case", sorted(FEED_CASES))
def test_hostile_or_broken_feed_is_recorded_against_its_source(
    case: str, settings: Settings, http_server: LocalServer
) -> None:
    fixture, error = FEED_CASES[case]
    body = (DATA / fixture).read_bytes() if fixture else bytes(range(256)) * 10
    bad = http_server.route("/bad.xml", body=body, content_type="application/rss+xml")
    good = _feed_with(http_server, "/news/bridge")
    with open_store(settings.database_url) as store:
        sources = [store.add_source(SourceKind.FEED, u)[0] for u in (bad, good)]
        report = ingest(settings, store, sources)
        failed = store.get_source(sources[0].id)
        assert failed is not None and failed.consecutive_failures == 1
        assert failed.last_error is not None and failed.last_error.startswith(error)
        assert "root:" not in (failed.last_error or "")  # nothing of /etc/passwd leaked
        assert report.sources[1].new == 1 and store.count_articles() == 1


def test_invalid_dates_and_duplicate_or_missing_guids(
    settings: Settings, http_server: LocalServer
) -> None:
    for slug in STORIES:
        http_server.route(f"/news/{slug}", body=article_html(slug).encode())
    base = http_server.base
    feed = f"""<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>
<item><title>a</title><link>{base}/news/bridge</link><guid>same</guid>
<pubDate>32 Foo 2026 99:99 XYZ</pubDate></item>
<item><title>b</title><link>{base}/news/library</link><guid>same</guid></item>
<item><title>c</title><link>{base}/news/bridge</link></item>
<item><title>d</title><link>{base}/news/ferry</link></item>
<item><title>no link at all</title><description>nothing to fetch</description></item>
</channel></rss>"""
    url = http_server.route("/feed.xml", body=feed.encode(), content_type="application/rss+xml")
    store, report, count = _ingest_twice(settings, url)
    assert count == 3 and report.sources[0].error is None
    assert http_server.count("/news/bridge") == 1  # listed twice, fetched once
    reasons = {e.error.reason for e in store.item_errors()}
    assert "missing_link" in reasons
    store.close()


def test_five_thousand_items_are_capped_and_counted(
    settings: Settings, http_server: LocalServer
) -> None:
    def page(request: RequestInfo) -> Response:
        html = article_html("ferry", title=f"Ferry item {request.path}")
        return Response(200, html.replace('href="/news/ferry"', f'href="{request.path}"').encode())

    for i in range(5000):
        http_server.routes[f"/gen/{i}"] = page
    items = [(f"/gen/{i}", f"Item {i}") for i in range(5000)]
    url = http_server.route(
        "/big.xml", body=rss(http_server.base, items).encode(), content_type="application/rss+xml"
    )
    settings = settings.replace(max_items_per_source=20)
    store, report, count = _ingest_twice(settings, url)
    assert report.sources[0].found == 20
    truncated = [e for e in store.item_errors() if e.error.reason == "truncated"]
    assert len(truncated) == 1 and "4980" in truncated[0].error.message
    assert count == 20  # one article per URL (same text: the stories stage marks the copies)
    store.close()


@pytest.mark.parametrize("case", ["missing", "wrong"])
def test_missing_or_wrong_charset(case: str, settings: Settings, http_server: LocalServer) -> None:
    html = (
        article_html("library")
        .replace("The Tallin Street public library", "The Zürich Straße café library")
        .replace('<meta charset="utf-8">', "")
    )
    body = html.encode("windows-1252")
    content_type = "text/html" if case == "missing" else "text/html; charset=utf-8"
    http_server.route("/news/library", Response(200, body, content_type=content_type))
    store, _report, count = _ingest_twice(
        settings, http_server.url("/news/library"), SourceKind.PAGE
    )
    article = store.find_article(http_server.url("/news/library"))
    assert count == 1 and article is not None
    assert "Zürich Straße café" in article.text
    store.close()


def test_private_address_is_refused_without_a_request(
    settings: Settings, http_server: LocalServer, tmp_path: Path
) -> None:
    http_server.route("/news/bridge", body=article_html("bridge").encode())
    listing = tmp_path / "urls.txt"
    listing.write_text(
        f"{http_server.url('/news/bridge')}\nhttp://[::ffff:127.0.0.1]:"
        f"{http_server.port}/news/bridge\n",
        encoding="utf-8",
    )
    guarded = settings.replace(allow_private_networks=False)
    store, report, count = _ingest_twice(guarded, str(listing), SourceKind.URLS)
    assert count == 0 and report.sources[0].failed["blocked_address"] == 2
    assert http_server.requests == []
    assert all(e.error.reason == "blocked_address" for e in store.item_errors())
    store.close()


def test_truncated_warc_keeps_what_came_before_the_cut(settings: Settings, tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    whole = tmp_path / "whole.warc"
    with whole.open("wb") as out:
        writer = WARCWriter(out, gzip=False)
        for slug in STORIES:
            body = article_html(slug).encode()
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1"
            )
            writer.write_record(
                writer.create_warc_record(
                    f"https://courier.example/{slug}",
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )
    raw = whole.read_bytes()
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(gzip.compress(raw[: len(raw) - 700]))
    store, report, count = _ingest_twice(settings, str(cut), SourceKind.WARC)
    assert count == 2 and report.sources[0].error is None
    assert (
        report.sources[0].skipped["truncated"]
        + report.sources[0].skipped.get("corrupt", 0)
        + report.sources[0].skipped.get("corrupt_record", 0)
        >= 1
    )
    assert any(e.error.stage for e in store.item_errors())  # the damage is on record
    store.close()


def test_hostile_html_does_not_stop_the_run(settings: Settings, http_server: LocalServer) -> None:
    deep = "<div>" * 20_000 + "text" + "</div>" * 20_000
    http_server.route("/bad/deep", body=f"<html><body>{deep}</body></html>".encode())
    feed = _feed_with(http_server, "/bad/deep")
    store, report, count = _ingest_twice(settings, feed)
    assert count == 1 and report.sources[0].error is None
    assert any(e.error.url == http_server.url("/bad/deep") for e in store.item_errors())
    store.close()
