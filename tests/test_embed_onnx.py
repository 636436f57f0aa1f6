"""all-MiniLM-L6-v2 exported to ONNX from the packaged weights and run by onnxruntime."""

from __future__ import annotations

import importlib.util
import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from primenews.embed import Embedder
from primenews.embed.registry import load_embedder, ml_extra_installed
from primenews.errors import ConfigError

_NEEDED = ("onnxruntime", "onnxscript", "tokenizers")
pytestmark = pytest.mark.skipif(
    not ml_extra_installed() or any(importlib.util.find_spec(m) is None for m in _NEEDED),
    reason="the ml and onnx extras are not installed",
)

TEXTS = [
    "Magnitude 5.8 quake off Aldmark's Corvin Coast kills three, tsunami warning lifted.",
    "",
    "Kessler Motors and the union reached a tentative deal to end the Brenna strike. " * 40,
    "Un sismo de magnitud 5,8 deja tres muertos en Salt Harbour.",
    "   ",
    "Bank of Aldmark raises key rate to 4.75%",
]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from primenews.embed.onnx import export_minilm_onnx

    yield export_minilm_onnx(tmp_path_factory.mktemp("onnx") / "minilm")


def test_the_export_gives_the_fp32_models_vectors_under_its_name(exported: Path) -> None:
    from primenews.embed.minilm import MINILM_NAME, MiniLMEmbedder
    from primenews.embed.onnx import OnnxEmbedder

    onnx = OnnxEmbedder(exported, threads=1)
    assert isinstance(onnx, Embedder)
    assert onnx.name == MINILM_NAME and onnx.dim == 384  # one cache key: interchangeable
    mine = onnx.embed(TEXTS)
    theirs = MiniLMEmbedder(precision="fp32").embed(TEXTS)
    assert mine.dtype == np.float32 and mine.shape == (len(TEXTS), 384)
    assert not mine[1].any() and not mine[4].any()  # empty texts: zero rows
    live = [0, 2, 3, 5]
    assert np.allclose(np.linalg.norm(mine[live], axis=1), 1.0, atol=1e-5)
    assert np.min(np.sum(mine[live] * theirs[live], axis=1)) > 0.9999  # long text truncated alike
    alone = np.vstack([onnx.embed([text]) for text in TEXTS])  # batching changes nothing
    assert np.allclose(mine, alone, atol=1e-5)


def test_the_setting_names_the_exported_folder(exported: Path) -> None:
    from primenews.embed.onnx import OnnxEmbedder

    embedder = load_embedder(str(exported))
    assert isinstance(embedder, OnnxEmbedder)
    manifest = json.loads((exported / "primenews-onnx.json").read_text(encoding="utf-8"))
    assert manifest["source_sha256"] and manifest["max_seq_length"] == 256


def test_a_broken_folder_is_a_clear_config_error(exported: Path, tmp_path: Path) -> None:
    from primenews.embed.onnx import OnnxEmbedder

    with pytest.raises(ConfigError, match="not an exported ONNX model"):
        OnnxEmbedder(tmp_path)
    stale = tmp_path / "stale"
    shutil.copytree(exported, stale)
    manifest = json.loads((stale / "primenews-onnx.json").read_text(encoding="utf-8"))
    (stale / "primenews-onnx.json").write_text(json.dumps(manifest | {"format": 99}))
    with pytest.raises(ConfigError, match="export again"):
        OnnxEmbedder(stale)
    (stale / "primenews-onnx.json").write_text(json.dumps(manifest))
    (stale / "model.onnx").write_bytes(b"not a model")
    with pytest.raises(ConfigError, match="cannot load the ONNX model"):
        OnnxEmbedder(stale)


def test_exporting_again_replaces_the_folder_and_leaves_no_scratch(exported: Path) -> None:
    from primenews.embed.onnx import export_minilm_onnx

    target = exported.parent / "again"
    target.mkdir()
    (target / "leftover.txt").write_text("old")
    export_minilm_onnx(target)
    assert not (target / "leftover.txt").exists() and (target / "model.onnx").is_file()
    assert [p.name for p in exported.parent.iterdir() if p.name.startswith(".onnx-")] == []


def test_minilm_runs_on_onnx_where_the_cpu_lacks_native_bf16(
    exported: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The CPU's bf16 support is a fact of the machine: the test sets it both ways."""
    import primenews.embed.minilm as minilm
    from primenews.embed.onnx import OnnxEmbedder

    monkeypatch.setattr(minilm, "native_bf16", lambda: True)
    assert isinstance(load_embedder("minilm", model_cache=str(tmp_path)), minilm.MiniLMEmbedder)
    assert not (tmp_path / "onnx").exists()  # nothing exported where bf16 is faster

    monkeypatch.setattr(minilm, "native_bf16", lambda: False)
    first = load_embedder("minilm", model_cache=str(tmp_path))
    assert isinstance(first, OnnxEmbedder) and first.name == minilm.MINILM_NAME
    model = tmp_path / "onnx" / "all-MiniLM-L6-v2" / "model.onnx"
    written = model.stat().st_mtime_ns
    again = load_embedder("auto", model_cache=str(tmp_path))  # auto is minilm here
    assert isinstance(again, OnnxEmbedder) and model.stat().st_mtime_ns == written  # reused
    text = ["Engineers opened the spillway of the Quell dam on Tuesday."]
    assert np.allclose(again.embed(text), OnnxEmbedder(exported).embed(text), atol=1e-6)
    manifest_path = model.parent / "primenews-onnx.json"  # as if the package's weights changed
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest_path.write_text(json.dumps(manifest | {"source_sha256": "0" * 64}), encoding="utf-8")
    assert isinstance(load_embedder("minilm", model_cache=str(tmp_path)), OnnxEmbedder)
    assert json.loads(manifest_path.read_text(encoding="utf-8")) == manifest  # exported again


def test_a_failed_export_falls_back_to_pytorch_with_a_warning(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    import primenews.embed.minilm as minilm
    import primenews.embed.onnx as onnx

    def broken(target: object, **_: object) -> Path:
        raise ConfigError("the exporter failed")

    monkeypatch.setattr(minilm, "native_bf16", lambda: False)
    monkeypatch.setattr(onnx, "export_minilm_onnx", broken)
    with caplog.at_level("WARNING", logger="primenews.embed.registry"):
        embedder = load_embedder("minilm", model_cache=str(tmp_path))
    assert isinstance(embedder, minilm.MiniLMEmbedder) and embedder.precision == "fp32"
    assert "the exporter failed" in caplog.text
