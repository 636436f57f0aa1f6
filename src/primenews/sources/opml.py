"""Import and export subscription lists as OPML 1.0/2.0.

:func:`read_opml` walks nested outlines (folders/categories) and returns every outline
with an ``xmlUrl``, each URL once; :func:`write_opml` writes sources so that reading the
result gives them back. Outlines of PrimeNews kinds other than feeds (sitemaps, URL lists)
carry the kind in ``type`` (``type="sitemap"``); everything else is read as a feed.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from email.utils import format_datetime
from typing import Any

from primenews.errors import SourceError
from primenews.models import Source, SourceKind, utcnow
from primenews.sources.linkset import absolute_http_url
from primenews.sources.xmlsafety import local_name, parse_xml

__all__ = ["OpmlOutline", "read_opml", "write_opml"]

logger = logging.getLogger(__name__)

_FEED_TYPES = frozenset({"", "rss", "atom", "feed", "json", "jsonfeed"})


@dataclass(frozen=True, slots=True)
class OpmlOutline:
    """One subscription of an OPML file."""

    url: str  # xmlUrl
    title: str | None = None  # title, else text
    site_url: str | None = None  # htmlUrl
    kind: SourceKind = SourceKind.FEED
    category: str | None = None  # the enclosing outlines' titles, joined by " / "


def read_opml(body: bytes) -> list[OpmlOutline]:
    """The subscriptions of an OPML document; raise :class:`SourceError` if it is not one."""
    root, warning = parse_xml(body, what="OPML file")
    if warning:
        logger.warning("%s", warning)
    if local_name(root) != "opml":
        raise SourceError(
            f"not an OPML file: the root element is <{local_name(root)}>, not <opml>; export "
            "the subscription list as OPML from your feed reader"
        )
    outlines: dict[str, OpmlOutline] = {}
    for body_element in (child for child in root if local_name(child) == "body"):
        for outline in _walk(body_element, ()):
            if outline.url in outlines:
                logger.info("OPML file lists %s twice; kept the first", outline.url)
                continue
            outlines[outline.url] = outline
    return list(outlines.values())


def write_opml(sources: Iterable[Source], title: str = "PrimeNews sources") -> str:
    """An OPML 2.0 document listing ``sources`` (read back by :func:`read_opml`).

    Only sources with an http(s) URL are written: local files and archives belong to this
    machine, and an imported OPML file must never point PrimeNews at local paths.
    """
    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = title
    ET.SubElement(head, "dateCreated").text = format_datetime(utcnow(), usegmt=True)
    body = ET.SubElement(opml, "body")
    for source in sources:
        if absolute_http_url(source.url) is None:
            logger.info(
                "source %s (%s) is not on the web; left out of the OPML", source.id, source.url
            )
            continue
        name = source.title or source.url
        attributes = {"text": name, "title": name, "type": _outline_type(source.kind)}
        attributes["xmlUrl"] = source.url
        if source.site_url:
            attributes["htmlUrl"] = source.site_url
        ET.SubElement(body, "outline", attributes)
    ET.indent(opml)
    return ET.tostring(opml, encoding="unicode", xml_declaration=True) + "\n"


def _outline_type(kind: SourceKind) -> str:
    return "rss" if kind is SourceKind.FEED else kind.value


def _walk(parent: Any, path: tuple[str, ...]) -> Iterator[OpmlOutline]:
    for element in parent:
        if local_name(element) != "outline":
            continue
        attributes = {key.lower(): value.strip() for key, value in element.attrib.items()}
        label = attributes.get("title") or attributes.get("text") or None
        outline = _outline(attributes, label, path)
        if outline is not None:
            yield outline
        yield from _walk(element, (*path, label) if label and outline is None else path)


def _outline(
    attributes: dict[str, str], label: str | None, path: tuple[str, ...]
) -> OpmlOutline | None:
    raw = attributes.get("xmlurl")
    if not raw:
        return None
    url = absolute_http_url(raw)
    if url is None:
        logger.warning("OPML outline %r has an xmlUrl that is not http(s): %r; skipped", label, raw)
        return None
    return OpmlOutline(
        url=url,
        title=label,
        site_url=absolute_http_url(attributes.get("htmlurl")),
        kind=_kind(attributes.get("type", "")),
        category=" / ".join(path) or None,
    )


def _kind(outline_type: str) -> SourceKind:
    value = outline_type.lower()
    if value in _FEED_TYPES:
        return SourceKind.FEED
    try:
        return SourceKind(value)
    except ValueError:
        return SourceKind.FEED
