"""``primenews synthesize`` and the page views of ``primenews stories``, through Typer's runner."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from typer.testing import CliRunner

from primenews.cli import app
from primenews.config import Settings
from primenews.store import Store, open_store
from primenews.synthesize.registry import load_synthesizer
from tests.test_pipeline_pages import FERRY, _newsroom, _save


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray primenews.toml is read
    return {
        "PRIMENEWS_DATABASE_URL": f"sqlite:///{tmp_path / 'pages.db'}",
        "PRIMENEWS_PAGE_DEBOUNCE_MINUTES": "0",
    }


def run(env: dict[str, str], *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args), env=env)
    return result.exit_code, result.output


def _store(env: dict[str, str]) -> Store:
    return open_store(env["PRIMENEWS_DATABASE_URL"])


def test_synthesize_then_show_the_page_in_every_format(env: dict[str, str], tmp_path: Path) -> None:
    with _store(env) as store:
        ids = _newsroom(store)
    story = str(ids["ferry_story"])
    code, out = run(env, "synthesize")
    assert code == 0, out
    assert "story pages: 1 written" in out and "backend extractive" in out
    code, out = run(env, "synthesize")
    assert code == 0 and "story pages: 0 written" in out  # nothing new: nothing written
    code, out = run(env, "stories", "show", story, "--format", "md")
    assert code == 0, out
    assert out.startswith("# ") and "## Sources" in out
    assert "1. The Ledger — Ferry crews in Port Ansel strike over night shifts" in out
    code, out = run(env, "stories", "show", story, "--format", "json")
    data = json.loads(out[out.index("{") :])
    assert code == 0 and data["version"] == 1 and data["sentences"][0]["target"] == "summary"
    assert all(s["citations"] for s in data["sentences"])
    assert isinstance(data["verdicts"], list)
    page = tmp_path / "page.md"
    assert run(env, "stories", "show", story, "--format", "md", "-o", str(page))[0] == 0
    code, out = run(env, "check", str(page))  # the gate reads the written page back clean
    assert code == 0 and "clean" in out, out
    html = tmp_path / "page.html"
    code, out = run(env, "stories", "show", story, "--format", "html", "-o", str(html))
    assert code == 0 and html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    code, out = run(env, "stories", "show", story)
    assert code == 0 and "page: version 1" in out and "Bay Herald" in out
    code, out = run(env, "stories", "list")
    assert code == 0 and "v1" in out
    code, out = run(env, "stories", "show", story, "--format", "pdf")
    assert code == 2 and "unknown format" in out


def test_versions_and_diff_after_a_new_report(env: dict[str, str]) -> None:
    with _store(env) as store:
        ids = _newsroom(store)
    story = str(ids["ferry_story"])
    code, out = run(env, "stories", "diff", story)
    assert code == 1 and "no page yet" in out
    assert run(env, "synthesize", "--story", story)[0] == 0
    code, out = run(env, "stories", "diff", story)
    assert code == 1 and "one page version only" in out
    with _store(env) as store:
        courier = _save(store, "courier", *FERRY["courier"], hour=26)
        store.assign_article(courier, ids["ferry_story"])
    code, out = run(env, "synthesize", "--story", story)
    assert code == 0 and "story pages: 1 written" in out
    code, out = run(env, "stories", "versions", story)
    assert code == 0 and "2 page version(s)" in out and "Island Courier" in out
    code, out = run(env, "stories", "diff", story)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith(f"story {story}: version 1 (") and "1 new report(s)" in lines[0]
    assert f"--- story {story} version 1" in lines and any(x.startswith("+") for x in lines[3:])
    code, out = run(env, "stories", "diff", story, "--from", "1", "--to", "7")
    assert code == 1 and "no page version 7" in out
    code, out = run(env, "stories", "show", story, "--format", "md", "--version", "1")
    assert code == 0 and "Island Courier" not in out


def test_synthesize_a_story_without_enough_reports_or_unknown(env: dict[str, str]) -> None:
    with _store(env) as store:
        ids = _newsroom(store)
    code, out = run(env, "synthesize", "--story", str(ids["orchard_story"]))
    assert code == 0 and "fewer than 2 independent reports" in out
    code, out = run(env, "stories", "show", str(ids["orchard_story"]), "--format", "md")
    assert code == 1 and "has no page yet" in out
    code, out = run(env, "synthesize", "--story", "999")
    assert code == 1 and "no story with id 999" in out


def test_after_lowering_page_min_reports_all_reads_every_story(env: dict[str, str]) -> None:
    with _store(env) as store:
        ids = _newsroom(store)
    code, out = run(env, "synthesize")
    assert code == 0 and "story pages: 1 written" in out  # the one-report story is judged
    lowered = {**env, "PRIMENEWS_PAGE_MIN_REPORTS": "1"}
    code, out = run(lowered, "synthesize")
    assert code == 0 and "story pages: 0 written" in out  # nothing changed: nothing read
    code, out = run(lowered, "synthesize", "--all")
    assert code == 0 and "story pages: 1 written" in out, out  # the one-report story now
    with _store(env) as store:
        assert store.latest_story_version(ids["orchard_story"]) is not None
        assert len(store.story_versions(ids["ferry_story"])) == 1  # unchanged: not rewritten


def test_an_unusable_backend_is_a_clear_configuration_error(env: dict[str, str]) -> None:
    code, out = run({**env, "PRIMENEWS_SYNTHESIZER": "llm"}, "synthesize")
    assert code == 2 and "llm_url" in out


def test_demo_writes_and_prints_published_pages(env: dict[str, str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = str(sock.getsockname()[1])
    demo_env = {**env, "PRIMENEWS_EMBEDDING_MODEL": "hashing"}
    code, out = run(demo_env, "demo", "--port", port, "--no-serve")
    assert code == 0, out
    assert "story pages:" in out and "published story pages:" in out
    with _store(env) as store:
        stories = [s.id for s in store.list_stories(limit=1000)]
        states = store.page_states(stories)
    published = [sid for sid, (_, ok) in states.items() if ok]
    assert published, out
    for sid in published[:3]:
        with _store(env) as store:
            version = store.latest_story_version(sid, published_only=True)
        assert version is not None and version.page.headline in out
    code, out = run(demo_env, "demo", "--port", port, "--no-serve")
    assert code == 0 and "story pages: 0 written" in out  # re-running writes nothing


def test_load_synthesizer_names_the_configured_backend() -> None:
    assert load_synthesizer(Settings()).name == "extractive"
    llm = Settings(synthesizer="llm", llm_url="http://127.0.0.1:9/v1", llm_model="tiny")
    assert load_synthesizer(llm).name == "llm:tiny"
