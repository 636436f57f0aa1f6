"""``primenews ingest``: run the ingest stage for due sources, one source, or local files."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.cli.progress import IngestProgress, ingest_table
from primenews.models import Source, SourceKind
from primenews.pipeline import ingest
from primenews.store import Store


def ingest_command(
    ctx: typer.Context,
    source: Annotated[int | None, typer.Option("--source", help="Ingest this source now.")] = None,
    warc: Annotated[
        Path | None,
        typer.Option("--warc", help="A WARC or WARC.gz file.", exists=True, resolve_path=True),
    ] = None,
    html: Annotated[
        Path | None,
        typer.Option("--html", help="An HTML file or folder.", exists=True, resolve_path=True),
    ] = None,
    urls: Annotated[
        Path | None,
        typer.Option("--urls", help="A file of URLs, one a line.", exists=True, resolve_path=True),
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", help="JSON Lines of articles.", exists=True, resolve_path=True),
    ] = None,
) -> None:
    """Ingest every due source, or only what the options name."""
    app_ctx: AppContext = ctx.obj
    settings = app_ctx.settings
    with open_cli_store(settings) as store:
        chosen = _chosen_sources(
            store,
            source,
            {
                SourceKind.WARC: warc,
                SourceKind.HTML: html,
                SourceKind.URLS: urls,
                SourceKind.JSONL: jsonl,
            },
        )
        if not chosen:
            console.print("no source is due; add one with `primenews sources add`")
            return
        with IngestProgress() as progress:
            report = ingest(settings, store, chosen, observer=progress)
    console.print(ingest_table(report))
    if report.failed_sources and len(report.failed_sources) == len(report.sources):
        raise typer.Exit(1)


def _chosen_sources(
    store: Store, source_id: int | None, files: dict[SourceKind, Path | None]
) -> list[Source]:
    chosen: list[Source] = []
    if source_id is not None:
        found = store.get_source(source_id)
        if found is None:
            err_console.print(f"no source with id {source_id}; see `primenews sources list`")
            raise typer.Exit(1)
        chosen.append(found)
    for kind, path in files.items():
        if path is not None:
            # a one-off import is kept as a manual source so its articles are attributed
            added, _new = store.add_source(kind, str(path), title=path.name, enabled=False)
            chosen.append(added)
    if source_id is None and not chosen:
        chosen = store.due_sources()
    return chosen
