"""The light embedder: hashed n-grams, no model."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from primenews.embed import Embedder, load_embedder
from primenews.embed.hashing import HashingEmbedder, fold_text

TEXTS = [
    "Earthquake of magnitude 6.1 hits the coast, killing dozens",
    "A magnitude 6.1 earthquake struck the coast and killed dozens of people",
    "Central bank raises interest rates for the third time this year",
    "",
]


def test_conforms_to_the_protocol_and_names_its_parameters() -> None:
    embedder = HashingEmbedder(dim=512, char_ngram=3)
    assert isinstance(embedder, Embedder)
    assert embedder.name == "hashing-v1-512-c3" and embedder.dim == 512
    assert HashingEmbedder().name == "hashing-v1-1024-c4"
    assert load_embedder("hashing").name == HashingEmbedder().name


def test_rows_are_unit_length_float32_and_empty_text_is_a_zero_row() -> None:
    vectors = HashingEmbedder().embed([*TEXTS, "  ...  "])
    assert vectors.dtype == np.float32 and vectors.shape == (5, 1024)
    assert np.allclose(np.linalg.norm(vectors[:3], axis=1), 1.0, atol=1e-5)
    assert not vectors[3].any() and not vectors[4].any()
    assert HashingEmbedder().embed([]).shape == (0, 1024)


def test_deterministic_and_independent_of_the_batch() -> None:
    one = HashingEmbedder().embed(TEXTS)
    again = HashingEmbedder().embed(list(reversed(TEXTS)))[::-1]
    assert np.array_equal(one, again)


def test_similar_texts_are_closer_than_unrelated_ones() -> None:
    v = HashingEmbedder().embed(TEXTS)
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


def test_accents_and_case_fold_together() -> None:
    assert fold_text("Söldner ÉTÉ") == "soldner ete"
    v = HashingEmbedder().embed(["Prigoschin Söldner Flugzeug", "prigoschin soldner flugzeug"])
    assert float(v[0] @ v[1]) == pytest.approx(1.0, abs=1e-6)


def test_bad_parameters_are_refused() -> None:
    with pytest.raises(ValueError, match="dim"):
        HashingEmbedder(dim=4)
    with pytest.raises(ValueError, match="char_ngram"):
        HashingEmbedder(char_ngram=1)


def test_the_light_backend_never_imports_torch() -> None:
    code = (
        "import sys; from primenews.embed import load_embedder; "
        "e = load_embedder('hashing'); e.embed(['a b c']); "
        "assert 'torch' not in sys.modules and 'sentence_transformers' not in sys.modules"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
