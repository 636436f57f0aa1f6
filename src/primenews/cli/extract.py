"""``primenews extract``: pages -> clean text and metadata, like trafilatura's own CLI."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import unquote, urlsplit

import typer
from rich.progress import MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from primenews.cli.context import AppContext, console, err_console
from primenews.cli.render import article_json
from primenews.config import Settings
from primenews.errors import ExtractError, FetchError, SkipArticle, SourceError
from primenews.extract import ExtractOptions, extract_article
from primenews.fetch import fetch_once
from primenews.models import Page
from primenews.sources import iter_html_files


def extract_command(
    ctx: typer.Context,
    inputs: Annotated[list[str], typer.Argument(help="HTML files, folders or http(s) URLs.")],
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """Extract article text and metadata from pages (files, folders, URLs)."""
    app_ctx: AppContext = ctx.obj
    options = ExtractOptions.from_settings(app_ctx.settings)
    outcomes: Counter[str] = Counter()
    progress = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    )
    with progress:
        task = progress.add_task("extracting", total=None)
        for label, page, problem in _pages(inputs, app_ctx.settings):
            result: dict[str, Any] = {"path": label}
            outcome = "extracted"
            if page is not None:
                try:
                    result.update(article_json(extract_article(page, options)))
                except SkipArticle as exc:
                    problem = f"refused ({exc.reason}): {exc.detail or exc}"
                    outcome = f"refused: {exc.reason}"
                except ExtractError as exc:
                    problem = str(exc)
            if problem:
                outcome = outcome if outcome.startswith("refused") else "failed"
                result["error"] = problem
            outcomes[outcome] += 1
            _emit(result, as_json)
            progress.advance(task)
    total = sum(outcomes.values())
    summary = ", ".join(f"{n} {what}" for what, n in sorted(outcomes.items()))
    err_console.print(f"{total} pages: {summary or 'nothing to extract'}", style="dim")
    if total == 0 or outcomes["extracted"] == 0:
        raise typer.Exit(1)


def _pages(inputs: list[str], settings: Settings) -> Iterator[tuple[str, Page | None, str]]:
    for item in inputs:
        if item.startswith(("http://", "https://")):
            try:
                yield item, fetch_once(settings, item), ""
            except FetchError as exc:
                yield item, None, str(exc)
            continue
        path = Path(item)
        if not path.exists():
            yield item, None, f"{item}: no such file or folder"
            continue
        try:
            for page in iter_html_files(path):
                yield _file_label(page.url, item), page, ""
        except SourceError as exc:
            yield item, None, str(exc)


def _file_label(url: str, fallback: str) -> str:
    if url.startswith("file://"):
        return unquote(urlsplit(url).path)
    return fallback


def _emit(result: dict[str, Any], as_json: bool) -> None:
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False))
    elif "error" in result:
        err_console.print(f"[red]{result['path']}[/red]: {result['error']}")
    else:
        console.rule(f"{result['path']}")
        console.print(f"[bold]{result.get('title') or '(no title)'}[/bold]")
        meta = ", ".join(
            str(result[k]) for k in ("site_name", "published_at", "language") if result.get(k)
        )
        if meta:
            console.print(meta, style="dim")
        console.print(result["text"])
