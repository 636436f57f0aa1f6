"""Who covered a story and when, and the page's source list.

Copies count in coverage (they are reports readers met) but not as independent reports. The
story was broken by the earliest dated original; reports without a date come after dated ones,
then by article id, so the order is stable. The source list gives originals first, then copies,
each part in that order.
"""

from __future__ import annotations

from collections.abc import Sequence
from urllib.parse import urlsplit

from primenews.models import Article, Coverage, Report, SourceRef

__all__ = ["describe_coverage", "list_sources", "outlet_of", "report_order"]


def outlet_of(article: Article) -> str | None:
    """The outlet's name: the article's outlet, its site name, or its web host."""
    if article.outlet:
        return article.outlet
    if article.site_name:
        return article.site_name
    host = urlsplit(article.url).hostname if article.url.startswith("http") else None
    if host and host.startswith("www."):
        host = host[4:]
    return host or None


def report_order(report: Report) -> tuple[bool, str, int]:
    """Sort key: dated reports first, earliest first, then by article id."""
    published = report.article.published_at
    stamp = published.isoformat() if published is not None else ""
    return (published is None, stamp, report.article.id)


def _is_copy(report: Report, present: set[int]) -> bool:
    return report.copy_of is not None and report.copy_of in present


def describe_coverage(reports: Sequence[Report]) -> Coverage:
    """The coverage facts of a story written from ``reports``."""
    ordered = sorted(reports, key=report_order)
    present = {r.article.id for r in reports}
    originals = [r for r in ordered if not _is_copy(r, present)]
    outlets: list[str] = []
    languages: list[str] = []
    for report in ordered:
        outlet = outlet_of(report.article)
        if outlet and outlet not in outlets:
            outlets.append(outlet)
        language = report.article.language
        if language and language not in languages:
            languages.append(language)
    dates = [r.article.published_at for r in ordered if r.article.published_at is not None]
    first = originals[0] if originals else (ordered[0] if ordered else None)
    return Coverage(
        outlets=tuple(outlets),
        languages=tuple(languages),
        report_count=len(ordered),
        independent_count=len(originals),
        copy_count=len(ordered) - len(originals),
        first_article_id=first.article.id if first is not None else None,
        first_outlet=outlet_of(first.article) if first is not None else None,
        first_published_at=min(dates) if dates else None,
        last_published_at=max(dates) if dates else None,
    )


def list_sources(reports: Sequence[Report]) -> tuple[SourceRef, ...]:
    """The source list: originals first, then copies, each in report order."""
    present = {r.article.id for r in reports}
    ordered = sorted(reports, key=report_order)
    originals = [r for r in ordered if not _is_copy(r, present)]
    copies = [r for r in ordered if _is_copy(r, present)]
    return tuple(
        SourceRef(
            article_id=r.article.id,
            url=r.article.url,
            title=r.article.title,
            outlet=outlet_of(r.article),
            language=r.article.language,
            published_at=r.article.published_at,
            copy_of=r.copy_of,
        )
        for r in [*originals, *copies]
    )
