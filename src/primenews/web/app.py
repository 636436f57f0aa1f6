"""The web app: ``create_app(settings)`` builds the FastAPI application for ``primenews serve``.

The app holds one store, one page cache and one template set on ``app.state`` (``store``,
``settings``, ``cache``, ``templates``); routes read them through :mod:`primenews.web.state`.
Routers: the reader's pages (:mod:`.pages`), feeds (:mod:`.feeds`), sitemaps and robots.txt
(:mod:`.seo`) and the JSON API (:mod:`.api`). Middleware adds the security headers to
every response, answer GETs already in the page cache without entering FastAPI, and
compress what the page cache did not already compress.
"""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.exception_handlers import http_exception_handler
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import Response

from primenews import __version__
from primenews.config import Settings
from primenews.store import Store, open_store
from primenews.web import api, feeds, pages, seo
from primenews.web.cache import PageCache
from primenews.web.middleware import (
    CachedPagesMiddleware,
    CompressionMiddleware,
    SecurityHeadersMiddleware,
)
from primenews.web.templating import Templates

__all__ = ["create_app", "create_app_from_env"]


def create_app(
    settings: Settings, *, store: Store | None = None, cache_check_interval: float = 1.0
) -> FastAPI:
    """The site, its feeds and its API over ``store`` (opened from the settings if not given).

    ``cache_check_interval`` is how often (seconds) the page cache asks the store whether
    anything changed; pages are rebuilt only when something did.
    """
    own_store = store or open_store(settings.database_url)
    app = FastAPI(
        title=f"{settings.site_name} API",
        version=__version__,
        description="Stories written from many outlets' reports, every sentence cited.",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.settings = settings
    app.state.store = own_store
    cache = PageCache(own_store.web_generation, check_interval=cache_check_interval)
    app.state.cache = cache
    app.state.templates = Templates(settings)
    app.include_router(pages.router)
    app.include_router(feeds.router)
    app.include_router(seo.router)
    app.include_router(api.router)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    app.add_middleware(CompressionMiddleware)
    app.add_middleware(CachedPagesMiddleware, cache=cache)
    app.add_middleware(SecurityHeadersMiddleware)
    if store is None:
        app.router.on_shutdown.append(own_store.close)
    return app


async def _http_error(request: Request, exc: Exception) -> Response:
    """Errors as HTML pages for readers, JSON under /api."""
    status = exc.status_code if isinstance(exc, StarletteHTTPException) else 500
    detail = exc.detail if isinstance(exc, StarletteHTTPException) else "server error"
    if request.url.path.startswith("/api/") and isinstance(exc, StarletteHTTPException):
        return await http_exception_handler(request, exc)
    templates: Templates = request.app.state.templates
    title = "Page not found" if status == 404 else "Request not possible"
    text = templates.render("error.html", path=request.url.path, title=title, message=str(detail))
    return Response(text, status_code=status, media_type="text/html; charset=utf-8")


def create_app_from_env() -> FastAPI:
    """The app for ``uvicorn --factory`` (each worker process): settings from the environment."""
    from primenews.config import load_settings

    return create_app(load_settings().settings)
