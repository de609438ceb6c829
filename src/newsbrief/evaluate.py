"""Summary evaluation: newsbrief against Lead-3, sumy LexRank and sumy TextRank, in one run, on the same data.

The data is JSONL, one cluster a line: ``{"id": ..., "documents": [str, ...], "summaries": [str, ...]}`` (the
Multi-News format). Every system gets the same clusters and the same word budget; each output is cut at
exactly that many words (the protocol of Fabbri et al. 2019, whose extractive systems output 300 words), and
scored with ``rouge-score`` (ROUGE-1/2/L F1, Porter stemming on) against the best-matching reference.

Length protocol: ``"reference"`` gives each cluster the word count of its (first) reference summary; an
integer gives every cluster that fixed budget. Words are counted as :func:`~.summarize.tokenize.words`
tokens (letters and digits), in references and outputs alike.

sumy and rouge-score are imported here and nowhere else (the ``eval`` extra). sumy gets our offline sentence
splitter and tokenizer (:class:`~.summarize.tokenize.WordTokenizer`), not NLTK's punkt, which needs a download.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError, MissingDependency
from .summarize import summarize_documents
from .summarize.tokenize import WordTokenizer, split_sentences, words

__all__ = [
    "SYSTEMS",
    "Cluster",
    "EvalReport",
    "SystemScore",
    "evaluate_summaries",
    "format_report",
    "load_clusters",
    "truncate_words",
]

EXTRA = "pip install 'newsbrief[eval]'"
# Lead-k baseline: the first k sentences of every document (Fabbri et al.'s "First-3").
LEAD_SENTENCES = 3

Summarize = Callable[[list[str], int], list[str]]
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


@dataclass(frozen=True, slots=True, kw_only=True)
class Cluster:
    id: str
    documents: tuple[str, ...]
    references: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class SystemScore:
    name: str
    rouge1: float  # mean F1 x 100
    rouge2: float
    rougeL: float  # the metric's own name
    seconds: float  # summarizing time only (not scoring)
    words: float  # mean output length in words, after the cut


@dataclass(frozen=True, slots=True, kw_only=True)
class EvalReport:
    data: str
    clusters: int
    length: str  # "reference" or "N words"
    scores: tuple[SystemScore, ...]
    per_cluster: dict[str, list[float]] = field(default_factory=dict, compare=False)


def load_clusters(path: Path, *, limit: int | None = None) -> list[Cluster]:
    """Read a clusters JSONL file (Multi-News format). Empty documents are dropped."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"cannot read {path}: {exc}") from exc
    clusters: list[Cluster] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            documents = tuple(str(d) for d in row["documents"] if str(d).strip())
            references = tuple(str(s) for s in row["summaries"])
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(
                f"{path}:{n}: expected a JSON object with 'documents' and 'summaries' lists ({exc})"
            ) from exc
        if documents and references:
            clusters.append(Cluster(id=str(row.get("id", n)), documents=documents, references=references))
        if limit is not None and len(clusters) >= limit:
            break
    return clusters


def truncate_words(text: str, n: int) -> str:
    """``text`` up to the end of its ``n``-th word (words as :func:`~.summarize.tokenize.words` counts)."""
    if n <= 0:
        return ""
    for i, m in enumerate(_WORD.finditer(text), 1):
        if i == n:
            return text[: m.end()]
    return text


def _lead(documents: list[str], budget: int) -> list[str]:
    out: list[str] = []
    for doc in documents:
        out.extend(doc[s:e] for s, e in split_sentences(doc)[:LEAD_SENTENCES])
    return out


def _newsbrief(method: str) -> Summarize:
    def run(documents: list[str], budget: int) -> list[str]:
        return summarize_documents(documents, max_words=budget, method=method)

    return run


def _sumy(kind: str) -> Summarize:
    """A sumy summarizer fed our sentences, selecting its best-rated sentences until the budget is met."""
    try:
        from sumy.models.dom import ObjectDocumentModel, Paragraph, Sentence
        from sumy.nlp.stemmers import Stemmer
        from sumy.summarizers.lex_rank import LexRankSummarizer
        from sumy.summarizers.text_rank import TextRankSummarizer
        from sumy.utils import get_stop_words
    except ImportError as exc:
        raise MissingDependency(f"sumy is needed for the baselines: {EXTRA}") from exc
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")
    tokenizer = WordTokenizer()

    def run(documents: list[str], budget: int) -> list[str]:
        paragraphs = [
            Paragraph([Sentence(doc[s:e], tokenizer) for s, e in split_sentences(doc)]) for doc in documents
        ]
        document = ObjectDocumentModel(paragraphs)

        def until_budget(rated: Sequence[Any]) -> list[Any]:
            # sumy passes its sentences best first; keep them until the budget is met (sumy then restores
            # document order), the same stopping rule as newsbrief's.
            kept: list[Any] = []
            used = 0
            for info in rated:
                if used >= budget:
                    break
                kept.append(info)
                used += len(words(str(info.sentence)))
            return kept

        return [str(s) for s in summarizer(document, until_budget)]

    return run


