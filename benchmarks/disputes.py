"""Disputed claims on raw Multi-News stories, listed for reading: how often newsbrief calls outlets in conflict.

Data: ``../shared/eval/multinews/multinews_test_raw_sample250.jsonl`` (250 raw, cased, full-length clusters;
each cluster is one story, each document its own outlet). Every cluster is briefed with the full pipeline
(spaCy and all stages); every ``disputed`` claim is printed with its variants, then the counts: clusters,
claims by status, disputes by kind (figure, calendar year, actor).

There is no gold for disputes: the list is for a person to judge (is each one a real disagreement between
outlets?). benchmarks/RESULTS.md records such a reading.

Run: ``python benchmarks/disputes.py [--limit N]``.
"""

from __future__ import annotations

import argparse
import re
import time
from collections import Counter

from _common import require_eval

RAW = "multinews_test_raw_sample250.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="first N clusters")
    args = parser.parse_args()
    path = require_eval("multinews", RAW)

    from newsbrief.briefing import build_story
    from newsbrief.evaluate import load_clusters
    from newsbrief.model import RawDocument

    clusters = load_clusters(path)[: args.limit]
    statuses: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    started = time.perf_counter()
    for k, cluster in enumerate(clusters):
        items = [
            RawDocument(source=f"cluster{k}-doc{i}.txt", content=text, kind="text")
            for i, text in enumerate(cluster.documents)
        ]
        story = build_story(items, progress=False)
        for claim in story.claims:
            statuses[claim.status] += 1
            if claim.status != "disputed":
                continue
            values = [v.value for v in claim.variants]
            kind = (
                "calendar year"
                if all(re.fullmatch(r"1[89]\d\d|20\d\d", v) for v in values)
                else "figure"
                if all(re.fullmatch(r"[\d.]+", v) for v in values)
                else "actor"
            )
            kinds[kind] += 1
            print(f"== cluster {k} ({kind})")
            for variant in claim.variants:
                print(f"   [{variant.value}] {variant.text[:200]}")
    seconds = time.perf_counter() - started
    print()
    print(
        f"{len(clusters)} clusters in {seconds:.0f} s; claims: "
        + ", ".join(f"{s} {n}" for s, n in statuses.items())
    )
    print("disputed by kind: " + (", ".join(f"{k} {n}" for k, n in sorted(kinds.items())) or "none"))


if __name__ == "__main__":
    main()
