"""Main-text extraction on the Zyte/Scrapinghub article-extraction benchmark: newsbrief vs plain trafilatura.

Data: ``../shared/eval/article_extraction/`` (181 pages with a gold ``articleBody``). The metric is the
benchmark's own ``evaluate.py``: per page, the multisets of 4-gram shingles of ``\\w+`` tokens of gold and
prediction give tp/fp/fn, normalised to sum to 1; precision and recall are averaged over pages (macro; a page
with an empty prediction is left out of the precision average, as there), F1 is the harmonic mean of the two
averages. (The SOURCE.md note says "whitespace tokens"; ``evaluate.py`` tokenises with ``\\w+``, which we follow.)

Extractors, all run here in one process on the same pages:
- ``newsbrief``: the text of ``clean_document(RawDocument(kind="html", ...))``, i.e. ``extract_html`` (trafilatura
  with favor_recall and metadata) followed by the line cleaner;
- ``newsbrief extract_html only``: the same without the line cleaner, to show what the cleaner adds or removes;
- ``trafilatura.extract``: plain ``trafilatura.extract(html, include_comments=False)``, exactly the benchmark's
  ``extractors/run_trafilatura.py``.

The metric is first checked on ``reference_extractor_outputs.json`` (trafilatura's published 0.958 should come
out). Then the worst pages for newsbrief are listed with the lines the cleaner removed and their reasons, and
every removal reason is scored by how much of what it removed is gold body text.

Run: ``python benchmarks/extraction.py [--limit N] [--worst K]``.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, require_eval

# Published F1 / P / R (benchmark README at 4a3bc97) of the extractors in reference_extractor_outputs.json,
# to print next to our re-computation of their stored outputs.
PUBLISHED: dict[str, tuple[float, float, float] | None] = {
    "trafilatura": (0.958, 0.938, 0.978),
    "readability": (0.922, 0.913, 0.931),
    "newspaper": (0.949, 0.964, 0.934),  # newspaper4k 0.9.3.1 (the stored output)
    "goose3": (0.896, 0.940, 0.856),
    "justext": (0.804, 0.858, 0.756),
    "boilerpipe": (0.860, 0.850, 0.870),
}
# The re-implemented metric passes its sanity check when trafilatura's stored outputs score within this
# distance of the published F1 (the published ± is 0.006; rounding and version drift fit well inside 0.01).
SANITY_TOLERANCE = 0.01
# Bootstrap resamples for the confidence interval of the newsbrief − trafilatura F1 difference (as evaluate.py).
N_BOOTSTRAP = 1000
# A removed line counts as gold body text when at least this share of its shingles is in the gold body.
GOLD_LINE_SHARE = 0.5
NGRAM = 4

_TOKEN = re.compile(r"\w+", re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

TpFpFn = tuple[float, float, float]


# --- the benchmark's metric ---------------------------------------------------------------------------------


def shingles(text: str | None, n: int = NGRAM) -> Counter[tuple[str, ...]]:
    """Multiset of n-gram shingles of ``\\w+`` tokens; a text shorter than n gives one shorter shingle."""
    tokens = _TOKEN.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def match(true: str | None, pred: str | None) -> TpFpFn:
    """tp/fp/fn of shingles for one page, normalised to sum to 1 (longer pages do not weigh more)."""
    t, p = shingles(true), shingles(pred)
    tp = float(sum((t & p).values()))
    fp = float(sum((p - t).values()))
    fn = float(sum((t - p).values()))
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


@dataclass(frozen=True, slots=True, kw_only=True)
class Scores:
    f1: float
    precision: float
    recall: float


def scores(per_page: Sequence[TpFpFn]) -> Scores:
    precision = statistics.mean([_precision(*x) for x in per_page if x[0] + x[1] > 0] or [0.0])
    recall = statistics.mean([_recall(*x) for x in per_page if x[0] + x[2] > 0] or [0.0])
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Scores(f1=f1, precision=precision, recall=recall)


def page_f1(x: TpFpFn) -> float:
    p, r = _precision(*x), _recall(*x)
    return 2 * p * r / (p + r) if p + r else 0.0


def bootstrap_diff(a: Sequence[TpFpFn], b: Sequence[TpFpFn], seed: int = 0) -> tuple[float, float]:
    """Mean and 1.96·SD of F1(a) − F1(b) over paired page resamples (evaluate.py --bootstrap-differences)."""
    rng = random.Random(seed)
    n = len(a)
    diffs = []
    for _ in range(N_BOOTSTRAP):
        idx = [rng.randrange(n) for _ in range(n)]
        diffs.append(scores([a[i] for i in idx]).f1 - scores([b[i] for i in idx]).f1)
    return statistics.mean(diffs), 1.96 * statistics.stdev(diffs)


# --- extractors ------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class Output:
    text: str
    removed: tuple[tuple[str, str], ...] = ()  # (line, reason) dropped by the line cleaner
    seconds: float = 0.0
    headline: str = ""  # the headline paragraph newsbrief puts at the top of Article.text, if any


def run_newsbrief(page: dict[str, Any]) -> Output:
    from newsbrief.clean import clean_document
    from newsbrief.model import RawDocument

    start = time.perf_counter()
    raw = RawDocument(source=page["id"], content=page["html"], kind="html", url=page.get("url"))
    article, _ = clean_document(raw, "a1")
    seconds = time.perf_counter() - start
    if article is None:
        return Output(text="", seconds=seconds)
    title = article.title or ""
    return Output(
        text=article.text,
        removed=tuple((r.text, r.reason) for r in article.removed),
        seconds=seconds,
        headline=title if title and article.text.startswith(title) else "",
    )


def run_extract_html(page: dict[str, Any]) -> Output:
    from newsbrief.clean import extract_html

    start = time.perf_counter()
    extracted = extract_html(page["html"], url=page.get("url"))
    return Output(text=extracted[0] if extracted else "", seconds=time.perf_counter() - start)


def run_trafilatura(page: dict[str, Any]) -> Output:
    import trafilatura

    start = time.perf_counter()
    text = trafilatura.extract(page["html"], include_comments=False)
    return Output(text=text or "", seconds=time.perf_counter() - start)


EXTRACTORS: dict[str, Callable[[dict[str, Any]], Output]] = {
    "newsbrief": run_newsbrief,
    "newsbrief extract_html only": run_extract_html,
    "trafilatura.extract": run_trafilatura,
}


# --- report --------------------------------------------------------------------------------------------------


def sanity_check(folder: Path, gold: dict[str, str]) -> bool:
    path = folder / "reference_extractor_outputs.json"
    if not path.exists():
        print("metric sanity check skipped: reference_extractor_outputs.json not found\n")
        return True
    reference: dict[str, dict[str, str | None]] = json.loads(path.read_text(encoding="utf-8"))
    rows = []
    ok = True
    for name, outputs in reference.items():
        s = scores([match(gold[k], outputs.get(k)) for k in gold])
        published = PUBLISHED.get(name)
        rows.append([name, s.f1, s.precision, s.recall, *(published if published else ("?", "?", "?"))])
        if name == "trafilatura" and published:
            ok = abs(s.f1 - published[0]) <= SANITY_TOLERANCE
    print("Metric sanity check: stored outputs of the benchmark's extractors, re-scored here vs published")
    print_table(["extractor (stored output)", "F1", "P", "R", "published F1", "P", "R"], rows)
    print(
        f"-> trafilatura re-scored within {SANITY_TOLERANCE} of the published 0.958: {'yes' if ok else 'NO'}\n"
    )
    return ok


def line_in_gold(line: str, gold_shingles: Counter[tuple[str, ...]], gold_tokens: str) -> bool | None:
    """Whether a removed line is gold body text; None for lines too short (< 4 tokens) to tell."""
    tokens = _TOKEN.findall(line)
    if len(tokens) < NGRAM:
        return None
    mine = shingles(line)
    inside = sum(c for s, c in mine.items() if s in gold_shingles)
    return inside >= GOLD_LINE_SHARE * sum(mine.values())


def removal_report(
    pages: Sequence[dict[str, Any]],
    outputs: Sequence[Output],
    worst: int,
    per_page: Sequence[TpFpFn],
    baseline: Sequence[TpFpFn],
) -> None:
    by_reason: dict[str, list[int]] = {}  # reason -> [lines, gold lines, gold tokens, short lines]
    examples: dict[str, list[str]] = {}
    for page, out in zip(pages, outputs, strict=True):
        gold_sh = shingles(page["articleBody"])
        gold_tok = " ".join(_TOKEN.findall(page["articleBody"]))
        for line, reason in out.removed:
            counts = by_reason.setdefault(reason, [0, 0, 0, 0])
            counts[0] += 1
            verdict = line_in_gold(line, gold_sh, gold_tok)
            if verdict is None:
                counts[3] += 1
            elif verdict:
                counts[1] += 1
                counts[2] += len(_TOKEN.findall(line))
                examples.setdefault(reason, []).append(f"[{page['id'][:8]}] {line[:160]}")
    rows = [
        [reason, c[0], c[3], c[1], c[2], (c[1] / (c[0] - c[3])) if c[0] > c[3] else 0.0]
        for reason, c in sorted(by_reason.items(), key=lambda kv: -kv[1][2])
    ]
    print("Line-cleaner removals on the benchmark pages, by reason (a line of >= 4 tokens is 'gold' when")
    print(f"at least {GOLD_LINE_SHARE:.0%} of its 4-gram shingles are in the gold body):")
    print_table(["reason", "lines", "short (<4 tok)", "gold lines", "gold tokens", "gold share"], rows)
    print()
    for reason, lines in sorted(examples.items(), key=lambda kv: -by_reason[kv[0]][2]):
        print(f"  body text removed as {reason!r} ({len(lines)} lines), first examples:")
        for line in lines[:6]:
            print(f"    - {line}")
    print()

    order = sorted(range(len(pages)), key=lambda i: page_f1(per_page[i]) - page_f1(baseline[i]))
    print(
        f"Worst {worst} pages for newsbrief relative to trafilatura.extract (page F1 newsbrief / trafilatura):"
    )
    for i in order[:worst]:
        page, out = pages[i], outputs[i]
        gold_sh = shingles(page["articleBody"])
        gold_tok = " ".join(_TOKEN.findall(page["articleBody"]))
        print(
            f"- {page['id'][:12]} {page.get('url', '')[:90]}\n"
            f"  F1 {page_f1(per_page[i]):.3f} / {page_f1(baseline[i]):.3f}  "
            f"P {_precision(*per_page[i]):.3f} R {_recall(*per_page[i]):.3f}  "
            f"(trafilatura P {_precision(*baseline[i]):.3f} R {_recall(*baseline[i]):.3f})"
        )
        for line, reason in out.removed:
            verdict = line_in_gold(line, gold_sh, gold_tok)
            mark = "GOLD" if verdict else ("short" if verdict is None else "    ")
            print(f"    {mark:5} {reason:14} {line[:130]}")
    print()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--limit", type=int, default=0, help="score only the first N pages (0 = all 181)")
    parser.add_argument("--worst", type=int, default=8, help="pages listed with their removed lines")
    args = parser.parse_args(argv)

    folder = require_eval("article_extraction")
    with (folder / "article_extraction_benchmark.jsonl").open(encoding="utf-8") as f:
        pages = [json.loads(line) for line in f if line.strip()]
    gold = {p["id"]: p["articleBody"] for p in pages}
    sanity_ok = sanity_check(folder, gold)
    if args.limit:
        pages = pages[: args.limit]

    import trafilatura

    results: dict[str, list[Output]] = {name: [] for name in EXTRACTORS}
    for page in pages:
        for name, run in EXTRACTORS.items():
            results[name].append(run(page))
    per_page = {
        name: [match(p["articleBody"], o.text) for p, o in zip(pages, outs, strict=True)]
        for name, outs in results.items()
    }
    # The gold articleBody leaves the headline out; newsbrief's Article.text starts with it on purpose (so the
    # headline can be cited). This row scores the same output without that first paragraph.
    body_only = [
        Output(text=o.text[len(o.headline) :] if o.headline else o.text, seconds=o.seconds)
        for o in results["newsbrief"]
    ]
    results = {
        "newsbrief": results["newsbrief"],
        "newsbrief, headline paragraph not scored": body_only,
        **{k: v for k, v in results.items() if k != "newsbrief"},
    }
    per_page["newsbrief, headline paragraph not scored"] = [
        match(p["articleBody"], o.text) for p, o in zip(pages, body_only, strict=True)
    ]
    version = getattr(trafilatura, "__version__", "?")
    print(f"Main-text extraction, {len(pages)} pages, trafilatura {version} (same process, same pages)")
    rows = []
    for name, outs in results.items():
        s = scores(per_page[name])
        empty = sum(1 for o in outs if not o.text.strip())
        rows.append(
            [name, s.f1, s.precision, s.recall, empty, 1000 * statistics.mean(o.seconds for o in outs)]
        )
    print_table(["extractor", "F1", "P", "R", "empty pages", "ms/page"], rows, floatfmt=".3f")
    ours, base = per_page["newsbrief"], per_page["trafilatura.extract"]
    diff, ci = bootstrap_diff(ours, base)
    f_ours, f_base = scores(ours).f1, scores(base).f1
    verdict = "PASS" if f_ours >= f_base else "FAIL"
    f_body = scores(per_page["newsbrief, headline paragraph not scored"]).f1
    print(
        f"\nnewsbrief − trafilatura.extract F1: {f_ours - f_base:+.3f} (bootstrap {diff:+.3f} ± {ci:.3f}); "
        f"target newsbrief >= trafilatura: {verdict}"
    )
    print(
        f"without the headline paragraph (not part of the gold body): {f_body - f_base:+.3f} "
        f"({'>=' if f_body >= f_base else '<'} trafilatura)\n"
    )
    removal_report(pages, results["newsbrief"], args.worst, ours, base)
    if not sanity_ok:
        print("WARNING: the metric re-implementation does not reproduce the published trafilatura score")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
