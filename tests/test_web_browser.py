"""The website in a real browser: Debian's chromium, headless, driven by Playwright.

The app runs under a real uvicorn server on 127.0.0.1 (a thread) over a store filled by the
real pipeline: the fictional newsroom of ``tests/web_newsroom.py`` (reports saved, grouped
into stories, pages written by the extractive synthesizer), plus one story whose reports a
hostile source filled with markup (``HOSTILE``, below) before its page was written.

Every page a test opens is watched (:class:`Watch`): each request must go to 127.0.0.1, the
console must stay free of errors, and no dialog may open; the fixture checks this again when
the test ends. Without ``/usr/bin/chromium`` the tests skip, except under ``CI=true``, where
they fail.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn

from primenews.models import ExtractedArticle, utcnow
from primenews.pipeline.pages import write_story_pages
from primenews.store import ArticleRecord, Store, open_store
from primenews.synthesize.extractive import ExtractiveSynthesizer
from primenews.web import create_app
from tests.web_newsroom import Newsroom, build_newsroom, newsroom_settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
LIGHT_BG = "rgb(255, 255, 255)"
DARK_BG = "rgb(18, 18, 18)"

# A hostile source's two reports on one fictional event (written for this test).
HOSTILE_TITLE = "Ferry <img src=x onerror=\"alert('title')\"> halted at <i>Grell</i> pier"
HOSTILE: list[tuple[str, str, str]] = [
    (
        "Grell Observer",
        HOSTILE_TITLE,
        "The Grell pier ferry was halted on Tuesday after a crack was found in its hull "
        "<script>alert('text')</script>, the harbour office said.\n\n"
        'Harbour master Olin Vesk said <svg onload="alert(1)">repairs</svg> would take nine '
        'days. <iframe src="javascript:alert(2)"></iframe> Passengers were offered '
        '<a href="javascript:alert(3)" onclick="alert(4)">places</a> on the coast bus.',
    ),
    (
        "Coastline Bulletin",
        'Grell ferry out of service for nine days "><script>alert(5)</script>',
        "The Grell pier ferry was taken out of service on Tuesday after a crack was found in "
        "its hull, the harbour office said.\n\n"
        "Harbour master Olin Vesk said repairs would take nine days. Passengers were offered "
        "places on the coast bus <body onload=alert(6)>.",
    ),
]


def _chromium_or_skip() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (apt-get install chromium)"
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason}; CI must install it (.ci/run does)")
    pytest.skip(reason)


@dataclass
class Site:
    """The served newsroom: its base URL, its store and the ids the tests open."""

    base: str
    store: Store
    room: Newsroom
    hostile_story: int

    def url(self, path: str) -> str:
        return self.base + path


def _plant_hostile_story(store: Store, room: Newsroom) -> int:
    """A story from :data:`HOSTILE` reports, saved before its page is written."""
    story_id = store.create_story("ferry")
    now = utcnow().replace(microsecond=0)
    for n, (outlet, title, text) in enumerate(HOSTILE):
        slug = outlet.lower().replace(" ", "")
        article = ExtractedArticle(
            url=f"https://{slug}.example/ferry/{n}",
            title=title,
            text=text,
            outlet=outlet,
            site_name=outlet,
            language="en",
            published_at=now - timedelta(hours=3 - n),
        )
        record = ArticleRecord(article, article.url, f"{slug}-ferry-{n}", source_id=room.source)
        store.assign_article(store.save_article(record).article_id, story_id)
    return story_id


def _serve(app: Any) -> tuple[uvicorn.Server, threading.Thread, socket.socket]:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.02)
    return server, thread, sock


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    _chromium_or_skip()
    settings = newsroom_settings(tmp_path_factory.mktemp("browser") / "site.db")
    store = open_store(settings.database_url)
    room = build_newsroom(store, settings)
    hostile = _plant_hostile_story(store, room)
    report = write_story_pages(store, settings, ExtractiveSynthesizer(), story_id=hostile)
    assert report.published == 1, report
    server, thread, sock = _serve(create_app(settings, store=store))
    try:
        yield Site(f"http://127.0.0.1:{sock.getsockname()[1]}", store, room, hostile)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        store.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    _chromium_or_skip()
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@dataclass
class Watch:
    """One browser context's page and everything it did that a test must see."""

    page: Any
    requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)  # responses >= 400, named in failures

    def check(self) -> None:
        """Every request stayed on 127.0.0.1; no console error; no dialog opened."""
        away = [u for u in self.requests if urlsplit(u).hostname != "127.0.0.1"]
        assert away == [], f"requests left 127.0.0.1: {away}"
        assert self.console_errors == [], f"console errors {self.console_errors}; {self.failed}"
        assert self.dialogs == [], f"a dialog fired: {self.dialogs}"


