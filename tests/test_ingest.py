"""The ingest stage end to end: real HTTP servers on 127.0.0.1, real SQLite stores."""

from __future__ import annotations

import gzip
import json
import socket
from pathlib import Path

from primenews.config import Settings
from primenews.models import SourceKind
from primenews.pipeline import ingest
from primenews.store import Store, open_store
from tests.localserver import LocalServer, RequestInfo, Response
from tests.pages import STORIES, article_html, index_html, rss


def _store(settings: Settings) -> Store:
    return open_store(settings.database_url)


def _serve_site(server: LocalServer, *, with_etag: bool = True) -> str:
    for slug in STORIES:
        server.route(f"/news/{slug}", body=article_html(slug).encode())
    server.route("/news/index", body=index_html().encode())
    items = [(f"/news/{slug}", STORIES[slug][0]) for slug in STORIES]
    items += [("/news/missing", "Gone"), ("/news/index", "Index")]
    feed = rss(server.base, items).encode()

    def feed_handler(request: RequestInfo) -> Response:
        if with_etag and request.headers.get("if-none-match") == '"feed-v1"':
            return Response(304, b"")
        return Response(200, feed, {"ETag": '"feed-v1"'}, "application/rss+xml")

    return server.route("/feed.xml", feed_handler)


def test_feed_ingest_stores_articles_and_records_refusals(
    settings: Settings, http_server: LocalServer
) -> None:
    feed_url = _serve_site(http_server)
    with _store(settings) as store:
        source, _ = store.add_source(SourceKind.FEED, feed_url)
        report = ingest(settings, store, [source])
        result = report.sources[0]
        assert result.error is None
        assert result.new == 3 and result.found == 5
        assert result.failed["http_404"] == 1
        assert sum(result.refused.values()) == 1  # the index page is not an article
        titles = {a.title for a in store.list_articles()}
        assert titles == {headline for headline, _ in STORIES.values()}
        article = store.find_article(http_server.url("/news/bridge"))
        assert article is not None
        assert article.outlet == "The Marlow Courier"
        assert "48 steel bearings" in article.text and "Home" not in article.text
        assert article.canonical_url == http_server.url("/news/bridge")
        reasons = {e.error.reason for e in store.item_errors(source_id=source.id)}
        assert "http_404" in reasons and len(reasons) == 2
        healthy = store.get_source(source.id)
        assert healthy is not None and healthy.etag == '"feed-v1"'
        assert healthy.last_success_at is not None and healthy.title == "Marlow Courier"
        assert len(store.fetch_log(source_id=source.id)) >= 6


def test_rerun_adds_nothing_and_fetches_nothing(
    settings: Settings, http_server: LocalServer
) -> None:
    feed_url = _serve_site(http_server, with_etag=False)
    with _store(settings) as store:
        source, _ = store.add_source(SourceKind.FEED, feed_url)
        ingest(settings, store, [source])
        before = len(http_server.requests)
        again = ingest(settings, store, [store.get_source(source.id)])  # type: ignore[list-item]
        assert again.sources[0].new == 0 and again.sources[0].fetched == 0
        assert again.sources[0].skipped_known == 5  # 3 stored, the 404 and the refused index
        assert store.count_articles() == 3
        # only the feed itself (robots.txt is cached per run, fetched again in a new run)
        paths = [r.path for r in http_server.requests[before:]]
        assert "/news/bridge" not in paths and "/feed.xml" in paths


def test_conditional_get_304_keeps_everything(settings: Settings, http_server: LocalServer) -> None:
    feed_url = _serve_site(http_server)
    with _store(settings) as store:
        source, _ = store.add_source(SourceKind.FEED, feed_url)
        ingest(settings, store, [source])
        source = store.get_source(source.id)  # type: ignore[assignment]
        report = ingest(settings, store, [source])
        assert report.sources[0].not_modified
        assert store.count_articles() == 3
        feed_requests = [r for r in http_server.requests if r.path == "/feed.xml"]
        assert feed_requests[-1].headers.get("if-none-match") == '"feed-v1"'


def test_changed_article_is_revised_and_old_text_kept(
    settings: Settings, http_server: LocalServer
) -> None:
    http_server.route("/news/bridge", body=article_html("bridge").encode())
    with _store(settings) as store:
        page, _ = store.add_source(SourceKind.PAGE, http_server.url("/news/bridge"))
        ingest(settings, store, [page])
        correction = "<p>Correction: an earlier version gave the wrong cost of the works.</p>"
        http_server.route("/news/bridge", body=article_html("bridge", extra=correction).encode())
        # a PAGE source whose URL is known is not fetched again; a feed saying it was
        # updated is what triggers a re-fetch
        feed = rss(http_server.base, [("/news/bridge", "Bridge")]).replace(
            "</pubDate>",
            "</pubDate><atom:updated xmlns:atom='http://www.w3.org/2005/Atom'>"
            "2099-01-01T00:00:00Z</atom:updated>",
        )
        http_server.route("/feed.xml", body=feed.encode(), content_type="application/rss+xml")
        source, _ = store.add_source(SourceKind.FEED, http_server.url("/feed.xml"))
        report = ingest(settings, store, [source])
        assert report.sources[0].revised == 1
        article = store.find_article(http_server.url("/news/bridge"))
        assert article is not None and "Correction" in article.text and article.revision == 2
        (old,) = store.article_revisions(article.id)
        assert "Correction" not in old.text and "48 steel bearings" in old.text
        assert store.count_articles() == 1


