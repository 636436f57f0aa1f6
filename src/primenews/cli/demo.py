"""``primenews demo``: serve the fictional sample newswire on 127.0.0.1, ingest it over HTTP,
group the reports into stories, write their pages (offline: the default extractive backend
needs no model; the llm backend falls back to it when its endpoint is unreachable), then serve
the website at http://127.0.0.1:8000 until Ctrl-C (``--no-serve`` stops after the pages; the
newswire stays up while the site is served, so its source links work).

The demo is the one place (besides tests) that turns ``allow_private_networks`` on: its
outlets live on loopback. A fixed port keeps the source URLs stable, so running the demo
again finds the same sources and adds nothing new.
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.text import Text

from primenews.cli.context import AppContext, console, err_console, open_cli_store
from primenews.cli.progress import IngestProgress, ingest_table
from primenews.cli.serve import serve_site
from primenews.cli.stories import open_embedder, run_stories
from primenews.cli.synthesize import open_synthesizer, run_pages
from primenews.models import SourceKind
from primenews.newswire import NewswireServer
from primenews.pipeline import ingest
from primenews.store import Store


def demo_command(
    ctx: typer.Context,
    port: Annotated[int, typer.Option(help="Port for the sample newswire on 127.0.0.1.")] = 8765,
    serve: Annotated[
        bool,
        typer.Option(
            "--serve/--no-serve",
            help="Then serve the website (and the newswire) until Ctrl-C.",
        ),
    ] = True,
) -> None:
    """Serve the sample newswire, ingest it over real HTTP, cluster, write pages, serve the site."""
    app_ctx: AppContext = ctx.obj
    settings = app_ctx.settings.replace(allow_private_networks=True, per_host_delay=0.0)
    try:
        server = NewswireServer("127.0.0.1", port)
    except OSError as exc:
        err_console.print(
            f"[red]cannot serve the newswire on 127.0.0.1:{port}:[/red] {exc}; "
            "pick another with --port"
        )
        raise typer.Exit(1) from exc
    with server, open_cli_store(settings) as store:
        wire = server.newswire
        console.print(
            f"Sample newswire (fictional) at {server.base_url}: {len(wire.outlets)} outlets, "
            f"{len(wire.reports)} reports; database {settings.database_url}"
        )
        sources = [
            store.add_source(SourceKind(kind), url, title=title)[0]
            for kind, url, title in server.sources()
        ]
        with IngestProgress() as progress:
            report = ingest(settings, store, sources, observer=progress)
        console.print(ingest_table(report))
        run_stories(settings, store, open_embedder(settings))
        run_pages(settings, store, open_synthesizer(settings))
        _print_headlines(store)
        console.print(
            f"{store.count_articles()} articles in {store.count_stories()} stories. Next: "
            "`primenews stories list`, `primenews stories show ID --format md`, "
            "`primenews articles list`, `primenews sources list`."
        )
        if serve:
            site = settings.replace(allow_private_networks=app_ctx.settings.allow_private_networks)
            console.print(
                f"Website: http://{site.serve_host}:{site.serve_port} "
                f"(newswire still at {server.base_url})"
            )
            serve_site(site, store=store)
            console.print("stopped")


def _print_headlines(store: Store) -> None:
    """The headline of every story's latest published page."""
    story_ids = [s.id for s in store.list_stories(limit=1000)]
    published = [sid for sid, (_, ok) in store.page_states(story_ids).items() if ok]
    console.print(f"{len(published)} published story pages:")
    for story_id in sorted(published):
        version = store.latest_story_version(story_id, published_only=True)
        if version is not None:
            console.print(Text(f"  {story_id}: {version.page.headline}"))
