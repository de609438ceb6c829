"""The web app (``newsbrief serve``): pages, JSON twins and the HTTP API over the SQLite store.

Needs the ``web`` extra (FastAPI, uvicorn, python-multipart, Jinja2); importing :mod:`newsbrief.web.app`
without it raises :class:`~newsbrief.errors.MissingDependency` naming the ``pip install`` that fixes it.
"""

from __future__ import annotations

from typing import Any

__all__ = ["WebSettings", "create_app", "run_server"]


def __getattr__(name: str) -> Any:
    if name in ("WebSettings", "create_app"):
        from . import app

        return getattr(app, name)
    if name == "run_server":
        from .server import run_server

        return run_server
    raise AttributeError(name)
