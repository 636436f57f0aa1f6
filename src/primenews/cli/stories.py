"""``primenews cluster`` and ``primenews stories``: build stories; list, show, export them;
show their pages (Markdown, JSON, HTML), list page versions and diff two of them."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.cli.progress import ClusterProgress, count_progress
from primenews.config import Settings
from primenews.embed import Embedder
from primenews.embed.registry import load_cross_language_embedder, load_embedder
from primenews.errors import ConfigError
from primenews.models import Article, Copy
from primenews.pipeline.stories import StoriesReport, build_stories
from primenews.store import Store
from primenews.synthesize.render import render_html, render_json, render_markdown
from primenews.synthesize.versions import diff_versions

app = typer.Typer(help="Browse and export stories and their page versions.", no_args_is_help=True)


def open_embedder(settings: Settings, name: str | None = None) -> Embedder:
    """The configured embedder, or exit with what to install or set."""
    try:
        return load_embedder(name or settings.embedding_model, model_cache=settings.model_cache)
    except ConfigError as exc:
        err_console.print(f"[red]cannot load the embedder:[/red] {exc}")
        raise typer.Exit(2) from exc


def open_cross_embedder(settings: Settings) -> Embedder | None:
    """The multilingual embedder of ``cross_language_model`` (None: off), or exit saying why."""
    try:
        return load_cross_language_embedder(settings.cross_language_model)
    except ConfigError as exc:
        err_console.print(f"[red]cannot load the cross-language embedder:[/red] {exc}")
        raise typer.Exit(2) from exc


def run_stories(
    settings: Settings, store: Store, embedder: Embedder, *, rebuild: bool = False
) -> StoriesReport:
    """Copies and clustering with a progress bar; prints the summary table."""
    cross = open_cross_embedder(settings)
    progress = count_progress()
    with progress:
        report = build_stories(
            store,
            settings,
            embedder=embedder,
            cross_embedder=cross,
            rebuild=rebuild,
            observer=ClusterProgress(progress),
        )
    names = embedder.name + (f", across languages {cross.name}" if cross is not None else "")
    console.print(stories_table(report, store.count_stories(), names))
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
        f"{k.merges} merges ({k.cross_language_merges} across languages); "
        f"flagged: {flagged} ({k.seconds:.1f}s)",
    )
    scope = "every story" if k.full_state else "the stories within reach"
    table.add_row("state", f"{k.loaded} placed articles loaded ({scope})")
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
        pages = store.page_states([s.id for s in stories])
    table = Table(title=f"{len(stories)} of {total} stories")
    for column in ("id", "reports", "outlets", "languages", "first", "last", "page", "title"):
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
            _page_state(pages.get(s.id)),
            Text((s.title or "")[:90]),
        )
    console.print(table)


def _page_state(state: tuple[int, bool] | None) -> str:
    if state is None:
        return ""
    version, published = state
    return f"v{version}" if published else f"v{version} held"


def _live_story(store: Store, story_id: int) -> int:
    """The live story ``story_id`` stands for, or exit with a hint."""
    live = store.resolve_story_id(story_id)
    if live is None:
        err_console.print(f"no story with id {story_id}; see `primenews stories list`")
        raise typer.Exit(1)
    if live != story_id:
        err_console.print(f"story {story_id} was merged into story {live}", style="dim")
    return live


def _no_page(story_id: int) -> typer.Exit:
    err_console.print(
        f"story {story_id} has no page yet; write one with `primenews synthesize --story "
        f"{story_id}` (it needs page_min_reports independent reports)"
    )
    return typer.Exit(1)


@app.command("show")
def show_story(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="The story's id.")],
    format: Annotated[
        str, typer.Option("--format", "-f", help="text (reports), or the page as md, json, html.")
    ] = "text",
    version: Annotated[
        int | None, typer.Option("--version", help="This version of the page (default latest).")
    ] = None,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
) -> None:
    """One story: its reports in order (text), or its page as Markdown, JSON or HTML."""
    renderers = {"md": render_markdown, "json": render_json, "html": render_html}
    if format != "text" and format not in renderers:
        err_console.print(f"unknown format {format!r}: use text, md, json or html")
        raise typer.Exit(2)
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        live = _live_story(store, story_id)
        if format == "text":
            _show_reports(store, live)
            return
        page = (
            store.latest_story_version(live)
            if version is None
            else store.get_story_version(live, version)
        )
    if page is None:
        if version is not None:
            err_console.print(f"story {live} has no page version {version}")
            raise typer.Exit(1)
        raise _no_page(live)
    if not page.published:
        err_console.print(f"story {live} version {page.version} is held by the publish gate")
    _emit(renderers[format](page), output)


def _emit(text: str, output: Path | None) -> None:
    """Print ``text`` as it is (no console markup), or write it to ``output``."""
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        err_console.print(f"wrote {output}")


def _show_reports(store: Store, live: int) -> None:
    story = store.get_story(live)
    articles = store.get_articles(store.story_article_ids(live))
    copies = {a.id: store.copy_of(a.id) for a in articles}
    page = store.latest_story_version(live)
    assert story is not None
    console.rule(Text(f"story {live}: {story.title or '(untitled)'}"))
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
    if page is None:
        console.print("no page yet", style="dim")
        return
    state = "published" if page.published else "held by the publish gate"
    console.print(
        Text(
            f"page: version {page.version} ({state}), {_day(page.created_at, minutes=True)}, "
            f"{page.page.backend}: {page.page.headline}\n"
            f"see `primenews stories show {live} --format md|json|html`, "
            f"`primenews stories versions {live}`"
        )
    )


@app.command("versions")
def list_versions(
    ctx: typer.Context, story_id: Annotated[int, typer.Argument(help="The story's id.")]
) -> None:
    """Every version of a story's page: when, which backend, the gate's say, what was new."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        live = _live_story(store, story_id)
        versions = store.story_versions(live)
    if not versions:
        raise _no_page(live)
    table = Table(title=f"story {live}: {len(versions)} page version(s)")
    for column in ("version", "written", "state", "backend", "reports", "rejects", "headline"):
        table.add_column(column, overflow="fold")
    table.add_column("what's new", overflow="fold")
    for v in versions:
        table.add_row(
            str(v.version),
            _day(v.created_at, minutes=True),
            "published" if v.published else "held",
            v.page.backend,
            str(len(v.article_ids)),
            str(sum(1 for x in v.verdicts if x.reject)),
            Text(v.page.headline),
            Text(v.whats_new or ""),
        )
    console.print(table)


@app.command("diff")
def diff_story(
    ctx: typer.Context,
    story_id: Annotated[int, typer.Argument(help="The story's id.")],
    old: Annotated[
        int | None, typer.Option("--from", help="Older version (default: the one before --to).")
    ] = None,
    new: Annotated[int | None, typer.Option("--to", help="Newer version (default latest).")] = None,
) -> None:
    """What changed between two versions of a story's page (a unified diff of the Markdown)."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        live = _live_story(store, story_id)
        latest = store.latest_story_version(live)
        if latest is None:
            raise _no_page(live)
        to_number = new if new is not None else latest.version
        from_number = old if old is not None else to_number - 1
        if from_number < 1:
            err_console.print(
                f"story {live} has one page version only: nothing to compare it with yet"
            )
            raise typer.Exit(1)
        before = store.get_story_version(live, from_number)
        after = store.get_story_version(live, to_number)
    if before is None or after is None:
        missing = from_number if before is None else to_number
        err_console.print(
            f"story {live} has no page version {missing} (versions 1 to {latest.version})"
        )
        raise typer.Exit(1)
    typer.echo("\n".join(diff_versions(before, after)))


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