# name -> factory of the summarizer (factories so that a missing sumy only fails the sumy systems).
SYSTEMS: dict[str, Callable[[], Summarize]] = {
    "lead-3": lambda: _lead,
    "sumy-lexrank": lambda: _sumy("lexrank"),
    "sumy-textrank": lambda: _sumy("textrank"),
    "newsbrief": lambda: _newsbrief("default"),
    "newsbrief-lexrank": lambda: _newsbrief("lexrank"),
}
DEFAULT_SYSTEMS = ("lead-3", "sumy-lexrank", "sumy-textrank", "newsbrief")


def _scorer() -> Any:
    try:
        from rouge_score import rouge_scorer
    except ImportError as exc:
        raise MissingDependency(f"rouge-score is needed to evaluate: {EXTRA}") from exc
    return rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeL"], use_stemmer=True)


def evaluate_summaries(
    clusters: Sequence[Cluster],
    *,
    length: str | int = "reference",
    systems: Iterable[str] = DEFAULT_SYSTEMS,
    data: str = "",
    progress: Callable[[Iterator[Cluster]], Iterator[Cluster]] | None = None,
) -> EvalReport:
    """Score ``systems`` on ``clusters`` with one length protocol; see the module docstring."""
    names = list(systems)
    unknown = [n for n in names if n not in SYSTEMS]
    if unknown:
        raise InputError(f"unknown system(s) {', '.join(unknown)}; known: {', '.join(SYSTEMS)}")
    if not (length == "reference" or (isinstance(length, int) and length > 0)):
        raise InputError(f"length must be 'reference' or a positive word count, got {length!r}")
    runners = {n: SYSTEMS[n]() for n in names}
    scorer = _scorer()
    totals = {n: [0.0, 0.0, 0.0, 0.0, 0.0] for n in names}  # r1, r2, rL, seconds, words
    per_cluster: dict[str, list[float]] = {n: [] for n in names}
    iterator: Iterator[Cluster] = iter(clusters)
    if progress is not None:
        iterator = progress(iterator)
    count = 0
    for cluster in iterator:
        count += 1
        budget = len(words(cluster.references[0])) if length == "reference" else int(length)
        documents = list(cluster.documents)
        for name, run in runners.items():
            started = time.perf_counter()
            sentences = run(documents, budget)
            totals[name][3] += time.perf_counter() - started
            output = truncate_words(" ".join(sentences), budget)
            best = max(
                (scorer.score(reference, output) for reference in cluster.references),
                key=lambda s: s["rouge1"].fmeasure,
            )
            t = totals[name]
            t[0] += best["rouge1"].fmeasure
            t[1] += best["rouge2"].fmeasure
            t[2] += best["rougeL"].fmeasure
            t[4] += len(words(output))
            per_cluster[name].append(best["rouge1"].fmeasure)
    n = max(count, 1)
    scores = tuple(
        SystemScore(
            name=name,
            rouge1=100 * t[0] / n,
            rouge2=100 * t[1] / n,
            rougeL=100 * t[2] / n,
            seconds=t[3],
            words=t[4] / n,
        )
        for name, t in totals.items()
    )
    return EvalReport(
        data=data,
        clusters=count,
        length="reference length" if length == "reference" else f"{length} words",
        scores=scores,
        per_cluster=per_cluster,
    )


def format_report(report: EvalReport) -> str:
    """A plain-text table of the report (one row per system)."""
    lines = [
        f"{report.data or 'data'}: {report.clusters} clusters, budget = {report.length}, outputs cut at the budget",
        f"{'system':<18} {'ROUGE-1':>8} {'ROUGE-2':>8} {'ROUGE-L':>8} {'words':>7} {'seconds':>8}",
    ]
    for s in report.scores:
        lines.append(
            f"{s.name:<18} {s.rouge1:8.2f} {s.rouge2:8.2f} {s.rougeL:8.2f} {s.words:7.1f} {s.seconds:8.1f}"
        )
    return "\n".join(lines)
