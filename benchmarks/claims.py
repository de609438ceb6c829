"""Claims grouping on raw Multi-News: do the sentences newsbrief groups as one fact really state the same fact?

Data: ``../shared/eval/multinews/multinews_test_raw_sample250.jsonl`` (raw, cased clusters; each document its
own outlet) and ``benchmarks/data/claim_pairs.jsonl``: 220 sentence pairs from 43 of those clusters, labelled
by reading (session 5): ``same`` (one sentence corroborates the other: the same event, figure, quote or
statement), ``related`` (same topic, different facts) or ``junk`` (a caption or navigation line). The file
holds only cluster ids, (document, sentence) indices and labels, no text. 120 pairs were sampled from the
groups of the code of that day and 100 from near misses (cross-outlet pairs with some shared terms that
were not grouped), so the figures compare versions of the grouping on the same pairs; pairs that a new rule
groups and that are not in the sample are not seen.

Every labelled cluster is briefed with the full pipeline; a pair counts as grouped when both sentences are
fact units of one claim group. Printed: grouped pairs by label, precision (same / grouped) and recall
(grouped same / all same).

Run: ``python benchmarks/claims.py``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from pathlib import Path

from _common import print_table, require_eval

RAW = "multinews_test_raw_sample250.jsonl"
PAIRS = Path(__file__).parent / "data" / "claim_pairs.jsonl"


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    path = require_eval("multinews", RAW)

    from newsbrief.briefing import build_story
    from newsbrief.corroborate import fact_groups, fact_units
    from newsbrief.evaluate import load_clusters
    from newsbrief.model import RawDocument

    pairs = [json.loads(line) for line in PAIRS.read_text(encoding="utf-8").splitlines() if line.strip()]
    wanted = {p["cluster"] for p in pairs}
    clusters = {c.id: c for c in load_clusters(path)}
    grouped: Counter[tuple[str, bool]] = Counter()
    started = time.perf_counter()
    for cluster_id in sorted(wanted):
        documents = clusters[cluster_id].documents
        items = [
            RawDocument(source=f"{cluster_id}-doc{i}.txt", content=text, kind="text")
            for i, text in enumerate(documents)
        ]
        units = fact_units(build_story(items, progress=False))
        group_of: dict[tuple[int, int], int] = {}
        for g, members in enumerate(fact_groups(units)):
            for i in members:
                group_of[(units[i].doc, units[i].sentence)] = g
        for p in pairs:
            if p["cluster"] != cluster_id:
                continue
            a, b = group_of.get(tuple(p["a"])), group_of.get(tuple(p["b"]))
            grouped[(p["label"], a is not None and a == b)] += 1
    seconds = time.perf_counter() - started

    labels = sorted({label for label, _ in grouped})
    table = [[label, grouped[(label, True)], grouped[(label, False)]] for label in labels]
    print_table(["label", "grouped", "not grouped"], table)
    kept = sum(grouped[(label, True)] for label in labels)
    same = grouped[("same", True)]
    all_same = same + grouped[("same", False)]
    print(
        f"\n{len(pairs)} labelled pairs in {len(wanted)} stories ({seconds:.0f} s): "
        f"precision {same / kept if kept else 0:.3f} ({same}/{kept} grouped pairs state the same fact), "
        f"recall {same / all_same if all_same else 0:.3f} ({same}/{all_same} same-fact pairs grouped)"
    )


if __name__ == "__main__":
    main()
