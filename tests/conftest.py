"""Shared fixtures: real servers on 127.0.0.1, fresh stores, settings, shared data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from primenews.config import Settings
from primenews.store import Store, open_store
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


def _postgres_url() -> str | None:
    url = os.environ.get("PRIMENEWS_TEST_POSTGRES_URL")
    if url:
        return url
    if os.environ.get("CI", "").lower() == "true":
        return "postgresql://postgres@127.0.0.1:5432/test"
    return None


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a fresh schema, dropped afterwards.

    Runs when PRIMENEWS_TEST_POSTGRES_URL is set, and always under CI=true (where a missing
    server is a failure, not a skip).
    """
    base = _postgres_url()
    if base is None:
        pytest.skip("set PRIMENEWS_TEST_POSTGRES_URL to run the PostgreSQL tests")
    psycopg = pytest.importorskip("psycopg")
    schema = f"t_{uuid.uuid4().hex[:16]}"
    try:
        admin = psycopg.connect(base, autocommit=True)
    except psycopg.Error as exc:
        pytest.fail(f"PostgreSQL at {base} is not reachable: {exc}")
    admin.execute(f"CREATE SCHEMA {schema}")
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        admin.execute(f"DROP SCHEMA {schema} CASCADE")
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The URL of a fresh, empty store: a new SQLite file, or a new PostgreSQL schema."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture
def fresh_store(store_url: str) -> Iterator[Store]:
    store = open_store(store_url)
    try:
        yield store
    finally:
        store.close()
