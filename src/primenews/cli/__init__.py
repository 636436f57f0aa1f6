"""The ``primenews`` command line: one module per command group.

Only this package prints, configures logging and draws progress bars.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Annotated

import typer

from primenews import __version__
from primenews.cli import (
    articles,
    check,
    config_cmd,
    demo,
    extract,
    ingest,
    serve,
    sources,
    stories,
    synthesize,
)
from primenews.cli.context import AppContext, console
from primenews.config import load_settings
from primenews.errors import ConfigError

__all__ = ["app", "main"]

app = typer.Typer(
    name="primenews",
    help="PrimeNews: a self-hosted AI newsroom. Ingest outlets, group reports into stories, "
    "write cited story pages.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(sources.app, name="sources")
app.add_typer(articles.app, name="articles")
app.add_typer(stories.app, name="stories")
app.command("config")(config_cmd.show_config)
app.command("ingest")(ingest.ingest_command)
app.command("extract")(extract.extract_command)
app.command("cluster")(stories.cluster_command)
app.command("synthesize")(synthesize.synthesize_command)
app.command("check")(check.check_file)
app.command("demo")(demo.demo_command)
app.command("serve")(serve.serve_command)


def _version(value: bool) -> None:
    if value:
        console.print(f"primenews {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    ctx: typer.Context,
    config: Annotated[
        Path | None, typer.Option("--config", help="TOML settings file (default ./primenews.toml).")
    ] = None,
    verbose: Annotated[int, typer.Option("--verbose", "-v", count=True, help="More logs.")] = 0,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print version.")
    ] = False,
) -> None:
    try:
        loaded = load_settings(config_file=config)
    except ConfigError as exc:
        console.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(2) from exc
    level = loaded.settings.log_level.upper()
    if verbose:
        level = "INFO" if verbose == 1 else "DEBUG"
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    ctx.obj = AppContext(loaded)


def main() -> None:
    app()
