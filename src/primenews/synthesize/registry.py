"""The configured story page backend, by name: ``extractive`` (the default) or ``llm``."""

from __future__ import annotations

from primenews.config import Settings
from primenews.errors import ConfigError
from primenews.synthesize.protocol import Synthesizer

__all__ = ["load_synthesizer"]


def load_synthesizer(settings: Settings) -> Synthesizer:
    """The backend the ``synthesizer`` setting names; ConfigError when it cannot be made.

    ``llm`` writes through an OpenAI-compatible endpoint and falls back to ``extractive`` for
    any story it fails on; its verifier also checks meaning with the configured embedder
    (``embedding_model``) besides names, numbers and words. Backends are imported only when
    chosen.
    """
    from primenews.synthesize.extractive import ExtractiveSynthesizer

    if settings.synthesizer == "extractive":
        return ExtractiveSynthesizer()
    if settings.synthesizer == "llm":
        from primenews.embed.registry import load_embedder
        from primenews.synthesize.llm import LLMSynthesizer

        embedder = load_embedder(settings.embedding_model, model_cache=settings.model_cache)
        return LLMSynthesizer(settings, fallback=ExtractiveSynthesizer(), embedder=embedder)
    raise ConfigError(
        f"unknown synthesizer {settings.synthesizer!r}: set synthesizer to extractive or llm"
    )
