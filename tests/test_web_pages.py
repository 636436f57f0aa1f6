"""The reader's pages through the real app (FastAPI TestClient) over a real store."""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from primenews.cli import app as cli_app
from primenews.config import Settings
from primenews.models import SourceKind
from primenews.store import Store, open_store
from primenews.store.web import BREADTH_WEIGHT, HALF_LIFE_DAYS, REPORTS_WEIGHT
from primenews.web import create_app
from tests.webdata import FERRY, ORCHARD, Report, add_story, add_version
from tests.webhtml import parse


@pytest.fixture
def web_settings(tmp_path: Path) -> Settings:
    return Settings(database_url=f"sqlite:///{tmp_path / 'web.db'}", site_page_size=1)


@pytest.fixture
def store(web_settings: Settings) -> Iterator[Store]:
    opened = open_store(web_settings.database_url)
    try:
        yield opened
    finally:
        opened.close()


def client_for(settings: Settings, store: Store) -> TestClient:
    return TestClient(create_app(settings, store=store, cache_check_interval=0))


def test_home_ranks_stories_and_pages_through_them(web_settings: Settings, store: Store) -> None:
    ferry = add_story(store, "Ferry strike in Port Ansel", FERRY, topic="transport")
    orchard = add_story(store, "Hail in the Brenn valley", ORCHARD, topic="climate")
    client = client_for(web_settings, store)
    first = client.get("/")
    assert first.status_code == 200
    doc = parse(first.text)
    # the ferry's 3 outlets outrank the orchard's 2 although the orchard is a day newer
    (card,) = doc.find_all("li", class_="story-card")
    assert "Ferry strike in Port Ansel" in card.text and "3 outlets" in card.text
    assert "Ferry crews in Port Ansel walked off the job" in card.text and "en, de" in card.text
    assert [a.attrs["href"] for a in doc.find_all("a", rel="next")]
    topics = {a.attrs["href"] for a in doc.find_all("a") if a.attrs["href"].startswith("/topics")}
    assert {"/topics/transport", "/topics/climate"} <= topics
    second = client.get(doc.find_all("a", rel="next")[0].attrs["href"])
    assert f'/stories/{orchard.story_id}"' in second.text
    assert f'/stories/{ferry.story_id}"' not in second.text
    assert "2 outlets" in second.text
    only = client.get("/topics/transport")
    assert "Ferry strike in Port Ansel" in only.text and "Hail in the" not in only.text
    assert client.get("/topics/opera").status_code == 404
    assert client.get("/topics/Bad%20Topic").status_code == 404
    assert client.get("/?after=nonsense").status_code == 400


def test_story_page_cites_every_sentence_to_its_report(
    web_settings: Settings, store: Store
) -> None:
    version = add_story(store, "Ferry strike in Port Ansel", FERRY, topic="transport")
    page = client_for(web_settings, store).get(f"/stories/{version.story_id}")
    assert page.status_code == 200
    doc = parse(page.text)
    (h1,) = doc.find_all("h1")
    assert h1.text == "Ferry strike in Port Ansel"
    markers = doc.find_all("a", class_="cite")
    assert {m.attrs["href"] for m in markers} == {"#src-1", "#src-2", "#src-3"}
    assert doc.find_all("a", href="#src-2", class_="cite")[0].attrs["aria-label"] == (
        "Source 2: Bay Herald"
    )
    entry = doc.by_id("src-2")
    assert "Bay Herald" in entry.text
    assert "All six Port Ansel ferries stayed at their moorings on Monday" in entry.text
    (out,) = [a for a in doc.find_all("a") if a.attrs["href"].startswith("https://bay-herald")]
    assert out.attrs["rel"] == "noopener noreferrer nofollow"
    # the German report's sentence carries its language on the English page
    german = [e for e in doc.find_all("span", class_="sentence") if e.attrs.get("lang") == "de"]
    assert german and german[0].text.startswith("Der Fährstreik")
    assert doc.find_all("blockquote", lang="de")
    coverage = doc.by_id("coverage-title")
    assert coverage.text == "Coverage"
    assert "First reported by The Harbour Ledger" in " ".join(page.text.split()).replace(
        "<strong>", ""
    ).replace("</strong>", "")
    assert "Timeline of reports" in page.text


