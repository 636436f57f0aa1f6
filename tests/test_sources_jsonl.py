"""JSON Lines of already-extracted articles: fixtures and the news-events corpora."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from primenews.errors import SourceError
from primenews.models import ExtractedArticle, ItemError
from primenews.sources import JsonlStats, iter_jsonl
from tests.conftest import shared_path

DATA = Path(__file__).resolve().parent / "data" / "sources"
NEWS_EVENTS = [
    "ecbplus-dev.jsonl",
    "meantime.jsonl",
    "neus-val-articles.jsonl",
    "pages-dev.jsonl",
]


def test_fixture_articles_and_errors() -> None:
    stats = JsonlStats()
    items = list(iter_jsonl(DATA / "articles.jsonl", stats=stats, source_id=4))
    articles = [i for i in items if isinstance(i, ExtractedArticle)]
    errors = [i for i in items if isinstance(i, ItemError)]
    assert len(items) == stats.lines == 11  # the blank line is not counted
    assert [a.url for a in articles] == [
        "https://fictional.example/a/1",
        "https://fictional.example/a/2",
        "https://fictional.example/a/3",
        "https://fictional.example/a/4",
        "urn:fictional:5",
        "https://fictional.example/a/11",
    ]
    first, naive, epoch, bad_date, other_tool, empty = articles
    assert first.title == "First story"
    assert first.paragraphs == ["Para one.", "Para two."]
    assert first.published_at == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert first.language == "en"
    assert first.outlet == "Fictional Post"
    assert first.extra == {"event_id": "ev-1", "tags": ["a", "b"]}
    json.dumps(first.extra)  # JSON-safe
    assert naive.title is None
    assert naive.published_at == datetime(2024, 6, 2, 8, 0, tzinfo=UTC)
    assert epoch.published_at == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)
    assert bad_date.published_at is None
    assert bad_date.extra == {"published_at_raw": "sometime in June"}
    assert other_tool.published_at == datetime(2024, 6, 3, tzinfo=UTC)
    assert other_tool.authors == ("Ann Lee", "Bo Chen")
    assert other_tool.site_name == "Fictional Wire"
    assert empty.text == ""
    assert [(e.reason, e.message.split(": ")[0].rsplit(":", 1)[1]) for e in errors] == [
        ("missing_url", "7"),
        ("missing_text", "8"),
        ("invalid_json", "9"),
        ("not_an_object", "10"),
        ("duplicate_url", "11"),
    ]
    assert all(e.source_id == 4 and "articles.jsonl" in e.message for e in errors)
    assert stats.articles == 6
    assert sum(stats.errors.values()) == 5


def test_bom_gzip_nan_and_invalid_utf8(tmp_path: Path) -> None:
    lines = [
        "\ufeff" + json.dumps({"url": "https://b.example/1", "text": "With a BOM."}),
        '{"url": "https://b.example/2", "text": "x", "score": NaN}',
        json.dumps({"url": "https://b.example/3", "text": "ok", "published_at": 1717228800000}),
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8") + b'{"url": "\xff\xfe", "text": "x"}\n'
    path = tmp_path / "more.jsonl.gz"
    path.write_bytes(gzip.compress(data))
    items = list(iter_jsonl(path))
    assert isinstance(items[0], ExtractedArticle) and items[0].url == "https://b.example/1"
    assert isinstance(items[1], ItemError) and items[1].reason == "invalid_json"
    assert isinstance(items[2], ExtractedArticle)
    assert items[2].published_at == datetime(2024, 6, 1, 8, 0, tzinfo=UTC)  # epoch ms
    assert isinstance(items[3], ItemError) and items[3].reason == "invalid_utf8"


def test_truncated_gzip_is_an_error_item_not_an_exception(tmp_path: Path) -> None:
    rows = [json.dumps({"url": f"https://c.example/{i}", "text": "t" * 200}) for i in range(500)]
    whole = gzip.compress("\n".join(rows).encode())
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(whole[: len(whole) // 2])
    stats = JsonlStats()
    items = list(iter_jsonl(path, stats=stats))
    assert isinstance(items[0], ExtractedArticle)
    assert isinstance(items[-1], ItemError) and items[-1].reason == "truncated"
    assert stats.errors["truncated"] == 1


def test_missing_file_is_a_source_error(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="not a file"):
        list(iter_jsonl(tmp_path / "nope.jsonl"))


@pytest.mark.shared
@pytest.mark.parametrize("name", NEWS_EVENTS)
def test_news_events_sets_import_without_loss(name: str) -> None:
    path = shared_path(f"news-events/{name}")
    with path.open("rb") as handle:
        raw = [json.loads(line) for line in handle if line.strip()]
    line_count = len(raw)
    stats = JsonlStats()
    items = list(iter_jsonl(path, stats=stats))
    articles = [i for i in items if isinstance(i, ExtractedArticle)]
    assert len(articles) == line_count == stats.articles
    assert all(a.extra.get("event_id") for a in articles)
    assert all("id" in a.extra and "topic_id" in a.extra for a in articles)
    assert len({a.url for a in articles}) == line_count
    assert all(a.published_at is None or a.published_at.tzinfo is UTC for a in articles)
    dated = sum(1 for r in raw if r.get("published_at"))
    assert sum(1 for a in articles if a.published_at is not None) == dated
