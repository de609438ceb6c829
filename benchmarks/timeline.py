"""Timeline summarization on Timeline17 (Tran et al. 2013): newsbrief's date selection vs a DATEWISE baseline.

Data: ``../shared/eval/timeline17/`` (``timeline17.jsonl`` or the ``timeline17_dev.jsonl`` subset): per source
directory the articles (publication date, text already split one sentence per line) and the reference
timelines. As in news-tls and tilse, directories are merged by ``topic_group`` (articles unioned) and every
reference timeline is one task: the input is restricted to the articles published within the reference's date
range, the output has as many dates as the reference and, per date, the reference's average number of sentences.

Systems, both run here in one process on the same articles and the same date mentions (newsbrief's own temporal
tagger, :func:`newsbrief.timeline.find_times`, against each article's publication date; HeidelTime, which
news-tls used, is not available here):

- ``newsbrief``: candidates are the sentences with a day-level date mention plus the undated lead sentences of
  articles published that day or the next (news-tls's "PM" collector); :func:`newsbrief.timeline.rank_dates`
  ranks dates by the articles (each counted once) and sentences among those candidates, so a date both
  mentioned and written about on the day ranks high; :func:`newsbrief.timeline.summarize_date` picks each
  date's most central sentences;
- ``DATEWISE baseline``: the unsupervised DATEWISE of news-tls (``datewise.py``): ``MentionCountDateRanker``
  (sentences mentioning a date), the same PM candidate collector, and ``CentroidOpt`` over TF-IDF vectors
  (re-implemented here with scikit-learn; the supervised date ranker needs pickles trained on all 19 timelines).
  news-tls also drops sentences without one of the topic's keywords; the keyword files are not in this copy of
  the data, so neither system uses them.

Metrics (tilse, Martschat & Markert 2017, as news-tls ``evaluate.py``): date F1 (precision and recall of the
output dates against the reference dates) and alignment-based ROUGE-1/ROUGE-2 F1
(``align_date_content_costs_many_to_one``), precision and recall averaged over tasks and F1 taken of the
averages. ROUGE uses the original ROUGE-1.5.5 Perl script through tilse when Perl has ``XML::Parser`` (Debian:
``libxml-parser-perl``), else tilse's Python re-implementation (``--rouge reimpl``), as printed.

Published (Ghalandari & Ifrim, ACL 2020, Table 4, all 19 T17 timelines; from SOURCE.md): DATEWISE
AR1-F 0.120, AR2-F 0.035, date-F1 0.544.

Run: ``python benchmarks/timeline.py [--limit-tasks N] [--rouge original|reimpl]``.
"""

from __future__ import annotations

import argparse
import collections
import datetime
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table, require_eval
from newsbrief.model import Analysis, Article, PublishedDate, Sentence, Span
from newsbrief.timeline import Candidate, collect_candidates, find_times, rank_dates, summarize_date

# Published T17 figures (AR1-F, AR2-F, date-F1), Ghalandari & Ifrim 2020 Table 4, copied in SOURCE.md.
PUBLISHED = {
    "DATEWISE (published)": (0.120, 0.035, 0.544),
    "Martschat2018 (published)": (0.105, 0.030, 0.544),
    "Tran2013 (published)": (0.094, 0.022, 0.517),
    "PubCount (published)": (0.105, 0.027, 0.481),
}
# news-tls PM collector settings (datewise.py defaults): the first 5 sentences of an article, for its day and
# the day before.
LEAD_SENTENCES = 5
LEAD_DAYS = 2


@dataclass(slots=True)
class Task:
    name: str
    articles: list[dict[str, Any]]
    reference: dict[datetime.date, list[str]]


