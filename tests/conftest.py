"""Shared fixtures: real servers on 127.0.0.1, fresh stores, settings, shared data."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from primenews.config import Settings
from tests.localserver import LocalServer

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("PRIMENEWS_SHARED_DATA", REPO.parent / "shared" / "data"))
TEST_DATA = Path(__file__).resolve().parent / "data"


def shared_path(relative: str) -> Path:
    """A path under ../shared/data: fails loudly in CI when missing, skips elsewhere."""
    path = SHARED_DATA / relative
    if not path.exists():
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"shared data {path} is missing; CI must have ../shared beside the repo")
        pytest.skip(f"shared data {path} not present")
    return path


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for tests: a fresh SQLite file, loopback allowed, no politeness delays."""
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'primenews.db'}",
        allow_private_networks=True,
        per_host_delay=0.0,
        retry_backoff=0.01,
        max_retry_after=0.2,
        fetch_timeout=5.0,
        connect_timeout=2.0,
    )


@pytest.fixture
def http_server() -> Iterator[LocalServer]:
    server = LocalServer().start()
    try:
        yield server
    finally:
        server.stop()