def _watch(context: Any) -> Watch:
    page = context.new_page()
    watch = Watch(page)
    page.on("request", lambda request: watch.requests.append(request.url))
    page.on(
        "console",
        lambda message: (
            watch.console_errors.append(f"{message.text} ({message.location['url']})")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: watch.console_errors.append(f"uncaught: {error}"))
    page.on(
        "response",
        lambda response: (
            watch.failed.append(f"{response.status} {response.url}")
            if response.status >= 400
            else None
        ),
    )

    def on_dialog(dialog: Any) -> None:
        watch.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return watch


@pytest.fixture
def tab(browser: Any) -> Iterator[Watch]:
    """A fresh desktop context (JavaScript on, light scheme), watched."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="light")
    watch = _watch(context)
    try:
        yield watch
        watch.check()
    finally:
        context.close()


def _open(watch: Watch, url: str) -> Any:
    response = watch.page.goto(url)
    assert response is not None and response.status == 200, url
    return response


def _background(watch: Watch) -> str:
    value: str = watch.page.evaluate("getComputedStyle(document.body).backgroundColor")
    return value


# --- reading ---------------------------------------------------------------------------------


def test_home_lists_the_stories_and_links_to_them(site: Site, tab: Watch) -> None:
    _open(tab, site.url("/"))
    page = tab.page
    assert page.locator("h1").inner_text() == "Top stories"
    cards = page.locator("ol.stories > li.story-card")
    assert cards.count() >= 5
    assert "outlet" in cards.first.locator(".meta").inner_text()
    cards.first.locator("h2 a").click()
    page.wait_for_load_state()
    assert re.search(r"/stories/\d+$", page.url)
    assert page.locator("article.story h1").is_visible()


def test_story_page_shows_its_sections_coverage_and_history(site: Site, tab: Watch) -> None:
    tram = site.room.stories["tram"]
    version = site.store.latest_story_version(tram, published_only=True)
    assert version is not None and version.version == 2
    _open(tab, site.url(f"/stories/{tram}"))
    page = tab.page
    assert page.locator("article.story h1").inner_text() == version.page.headline
    assert page.locator("p.summary .sentence").inner_text() == version.page.summary.text
    assert page.locator("#coverage-title").is_visible()
    assert page.locator("ol.versions > li").count() == 2
    # the reprint is folded under its original; opening the fold shows it
    fold = page.locator("details.copies").first
    assert not fold.locator("ol").is_visible()
    fold.locator("summary").click()
    assert "Wire Service" in fold.locator("ol").inner_text()


def test_a_citation_marker_leads_to_the_quoted_sentence_and_the_report(
    site: Site, tab: Watch
) -> None:
    story_id = site.room.stories["choir"]
    version = site.store.latest_story_version(story_id, published_only=True)
    assert version is not None
    citation = version.page.summary.citations[0]
    [article] = site.store.get_articles([citation.article_id])
    _open(tab, site.url(f"/stories/{story_id}"))
    page = tab.page
    marker = page.locator("p.summary a.cite").first
    target = marker.get_attribute("href")
    assert target is not None and re.fullmatch(r"#src-\d+", target)
    marker.focus()
    page.keyboard.press("Enter")  # followed with the keyboard, as a reader without a mouse
    # the jump to the fragment lands a moment after the key press on a busy machine
    page.wait_for_function("target => location.hash === target", arg=target)
    assert page.url.endswith(target)
    entry = page.locator(f"li{target}")
    assert entry.is_visible()
    assert entry.evaluate("e => e.matches(':target')")
    cited = entry.locator(".cited-text", has_text=citation.text.strip()).first
    assert cited.is_visible()
    assert entry.locator("a[rel~=noopener]").first.get_attribute("href") == article.url
    assert article.outlet is not None and article.outlet in entry.locator("strong").inner_text()


def test_search_marks_the_words_found(site: Site, tab: Watch) -> None:
    _open(tab, site.url("/"))
    page = tab.page
    page.locator("#site-search").fill("spillway")
    page.locator("#site-search").press("Enter")
    page.wait_for_url(re.compile(r"/search\?q=spillway$"))
    marks = page.locator("ol.hits mark")
    assert marks.count() >= 2
    assert {m.lower() for m in marks.all_inner_texts()} == {"spillway"}
    assert page.locator("#story-hits").inner_text().startswith("Stories (")
    assert page.locator("ol.hits a[href^='/stories/']").count() >= 1


# --- look, keyboard, privacy -----------------------------------------------------------------


_LIST_MARKERS = """() => Array.from(document.querySelectorAll('ol.sources li.source')).map(li => ({
  id: li.id,
  style: getComputedStyle(li).listStyleType,
  display: getComputedStyle(li).display,
  first: li.innerText.trim().split(/\\s+/)[0],
}))"""


def test_each_source_carries_one_number_only(site: Site, tab: Watch) -> None:
    """The review saw "1. [1] Outlet": the list's own numbers beside the [n] markers use."""
    _open(tab, site.url(f"/stories/{site.room.stories['tram']}"))
    tab.page.locator("details.copies summary").first.click()  # copies are numbered too
    entries = tab.page.evaluate(_LIST_MARKERS)
    assert len(entries) >= 4
    for entry in entries:
        number = entry["id"].removeprefix("src-")
        shows_marker = entry["display"] == "list-item" and entry["style"] != "none"
        assert not shows_marker, entry
        assert entry["first"] == f"[{number}]", entry
    # the timeline names its reports by outlet and time: no list numbers to mistake for [n]
    styles = tab.page.evaluate(
        "Array.from(document.querySelectorAll('ol.timeline li'), li => getComputedStyle(li)"
        ".listStyleType)"
    )
    assert styles and set(styles) == {"none"}


PHONE = {"width": 390, "height": 844}
_FOCUSED = "(e => e.className || e.id || e.textContent)(document.activeElement)"


def _box(page: Any, selector: str) -> dict[str, float]:
    box: dict[str, float] | None = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_the_header_is_compact_and_usable_on_a_phone(site: Site, browser: Any) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=2, is_mobile=True)
    try:
        watch = _watch(context)
        page = watch.page
        _open(watch, site.url(f"/stories/{site.room.stories['tram']}"))
        header = _box(page, ".site-header")
        # it took about 180 px (a fifth of the screen) before: brand, nav, search, toggle stacked
        assert header["height"] <= 0.14 * PHONE["height"], header
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        brand, search, toggle = (_box(page, s) for s in (".brand", "#site-search", ".theme-toggle"))
        assert abs(brand["y"] + brand["height"] / 2 - (toggle["y"] + toggle["height"] / 2)) < 8
        assert search["width"] >= 80  # still a usable field
        assert 24 <= toggle["width"] <= 48 and 24 <= toggle["height"] <= 48  # an icon button
        assert toggle["x"] + toggle["width"] <= PHONE["width"]
        button = page.locator("[data-theme-toggle]")
        assert button.get_attribute("aria-label") == "Dark theme"
        assert page.get_by_role("button", name="Dark theme").count() == 1
        assert page.locator("nav[aria-label=Site] a").first.is_visible()
        # keyboard order is the reading order: skip link, brand, links, search, theme
        order = []
        for _ in range(8):
            page.keyboard.press("Tab")
            order.append(page.evaluate(_FOCUSED))
        assert order[:2] == ["skip-link", "brand"]
        assert order.index("site-search") < order.index("theme-toggle")
        button.click()
        assert _background(watch) == DARK_BG and button.get_attribute("aria-pressed") == "true"
        watch.check()
    finally:
        context.close()


