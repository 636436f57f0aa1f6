"""``primenews articles``: list and show stored articles."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.cli.render import article_json

app = typer.Typer(help="Browse stored articles.", no_args_is_help=True)


@app.command("list")
def list_articles(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", help="How many.")] = 30,
    source: Annotated[int | None, typer.Option("--source", help="Only this source.")] = None,
) -> None:
    """The newest articles."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        articles = store.list_articles(limit=limit, source_id=source)
        total = store.count_articles(source_id=source)
    table = Table(title=f"{len(articles)} of {total} articles")
    for column in ("id", "published", "outlet", "lang", "title", "words"):
        table.add_column(column, overflow="fold")
    for a in articles:
        table.add_row(
            str(a.id),
            a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else "",
            a.outlet or "",
            a.language or "",
            (a.title or "")[:90],
            str(len(a.text.split())),
        )
    console.print(table)


@app.command("show")
def show_article(
    ctx: typer.Context,
    article_id: Annotated[int, typer.Argument(help="The article's id.")],
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
) -> None:
    """One article with its metadata, text and revisions."""
    app_ctx: AppContext = ctx.obj
    with open_cli_store(app_ctx.settings) as store:
        article = store.get_article(article_id)
        revisions = store.article_revisions(article_id) if article else []
    if article is None:
        err_console.print(f"no article with id {article_id}; see `primenews articles list`")
        raise typer.Exit(1)
    if as_json:
        data = {
            **article_json(article),
            "revisions": [
                {
                    "revision": r.revision,
                    "replaced_at": r.replaced_at.isoformat(),
                    "title": r.title,
                    "text": r.text,
                }
                for r in revisions
            ],
        }
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    console.rule(f"article {article.id}")
    console.print(f"[bold]{article.title or '(no title)'}[/bold]")
    facts = [
        ("url", article.url),
        ("canonical", article.canonical_url),
        ("outlet", article.outlet),
        ("authors", ", ".join(article.authors)),
        ("published", article.published_at),
        ("fetched", article.fetched_at),
        ("language", article.language),
        ("lead image", article.lead_image),
        ("quality", f"{article.quality:.2f}"),
        ("revision", article.revision),
    ]
    for label, value in facts:
        if value:
            console.print(f"[dim]{label}:[/dim] {value}")
    console.print()
    console.print(article.text)
    for r in revisions:
        console.print(f"[dim]revision {r.revision} replaced {r.replaced_at:%Y-%m-%d %H:%M}[/dim]")
