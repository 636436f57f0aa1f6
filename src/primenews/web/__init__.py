"""The website, feeds and JSON API: ``create_app(settings)`` (see :mod:`primenews.web.app`)."""

from __future__ import annotations

from primenews.web.app import create_app

__all__ = ["create_app"]
