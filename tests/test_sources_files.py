"""Local HTML files and folders, and WARC / WARC.gz archives."""

from __future__ import annotations

import gzip
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest

from primenews.errors import SourceError
from primenews.sources import FileStats, WarcStats, iter_html_files, iter_warc

PAGE = b"<!doctype html><html><head><title>%s</title></head><body><p>%s</p></body></html>"


def _page(title: str) -> bytes:
    return PAGE % (title.encode(), f"Body of {title}.".encode())


def test_html_folder_recursive_with_gzip(tmp_path: Path) -> None:
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / "a.html").write_bytes(_page("A"))
    (tmp_path / "sub" / "b.htm").write_bytes(_page("B"))
    (tmp_path / "sub" / "deeper" / "c.html.gz").write_bytes(gzip.compress(_page("C")))
    (tmp_path / "notes.txt").write_text("not html")
    (tmp_path / "sub" / "broken.html.gz").write_bytes(b"\x1f\x8bnot gzip at all")
    (tmp_path / "sub" / "cut.html.gz").write_bytes(gzip.compress(_page("D") * 20)[:-30])
    stats = FileStats()
    pages = list(iter_html_files(tmp_path, stats))
    assert [p.url.rsplit("/", 1)[1] for p in pages] == ["a.html", "b.htm", "c.html.gz"]
    assert pages[0].url == (tmp_path / "a.html").resolve().as_uri()
    assert pages[2].body == _page("C")
    assert all(p.content_type == "text/html" and p.status == 200 for p in pages)
    assert pages[0].fetched_at.tzinfo is UTC
    assert stats.files == 5
    assert stats.pages == 3
    assert stats.skipped == {"bad_gzip": 1, "truncated": 1}
    assert "broken.html.gz" in stats.errors[0].message
    assert "cut.html.gz" in stats.errors[1].message


def test_single_html_file_and_missing_path(tmp_path: Path) -> None:
    file = tmp_path / "one.html"
    file.write_bytes(_page("One"))
    (page,) = iter_html_files(file)
    assert page.body == _page("One")
    with pytest.raises(SourceError, match="does not exist"):
        list(iter_html_files(tmp_path / "missing"))


# --- WARC ---------------------------------------------------------------------------------


def _warc_record(kind: str, uri: str, block: bytes, content_type: str) -> bytes:
    headers = (
        "WARC/1.0\r\n"
        f"WARC-Type: {kind}\r\n"
        f"WARC-Record-ID: <urn:uuid:{uuid.uuid4()}>\r\n"
        "WARC-Date: 2024-05-01T12:00:00Z\r\n"
        f"WARC-Target-URI: {uri}\r\n"
        f"Content-Type: {content_type}\r\n"
        f"Content-Length: {len(block)}\r\n"
        "\r\n"
    )
    return gzip.compress(headers.encode() + block + b"\r\n\r\n")


def _response(uri: str, status: str, content_type: str, body: bytes, extra: str = "") -> bytes:
    head = f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n{extra}\r\n".encode()
    return _warc_record("response", uri, head + body, "application/http; msgtype=response")


def _write_warc(path: Path) -> bytes:
    html = _page("Archived")
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(html), html)
    records = [
        _warc_record("warcinfo", "", b"software: primenews-test\r\n", "application/warc-fields"),
        _warc_record(
            "request",
            "https://news.example/a",
            b"GET /a HTTP/1.1\r\nHost: news.example\r\n\r\n",
            "application/http; msgtype=request",
        ),
        _response("https://news.example/a", "200 OK", "text/html; charset=utf-8", html),
        _response(
            "https://news.example/gz",
            "200 OK",
            "text/html",
            gzip.compress(html),
            "Content-Encoding: gzip\r\n",
        ),
        _response(
            "https://news.example/chunked",
            "200 OK",
            "application/xhtml+xml",
            chunked,
            "Transfer-Encoding: chunked\r\n",
        ),
        _response("https://news.example/missing", "404 Not Found", "text/html", b"gone"),
        _response("https://news.example/logo.png", "200 OK", "image/png", b"\x89PNG fake"),
        _warc_record(
            "revisit",
            "https://news.example/a",
            b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n",
            "application/http; msgtype=response",
        ),
        _response("https://news.example/last", "200 OK", "text/html", _page("Last") * 50),
    ]
    data = b"".join(records)
    path.write_bytes(data)
    return data


def test_warc_gz_html_responses_become_pages(tmp_path: Path) -> None:
    path = tmp_path / "news.warc.gz"
    _write_warc(path)
    stats = WarcStats()
    pages = list(iter_warc(path, stats))
    assert [p.url for p in pages] == [
        "https://news.example/a",
        "https://news.example/gz",
        "https://news.example/chunked",
        "https://news.example/last",
    ]
    html = _page("Archived")
    assert [p.body for p in pages[:3]] == [html, html, html]
    assert pages[0].content_type == "text/html; charset=utf-8"
    assert pages[0].charset == "utf-8"
    assert pages[0].fetched_at == datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
    assert stats.records == 9
    assert stats.responses == 6
    assert stats.html == 4
    assert stats.skipped == {
        "not_response": 2,
        "http_status_404": 1,
        "not_html": 1,
        "revisit": 1,
    }
    assert stats.errors == []


def test_uncompressed_warc_is_read_too(tmp_path: Path) -> None:
    gz = tmp_path / "news.warc.gz"
    data = _write_warc(gz)
    plain = tmp_path / "news.warc"
    plain.write_bytes(gzip.decompress(data))
    assert len(list(iter_warc(plain))) == 4


@pytest.mark.parametrize("cut", [30, 200, 300, 400, 500])
def test_truncated_warc_gz_is_counted_not_raised(tmp_path: Path, cut: int) -> None:
    data = _write_warc(tmp_path / "whole.warc.gz")
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-cut])
    stats = WarcStats()
    pages = list(iter_warc(path, stats))
    assert [p.url for p in pages][:3] == [
        "https://news.example/a",
        "https://news.example/gz",
        "https://news.example/chunked",
    ]
    assert "https://news.example/last" not in [p.url for p in pages]
    damage = stats.skipped["truncated"] + stats.skipped["corrupt"]
    assert damage >= 1
    assert stats.errors and all(str(path) in e.message for e in stats.errors)


def test_warc_gz_cut_in_the_last_gzip_trailer_keeps_every_page(tmp_path: Path) -> None:
    data = _write_warc(tmp_path / "whole.warc.gz")
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[:-1])
    stats = WarcStats()
    assert len(list(iter_warc(path, stats))) == 4
    assert stats.skipped["truncated"] == 1


def test_truncated_uncompressed_warc_record_is_counted(tmp_path: Path) -> None:
    data = gzip.decompress(_write_warc(tmp_path / "whole.warc.gz"))
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-1000])
    stats = WarcStats()
    pages = list(iter_warc(path, stats))
    assert len(pages) == 3
    assert stats.skipped["truncated"] == 1
    assert "cut short" in stats.errors[0].message


def test_garbage_file_is_counted_as_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "garbage.warc"
    path.write_bytes(b"this is not a WARC file at all\n" * 20)
    stats = WarcStats()
    assert list(iter_warc(path, stats)) == []
    assert stats.skipped["corrupt"] == 1
    with pytest.raises(SourceError):
        list(iter_warc(tmp_path / "missing.warc.gz"))
