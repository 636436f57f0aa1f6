"""Load the fictional sample newswire shipped in ``newswire/data/``.

``data/outlets.toml`` describes the outlets; ``data/events/*.toml`` holds one fictional event
each, with its reports. A report that republishes another verbatim names it in ``copy_of`` and
may leave out ``paragraphs`` (and ``title``): they are taken from the original, so the copy is
exact. The ground truth for later tests (which report belongs to which event, which one is a
verbatim copy, which events are easy to confuse) is read from here.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

from primenews.errors import SourceError

__all__ = ["FEED_FORMATS", "Event", "Newswire", "Outlet", "Report", "load_newswire"]

logger = logging.getLogger(__name__)

FEED_FORMATS = frozenset({"rss2", "rss1", "atom", "jsonfeed"})


@dataclass(frozen=True, slots=True)
class Outlet:
    """A fictional news outlet, served under ``/<slug>/``."""

    slug: str
    name: str
    language: str
    feed_format: str  # one of FEED_FORMATS
    feed_path: str  # e.g. "/meridian-wire/feed.xml"
    sitemap_path: str  # e.g. "/meridian-wire/sitemap.xml"
    template: str  # which HTML template renders its pages
    article_path: str  # pattern with {yyyy} {mm} {dd} {slug}
    tagline: str = ""
    kind: str = "news"  # wire, daily, regional, tech, foreign, republisher, blog
    feed_broken: bool = False  # the feed is served truncated and malformed on purpose
    news_sitemap: bool = False  # the sitemap is a Google News sitemap
    republishes: str | None = None  # slug of the outlet whose copy it runs verbatim

    @property
    def home_path(self) -> str:
        return f"/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Event:
    """A fictional news event: the ground truth that groups reports into a story."""

    id: str
    title: str
    kind: str  # earthquake, rate-decision, strike, summit, outage, ...
    start: datetime
    confusable_with: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Report:
    """One outlet's fictional article about one event."""

    id: str
    outlet: str
    event_id: str
    title: str
    authors: tuple[str, ...]
    published_at: datetime
    language: str
    paragraphs: tuple[str, ...]
    copy_of: str | None
    path: str
    slug: str = ""
    summary: str = ""

    @property
    def text(self) -> str:
        """The paragraphs joined by blank lines (the form ``ExtractedArticle.text`` uses)."""
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True, slots=True)
class Newswire:
    """All outlets, events and reports, in a fixed order."""

    outlets: tuple[Outlet, ...]
    events: tuple[Event, ...]
    reports: tuple[Report, ...]

    def outlet(self, slug: str) -> Outlet:
        for outlet in self.outlets:
            if outlet.slug == slug:
                return outlet
        raise KeyError(f"no outlet {slug!r}; outlets: {', '.join(o.slug for o in self.outlets)}")

    def event(self, event_id: str) -> Event:
        for event in self.events:
            if event.id == event_id:
                return event
        raise KeyError(f"no event {event_id!r}")

    def report(self, report_id: str) -> Report:
        for report in self.reports:
            if report.id == report_id:
                return report
        raise KeyError(f"no report {report_id!r}")

    def reports_by(self, outlet_slug: str) -> list[Report]:
        """The outlet's reports, newest first (feed order)."""
        found = [r for r in self.reports if r.outlet == outlet_slug]
        return sorted(found, key=lambda r: r.published_at, reverse=True)

    def reports_of(self, event_id: str) -> list[Report]:
        """The event's reports, oldest first."""
        found = [r for r in self.reports if r.event_id == event_id]
        return sorted(found, key=lambda r: r.published_at)

    def report_at(self, path: str) -> Report | None:
        for report in self.reports:
            if report.path == path:
                return report
        return None


