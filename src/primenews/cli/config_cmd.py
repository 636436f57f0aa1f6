"""``primenews config``: the effective settings and where each came from."""

from __future__ import annotations

import dataclasses

import typer
from rich.table import Table

from primenews.cli.context import AppContext, console
from primenews.config import is_secret, setting_docs


def show_config(ctx: typer.Context) -> None:
    """Print the effective settings, where each came from, and what it does."""
    app: AppContext = ctx.obj
    table = Table(title="PrimeNews settings (env PRIMENEWS_* > primenews.toml > default)")
    for column in ("setting", "value", "from", "help"):
        table.add_column(column, overflow="fold")
    values = dataclasses.asdict(app.settings)
    for name, _type, _default, help_text in setting_docs():
        value = "'***'" if is_secret(name) and values[name] else repr(values[name])
        table.add_row(name, value, app.loaded.origins[name], help_text)
    console.print(table)
