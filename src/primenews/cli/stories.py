"""``primenews cluster`` and ``primenews stories``: build stories, list, show, export them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.config import Settings
from primenews.embed import Embedder
from primenews.embed.registry import load_embedder
from primenews.errors import ConfigError
from primenews.models import Article, Copy
from primenews.pipeline.stories import StoriesReport, build_stories
from primenews.store import Store

app = typer.Typer(help="Browse and export stories.", no_args_is_help=True)


class ClusterProgress:
    """A bar over the articles being placed."""

    def __init__(self, progress: Progress) -> None:
        self._progress = progress
        self._task = progress.add_task("clustering", total=None)

    def started(self, total: int) -> None:
        self._progress.update(self._task, total=total)

    def article_done(self, article_id: int, story_id: int) -> None:
        self._progress.advance(self._task)


def open_embedder(settings: Settings, name: str | None = None) -> Embedder:
    """The configured embedder, or exit with what to install or set."""
    try:
        return load_embedder(name or settings.embedding_model)
    except ConfigError as exc:
        err_console.print(f"[red]cannot load the embedder:[/red] {exc}")
        raise typer.Exit(2) from exc


def run_stories(
    settings: Settings, store: Store, embedder: Embedder, *, rebuild: bool = False
) -> StoriesReport:
    """Copies and clustering with a progress bar; prints the summary table."""
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    )
    with progress:
        report = build_stories(
            store, settings, embedder=embedder, rebuild=rebuild, observer=ClusterProgress(progress)
        )
    console.print(stories_table(report, store.count_stories(), embedder.name))
    return report


def stories_table(report: StoriesReport, stories: int, embedder: str) -> Table:
    c, k = report.copies, report.clusters
    table = Table(title=f"stories: {stories} in the store (embedder {embedder})")
    table.add_column("step")
    table.add_column("result", overflow="fold")
    table.add_row(
        "copies",
        f"{c.checked} checked: {c.exact} exact, {c.verbatim} verbatim, "
        f"{c.rewrite} rewrites, {c.too_short} too short, "
        f"{c.repointed} re-pointed ({c.duration_s:.1f}s)",
    )
    flagged = ", ".join(f"{reason} {n}" for reason, n in sorted(k.flagged.items())) or "none"
    table.add_row(
        "clustering",
        f"{k.assigned} placed: {k.new_stories} new stories, "
        f"{k.joined} joined, {k.copies} copies with their original, "
        f"{k.merges} merges; flagged: {flagged} ({k.seconds:.1f}s)",
    )
    return table


def cluster_command(
    ctx: typer.Context,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Re-cluster every article.")] = False,
    embedder: Annotated[
        str | None, typer.Option("--embedder", help="Override the embedding_model setting.")
    ] = None,
) -> None:
    """Mark copies and place every new article in a story."""
    app_ctx: AppContext = ctx.obj
    chosen = open_embedder(app_ctx.settings, embedder)
    with open_cli_store(app_ctx.settings) as store:
        run_stories(app_ctx.settings, store, chosen, rebuild=rebuild)


@app.command("list")
def list_stories(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many.")] = 30,
) -> None:
    """The stories with the latest reports first."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        stories = store.list_stories(limit=limit)
        total = store.count_stories()
        members = {s.id: store.get_articles(store.story_article_ids(s.id)) for s in stories}
    table = Table(title=f"{len(stories)} of {total} stories")
    for column in ("id", "reports", "outlets", "languages", "first", "last", "title"):
        table.add_column(column, overflow="fold")
    for s in stories:
        articles = members[s.id]
        table.add_row(
            str(s.id),
            str(s.article_count),
            str(len({a.outlet for a in articles})),
            ",".join(sorted({a.language or "?" for a in articles})),
            _day(s.first_published_at),
            _day(s.last_published_at),
            (s.title or "")[:90],
        )
    console.print(table)


@app.command("show")
def show_story(
    ctx: typer.Context, story_id: Annotated[int, typer.Argument(help="The story's id.")]
) -> None:
    """One story: its reports in order, copies marked."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        live = store.resolve_story_id(story_id)
        if live is None:
            err_console.print(f"no story with id {story_id}; see `primenews stories list`")
            raise typer.Exit(1)
        story = store.get_story(live)
        articles = store.get_articles(store.story_article_ids(live))
        copies = {a.id: store.copy_of(a.id) for a in articles}
    assert story is not None
    if live != story_id:
        console.print(f"story {story_id} was merged into story {live}", style="dim")
    console.rule(f"story {live}: {story.title or '(untitled)'}")
    table = Table()
    for column in ("article", "published", "outlet", "lang", "title", "copy of"):
        table.add_column(column, overflow="fold")
    for a in articles:
        copy = copies[a.id]
        table.add_row(
            str(a.id),
            _day(a.published_at or a.fetched_at, minutes=True),
            a.outlet or "",
            a.language or "",
            (a.title or "")[:80],
            f"{copy.original_id} ({copy.kind})" if copy else "",
        )
    console.print(table)


@app.command("export")
def export_stories(
    ctx: typer.Context,
    format: Annotated[str, typer.Option("--format", help="Only jsonl for now.")] = "jsonl",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
) -> None:
    """One JSON line per article: url, story_id, copy_of (the original's url)."""
    if format != "jsonl":
        err_console.print(f"unknown format {format!r}: use --format jsonl")
        raise typer.Exit(2)
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        lines = list(_export_lines(store))
    text = "\n".join(lines) + ("\n" if lines else "")
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {len(lines)} articles to {output}")


def _export_lines(store: Store) -> list[str]:
    assignments = store.story_assignments()
    copies: dict[int, Copy] = {c.article_id: c for c in store.list_copies()}
    urls: dict[int, str] = {}
    articles: list[Article] = list(store.iter_articles())
    for a in articles:
        urls[a.id] = a.url
    return [
        json.dumps(
            {
                "url": a.url,
                "story_id": assignments.get(a.id),
                "copy_of": urls.get(copies[a.id].original_id) if a.id in copies else None,
            },
            ensure_ascii=False,
        )
        for a in articles
    ]


def _day(moment: datetime | None, *, minutes: bool = False) -> str:
    if moment is None:
        return ""
    return moment.strftime("%Y-%m-%d %H:%M" if minutes else "%Y-%m-%d")
