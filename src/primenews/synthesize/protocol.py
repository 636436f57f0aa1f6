"""The ``Synthesizer`` protocol: a story's reports in, a cited story page out."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from primenews.models import Report, StoryPage

__all__ = ["Synthesizer"]


class Synthesizer(Protocol):
    """Writes one story page; every sentence it writes carries the citations that support it.

    ``reports`` are all the story's articles, copies included (``Report.copy_of`` set), in any
    order. A backend raises :class:`~primenews.errors.SynthesisError` when it cannot write.
    """

    name: str

    def write(self, story_id: int, reports: Sequence[Report]) -> StoryPage: ...