def test_a_story_in_a_right_to_left_language_is_laid_out_right_to_left(
    web_settings: Settings, store: Store
) -> None:
    """Fictional Arabic reports: the story reads right to left, its English panels left to
    right, and a quotation in the page's own language is tagged with it, not with English."""
    reports = [
        Report(
            "Al-Marsa Daily",
            "إضراب عمال العبارات في بورت أنسل",
            "أضرب عمال العبارات في بورت أنسل يوم الاثنين بسبب نوبات العمل الليلية.",
            language="ar",
            hours=1,
        ),
        Report(
            "Bay Herald",
            "Port Ansel ferries halted as crews walk out",
            "All six Port Ansel ferries stayed at their moorings on Monday after crews began a "
            "strike.",
            hours=2,
        ),
        Report(
            "Sawt al-Khalij",
            "توقف العبارات في بورت أنسل",
            "توقفت العبارات الست في بورت أنسل عن العمل يوم الاثنين.",
            language="ar",
            hours=3,
        ),
    ]
    version = add_story(store, "إضراب العبارات في بورت أنسل", reports)
    doc = parse(client_for(web_settings, store).get(f"/stories/{version.story_id}").text)
    (story,) = doc.find_all("article", class_="story")
    assert story.attrs["lang"] == "ar" and story.attrs["dir"] == "rtl"
    english = [e for e in doc.find_all("span", class_="sentence") if e.attrs.get("lang") == "en"]
    assert english and english[0].attrs["dir"] == "ltr"
    assert all(p.attrs["dir"] == "ltr" for p in doc.find_all("p", class_="meta", lang="en"))
    (quote,) = doc.find_all("blockquote")
    assert quote.attrs["lang"] == "ar" and quote.attrs["dir"] == "rtl"
    titles = [e for e in doc.find_all("span") if e.text == "توقف العبارات في بورت أنسل"]
    assert titles and all(t.attrs.get("dir") == "rtl" for t in titles)


def test_story_page_folds_copies_under_their_original(web_settings: Settings, store: Store) -> None:
    reprint = Report("Coast Wire", "Ferry crews strike (wire copy)", FERRY[0].text, hours=4)
    version = add_story(store, "Ferry strike", [*FERRY, reprint], copies={3: 0})
    doc = parse(client_for(web_settings, store).get(f"/stories/{version.story_id}").text)
    (details,) = doc.find_all("details", class_="copies")
    assert "1 copy of this report" in details.text and "Coast Wire" in details.text
    assert "Coast Wire" in doc.by_id("src-1").text  # nested inside the original's entry
    assert "(copy of [1])" in doc.find_all("ol", class_="timeline")[0].text


def test_story_metadata_jsonld_and_share_links(web_settings: Settings, store: Store) -> None:
    version = add_story(store, "Ferry strike in Port Ansel", FERRY)
    html = client_for(web_settings, store).get(f"/stories/{version.story_id}").text
    doc = parse(html)
    (script,) = doc.find_all("script", type="application/ld+json")
    data = json.loads(script.text)
    assert data["@type"] == "NewsArticle" and data["headline"] == "Ferry strike in Port Ansel"
    assert set(data["isBasedOn"]) == {a.url for a in store.get_articles(version.article_ids)}
    og = {
        m.attrs["property"]: m.attrs["content"]
        for m in doc.find_all("meta")
        if "property" in m.attrs
    }
    assert og["og:title"] == "Ferry strike in Port Ansel"
    canonical = f"http://127.0.0.1:8000/stories/{version.story_id}"
    assert og["og:url"] == canonical
    hrefs = [a.attrs["href"] for a in doc.find_all("a")]
    assert any(h.startswith("mailto:?subject=Ferry%20strike") for h in hrefs)
    assert any(h.startswith("https://twitter.com/intent/tweet?url=http%3A") for h in hrefs)
    assert any(h.startswith("https://bsky.app/intent/compose?text=Ferry") for h in hrefs)
    assert len(doc.find_all("form", action="/share/mastodon")) == 1
    assert doc.find_all("label", for_="mastodon-instance")
    assert doc.find_all("button", **{"data-share-native": ""})[0].attrs["hidden"] == ""


