"""Read plain lists of page URLs: one a line, ``#`` comments and blank lines ignored."""

from __future__ import annotations

import logging

from primenews.models import ItemError, Link
from primenews.sources.linkset import LinkSet, absolute_http_url

__all__ = ["read_url_list"]

logger = logging.getLogger(__name__)


def read_url_list(
    text: str, *, source_id: int | None = None, what: str = "URL list"
) -> tuple[list[Link], list[ItemError]]:
    """The http(s) URLs of ``text``, each once, and an error for every line refused.

    Only the first word of a line is read, so ``URL  title`` lines work too.
    """
    links = LinkSet(what=what, source_id=source_id)
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), 1):
        words = line.split()
        if not words or words[0].startswith("#"):
            continue
        url = absolute_http_url(words[0])
        if url is None:
            links.refuse("invalid_url", f"line {number} is not an http(s) URL: {words[0]!r}")
            continue
        links.add(Link(url=url, source_id=source_id))
    return links.links, links.errors
