"""What every summarizer shares: candidate sentences, the sentence space, budgeted selection and ordering.

A summarizer only *scores* candidates (:class:`Summarizer`); choosing sentences under a word/sentence budget
while skipping near-repeats, and keeping sentences that cannot stand alone next to their antecedent, is the
same for all of them (:func:`select`, like sumy's ``AbstractSummarizer._get_best_sentences``).
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from numpy.typing import NDArray

from .tokenize import terms

__all__ = [
    "Candidate",
    "Chosen",
    "Space",
    "Summarizer",
    "select",
    "tfidf_space",
]

Matrix = NDArray[np.float64]

# Two sentences at or above this TF-IDF cosine say the same thing in (almost) the same words: a syndicated or
# copied sentence. Chosen by reading pairs from the seeds and Multi-News: above ~0.8 they differ by a word or
# an attribution; 0.8-0.6 are close paraphrases that still add a detail.
DUPLICATE_SIMILARITY = 0.8
# A candidate this similar (TF-IDF cosine) to a sentence already chosen is not added: it would repeat it.
# Tuned on 300 Multi-News clusters (0.3-0.7 tried; 0.35 best for ROUGE-1 and it reads without repeats).
REDUNDANCY_THRESHOLD = 0.35
# MMR trade-off: score minus this times the similarity to the closest chosen sentence. Tuned with the
# threshold above (0, 0.3, 0.6, 1.0 tried; 0.6 best on both Multi-News files).
MMR_LAMBDA = 0.6


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """A sentence that may go into the summary.

    ``doc`` is the index of its document, ``index`` its sentence index there and ``position`` its rank among
    that document's *candidate* sentences (0 is the lead; headlines and captions dropped before do not
    count). ``salience`` is story-level evidence in [0, 1] (entities, dates; 0 in the plain-text path).
    ``needs_previous`` marks a sentence that cannot stand alone (it opens with "He", "This", "But" ...):
    it may only follow sentence ``index - 1`` of the same document.
    """

    doc: int
    index: int
    position: int
    text: str
    n_words: int
    terms: tuple[str, ...]
    salience: float = 0.0
    needs_previous: bool = False


@dataclass(frozen=True, slots=True)
class Space:
    """Unit-length sentence vectors (one row per candidate) and their pairwise cosine similarities."""

    vectors: Matrix
    similarity: Matrix


class Summarizer(Protocol):
    """Scores candidate sentences; higher is more important. ``name`` is the versioned registry name."""

    name: str

    def space(self, candidates: Sequence[Candidate]) -> Space: ...

    def score(self, candidates: Sequence[Candidate], space: Space) -> NDArray[np.float64]: ...


def tfidf_space(candidates: Sequence[Candidate]) -> Space:
    """Sublinear TF-IDF vectors over the story's own sentences (each sentence is a "document" for IDF).

    There is no background corpus to draw IDF from, so a term that most sentences of the story share weighs
    little, which is what centrality and redundancy need.
    """
    n = len(candidates)
    vocab: dict[str, int] = {}
    counts = [Counter(c.terms) for c in candidates]
    df: Counter[str] = Counter()
    for tc in counts:
        df.update(tc.keys())
        for t in tc:
            vocab.setdefault(t, len(vocab))
    matrix = np.zeros((n, max(len(vocab), 1)))
    for i, tc in enumerate(counts):
        for t, k in tc.items():
            matrix[i, vocab[t]] = (1.0 + math.log(k)) * (math.log((n + 1) / (df[t] + 1)) + 1.0)
    return normalised_space(matrix)


def normalised_space(matrix: Matrix) -> Space:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    vectors = matrix / norms
    return Space(vectors=vectors, similarity=np.clip(vectors @ vectors.T, 0.0, 1.0))


def build_candidate(
    doc: int, index: int, position: int, text: str, *, salience: float = 0.0, needs_previous: bool = False
) -> Candidate:
    from .tokenize import words

    return Candidate(
        doc=doc,
        index=index,
        position=position,
        text=text,
        n_words=len(words(text)),
        terms=tuple(terms(text)),
        salience=salience,
        needs_previous=needs_previous,
    )


def select(
    candidates: Sequence[Candidate],
    scores: NDArray[np.float64],
    space: Space,
    *,
    max_words: int | None = None,
    max_sentences: int | None = None,
    redundancy: float = REDUNDANCY_THRESHOLD,
    mmr: float = MMR_LAMBDA,
) -> list[int]:
    """Greedy MMR selection of candidate indices, best first, within the budget.

    ``max_words`` is a hard ceiling: a candidate that would overrun it is passed over for a shorter one. A
    candidate at least ``redundancy`` similar to a chosen one is never taken, and a ``needs_previous``
    candidate only once the sentence before it in its document has been chosen. (A word budget that must be
    filled, as an evaluation wants, is :func:`~.coverage.select_coverage`'s job.)
    """
    chosen = Chosen(candidates, space)
    while chosen.alive.any():
        if max_sentences is not None and len(chosen.order) >= max_sentences:
            break
        if max_words is not None and chosen.words >= max_words:
            break
        value = np.where(
            chosen.alive & (chosen.closest <= redundancy), scores - mmr * chosen.closest, -np.inf
        )
        picked = -1
        for i in np.argsort(-value, kind="stable"):
            i = int(i)
            if not np.isfinite(value[i]):
                break
            c = candidates[i]
            if chosen.waits_for_antecedent(c):
                continue
            if max_words is not None and chosen.words + c.n_words > max_words:
                chosen.alive[i] = False  # it will never fit; a shorter one may
                continue
            picked = i
            break
        if picked < 0:
            break
        chosen.take(picked)
    return chosen.order


class Chosen:
    """What a greedy selection has taken so far: the candidates in order, their words, and each candidate's
    similarity to the closest one taken (the redundancy test). Mutable: the running state of one selection;
    :func:`select` and :func:`~.coverage.select_coverage` share it, so both apply the same rules."""

    def __init__(self, candidates: Sequence[Candidate], space: Space) -> None:
        self.candidates = candidates
        self.space = space
        self.order: list[int] = []
        self.keys: set[tuple[int, int]] = set()  # (doc, sentence index) of each candidate taken
        self.closest = np.zeros(len(candidates))
        self.alive = np.ones(len(candidates), dtype=bool)
        self.words = 0

    def take(self, i: int) -> None:
        c = self.candidates[i]
        self.order.append(i)
        self.keys.add((c.doc, c.index))
        self.alive[i] = False
        self.words += c.n_words
        self.closest = np.maximum(self.closest, self.space.similarity[:, i])

    def waits_for_antecedent(self, c: Candidate) -> bool:
        """``c`` cannot stand alone and the sentence before it in its document has not been taken."""
        return c.needs_previous and (c.doc, c.index - 1) not in self.keys
