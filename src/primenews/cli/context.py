"""What every command gets: the loaded settings, a store opener, the console."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import typer
from rich.console import Console

from primenews.config import LoadedSettings, Settings
from primenews.errors import StoreError
from primenews.store import Store, open_store

__all__ = ["AppContext", "console", "err_console", "open_cli_store"]

# piped or captured output gets wide lines, so URLs and reasons stay whole and greppable
_WIDTH = None if sys.stdout.isatty() else 200
console = Console(highlight=False, soft_wrap=False, width=_WIDTH)
err_console = Console(stderr=True, highlight=False, width=_WIDTH)


@dataclass
class AppContext:
    loaded: LoadedSettings

    @property
    def settings(self) -> Settings:
        return self.loaded.settings


@contextmanager
def open_cli_store(settings: Settings) -> Iterator[Store]:
    """Open the store or exit with a clear message."""
    try:
        store = open_store(settings.database_url)
    except StoreError as exc:
        err_console.print(f"[red]cannot open the store:[/red] {exc}")
        raise typer.Exit(1) from exc
    try:
        yield store
    finally:
        store.close()
