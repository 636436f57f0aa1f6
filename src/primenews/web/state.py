"""What the feed, SEO and API routes read from the app: its store, settings and page cache.

``create_app`` puts them on ``app.state`` (``store``, ``settings``, ``cache``); these
accessors give them typed, and :func:`cached_response` is how a route answers: the body is
built once per store generation (see :mod:`primenews.web.cache`) and sent with its ETag,
``Cache-Control`` and compression, or as ``304 Not Modified``.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from starlette.requests import Request
from starlette.responses import Response

from primenews.config import Settings
from primenews.store import Store
from primenews.web.cache import (
    CachedBody,
    PageCache,
    RequestKey,
    conditional_response,
    request_cache_key,
)

__all__ = [
    "app_cache",
    "app_settings",
    "app_store",
    "cached_response",
    "request_key",
]


def app_store(request: Request) -> Store:
    """The app's store."""
    store: Store = request.app.state.store
    return store


def app_settings(request: Request) -> Settings:
    """The app's settings."""
    settings: Settings = request.app.state.settings
    return settings


def app_cache(request: Request) -> PageCache:
    """The app's rendered-bytes cache."""
    cache: PageCache = request.app.state.cache
    return cache


def cached_response(
    request: Request,
    key: Hashable,
    build: Callable[[], CachedBody],
    max_age: int,
    *,
    extra: dict[str, str] | None = None,
) -> Response:
    """The body ``build`` makes for ``key`` (built once per store generation), or a 304.

    ``build`` reads the store itself, so a cached answer (a 404 included) costs no query.
    """
    body = app_cache(request).cached(key, build)
    return conditional_response(request, body, max_age, extra=extra)


def request_key(request: Request) -> RequestKey:
    """A cache key naming a GET request: its route path and the query parameters routes read."""
    return request_cache_key(request.url.path, request.query_params.multi_items())
