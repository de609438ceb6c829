"""Multi-document summarization on Multi-News: newsbrief vs Lead-3, sumy LexRank and sumy TextRank.

Data: ``../shared/eval/multinews/`` — ``multinews_test_dev2000.jsonl`` (2,000 preprocessed, lower-cased,
truncated clusters) and ``multinews_test_raw_sample250.jsonl`` (250 raw, cased, full-length clusters). Every
system runs in this one process on the same clusters with the same word budget (the reference length by
default, or ``--words N``); outputs are cut at the budget and scored with rouge-score (ROUGE-1/2/L F1, Porter
stemming on) by :func:`newsbrief.evaluate.evaluate_summaries`.

Published anchors (raw test set, full length): LexRank 38.3/12.7, TextRank 38.4/13.1, PRIMERA zero-shot
42.0/13.6 (R1/R2). Not directly comparable to the preprocessed file.

The timing part briefs a 50-article story built from the raw clusters' documents (NLP once, untimed), then
times the summary stage alone (target: <= 5 s).

Run: ``python benchmarks/summarize.py [--limit N] [--words N] [--only dev|raw|timing] [--skip-timing]``.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from _common import print_table, require_eval

DEV = "multinews_test_dev2000.jsonl"
RAW = "multinews_test_raw_sample250.jsonl"
TIMING_ARTICLES = 50


def _evaluate(path: Path, limit: int | None, length: str | int) -> None:
    from newsbrief.evaluate import evaluate_summaries, load_clusters

    clusters = load_clusters(path, limit=limit)
    report = evaluate_summaries(clusters, length=length, data=path.name)
    print(f"\n### {path.name}: {report.clusters} clusters, budget = {report.length}\n")
    print_table(
        ["system", "ROUGE-1", "ROUGE-2", "ROUGE-L", "words", "seconds"],
        [[s.name, s.rouge1, s.rouge2, s.rougeL, s.words, s.seconds] for s in report.scores],
        floatfmt=".2f",
    )
    by_name = {s.name: s for s in report.scores}
    nb = by_name["newsbrief"]
    best_r1 = max(by_name["sumy-lexrank"].rouge1, by_name["sumy-textrank"].rouge1)
    best_r2 = max(by_name["sumy-lexrank"].rouge2, by_name["sumy-textrank"].rouge2)
    print(
        f"\nnewsbrief - best sumy: ROUGE-1 {nb.rouge1 - best_r1:+.2f} (target >= +2), "
        f"ROUGE-2 {nb.rouge2 - best_r2:+.2f} (target > 0)"
    )


def _timing(raw: Path) -> None:
    from newsbrief.briefing import build_story
    from newsbrief.corroborate import find_claims
    from newsbrief.evaluate import load_clusters
    from newsbrief.model import RawDocument
    from newsbrief.summarize import summarize_story

    documents: list[str] = []
    for cluster in load_clusters(raw):
        documents.extend(d for d in cluster.documents if len(d.split()) > 100)
        if len(documents) >= TIMING_ARTICLES:
            break
    items = [
        RawDocument(source=f"multinews-{i}.txt", content=text, kind="text")
        for i, text in enumerate(documents[:TIMING_ARTICLES])
    ]
    started = time.perf_counter()
    story = build_story(items, progress=False)
    nlp_seconds = time.perf_counter() - started
    started = time.perf_counter()
    briefed = summarize_story(story, max_sentences=5)
    seconds = time.perf_counter() - started
    started = time.perf_counter()
    claimed = find_claims(story)
    claim_seconds = time.perf_counter() - started
    sentences = sum(len(a.sentences) for a in story.analyses)
    print(f"\n### Summary of a {len(story.analyses)}-article story ({sentences} sentences)\n")
    print_table(
        ["step", "seconds"],
        [
            ["build_story (NLP + all stages)", nlp_seconds],
            ["summarize_story alone (target <= 5 s)", seconds],
            ["find_claims alone", claim_seconds],
        ],
        floatfmt=".2f",
    )
    statuses = Counter(c.status for c in claimed.claims)
    print(f"\nsummary sentences: {len(briefed.summary)}; claims: {dict(sorted(statuses.items()))}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N clusters of each file")
    parser.add_argument(
        "--words", type=int, default=None, help="fixed word budget (default: reference length)"
    )
    parser.add_argument("--skip-timing", action="store_true")
    parser.add_argument("--only", choices=["dev", "raw", "timing"], default=None, help="one part only")
    args = parser.parse_args()
    length: str | int = args.words if args.words else "reference"
    if args.only in (None, "dev"):
        _evaluate(require_eval("multinews", DEV), args.limit, length)
    raw = require_eval("multinews", RAW)
    if args.only in (None, "raw"):
        _evaluate(raw, args.limit, length)
    if args.only in (None, "timing") and not args.skip_timing:
        _timing(raw)


if __name__ == "__main__":
    main()