def test_the_coverage_panel_fills_the_right_column_on_wide_screens(site: Site, tab: Watch) -> None:
    story = site.url(f"/stories/{site.room.stories['tram']}")
    _open(tab, story)
    article, coverage = _box(tab.page, "article.story"), _box(tab.page, "section.coverage")
    assert coverage["x"] >= article["x"] + article["width"]  # beside the story, not below
    assert coverage["y"] < article["y"] + 100  # level with the top of the story
    assert coverage["x"] + coverage["width"] <= 1280
    assert tab.page.locator("section.coverage .timeline li").count() >= 3
    tab.page.set_viewport_size(PHONE)  # a narrow screen: one column, coverage below
    article, coverage = _box(tab.page, "article.story"), _box(tab.page, "section.coverage")
    assert coverage["y"] >= article["y"] + article["height"]
    assert abs(coverage["x"] - article["x"]) < 2
    assert tab.page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_the_theme_toggle_switches_to_dark_and_back(site: Site, tab: Watch) -> None:
    _open(tab, site.url(f"/stories/{site.room.stories['tram']}"))
    page = tab.page
    assert _background(tab) == LIGHT_BG
    toggle = page.locator("[data-theme-toggle]")
    assert toggle.is_visible() and toggle.get_attribute("aria-pressed") == "false"
    toggle.click()
    assert _background(tab) == DARK_BG
    assert toggle.get_attribute("aria-pressed") == "true"
    page.reload()  # the choice is remembered (localStorage, never a cookie)
    assert _background(tab) == DARK_BG
    assert page.context.cookies() == []
    page.locator("[data-theme-toggle]").click()
    assert _background(tab) == LIGHT_BG


