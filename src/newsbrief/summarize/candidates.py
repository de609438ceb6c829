"""Which sentences may enter a summary, and which cannot stand alone.

Shared by the plain-text (evaluation) path and the story path, so both rank the same candidates.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import Candidate, build_candidate
from .tokenize import ends_with_terminal, is_title_case, split_sentences, words

__all__ = [
    "candidate_flags",
    "document_candidates",
]

# Sentences shorter than this (in words) are bylines, captions, datelines or stray quote marks. Tuned on
# Multi-News (4, 6, 8 tried; 6 best) and it drops every caption fragment of the seeds.
MIN_WORDS = 6
# Without the well-formedness checks (see ``document_candidates``), fragments shorter than this are dropped.
MIN_LOOSE_WORDS = 3
# A quotation running over more sentences than this without closing is taken for a stray quote mark.
MAX_QUOTE_SENTENCES = 4
# Longer "sentences" are almost always run-on lists, tables or missing splits.
MAX_WORDS = 80

# Web boilerplate that survives cleaning: calls to action, links, legal lines. Generic to news sites.
_BOILERPLATE = re.compile(
    r"https?://|www\.|\S+@\S+\.\w|©|\ball rights reserved\b|\bsign up\b|\bsubscribe\b|\bnewsletter\b"
    r"|\bclick here\b|\bfollow us\b|\bcookies?\b|\bjavascript\b|\bread more\b|\bshare this\b"
    r"|\bcomment via\b|\badvertisement\b|\bthis (?:material|article) may not be\b|\bour telegram\b",
    re.IGNORECASE,
)
# Words that point back to something said before: a sentence opening with one cannot stand alone.
_DANGLING_OPENERS = frozenset(
    [
        "he",
        "she",
        "it",
        "they",
        "him",
        "her",
        "his",
        "its",
        "their",
        "them",
        "this",
        "these",
        "that",
        "those",
        "such",
        "but",
        "and",
        "or",
        "nor",
        "so",
        "yet",
        "however",
        "also",
        "still",
        "meanwhile",
        "moreover",
        "furthermore",
        "nevertheless",
        "nonetheless",
        "instead",
        "then",
        "thus",
        "hence",
        "otherwise",
        "besides",
        "likewise",
        "similarly",
        "consequently",
        "therefore",
        "accordingly",
    ]
)
# Openers among those that look back only in form: "this" or "these" before a time word ("This week, ...",
# "These days ...") points at the calendar ("that night" does look back), and an expletive "it" ("It is
# unclear whether ...", "It's illegal to ...") at the clause that follows. Such a sentence stands alone.
_STANDALONE_OPENING = re.compile(
    r"\W*(?:(?:this|these)\s+(?:week|weekend|month|year|morning|afternoon|evening|night|spring"
    r"|summer|fall|autumn|winter|season|days|weeks|months|years)\b"
    r"|it\s?(?:'s|’s|\s+is|\s+was|\s+has\s+been|\s+had\s+been|\s+will\s+be|\s+would\s+be|\s+remains"
    r"|\s+remained|\s+seems|\s+seemed|\s+appears|\s+appeared)\s+(?:not\s+)?(?:yet\s+|still\s+)?"
    r"(?:unclear|clear|likely|unlikely|possible|impossible|illegal|legal|important|difficult|hard|easy"
    r"|unknown|known|uncertain|necessary|too\s+early|too\s+soon)\s+"
    r"(?:to|that|whether|if|how|why|when|what|who|where)\b)",
    re.IGNORECASE,
)
# "...," he added. / "...", she said: a quotation attributed to a bare pronoun.
_PRONOUN_ATTRIBUTION = re.compile(
    r"[\"”’]\s*,?\s*(?:he|she|they)\s+\w+|,\s*(?:he|she|they)\s+(?:said|says|added|adds|told|noted|"
    r"explained|continued|argued|insisted|claimed|stressed|pointed out|warned|wrote)\b",
    re.IGNORECASE,
)


def _first_word(text: str) -> str:
    """The first word, lower-cased, without a contraction ("She's" -> "she", "They’re" -> "they")."""
    found = words(text[:40])
    return re.split(r"['’]", found[0].lower())[0] if found else ""


def _after(text: str, inside: bool) -> bool:
    """Whether a quotation is open after ``text``, given whether one was open before it."""
    for ch in text:
        if ch == '"':
            inside = not inside
        elif ch == "“":
            inside = True
        elif ch == "”":
            inside = False
    return inside


def _quote_states(texts: Sequence[str]) -> list[tuple[bool, bool]]:
    """Per sentence: (a quotation is open before it, one is open after it).

    A quotation that opens and does not close within :data:`MAX_QUOTE_SENTENCES` sentences is a stray mark
    (tokenized or truncated text, a typo); it does not make the rest of the document "inside a quote".
    """
    states: list[tuple[bool, bool]] = []
    inside = False
    for i, text in enumerate(texts):
        starts = inside
        inside = _after(text, starts)
        if inside and not starts:
            still = True
            for following in texts[i + 1 : i + 1 + MAX_QUOTE_SENTENCES]:
                still = _after(following, still)
                if not still:
                    break
            inside = not still  # closes later: a real multi-sentence quotation; never closes: a stray mark
        states.append((starts, inside))
    return states


def candidate_flags(texts: Sequence[str]) -> list[tuple[bool, bool]]:
    """For the sentences of one document, in order: ``(eligible, needs_previous)`` per sentence.

    Not eligible: too short or long, no terminal punctuation, a title-case line (a headline, a caption, a
    related link), web boilerplate, or a quotation that opens and does not close in the sentence (its
    speaker is named later). Needs its previous sentence: it opens with a
    pronoun or connective, attributes a quote to a bare pronoun, or continues a quotation opened before.
    """
    flags: list[tuple[bool, bool]] = []
    for text, (starts_inside, ends_inside) in zip(texts, _quote_states(texts), strict=True):
        opens_unclosed = ends_inside and not starts_inside
        n = len(words(text))
        eligible = (
            MIN_WORDS <= n <= MAX_WORDS
            and ends_with_terminal(text)
            and not is_title_case(text)
            and _BOILERPLATE.search(text) is None
            and not opens_unclosed
        )
        needs_previous = (
            starts_inside
            or (_first_word(text) in _DANGLING_OPENERS and _STANDALONE_OPENING.match(text) is None)
            or _PRONOUN_ATTRIBUTION.search(text) is not None
        )
        flags.append((eligible, needs_previous))
    return flags


def document_candidates(documents: Sequence[str], *, strict: bool = True) -> list[Candidate]:
    """Candidates of plain-text documents, split with :func:`~.tokenize.split_sentences`.

    With ``strict`` off every sentence of :data:`MIN_LOOSE_WORDS` words or more is a candidate (for text
    whose sentences lack terminal punctuation, such as truncated or tokenized corpora).
    """
    out: list[Candidate] = []
    for d, text in enumerate(documents):
        spans = split_sentences(text)
        texts = [text[s:e] for s, e in spans]
        position = 0
        for i, (sentence, (eligible, needs_previous)) in enumerate(
            zip(texts, candidate_flags(texts), strict=True)
        ):
            if not eligible and (strict or len(words(sentence)) < MIN_LOOSE_WORDS):
                continue
            out.append(build_candidate(d, i, position, sentence, needs_previous=needs_previous))
            position += 1
    return out
