"""Many stories at once: a mixed stream of inputs → near-duplicates merged → stories clustered → one briefing each.

:func:`run_batch` reads the inputs as a stream (feeds, archives, folders, JSONL), cleans each document, folds
syndicated copies into their first copy (:mod:`newsbrief.dedup`), places each article in a story online
(:class:`~newsbrief.cluster.StoryClusterer`) and sends chunks of :data:`CHUNK_SIZE` articles to a
:class:`~newsbrief.distributed.Runner` for spaCy and the per-article stages (one task per chunk; the model is
loaded once per worker process). Each finished chunk is saved in the store's analysis cache at once, so a batch
killed halfway restarts where it stopped: an article whose analysis is cached is never analysed again.

When the stream ends, the story stages run per story (one runner task per story) on the analyses read back from
the store, and :func:`run_batch` writes ``stories/<id>.json`` and ``.md`` plus ``index.json`` and ``index.md``.
Because every story is briefed from the stored analyses, a fresh run, a resumed run, the local runner and the
Dask runner all give the same files.

The driver's memory does not grow with the stream: texts live in the store, the per-article records (story,
source, notes, copies), the diagnostics and the index lines in a temporary :class:`~newsbrief.ledger.BatchLedger`
on disk, and the clusterer and near-duplicate index remember a bounded window of recent articles.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import sys
import textwrap
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO, TypeVar

from .briefing import Input, analyse_articles, brief_analyses
from .cluster import Assignment, ClusterDoc, StoryClusterer
from .dedup import NearDuplicateIndex, copy_diagnostic, copy_of
from .distributed import Runner
from .errors import diagnostic
from .ledger import BatchLedger, LedgerEntry
from .model import Analysis, Article, ArticleCopy, Diagnostic, RawDocument
from .settings import Settings
from .store import Store, pipeline_fingerprint

__all__ = [
    "CHUNK_SIZE",
    "BatchResult",
    "StoryEntry",
    "analyse_chunk",
    "cluster_inputs",
    "run_batch",
]

logger = logging.getLogger(__name__)
T = TypeVar("T")

# Articles per analysis task (spaCy parses it in batches of settings.nlp.batch_size): smaller chunks spend more
# on task overhead, larger ones leave a worker idle at the end and lose more work to a kill.
CHUNK_SIZE = 16
INDEX_SCHEMA = "newsbrief.batch/1"
_NO_ID = "@"  # article id of cleaning notes until the article has its id in a story


class _DocBytes:
    """A spaCy ``Doc`` as bytes, standing in for it in an :class:`Analysis` sent between processes.

    Not a dataclass: it mimics the one method of ``Doc`` the store calls (``to_bytes``). Pickles small,
    unlike a ``Doc`` (whose pickle drags its vocabulary along).
    """

    __slots__ = ("data",)

    def __init__(self, data: bytes) -> None:
        self.data = data

    def to_bytes(self) -> bytes:
        return self.data


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryEntry:
    """One story of a batch, as listed in ``index.json``."""

    id: str
    title: str | None
    articles: int
    outlets: tuple[str, ...]
    first_date: str | None
    last_date: str | None
    json: str
    markdown: str


@dataclass(frozen=True, slots=True, kw_only=True)
class BatchResult:
    """What a batch did: counts of stories, articles read, analysed now or reused; the rest is in its index.

    The stories and diagnostics are read back from ``index.json`` on demand (:meth:`stories`,
    :meth:`diagnostics`): a batch over a long stream does not hold them all in memory.
    """

    out_dir: Path
    story_count: int
    articles: int
    copies: int
    analysed: int
    reused: int
    diagnostic_count: int = 0

    def _index(self) -> dict[str, Any]:
        index: dict[str, Any] = json.loads((self.out_dir / "index.json").read_text(encoding="utf-8"))
        return index

    def stories(self) -> tuple[StoryEntry, ...]:
        """The stories as listed in ``index.json`` (in order of their first article)."""
        return tuple(_story_entry(line) for line in self._index()["stories"])

    def diagnostics(self) -> tuple[Diagnostic, ...]:
        """Inputs that gave no article (unreadable, not an article, cleaning failed), in reading order."""
        from .render import diagnostic_from_json

        return tuple(diagnostic_from_json(d) for d in self._index()["diagnostics"])


@dataclass(frozen=True, slots=True, kw_only=True)
class _StoryWork:
    story_id: str
    analyses: tuple[Analysis, ...]
    diagnostics: tuple[Diagnostic, ...]
    settings: Settings


# --- tasks (module-level: they are pickled to Dask workers) --------------------------------------------------


def load_model(name: str) -> None:
    """Load the spaCy model in this process (a runner's warm-up); cached for later tasks."""
    from .nlp import load_nlp

    load_nlp(name)


def analyse_chunk(articles: Sequence[Article], settings: Settings) -> list[tuple[str, str, bytes | None]]:
    """spaCy and the per-article stages on ``articles``, encoded for the store's cache on the worker itself.

    (hash, JSON, Doc bytes) per article: the driver only writes them, so it stays free to read the stream. An
    analysis that cannot be encoded is left out (the story reports it missing).
    """
    from .allocator import release_free_memory
    from .nlp import load_nlp, memory_zone
    from .store import encode_analysis

    model = load_nlp(settings.nlp.model)
    rows = []
    with memory_zone(model):  # the Docs are encoded before the zone ends: a long batch's vocab stays flat
        for analysis in analyse_articles(articles, settings, progress=False, nlp=model):
            try:
                rows.append(encode_analysis(analysis))
            except Exception as exc:  # something a stage put in the analysis that cannot be stored
                logger.warning("analysis of %s cannot be stored: %r", analysis.article.source, exc)
    release_free_memory()  # the chunk's scratch arrays are freed: give the pages back (a long batch stays flat)
    return rows


@dataclass(frozen=True, slots=True, kw_only=True)
class _Briefed:
    """One story briefed and rendered on a worker: the files' texts and its line in the index."""

    entry: StoryEntry
    json_text: str
    markdown: str
    html: str | None


def brief_stories(works: Sequence[_StoryWork], html: bool = False) -> list[_Briefed]:
    """Brief and render several stories (one task: small stories would spend more on task overhead)."""
    from .allocator import release_free_memory
    from .render import to_html, to_markdown

    out: list[_Briefed] = []
    for work in works:
        briefing = brief_story_work(work)
        out.append(
            _Briefed(
                entry=_entry(work.story_id, briefing),
                json_text=json.dumps(briefing, ensure_ascii=False, indent=2) + "\n",
                markdown=to_markdown(briefing),
                html=to_html(briefing) if html else None,
            )
        )
    release_free_memory()
    return out


def brief_story_work(work: _StoryWork) -> dict[str, Any]:
    """The story stages over one story's analyses (Docs rebuilt from bytes) → the briefing contract's JSON."""
    from spacy.tokens import Doc

    from .nlp import load_nlp, memory_zone
    from .render import to_json

    model = load_nlp(work.settings.nlp.model)
    with memory_zone(model):  # the briefing leaves the zone as plain JSON data; the Docs stay inside
        analyses = [
            dataclasses.replace(a, doc=Doc(model.vocab).from_bytes(a.doc.data))
            if isinstance(a.doc, _DocBytes)
            else a
            for a in work.analyses
        ]
        story = brief_analyses(analyses, work.settings, story_id=work.story_id, diagnostics=work.diagnostics)
        return to_json(story)


# --- the stream ---------------------------------------------------------------------------------------------


class _Reader:
    """Reads inputs into articles: cleaning, exact and near duplicates, online story assignment.

    Mutable: the running state of one pass over the stream. What it learns of each article goes to ``ledger``.
    """

    def __init__(
        self,
        settings: Settings,
        ledger: BatchLedger,
        clusterer: StoryClusterer | None = None,
        window: int | None = None,
    ) -> None:
        self.settings = settings
        self.ledger = ledger
        self.window = window
        self.clusterer = clusterer or (
            StoryClusterer() if window is None else StoryClusterer(max_idle_docs=window)
        )
        self.near: NearDuplicateIndex | None = None
        self.copies = 0

    def read(self, inputs: Iterable[Input]) -> Iterator[tuple[Article, Assignment, RawDocument]]:
        """Each new (not a copy) article with its story, in input order."""
        from .clean import clean_document
        from .ingest import iter_documents

        for item in iter_documents(inputs, self.settings.ingest):
            if isinstance(item, Diagnostic):
                self.ledger.add_diagnostic(item)
                continue
            try:
                article, notes = clean_document(item, _NO_ID, self.settings.ingest)
            except Exception as exc:  # a cleaner bug on one page must not sink the batch
                logger.exception("cleaning %s failed", item.source)
                self.ledger.add_diagnostic(
                    diagnostic(
                        "E-STAGE",
                        f"{item.source}: cleaning failed ({exc!r})",
                        stage="clean",
                        source=item.source,
                    )
                )
                continue
            if article is None:
                self.ledger.add_diagnostics(notes)
                continue
            original = self._original(article)
            if original is not None:
                self.ledger.add_copy(original, copy_of(article))
                self.copies += 1
                continue
            assignment = self.clusterer.add(
                ClusterDoc(
                    key=article.content_hash,
                    text=article.text,
                    title=article.title,
                    date=article.published.date if article.published else None,
                )
            )
            self.ledger.add(article.content_hash, assignment.story, article.source, notes)
            yield article, assignment, item

    def _original(self, article: Article) -> str | None:
        if article.content_hash in self.ledger:  # the very same text again: a copy of itself
            return article.content_hash
        if self.near is None:
            self.near = (
                NearDuplicateIndex() if self.window is None else NearDuplicateIndex(max_keys=self.window)
            )
        return self.near.add(article.content_hash, article.text)


def _chunks(items: Iterable[T], size: int) -> Iterator[tuple[T, ...]]:
    chunk: list[T] = []
    for item in items:
        chunk.append(item)
        if len(chunk) >= size:
            yield tuple(chunk)
            chunk = []
    if chunk:
        yield tuple(chunk)


def _progress(show: bool | None, desc: str, unit: str, total: int | None = None) -> Any:
    from tqdm import tqdm

    enabled = sys.stderr.isatty() if show is None else show
    return tqdm(desc=desc, unit=unit, total=total, file=sys.stderr, disable=not enabled, dynamic_ncols=True)


def run_batch(
    inputs: Iterable[Input],
    out_dir: str | Path,
    settings: Settings | None = None,
    *,
    store: Store,
    runner: Runner | None = None,
    chunk_size: int = CHUNK_SIZE,
    progress: bool | None = None,
    on_saved: Callable[[int], None] | None = None,
    html: bool = False,
    window: int | None = None,
) -> BatchResult:
    """Cluster ``inputs`` into stories and write one briefing per story plus an index into ``out_dir``.

    Analyses go to (and are reused from) ``store``; ``runner`` (default: local) runs the per-article chunks
    and the per-story briefings. ``on_saved`` is called with the running count of articles analysed and saved;
    ``html`` also writes ``stories/<id>.html``. ``window`` (articles) overrides how long an idle story stays
    open and how many originals the near-duplicate index remembers (default: the modules' 20,000).
    """
    from .distributed.local import LocalRunner

    settings = settings or Settings()
    runner = runner or LocalRunner()
    out = Path(out_dir)
    (out / "stories").mkdir(parents=True, exist_ok=True)
    pipeline = pipeline_fingerprint(settings)
    with BatchLedger() as ledger:
        reader = _Reader(settings, ledger, window=window)
        counts = _analyse_stream(
            reader, inputs, store, runner, settings, pipeline, chunk_size, progress, on_saved
        )
        story_count = 0
        works = _story_works(ledger, store, pipeline, settings, chunk_size)
        with _progress(progress, "briefing", "story", total=ledger.story_total()) as bar:
            for briefed in runner.map(
                functools.partial(brief_stories, html=html), _story_chunks(works, chunk_size)
            ):
                for one in briefed:
                    (out / one.entry.json).write_text(one.json_text, encoding="utf-8")
                    (out / one.entry.markdown).write_text(one.markdown, encoding="utf-8")
                    if one.html is not None:
                        (out / one.entry.json).with_suffix(".html").write_text(one.html, encoding="utf-8")
                    ledger.add_story(one.entry.id, one.entry.articles, _index_line(one.entry))
                    story_count += 1
                bar.update(len(briefed))
        result = BatchResult(
            out_dir=out,
            story_count=story_count,
            articles=len(ledger),
            copies=reader.copies,
            analysed=counts["analysed"],
            reused=counts["reused"],
            diagnostic_count=ledger.diagnostic_count,
        )
        _write_index(out, ledger, result)
    logger.info(
        "batch: %d article(s) (%d analysed now, %d reused from the store), %d copies merged, %d stories",
        result.articles,
        result.analysed,
        result.reused,
        result.copies,
        result.story_count,
    )
    return result


def _analyse_stream(
    reader: _Reader,
    inputs: Iterable[Input],
    store: Store,
    runner: Runner,
    settings: Settings,
    pipeline: str,
    chunk_size: int,
    progress: bool | None,
    on_saved: Callable[[int], None] | None,
) -> dict[str, int]:
    """Read the stream and analyse every article the store has no analysis of, saving chunk by chunk."""
    counts = {"analysed": 0, "reused": 0}

    def chunks() -> Iterator[tuple[Article, ...]]:
        for read in _chunks(((raw, article) for article, _, raw in reader.read(inputs)), chunk_size):
            cached = store.cached_hashes([a.content_hash for _, a in read], pipeline)
            counts["reused"] += len(cached)
            fresh = [(raw, a) for raw, a in read if a.content_hash not in cached]
            if fresh:
                store.save_articles(fresh)  # the texts live in the store, not in this process
                yield tuple(a for _, a in fresh)

    warm_up = getattr(runner, "warm_up", None)
    if callable(warm_up):
        warm_up(functools.partial(load_model, settings.nlp.model))
    task = functools.partial(analyse_chunk, settings=settings)
    with _progress(progress, "analysing", "article") as bar:
        for rows in runner.map(task, chunks()):
            store.save_encoded_analyses(
                rows, pipeline
            )  # saved chunk by chunk: a kill loses one chunk at most
            counts["analysed"] += len(rows)
            logger.info("analysed and saved %d article(s) (%d so far)", len(rows), counts["analysed"])
            bar.update(len(rows))
            if on_saved is not None:
                on_saved(counts["analysed"])
    return counts


def _story_works(
    ledger: BatchLedger, store: Store, pipeline: str, settings: Settings, size: int
) -> Iterator[_StoryWork]:
    """Each story's work, its analyses read from the store for about ``size`` articles at a time."""
    group: list[tuple[str, list[str]]] = []
    count = 0
    for story_id, hashes in ledger.stories():
        group.append((story_id, hashes))
        count += len(hashes)
        if count >= size:
            yield from _load_works(group, ledger, store, pipeline, settings)
            group, count = [], 0
    if group:
        yield from _load_works(group, ledger, store, pipeline, settings)


def _load_works(
    group: Sequence[tuple[str, Sequence[str]]],
    ledger: BatchLedger,
    store: Store,
    pipeline: str,
    settings: Settings,
) -> list[_StoryWork]:
    """The stories' analyses from the store (ids a1, a2, ... in input order per story), copies and notes attached."""
    all_hashes = [h for _, hashes in group for h in hashes]
    entries = ledger.entries(all_hashes)
    stored = store.cached_articles(all_hashes, pipeline)
    plans: list[tuple[str, list[Article], list[Diagnostic]]] = []
    for story_id, hashes in group:
        notes: list[Diagnostic] = [
            diagnostic(
                "E-STAGE",
                f"{entries[h].source}: its analysis could not be stored; left out",
                stage="batch",
                source=entries[h].source,
            )
            for h in hashes
            if h not in stored
        ]
        articles = [
            dataclasses.replace(stored[h], id=f"a{i}", source=entries[h].source)
            for i, h in enumerate((h for h in hashes if h in stored), start=1)
        ]
        plans.append((story_id, articles, notes))
    # one read for the group: an article belongs to one story, so its hash keys it across the stories
    cached = store.load_analyses(
        [a for _, articles, _ in plans for a in articles], pipeline, doc_as=_DocBytes
    )
    works: list[_StoryWork] = []
    for story_id, articles, notes in plans:
        analyses: list[Analysis] = []
        for article in articles:
            analysis = cached[article.content_hash]
            entry: LedgerEntry = entries[article.content_hash]
            kept = dataclasses.replace(
                analysis.article, id=article.id, source=article.source, copies=entry.copies
            )
            analyses.append(dataclasses.replace(analysis, article=kept))
            notes.extend(
                dataclasses.replace(d, article_id=article.id) if d.article_id == _NO_ID else d
                for d in entry.notes
            )
            notes.extend(copy_diagnostic(c, kept) for c in entry.copies)
        works.append(
            _StoryWork(
                story_id=story_id, analyses=tuple(analyses), diagnostics=tuple(notes), settings=settings
            )
        )
    return works


def _story_chunks(works: Iterable[_StoryWork], size: int) -> Iterator[tuple[_StoryWork, ...]]:
    """Stories grouped into tasks of about ``size`` articles (a larger story is a task of its own)."""
    chunk: list[_StoryWork] = []
    articles = 0
    for work in works:
        if chunk and articles + len(work.analyses) > size:
            yield tuple(chunk)
            chunk, articles = [], 0
        chunk.append(work)
        articles += len(work.analyses)
    if chunk:
        yield tuple(chunk)


def _entry(story_id: str, briefing: dict[str, Any]) -> StoryEntry:
    outlets: dict[str, None] = {}
    for article in briefing["articles"]:
        for name in (article.get("outlet"), *(c.get("outlet") for c in article.get("copies", ()))):
            if name:
                outlets[name] = None
    story = briefing["story"]
    return StoryEntry(
        id=story_id,
        title=story.get("title"),
        articles=len(briefing["articles"]),
        outlets=tuple(outlets),
        first_date=story.get("first_date"),
        last_date=story.get("last_date"),
        json=f"stories/{story_id}.json",
        markdown=f"stories/{story_id}.md",
    )


def _index_line(entry: StoryEntry) -> dict[str, Any]:
    return dataclasses.asdict(entry) | {"outlets": list(entry.outlets)}


def _story_entry(line: dict[str, Any]) -> StoryEntry:
    return StoryEntry(**(line | {"outlets": tuple(line["outlets"])}))


def _write_json_list(handle: TextIO, items: Iterable[dict[str, Any]]) -> None:
    """``items`` as a JSON list at the second level of an indent-2 document, one item in memory at a time."""
    first = True
    for item in items:
        handle.write("[\n" if first else ",\n")
        handle.write(textwrap.indent(json.dumps(item, ensure_ascii=False, indent=2), "    "))
        first = False
    handle.write("[]" if first else "\n  ]")


def _write_index(out: Path, ledger: BatchLedger, result: BatchResult) -> None:
    """``index.json`` (what ``json.dumps(index, indent=2)`` would write) and ``index.md``, streamed."""
    from .render import diagnostic_json

    with (out / "index.json").open("w", encoding="utf-8") as handle:
        handle.write(f'{{\n  "schema": {json.dumps(INDEX_SCHEMA)},\n  "stories": ')
        _write_json_list(handle, ledger.story_lines())
        handle.write(f',\n  "articles": {result.articles},\n  "copies": {result.copies},\n  "diagnostics": ')
        _write_json_list(handle, (diagnostic_json(d) for d in ledger.diagnostics()))
        handle.write("\n}\n")
    with (out / "index.md").open("w", encoding="utf-8") as handle:
        handle.write(f"# {result.story_count} stories from {result.articles} articles\n\n")
        for line in ledger.story_lines(by_size=True):
            s = _story_entry(line)
            when = f" ({s.first_date} – {s.last_date})" if s.first_date else ""
            outlets = f"; {', '.join(s.outlets)}" if s.outlets else ""
            handle.write(f"- [{s.title or s.id}]({s.markdown}){when}: {s.articles} article(s){outlets}\n")


# --- clustering only -----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Placement:
    """Where one article of ``newsbrief cluster`` went."""

    source: str
    story: str
    similarity: float
    new: bool
    title: str | None
    copies: tuple[ArticleCopy, ...] = ()


def cluster_inputs(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    clusterer: StoryClusterer | None = None,
    on_article: Callable[[RawDocument, str], None] | None = None,
) -> tuple[list[Placement], list[Diagnostic]]:
    """Assign the articles of ``inputs`` to stories (near-duplicates merged); no spaCy, no briefing.

    ``clusterer`` continues an earlier run's state; ``on_article(raw, story)`` sees each new article.
    """
    with BatchLedger() as ledger:
        reader = _Reader(settings or Settings(), ledger, clusterer)
        found: list[tuple[str, str | None, Assignment]] = []  # no texts kept: (hash, title, assignment)
        for article, assignment, raw in reader.read(inputs):
            found.append((article.content_hash, article.title, assignment))
            if on_article is not None:
                on_article(raw, assignment.story)
        entries = ledger.entries([key for key, _, _ in found])
        placements = [
            Placement(
                source=entries[key].source,
                story=a.story,
                similarity=a.similarity,
                new=a.new,
                title=title,
                copies=entries[key].copies,
            )
            for key, title, a in found
        ]
        return placements, list(ledger.diagnostics())
