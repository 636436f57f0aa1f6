"""``primenews synthesize``: write the story pages that are due, checked by the publish gate."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table
from rich.text import Text

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.cli.progress import PagesProgress, count_progress
from primenews.config import Settings
from primenews.errors import ConfigError
from primenews.pipeline.pages import PagesReport, write_story_pages
from primenews.store import Store
from primenews.synthesize import Synthesizer
from primenews.synthesize.registry import load_synthesizer

__all__ = ["open_synthesizer", "pages_table", "run_pages", "synthesize_command"]


def open_synthesizer(settings: Settings) -> Synthesizer:
    """The configured page backend, or exit with what to set."""
    try:
        return load_synthesizer(settings)
    except ConfigError as exc:
        err_console.print(f"[red]cannot load the page backend:[/red] {exc}")
        raise typer.Exit(2) from exc


def run_pages(
    settings: Settings,
    store: Store,
    synthesizer: Synthesizer,
    *,
    story_id: int | None = None,
    force: bool = False,
    every_story: bool = False,
) -> PagesReport:
    """The pages stage with a progress bar; prints the summary table."""
    progress = count_progress()
    with progress:
        report = write_story_pages(
            store,
            settings,
            synthesizer,
            story_id=story_id,
            force=force,
            every_story=every_story,
            observer=PagesProgress(progress),
        )
    console.print(pages_table(report, synthesizer.name))
    return report


def pages_table(report: PagesReport, backend: str) -> Table:
    """One row per outcome, then one per failed story."""
    table = Table(
        title=f"story pages: {report.written} written ({report.published} published, "
        f"{report.held} held) in {report.seconds:.1f}s, backend {backend}"
    )
    table.add_column("outcome")
    table.add_column("stories", justify="right")
    table.add_column("meaning", overflow="fold")
    rows = (
        ("published", report.published, "new version passed the publish gate"),
        ("held", report.held, "new version kept for review: the gate rejected it"),
        ("unchanged", report.unchanged, "no new independent report since the latest version"),
        ("debounced", report.debounced, "new reports, but the latest version is too recent"),
        ("failed", report.failed, "the backend could not write the page (recorded)"),
    )
    for name, count, meaning in rows:
        table.add_row(name, str(count), meaning)
    for story_id, message in sorted(report.failures.items()):
        table.add_row(f"story {story_id}", "failed", Text(message[:160]))
    return table


def synthesize_command(
    ctx: typer.Context,
    story: Annotated[
        int | None, typer.Option("--story", help="Write this story's page only.")
    ] = None,
    force: Annotated[
        bool,
        typer.Option("--force", help="Write a new version even if recent or unchanged."),
    ] = False,
    every_story: Annotated[
        bool,
        typer.Option(
            "--all",
            help="Look at every story, not only those changed since the last run (after "
            "lowering page_min_reports); write only what is due.",
        ),
    ] = False,
) -> None:
    """Write a cited, gate-checked page for every story with enough independent reports."""
    app_ctx: AppContext = ctx.obj
    settings = app_ctx.settings
    synthesizer = open_synthesizer(settings)
    with open_cli_store(settings) as store:
        if story is not None and store.resolve_story_id(story) is None:
            err_console.print(f"no story with id {story}; see `primenews stories list`")
            raise typer.Exit(1)
        report = run_pages(
            settings, store, synthesizer, story_id=story, force=force, every_story=every_story
        )
    if story is not None and report.stories == 0:
        console.print(
            f"story {story} has fewer than {settings.page_min_reports} independent reports "
            "(page_min_reports): no page is written for it yet"
        )
    if report.failed and not report.written:
        raise typer.Exit(1)
