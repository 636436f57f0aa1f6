"""The command line, through Typer's runner, against real stores, files and servers."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from primenews.cli import app
from primenews.store import open_store
from tests.localserver import LocalServer
from tests.pages import STORIES, article_html, rss


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray primenews.toml is read
    db = tmp_path / "cli.db"
    return {
        "PRIMENEWS_DATABASE_URL": f"sqlite:///{db}",
        "PRIMENEWS_ALLOW_PRIVATE_NETWORKS": "true",
        "PRIMENEWS_PER_HOST_DELAY": "0",
        "PRIMENEWS_RETRY_BACKOFF": "0.01",
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def test_config_shows_values_and_origins(env: dict[str, str]) -> None:
    code, out = run({**env, "PRIMENEWS_MAX_REDIRECTS": "3"}, "config")
    assert code == 0
    assert "max_redirects" in out and "env PRIMENEWS_MAX_REDIRECTS" in out
    assert "default" in out


def test_config_error_is_clear(env: dict[str, str]) -> None:
    code, out = run({**env, "PRIMENEWS_GLOBAL_CONCURRENCY": "none"}, "config")
    assert code == 2 and "global_concurrency" in out and "expected an integer" in out


def test_sources_add_list_remove_and_opml(env: dict[str, str], tmp_path: Path) -> None:
    code, out = run(env, "sources", "add", "https://news.example/feed.xml", "--title", "News")
    assert code == 0 and "added source 1" in out
    code, out = run(env, "sources", "add", "https://news.example/feed.xml")
    assert code == 0 and "already present" in out
    opml = tmp_path / "feeds.opml"
    code, out = run(env, "sources", "export-opml", "-o", str(opml))
    assert code == 0 and "https://news.example/feed.xml" in opml.read_text()
    other = tmp_path / "other.opml"
    other.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>'
        '<outline text="Tech"><outline type="rss" text="Gadgets" '
        'xmlUrl="https://gadgets.example/rss"/></outline>'
        '<outline type="rss" text="News" xmlUrl="https://news.example/feed.xml"/></body></opml>'
    )
    code, out = run(env, "sources", "import-opml", str(other))
    assert code == 0 and "1 added, 1 already present" in out
    code, out = run(env, "sources", "list")
    assert code == 0 and "gadgets.example" in out and "2 sources" in out
    code, out = run(env, "sources", "remove", "1")
    assert code == 0
    code, out = run(env, "sources", "remove", "1")
    assert code == 1 and "no source with id 1" in out


def test_ingest_feed_then_articles_list_and_show(
    env: dict[str, str], http_server: LocalServer
) -> None:
    for slug in STORIES:
        http_server.route(f"/news/{slug}", body=article_html(slug).encode())
    items = [(f"/news/{slug}", STORIES[slug][0]) for slug in STORIES]
    http_server.route(
        "/feed.xml", body=rss(http_server.base, items).encode(), content_type="application/rss+xml"
    )
    run(env, "sources", "add", http_server.url("/feed.xml"))
    code, out = run(env, "ingest")
    assert code == 0 and "3 new" in out
    code, out = run(env, "ingest")
    assert code == 0 and ("no source is due" in out or "0 new" in out)
    code, out = run(env, "articles", "list")
    assert code == 0 and "3 of 3 articles" in out and "Harbour bridge" in out
    store = open_store(env["PRIMENEWS_DATABASE_URL"])
    article = store.find_article(http_server.url("/news/ferry"))
    store.close()
    assert article is not None
    code, out = run(env, "articles", "show", str(article.id), "--json")
    data = json.loads(out)
    assert code == 0 and data["title"] == STORIES["ferry"][0] and "17:30" in data["text"]
    code, out = run(env, "articles", "show", "999")
    assert code == 1 and "no article with id 999" in out


def test_ingest_local_files(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    for slug in STORIES:
        (folder / f"{slug}.html").write_text(article_html(slug), encoding="utf-8")
    code, out = run(env, "ingest", "--html", str(folder))
    assert code == 0 and "3 new" in out
    code, out = run(env, "ingest", "--html", str(folder))
    assert code == 0 and "0 new" in out
    code, out = run(env, "ingest", "--jsonl", str(tmp_path / "missing.jsonl"))
    assert code == 2  # Typer refuses a missing file before anything runs


def test_extract_folder_as_json_lines(env: dict[str, str], tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "bridge.html").write_text(article_html("bridge"), encoding="utf-8")
    (folder / "library.html").write_text(article_html("library"), encoding="utf-8")
    code, out = run(env, "extract", str(folder), "--json")
    assert code == 0
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert {Path(line["path"]).name for line in lines} == {"bridge.html", "library.html"}
    by_name = {Path(line["path"]).name: line for line in lines}
    assert by_name["bridge.html"]["title"] == STORIES["bridge"][0]
    assert "Ilse Varga" in by_name["bridge.html"]["text"]
    assert by_name["library.html"]["language"] == "en"


def test_extract_url_and_bad_inputs(env: dict[str, str], http_server: LocalServer) -> None:
    url = http_server.route("/news/ferry", body=article_html("ferry").encode())
    code, out = run(env, "extract", url, "--json")
    assert code == 0 and "Skerry Island" in json.loads(out.splitlines()[0])["text"]
    code, out = run(env, "extract", "/no/such/file.html", "--json")
    assert code == 1 and "no such file" in out


def test_demo_serves_and_ingests_the_sample_newswire(env: dict[str, str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    code, out = run(env, "demo", "--port", port, "--no-serve")
    assert code == 0, out
    store = open_store(env["PRIMENEWS_DATABASE_URL"])
    first = store.count_articles()
    sources = store.list_sources()
    store.close()
    assert first >= 40
    assert any(s.last_error for s in sources)  # the broken feed is recorded against its source
    code, out = run(env, "demo", "--port", port, "--no-serve")
    assert code == 0
    store = open_store(env["PRIMENEWS_DATABASE_URL"])
    assert store.count_articles() == first  # re-running adds nothing
    store.close()


def test_jsonl_then_cluster_then_export(env: dict[str, str], tmp_path: Path) -> None:
    env = {**env, "PRIMENEWS_EMBEDDING_MODEL": "hashing"}
    corpus = tmp_path / "corpus.jsonl"
    records = []
    for i, slug in enumerate(STORIES):
        headline, paragraphs = STORIES[slug]
        for outlet in ("Courier", "Gazette"):
            records.append(
                {
                    "url": f"urn:test:{slug}:{outlet}",
                    "title": headline,
                    "text": "\n\n".join(paragraphs),
                    "outlet": outlet,
                    "published_at": f"2026-03-0{i + 1}T0{len(outlet) % 9}:00:00Z",
                    "event_id": slug,
                }
            )
    corpus.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    code, out = run(env, "ingest", "--jsonl", str(corpus))
    assert code == 0 and "6 new" in out
    code, out = run(env, "cluster")
    assert code == 0 and "6 placed" in out
    code, out = run(env, "cluster")
    assert code == 0 and "0 placed" in out  # idempotent
    code, out = run(env, "stories", "export", "--format", "jsonl")
    lines = [json.loads(line) for line in out.splitlines() if line.startswith("{")]
    assert code == 0 and len(lines) == 6
    by_url = {line["url"]: line for line in lines}
    for slug in STORIES:  # each event one story; the second outlet's identical text is a copy
        first, second = by_url[f"urn:test:{slug}:Courier"], by_url[f"urn:test:{slug}:Gazette"]
        assert first["story_id"] == second["story_id"] is not None
        assert {first["copy_of"], second["copy_of"]} - {None} <= {first["url"], second["url"]}
    assert len({line["story_id"] for line in lines}) == 3
    code, out = run(env, "stories", "list")
    assert code == 0 and "3 of 3 stories" in out
    story = lines[0]["story_id"]
    code, out = run(env, "stories", "show", str(story))
    assert code == 0 and "Courier" in out and "Gazette" in out
    code, out = run(env, "stories", "show", "9999")
    assert code == 1
