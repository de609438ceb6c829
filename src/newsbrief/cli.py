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
@click.argument("inputs", nargs=-1, required=False)
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
@click.option(
    "--story",
    "story_name",
    metavar="NAME",
    help="Brief the stored story NAME (INPUTS, if any, are added to it first); see `newsbrief add`.",
)
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), help="SQLite store (with --story).")
def brief(
    inputs: tuple[str, ...],
    fmt: str,
    output: Path | None,
    html_path: Path | None,
    config: Path | None,
    set_options: tuple[str, ...],
    progress: bool | None,
    story_name: str | None,
    db: Path | None,
) -> None:
    """Brief INPUTS (files, folders, URLs) as one story.

    Inputs may be .txt, .html, .jsonl (one article per line: text or html, optional url, title, date, outlet),
    RSS/Atom feeds, WARC archives, folders (read recursively) and http(s) URLs.

    \b
    Example:
        newsbrief brief examples/seeds/ --format md --html briefing.html
        newsbrief brief a.html b.txt https://example.com/news/1 --format json -o briefing.json
        newsbrief brief --story my-story --format html -o briefing.html
    """
    from .briefing import build_story
    from .render import to_html, to_json, to_markdown

    settings = _settings(config, set_options)
    if story_name is not None:
        briefing = _brief_stored(story_name, db, inputs, settings)
    elif not inputs:
        raise click.UsageError("give INPUTS to brief, or --story NAME for a stored story")
    else:
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


# --- store and web commands (issue 7: newsbrief.store, newsbrief.web) ---------------------------------------
# Thin wrappers: each parses options, calls one library function and prints. Owned by the store/web engineer.

_DB_OPTION = click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="SQLite store; default $NEWSBRIEF_DB, else newsbrief.db in the user data directory.",
)


def _open_store(db: Path | None) -> Any:
    from .store import Store

    try:
        return Store(db)
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc


def _brief_stored(name: str, db: Path | None, inputs: tuple[str, ...], settings: Any) -> dict[str, Any]:
    """``brief --story NAME``: add INPUTS (if any) to the stored story, brief it and return the contract."""
    from .ingest import iter_documents
    from .store import brief_story

    store = _open_store(db)
    try:
        if inputs:
            result = store.add_documents(name, iter_documents(list(inputs), settings.ingest), settings)
            click.echo(f"{len(result.added)} article(s) added to {name}", err=True)
        record = brief_story(store, name, settings)
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    briefing: dict[str, Any] = record.briefing
    return briefing


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--story", "story_name", required=True, metavar="NAME", help="Story to add to (created if new)."
)
@click.option("--title", help="Title of a new story.")
@_DB_OPTION
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file."
)
@click.option(
    "--set", "set_options", multiple=True, metavar="SECTION.KEY=VALUE", help="Override one setting."
)
def add(
    inputs: tuple[str, ...],
    story_name: str,
    title: str | None,
    db: Path | None,
    config: Path | None,
    set_options: tuple[str, ...],
) -> None:
    """Add INPUTS (files, folders, URLs) to the stored story NAME; each article is stored once.

    \b
    Example:
        newsbrief add examples/seeds/ --story my-story
        newsbrief add https://example.com/news/2 --story my-story --db stories.db
    """
    from .ingest import iter_documents

    settings = _settings(config, set_options)
    store = _open_store(db)
    try:
        store.create_story(story_name, title, exist_ok=True)
        result = store.add_documents(story_name, iter_documents(list(inputs), settings.ingest), settings)
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    for saved in result.added:
        click.echo(f"added {saved.hash[:12]} {saved.source}")
    for saved in result.duplicates:
        click.echo(f"already in the story {saved.hash[:12]} {saved.source}")
    for diag in result.diagnostics:
        if diag.code != "W-DUPLICATE":
            click.echo(f"{diag.code}: {diag.message}", err=True)
    info = store.story(story_name)
    click.echo(
        f"{story_name}: {info.articles} article(s); brief it with `newsbrief brief --story {story_name}`"
    )
    if not result.added and not result.duplicates:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@_DB_OPTION
@click.option("--json", "as_json", is_flag=True, help="One JSON object per story.")
def stories(db: Path | None, as_json: bool) -> None:
    """List the stored stories.

    \b
    Example:
        newsbrief stories
        newsbrief stories --db stories.db --json
    """
    import dataclasses

    store = _open_store(db)
    for info in store.stories():
        if as_json:
            click.echo(json.dumps(dataclasses.asdict(info), ensure_ascii=False))
        else:
            briefed = info.briefed_at[:16].replace("T", " ") if info.briefed_at else "never briefed"
            title = info.title or info.briefing_title or ""
            click.echo(f"{info.name}\t{info.articles} articles\t{briefed}\t{title}")