def load_newswire() -> Newswire:
    """Read the packaged outlets, events and reports, and check their invariants."""
    data = resources.files("primenews.newswire").joinpath("data")
    outlets = tuple(_outlet(raw) for raw in _read_toml(data / "outlets.toml").get("outlets", []))
    by_slug = {o.slug: o for o in outlets}
    events: list[Event] = []
    raw_reports: list[dict[str, Any]] = []
    event_files = sorted(
        (f for f in (data / "events").iterdir() if f.name.endswith(".toml")), key=lambda f: f.name
    )
    for file in event_files:
        doc = _read_toml(file)
        event = _event(doc.get("event", {}), file.name)
        events.append(event)
        for raw in doc.get("reports", []):
            raw_reports.append({**raw, "event_id": event.id})
    reports = _reports(raw_reports, by_slug)
    wire = Newswire(outlets, tuple(events), reports)
    _check(wire)
    logger.debug(
        "loaded newswire",
        extra={"outlets": len(outlets), "events": len(events), "reports": len(reports)},
    )
    return wire


def _read_toml(file: Traversable) -> dict[str, Any]:
    try:
        return tomllib.loads(file.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise SourceError(f"newswire data file {file.name} is not valid TOML: {exc}") from exc


def _outlet(raw: dict[str, Any]) -> Outlet:
    slug = raw["slug"]
    return Outlet(
        slug=slug,
        name=raw["name"],
        language=raw["language"],
        feed_format=raw["feed_format"],
        feed_path=f"/{slug}/{raw['feed_file']}",
        sitemap_path=f"/{slug}/sitemap.xml",
        template=raw.get("template", slug),
        article_path=raw["article_path"],
        tagline=raw.get("tagline", ""),
        kind=raw.get("kind", "news"),
        feed_broken=raw.get("feed_broken", False),
        news_sitemap=raw.get("news_sitemap", False),
        republishes=raw.get("republishes"),
    )


def _event(raw: dict[str, Any], filename: str) -> Event:
    if "id" not in raw:
        raise SourceError(f"newswire data file {filename} has no [event] id")
    return Event(
        id=raw["id"],
        title=raw["title"],
        kind=raw["kind"],
        start=_utc(raw["start"]),
        confusable_with=tuple(raw.get("confusable_with", ())),
    )


def _reports(raws: list[dict[str, Any]], outlets: dict[str, Outlet]) -> tuple[Report, ...]:
    originals = {raw["id"]: raw for raw in raws if not raw.get("copy_of")}
    reports: list[Report] = []
    for raw in raws:
        source = originals[raw["copy_of"]] if raw.get("copy_of") else raw
        outlet = outlets[raw["outlet"]]
        published = _utc(raw["published_at"])
        slug = raw.get("slug") or source["slug"]
        reports.append(
            Report(
                id=raw["id"],
                outlet=outlet.slug,
                event_id=raw["event_id"],
                title=raw.get("title") or source["title"],
                authors=tuple(raw.get("authors") or source.get("authors", ())),
                published_at=published,
                language=raw.get("language") or outlet.language,
                paragraphs=tuple(raw.get("paragraphs") or source["paragraphs"]),
                copy_of=raw.get("copy_of"),
                path=_article_path(outlet, published, slug),
                slug=slug,
                summary=raw.get("summary", ""),
            )
        )
    return tuple(sorted(reports, key=lambda r: (r.published_at, r.id)))


def _article_path(outlet: Outlet, published: datetime, slug: str) -> str:
    return outlet.article_path.format(
        outlet=outlet.slug,
        yyyy=f"{published.year:04d}",
        mm=f"{published.month:02d}",
        dd=f"{published.day:02d}",
        slug=slug,
    )


def _utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        moment = value
    else:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        raise SourceError(f"newswire time {value!r} has no timezone; write it in UTC with Z")
    return moment.astimezone(UTC)


def _check(wire: Newswire) -> None:
    problems: list[str] = []
    ids = [r.id for r in wire.reports]
    paths = [r.path for r in wire.reports]
    if len(set(ids)) != len(ids):
        problems.append("report ids are not unique")
    if len(set(paths)) != len(paths):
        problems.append("report paths are not unique")
    event_ids = {e.id for e in wire.events}
    for report in wire.reports:
        if report.event_id not in event_ids:
            problems.append(f"report {report.id} names unknown event {report.event_id}")
    for outlet in wire.outlets:
        if outlet.feed_format not in FEED_FORMATS:
            problems.append(f"outlet {outlet.slug} has unknown feed format {outlet.feed_format}")
    if problems:
        raise SourceError("newswire data is inconsistent: " + "; ".join(problems))