def load_tasks(path: Path) -> list[Task]:
    groups: dict[str, dict[str, dict[str, Any]]] = collections.defaultdict(dict)
    timelines: dict[str, list[tuple[str, list[dict[str, Any]]]]] = collections.defaultdict(list)
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            group = record["topic_group"]
            for article in record["articles"]:
                if article.get("text", "").strip():
                    groups[group].setdefault(f"{record['topic']}/{article['id']}", article)
            for name, tl in zip(record["timeline_names"], record["timelines"], strict=True):
                timelines[group].append((f"{record['topic']}/{name}", tl))
    tasks = []
    for group in sorted(groups):
        for name, tl in timelines[group]:
            reference: dict[datetime.date, list[str]] = {}
            for item in tl:
                day = datetime.date.fromisoformat(item["date"][:10])
                reference.setdefault(day, []).extend(item["sentences"])
            tasks.append(
                Task(name=f"{group}: {name}", articles=list(groups[group].values()), reference=reference)
            )
    return tasks


def build_analyses(
    articles: Iterable[dict[str, Any]], start: datetime.date, end: datetime.date
) -> list[Analysis]:
    """Articles published within [start, end] as analyses: one sentence per line, day-precision dates."""
    out = []
    for i, raw in enumerate(articles):
        day = datetime.date.fromisoformat(raw["date"][:10])
        if not start <= day <= end:
            continue
        article_id = f"a{i + 1}"
        lines = [line.strip() for line in raw["text"].split("\n") if line.strip()]
        text = "\n".join(lines)
        sentences = []
        cursor = 0
        for line in lines:
            sentences.append(
                Sentence(
                    span=Span(article_id=article_id, start=cursor, end=cursor + len(line)),
                    text=line,
                    index=len(sentences),
                )
            )
            cursor += len(line) + 1
        published = PublishedDate(
            date=day.isoformat(), confidence=1.0, method="provided", evidence="T17 directory"
        )
        article = Article(id=article_id, source=str(raw["id"]), text=text, outlet="T17", published=published)
        out.append(find_times(Analysis(article=article, sentences=tuple(sentences))))
    return out


def _candidates_in_range(
    analyses: Sequence[Analysis], start: datetime.date, end: datetime.date
) -> list[Candidate]:
    """The day-precision timeline candidates (both systems collect the same ones) within the task's range."""
    s, e = start.isoformat(), end.isoformat()
    return [
        c
        for c in collect_candidates(analyses, lead_sentences=LEAD_SENTENCES, lead_days=LEAD_DAYS)
        if c.granularity == "day" and s <= c.date <= e
    ]


# ------------------------------------------------------------------------------------------------- systems


def newsbrief_timeline(
    analyses: Sequence[Analysis], start: datetime.date, end: datetime.date, n_dates: int, k: int
) -> dict[datetime.date, list[str]]:
    candidates = _candidates_in_range(analyses, start, end)
    by_date: dict[str, list[Candidate]] = collections.defaultdict(list)
    for c in candidates:
        by_date[c.date].append(c)
    timeline: dict[datetime.date, list[str]] = {}
    for day, _ in rank_dates(candidates):
        if len(timeline) >= n_dates:
            break
        chosen = summarize_date(by_date[day], k)
        if chosen:
            timeline[datetime.date.fromisoformat(day)] = [c.sentence.text for c in chosen]
    return timeline


