"""The ``newsbrief`` command line: thin wrappers over the library.

Exit codes: 0 success, 1 no article could be read, 2 usage errors (click's own).
"""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any

import click

from . import __version__
from .errors import ConfigError, NewsbriefError
from .settings import iter_fields, load_settings, parse_set_options

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 110}


def _setup_logging(verbose: int) -> None:
    level = logging.WARNING if verbose == 0 else logging.INFO if verbose == 1 else logging.DEBUG
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("newsbrief")
    root.handlers[:] = [handler]
    root.setLevel(level)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, prog_name="newsbrief")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
def cli(verbose: int) -> None:
    """newsbrief: many news articles about one story in, one cited briefing out.

    \b
    Example:
        newsbrief brief examples/seeds/ --format md --html briefing.html
    """
    _setup_logging(verbose)


def _settings(config: Path | None, set_options: tuple[str, ...]) -> Any:
    try:
        return load_settings(config, parse_set_options(set_options))
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html"]),
    default="md",
    show_default=True,
    help="Output format.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of stdout.",
)
@click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the self-contained HTML report to this file.",
)
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file."
)
@click.option(
    "--set",
    "set_options",
    multiple=True,
    metavar="SECTION.KEY=VALUE",
    help="Override one setting (repeatable); see `newsbrief settings`.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bar on stderr (default: when a terminal)."
)
def brief(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    html_path: Path | None,
    config: Path | None,
    set_options: tuple[str, ...],
    progress: bool | None,
) -> None:
    """Brief INPUTS (files, folders, URLs) as one story.

    Inputs may be .txt, .html, .jsonl (one article per line: text or html, optional url, title, date, outlet),
    RSS/Atom feeds, WARC archives, folders (read recursively) and http(s) URLs.

    \b
    Example:
        newsbrief brief examples/seeds/ --format md --html briefing.html
        newsbrief brief a.html b.txt https://example.com/news/1 --format json -o briefing.json
    """
    from .briefing import build_story
    from .render import to_html, to_json, to_markdown

    settings = _settings(config, set_options)
    try:
        story = build_story(list(inputs), settings, progress=progress)
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    briefing = to_json(story)
    if fmt == "json":
        rendered = json.dumps(briefing, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "md":
        rendered = to_markdown(briefing)
    else:
        rendered = to_html(briefing)
    if html_path is not None:
        html_path.write_text(to_html(briefing), encoding="utf-8")
        click.echo(f"HTML report written to {html_path}", err=True)
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"{fmt} briefing written to {output}", err=True)
    else:
        click.echo(rendered, nl=False)
    for diag in briefing["diagnostics"]:
        if diag["code"].startswith("E-"):
            click.echo(f"{diag['code']}: {diag['message']}", err=True)
    if not briefing["articles"]:
        click.echo("error: no article could be read from the inputs (see the diagnostics above)", err=True)
        sys.exit(1)


@cli.command(name="settings", context_settings=CONTEXT)
def settings_command() -> None:
    """List every setting with its default and help text.

    \b
    Example:
        newsbrief settings
        newsbrief brief examples/seeds/ --set summary.max_sentences=8
    """
    for name, value, help_text in iter_fields():
        click.echo(f"{name} = {value!r}\n    {help_text}")


def main() -> None:
    cli(prog_name="newsbrief")


if __name__ == "__main__":  # pragma: no cover
    main()
