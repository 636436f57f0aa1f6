"""Story -> story page: every sentence cited, checked by the publish gate before it is published.

- :mod:`.sentences` splits text into sentences with offsets (citations are offsets).
- :mod:`.protocol` the ``Synthesizer`` protocol.
"""

from __future__ import annotations

from primenews.synthesize.protocol import Synthesizer
from primenews.synthesize.sentences import Span, split_sentences

__all__ = ["Span", "Synthesizer", "split_sentences"]