def test_a_dark_system_preference_gives_the_dark_theme(site: Site, browser: Any) -> None:
    context = browser.new_context(color_scheme="dark")
    try:
        watch = _watch(context)
        _open(watch, site.url("/"))
        assert _background(watch) == DARK_BG
        link = watch.page.evaluate("getComputedStyle(document.querySelector('main a')).color")
        assert link != "rgb(10, 79, 184)"  # the light theme's link blue would be too dark
        watch.page.locator("[data-theme-toggle]").click()
        assert _background(watch) == LIGHT_BG
        watch.check()
    finally:
        context.close()


def test_tab_reaches_the_skip_link_first_and_it_moves_focus_to_main(site: Site, tab: Watch) -> None:
    _open(tab, site.url(f"/stories/{site.room.stories['market']}"))
    page = tab.page
    page.keyboard.press("Tab")
    focused = page.evaluate(
        "({cls: document.activeElement.className, text: document.activeElement.textContent})"
    )
    assert focused == {"cls": "skip-link", "text": "Skip to content"}
    box = page.locator(".skip-link").bounding_box()
    assert box is not None and box["y"] >= 0  # shown on screen while focused
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")  # the next stop is inside main, not back in the header
    assert page.evaluate("document.getElementById('main').contains(document.activeElement)")


def test_the_site_has_an_icon(site: Site, tab: Watch) -> None:
    """Browsers ask for an icon on their first visit; a 404 there is a console error."""
    _open(tab, site.url("/"))
    declared = tab.page.locator("link[rel~=icon]")
    href = declared.first.get_attribute("href") if declared.count() else "/favicon.ico"
    assert href is not None
    if href.startswith("data:"):  # an inline icon: no request, nothing to fail
        assert tab.page.evaluate("document.querySelector('link[rel~=icon]').href") == href
        return
    response = tab.page.request.get(site.url(href))
    assert response.status == 200, f"{href}: {response.status}"
    assert response.headers["content-type"].startswith("image/")


