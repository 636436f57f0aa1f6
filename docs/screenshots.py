"""Screenshots of the website for the docs, taken in Debian's chromium (headless, Playwright).

The site shows the fictional sample newswire: ``primenews demo --no-serve`` writes its story
pages into a temp SQLite store (about a minute: it ingests over HTTP, embeds and clusters),
or ``--db PATH`` reuses a store such a run left. The app is served by uvicorn on a free
127.0.0.1 port; the story shown is the first on the home page (the widest coverage).

Writes, under ``docs/screenshots/`` (or ``--out``):
  home-desktop.png                                  1280x900, light
  story-desktop-light.png, story-desktop-dark.png   1280x900
  story-phone-light.png, story-phone-dark.png       390x844 (a phone; device scale 2)

Usage: python docs/screenshots.py [--db PATH] [--out DIR]
Run it by hand when the look of the site changes; the test suite never rewrites these files.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def build_demo_store(path: Path) -> None:
    """The sample newswire's stories in the SQLite file ``path``, by ``primenews demo``."""
    env = {**os.environ, "PRIMENEWS_DATABASE_URL": f"sqlite:///{path}"}
    command = [str(Path(sys.executable).with_name("primenews")), "demo", "--no-serve"]
    subprocess.run(
        [*command, "--port", str(_free_port())],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def serve(database: Path) -> tuple[str, uvicorn.Server, threading.Thread]:
    """The site over ``database`` on a free 127.0.0.1 port, in a thread; its base URL."""
    from primenews.config import Settings
    from primenews.web import create_app

    settings = Settings(database_url=f"sqlite:///{database}")
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(create_app(settings), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread


def _shot(browser: Browser, url: str, out: Path, **context: Any) -> Path:
    ctx = browser.new_context(**context)
    try:
        page = ctx.new_page()
        page.goto(url)
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(out))
    finally:
        ctx.close()
    return out


def take(base: str, out: Path) -> list[Path]:
    """The five screenshots of the site at ``base`` into ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            probe = browser.new_page()
            probe.goto(base + "/")
            story = probe.locator("ol.stories h2 a").first.get_attribute("href")
            probe.close()
            if not story:
                raise RuntimeError("the home page lists no story")
            phone = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True}
            shots = [_shot(browser, base + "/", out / "home-desktop.png", viewport=DESKTOP)]
            for scheme in ("light", "dark"):
                shots.append(
                    _shot(
                        browser,
                        base + story,
                        out / f"story-desktop-{scheme}.png",
                        viewport=DESKTOP,
                        color_scheme=scheme,
                    )
                )
                shots.append(
                    _shot(
                        browser,
                        base + story,
                        out / f"story-phone-{scheme}.png",
                        color_scheme=scheme,
                        **phone,
                    )
                )
        finally:
            browser.close()
    return shots


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", type=Path, help="a store written by `primenews demo`")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: apt-get install chromium", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="primenews-shots-") as tmp:
        database = args.db
        if database is None:
            database = Path(tmp) / "demo.db"
            print("writing the sample newswire's pages (primenews demo --no-serve)...")
            build_demo_store(database)
        base, server, thread = serve(database)
        try:
            for path in take(base, args.out):
                print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