def datewise_baseline(
    analyses: Sequence[Analysis], start: datetime.date, end: datetime.date, n_dates: int, k: int
) -> dict[datetime.date, list[str]]:
    """news-tls DATEWISE without supervision: MentionCount dates, PM candidates, CentroidOpt summaries."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.metrics.pairwise import cosine_similarity
    from sklearn.preprocessing import normalize

    candidates = _candidates_in_range(analyses, start, end)
    counts: collections.Counter[str] = collections.Counter()
    for c in candidates:
        if c.kind == "mention":
            counts[c.date] += 1
    by_date: dict[str, list[Candidate]] = collections.defaultdict(list)
    for c in candidates:
        by_date[c.date].append(c)
    vectorizer = TfidfVectorizer(stop_words="english", lowercase=True)
    vectorizer.fit([sent.text for a in analyses for sent in a.sentences])
    timeline: dict[datetime.date, list[str]] = {}
    for day, _ in sorted(counts.items(), key=lambda x: (-x[1], x[0])):
        if len(timeline) >= n_dates:
            break
        sents = list(dict.fromkeys(c.sentence.text for c in by_date[day]))
        x = sparse.csr_matrix(vectorizer.transform(sents))
        centroid = normalize(sparse.csr_matrix(x.sum(0)))
        selected: list[int] = []
        remaining = set(range(len(sents)))
        while remaining and len(selected) < k:
            base = sparse.csr_matrix(x[selected].sum(0)) if selected else None
            scores = {}
            for i in remaining:
                vec = normalize(x[i] + base) if base is not None else x[i]
                scores[i] = cosine_similarity(vec, centroid)[0, 0]
            best = max(scores, key=lambda i: scores[i])
            remaining.discard(best)
            selected.append(best)
        if selected:
            timeline[datetime.date.fromisoformat(day)] = [sents[i] for i in selected]
    return timeline


# ---------------------------------------------------------------------------------------------- evaluation


def perl_rouge_available() -> bool:
    if shutil.which("perl") is None:
        return False
    return subprocess.run(["perl", "-MXML::Parser", "-e", "1"], capture_output=True).returncode == 0


def date_prf(pred: dict[datetime.date, list[str]], ref: dict[datetime.date, list[str]]) -> dict[str, float]:
    shared = len(set(pred) & set(ref))
    p = shared / len(pred) if pred else 0.0
    r = shared / len(ref) if ref else 0.0
    return {"precision": p, "recall": r, "f_score": 2 * p * r / (p + r) if p + r else 0.0}


def _average(results: Sequence[dict[str, float]]) -> dict[str, float]:
    p = sum(r["precision"] for r in results) / len(results)
    r = sum(x["recall"] for x in results) / len(results)
    return {"precision": p, "recall": r, "f_score": 2 * p * r / (p + r) if p + r else 0.0}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit-tasks", type=int, default=0)
    parser.add_argument("--rouge", choices=["auto", "original", "reimpl"], default="auto")
    args = parser.parse_args(argv)

    folder = require_eval("timeline17")
    data = next(
        (folder / n for n in ("timeline17.jsonl", "timeline17_dev.jsonl") if (folder / n).exists()), None
    )
    if data is None:
        print(f"skipped: no timeline17*.jsonl in {folder}")
        return 0
    try:
        from tilse.data.timelines import GroundTruth as TilseGroundTruth
        from tilse.data.timelines import Timeline as TilseTimeline
        from tilse.evaluation import rouge as tilse_rouge
    except ImportError:
        print("skipped: tilse is not installed (pip install 'newsbrief[eval]' or pip install tilse)")
        return 0
    mode = args.rouge
    if mode == "auto":
        mode = "original" if perl_rouge_available() else "reimpl"
    evaluator = tilse_rouge.TimelineRougeEvaluator(measures=["rouge_1", "rouge_2"], rouge_computation=mode)

    tasks = load_tasks(data)
    if args.limit_tasks:
        tasks = tasks[: args.limit_tasks]
    print(f"data: {data.name}, {len(tasks)} tasks (reference timelines); ROUGE: {mode}")
    systems = {"newsbrief": newsbrief_timeline, "DATEWISE baseline": datewise_baseline}
    scores: dict[str, dict[str, list[dict[str, float]]]] = {
        name: {"rouge_1": [], "rouge_2": [], "date": []} for name in systems
    }
    per_task_rows = []
    seconds: dict[str, float] = collections.defaultdict(float)
    for task in tasks:
        dates = sorted(task.reference)
        start, end = dates[0], dates[-1]
        n_dates = len(dates)
        k = max(1, round(sum(len(v) for v in task.reference.values()) / len(dates)))
        t0 = time.perf_counter()
        analyses = build_analyses(task.articles, start, end)
        seconds["find_times (shared)"] += time.perf_counter() - t0
        ground_truth = TilseGroundTruth([TilseTimeline(task.reference)])
        row: list[object] = [task.name, len(analyses), n_dates, k]
        for name, system in systems.items():
            t0 = time.perf_counter()
            predicted = system(analyses, start, end, n_dates, k)
            seconds[name] += time.perf_counter() - t0
            rouge = evaluator.evaluate_align_date_content_costs_many_to_one(
                TilseTimeline(predicted), ground_truth
            )
            dates_score = date_prf(predicted, task.reference)
            scores[name]["rouge_1"].append(rouge["rouge_1"])
            scores[name]["rouge_2"].append(rouge["rouge_2"])
            scores[name]["date"].append(dates_score)
            row.append(round(dates_score["f_score"], 3))
        per_task_rows.append(row)
        print(
            f"  {task.name}: " + ", ".join(f"{n} date-F1 {v}" for n, v in zip(systems, row[4:], strict=True)),
            flush=True,
        )

    print("\nPer task (date-F1):")
    print_table(["task", "articles", "dates", "k", *systems], per_task_rows)
    print(f"\nAverages over {len(tasks)} tasks (F1 of averaged P and R, as news-tls):")
    rows: list[list[object]] = []
    for name in systems:
        r1 = _average(scores[name]["rouge_1"])
        r2 = _average(scores[name]["rouge_2"])
        d = _average(scores[name]["date"])
        rows.append([name, r1["f_score"], r2["f_score"], d["f_score"], d["precision"], d["recall"]])
    for name, (r1f, r2f, df) in PUBLISHED.items():
        rows.append([name, r1f, r2f, df, "–", "–"])
    print_table(["system", "AR1-F", "AR2-F", "date-F1", "date-P", "date-R"], rows)
    print("\nSeconds: " + ", ".join(f"{k} {v:.1f}" for k, v in seconds.items()))
    print(
        "(published rows: all 19 T17 timelines, HeidelTime dates, supervised date ranker; not the same run)"
    )
    dating_check(data)
    return 0


def dating_check(path: Path) -> None:
    """Content dating against the articles' known dates: how often it would overrule a correct stated date.

    The metadata stage rejects a stated date when the content estimate has confidence >= 0.3 and is more than
    366 days earlier, or when the date lies more than 31 days outside the ``earliest``/``latest`` bounds.
    """
    from newsbrief.temporal import infer_publication_date

    counts: collections.Counter[str] = collections.Counter()
    chars = 0
    start = time.perf_counter()
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            for article in json.loads(line)["articles"]:
                text = article.get("text", "")
                if not text.strip():
                    continue
                chars += len(text)
                true = datetime.date.fromisoformat(article["date"][:10])
                counts["articles"] += 1
                dating = infer_publication_date(text)
                if dating is None:
                    counts["abstained"] += 1
                    continue
                parts = [int(p) for p in dating.date.split("-")]
                month = parts[1] if len(parts) > 1 else 7
                estimate = datetime.date(parts[0], month, parts[2] if len(parts) > 2 else 15)
                slack = datetime.timedelta(days=31)
                if abs((estimate - true).days) <= 366:
                    counts["within a year"] += 1
                if (
                    (dating.confidence >= 0.3 and (true - estimate).days > 366)
                    or (dating.latest is not None and true > dating.latest + slack)
                    or (dating.earliest is not None and true < dating.earliest - slack)
                ):
                    counts["overrule"] += 1
    seconds = time.perf_counter() - start
    print(f"\nContent dating (infer_publication_date) on articles with known dates ({path.name}):")
    print_table(
        [
            "articles",
            "abstained",
            "estimate within a year",
            "would overrule the true date",
            "ms / 1,000 chars",
        ],
        [
            [
                counts["articles"],
                counts["abstained"],
                counts["within a year"],
                counts["overrule"],
                seconds * 1000 / (chars / 1000),
            ]
        ],
    )


if __name__ == "__main__":
    raise SystemExit(main())