def test_versions_history_whats_new_and_diff(web_settings: Settings, store: Store) -> None:
    first = add_story(store, "Ferry strike in Port Ansel", FERRY)
    second_page = replace(first.page, headline="Ferry strike enters its second day")
    add_version(
        store,
        second_page,
        first.article_ids,
        version=2,
        hours=6,
        whats_new="Adds that the strike entered a second day.",
    )
    add_version(
        store, replace(first.page, headline="Held"), first.article_ids, version=3, published=False
    )
    client = client_for(web_settings, store)
    latest = client.get(f"/stories/{first.story_id}").text
    assert "Ferry strike enters its second day" in latest
    assert "Adds that the strike entered a second day." in latest
    doc = parse(latest)
    versions = [a.attrs["href"] for a in doc.find_all("a") if "/versions/" in a.attrs["href"]]
    assert versions == [
        f"/stories/{first.story_id}/versions/2",
        f"/stories/{first.story_id}/versions/1",
    ]
    diff_link = f"/stories/{first.story_id}/diff/1/2"
    assert diff_link in latest
    old = client.get(f"/stories/{first.story_id}/versions/1")
    assert old.status_code == 200 and "an earlier version" in old.text
    assert "<h1>Ferry strike in Port Ansel</h1>" in old.text
    assert client.get(f"/stories/{first.story_id}/versions/3").status_code == 404
    diff = client.get(diff_link)
    assert diff.status_code == 200
    ddoc = parse(diff.text)
    assert any("Ferry strike enters its second day" in e.text for e in ddoc.find_all("ins"))
    assert any("Ferry strike in Port Ansel" in e.text for e in ddoc.find_all("del"))
    assert client.get(f"/stories/{first.story_id}/diff/1/3").status_code == 404


def test_unknown_held_and_merged_stories(web_settings: Settings, store: Store) -> None:
    held = add_story(store, "Held", ORCHARD, published=False)
    ferry = add_story(store, "Ferry", FERRY)
    client = client_for(web_settings, store)
    assert client.get("/stories/9999").status_code == 404
    missing = client.get(f"/stories/{held.story_id}")
    assert missing.status_code == 404 and "no published page" in missing.text
    store.merge_stories(held.story_id, ferry.story_id)
    moved = client.get(f"/stories/{held.story_id}", follow_redirects=False)
    assert moved.status_code == 301
    assert moved.headers["location"] == f"/stories/{ferry.story_id}"


def test_sources_and_source_page(web_settings: Settings, store: Store) -> None:
    source, _ = store.add_source(
        SourceKind.FEED, "https://ledger.example/feed.xml", title="Harbour Ledger feed"
    )
    ferry = add_story(store, "Ferry strike in Port Ansel", FERRY, source_id=source.id)
    store.record_source_failure(source.id, "HTTP 503", check_interval=60, max_interval=600)
    client = client_for(web_settings, store)
    listing = client.get("/sources")
    assert "Harbour Ledger feed" in listing.text and "failing (1 in a row)" in listing.text
    page = client.get(f"/sources/{source.id}")
    assert page.status_code == 200 and "HTTP 503" in page.text
    doc = parse(page.text)
    assert f"/stories/{ferry.story_id}" in [a.attrs["href"] for a in doc.find_all("a")]
    following = [a.attrs["href"] for a in doc.find_all("a", rel="next")]
    assert following  # page size 1: three reports, so more pages
    assert (
        "Kurier" in client.get(following[0]).text or "Bay Herald" in client.get(following[0]).text
    )
    assert client.get("/sources/424242").status_code == 404