@cli.command(context_settings=CONTEXT)
@click.option("--story", "story_name", required=True, metavar="NAME", help="The stored story.")
@click.option(
    "-f",
    "--format",
    "fmt",
    type=click.Choice(["json", "md", "html", "jsonl"]),
    default="json",
    show_default=True,
    help="The briefing as json/md/html, or the articles as jsonl (which `newsbrief add` reads back).",
)
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file.")
@_DB_OPTION
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file."
)
@click.option(
    "--set", "set_options", multiple=True, metavar="SECTION.KEY=VALUE", help="Override one setting."
)
def export(
    story_name: str,
    fmt: str,
    output: Path | None,
    db: Path | None,
    config: Path | None,
    set_options: tuple[str, ...],
) -> None:
    """Export a stored story: its briefing (briefed first when out of date) or its articles.

    \b
    Example:
        newsbrief export --story my-story -f html -o my-story.html
        newsbrief export --story my-story -f jsonl -o my-story.jsonl
    """
    from .render import to_html, to_markdown

    settings = _settings(config, set_options)
    if fmt == "jsonl":
        store = _open_store(db)
        try:
            lines = [json.dumps(r, ensure_ascii=False) for r in store.export_articles(story_name)]
        except NewsbriefError as exc:
            raise click.ClickException(str(exc)) from exc
        rendered = "".join(line + "\n" for line in lines)
    else:
        briefing = _brief_stored(story_name, db, (), settings)
        if fmt == "json":
            rendered = json.dumps(briefing, ensure_ascii=False, indent=2) + "\n"
        else:
            rendered = to_markdown(briefing) if fmt == "md" else to_html(briefing)
    if output is not None:
        output.write_text(rendered, encoding="utf-8")
        click.echo(f"{fmt} written to {output}", err=True)
    else:
        click.echo(rendered, nl=False)


@cli.command(context_settings=CONTEXT)
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to bind (others need --token).")
@click.option("-p", "--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@_DB_OPTION
@click.option(
    "--token", envvar="NEWSBRIEF_TOKEN", help="API token required on every request [$NEWSBRIEF_TOKEN]."
)
@click.option("--max-upload-bytes", type=int, help="Largest request body (default 25 MB); larger get 413.")
@click.option("--max-articles", type=int, help="Most articles per story (default 500); more get 413.")
@click.option(
    "--get", "get_path", metavar="PATH", help="Request PATH in-process, print the response and exit."
)
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file."
)
@click.option(
    "--set", "set_options", multiple=True, metavar="SECTION.KEY=VALUE", help="Override one setting."
)
def serve(
    host: str,
    port: int,
    db: Path | None,
    token: str | None,
    max_upload_bytes: int | None,
    max_articles: int | None,
    get_path: str | None,
    config: Path | None,
    set_options: tuple[str, ...],
) -> None:
    """Run the web app and HTTP API (needs the web extra: pip install 'newsbrief[web]').

    Binds 127.0.0.1 by default; any other address requires --token. API docs at /docs.

    \b
    Example:
        newsbrief serve --db stories.db
        newsbrief serve --get /api/stories
    """
    import dataclasses

    from .errors import MissingDependency

    settings = _settings(config, set_options)
    try:
        from .web.app import WebSettings, create_app
        from .web.server import check_bind, run_server
    except MissingDependency as exc:
        raise click.ClickException(str(exc)) from exc
    changes: dict[str, Any] = {"host": host, "db": db, "token": token}
    if max_upload_bytes is not None:
        changes["max_upload_bytes"] = max_upload_bytes
    if max_articles is not None:
        changes["max_articles"] = max_articles
    web = dataclasses.replace(WebSettings(), **changes)
    if get_path is not None:
        import asyncio

        import httpx

        app = create_app(settings, web=dataclasses.replace(web, preload=False))
        headers = {"Authorization": f"Bearer {token}"} if token else {}

        async def fetch() -> httpx.Response:
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=f"http://{host}") as client:
                return await client.get(get_path, headers=headers)

        response = asyncio.run(fetch())
        click.echo(response.text)
        if response.status_code >= 400:
            sys.exit(1)
        return
    try:
        check_bind(host, token)
        run_server(settings, web, port=port)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc


