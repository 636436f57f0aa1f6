"""``primenews sources``: add, list, remove, import and export (OPML) sources."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.errors import SourceError
from primenews.models import SourceKind
from primenews.sources import read_opml, write_opml

app = typer.Typer(
    help="Manage sources: feeds, sitemaps, URL lists, local files.", no_args_is_help=True
)

_LOCAL_KINDS = {
    ".warc": SourceKind.WARC,
    ".gz": SourceKind.WARC,
    ".jsonl": SourceKind.JSONL,
    ".html": SourceKind.HTML,
    ".htm": SourceKind.HTML,
    ".txt": SourceKind.URLS,
}


def guess_kind(location: str) -> SourceKind:
    """A local path's kind from its name; anything else is taken for a feed."""
    path = Path(location)
    if location.startswith(("http://", "https://")) or not path.exists():
        return SourceKind.FEED
    if path.is_dir():
        return SourceKind.HTML
    if path.name.endswith((".jsonl.gz", ".ndjson")):
        return SourceKind.JSONL
    return _LOCAL_KINDS.get(path.suffix.lower(), SourceKind.HTML)


def normalize_location(location: str, kind: SourceKind) -> str:
    """Local sources are stored by absolute path, so the same file is one source."""
    if location.startswith(("http://", "https://")):
        return location
    if kind in {SourceKind.FEED, SourceKind.SITEMAP, SourceKind.PAGE}:
        raise typer.BadParameter(f"a {kind} source needs an http(s) URL, not {location!r}")
    return str(Path(location).expanduser().resolve())


@app.command("add")
def add_source(
    ctx: typer.Context,
    location: Annotated[str, typer.Argument(help="Feed/sitemap/page URL, or a local path.")],
    kind: Annotated[
        SourceKind | None, typer.Option("--kind", "-k", help="What it is (guessed if left out).")
    ] = None,
    title: Annotated[str | None, typer.Option(help="A name for the source.")] = None,
) -> None:
    """Add a source (an existing URL is not added twice)."""
    app_ctx: AppContext = ctx.obj
    chosen = kind or guess_kind(location)
    url = normalize_location(location, chosen)
    with open_cli_store(app_ctx.settings) as store:
        source, new = store.add_source(chosen, url, title=title)
    verb = "added" if new else "already present:"
    console.print(f"{verb} source {source.id} ({source.kind}) {source.url}")


@app.command("list")
def list_sources(ctx: typer.Context) -> None:
    """List sources with their health."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        rows = [(s, store.count_articles(source_id=s.id)) for s in store.list_sources()]
    table = Table(title=f"{len(rows)} sources")
    for column in (
        "id",
        "kind",
        "url",
        "title",
        "articles",
        "last success",
        "failures",
        "last error",
        "next check",
    ):
        table.add_column(column, overflow="fold")
    for s, count in rows:
        table.add_row(
            str(s.id),
            str(s.kind),
            s.url,
            s.title or "",
            str(count),
            _when(s.last_success_at),
            str(s.consecutive_failures),
            (s.last_error or "")[:80],
            _when(s.next_check_at) if s.enabled else "manual",
        )
    console.print(table)


@app.command("remove")
def remove_source(
    ctx: typer.Context, source_id: Annotated[int, typer.Argument(help="The source's id.")]
) -> None:
    """Remove a source (its articles stay)."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        if not store.remove_source(source_id):
            err_console.print(f"no source with id {source_id}; see `primenews sources list`")
            raise typer.Exit(1)
    console.print(f"removed source {source_id}")


@app.command("import-opml")
def import_opml(
    ctx: typer.Context,
    path: Annotated[
        Path, typer.Argument(help="An OPML file of feeds.", exists=True, dir_okay=False)
    ],
) -> None:
    """Add every feed listed in an OPML file."""
    app_ctx: AppContext = ctx.obj
    try:
        outlines = read_opml(path.read_bytes())
    except SourceError as exc:
        err_console.print(f"[red]cannot import {path}:[/red] {exc}")
        raise typer.Exit(1) from exc
    added = 0
    with open_cli_store(app_ctx.settings) as store:
        for outline in outlines:
            _source, new = store.add_source(
                outline.kind, outline.url, title=outline.title, site_url=outline.site_url
            )
            added += int(new)
    console.print(
        f"{len(outlines)} feeds in {path}: {added} added, {len(outlines) - added} already present"
    )


@app.command("export-opml")
def export_opml(
    ctx: typer.Context,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="File (default stdout).")
    ] = None,
) -> None:
    """Write the feed sources as OPML."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        feeds = [s for s in store.list_sources() if s.kind is SourceKind.FEED]
    text = write_opml(feeds)
    if output is None:
        typer.echo(text)
    else:
        output.write_text(text, encoding="utf-8")
        console.print(f"wrote {len(feeds)} feeds to {output}")


def _when(moment: object) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment is not None else ""  # type: ignore[attr-defined]
