"""Throughput and peak memory on Multi-News documents: cleaning alone, the whole briefing, and raw spaCy.

Data: ``../shared/eval/multinews/multinews_test_raw_sample250.jsonl`` (raw, cased, full-length documents of 250
clusters). Documents are taken in file order, cluster by cluster, until ``--limit`` (default 1,000); when the raw
sample holds fewer, the rest comes from ``multinews_test_dev2000.jsonl`` (lower-cased, truncated "preprocessed"
text) and the report says how many. The last cluster is cut so the total is exact.

Three phases run in one process on the same documents, with the spaCy model loaded (and warmed up) once:
1. cleaning alone: ``briefing.read_articles`` per cluster (``RawDocument(kind="text")`` inputs: ingest + the
   line cleaner + metadata + duplicate check);
2. raw spaCy: ``nlp.pipe`` over the same raw texts, all in one stream, with the pipeline's batch size;
3. the whole briefing, each cluster as its own story (how the product is used): ``read_articles`` →
   ``analyse_articles`` → ``brief_analyses``, with per-stage wall time (``time.perf_counter``): ingest+clean,
   spaCy (time inside ``nlp.pipe``), each per-article stage, each story stage, and the rest of
   ``analyse_articles`` (building sentences and mentions from the Doc).

Peak memory is the peak resident set size of the process during each phase: the kernel's ``VmHWM``, reset at
the start of each phase through ``/proc/self/clear_refs`` (falls back to ``getrusage`` ``ru_maxrss`` elsewhere).
It includes the loaded spaCy model. ``tracemalloc`` is not used: it slows allocation-heavy code by 2-5x and
would distort the throughput figures.

Targets (issue 3): cleaning >= 300 articles/s; the whole briefing >= 0.8x raw spaCy's documents/s.

Run: ``python benchmarks/throughput.py [--limit N]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import json
import logging
import platform
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import PeakMemory, StageTimes, print_table, require_eval

RAW_FILE = "multinews_test_raw_sample250.jsonl"
TOPUP_FILE = "multinews_test_dev2000.jsonl"
DEFAULT_LIMIT = 1000
# Targets of issue 3.
CLEAN_TARGET_PER_S = 300.0
PIPELINE_VS_SPACY_TARGET = 0.8
# Documents run through spaCy before timing starts (first calls allocate and fill caches).
WARMUP_DOCS = 8

Cluster = tuple[str, list[str]]


def load_clusters(folder: Path, limit: int) -> tuple[list[Cluster], int, int]:
    """Clusters in file order, cut to ``limit`` documents: (clusters, docs from the raw file, docs topped up)."""
    clusters: list[Cluster] = []
    taken = {"raw": 0, "topup": 0}
    total = 0
    for name, key in ((RAW_FILE, "raw"), (TOPUP_FILE, "topup")):
        path = folder / name
        if total >= limit or not path.exists():
            continue
        with path.open(encoding="utf-8") as f:
            for line in f:
                if total >= limit:
                    break
                record = json.loads(line)
                docs = [d for d in record["documents"] if isinstance(d, str)][: limit - total]
                if not docs:
                    continue
                clusters.append((f"{key}:{record['id']}", docs))
                taken[key] += len(docs)
                total += len(docs)
    return clusters, taken["raw"], taken["topup"]


def raw_documents(cluster: Cluster) -> list[Any]:
    from newsbrief.model import RawDocument

    cid, docs = cluster
    return [RawDocument(source=f"{cid}#{j}", content=text, kind="text") for j, text in enumerate(docs)]


class TimedNlp:
    """Wraps a spaCy ``Language`` so the time spent inside ``pipe`` (and only there) is added to ``times``."""

    def __init__(self, nlp: Any, times: StageTimes, name: str = "spaCy nlp.pipe") -> None:
        self._nlp = nlp
        self._times = times
        self._name = name

    def pipe(self, texts: Iterable[str], **kwargs: Any) -> Iterator[Any]:
        docs = iter(self._nlp.pipe(texts, **kwargs))
        while True:
            start = time.perf_counter()
            try:
                doc = next(docs)
            except StopIteration:
                self._times.add(self._name, time.perf_counter() - start)
                return
            self._times.add(self._name, time.perf_counter() - start)
            yield doc

    def __call__(self, text: str) -> Any:
        with self._times.time(self._name):
            return self._nlp(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._nlp, name)


def _timed(fn: Callable[..., Any], times: StageTimes, label: str) -> Callable[..., Any]:
    def run(*args: Any, **kwargs: Any) -> Any:
        with times.time(label):
            return fn(*args, **kwargs)

    return run


def timed_stage_specs(briefing: Any, times: StageTimes) -> Callable[[Any], Any]:
    """A drop-in for ``briefing._stage_specs`` whose stage functions add their run time to ``times``."""
    original = briefing._stage_specs

    def wrap(spec: Any) -> Any:
        return dataclasses.replace(spec, fn=_timed(spec.fn, times, f"{spec.kind} stage {spec.name}"))

    def specs(settings: Any) -> Any:
        article, story = original(settings)
        return [wrap(s) for s in article], [wrap(s) for s in story]

    return specs


def stage_inventory(briefing: Any, settings: Any) -> tuple[list[str], list[str]]:
    """Names of the stages ``briefing`` will run, and the warnings about stages whose module is missing."""
    messages: list[str] = []

    class Grab(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            messages.append(record.getMessage())

    logger = logging.getLogger(briefing.__name__)
    handler = Grab(level=logging.WARNING)
    logger.addHandler(handler)
    try:
        article, story = briefing._stage_specs(settings)
    finally:
        logger.removeHandler(handler)
    names = [f"{s.kind}: {s.name}" for s in (*article, *story)]
    return names, [m for m in messages if "unavailable" in m]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=DEFAULT_LIMIT, help="documents to run (default 1000)")
    args = parser.parse_args(argv)

    folder = require_eval("multinews")
    clusters, from_raw, topped_up = load_clusters(folder, args.limit)
    n_docs = from_raw + topped_up
    texts = [t for _, docs in clusters for t in docs]
    raws = [raw_documents(c) for c in clusters]

    from newsbrief import briefing
    from newsbrief.nlp import load_nlp
    from newsbrief.settings import Settings

    settings = Settings()
    print(
        f"Throughput on Multi-News, measured {datetime.now(UTC):%Y-%m-%d %H:%M} UTC on "
        f"{platform.node() or 'this machine'} (python {platform.python_version()})"
    )
    print(
        f"{n_docs} documents in {len(clusters)} clusters: {from_raw} from {RAW_FILE}"
        + (f", {topped_up} topped up from {TOPUP_FILE} (lower-cased, truncated text)" if topped_up else "")
    )
    print(f"{sum(map(len, texts)):,} characters of raw text\n")

    start = time.perf_counter()
    nlp = load_nlp(settings.nlp.model)
    load_seconds = time.perf_counter() - start
    meta = getattr(nlp, "meta", {})
    print(
        f"spaCy model {meta.get('lang', '?')}_{meta.get('name', '?')} {meta.get('version', '?')} "
        f"(pipes: {', '.join(nlp.pipe_names)}), loaded in {load_seconds:.1f} s; batch size {settings.nlp.batch_size}"
    )
    stages, missing = stage_inventory(briefing, settings)
    print("stages briefing.py runs now:", ", ".join(stages) if stages else "(none)")
    for message in missing:
        print(f"  not run: {message}")
    print()
    for _ in nlp.pipe(texts[:WARMUP_DOCS], batch_size=settings.nlp.batch_size):
        pass

    rows: list[list[object]] = []
    diagnostics: Counter[str] = Counter()

    # 1. cleaning alone
    gc.collect()
    with PeakMemory() as mem:
        start = time.perf_counter()
        n_articles = 0
        cleaned_chars = 0
        for docs in raws:
            articles, diags = briefing.read_articles(docs, settings)
            n_articles += len(articles)
            cleaned_chars += sum(len(a.text) for a in articles)
            diagnostics.update(d.code for d in diags)
        clean_s = time.perf_counter() - start
    memory_label = mem.label
    rows.append(
        ["cleaning alone (read_articles)", n_docs, clean_s, n_docs / clean_s, mem.start_mib, mem.peak_mib]
    )

    # 2. raw spaCy on the same raw texts
    gc.collect()
    with PeakMemory() as mem:
        start = time.perf_counter()
        for _ in nlp.pipe(texts, batch_size=settings.nlp.batch_size):
            pass
        spacy_s = time.perf_counter() - start
    rows.append(
        ["raw spaCy nlp.pipe (one stream)", n_docs, spacy_s, n_docs / spacy_s, mem.start_mib, mem.peak_mib]
    )

    # 3. the whole briefing, one story per cluster
    times = StageTimes()
    timed_nlp = TimedNlp(nlp, times)
    original_specs = briefing._stage_specs
    briefing._stage_specs = timed_stage_specs(briefing, times)  # type: ignore[assignment]
    stories = 0
    story_diagnostics: Counter[str] = Counter()
    gc.collect()
    try:
        with PeakMemory() as mem:
            start = time.perf_counter()
            for (cid, _), docs in zip(clusters, raws, strict=True):
                with times.time("ingest + clean (read_articles)"):
                    articles, diags = briefing.read_articles(docs, settings)
                with times.time("_analyse_articles"):
                    analyses = briefing.analyse_articles(articles, settings, progress=False, nlp=timed_nlp)
                with times.time("_brief_analyses"):
                    story = briefing.brief_analyses(analyses, settings, story_id=cid, diagnostics=diags)
                stories += 1
                story_diagnostics.update(d.code for d in story.diagnostics)
                del story, analyses, articles
            pipeline_s = time.perf_counter() - start
    finally:
        briefing._stage_specs = original_specs
    rows.append(
        [
            "whole briefing (one story per cluster)",
            n_docs,
            pipeline_s,
            n_docs / pipeline_s,
            mem.start_mib,
            mem.peak_mib,
        ]
    )

    print(f"Throughput and memory ({memory_label}; includes the loaded model)")
    print_table(
        ["phase", "documents", "seconds", "docs/s", "RSS at start MiB", "peak RSS MiB"], rows, floatfmt=".1f"
    )
    print(
        f"\n{n_articles} articles from {n_docs} documents; cleaned text is "
        f"{cleaned_chars / max(1, sum(map(len, texts))):.0%} of the raw characters "
        "(raw spaCy parses the uncleaned texts)"
    )

    # per-stage breakdown of phase 3
    seconds = dict(times.seconds)
    analyse_total = seconds.pop("_analyse_articles", 0.0)
    brief_total = seconds.pop("_brief_analyses", 0.0)
    spacy_time = seconds.get("spaCy nlp.pipe", 0.0)
    article_stage_time = sum(v for k, v in seconds.items() if k.startswith("article stage"))
    story_stage_time = sum(v for k, v in seconds.items() if k.startswith("story stage"))
    seconds["rest of analyse_articles (Doc → sentences, mentions)"] = (
        analyse_total - spacy_time - article_stage_time
    )
    seconds["rest of brief_analyses (Story, title)"] = brief_total - story_stage_time
    stage_rows: list[list[object]] = [
        [name, secs, 1000 * secs / n_docs, secs / pipeline_s] for name, secs in seconds.items()
    ]
    stage_rows.append(["total (wall)", pipeline_s, 1000 * pipeline_s / n_docs, 1.0])
    print("\nWhere the whole-briefing time goes (time.perf_counter around each stage)")
    print_table(["stage", "seconds", "ms/document", "share"], stage_rows, floatfmt=".3f")

    codes = story_diagnostics
    if codes:
        print(
            "\nDiagnostics in the briefed stories: " + ", ".join(f"{c} {n}" for c, n in codes.most_common())
        )

    clean_rate, spacy_rate, pipe_rate = n_docs / clean_s, n_docs / spacy_s, n_docs / pipeline_s
    ratio = pipe_rate / spacy_rate
    print(
        f"\ncleaning: {clean_rate:.0f} docs/s (target >= {CLEAN_TARGET_PER_S:.0f}): "
        f"{'PASS' if clean_rate >= CLEAN_TARGET_PER_S else 'FAIL'}"
    )
    print(
        f"whole briefing: {pipe_rate:.1f} docs/s = {ratio:.2f}x raw spaCy {spacy_rate:.1f} docs/s "
        f"(target >= {PIPELINE_VS_SPACY_TARGET}x): {'PASS' if ratio >= PIPELINE_VS_SPACY_TARGET else 'FAIL'}"
    )
    print(f"stories briefed: {stories}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
