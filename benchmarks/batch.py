"""Batch throughput and memory: ``newsbrief.batch.run_batch`` on Multi-News documents with 1 and 2 workers.

Data: the first ``--articles`` non-empty documents of ``multinews/multinews_test_dev2000.jsonl`` (in file order,
so whole Multi-News clusters), written to a JSONL file as plain-text articles. Every run starts from an empty
store, so every article is analysed (spaCy + per-article stages) and every story briefed.

Runs, all on the same articles:

- ``local``: :class:`~newsbrief.distributed.local.LocalRunner` (everything in this process);
- ``dask-1`` and ``dask-2``: :class:`~newsbrief.distributed.dask.DaskRunner` on a ``LocalCluster`` of 1 and 2
  worker processes (1 thread each). The speed-up is dask-2 over dask-1 (same overheads), target >= 1.6x.
  The cluster start-up (and model loading on the workers) is outside the timed part; the store writes, the
  reading/cleaning/clustering on the driver and the per-story briefing are inside. Each runner runs
  ``--repeat`` times (interleaved) and the best run is reported: on a shared machine other processes only ever
  slow a run down.

Memory: peak RSS of the driver (this process, :class:`_common.PeakMemory`) per run, and of each Dask worker
process (``ru_maxrss``). Then ``--stream`` sizes (default 500, 1000, 2000, 4000 documents) are each run with the
local runner in a fresh subprocess: the peak RSS should not grow with the number of articles streamed (the
texts live in the store, the per-article records in the batch's ledger on disk, and the clusterer and the
near-duplicate index remember only the last ``--window`` articles' stories, sketches and term frequencies).
Besides the peak, each run reports the resident memory between chunks at the end of the analysis and its slope
over the second half of the stream (MiB per 1,000 articles): the peak also holds one spaCy batch's scratch
arrays, whose size depends on which documents happen to share a batch, not on how many came before. So each run
also reports the peak of every stretch of ``--segment`` articles (the kernel's high-water mark, reset after each
reading) and the slope of those peaks over the second half: memory that does not grow shows flat stretch peaks
once the window has filled.

Run: ``python benchmarks/batch.py`` (several minutes; ``--articles 200 --stream 100 200`` for a quick look).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import PeakMemory, print_table, require_eval, resident_mib, take_peak_mib
from newsbrief.batch import run_batch
from newsbrief.store import Store


def write_articles(source: Path, count: int, target: Path) -> int:
    """The first ``count`` non-empty documents of ``source`` as JSONL articles in ``target``; how many."""
    written = 0
    with source.open(encoding="utf-8") as handle, target.open("w", encoding="utf-8") as out:
        for line in handle:
            record = json.loads(line)
            for index, text in enumerate(record["documents"]):
                if not text.strip():
                    continue
                out.write(
                    json.dumps({"text": text, "url": f"https://multinews.example/{record['id']}/{index}"})
                    + "\n"
                )
                written += 1
                if written >= count:
                    return written
    return written


def _maxrss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _slope_per_1000(points: Sequence[tuple[int, float]]) -> float:
    """Least-squares slope of resident memory (MiB) per 1,000 articles analysed."""
    if len({x for x, _ in points}) < 2:
        return 0.0
    xs, ys = zip(*points, strict=True)
    return 1000 * statistics.linear_regression(xs, ys).slope


def run_once(
    articles: Path, runner: Any, work: Path, window: int | None = None, segment: int = 0
) -> dict[str, Any]:
    """One ``run_batch``; with ``segment`` > 0, also the peak RSS of each stretch of ``segment`` articles."""
    store = Store(work / "store.db")
    saved: list[tuple[float, int]] = []
    resident: list[tuple[int, float]] = []  # (articles analysed, RSS MiB) after each saved chunk
    segment_peaks: list[tuple[int, float]] = []  # (articles analysed, peak RSS MiB since the previous point)

    def on_saved(n: int) -> None:
        saved.append((time.perf_counter(), n))
        rss = resident_mib()
        if rss is not None:
            resident.append((n, rss))
        if segment and n >= segment * (len(segment_peaks) + 1):
            peak = take_peak_mib()
            if peak is not None:
                segment_peaks.append((n, peak))

    started = time.perf_counter()
    with PeakMemory() as memory:
        result = run_batch(
            [articles],
            work / "out",
            store=store,
            runner=runner,
            progress=False,
            window=window,
            on_saved=on_saved,
        )
    seconds = time.perf_counter() - started
    analysis_seconds = (saved[-1][0] - started) if saved else seconds
    # the segment readings reset the high-water mark: the run's peak is the highest of them and the last stretch
    driver_peak = max([memory.peak_mib, *(peak for _, peak in segment_peaks)])
    return {
        "articles": result.articles,
        "copies": result.copies,
        "stories": result.story_count,
        "seconds": seconds,
        "rate": result.articles / seconds,
        "analysis_rate": result.analysed / analysis_seconds,
        "driver_peak": driver_peak,
        "memory_method": memory.label,
        # resident memory between chunks (the analysis's scratch arrays freed) at the end of the analysis, and
        # its trend over the second half of the stream: what the driver keeps per article shows up here
        "settled_end": resident[-1][1] if resident else 0.0,
        "slope_second_half": _slope_per_1000(resident[len(resident) // 2 :]),
        # the peak of each stretch of `segment` articles: flat once the window has filled if memory does not grow
        "segment_peaks": segment_peaks,
        "segment_peak_slope_second_half": _slope_per_1000(segment_peaks[len(segment_peaks) // 2 :]),
    }


def stream_child(articles: Path, work: Path, window: int | None, segment: int) -> None:
    """One streaming-memory measurement in this (fresh) process; prints a JSON line."""
    from newsbrief.distributed.local import LocalRunner
    from newsbrief.nlp import load_nlp

    stats = run_once(articles, LocalRunner(), work, window, segment)
    # spaCy adds every new word to the model's string store and lexeme table for good: one source of growth
    vocab = load_nlp("").vocab
    stats["spacy_strings"] = len(vocab.strings)
    print(json.dumps(stats))


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=1000, help="articles of the speed runs")
    parser.add_argument(
        "--stream",
        type=int,
        nargs="*",
        default=[500, 1000, 2000, 4000],
        help="article counts of the streaming-memory runs (local runner, fresh process each)",
    )
    parser.add_argument("--skip-local", action="store_true", help="leave out the local-runner speed run")
    parser.add_argument("--no-speed", action="store_true", help="only the streaming-memory runs")
    parser.add_argument(
        "--repeat",
        type=int,
        default=2,
        help="speed runs per runner, interleaved; the best is reported (the machine may be shared)",
    )
    parser.add_argument(
        "--window",
        type=int,
        default=1000,
        help="story/near-duplicate window (articles) of the streaming runs; 0 = the default 20,000",
    )
    parser.add_argument(
        "--segment",
        type=int,
        default=500,
        help="streaming runs also report the peak RSS of every stretch of this many articles",
    )
    parser.add_argument(
        "--child", nargs=4, metavar=("ARTICLES", "WORK", "WINDOW", "SEGMENT"), help=argparse.SUPPRESS
    )
    args = parser.parse_args(argv)
    if args.child:
        articles_path, work_path, window, segment = args.child
        stream_child(Path(articles_path), Path(work_path), int(window) or None, int(segment))
        return
    source = require_eval("multinews", "multinews_test_dev2000.jsonl")
    from newsbrief.distributed.dask import DaskRunner
    from newsbrief.distributed.local import LocalRunner

    rows: list[list[object]] = []
    speed: dict[str, float] = {}
    loads: list[str] = []  # 1-minute load average after each run: other processes on the machine skew speed
    with tempfile.TemporaryDirectory(prefix="newsbrief-batch-bench-") as tmp:
        base = Path(tmp)
        articles = base / "articles.jsonl"
        count = write_articles(source, args.articles, articles)
        runs: list[tuple[str, int]] = [] if args.no_speed else [("dask", 1), ("dask", 2)]
        if not args.skip_local and not args.no_speed:
            runs.insert(0, ("local", 1))
        best: dict[str, list[object]] = {}
        for attempt, (kind, workers) in enumerate(runs * args.repeat):
            name = "local" if kind == "local" else f"dask-{workers}"
            work = base / f"{name}-{attempt}"
            work.mkdir()
            worker_peak = ""
            if kind == "local":
                stats = run_once(articles, LocalRunner(), work)
            else:
                with DaskRunner(n_workers=workers, threads_per_worker=1) as runner:
                    from newsbrief.batch import load_model

                    runner.warm_up(lambda: load_model(""))
                    stats = run_once(articles, runner, work)
                    peaks = runner.client.run(_maxrss_mib)
                    worker_peak = " / ".join(f"{v:.0f}" for v in peaks.values())
            loads.append(f"{name} {os.getloadavg()[0]:.1f}")
            print(f"{name}: {stats}", file=sys.stderr, flush=True)
            if stats["rate"] > speed.get(
                name, 0.0
            ):  # best of --repeat: other load only ever slows a run down
                speed[name] = stats["rate"]
                best[name] = [
                    name,
                    workers,
                    stats["articles"],
                    stats["stories"],
                    stats["seconds"],
                    stats["rate"],
                    stats["analysis_rate"],
                    round(stats["driver_peak"]),
                    worker_peak,
                ]
        rows.extend(best.values())
        stream_rows: list[list[object]] = []
        segment_lines: list[str] = []
        for size in args.stream:
            sample = base / f"stream-{size}.jsonl"
            got = write_articles(source, size, sample)
            work = base / f"stream-{size}"
            work.mkdir()
            output = (
                subprocess.run(
                    [
                        sys.executable,
                        __file__,
                        "--child",
                        str(sample),
                        str(work),
                        str(args.window),
                        str(args.segment),
                    ],
                    check=True,
                    capture_output=True,
                    text=True,
                )
                .stdout.strip()
                .splitlines()[-1]
            )
            stats = json.loads(output)
            stream_rows.append(
                [
                    got,
                    stats["stories"],
                    stats["seconds"],
                    stats["rate"],
                    round(stats["driver_peak"]),
                    round(stats["settled_end"]),
                    f"{stats['slope_second_half']:+.1f}",
                    f"{stats['segment_peak_slope_second_half']:+.1f}",
                    stats.get("spacy_strings", ""),
                ]
            )
            segment_lines.append(
                f"{got:>6} documents: " + " ".join(f"{peak:.0f}" for _, peak in stats["segment_peaks"])
            )
            print(f"stream {size}: {stats}", file=sys.stderr, flush=True)
    print(
        f"{count} Multi-News documents (multinews_test_dev2000.jsonl, file order); fresh store per run; "
        "timed: whole run_batch (read, dedup, cluster, analyse, save, brief, write); "
        f"best of {args.repeat} interleaved runs per runner"
    )
    print_table(
        [
            "runner",
            "workers",
            "articles",
            "stories",
            "seconds",
            "articles/s",
            "analysis articles/s",
            "driver peak MiB",
            "worker peak MiB",
        ],
        rows,
        floatfmt=".1f",
    )
    if loads:
        print(f"\n{os.cpu_count()} CPUs; 1-minute load average after each run: {', '.join(loads)}")
    if "dask-1" in speed and "dask-2" in speed:
        ratio = speed["dask-2"] / speed["dask-1"]
        print(
            f"\nspeed-up dask-2 / dask-1: {ratio:.2f}x (target >= 1.6x: {'PASS' if ratio >= 1.6 else 'FAIL'})"
        )
    if "local" in speed and "dask-2" in speed:
        print(f"speed-up dask-2 / local: {speed['dask-2'] / speed['local']:.2f}x")
    window = f"window {args.window} articles" if args.window else "default window (20,000 articles)"
    print(
        f"\nStreaming memory (local runner, {window}, one fresh process per size; peak RSS of the whole process):"
    )
    print_table(
        [
            "documents",
            "stories",
            "seconds",
            "articles/s",
            "peak MiB",
            "settled MiB at end",
            "MiB per 1,000 (2nd half)",
            "segment peak MiB per 1,000 (2nd half)",
            "spaCy strings",
        ],
        stream_rows,
        floatfmt=".1f",
    )
    if segment_lines:
        print(f"\nPeak RSS (MiB) of each stretch of {args.segment} articles analysed, in stream order:")
        print("\n".join(segment_lines))


if __name__ == "__main__":
    main()
