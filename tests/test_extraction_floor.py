"""The extraction F1 on the ScrapingHub pages may not fall under the pinned floor."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from tests.conftest import REPO, shared_path


def _bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "bench_extraction", REPO / "bench" / "extraction.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_scrapinghub_f1_is_at_least_the_pinned_floor() -> None:
    data = shared_path("extraction-scrapinghub")
    floors = json.loads((REPO / "bench" / "floors.json").read_text(encoding="utf-8"))
    floor = floors["extraction"]["scrapinghub_f1"]
    bench = _bench()
    f1 = bench.score_scrapinghub(data / "html", data / "ground-truth.json")
    assert f1 >= floor, f"extraction F1 {f1:.4f} fell under the pinned floor {floor}"


def test_the_metric_matches_the_benchmark_on_known_cases() -> None:
    bench = _bench()
    match = bench.shingle_match
    scores = bench.shingle_scores
    same = "one two three four five six"
    assert match(same, same) == (1.0, 0.0, 0.0)
    assert match(same, "") == (0.0, 0.0, 1.0)
    assert scores([match(same, same), match(same, "")])["recall"] == 0.5
    assert Path(REPO / "bench" / "floors.json").exists()
