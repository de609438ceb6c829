"""Extractive multi-document summaries that cite their sentences.

The default ranking is a TF-IDF centroid with a lead bonus and MMR redundancy removal: a sentence scores by its
similarity to the story's centroid (what most articles talk about) and by its position in its article (news puts
the essentials first); then sentences are picked greedily, skipping those too similar to one already picked
(syndicated copies count once) and those that cannot stand alone (a leading pronoun or connective). The picked
sentences are ordered by article date, then position, so the summary reads as a chronology.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..model import Cited, Sentence, Story

__all__ = ["rank_sentences", "summarize_story"]

# A sentence needs this many words to carry a fact; shorter ones are headlines, datelines or fragments.
MIN_WORDS = 8
MAX_WORDS = 60
# MMR: skip a candidate whose cosine similarity to a picked sentence is above this (near-duplicates and
# syndicated copies score > 0.6 on TF-IDF vectors; distinct facts on one topic stay well below).
REDUNDANCY = 0.5
# Weight of the lead bonus 1/(1+position): the first sentences of a news article summarise it.
LEAD_WEIGHT = 0.35
# Sentences that open with these words lean on an antecedent the summary may not contain.
_DANGLING = re.compile(
    r"^(?:he|she|they|it|this|that|these|those|his|her|their|its|but|and|so|however|also|yet|still|"
    r"meanwhile|instead|there|here|such|the latter|the former)\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]+")


@dataclass(frozen=True, slots=True, kw_only=True)
class Ranked:
    sentence: Sentence
    score: float
    order: tuple[str, int, int]  # (article date, article position, sentence index) for chronological output


def _standalone(text: str) -> bool:
    stripped = text.lstrip("\"'“‘( ")
    words = _WORD.findall(text)
    return (
        MIN_WORDS <= len(words) <= MAX_WORDS
        and not _DANGLING.match(stripped)
        and text[:1] not in "\"“‘'"  # a quotation out of context does not say who speaks
        and not text.rstrip().endswith(":")
    )


def rank_sentences(story: Story) -> list[tuple[Ranked, list[float]]]:
    """Score every standalone sentence of the story; returns (ranked, tf-idf row) pairs."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    candidates: list[tuple[Sentence, tuple[str, int, int]]] = []
    for position, analysis in enumerate(story.analyses):
        published = analysis.article.published.date if analysis.article.published else "9999"
        for sentence in analysis.sentences:
            if _standalone(sentence.text):
                candidates.append((sentence, (published, position, sentence.index)))
    if not candidates:
        return []
    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True, min_df=1)
    matrix = vectorizer.fit_transform([s.text for s, _ in candidates])
    centroid = matrix.mean(axis=0).A1
    norm = float((centroid @ centroid) ** 0.5) or 1.0
    dense = matrix.toarray()
    ranked = []
    for (sentence, order), row in zip(candidates, dense, strict=True):
        centrality = float(row @ centroid) / norm
        lead = 1.0 / (1.0 + order[2])
        ranked.append((Ranked(sentence=sentence, score=centrality + LEAD_WEIGHT * lead, order=order), list(row)))
    return ranked


def summarize_story(
    story: Story, *, max_sentences: int = 5, max_words: int | None = None, method: str = "default"
) -> Story:
    """Fill ``story.summary`` with up to ``max_sentences`` cited sentences (and ``max_words`` words)."""
    ranked = sorted(rank_sentences(story), key=lambda pair: -pair[0].score)
    picked: list[tuple[Ranked, list[float]]] = []
    words = 0
    for candidate, row in ranked:
        if len(picked) >= max_sentences:
            break
        if any(_cosine(row, other) > REDUNDANCY for _, other in picked):
            continue
        length = len(_WORD.findall(candidate.sentence.text))
        if max_words is not None and picked and words + length > max_words:
            continue
        picked.append((candidate, row))
        words += length
    ordered: Sequence[Ranked] = sorted((r for r, _ in picked), key=lambda r: r.order)
    summary = tuple(Cited(text=r.sentence.text, sources=(r.sentence.span,)) for r in ordered)
    return dataclasses.replace(story, summary=summary)


def _cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = sum(x * x for x in a) ** 0.5
    nb = sum(y * y for y in b) ** 0.5
    return dot / (na * nb) if na and nb else 0.0
