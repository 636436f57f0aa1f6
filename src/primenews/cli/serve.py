"""``primenews serve``: the website, feeds and API with uvicorn.

One worker serves the app built here; more workers each build their own from the same
settings (uvicorn's app factory, :func:`primenews.web.app.create_app_from_env`; a ``--config``
file reaches them through ``PRIMENEWS_CONFIG``).
"""

from __future__ import annotations

import os
from typing import Annotated

import typer
import uvicorn

from primenews.cli.context import AppContext, console, err_console
from primenews.config import Settings
from primenews.errors import StoreError
from primenews.store import Store
from primenews.web.server import NoDelayHttpToolsProtocol

__all__ = ["serve_command", "serve_site"]


def serve_site(
    settings: Settings, *, store: Store | None = None, config_file: str | None = None
) -> None:
    """Serve until Ctrl-C, on ``serve_host:serve_port`` with ``serve_workers`` processes."""
    from primenews.web import create_app

    url = f"http://{settings.serve_host}:{settings.serve_port}"
    console.print(f"serving {settings.site_name} at {url} (Ctrl-C stops)")
    if settings.serve_workers > 1 and store is None:
        if config_file:
            os.environ["PRIMENEWS_CONFIG"] = config_file
        uvicorn.run(
            "primenews.web.app:create_app_from_env",
            factory=True,
            host=settings.serve_host,
            port=settings.serve_port,
            workers=settings.serve_workers,
            log_level="warning",
            server_header=False,
            http=NoDelayHttpToolsProtocol,
            loop="uvloop",
        )
        return
    try:
        app = create_app(settings, store=store)
    except StoreError as exc:
        err_console.print(f"[red]cannot open the store:[/red] {exc}")
        raise typer.Exit(1) from exc
    uvicorn.run(
        app,
        host=settings.serve_host,
        port=settings.serve_port,
        log_level="warning",
        server_header=False,
        http=NoDelayHttpToolsProtocol,
        loop="uvloop",
    )


def _config_file(app_ctx: AppContext) -> str | None:
    for origin in app_ctx.loaded.origins.values():
        if origin.startswith("file "):
            return origin.removeprefix("file ")
    return None


def serve_command(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option(help="Address to listen on (serve_host).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to listen on (serve_port).")] = None,
    workers: Annotated[
        int | None, typer.Option(help="Worker processes (serve_workers).", min=1)
    ] = None,
) -> None:
    """Serve the website, feeds and JSON API (http://127.0.0.1:8000 by default)."""
    app_ctx: AppContext = ctx.obj
    changes = {
        k: v
        for k, v in (("serve_host", host), ("serve_port", port), ("serve_workers", workers))
        if v is not None
    }
    settings = app_ctx.settings.replace(**changes) if changes else app_ctx.settings
    serve_site(settings, config_file=_config_file(app_ctx))
