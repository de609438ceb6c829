"""Word-budgeted selection by expected n-gram coverage of the story (the plain-text / evaluation path).

A summary of ``W`` words should say what the articles say most, in the words they use most. The articles'
own word and word-pair distribution stands in for the unknown summary: each article's unigram and bigram
frequencies (all words, lower-cased and lightly stemmed; stop words included, since a summary uses them
too) are averaged over the articles, so one long article does not outweigh the others, each weighted by
its relevance to the story (an off-topic page, a comment form or a foreign-language page says little about
what the summary should say), and scaled to ``W`` words. That gives every n-gram an *expected count* in a
summary of that length.

Greedy selection then adds the candidate with the best

    (new expected n-grams covered / its length in words) * (1 + PRIOR_WEIGHT * score / max score)

where "covered" is capped at the expected count (a word expected twice is worth nothing the third time),
bigrams weigh :data:`BIGRAM_WEIGHT`, and ``score`` is the summarizer's ranking (centroid, lead, support),
so the coverage objective picks between sentences the ranking already likes. The same rules as
:func:`~.base.select` apply: no candidate too similar to a chosen one, and a sentence that cannot stand
alone only after its antecedent. This is the budgeted-coverage idea of Gillick & Favre (2009) with the
concept weights estimated from the input, solved greedily by gain per word (the usual knapsack heuristic).

Tuned on the first 300 preprocessed and 150 raw Multi-News clusters (see benchmarks/RESULTS.md).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise

import numpy as np
from numpy.typing import NDArray

from .base import REDUNDANCY_THRESHOLD, Candidate, Chosen, Space
from .tokenize import stem, words

__all__ = ["document_relevance", "expected_counts", "select_coverage", "sentence_ngrams"]

Ngram = str | tuple[str, str]

# A covered bigram is worth this many covered unigrams (1, 1.5, 2, 3 tried; 2 helps ROUGE-2 on the raw clusters).
BIGRAM_WEIGHT = 2.0
# How much the summarizer's score scales the coverage gain (0.5, 1, 1.5, 2 tried; 2 is best on the raw clusters,
# 0.5-1.5 on the preprocessed ones: 1 is the compromise).
PRIOR_WEIGHT = 1.0
# A document unrelated to the rest still counts a little (its cosine with the story may be 0).
MIN_RELEVANCE = 1e-3


def sentence_ngrams(text: str) -> Counter[Ngram]:
    """Unigram and bigram counts of ``text``: every word, lower-cased and stemmed."""
    tokens = [stem(w.lower()) for w in words(text)]
    grams: Counter[Ngram] = Counter(tokens)
    grams.update(pairwise(tokens))
    return grams


def document_relevance(candidates: Sequence[Candidate], space: Space) -> dict[int, float]:
    """Per document: the cosine of its summed sentence vectors with the story's (a small floor for none)."""
    docs = np.array([c.doc for c in candidates])
    centroid = space.vectors.sum(axis=0)
    norm = float(np.linalg.norm(centroid))
    out: dict[int, float] = {}
    for d in sorted(set(docs.tolist())):
        vector = space.vectors[docs == d].sum(axis=0)
        size = float(np.linalg.norm(vector))
        cosine = float(vector @ centroid) / (size * norm) if size and norm else 0.0
        out[d] = max(cosine, MIN_RELEVANCE)
    return out


def expected_counts(
    candidates: Sequence[Candidate],
    grams: Sequence[Counter[Ngram]],
    max_words: int,
    weights: dict[int, float] | None = None,
) -> dict[Ngram, float]:
    """Each n-gram's expected count in a ``max_words`` summary: the documents' frequencies, averaged with
    ``weights`` per document (equal weights by default)."""
    per_doc: dict[int, Counter[Ngram]] = {}
    for c, g in zip(candidates, grams, strict=True):
        per_doc.setdefault(c.doc, Counter()).update(g)
    mixed: dict[Ngram, float] = {}
    for d, counts in per_doc.items():
        unigrams = sum(v for k, v in counts.items() if isinstance(k, str))
        weight = 1.0 if weights is None else weights.get(d, 0.0)
        for k, v in counts.items():
            mixed[k] = mixed.get(k, 0.0) + weight * v / max(unigrams, 1)
    total = sum(v for k, v in mixed.items() if isinstance(k, str))
    scale = max_words / total if total else 0.0
    return {k: v * scale for k, v in mixed.items()}


def select_coverage(
    candidates: Sequence[Candidate],
    scores: NDArray[np.float64],
    space: Space,
    *,
    max_words: int,
    redundancy: float = REDUNDANCY_THRESHOLD,
    ceiling: bool = False,
) -> list[int]:
    """Candidate indices, in the order chosen, until ``max_words`` is reached (the last one may run past it).

    When every candidate left repeats a chosen one or waits for its antecedent, the best remaining ones are
    taken anyway (first keeping, then relaxing the antecedent rule), so the budget is filled. With
    ``ceiling`` (a briefing's summary) the budget is a hard limit and neither rule is ever relaxed: a
    shorter summary rather than a repeated sentence or one that cannot stand alone.
    """
    n = len(candidates)
    if n == 0 or max_words <= 0:
        return []
    grams = [sentence_ngrams(c.text) for c in candidates]
    expected = expected_counts(candidates, grams, max_words, document_relevance(candidates, space))
    top = float(np.max(np.abs(scores))) if len(scores) else 0.0
    prior = 1.0 + PRIOR_WEIGHT * (scores / top if top > 0 else np.zeros(n))
    have: Counter[Ngram] = Counter()
    chosen = Chosen(candidates, space)
    passes = ((redundancy, True),) if ceiling else ((redundancy, True), (math.inf, True), (math.inf, False))
    for cut, strict in passes:
        while chosen.words < max_words:
            best, picked = -math.inf, -1
            for i in np.flatnonzero(chosen.alive & (chosen.closest <= cut)):
                c = candidates[int(i)]
                if strict and chosen.waits_for_antecedent(c):
                    continue
                if ceiling and chosen.words + c.n_words > max_words:
                    continue
                value = _gain(grams[i], have, expected) / max(c.n_words, 1) * prior[i]
                if value > best:
                    best, picked = value, int(i)
            if picked < 0:
                break
            chosen.take(picked)
            have.update(grams[picked])
    return chosen.order


def _gain(grams: Counter[Ngram], have: Counter[Ngram], expected: dict[Ngram, float]) -> float:
    """Expected n-grams newly covered by adding ``grams`` to a summary holding ``have``."""
    gain = 0.0
    for k, v in grams.items():
        e = expected.get(k, 0.0)
        h = have[k]
        new = min(h + v, e) - min(h, e)
        if new > 0:
            gain += new * (BIGRAM_WEIGHT if isinstance(k, tuple) else 1.0)
    return gain