@pytest.mark.parametrize("query", ["moorings", "MOORINGS ferries"])
def test_search_page_highlights_matches(
    fresh_store: Store, web_settings: Settings, query: str
) -> None:
    add_story(fresh_store, "Ferry strike in Port Ansel", FERRY)
    client = client_for(web_settings, fresh_store)
    page = client.get("/search", params={"q": query})
    assert page.status_code == 200 and page.headers["cache-control"] == "no-store"
    doc = parse(page.text)
    assert doc.find_all("label", for_="search-q")
    marks = [m.text.lower() for m in doc.find_all("mark")]
    assert "moorings" in marks
    titles = [a.text for a in doc.find_all("a", rel="noopener noreferrer nofollow")]
    assert "Port Ansel ferries halted as crews walk out" in titles
    empty = client.get("/search", params={"q": "zzzz"})
    assert "No story matches." in empty.text and "No report matches." in empty.text
    assert client.get("/search").status_code == 200


def test_about_page_explains_privacy(web_settings: Settings, store: Store) -> None:
    page = client_for(web_settings, store).get("/about")
    assert "No cookies" in page.text and "localStorage" in page.text
    assert "Page views are not counted." in page.text
    # the ranking formula is the one the store uses
    weight, half_life, reports = (
        f"{x:g}" for x in (BREADTH_WEIGHT, HALF_LIFE_DAYS, REPORTS_WEIGHT)
    )
    formula = (
        f"{weight} × ln(1 + independent outlets) + {reports} × ln(1 + independent reports)"
        f" − ln 2 × age in days ÷ {half_life}"
    )
    assert formula in page.text


def test_page_structure_is_accessible(web_settings: Settings, store: Store) -> None:
    version = add_story(store, "Ferry strike in Port Ansel", FERRY)
    client = client_for(web_settings, store)
    for path in ["/", f"/stories/{version.story_id}", "/sources", "/search?q=ferry", "/about"]:
        doc = parse(client.get(path).text)
        assert doc.find_all("html")[0].attrs["lang"] == "en"
        for landmark in ("header", "nav", "main", "footer"):
            assert doc.find_all(landmark), (path, landmark)
        assert doc.find_all("a", class_="skip-link")[0].attrs["href"] == "#main"
        assert doc.by_id("main").tag == "main"
        assert len(doc.find_all("h1")) == 1, path
        levels = [int(e.tag[1]) for e in doc.elements if re.fullmatch(r"h[1-6]", e.tag)]
        assert levels[0] == 1 and all(b - a <= 1 for a, b in itertools.pairwise(levels)), path
        labelled = {e.attrs["for"] for e in doc.find_all("label")}
        for field in doc.find_all("input"):
            if field.attrs.get("type") != "hidden":
                assert field.attrs.get("id") in labelled, (path, field.attrs)


def test_static_files_are_versioned_and_long_lived(web_settings: Settings, store: Store) -> None:
    client = client_for(web_settings, store)
    doc = parse(client.get("/about").text)
    (css,) = doc.find_all("link", rel="stylesheet")
    (js,) = [s for s in doc.find_all("script") if "src" in s.attrs]
    assert re.fullmatch(r"/static/site\.css\?v=[0-9a-f]{12}", css.attrs["href"])
    sheet = client.get(css.attrs["href"])
    assert sheet.headers["content-type"].startswith("text/css")
    assert "max-age=31536000" in sheet.headers["cache-control"]
    assert "prefers-color-scheme: dark" in sheet.text and ":focus-visible" in sheet.text
    script = client.get(js.attrs["src"])
    assert "navigator.share" in script.text and "localStorage" in script.text
    assert client.get("/static/nothing.css").status_code == 404
    (icon,) = doc.find_all("link", rel="icon")
    for href in (icon.attrs["href"], "/favicon.ico"):
        answer = client.get(href)
        assert answer.status_code == 200 and answer.headers["content-type"] == "image/svg+xml"


def test_analytics_off_records_nothing_and_shows_no_banner(
    web_settings: Settings, store: Store
) -> None:
    client = client_for(web_settings, store)
    assert "data-consent" not in client.get("/").text
    answer = client.post("/analytics/view", json={"path": "/", "consent": True})
    assert answer.status_code == 404
    assert store.page_view_counts() == {}


