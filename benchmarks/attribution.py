"""Quote attribution on PolNeAR (dev split): newsbrief's quotes stage against textacy's ``direct_quotations``.

Data: ``../shared/eval/polnear/polnear_train_dev.jsonl`` (PolNeAR v1.0.0, Newell et al. LREC 2018), records whose
``split`` is ``dev`` (84 articles, 2,193 attributions). Both systems read the same spaCy ``Doc`` of each article
(``newsbrief.nlp.load_nlp()``, parsed once), in one process.

Definitions (character offsets into the article text; a span's *characters* are its non-space characters; gold
spans that are discontinuous are the union of their pieces):

- A **prediction** is one quote: newsbrief's ``Quote.span`` (direct, partial and indirect quotes) with the
  speaker span ``Quote.speaker.span`` (the speaker as written at the cue); textacy's ``DQTriple.content`` with the
  span from the first to the last speaker token.
- **Matching**: a prediction and a gold attribution *overlap* when their content spans share at least one
  character. Predictions and gold attributions are paired one-to-one, greedily by the number of shared
  characters (largest first), within each article.
- **Content-span F1 (overlap)**: P = paired predictions / predictions, R = paired gold attributions / gold
  attributions, F1 = 2PR/(P+R). This is the "overlap" criterion of the BBC Citron model card.
- **Content-span F1 (exact)**: the same with a pair counted only when both spans are equal after trimming
  whitespace, punctuation, quote marks and a leading "that" from each.
- **Content token F1**: P = share of predicted content characters inside some gold content span, R = share of
  gold content characters inside some predicted span (micro-averaged over the split).
- **Speaker accuracy**: over paired predictions whose gold attribution has a source span, the share whose
  predicted speaker span shares at least one character with the gold source span.
- **Attribution F1**: a prediction is correct when it is paired and its speaker is right (or, when the gold
  attribution has no source, when it has no speaker); P = correct / predictions, R = correct / gold.
- **Speaker accuracy on shared pairs**: the same, restricted to the gold attributions that both systems paired
  (like for like: the quotes textacy finds are the easy ones, with marks and a verb next to them).
- The **direct subset** repeats content F1 and speaker accuracy on the gold attributions whose content holds a
  quotation mark (``is_direct_quote``), the only kind textacy looks for.

Run: ``python benchmarks/attribution.py`` (``--limit N`` for a quick look, ``--split train`` for the other split).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from _common import print_table, require_eval

_TRIM = re.compile(r"^[\s\"'“”‘’.,;:!?()\[\]—–-]*(?:that\s+)?|[\s\"'“”‘’.,;:!?()\[\]—–-]*$", re.IGNORECASE)


@dataclass(slots=True)
class Pred:
    start: int
    end: int
    speaker: tuple[int, int] | None


@dataclass(slots=True)
class Gold:
    content: list[tuple[int, int]]
    source: list[tuple[int, int]] | None
    direct: bool


@dataclass(slots=True)
class Score:
    preds: int = 0
    golds: int = 0
    paired: int = 0
    exact: int = 0
    pred_chars: int = 0
    pred_in_gold: int = 0
    gold_chars: int = 0
    gold_covered: int = 0
    spk_total: int = 0
    spk_right: int = 0
    correct: int = 0
    direct_golds: int = 0
    direct_paired: int = 0
    direct_spk_total: int = 0
    direct_spk_right: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)


def _chars(text: str, spans: Iterable[tuple[int, int]]) -> set[int]:
    return {i for s, e in spans for i in range(s, e) if not text[i].isspace()}


def _trimmed(text: str, spans: Sequence[tuple[int, int]]) -> str:
    joined = " ".join(text[s:e] for s, e in sorted(spans))
    return " ".join(_TRIM.sub("", joined).split()).lower()


def score_article(text: str, preds: Sequence[Pred], golds: Sequence[Gold], score: Score) -> dict[int, bool]:
    """Add one article to ``score``; return, per paired gold attribution with a source, whether the speaker
    was right."""
    score.preds += len(preds)
    score.golds += len(golds)
    p_chars = [_chars(text, [(p.start, p.end)]) for p in preds]
    g_chars = [_chars(text, g.content) for g in golds]
    all_gold = set().union(*g_chars) if g_chars else set()
    all_pred = set().union(*p_chars) if p_chars else set()
    score.pred_chars += sum(len(c) for c in p_chars)
    score.pred_in_gold += sum(len(c & all_gold) for c in p_chars)
    score.gold_chars += len(all_gold)
    score.gold_covered += len(all_gold & all_pred)
    candidates = sorted(
        ((len(pc & gc), i, j) for i, pc in enumerate(p_chars) for j, gc in enumerate(g_chars) if pc & gc),
        reverse=True,
    )
    used_p: set[int] = set()
    used_g: set[int] = set()
    speakers: dict[int, bool] = {}
    for _overlap, i, j in candidates:
        if i in used_p or j in used_g:
            continue
        used_p.add(i)
        used_g.add(j)
        p, g = preds[i], golds[j]
        score.paired += 1
        if _trimmed(text, [(p.start, p.end)]) == _trimmed(text, g.content):
            score.exact += 1
        if g.direct:
            score.direct_paired += 1
        if g.source is None:
            if p.speaker is None:
                score.correct += 1
            continue
        right = p.speaker is not None and bool(_chars(text, [p.speaker]) & _chars(text, g.source))
        speakers[j] = right
        score.spk_total += 1
        score.spk_right += right
        score.correct += right
        if g.direct:
            score.direct_spk_total += 1
            score.direct_spk_right += right
    score.direct_golds += sum(1 for g in golds if g.direct)
    return speakers


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _ratio(a: int, b: int) -> float:
    return a / b if b else 0.0


def load(path: Path, split: str, limit: int | None) -> list[tuple[str, list[Gold]]]:
    out: list[tuple[str, list[Gold]]] = []
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            if rec.get("split") != split:
                continue
            golds = []
            for att in rec["attributions"]:
                content = att.get("content")
                if not content:
                    continue
                source = att.get("source")
                golds.append(
                    Gold(
                        content=[tuple(s) for s in content["spans"]],  # type: ignore[misc]
                        source=[tuple(s) for s in source["spans"]] if source else None,  # type: ignore[misc]
                        direct=bool(att.get("is_direct_quote")),
                    )
                )
            out.append((rec["text"], golds))
            if limit and len(out) >= limit:
                break
    return out


def newsbrief_preds(doc: object, text: str, article_id: str) -> list[Pred]:
    from newsbrief.model import Article
    from newsbrief.nlp import analysis_from_doc
    from newsbrief.quotes import extract_quotes

    analysis = extract_quotes(analysis_from_doc(Article(id=article_id, source=article_id, text=text), doc))
    return [
        Pred(
            start=q.span.start,
            end=q.span.end,
            speaker=(q.speaker.span.start, q.speaker.span.end) if q.speaker and q.speaker.span else None,
        )
        for q in analysis.quotes
    ]


def textacy_preds(doc: object) -> list[Pred]:
    from textacy.extract.triples import direct_quotations

    preds = []
    for triple in direct_quotations(doc):
        content = triple.content
        speaker = None
        if triple.speaker:
            toks = sorted(triple.speaker, key=lambda t: t.i)
            speaker = (toks[0].idx, toks[-1].idx + len(toks[-1].text))
        preds.append(Pred(start=content.start_char, end=content.end_char, speaker=speaker))
    return preds


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="dev")
    parser.add_argument("--limit", type=int, default=None, help="score only the first N articles")
    args = parser.parse_args(argv)
    path = require_eval("polnear", "polnear_train_dev.jsonl")
    try:
        import textacy  # noqa: F401
    except ImportError:
        print("textacy is not installed (pip install 'newsbrief[bench]'); the baseline column is skipped")
        textacy_ok = False
    else:
        textacy_ok = True
    from newsbrief.nlp import load_nlp

    data = load(path, args.split, args.limit)
    nlp = load_nlp()
    if max(len(t) for t, _ in data) > nlp.max_length:
        nlp.max_length = max(len(t) for t, _ in data) + 1
    ours, theirs = Score(), Score()
    parse_seconds = 0.0
    shared = [0, 0, 0]  # gold attributions paired by both systems, right for newsbrief, right for textacy
    for n, (text, golds) in enumerate(data):
        t0 = time.perf_counter()
        doc = nlp(text)
        parse_seconds += time.perf_counter() - t0
        t1 = time.perf_counter()
        try:
            preds = newsbrief_preds(doc, text, f"a{n + 1}")
        except Exception as exc:  # a crash is a result too: counted as no predictions
            ours.errors.append(repr(exc))
            preds = []
        ours.seconds += time.perf_counter() - t1
        our_speakers = score_article(text, preds, golds, ours)
        if textacy_ok:
            t2 = time.perf_counter()
            try:
                tpreds = textacy_preds(doc)
            except Exception as exc:  # textacy raises on some documents (unbalanced quotes)
                theirs.errors.append(repr(exc))
                tpreds = []
            theirs.seconds += time.perf_counter() - t2
            their_speakers = score_article(text, tpreds, golds, theirs)
            for j in our_speakers.keys() & their_speakers.keys():
                shared[0] += 1
                shared[1] += our_speakers[j]
                shared[2] += their_speakers[j]

    print(
        f"PolNeAR {args.split}: {len(data)} articles, {ours.golds} gold attributions "
        f"({ours.direct_golds} with quote marks); spaCy parse {parse_seconds:.1f} s (shared)"
    )
    rows = []
    for name, s in (("newsbrief extract_quotes", ours), ("textacy direct_quotations", theirs)):
        if name.startswith("textacy") and not textacy_ok:
            continue
        p, r = _ratio(s.paired, s.preds), _ratio(s.paired, s.golds)
        ep, er = _ratio(s.exact, s.preds), _ratio(s.exact, s.golds)
        tp, tr = _ratio(s.pred_in_gold, s.pred_chars), _ratio(s.gold_covered, s.gold_chars)
        ap, ar = _ratio(s.correct, s.preds), _ratio(s.correct, s.golds)
        rows.append(
            [
                name,
                s.preds,
                _f1(p, r),
                p,
                r,
                _f1(ep, er),
                _f1(tp, tr),
                _ratio(s.spk_right, s.spk_total),
                s.spk_total,
                _f1(ap, ar),
                _ratio(s.direct_paired, s.direct_golds),
                _ratio(s.direct_spk_right, s.direct_spk_total),
                round(1000 * s.seconds / max(1, len(data)), 1),
                len(s.errors),
            ]
        )
    print_table(
        [
            "system",
            "quotes",
            "content F1 (overlap)",
            "P",
            "R",
            "content F1 (exact)",
            "content token F1",
            "speaker acc",
            "n spk",
            "attribution F1",
            "direct R",
            "direct speaker acc",
            "ms/article",
            "errors",
        ],
        rows,
    )
    if textacy_ok:
        print(
            f"speaker accuracy on the {shared[0]} gold attributions with a source that both systems paired: "
            f"newsbrief {_ratio(shared[1], shared[0]):.3f}, textacy {_ratio(shared[2], shared[0]):.3f}"
        )
    for name, s in (("newsbrief", ours), ("textacy", theirs)):
        if s.errors:
            print(f"{name}: {len(s.errors)} articles raised, e.g. {s.errors[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
