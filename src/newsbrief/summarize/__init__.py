"""Extractive multi-document summarizers: one interface, one summarizer per module (sumy's layout).

* :func:`summarize_story` is the story stage: it fills ``Story.summary`` with sentences copied verbatim from
  the articles, each citing the span it comes from (``article.text[span.start:span.end] == cited.text``).
* :func:`summarize_documents` summarizes plain-text documents (the evaluation path: no spaCy needed).

Both rank the same candidates with the same summarizer. A summary of a few sentences is chosen by budgeted
MMR (:func:`~.base.select`); a summary with a word budget only (plain text, or a story with
``max_sentences=0``) by expected n-gram coverage with that ranking as its prior
(:func:`~.coverage.select_coverage`). Methods: ``default`` (= ``centroid``) and ``lexrank``.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..errors import ConfigError
from ..model import Cited, Mention, Span, Story
from .base import Candidate, Space, Summarizer, build_candidate, select
from .candidates import candidate_flags, document_candidates
from .centroid import CentroidSummarizer
from .coverage import select_coverage
from .lexrank import LexRankSummarizer

__all__ = [
    "METHODS",
    "Summarizer",
    "get_summarizer",
    "summarize_documents",
    "summarize_story",
]

METHODS = ("default", "centroid", "lexrank")

# Story salience mixes how many independent outlets report the sentence's fact (the claims grouping of
# ``corroborate``), how widely its entities are reported and whether it carries a resolved date. Corroboration
# weighs most: a briefing should lead with what outlets agree on; a date alone ("on Monday") says little.
# Set on the seed story (a grid over corroboration 0.5/0.7, salience weight 0.3/0.6/1.0, lead weight
# 0/0.25/0.5; the plain-text evaluation path has no salience, so its ROUGE figures are unaffected).
CORROBORATION_SHARE = 0.7
ENTITY_SHARE = 0.2
DATE_SHARE = 0.1
# Two sentences about different months are different events: their similarity counts half in the
# redundancy check, so "leaders met in May 2018" is not dropped as a repeat of "leaders met in September
# 2016" (same names, same verbs). Set by reading seed summaries.
DIFFERENT_DATE_DISCOUNT = 0.5
# A sentence's entity evidence saturates at this many widely reported entities ("Putin and Abe met in X").
ENTITY_SATURATION = 2.0

# In a story of several articles, at most this share of the summary's sentences come from one article.
MAX_SHARE = 0.5
# How many ranked sentences per summary sentence the spreading step chooses from (one article can fill the
# top of the ranking: the pool must reach past it).
SPREAD_POOL = 8
_ARTICLE_PREFIX = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)


def get_summarizer(method: str = "default") -> Summarizer:
    """The summarizer registered under ``method`` (see :data:`METHODS`)."""
    if method in ("default", "centroid"):
        return CentroidSummarizer()
    if method == "lexrank":
        return LexRankSummarizer()
    raise ConfigError(f"unknown summary method {method!r}; choose one of {', '.join(METHODS)}")


def summarize_documents(documents: list[str], *, max_words: int, method: str = "default") -> list[str]:
    """The summary of plain-text ``documents`` as a list of their sentences, in document order.

    Sentences are chosen until ``max_words`` words are reached; the last one may run past the budget
    (an evaluation cuts every system at the same word count).
    """
    texts = [d for d in documents if d.strip()]
    candidates = document_candidates(texts)
    if sum(c.n_words for c in candidates) < max_words:
        # Too few well-formed sentences to fill the budget (truncated or unpunctuated text): take every
        # sentence of at least a few words rather than return a short summary.
        candidates = document_candidates(texts, strict=False)
    if not candidates:
        return []
    summarizer = get_summarizer(method)
    space = summarizer.space(candidates)
    scores = summarizer.score(candidates, space)
    # A word budget is filled by expected n-gram coverage, with the summarizer's ranking as the prior.
    chosen = select_coverage(candidates, scores, space, max_words=max_words)
    # Document order, except that the sentence that overran the budget (the last one chosen, the least
    # important) goes last: a cut at the budget then shortens it rather than a more important sentence.
    overflow = chosen[-1] if sum(candidates[i].n_words for i in chosen) > max_words else None
    chosen.sort(key=lambda i: (i == overflow, candidates[i].doc, candidates[i].index))
    return [candidates[i].text for i in chosen]


def summarize_story(
    story: Story, *, max_sentences: int = 5, max_words: int | None = None, method: str = "default"
) -> Story:
    """Fill ``story.summary``: the most important sentences across all articles, each citing its span.

    ``max_sentences`` sentences (within ``max_words`` if given) by budgeted MMR with at most half from one
    article; or, with ``max_sentences=0`` and a ``max_words`` budget, as many words as fit by expected
    n-gram coverage (the selection :func:`summarize_documents` uses).

    The sentences come in chronological order of their articles (publication date, then input order),
    then in article order, so a sentence that needs its predecessor ("He said ...") follows it directly.
    """
    found = _story_candidates(story)
    candidates = [f.candidate for f in found]
    if not candidates:
        return dataclasses.replace(story, summary=())
    summarizer = get_summarizer(method)
    space = summarizer.space(candidates)
    scores = summarizer.score(candidates, space)
    redundancy = _story_redundancy(found, space)
    if max_words and not max_sentences:
        # A word budget alone: chosen by expected n-gram coverage, as plain text is (and as evaluated).
        chosen = select_coverage(candidates, scores, redundancy, max_words=max_words, ceiling=True)
    else:
        ranked = select(
            candidates,
            scores,
            redundancy,
            max_words=None,
            max_sentences=max_sentences * SPREAD_POOL if max_sentences else None,
        )
        chosen = _spread(candidates, ranked, max_sentences=max_sentences, max_words=max_words)
    dates = [a.article.published.date if a.article.published else None for a in story.analyses]
    chosen.sort(
        key=lambda i: (
            dates[candidates[i].doc] is None,
            dates[candidates[i].doc] or "",
            candidates[i].doc,
            candidates[i].index,
        )
    )
    by_text: dict[str, list[Span]] = {}
    for f in found:
        by_text.setdefault(f.text, []).append(f.span)
    summary = []
    for i in chosen:
        span, text = found[i].span, found[i].text
        copies = tuple(s for s in by_text[text] if s != span)  # verbatim copies elsewhere
        summary.append(Cited(text=text, sources=(span, *copies)))
    return dataclasses.replace(story, summary=tuple(summary))


def _spread(
    candidates: Sequence[Candidate], ranked: Sequence[int], *, max_sentences: int, max_words: int | None
) -> list[int]:
    """The best of ``ranked`` (best first) with at most :data:`MAX_SHARE` of the summary from one article.

    A multi-outlet briefing that quotes one article five times reads as that article's summary. When the other
    articles have too little to offer, the cap gives way (second pass). A sentence that needs its predecessor
    is only kept with it.
    """
    articles = {candidates[i].doc for i in ranked}
    cap = max(1, math.ceil(max_sentences * MAX_SHARE)) if len(articles) > 1 else max_sentences
    chosen: list[int] = []
    for limit in (cap, max_sentences):
        for i in ranked:
            if len(chosen) >= max_sentences:
                break
            c = candidates[i]
            if i in chosen or sum(candidates[j].doc == c.doc for j in chosen) >= limit:
                continue
            if c.needs_previous and not any(
                candidates[j].doc == c.doc and candidates[j].index == c.index - 1 for j in chosen
            ):
                continue
            if max_words is not None and sum(candidates[j].n_words for j in chosen) + c.n_words > max_words:
                continue
            chosen.append(i)
    return chosen


@dataclass(frozen=True, slots=True, kw_only=True)
class _StorySentence:
    candidate: Candidate
    span: Span
    text: str
    fact_group: int | None  # the claims grouping of ``corroborate`` (None: not a fact unit)
    months: frozenset[str]  # YYYY-MM of the dates the sentence mentions


def _story_redundancy(found: Sequence[_StorySentence], space: Space) -> Space:
    """The selection's similarities, with what the story stages know about events.

    Two sentences about different dates report different events, so their similarity is discounted; two
    sentences otherwise stating the same fact (one claims group) are redundant whatever their wording.
    """
    sim = space.similarity.copy()
    groups = [f.fact_group for f in found]
    for i, fi in enumerate(found):
        for j in range(i + 1, len(found)):
            fj = found[j]
            if fi.months and fj.months and not (fi.months & fj.months):
                sim[i, j] = sim[j, i] = sim[i, j] * DIFFERENT_DATE_DISCOUNT
            elif groups[i] is not None and groups[i] == groups[j]:
                sim[i, j] = sim[j, i] = 1.0
    return Space(vectors=space.vectors, similarity=sim)


def _entity_key(text: str) -> str:
    return _ARTICLE_PREFIX.sub("", text.strip()).lower()


def _story_candidates(story: Story) -> list[_StorySentence]:
    """Candidates from the spaCy sentences of every article, with corroboration, entity and date salience."""
    from ..corroborate import claim_support, outlet_of

    n_articles = max(len(story.analyses), 1)
    by_id = {e.id: e for e in story.entities}
    articles_per_key: dict[str, set[str]] = {}
    for entity in story.entities:
        for alias in (entity.name, *entity.aliases):
            articles_per_key.setdefault(_entity_key(alias), set()).update(entity.articles)
    for analysis in story.analyses:
        for mention in analysis.mentions:
            articles_per_key.setdefault(_entity_key(mention.text), set()).add(analysis.article.id)

    def importance(mention: Mention) -> float:
        entity = by_id.get(mention.entity_id or "")
        if entity is not None and entity.articles:
            return len(entity.articles) / n_articles
        return len(articles_per_key.get(_entity_key(mention.text), ())) / n_articles

    support = claim_support(story)
    n_outlets = len({outlet_of(a.article) for a in story.analyses})
    found: list[_StorySentence] = []
    for d, analysis in enumerate(story.analyses):
        text = analysis.article.text
        sentences = analysis.sentences
        flags = candidate_flags([text[s.span.start : s.span.end] for s in sentences])
        position = 0
        for sentence, (eligible, needs_previous) in zip(sentences, flags, strict=True):
            if not eligible:
                continue
            start, end = sentence.span.start, sentence.span.end
            entities: dict[str, float] = {}
            for m in analysis.mentions:
                if start <= m.span.start and m.span.end <= end:
                    key = m.entity_id or _entity_key(m.text)
                    entities[key] = max(entities.get(key, 0.0), importance(m))
            entity_part = min(1.0, sum(entities.values()) / ENTITY_SATURATION)
            times = [t for t in analysis.times if start <= t.span.start and t.span.end <= end]
            group, outlets = support.get((d, sentence.index), (None, 1))
            corroboration = (outlets - 1) / (n_outlets - 1) if n_outlets > 1 else 0.0
            salience = (
                CORROBORATION_SHARE * corroboration + ENTITY_SHARE * entity_part + DATE_SHARE * bool(times)
            )
            candidate = build_candidate(
                d, sentence.index, position, text[start:end], salience=salience, needs_previous=needs_previous
            )
            found.append(
                _StorySentence(
                    candidate=candidate,
                    span=sentence.span,
                    text=text[start:end],
                    fact_group=group,
                    months=frozenset(t.date[:7] for t in times if t.granularity != "year"),
                )
            )
            position += 1
    return found
