"""``primenews check FILE``: run the publish gate on any text and list what it would reject.

Reads a PrimeNews Markdown page (``primenews stories page ID``) or any scraped page as plain
text; prints a table (or JSON with ``--format json``) of the gate's verdicts. Exits 1 when a
verdict rejects the page, 0 when it is clean, 2 when the file cannot be read.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich.table import Table
from rich.text import Text

from primenews.cli.context import console, err_console
from primenews.models import Verdict
from primenews.synthesize.gate import check_text
from primenews.synthesize.versions import verdicts_to_json

__all__ = ["OutputFormat", "check_file"]

EXCERPT_CHARS = 70


class OutputFormat(StrEnum):
    """How ``primenews check`` prints its verdicts."""

    table = "table"
    json = "json"


def check_file(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="A text or Markdown page to check.")],
    fmt: Annotated[
        OutputFormat, typer.Option("--format", help="table (default) or json.")
    ] = OutputFormat.table,
) -> None:
    """Check a page with the publish gate; exit 1 when it would be rejected."""
    text = _read_text(path)
    verdicts = check_text(text)
    if fmt is OutputFormat.json:
        typer.echo(json.dumps(_as_json(path, verdicts), ensure_ascii=False, indent=2))
    else:
        _print_table(path, verdicts)
    if any(verdict.reject for verdict in verdicts):
        raise typer.Exit(1)


def _read_text(path: Path) -> str:
    """The file's text (UTF-8, a BOM allowed), or exit 2 saying what is wrong with it."""
    try:
        data = path.read_bytes()
    except FileNotFoundError as exc:
        _fail(f"{path}: no such file", exc)
    except IsADirectoryError as exc:
        _fail(f"{path}: is a folder; give a text or Markdown file", exc)
    except OSError as exc:
        _fail(f"{path}: cannot be read ({exc.strerror or exc})", exc)
    if b"\x00" in data:
        _fail(f"{path}: looks binary (it has NUL bytes); give a text or Markdown file")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _fail(
            f"{path}: is not UTF-8 text (byte {exc.start} cannot be decoded); "
            "convert it, e.g. with iconv -t UTF-8",
            exc,
        )


def _fail(message: str, cause: BaseException | None = None) -> NoReturn:
    err_console.print(Text.assemble(("cannot check ", "red"), message))
    raise typer.Exit(2) from cause


def _as_json(path: Path, verdicts: list[Verdict]) -> dict[str, object]:
    return {
        "path": str(path),
        "rejected": any(v.reject for v in verdicts),
        "verdicts": verdicts_to_json(verdicts),
    }


def _print_table(path: Path, verdicts: list[Verdict]) -> None:
    if not verdicts:
        console.print(Text(f"{path}: clean, nothing for the gate to reject."))
        return
    table = Table(title=Text(f"{path}: {len(verdicts)} finding{'s' if len(verdicts) != 1 else ''}"))
    for column in ("line", "check", "text", "message"):
        table.add_column(column, overflow="fold")
    for verdict in verdicts:
        check = verdict.check if verdict.reject else f"{verdict.check} (advice)"
        table.add_row(
            Text(verdict.target.removeprefix("line:")),
            Text(check),
            Text(_excerpt(verdict.text)),
            Text(verdict.message),
            style=None if verdict.reject else "dim",
        )
    console.print(table)


def _excerpt(text: str) -> str:
    line = " ".join(text.split())
    return line if len(line) <= EXCERPT_CHARS else line[: EXCERPT_CHARS - 1] + "…"
