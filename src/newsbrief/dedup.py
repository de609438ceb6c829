"""Near-duplicate articles: syndicated and re-published copies of the same text, found with MinHash/LSH.

A wire story reprinted by several outlets differs only in its edges (a dateline, a "Copyright AP" line, the
outlet's own headline), so exact content hashes miss it. Each article becomes the set of its word
:data:`SHINGLE_WORDS`-grams; a MinHash sketch of that set is queried in an LSH index (datasketch) for earlier
articles of estimated Jaccard similarity at least :data:`JACCARD_THRESHOLD`, and the best candidate is
confirmed on the sketches. The first copy seen is kept; later copies become :class:`~newsbrief.model.ArticleCopy`
references on it (their outlets listed), so a story counts the wire text once.

:class:`NearDuplicateIndex` is online (one article at a time, memory of one small sketch per kept article);
:func:`deduplicate` applies it to a list of articles. datasketch is imported here only.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from .errors import diagnostic
from .model import Article, ArticleCopy, Diagnostic

__all__ = [
    "JACCARD_THRESHOLD",
    "NearDuplicateIndex",
    "copy_diagnostic",
    "copy_of",
    "deduplicate",
    "with_copies",
]

# Words per shingle. 5-grams are rare enough across unrelated articles (shared phrases such as "said in a
# statement on" rarely repeat for 5 words) and survive the small edits of a re-published copy.
SHINGLE_WORDS = 5
# MinHash permutations: the Jaccard estimate's standard error is about 1/sqrt(128) ≈ 0.09 around 0.5 and
# smaller near 1, enough to tell a copy (≥ 0.7) from two reports of the same event (typically < 0.2).
NUM_PERM = 128
# Estimated Jaccard similarity of the shingle sets from which an article is a copy of an earlier one. Copies
# of a wire story with a different headline, dateline and footer score 0.75-0.95 on 300-word texts; separate
# reports of one event, even quoting the same statement, stay well under 0.4.
JACCARD_THRESHOLD = 0.7
# Articles with fewer shingles than this are never matched: two short notices can look alike by chance.
MIN_SHINGLES = 8
# Sketches kept (the most recent originals); older ones are dropped so a long stream runs in bounded memory
# (about 5 KiB per sketch with its LSH entries). Syndicated copies appear within hours of the original, far
# inside 20,000 articles; the same window as the clusterer's MAX_IDLE_DOCS.
MAX_SKETCHES = 20_000
_SEED = 1
_WORD = re.compile(r"\w+")


def _shingles(text: str) -> set[bytes]:
    words = _WORD.findall(text.lower())
    return {
        " ".join(words[i : i + SHINGLE_WORDS]).encode("utf-8") for i in range(len(words) - SHINGLE_WORDS + 1)
    }


@functools.lru_cache(maxsize=8)
def _lsh_params(threshold: float, num_perm: int) -> tuple[int, int] | None:
    """LSH bands and rows for ``threshold``: datasketch integrates for them on every new index (~35 ms, more
    than sketching a whole story), so they are computed once per setting. None lets datasketch do it."""
    try:
        from datasketch.lsh import _optimal_param
    except ImportError:  # a private helper: if a release moves it, fall back to the public constructor
        return None
    bands, rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
    return int(bands), int(rows)


class NearDuplicateIndex:
    """Online near-duplicate lookup: :meth:`add` returns the key of an earlier near-identical text, or indexes it.

    Mutable on purpose (the running state of a stream, like :class:`~newsbrief.cluster.StoryClusterer`).
    """

    def __init__(
        self, *, threshold: float = JACCARD_THRESHOLD, num_perm: int = NUM_PERM, max_keys: int = MAX_SKETCHES
    ) -> None:
        from datasketch import LeanMinHash, MinHash, MinHashLSH

        self._minhash = MinHash
        self._lean = LeanMinHash
        # The random permutations are drawn once and shared by every sketch (drawing them is most of the cost
        # of a new MinHash); stored sketches are "lean" (hash values only, no permutations): 1 KiB each.
        template = MinHash(num_perm=num_perm, seed=_SEED)
        self._permutations = template.permutations
        self._scheme = template.scheme
        self.threshold = threshold
        self.num_perm = num_perm
        self.max_keys = max_keys
        self._lsh: Any = MinHashLSH(
            threshold=threshold, num_perm=num_perm, params=_lsh_params(threshold, num_perm)
        )
        self._sketches: dict[str, Any] = {}

    def __len__(self) -> int:
        return len(self._sketches)

    def _sketch(self, text: str) -> Any | None:
        shingles = _shingles(text)
        if len(shingles) < MIN_SHINGLES:
            return None
        sketch = self._minhash(
            num_perm=self.num_perm, seed=_SEED, permutations=self._permutations, scheme=self._scheme
        )
        sketch.update_batch(sorted(shingles))
        return self._lean(sketch)

    def add(self, key: str, text: str) -> str | None:
        """The key of the earlier text ``text`` copies (most similar first, ties to the earliest), else None.

        A text that is not a copy is indexed under ``key``; a copy is not (its original stands for it).
        """
        sketch = self._sketch(text)
        if sketch is None:
            return None
        best: str | None = None
        best_score = self.threshold
        order = {k: i for i, k in enumerate(self._sketches)}
        for candidate in sorted(self._lsh.query(sketch), key=lambda k: order[k]):
            score = float(sketch.jaccard(self._sketches[candidate]))
            if score > best_score or (best is None and score >= best_score):
                best, best_score = candidate, score
        if best is None and key not in self._sketches:
            self._lsh.insert(key, sketch)
            self._sketches[key] = sketch
            while len(self._sketches) > self.max_keys:  # dicts keep insertion order: the oldest goes first
                oldest = next(iter(self._sketches))
                self._lsh.remove(oldest)
                del self._sketches[oldest]
        return best


def copy_of(article: Article) -> ArticleCopy:
    """The reference kept on the original for a copy ``article``."""
    return ArticleCopy(source=article.source, url=article.url, outlet=article.outlet, title=article.title)


def with_copies(article: Article, copies: Iterable[ArticleCopy]) -> Article:
    """``article`` listing ``copies`` (added after those it has, each once)."""
    merged = tuple(dict.fromkeys((*article.copies, *copies)))
    return article if merged == article.copies else dataclasses.replace(article, copies=merged)


def copy_diagnostic(copy: Article | ArticleCopy, original: Article) -> Diagnostic:
    """W-DUPLICATE-COPY on ``original``, naming the copy (its source and outlet)."""
    outlet = f" from {copy.outlet}" if copy.outlet else ""
    return diagnostic(
        "W-DUPLICATE-COPY",
        f"{copy.source}{outlet}: near-identical copy of {original.id} ({original.source}); "
        "kept once, with this outlet listed among its copies",
        stage="dedup",
        article_id=original.id,
        source=copy.source,
    )


def deduplicate(
    articles: Sequence[Article], *, threshold: float = JACCARD_THRESHOLD
) -> tuple[list[Article], list[Diagnostic]]:
    """Drop near-identical copies from ``articles`` (first kept, order kept); the kept ones list their copies."""
    index = NearDuplicateIndex(threshold=threshold)
    kept: dict[str, Article] = {}
    diagnostics: list[Diagnostic] = []
    for article in articles:
        original = index.add(article.id, article.text)
        if original is None:
            kept[article.id] = article
            continue
        kept[original] = with_copies(kept[original], [copy_of(article)])
        diagnostics.append(copy_diagnostic(article, kept[original]))
    return list(kept.values()), diagnostics
