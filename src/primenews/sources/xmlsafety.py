"""Refuse hostile XML before any parser sees it, and parse the rest with a safe parser.

A document whose DOCTYPE declares entities is refused outright: that is how XXE (an
external entity reading ``file:///etc/passwd``) and "billion laughs" (nested entities
expanding to gigabytes) attacks are built, and no feed, sitemap or OPML file needs them.
The check looks at the bytes under every plausible encoding (BOM, UTF-16/32 without BOM,
the encoding the XML declaration names, and any ASCII-compatible one), so re-encoding the
attack does not slip past it. Parsing then uses lxml with entity resolution, DTD loading
and network access all off, and without ``huge_tree``.
"""

from __future__ import annotations

import codecs
import logging
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

from primenews.errors import SourceError

__all__ = ["declares_entities", "local_name", "parse_xml", "refuse_hostile_xml"]

logger = logging.getLogger(__name__)

_DOCTYPE = re.compile(r"<!DOCTYPE", re.IGNORECASE)
_ENTITY = re.compile(r"<!ENTITY", re.IGNORECASE)
_DECLARED_ENCODING = re.compile(
    rb"""^\s*<\?xml[^>]{0,200}?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']"""
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_WIDE = ("utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be")


def declares_entities(body: bytes) -> bool:
    """True when the document has a DOCTYPE and declares an entity (XXE, billion laughs)."""
    return any(_DOCTYPE.search(text) and _ENTITY.search(text) for text in _decodings(body))


def refuse_hostile_xml(body: bytes, *, what: str, error: type[SourceError] = SourceError) -> None:
    """Raise ``error`` when ``body`` declares entities in a DOCTYPE."""
    if declares_entities(body):
        raise error(
            f"{what} declares XML entities in its DOCTYPE, which is how XXE and 'billion "
            "laughs' attacks are built; it was refused unparsed. Ask the publisher for a "
            "document without a DTD."
        )


def parse_xml(
    body: bytes, *, what: str, error: type[SourceError] = SourceError
) -> tuple[Any, str | None]:
    """The root element of ``body`` and a warning if it had to be parsed leniently.

    Hostile documents are refused first (see :func:`refuse_hostile_xml`). A document that
    is not well-formed is parsed again in lxml's recover mode; the returned warning says
    what was wrong. Nothing usable at all raises ``error``.
    """
    refuse_hostile_xml(body, what=what, error=error)
    try:
        return etree.fromstring(body, _parser(recover=False)), None
    except etree.XMLSyntaxError as exc:
        problem = str(exc)
    try:
        root = etree.fromstring(body, _parser(recover=True))
    except etree.XMLSyntaxError:
        root = None
    if root is None:
        raise error(f"{what} is not XML ({problem}); check that it is the right document")
    logger.warning("%s is not well-formed XML, read leniently: %s", what, problem)
    return root, f"{what} is not well-formed XML ({problem}); it was read leniently"


def local_name(element: Any) -> str:
    """An element's tag without its namespace (``{ns}loc`` -> ``loc``); '' for non-elements."""
    tag = element.tag
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


def _parser(*, recover: bool) -> Any:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
        collect_ids=False,
        recover=recover,
    )


def _decodings(body: bytes) -> Iterator[str]:
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            yield body.decode(encoding, errors="replace")
            break
    if b"\x00" in body[:4]:
        for encoding in _WIDE:
            yield body.decode(encoding, errors="ignore")
    declared = _DECLARED_ENCODING.match(body)
    if declared:
        try:
            text = body.decode(declared.group(1).decode("ascii"), errors="replace")
        except LookupError:
            text = ""
        yield text
    yield body.decode("latin-1")
