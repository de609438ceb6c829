"""Fast, dependency-free sentence and word helpers for the summarizers.

The story path gets its sentences from spaCy (``Analysis.sentences``); the evaluation path (thousands of
Multi-News clusters) and sumy's baselines use :func:`split_sentences` instead, so no parse is needed there.
Both paths then share :func:`terms`, the normalised content words every similarity in this package uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

__all__ = [
    "STOP_WORDS",
    "WordTokenizer",
    "ends_with_terminal",
    "is_title_case",
    "split_sentences",
    "stem",
    "terms",
    "words",
]

STOP_WORDS: frozenset[str] = frozenset(ENGLISH_STOP_WORDS) | {
    # reporting glue that carries no content of its own in news
    "said", "says", "told", "according", "also", "just", "like", "would", "could", "year", "years",
    "mr", "mrs", "ms", "dr", "don", "doesn", "didn", "isn", "wasn", "aren", "won", "ll", "ve", "re",
}  # fmt: skip

# Words followed by a full stop that does not end a sentence (lower-cased, without the dot).
# Titles, months, corporate suffixes and common news abbreviations; "etc." and "a.m." are left out on
# purpose because they often do end a sentence.
ABBREVIATIONS: frozenset[str] = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "sen",
        "rep",
        "gov",
        "gen",
        "lt",
        "col",
        "sgt",
        "capt",
        "cmdr",
        "adm",
        "maj",
        "cpl",
        "pvt",
        "rev",
        "hon",
        "pres",
        "supt",
        "insp",
        "det",
        "st",
        "jr",
        "sr",
        "inc",
        "corp",
        "co",
        "ltd",
        "llc",
        "bros",
        "dept",
        "univ",
        "assn",
        "no",
        "nos",
        "vol",
        "pp",
        "fig",
        "ft",
        "mt",
        "ave",
        "blvd",
        "rd",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "vs",
        "v",
        "approx",
        "est",
        "ala",
        "ariz",
        "ark",
        "calif",
        "colo",
        "conn",
        "del",
        "fla",
        "ga",
        "ill",
        "ind",
        "kan",
        "ky",
        "la",
        "md",
        "mass",
        "mich",
        "minn",
        "miss",
        "mo",
        "mont",
        "neb",
        "nev",
        "okla",
        "ore",
        "pa",
        "tenn",
        "tex",
        "va",
        "vt",
        "wash",
        "wis",
        "wyo",
    ]
)

# After an acronym such as "U.S." a sentence ends only when the next word is a typical sentence opener:
# "in the U.S. The president ..." splits, "the U.S. Senate" does not.
_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "he",
        "she",
        "it",
        "they",
        "we",
        "i",
        "you",
        "this",
        "that",
        "these",
        "those",
        "there",
        "his",
        "her",
        "its",
        "their",
        "our",
        "but",
        "and",
        "or",
        "so",
        "yet",
        "in",
        "on",
        "at",
        "for",
        "as",
        "after",
        "before",
        "when",
        "while",
        "if",
        "although",
        "though",
        "however",
        "meanwhile",
        "still",
        "now",
        "then",
        "some",
        "many",
        "most",
        "one",
        "two",
        "no",
        "not",
    ]
)

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
# A candidate boundary: terminal punctuation, optional closing quotes/brackets, then whitespace.
_BOUNDARY = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
# A full stop, question or exclamation mark or ellipsis, then any closing quotes or brackets (tokenized text
# spaces them off: ``... tragic . "``).
_TERMINAL = re.compile(r"[.!?…](?:\s?[\"'”’)\]])*$")
# Title case leaves these lower-case ("Escape Maneuver in a Flying Fly from Michael Dickinson on Vimeo").
_TITLE_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "in",
        "on",
        "for",
        "to",
        "and",
        "or",
        "nor",
        "at",
        "by",
        "with",
        "from",
        "as",
        "via",
        "vs",
        "into",
        "onto",
        "over",
        "under",
        "after",
        "before",
    ]
)
# With fewer content words than this a line is too short to tell a title from a sentence of names.
MIN_TITLE_WORDS = 4
# A quote mark standing alone after a sentence boundary: in tokenized text ('home . " merritt said') the mark
# that closes a quotation is spaced off the sentence it ends.
_LONE_QUOTE = re.compile(r"[\"”](?=\s|$)")
_PARAGRAPH = re.compile(r"\n[ \t\r\f\v]*\n\s*")
_LINE = re.compile(r"\n")
_TOKEN_BEFORE = re.compile(r"([^\s\"'“‘(\[]+)$")
_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"^[A-Z]\.$")


def words(text: str) -> list[str]:
    """The word tokens of ``text`` (letters/digits, inner apostrophes kept), as written."""
    return _WORD.findall(text)


def ends_with_terminal(text: str) -> bool:
    """``text`` ends as a finished sentence does (not a headline, a caption or a truncated line).

    A straight quote mark spaced off after the punctuation ends the sentence only when it closes a quotation
    (an even number of marks): otherwise it opens the next one and was split off with the wrong sentence
    (``... the office said in a statement. "``).
    """
    text = text.rstrip()
    match = _TERMINAL.search(text)
    if match is None:
        return False
    return not (re.search(r'\s"', match.group()) and text.count('"') % 2)


def is_title_case(text: str) -> bool:
    """Every content word capitalized ("Uncovering the New World Columbus Created."): a headline, a related
    link, a caption or a reference, not a sentence of the article, though it may end with a full stop. A
    sentence has at least one lower-case verb or noun ("Putin met Abe in Tokyo.")."""
    content = [w for w in words(text) if w.lower() not in _TITLE_FUNCTION_WORDS and not w[0].isdigit()]
    return len(content) >= MIN_TITLE_WORDS and all(w[0].isupper() for w in content)


# Bounded: a long batch meets new words forever (about 5,000 per 1,000 news articles); 16,384 entries (about
# 4 MiB) still serve most look-ups, since a few thousand words make up most of any text.
@lru_cache(maxsize=16_384)
def stem(word: str) -> str:
    """A light suffix stripper (plural, -ed, -ing, -ly): enough to match "talks"/"talk", "seized"/"seize"."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    n = len(w)
    if n <= 3 or w.isdigit():
        return w
    if w.endswith("ies") and n > 4:
        return w[:-3] + "y"
    if w.endswith("sses"):
        return w[:-2]
    if w.endswith("s") and not w.endswith(("ss", "us", "is")):
        w = w[:-1]
    elif w.endswith("ing") and n > 5:
        w = w[:-3]
    elif (w.endswith("ed") and n > 4) or (w.endswith("ly") and n > 5):
        w = w[:-2]
    if w.endswith("e") and len(w) > 4:
        w = w[:-1]  # "seize"/"seized" -> "seiz"
    return w


def terms(text: str) -> list[str]:
    """Content terms: lower-cased, stop words and one-letter tokens dropped, lightly stemmed."""
    out: list[str] = []
    for token in _WORD.findall(text):
        low = token.lower()
        if len(low) < 2 or low in STOP_WORDS:
            continue
        out.append(stem(low))
    return out


def _ends_sentence(text: str, punct_start: int, punct_end: int, next_start: int) -> bool:
    """Whether the punctuation at ``text[punct_start:punct_end]`` ends a sentence."""
    if next_start >= len(text):
        return True
    nxt = text[next_start]
    if nxt.islower():
        return False  # "he said ... ?" she asked / "the U.S. embassy"
    if text[punct_start] != ".":
        return True
    before = _TOKEN_BEFORE.search(text, 0, punct_start + 1)
    token = before.group(1) if before else ""
    bare = token.rstrip(".").lower()
    if bare in ABBREVIATIONS or _INITIAL.match(token):
        return False
    if _ACRONYM.match(token):
        m = _WORD.match(text, next_start)
        return m is not None and m.group(0).lower() in _OPENERS
    return True


def _closes_quotation(text: str, start: int, end: int, next_start: int) -> bool:
    """Whether a lone quote mark at ``next_start`` closes a quotation left open in ``text[start:end]``."""
    if _LONE_QUOTE.match(text, next_start) is None:
        return False
    if text[next_start] == "”":
        return True
    return text.count('"', start, end) % 2 == 1


def _line_spans(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a paragraph at single newlines unless the next line continues the sentence (lower case)."""
    cursor = start
    for m in _LINE.finditer(text, start, end):
        j = m.end()
        while j < end and text[j] in " \t\r":
            j += 1
        if j < end and text[j].islower():
            continue  # a hard-wrapped line
        yield cursor, m.start()
        cursor = m.end()
    yield cursor, end


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text``, trimmed of surrounding whitespace.

    Splits at paragraph breaks, at line breaks not followed by a lower-case continuation, and after
    ``.``/``!``/``?`` (with closing quotes) when the next word starts a sentence: not after titles and other
    :data:`ABBREVIATIONS`, initials ("J. K."), nor acronyms followed by a name ("U.S. Senate").
    """
    spans: list[tuple[int, int]] = []
    cursor = 0
    blocks: list[tuple[int, int]] = []
    for m in _PARAGRAPH.finditer(text):
        blocks.append((cursor, m.start()))
        cursor = m.end()
    blocks.append((cursor, len(text)))
    for b_start, b_end in blocks:
        for l_start, l_end in _line_spans(text, b_start, b_end):
            cursor = l_start
            for m in _BOUNDARY.finditer(text, l_start, l_end):
                j = m.end()
                while j < l_end and text[j].isspace():
                    j += 1
                if j >= l_end:
                    continue  # the line's end closes the sentence anyway
                if _ends_sentence(text, m.start(), m.end(), j):
                    end = m.end()
                    if _closes_quotation(text, cursor, end, j):
                        end = j + 1  # the spaced-off closing mark ends this sentence, not the next
                        j = end
                        while j < l_end and text[j].isspace():
                            j += 1
                        if j >= l_end:
                            continue
                    spans.append((cursor, end))
                    cursor = j
            spans.append((cursor, l_end))
    out: list[tuple[int, int]] = []
    for start, end in spans:
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


class WordTokenizer:
    """The tokenizer object sumy's parsers and ``Sentence`` expect (``to_sentences``/``to_words``).

    sumy's own ``Tokenizer`` needs NLTK's punkt data, which cannot be downloaded here; this one is offline.
    """

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(paragraph[s:e] for s, e in split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))