def test_analytics_on_records_only_after_consent(web_settings: Settings, store: Store) -> None:
    settings = web_settings.replace(analytics=True)
    client = client_for(settings, store)
    home = client.get("/")
    doc = parse(home.text)
    assert len(doc.find_all("form", action="/analytics/consent")) == 1
    assert [b.attrs["value"] for b in doc.find_all("button", name="choice")] == ["accept", "reject"]
    assert "set-cookie" not in home.headers
    assert store.page_view_counts() == {}  # showing the page records nothing
    refused = client.post("/analytics/view", json={"path": "/", "consent": False})
    assert refused.status_code == 400
    assert client.post("/analytics/view", json={"path": "https://evil.example/"}).status_code == 400
    assert store.page_view_counts() == {}
    assert (
        client.post("/analytics/view", json={"path": "/about", "consent": True}).status_code == 204
    )
    rejected = client.post(
        "/analytics/consent", data={"choice": "reject", "path": "/"}, follow_redirects=False
    )
    assert rejected.status_code == 303 and rejected.headers["location"] == "/"
    assert store.page_view_counts() == {"/about": 1}
    accepted = client.post(
        "/analytics/consent", data={"choice": "accept", "path": "/sources"}, follow_redirects=False
    )
    assert accepted.status_code == 303 and accepted.headers["location"] == "/sources"
    assert store.page_view_counts() == {"/about": 1, "/sources": 1}
    offsite = client.post(
        "/analytics/consent",
        data={"choice": "reject", "path": "//evil.example"},
        follow_redirects=False,
    )
    assert offsite.headers["location"] == "/"


def test_mastodon_share_links_to_the_readers_server(web_settings: Settings, store: Store) -> None:
    client = client_for(web_settings, store)
    page = client.get(
        "/share/mastodon",
        params={
            "instance": "https://Social.Example.org/",
            "url": "http://127.0.0.1:8000/stories/1",
            "text": "Ferry strike",
        },
    )
    assert page.status_code == 200
    (link,) = [a for a in parse(page.text).find_all("a", class_="button")]
    assert link.attrs["href"] == (
        "https://social.example.org/share?text=Ferry%20strike%20http%3A//127.0.0.1%3A8000/stories/1"
    )
    for bad in ["", "javascript:alert(1)", "localhost", "a b.example", "<x>.example"]:
        answer = client.get("/share/mastodon", params={"instance": bad, "url": "http://x.org/"})
        assert answer.status_code == 400, bad
    no_url = client.get("/share/mastodon", params={"instance": "social.example", "url": "ftp://x"})
    assert no_url.status_code == 400


def test_serve_command_is_registered() -> None:
    result = CliRunner().invoke(cli_app, ["serve", "--help"])
    assert result.exit_code == 0
    for option in ("--host", "--port", "--workers"):
        assert option in result.output
    demo = CliRunner().invoke(cli_app, ["demo", "--help"])
    assert "--no-serve" in demo.output


def _luminance(color: str) -> float:
    channels = [int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_colours_meet_wcag_aa_in_light_and_dark(web_settings: Settings, store: Store) -> None:
    client = client_for(web_settings, store)
    css = client.get(
        parse(client.get("/about").text).find_all("link", rel="stylesheet")[0].attrs["href"]
    ).text
    blocks = re.findall(r"\{([^{}]*--bg:[^{}]*)\}", css)
    assert len(blocks) == 3  # light, dark by preference, dark by the toggle
    pairs = [
        ("fg", "bg"),
        ("muted", "bg"),
        ("muted", "panel"),
        ("link", "bg"),
        ("link", "panel"),
        ("visited", "bg"),
        ("visited", "panel"),
        ("fg", "panel"),
        ("mark-fg", "mark-bg"),
        ("held", "bg"),
        ("add-fg", "add"),
        ("del-fg", "del"),
    ]
    for block in blocks:
        colours = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", block))
        for text, background in pairs:
            ratio = _contrast(colours[text], colours[background])
            assert ratio >= 4.5, (text, background, round(ratio, 2))
        assert _contrast(colours["focus"], colours["bg"]) >= 3  # focus ring: non-text contrast