# --- end of store and web commands ----------------------------------------------------------------------------


# --- many stories: cluster and batch (issue 8) ---------------------------------------------------------------


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also add each story's articles to this store (stories PREFIX<id>); later runs continue its stories.",
)
@click.option(
    "--prefix", default="story-", show_default=True, help="Name prefix of the stored stories (with --db)."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per article instead of a table.")
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file."
)
@click.option(
    "--set", "set_options", multiple=True, metavar="SECTION.KEY=VALUE", help="Override one setting."
)
def cluster(
    inputs: tuple[str, ...],
    db: Path | None,
    prefix: str,
    as_json: bool,
    config: Path | None,
    set_options: tuple[str, ...],
) -> None:
    """Group the articles of INPUTS (feeds, WARC archives, folders, JSONL, URLs) into stories.

    Prints one line per article: story, similarity to it (0 for a new story), source and title; syndicated
    copies are merged into their first copy and listed with it. With --db the articles are added to stored
    stories (brief one with `newsbrief brief --story story-s1 --db DB`) and the clustering state is kept next to
    the store, so a later run places new articles into the same stories.

    \b
    Example:
        newsbrief cluster feeds/*.xml crawl.warc.gz
        newsbrief cluster crawl.warc.gz --db news.db && newsbrief stories --db news.db
    """
    from .batch import cluster_inputs
    from .cluster import StoryClusterer

    settings = _settings(config, set_options)
    clusterer: StoryClusterer | None = None
    state_path = db.with_name(db.name + ".clusters.json") if db is not None else None
    store = _open_store(db) if db is not None else None
    if state_path is not None and state_path.exists():
        clusterer = StoryClusterer.from_state(json.loads(state_path.read_text(encoding="utf-8")))
    clusterer = clusterer or StoryClusterer()

    def save(raw: Any, story: str) -> None:
        if store is not None:
            store.add_documents(prefix + story, [raw], settings)

    try:
        placements, diagnostics = cluster_inputs(list(inputs), settings, clusterer=clusterer, on_article=save)
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    if state_path is not None:
        state_path.write_text(json.dumps(clusterer.state()), encoding="utf-8")
    for p in placements:
        copies = [{"source": c.source, "outlet": c.outlet} for c in p.copies]
        if as_json:
            record = {
                "story": p.story,
                "similarity": p.similarity,
                "new": p.new,
                "source": p.source,
                "title": p.title,
                "copies": copies,
            }
            click.echo(json.dumps(record, ensure_ascii=False))
        else:
            names = ", ".join(c.outlet or c.source for c in p.copies)
            also = f"\t(+{len(copies)} copies: {names})" if copies else ""
            click.echo(f"{p.story}\t{p.similarity:.3f}\t{p.source}\t{p.title or ''}{also}")
    for diag in diagnostics:
        click.echo(f"{diag.code}: {diag.message}", err=True)
    stories = len({p.story for p in placements})
    click.echo(f"{len(placements)} article(s) in {stories} stories", err=True)
    if not placements:
        sys.exit(1)


