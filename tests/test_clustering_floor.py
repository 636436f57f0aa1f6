"""Clustering quality may only go up: B-cubed F1 on ECB+ dev with the hashing embedder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from primenews.cluster import cluster_articles, score_bcubed
from primenews.config import Settings
from primenews.embed.hashing import HashingEmbedder
from primenews.models import SourceKind
from primenews.pipeline import ingest
from primenews.store import open_store
from tests.conftest import shared_path

FLOORS = Path(__file__).resolve().parent.parent / "bench" / "floors.json"


@pytest.mark.shared
def test_ecbplus_dev_bcubed_f1_stays_above_its_floor(tmp_path: Path) -> None:
    path = shared_path("news-events/ecbplus-dev.jsonl")
    floor = json.loads(FLOORS.read_text())["clustering"]["ecbplus_dev_hashing_f1"]
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'floor.db'}")
    with open_store(settings.database_url) as store:
        source, _ = store.add_source(SourceKind.JSONL, str(path), enabled=False)
        ingest(settings, store, [source])
        gold = {a.id: str(a.extra["event_id"]) for a in store.iter_articles()}
        cluster_articles(store, settings, embedder=HashingEmbedder())
        score = score_bcubed(store.story_assignments(), gold)
    assert score.items == 772
    assert score.f1 >= floor, f"B-cubed F1 {score.f1:.4f} fell below the floor {floor}"
