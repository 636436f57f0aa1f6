"""The site's Jinja2 environment and its static files, both loaded once per app.

Templates autoescape everything (article text is hostile); the only values marked safe are
the JSON-LD (escaped for ``<script>`` by :func:`seo.jsonld_script_text`) and search snippets
(escaped, then ``<mark>``-ed, by :mod:`primenews.web.highlight`). Static files are read into
memory at start, compressed once, and linked with a content hash (``/static/site.css?v=…``)
so browsers may keep them for a year.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from primenews.config import Settings
from primenews.synthesize.render import safe_url
from primenews.web.cache import CachedBody, make_body
from primenews.web.seo import meta_attribute
from primenews.web.story_view import language_attributes, language_tag

__all__ = ["SiteInfo", "Templates"]

_MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class SiteInfo:
    """What every template may show about the site."""

    name: str
    url: str
    analytics: bool


class Templates:
    """Renders the site's templates; serves its static files from memory."""

    def __init__(self, settings: Settings) -> None:
        self.site = SiteInfo(settings.site_name, settings.site_url, settings.analytics)
        self.static = _load_static()
        self.env = Environment(
            loader=PackageLoader("primenews.web", "templates"),
            autoescape=select_autoescape(["html"], default=True),
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.globals.update(
            site=self.site,
            asset=self.asset,
            safe_url=safe_url,
            language_tag=language_tag,
            language_attributes=language_attributes,
            meta_attribute=meta_attribute,
            query="",
            path="/",
        )

    def asset(self, name: str) -> str:
        """The URL of a static file, versioned by its content."""
        body = self.static[name]
        return f"/static/{name}?v={body.etag.strip(chr(34))[:12]}"

    def render(self, name: str, **context: Any) -> str:
        return self.env.get_template(name).render(**context)


def _load_static() -> dict[str, CachedBody]:
    folder = resources.files("primenews.web") / "static"
    found: dict[str, CachedBody] = {}
    for entry in folder.iterdir():
        suffix = "." + entry.name.rsplit(".", 1)[-1]
        if entry.is_file() and suffix in _MEDIA_TYPES:
            found[entry.name] = make_body(entry.read_bytes(), _MEDIA_TYPES[suffix])
    return found