def test_broken_and_dead_sources_are_recorded_and_the_run_goes_on(
    settings: Settings, http_server: LocalServer
) -> None:
    feed_url = _serve_site(http_server)
    broken = http_server.route(
        "/broken.xml", body=b"<rss><channel><item><title>cut", content_type="application/rss+xml"
    )
    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{sock.getsockname()[1]}/feed.xml"
    with _store(settings) as store:
        sources = [store.add_source(SourceKind.FEED, u)[0] for u in (broken, dead, feed_url)]
        report = ingest(settings, store, sources)
        by_url = {r.url: r for r in report.sources}
        assert by_url[broken].error and by_url[dead].error and by_url[feed_url].error is None
        assert by_url[feed_url].new == 3
        for url in (broken, dead):
            failed = store.find_source(url)
            assert failed is not None and failed.consecutive_failures == 1
            assert failed.last_error and failed.next_check_at is not None
        assert "ConnectionFailedError" in (store.find_source(dead).last_error or "")  # type: ignore[union-attr]
        assert [s.url for s in store.due_sources()] == []


def test_jsonl_import_keeps_extra_fields_and_reruns_add_nothing(
    settings: Settings, tmp_path: Path
) -> None:
    path = tmp_path / "corpus.jsonl"
    records = [
        {
            "url": f"urn:test:{i}",
            "title": STORIES[slug][0],
            "text": "\n\n".join(STORIES[slug][1]),
            "published_at": "2026-03-02T10:00:00",
            "language": "en",
            "outlet": "Courier",
            "event_id": f"ev-{slug}",
        }
        for i, slug in enumerate(STORIES)
    ]
    lines = [json.dumps(r) for r in records] + ["{not json", json.dumps({"url": "urn:x"})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with _store(settings) as store:
        source, _ = store.add_source(SourceKind.JSONL, str(path), enabled=False)
        report = ingest(settings, store, [source])
        assert report.sources[0].new == 3 and sum(report.sources[0].failed.values()) == 2
        article = store.find_article("urn:test:0")
        assert article is not None and article.extra.get("event_id") == "ev-bridge"
        assert article.outlet == "Courier" and article.published_at is not None
        again = ingest(settings, store, [source])
        assert again.sources[0].new == 0 and store.count_articles() == 3


def test_html_folder_and_missing_path(settings: Settings, tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "bridge.html").write_text(article_html("bridge"), encoding="utf-8")
    (folder / "sub" / "ferry.html.gz").write_bytes(gzip.compress(article_html("ferry").encode()))
    (folder / "notes.txt").write_text("not a page", encoding="utf-8")
    with _store(settings) as store:
        source, _ = store.add_source(SourceKind.HTML, str(folder), enabled=False)
        missing, _ = store.add_source(SourceKind.HTML, str(tmp_path / "nope"), enabled=False)
        report = ingest(settings, store, [source, missing])
        assert report.sources[0].new == 2
        assert report.sources[1].error and "does not exist" in report.sources[1].error


def test_warc_ingest_counts_skips(settings: Settings, tmp_path: Path) -> None:
    from io import BytesIO

    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    path = tmp_path / "news.warc.gz"
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        for slug in ("bridge", "library"):
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            body = article_html(slug).encode()
            writer.write_record(
                writer.create_warc_record(
                    f"https://courier.example/news/{slug}",
                    "response",
                    payload=BytesIO(body),
                    length=len(body),
                    http_headers=headers,
                )
            )
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(
            writer.create_warc_record(
                "https://courier.example/logo.png",
                "response",
                payload=BytesIO(b"\x89PNG...."),
                length=8,
                http_headers=image,
            )
        )
    with _store(settings) as store:
        source, _ = store.add_source(SourceKind.WARC, str(path), enabled=False)
        report = ingest(settings, store, [source])
        assert report.sources[0].new == 2
        assert sum(report.sources[0].skipped.values()) >= 1
        assert store.find_article("https://courier.example/news/library") is not None


def test_sitemap_index_and_url_list(
    settings: Settings, http_server: LocalServer, tmp_path: Path
) -> None:
    for slug in STORIES:
        http_server.route(f"/news/{slug}", body=article_html(slug).encode())
    child = http_server.route(
        "/sitemap-news.xml",
        content_type="application/xml",
        body=(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{http_server.url('/news/bridge')}</loc></url>"
            f"<url><loc>{http_server.url('/news/ferry')}</loc></url></urlset>"
        ).encode(),
    )
    index = http_server.route(
        "/sitemap.xml",
        content_type="application/xml",
        body=(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{child}</loc></sitemap></sitemapindex>"
        ).encode(),
    )
    url_list = tmp_path / "urls.txt"
    url_list.write_text(
        f"# list\n{http_server.url('/news/library')}\nnot a url\n", encoding="utf-8"
    )
    with _store(settings) as store:
        sitemap, _ = store.add_source(SourceKind.SITEMAP, index)
        urls, _ = store.add_source(SourceKind.URLS, str(url_list), enabled=False)
        report = ingest(settings, store, [sitemap, urls])
        assert [r.new for r in report.sources] == [2, 1]
        assert store.count_articles() == 3