@cli.command(context_settings=CONTEXT)
@click.argument("inputs", nargs=-1, required=True)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the briefings (stories/<id>.json and .md) and index.json / index.md.",
)
@click.option(
    "--db",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Store of the analyses (resumes an interrupted batch); default OUT/newsbrief-batch.db.",
)
@click.option(
    "--workers",
    type=int,
    default=1,
    show_default=True,
    help="Worker processes; above 1 runs on a local Dask cluster (needs newsbrief[dask]).",
)
@click.option("--scheduler", metavar="ADDR", help="Run on an existing Dask cluster, e.g. tcp://host:8786.")
@click.option("--chunk-size", type=int, default=None, help="Articles per analysis task (default 16).")
@click.option(
    "--window",
    type=click.IntRange(min=1),
    default=None,
    metavar="N",
    help="A story takes new articles until N articles in a row went elsewhere, and copies are looked for "
    "among the last N originals (default 20,000). The batch's memory levels off after a few windows: "
    "lower it for long streams on a small machine.",
)
@click.option("--html", "with_html", is_flag=True, help="Also write stories/<id>.html.")
@click.option(
    "--config", type=click.Path(exists=True, dir_okay=False, path_type=Path), help="TOML settings file."
)
@click.option(
    "--set", "set_options", multiple=True, metavar="SECTION.KEY=VALUE", help="Override one setting."
)
@click.option(
    "--progress/--no-progress", default=None, help="Progress bars on stderr (default: when a terminal)."
)
def batch(
    inputs: tuple[str, ...],
    out_dir: Path,
    db: Path | None,
    workers: int,
    scheduler: str | None,
    chunk_size: int | None,
    window: int | None,
    with_html: bool,
    config: Path | None,
    set_options: tuple[str, ...],
    progress: bool | None,
) -> None:
    """Cluster INPUTS into stories and write one briefing per story plus an index to --out.

    Per-article analysis runs in chunks on the runner (local, or Dask with --workers/--scheduler) and is saved
    to the store as it finishes: run the same command again after an interruption and finished articles are
    not analysed again.

    \b
    Example:
        newsbrief batch feeds/ crawl.warc.gz --out briefs/
        newsbrief batch crawl.warc.gz --out briefs/ --workers 4
        newsbrief batch crawl.warc.gz --out briefs/ --scheduler tcp://10.0.0.5:8786 --db news.db
        newsbrief batch feeds/ --out briefs/ --window 2000
    """
    from .batch import CHUNK_SIZE, run_batch
    from .distributed import make_runner

    settings = _settings(config, set_options)
    try:
        if scheduler:
            runner = make_runner("dask", scheduler=scheduler)
        elif workers > 1:
            runner = make_runner("dask", workers=workers)
        else:
            runner = make_runner("local")
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    out_dir.mkdir(parents=True, exist_ok=True)
    store = _open_store(db or out_dir / "newsbrief-batch.db")
    try:
        result = run_batch(
            list(inputs),
            out_dir,
            settings,
            store=store,
            runner=runner,
            chunk_size=chunk_size or CHUNK_SIZE,
            progress=progress,
            html=with_html,
            window=window,
        )
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        runner.close()
    for diag in result.diagnostics() if result.diagnostic_count else ():
        if diag.code.startswith("E-"):
            click.echo(f"{diag.code}: {diag.message}", err=True)
    click.echo(
        f"{result.story_count} stories from {result.articles} article(s) ({result.copies} copies merged; "
        f"{result.analysed} analysed now, {result.reused} reused from the store) -> {out_dir / 'index.md'}"
    )
    if not result.story_count:
        sys.exit(1)


# --- evaluation (issue 6) ------------------------------------------------------------------------------------


@cli.group(name="eval", context_settings=CONTEXT)
def eval_group() -> None:
    """Evaluate newsbrief against baselines on reference data (needs the ``eval`` extra).

    \b
    Example:
      newsbrief eval summarize --data clusters.jsonl
    """


@eval_group.command(name="summarize", context_settings=CONTEXT)
@click.option(
    "--data",
    "data",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="JSONL clusters: {'documents': [...], 'summaries': [...]} per line (the Multi-News format).",
)
@click.option("--limit", type=click.IntRange(min=1), help="Only the first N clusters.")
@click.option(
    "--words",
    type=click.IntRange(min=1),
    help="Fixed word budget for every system (default: each cluster's reference length).",
)
@click.option(
    "--system",
    "systems",
    multiple=True,
    help="Systems to run (repeatable; default: lead-3, sumy-lexrank, sumy-textrank, newsbrief).",
)
def eval_summarize(data: Path, limit: int | None, words: int | None, systems: tuple[str, ...]) -> None:
    """ROUGE-1/2/L of newsbrief, Lead-3, sumy LexRank and sumy TextRank on the same clusters and length.

    Every system gets the same word budget and its output is cut there; scores are rouge-score F1 with
    stemming, against the best-matching reference.

    \b
    Example:
      newsbrief eval summarize --data multinews_test.jsonl --limit 300
      newsbrief eval summarize --data clusters.jsonl --words 250
    """
    from .errors import MissingDependency
    from .evaluate import DEFAULT_SYSTEMS, evaluate_summaries, format_report, load_clusters

    try:
        clusters = load_clusters(data, limit=limit)
        if not clusters:
            raise click.ClickException(f"{data}: no clusters with documents and a reference summary")
        report = evaluate_summaries(
            clusters, length=words or "reference", systems=systems or DEFAULT_SYSTEMS, data=data.name
        )
    except MissingDependency as exc:
        raise click.ClickException(str(exc)) from exc  # says which extra to install
    except NewsbriefError as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(format_report(report))


def main() -> None:
    cli(prog_name="newsbrief")


if __name__ == "__main__":  # pragma: no cover
    main()