def test_every_page_stays_on_127_0_0_1_without_console_errors_or_cookies(
    site: Site, tab: Watch
) -> None:
    tram = site.room.stories["tram"]
    paths = [
        "/",
        f"/stories/{tram}",
        f"/stories/{tram}/versions/1",
        f"/stories/{tram}/diff/1/2",
        f"/sources/{site.room.source}",
        "/sources",
        "/search?q=tram",
        "/about",
    ]
    for path in paths:
        _open(tab, site.url(path))
        tab.page.wait_for_load_state("networkidle")
    assert len(tab.requests) >= len(paths)
    loaded = {urlsplit(u).path for u in tab.requests}
    assert {"/static/site.css", "/static/site.js"} <= {re.sub(r"\?.*", "", p) for p in loaded}
    assert tab.page.context.cookies() == []
    tab.check()


def test_the_site_works_with_javascript_off(site: Site, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        watch = _watch(context)
        page = watch.page
        _open(watch, site.url("/"))
        assert page.locator("ol.stories > li").count() >= 5
        assert not page.locator("[data-theme-toggle]").is_visible()  # needs the script
        page.locator("ol.stories h2 a").first.click()
        page.wait_for_load_state()
        assert page.locator("article.story h1").is_visible()
        assert page.locator("ol.sources > li").count() >= 2
        assert page.locator("[data-share] a[href^='mailto:']").is_visible()
        page.locator("#site-search").fill("choir")
        page.locator(".search-form button[type=submit]").click()
        page.wait_for_url(re.compile(r"/search\?q=choir$"))
        assert page.locator("ol.hits mark").count() >= 1
        watch.check()
    finally:
        context.close()


# --- hostile content -------------------------------------------------------------------------

_INJECTED = """() => {
  const found = [];
  for (const el of document.querySelectorAll('*')) {
    for (const attr of el.attributes) {
      if (attr.name.toLowerCase().startsWith('on')) found.push(el.tagName + '[' + attr.name + ']');
    }
  }
  for (const el of document.querySelectorAll('[href], [src], [action], [formaction]')) {
    for (const name of ['href', 'src', 'action', 'formaction']) {
      const link = el.getAttribute(name) || '';
      if (/^\\s*(javascript|vbscript|data:text)/i.test(link)) found.push(el.tagName + ' ' + link);
    }
  }
  for (const el of document.querySelectorAll('main :is(iframe, img, svg, embed, object)')) {
    found.push(el.tagName);
  }
  for (const el of document.querySelectorAll('script')) {
    const src = el.getAttribute('src') || '';
    const kind = el.getAttribute('type') || '';
    if (!src.startsWith('/static/') && kind !== 'application/ld+json') found.push('script');
  }
  for (const el of document.querySelectorAll('main b, main i')) found.push(el.tagName);
  return found;
}"""


def test_hostile_markup_from_sources_is_inert(site: Site, tab: Watch) -> None:
    dam = site.room.stories["dam"]
    pages = [
        f"/stories/{site.hostile_story}",
        f"/stories/{dam}",
        "/",
        "/search?q=ferry",
        "/search?q=dam",
        f"/sources/{site.room.source}",
    ]
    for path in pages:
        response = _open(tab, site.url(path))
        csp = response.headers.get("content-security-policy", "")
        assert "default-src 'self'" in csp and "unsafe-inline" not in csp, path
        tab.page.wait_for_load_state("networkidle")
        tab.page.mouse.move(300, 300)  # hover handlers would fire now, were there any
        assert tab.page.evaluate(_INJECTED) == [], path
    # the markup is shown as text: the hostile title is readable, not executed
    _open(tab, site.url(f"/stories/{site.hostile_story}"))
    sources = tab.page.locator("ol.sources").inner_text()
    assert "<img src=x onerror=" in sources or "<script>alert(5)</script>" in sources
    assert tab.dialogs == []
