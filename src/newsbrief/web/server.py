"""Running the web app with uvicorn: the bind check (a token off loopback) and the entry points."""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from ..errors import ConfigError, MissingDependency
from ..settings import Settings, load_settings, parse_set_options
from .safety import is_loopback_host

__all__ = ["check_bind", "main", "run_server"]

TOKEN_ENV = "NEWSBRIEF_TOKEN"


def check_bind(host: str, token: str | None) -> None:
    """Refuse to serve on a non-loopback address without an API token."""
    if not is_loopback_host(host) and not token:
        raise ConfigError(
            f"binding to {host} exposes the server to the network: set an API token with --token "
            f"or ${TOKEN_ENV} (or bind 127.0.0.1)"
        )


def run_server(
    settings: Settings | None = None,
    web: object | None = None,
    *,
    port: int = 8000,
    log_level: str = "info",
) -> None:
    """Serve the app with uvicorn until interrupted (``web`` is a :class:`~newsbrief.web.app.WebSettings`)."""
    try:
        import uvicorn
    except ImportError as exc:
        raise MissingDependency("the web server needs its extra: pip install 'newsbrief[web]'") from exc
    from .app import WebSettings, create_app

    web_settings = web if isinstance(web, WebSettings) else WebSettings()
    check_bind(web_settings.host, web_settings.token)
    app = create_app(settings, web=web_settings)
    uvicorn.run(app, host=web_settings.host, port=port, log_level=log_level, proxy_headers=False)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m newsbrief.web``: the same server as ``newsbrief serve`` (used by tests and benchmarks)."""
    from .app import WebSettings

    defaults = WebSettings()
    parser = argparse.ArgumentParser(prog="python -m newsbrief.web", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--token", default=os.environ.get(TOKEN_ENV) or None)
    parser.add_argument("--max-upload-bytes", type=int, default=defaults.max_upload_bytes)
    parser.add_argument("--max-articles", type=int, default=defaults.max_articles)
    parser.add_argument("--workers", type=int, default=defaults.workers)
    parser.add_argument("--set", dest="set_options", action="append", default=[], metavar="SECTION.KEY=VALUE")
    parser.add_argument("--log-level", default="warning")
    args = parser.parse_args(argv)
    try:
        settings = load_settings(None, parse_set_options(args.set_options))
        web = dataclasses.replace(
            defaults,
            host=args.host,
            db=args.db,
            token=args.token,
            max_upload_bytes=args.max_upload_bytes,
            max_articles=args.max_articles,
            workers=args.workers,
        )
        run_server(settings, web, port=args.port, log_level=args.log_level)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0
