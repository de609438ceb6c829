"""Continuous LexRank (Erkan & Radev 2004) over the shared TF-IDF space: centrality alone, no position.

An alternative to the default ranking (``method="lexrank"``); it uses the same candidates, selection and
ordering, so the two can be compared on equal terms.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from .base import Candidate, Space, tfidf_space

__all__ = ["LexRankSummarizer"]

# PageRank damping, as in the LexRank paper.
DAMPING = 0.85
# Power-iteration stop: scores change by less than this (L1); 100 iterations at most.
TOLERANCE = 1e-6
MAX_ITERATIONS = 100


class LexRankSummarizer:
    name = "summarize.lexrank.v1"

    def space(self, candidates: Sequence[Candidate]) -> Space:
        return tfidf_space(candidates)

    def score(self, candidates: Sequence[Candidate], space: Space) -> NDArray[np.float64]:
        return lexrank_scores(space.similarity)


def lexrank_scores(similarity: NDArray[np.float64]) -> NDArray[np.float64]:
    """Stationary distribution of the similarity-weighted random walk, scaled so the mean is 1."""
    n = similarity.shape[0]
    if n == 0:
        return np.zeros(0)
    weights = similarity.copy()
    sums = weights.sum(axis=1, keepdims=True)
    sums[sums == 0] = 1.0
    transition = weights / sums
    p = np.full(n, 1.0 / n)
    for _ in range(MAX_ITERATIONS):
        nxt = (1.0 - DAMPING) / n + DAMPING * (transition.T @ p)
        done = float(np.abs(nxt - p).sum()) < TOLERANCE
        p = nxt
        if done:
            break
    scores: NDArray[np.float64] = p * n
    return scores
