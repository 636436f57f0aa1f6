"""The ingest stage: sources -> links/pages/records -> extracted articles -> the store.

Each source is handled on its own: a failure of the source itself (dead server, broken
feed, missing file) is recorded against the source with backoff; a failure of one item
(a 404 page, a non-article) is recorded against the item; the run goes on. Validators
(ETag / Last-Modified) are saved only after the source's articles are committed.
Re-running an ingest adds nothing: known URLs are not fetched again and the store
refuses duplicates.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from primenews.config import Settings
from primenews.dedupe import canonicalize_url, content_hash
from primenews.errors import ExtractError, FetchError, PrimeNewsError, SkipArticle, SourceError
from primenews.extract import ExtractOptions, extract_article
from primenews.fetch import Fetcher
from primenews.models import (
    ExtractedArticle,
    FetchLogEntry,
    ItemError,
    Link,
    Page,
    Source,
    SourceKind,
    utcnow,
)
from primenews.pipeline.discover import Discovery, discover_links
from primenews.pipeline.report import IngestObserver, IngestReport, NullObserver, SourceReport
from primenews.sources import (
    FileStats,
    JsonlStats,
    WarcStats,
    iter_html_files,
    iter_jsonl,
    iter_warc,
)
from primenews.store import ArticleRecord, Store

__all__ = ["Ingestor", "fetch_error_reason", "ingest"]

logger = logging.getLogger(__name__)

# fetch failures that will not heal: such URLs are not fetched again
PERMANENT_FETCH_REASONS = ("http_404", "http_410", "blocked_address")
_NETWORK_KINDS = {SourceKind.FEED, SourceKind.SITEMAP, SourceKind.PAGE, SourceKind.URLS}


def fetch_error_reason(exc: FetchError) -> str:
    """A short code for a fetch failure: ``http_404``, ``timeout``, ``blocked_address``..."""
    status = getattr(exc, "status", None)
    if status is not None:
        return f"http_{status}"
    name = type(exc).__name__.removesuffix("Error")
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_") or "fetch"


@dataclass(frozen=True)
class _Validators:
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site_url: str | None = None


class Ingestor:
    """Runs the ingest stage for some sources against one store."""

    def __init__(
        self, settings: Settings, store: Store, *, observer: IngestObserver | None = None
    ) -> None:
        self.settings = settings
        self.store = store
        self.observer = observer or NullObserver()
        self.options = ExtractOptions.from_settings(settings)
        self._fetch_log: list[FetchLogEntry] = []

    async def run(self, sources: Iterable[Source]) -> IngestReport:
        """Ingest every source (network sources concurrently); return what happened."""
        started = time.perf_counter()
        report = IngestReport()
        async with Fetcher(self.settings, on_log=self._fetch_log.append) as fetcher:
            jobs = [self._ingest_source(fetcher, source) for source in sources]
            report.sources = list(await asyncio.gather(*jobs))
        self._flush_fetch_log()
        report.seconds = time.perf_counter() - started
        return report

    async def _ingest_source(self, fetcher: Fetcher, source: Source) -> SourceReport:
        report = SourceReport(source.id, str(source.kind), source.url, source.title)
        started = time.perf_counter()
        self.observer.source_started(source)
        try:
            if source.kind in _NETWORK_KINDS:
                validators = await self._ingest_network(fetcher, source, report)
            else:
                validators = await asyncio.to_thread(self._ingest_local, source, report)
        except PrimeNewsError as exc:
            report.error = f"{type(exc).__name__}: {exc}"
            logger.warning(
                "source %s failed: %s",
                source.id,
                report.error,
                extra={"source_id": source.id, "stage": "source"},
            )
            self.store.record_source_failure(
                source.id,
                report.error,
                check_interval=self.settings.check_interval,
                max_interval=self.settings.max_check_interval,
            )
        else:
            self.store.record_source_success(
                source.id,
                next_check_at=utcnow() + timedelta(seconds=self.settings.check_interval),
                etag=validators.etag,
                last_modified=validators.last_modified,
                title=validators.title,
                site_url=validators.site_url,
            )
        finally:
            self._flush_fetch_log()
            report.seconds = time.perf_counter() - started
            self.observer.source_finished(source, report)
        return report

    # --- network sources: feeds, sitemaps, URL lists, single pages -----------------------

    async def _ingest_network(
        self, fetcher: Fetcher, source: Source, report: SourceReport
    ) -> _Validators:
        found: Discovery = await discover_links(fetcher, source, self.settings)
        if found.not_modified:
            report.not_modified = True
            return _Validators(source.etag, source.last_modified)
        for error in found.errors:
            self._record(error)
        links = self._links_to_fetch(source, found.links, report)
        self.observer.items_found(source, len(links))
        await asyncio.gather(*(self._ingest_link(fetcher, source, link, report) for link in links))
        return _Validators(found.etag, found.last_modified, found.title, found.site_url)

    def _links_to_fetch(
        self, source: Source, links: list[Link], report: SourceReport
    ) -> list[Link]:
        unique = list({canonicalize_url(link.url): link for link in links}.items())
        report.found = len(unique)
        urls = [u for c, link in unique for u in (c, link.url)]
        known = self.store.known_urls(urls)
        refused = self.store.refused_urls(urls, stages=("gate",), reasons=PERMANENT_FETCH_REASONS)
        wanted: list[Link] = []
        for canonical, link in unique:
            seen = canonical in known or link.url in known
            if canonical in refused or link.url in refused or (seen and not self._updated(link)):
                report.skipped_known += 1
            else:
                wanted.append(link)
        return wanted

    def _updated(self, link: Link) -> bool:
        """The source says a stored article changed after we fetched it."""
        if link.updated_at is None:
            return False
        stored = self.store.find_article(link.url)
        return (
            stored is not None
            and stored.fetched_at is not None
            and (link.updated_at > stored.fetched_at)
        )

    async def _ingest_link(
        self, fetcher: Fetcher, source: Source, link: Link, report: SourceReport
    ) -> None:
        try:
            page = await fetcher.fetch(link.url, source_id=source.id, link=link)
        except FetchError as exc:
            reason = fetch_error_reason(exc)
            report.failed[reason] += 1
            self._record(ItemError("fetch", reason, str(exc), link.url, source.id))
        else:
            if page is not None:
                report.fetched += 1
                article = await asyncio.to_thread(self._extract, source, page, report)
                if article is not None:
                    self._save(source, article, page, report)
        finally:
            self.observer.item_done(source)

    # --- local sources: HTML files, WARC archives, JSON Lines ----------------------------

    def _ingest_local(self, source: Source, report: SourceReport) -> _Validators:
        path = Path(source.url.removeprefix("file://"))
        if not path.exists():
            raise SourceError(f"{path} does not exist; fix the path or remove source {source.id}")
        if source.kind is SourceKind.JSONL:
            self._ingest_jsonl(source, path, report)
            return _Validators()
        stats: WarcStats | FileStats
        if source.kind is SourceKind.WARC:
            stats = WarcStats()
            pages = iter_warc(path, stats, max_bytes=self.settings.max_body_bytes)
        else:
            stats = FileStats()
            pages = iter_html_files(path, stats, max_bytes=self.settings.max_body_bytes)
        self._ingest_pages(source, pages, report)
        report.skipped.update(stats.skipped)
        for error in stats.errors:
            self._record(dataclasses.replace(error, source_id=source.id))
        return _Validators()

    def _ingest_pages(self, source: Source, pages: Iterable[Page], report: SourceReport) -> None:
        for page in pages:
            report.found += 1
            if self.store.known_urls([page.url]) or self.store.refused_urls(
                [page.url], stages=("gate",)
            ):
                report.skipped_known += 1
            else:
                report.fetched += 1
                article = self._extract(source, page, report)
                if article is not None:
                    self._save(source, article, page, report)
            self.observer.item_done(source)

    def _ingest_jsonl(self, source: Source, path: Path, report: SourceReport) -> None:
        stats = JsonlStats()
        for item in iter_jsonl(path, stats=stats):
            report.found += 1
            if isinstance(item, ItemError):
                report.failed[item.reason] += 1
                self._record(dataclasses.replace(item, source_id=source.id))
            else:
                self._save(source, item, None, report)
            self.observer.item_done(source)

    # --- shared steps --------------------------------------------------------------------

    def _extract(self, source: Source, page: Page, report: SourceReport) -> ExtractedArticle | None:
        try:
            return extract_article(page, self.options)
        except SkipArticle as exc:
            report.refused[exc.reason] += 1
            self._record(ItemError("gate", exc.reason, str(exc), page.url, source.id))
        except ExtractError as exc:
            report.failed["extract"] += 1
            self._record(ItemError("extract", "extract", str(exc), page.url, source.id))
        return None

    def _save(
        self, source: Source, article: ExtractedArticle, page: Page | None, report: SourceReport
    ) -> None:
        if article.outlet is None:
            outlet = article.site_name or source.title or _host(article.url)
            article = dataclasses.replace(article, outlet=outlet)
        aliases = tuple(
            u
            for u in (
                page.requested_url if page else None,
                page.link.url if page and page.link else None,
            )
            if u
        )
        record = ArticleRecord(
            article=article,
            canonical_url=choose_canonical(article.url, article.canonical_url),
            content_hash=content_hash(article.text),
            source_id=source.id,
            fetched_at=page.fetched_at if page else utcnow(),
            aliases=aliases,
        )
        result = self.store.save_article(record)
        report.saved[str(result.outcome)] += 1

    def _record(self, error: ItemError) -> None:
        logger.info(
            "%s refused %s: %s",
            error.stage,
            error.url,
            error.message,
            extra={"source_id": error.source_id, "stage": error.stage},
        )
        self.store.record_item_error(error)

    def _flush_fetch_log(self) -> None:
        entries, self._fetch_log[:] = list(self._fetch_log), []
        if entries:
            self.store.log_fetches(entries)


def choose_canonical(url: str, declared: str | None) -> str:
    """The page's declared canonical URL when it is a plausible one, else the page URL.

    A canonical on another host, or pointing at a site's front page, is ignored: some
    sites declare their home page as every page's canonical.
    """
    page = canonicalize_url(url)
    if not declared:
        return page
    candidate = canonicalize_url(declared)
    if _host(candidate).removeprefix("www.") != _host(page).removeprefix("www."):
        return page
    if candidate.split("://", 1)[-1].rstrip("/").count("/") == 0:
        return page
    return candidate


def _host(url: str) -> str:
    rest = url.split("://", 1)[-1]
    return rest.split("/", 1)[0].lower()


def ingest(
    settings: Settings,
    store: Store,
    sources: Iterable[Source],
    observer: IngestObserver | None = None,
) -> IngestReport:
    """Run the ingest stage to completion (its own event loop)."""
    return asyncio.run(Ingestor(settings, store, observer=observer).run(list(sources)))
