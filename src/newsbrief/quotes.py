"""Who said what: direct, partial and indirect quotes, each with the speaker as written at its cue.

Two stages:

- :func:`extract_quotes` (per article) finds the quotes of one article. Quote marks are paired by a linear scan
  (straight and curly, double and single, multi-paragraph quotes, unbalanced marks); each marked region is
  ``direct`` (a full sentence or more) or ``partial`` (a fragment inside running text). Reported speech without
  marks (a speech verb with a clausal complement, or "according to X") is ``indirect``. The cue and the speaker
  come from the dependency parse (the speech verb governing the quote and its subject), with surface patterns
  around the marks when the parse fails, and from the neighbouring quotes for quotes with no cue of their own
  (``"...," he added. "..."``; a quote paragraph after an attributed one). ``Quote.speaker`` then holds the speaker
  *as written* ("he", "the French leader", "Lopez") and its span; nothing is resolved yet.
- :func:`attribute_speakers` (per story, after :func:`newsbrief.entities.resolve_entities`) resolves each
  speaker to a story entity, through pronouns and descriptors with :mod:`newsbrief.coref`, and fills
  ``story.quotes`` (ids ``q1..`` by article, then offset).

Everything is linear in the text or bounded per quote, so hostile input (hundreds of unmatched marks, megabyte
paragraphs, one quote as long as the article) stays fast.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Analysis, Quote, QuoteKind, Span, Speaker, Story
from .nlp import doc_of

__all__ = [
    "BELIEF_VERBS",
    "SPEECH_VERBS",
    "QuoteRegion",
    "attribute_speakers",
    "extract_quotes",
    "find_quote_regions",
]

# Lemmas of verbs that report speech. General news English (the attribution verbs of PARC/PolNeAR style
# corpora plus common newswire variants); a cue must be one of these for a quote to get a speaker from it.
SPEECH_VERBS = frozenset(
    {
        "say",
        "add",
        "tell",
        "state",
        "stress",
        "note",
        "explain",
        "insist",
        "argue",
        "claim",
        "warn",
        "announce",
        "declare",
        "reply",
        "respond",
        "answer",
        "ask",
        "write",
        "report",
        "comment",
        "remark",
        "observe",
        "suggest",
        "acknowledge",
        "admit",
        "confirm",
        "deny",
        "emphasize",
        "emphasise",
        "underline",
        "underscore",
        "indicate",
        "assert",
        "maintain",
        "contend",
        "reiterate",
        "recall",
        "predict",
        "promise",
        "pledge",
        "vow",
        "urge",
        "tweet",
        "testify",
        "concede",
        "mention",
        "continue",
        "complain",
        "lament",
        "joke",
        "quip",
        "sigh",
        "grumble",
        "shout",
        "cry",
        "whisper",
        "muse",
        "boast",
        "demand",
        "agree",
        "express",
        "point",
        "describe",
        "call",
        "charge",
        "allege",
        "caution",
        "disclose",
        "reveal",
        "recount",
        "retort",
        "counter",
        "assure",
        "inform",
        "brief",
        "signal",
        "hint",
        "estimate",
        "forecast",
        "post",
        "quote",
        "cite",
        "specify",
        "propose",
        "proclaim",
        "affirm",
        "reaffirm",
        "repeat",
        "blast",
        "criticize",
        "criticise",
        "accuse",
        "dismiss",
    }
)
# Verbs of belief: a cue for a quoted fragment inside their complement ("believes that 'a breakthrough ...'"),
# but not for unmarked reported speech, which they would flood with opinions nobody voiced.
BELIEF_VERBS = frozenset(
    {"believe", "think", "feel", "expect", "hope", "fear", "doubt", "consider", "reckon"}
)
# Surface forms used when the parse is unavailable or failed (the lemmas above, inflected, for the regex path).
_SURFACE_CUES = (
    "said|says|say|added|adds|told|tells|stated|stressed|noted|notes|explained|insisted|argued|argues|claimed"
    "|warned|announced|declared|replied|responded|asked|wrote|writes|reported|commented|remarked|observed"
    "|suggested|acknowledged|admitted|confirmed|denied|emphasized|emphasised|underlined|underscored|indicated"
    "|asserted|maintained|reiterated|recalled|predicted|promised|pledged|vowed|urged|tweeted|continued"
    "|concluded|complained|pointed out|explains|insists|warns|adding|saying"
)
_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we", "you"})

# A quoted fragment shorter than this many words with no speech cue is a scare quote ('Determined', "so-called"),
# not somebody's words. Two words keep "key issue"-style fragments, which newswire attributes.
MIN_UNCUED_WORDS = 2
# An unclosed mark must be followed by at least this many words to count as a quote that runs to the end of
# its paragraph; fewer is a stray mark (a run of opening marks gives one-word "quotes").
MIN_UNCLOSED_WORDS = 3
# How far up the dependency tree (edges) from a quote's attachment point a speech verb may be. Ten covers
# "X said that the city wants ... but is not prepared to budge on the 'Z'" (coordination and prepositions);
# the walk stops earlier at a noun owned by someone else ("the union's stance of keeping 'Z'").
MAX_CUE_DEPTH = 10
# Surface fallback: the speaker-and-verb clause must sit this close to the mark (characters). Eighty fits
# ", French political analyst Jean-Marc Dupont said" and keeps unrelated clauses out.
SURFACE_WINDOW = 80
# An indirect quote cut short by quote marks keeps at least this many words of its own (shorter is a stub).
MIN_INDIRECT_WORDS = 5
# Confidence of the cue-level attribution, by how it was found. Chosen by hand from the error rates on the
# seeds and the PolNeAR dev split (benchmarks/attribution.py): syntactic cues are rarely wrong, chains less
# reliable, cross-paragraph inheritance least.
CONF_SYNTAX = 0.95
CONF_SURFACE = 0.85
CONF_CHAIN = 0.85
CONF_PARAGRAPH = 0.7
# A marked region longer than this many characters with no closing mark is treated as a stray mark if it is
# also longer than its paragraph allows; bounded regions keep hostile input linear.
MAX_REGION_CHARS = 20_000

_OPEN_DOUBLE = "“„«‟"
_CLOSE_DOUBLE = "”»"
_DOUBLE = _OPEN_DOUBLE + _CLOSE_DOUBLE + '"'
_OPEN_SINGLE = "‘‹"
_CLOSE_SINGLE = "’›"
_OPENERS_BEFORE = set(" \t\n([{—–-/") | set(_OPEN_DOUBLE) | set(_OPEN_SINGLE)
_CLOSERS_AFTER = set(" \t\n.,;:!?)]}—–-…/") | set(_CLOSE_DOUBLE) | set(_CLOSE_SINGLE) | {"'", '"'}
_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_SENTENCE_START = re.compile(r"(?:^|(?<=[.!?…\"'”’)])\s+|\n)(?=\S)")
_SEPARATOR_TAIL = re.compile(
    r"(?:\s*(?:[,;:—–]|\band\b|\bbut\b|\bthat\b|\badding\b|\bsaying\b|\bnoting\b|\bstressing\b))+\s*$"
)
_SENT_END = re.compile(r"[.!?…]['\"’”)\]]*\s*$")


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteRegion:
    """The words between a pair of quote marks (offsets exclude the marks)."""

    start: int
    end: int
    mark_start: int  # offset of the opening mark
    mark_end: int  # offset just after the closing mark (== end when unclosed)
    double: bool
    closed: bool
    continues: bool = False  # left open at a paragraph end and reopened in the next paragraph


# --- quote marks -----------------------------------------------------------------------------------------


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Paragraph bounds: blank lines, or single newlines when the text has no blank line at all."""
    breaks = list(_PARAGRAPH.finditer(text))
    if not breaks and "\n" in text:
        breaks = list(re.finditer(r"\n+", text))
    bounds: list[tuple[int, int]] = []
    cursor = 0
    for brk in breaks:
        bounds.append((cursor, brk.start()))
        cursor = brk.end()
    bounds.append((cursor, len(text)))
    return [(s, e) for s, e in bounds if e > s]


def _mark_role(text: str, i: int, lo: int, hi: int, width: int = 1) -> str:
    """``open``, ``close`` or ``either`` for the mark at ``i`` from what stands on each side of it."""
    before = text[i - 1] if i > lo else " "
    after = text[i + width] if i + width < hi else " "
    opens = before in _OPENERS_BEFORE or before == "\n"
    closes = after in _CLOSERS_AFTER or after == "\n"
    ch = text[i : i + width]
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    if ch in _OPEN_DOUBLE or ch in _OPEN_SINGLE or ch == "``":
        return "open"
    if ch in _CLOSE_DOUBLE or ch in _CLOSE_SINGLE:
        return "close"
    return "either"


# Double marks: curly, straight, guillemets, and the two-character ASCII marks of older newswire ('' and ``).
_DOUBLE_MARK = re.compile(f"''|``|[{re.escape(_DOUBLE)}]")


def _scan_double(text: str, paragraphs: Sequence[tuple[int, int]]) -> list[QuoteRegion]:
    regions: list[QuoteRegion] = []
    for p_index, (lo, hi) in enumerate(paragraphs):
        open_at: int | None = None
        open_width = 1
        for m in _DOUBLE_MARK.finditer(text, lo, hi):
            i, width = m.start(), m.end() - m.start()
            role = _mark_role(text, i, lo, hi, width)
            if open_at is None:
                if role != "close":
                    open_at, open_width = i, width
                continue
            if role == "open" and i > open_at + open_width:
                # A second opening mark while a quote is open: the first was never closed (or quotes are
                # nested with the wrong marks). End the first here and start again, which keeps the scan
                # linear on text that is nothing but opening marks.
                regions.append(
                    _region(text, open_at, i, closed=False, double=True, width=(open_width, width))
                )
                open_at, open_width = i, width
            elif role == "open":
                open_at, open_width = i, width
            else:
                regions.append(_region(text, open_at, i, closed=True, double=True, width=(open_width, width)))
                open_at = None
        if open_at is not None:
            nxt = paragraphs[p_index + 1][0] if p_index + 1 < len(paragraphs) else None
            continues = False
            if nxt is not None:
                mark = _DOUBLE_MARK.match(text, nxt)
                continues = (
                    mark is not None and _mark_role(text, nxt, nxt, len(text), mark.end() - nxt) != "close"
                )
            regions.append(
                _region(
                    text, open_at, hi, closed=False, double=True, continues=continues, width=(open_width, 0)
                )
            )
    return regions


def _scan_single(
    text: str, paragraphs: Sequence[tuple[int, int]], taken: Sequence[QuoteRegion]
) -> list[QuoteRegion]:
    """Single-quoted regions outside double-quoted ones, with strict rules to leave apostrophes alone."""
    starts = [r.mark_start for r in taken]
    regions: list[QuoteRegion] = []

    def inside_double(i: int) -> bool:
        k = bisect.bisect_right(starts, i) - 1
        return k >= 0 and taken[k].mark_start <= i < max(taken[k].mark_end, taken[k].end + 1)

    for lo, hi in paragraphs:
        open_at: int | None = None
        for m in re.finditer(r"['‘’‹›]", text[lo:hi]):
            i = lo + m.start()
            if inside_double(i):
                continue
            before = text[i - 1] if i > lo else " "
            after = text[i + 1] if i + 1 < hi else " "
            if before.isalnum() and after.isalnum():
                continue  # an apostrophe inside a word: don't, Lee's, O'Neill
            if before == "'" or after == "'":
                continue  # half of a two-apostrophe double mark
            if open_at is None:
                if (before in _OPENERS_BEFORE or i == lo) and (after.isalnum() or after in "[…"):
                    open_at = i
                continue
            if i - open_at > SURFACE_WINDOW * 4:
                # Too far for a single-quoted fragment: the opener was an apostrophe ('90s, 'em).
                open_at = i if (before in _OPENERS_BEFORE and after.isalnum()) else None
                continue
            if (after in _CLOSERS_AFTER or i + 1 >= hi) and not before.isspace():
                if before == "s" and after == " " and i + 2 < hi and text[i + 2].isalpha():
                    continue  # plural possessive: the sides' positions
                regions.append(_region(text, open_at, i, closed=True, double=False))
                open_at = None
    return regions


def _region(
    text: str,
    open_at: int,
    close_at: int,
    *,
    closed: bool,
    double: bool,
    continues: bool = False,
    width: tuple[int, int] = (1, 1),
) -> QuoteRegion:
    start, end = open_at + width[0], close_at
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # Keep a closing comma inside the marks out of the quote's words (American style "...the case," he said):
    # the text is the words, the span is exactly them.
    while end > start and text[end - 1] in ",;:":
        end -= 1
    return QuoteRegion(
        start=start,
        end=end,
        mark_start=open_at,
        mark_end=close_at + width[1] if closed else close_at,
        double=double,
        closed=closed,
        continues=continues,
    )


def find_quote_regions(text: str) -> list[QuoteRegion]:
    """Every quoted region of ``text`` in offset order, with words in it (linear time)."""
    paragraphs = _paragraphs(text)
    doubles = _scan_double(text, paragraphs)
    singles = _scan_single(text, paragraphs, doubles)
    regions = sorted(doubles + singles, key=lambda r: r.start)
    return [r for r in regions if _WORD.search(text, r.start, r.end) and r.end - r.start <= MAX_REGION_CHARS]


# --- extraction --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Found:
    """A quote being built (mutable while the article is processed)."""

    start: int
    end: int
    kind: QuoteKind
    region: QuoteRegion | None = None
    cue: str | None = None
    speaker: tuple[int, int] | None = None  # char span of the speaker as written
    confidence: float = 0.0
    paragraph: int = 0
    chain: str = ""  # how the speaker was found: syntax, surface, chain, paragraph
    owned: bool = False  # the quote hangs from "X's stance/words": X's, not the reporting speaker's


def _usable_doc(analysis: Analysis) -> Any:
    return doc_of(analysis)


def _has_parse(doc: Any) -> bool:
    try:
        return bool(doc.has_annotation("DEP"))
    except Exception:  # a Doc-like object without spaCy's API
        return False


def _word_count(text: str) -> int:
    return len(_WORD.findall(text))


def extract_quotes(analysis: Analysis) -> Analysis:
    """Find the direct, partial and indirect quotes of one article with their cue-level speakers."""
    text = analysis.article.text
    doc = _usable_doc(analysis)
    parsed = doc is not None and _has_parse(doc)
    paragraphs = _paragraphs(text)
    para_starts = [p[0] for p in paragraphs]
    regions = find_quote_regions(text)
    in_quote = _QuoteMask(regions)

    found: list[_Found] = []
    for region in regions:
        kind = _marked_kind(text, region, paragraphs, para_starts)
        item = _Found(
            start=region.start,
            end=region.end,
            kind=kind,
            region=region,
            paragraph=max(0, bisect.bisect_right(para_starts, region.start) - 1),
        )
        if parsed:
            _syntactic_cue(doc, item, in_quote, paragraphs[item.paragraph], allow_belief=True)
        if item.speaker is None:
            _surface_cue(text, item, paragraphs, doc if parsed else None)
        found.append(item)

    turns = _transcript_turns(text, paragraphs, in_quote, doc if parsed else None)
    if turns:
        # A turn ("PENCE: ...") replaces the stray mark some scrapers put in front of it.
        turn_paras = {t.paragraph for t in turns}
        found = [
            f
            for f in found
            if f.region is None
            or not (f.paragraph in turn_paras and f.region.mark_start == paragraphs[f.paragraph][0])
        ]
        found.extend(turns)
    if parsed:
        found.extend(_indirect_quotes(doc, text, in_quote, para_starts))
    found.sort(key=lambda f: (f.start, f.end))
    sentence_starts = [s.span.start for s in analysis.sentences] or [
        m.start() for m in _SENTENCE_START.finditer(text)
    ]
    _chain_speakers(text, found, paragraphs, sentence_starts)

    quotes: list[Quote] = []
    for f in found:
        if f.kind == "partial":
            # American punctuation puts the sentence's full stop inside the marks; it is not the speaker's.
            while f.end > f.start and text[f.end - 1] in ".,;:":
                f.end -= 1
        words = _word_count(text[f.start : f.end])
        if f.region is not None and f.speaker is None and f.cue is None and words < MIN_UNCUED_WORDS:
            continue
        if (
            f.region is not None
            and not f.region.closed
            and not f.region.continues
            and words < MIN_UNCLOSED_WORDS
        ):
            continue  # a stray opening mark, not a quote that runs on
        if words == 0:
            continue
        speaker = None
        if f.speaker is not None:
            s, e = f.speaker
            speaker = Speaker(
                entity_id=None,
                name=None,
                as_written=text[s:e],
                confidence=round(f.confidence, 3),
                span=Span(article_id=analysis.article.id, start=s, end=e),
            )
        quotes.append(
            Quote(
                id=f"q{len(quotes) + 1}",
                span=Span(article_id=analysis.article.id, start=f.start, end=f.end),
                text=text[f.start : f.end],
                kind=f.kind,
                speaker=speaker,
                cue=f.cue,
            )
        )
    return dataclasses.replace(analysis, quotes=tuple(quotes))


class _QuoteMask:
    """Is a character offset inside quote marks? (binary search over the sorted regions)."""

    def __init__(self, regions: Sequence[QuoteRegion]) -> None:
        self._regions = sorted(regions, key=lambda r: r.mark_start)
        self._starts = [r.mark_start for r in self._regions]

    def region_at(self, offset: int) -> QuoteRegion | None:
        k = bisect.bisect_right(self._starts, offset) - 1
        if k < 0:
            return None
        r = self._regions[k]
        return r if r.mark_start <= offset < max(r.mark_end, r.end) else None

    def __call__(self, offset: int) -> bool:
        return self.region_at(offset) is not None

    def first_overlap(self, start: int, end: int) -> QuoteRegion | None:
        k = bisect.bisect_left(self._starts, end)
        for r in self._regions[max(0, k - 8) : k]:
            if r.mark_start < end and start < max(r.mark_end, r.end):
                return r
        return None

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self._starts, end)
        for r in self._regions[max(0, k - 8) : k]:
            if r.mark_start < end and start < max(r.mark_end, r.end):
                return True
        return False


def _marked_kind(
    text: str, region: QuoteRegion, paragraphs: Sequence[tuple[int, int]], para_starts: Sequence[int]
) -> QuoteKind:
    """``direct`` when the marks hold a sentence of their own, ``partial`` when they sit inside running text."""
    p = max(0, bisect.bisect_right(para_starts, region.mark_start) - 1)
    p_start = paragraphs[p][0] if paragraphs else 0
    words = text[region.start : region.end]
    first = next((c for c in words if c.isalnum() or c in "[("), "")
    if not first or not (first.isupper() or first.isdigit() or first in "[("):
        return "partial"
    # Only a window before the mark is read, so a megabyte paragraph stays linear.
    lo = max(p_start, region.mark_start - SURFACE_WINDOW)
    before = text[lo : region.mark_start].rstrip()
    if not before:
        return "direct" if lo == p_start else "partial"
    last = before[-1]
    if last in ".!?:…" or last in _CLOSE_DOUBLE or last in _CLOSE_SINGLE or last in "\"'—–":
        return "direct"
    if last == ",":
        # `adding, "This is..."` / `he said, "..."`: a comma after a speech verb introduces a full quote.
        tail = before[-SURFACE_WINDOW:]
        if re.search(rf"\b(?:{_SURFACE_CUES})\b[^,]*,$", tail) or re.search(r"\b\w+ing,$", tail):
            return "direct"
        # A capitalised multi-sentence quote after a comma is still a quoted sentence.
        return "direct" if _SENT_END.search(words) and _word_count(words) >= 6 else "partial"
    return "partial"


def _token_span(doc: Any, start: int, end: int) -> Any:
    return doc.char_span(start, end, alignment_mode="expand")


def _is_cue(token: Any, *, allow_belief: bool) -> bool:
    lemma = token.lemma_.lower()
    if token.pos_ not in ("VERB", "AUX") and not (token.pos_ == "NOUN" and lemma in ("according",)):
        return False
    return lemma in SPEECH_VERBS or (allow_belief and lemma in BELIEF_VERBS)


def _syntactic_cue(
    doc: Any, item: _Found, in_quote: _QuoteMask, paragraph: tuple[int, int], *, allow_belief: bool
) -> None:
    """The speech verb governing the quoted tokens (walking up from where the quote attaches) and its subject."""
    assert item.region is not None
    span = _token_span(doc, item.region.start, item.region.end)
    if span is None or len(span) == 0:
        return
    lo, hi = item.region.mark_start, max(item.region.mark_end, item.region.end)
    best: tuple[int, Any] | None = None
    seen: set[int] = set()
    for tok in span:
        head = tok.head
        if head.i == tok.i or lo <= head.idx < hi:
            continue
        node = head
        for _ in range(MAX_CUE_DEPTH):
            if node.i in seen:
                break
            seen.add(node.i)
            if not paragraph[0] <= node.idx < paragraph[1]:
                break  # the parse ran across a paragraph break (a headline glued to the lead)
            if not in_quote(node.idx) and _is_cue(node, allow_belief=allow_belief):
                if _speaker_head(node) is not None:
                    node = _outer_report(node, paragraph, in_quote)
                    dist = min(abs(node.idx - lo), abs(node.idx - hi))
                    if best is None or dist < best[0]:
                        best = (dist, node)
                break
            if node.pos_ in ("NOUN", "PROPN") and any(
                c.dep_ == "poss" and c.pos_ == "PROPN" for c in node.children
            ):
                item.owned = True
                break
            aside = _interjected_cue(node, lo, hi, in_quote, paragraph)
            if aside is not None:
                dist = min(abs(aside.idx - lo), abs(aside.idx - hi))
                if best is None or dist < best[0]:
                    best = (dist, aside)
                break
            according = _according_to(node)
            if according is not None and not in_quote(according.idx):
                dist = min(abs(according.idx - lo), abs(according.idx - hi))
                if best is None or dist < best[0]:
                    best = (dist, according)
                break
            if node.head.i == node.i:
                break
            node = node.head
    if best is None:
        return
    cue = best[1]
    if best[0] > SURFACE_WINDOW * 3:
        return  # a speech verb far away in a long sentence governs something else
    if cue.lower_ == "according":
        subj = _according_object(cue)
        item.cue = "according to"
    else:
        subj = _speaker_head(cue)
        item.cue = _cue_text(cue)
    if subj is not None and (not paragraph[0] <= subj.idx < paragraph[1] or in_quote(subj.idx)):
        # The parser took the subject from another paragraph or from inside the quote ('"My reaction, that was
        # outrageous," the strategist said'): read the noun phrase next to the verb instead.
        subj = _subject_in_paragraph(cue, paragraph, in_quote)
    if subj is None:
        return
    item.speaker = _np_chars(subj)
    item.confidence = CONF_SYNTAX
    item.chain = "syntax"


def _interjected_cue(node: Any, lo: int, hi: int, in_quote: _QuoteMask, paragraph: tuple[int, int]) -> Any:
    """A speech verb set into the clause that holds the quote: "The weapons, he added, are like 'nuclear bombs'"."""
    for child in node.children:
        if child.dep_ not in ("parataxis", "ccomp", "advcl") or in_quote(child.idx):
            continue
        if not paragraph[0] <= child.idx < paragraph[1]:
            continue
        if child.left_edge.idx < hi and lo <= child.right_edge.idx:
            continue  # the quote is inside this clause: it is reached by walking up, not an aside
        if child.pos_ in ("VERB", "AUX") and child.lemma_.lower() in SPEECH_VERBS:
            subj = _speaker_head(child)
            if subj is not None and child.right_edge.i - child.left_edge.i <= 8:
                return child
    return None


def _outer_report(cue: Any, paragraph: tuple[int, int], in_quote: _QuoteMask) -> Any:
    """A belief verb or a speech verb of "it" inside another report hands the quote to the reporting verb:
    "Ditto said she expects 'X'" is Ditto's; "She says it underscores that 'X'" is hers."""
    weak = cue.lemma_.lower() in BELIEF_VERBS or _speaker_head(cue).lower_ in ("it", "this", "that", "which")
    if not weak:
        return cue
    node = cue
    for _ in range(4):
        if node.head.i == node.i or node.dep_ not in ("ccomp", "xcomp", "advcl", "conj"):
            break
        node = node.head
        if not paragraph[0] <= node.idx < paragraph[1] or in_quote(node.idx):
            break
        if (
            node.pos_ in ("VERB", "AUX")
            and node.lemma_.lower() in SPEECH_VERBS
            and _speaker_head(node) is not None
        ):
            return node
    return cue


def _subject_in_paragraph(verb: Any, paragraph: tuple[int, int], in_quote: _QuoteMask | None = None) -> Any:
    """The noun right before a speech verb (or right after it: "said X") when the parser took its subject from
    another paragraph or from inside a quote."""
    doc = verb.doc
    k = verb.i - 1
    while k >= 0 and doc[k].idx >= paragraph[0] and doc[k].pos_ in ("ADV", "AUX", "PART"):
        k -= 1
    usable = (
        k >= 0
        and doc[k].idx >= paragraph[0]
        and doc[k].pos_ in ("PROPN", "NOUN", "PRON")
        and not (in_quote is not None and in_quote(doc[k].idx))
    )
    if not usable:
        k = verb.i + 1
        while k < len(doc) and doc[k].pos_ in ("DET", "ADJ", "PROPN", "NOUN") and k < verb.i + 8:
            if k + 1 >= len(doc) or doc[k + 1].pos_ not in ("PROPN", "NOUN"):
                break
            k += 1
        if not (
            k < len(doc)
            and k > verb.i
            and doc[k].pos_ in ("PROPN", "NOUN")
            and doc[k].idx < paragraph[1]
            and not (in_quote is not None and in_quote(doc[k].idx))
        ):
            return None
        return doc[k]
    tok = doc[k]
    # "leaders of the two countries said": climb from the object of "of" to the noun it modifies.
    while tok.dep_ == "pobj" and tok.head.dep_ == "prep" and tok.head.head.idx >= paragraph[0]:
        if tok.head.head.pos_ not in ("NOUN", "PROPN"):
            break
        tok = tok.head.head
    return tok


def _according_to(node: Any) -> Any:
    for child in node.children:
        if child.lower_ == "according" and child.dep_ == "prep":
            return child
    return None


def _according_object(according: Any) -> Any:
    obj = None
    for child in according.children:
        if child.lower_ == "to":
            obj = next((g for g in child.children if g.dep_ == "pobj"), None)
        elif child.dep_ == "pobj":
            obj = child
        if obj is not None:
            break
    if obj is not None and obj.ent_type_ not in ("PERSON", "ORG", "GPE", "NORP"):
        # "according to a speech by X" / "a statement from X": X is the source.
        for prep in obj.children:
            if prep.dep_ == "prep" and prep.lower_ in ("by", "from", "of"):
                who = next((g for g in prep.children if g.dep_ == "pobj"), None)
                if who is not None and who.ent_type_ in ("PERSON", "ORG", "GPE", "NORP"):
                    return who
    return obj


def _cue_text(verb: Any) -> str:
    """The cue as written: the verb with its particle ("pointed out") or object ("told reporters")."""
    parts = [verb]
    for child in verb.children:
        if child.dep_ == "prt" or (
            verb.lemma_ == "tell" and child.dep_ in ("dobj", "dative") and child.i == verb.i + 1
        ):
            parts.append(child)
    parts.sort(key=lambda t: t.i)
    return " ".join(t.text for t in parts)


_SUBJECT_DEPS = ("nsubj",)
_CLIMB_DEPS = ("advcl", "xcomp", "conj", "pcomp", "acl", "ccomp")


def _speaker_head(verb: Any) -> Any:
    """The subject token of a speech verb; for "adding"/"saying" participles, the subject of their verb."""
    if verb.tag_ == "VBG" and verb.dep_ == "acl" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        # "footage of Trump saying ...": the speaker is the noun the participle describes (or its "of" person).
        noun = verb.head
        for child in noun.children:
            if child.dep_ == "prep" and child.lower_ == "of":
                obj = next((g for g in child.children if g.dep_ == "pobj"), None)
                if obj is not None and obj.ent_type_ == "PERSON":
                    return obj
        return noun if noun.pos_ in ("NOUN", "PROPN", "PRON") else None
    if verb.tag_ == "VBG" and not any(c.dep_ in _SUBJECT_DEPS for c in verb.children):
        # "X said ..., adding, '...'": the participle continues the main report even when the parser hangs
        # it lower, so take the subject of the highest speech verb above it.
        top = None
        node = verb.head
        for _ in range(MAX_CUE_DEPTH):
            if node.lemma_.lower() in SPEECH_VERBS and any(c.dep_ in _SUBJECT_DEPS for c in node.children):
                top = node
            if node.head.i == node.i:
                break
            node = node.head
        if top is not None:
            return _speaker_head(top)
    node = verb
    for _ in range(3):
        for child in node.children:
            if child.dep_ in _SUBJECT_DEPS:
                if child.tag_ in ("WP", "WDT") or child.lower_ in ("who", "that", "which"):
                    return _relative_antecedent(node)
                if child.lower_ == "there":
                    return None
                return child
        if node.dep_ in _CLIMB_DEPS and node.head.i != node.i and node.dep_ != "ccomp":
            node = node.head
            continue
        return None
    return None


def _relative_antecedent(verb: Any) -> Any:
    """The noun a "who said ..." clause hangs from, lifted out of a prepositional phrase onto a person."""
    if verb.dep_ != "relcl":
        return None
    noun = verb.head
    if noun.ent_type_ not in ("PERSON", "") or noun.pos_ != "PROPN":
        # "Professor X from Y University, who said": "who" is the person, not the organisation.
        for tok in reversed(verb.doc[max(0, noun.i - 8) : noun.i]):
            if tok.ent_type_ == "PERSON":
                return tok
    node = noun
    for _ in range(3):
        if node.ent_type_ == "PERSON":
            return node
        if node.dep_ == "pobj" and node.head.dep_ == "prep" and node.head.head.i != node.head.i:
            node = node.head.head
            continue
        break
    return noun


_NP_LEFT_DEPS = frozenset(
    {"det", "amod", "compound", "poss", "nummod", "nmod", "quantmod", "case", "predet", "advmod", "npadvmod"}
)


def _np_chars(head: Any) -> tuple[int, int]:
    """Char span of the noun phrase headed by ``head``: its modifiers and name parts, not clauses or appositions."""
    left, right = _np_tokens(head)
    doc = head.doc
    # Don't start on punctuation or end on it.
    while left < right and doc[left].is_punct:
        left += 1
    while right > left and doc[right].is_punct:
        right -= 1
    start = doc[left].idx
    end = doc[right].idx + len(doc[right].text)
    return start, end


def _np_tokens(head: Any) -> tuple[int, int]:
    """Token range [left, right] of the noun phrase of ``head``, never across a line break."""
    doc = head.doc
    left = head.i
    for child in head.lefts:
        if child.dep_ in _NP_LEFT_DEPS or (child.dep_ == "punct" and child.text in ("-", "–")):
            left = min(left, child.left_edge.i)
    right = head.i
    pending_cc = False
    for child in head.rights:
        if child.dep_ in ("compound", "flat", "case") or (child.dep_ == "nummod" and child.i == right + 1):
            right = max(right, child.right_edge.i)
        elif child.dep_ == "cc" and child.i == right + 1:
            pending_cc = True
        elif child.dep_ == "conj" and pending_cc and child.pos_ in ("PROPN", "NOUN", "PRON"):
            right = max(right, _np_tokens(child)[1])
            pending_cc = False
    for k in range(head.i, left, -1):
        if "\n" in doc[k - 1].whitespace_ or "\n" in doc[k - 1].text:
            left = k
            break
    for k in range(head.i, right):
        if "\n" in doc[k].whitespace_ or "\n" in doc[k + 1].text:
            right = k
            break
    return left, right


_SURFACE_SPEAKER = r"(?P<spk>(?:[A-Z][\w.'’-]*\s+){0,5}[A-Z][\w'’-]*|he|she|they|it|we|I)"
_AFTER_CUE = re.compile(
    rf"^\s*[,—–-]?\s*(?:{_SURFACE_SPEAKER}\s+(?P<cue>{_SURFACE_CUES})\b|(?P<cue2>{_SURFACE_CUES})\s+(?P<spk2>(?:[A-Z][\w.'’-]*\s+){{0,5}}[A-Z][\w'’-]*|he|she|they))"
)
_BEFORE_CUE = re.compile(rf"{_SURFACE_SPEAKER}\s+(?:\w+\s+)?(?P<cue>{_SURFACE_CUES})(?:\s+\w+)?\s*[:,]\s*$")


_DASH_TAIL = re.compile(r"^\s*,?\s*(?:[—–―]|--?)\s*(?P<spk>[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,4})")


def _surface_cue(text: str, item: _Found, paragraphs: Sequence[tuple[int, int]], doc: Any) -> None:
    """``"...," he said`` / ``said Lopez`` / ``"..." — Name`` after the closing mark, or ``Lopez said:`` before
    the opening one."""
    region = item.region
    assert region is not None
    p_lo, p_hi = paragraphs[item.paragraph] if paragraphs else (0, len(text))
    after = text[region.mark_end : min(p_hi, region.mark_end + SURFACE_WINDOW)]
    dash = _DASH_TAIL.match(after) if region.closed else None
    if dash:
        item.speaker = (region.mark_end + dash.start("spk"), region.mark_end + dash.end("spk"))
        item.cue = "—"
        item.confidence = CONF_SURFACE
        item.chain = "surface"
        return
    m = _AFTER_CUE.match(after)
    if m and region.closed:
        group = "spk" if m.group("spk") else "spk2"
        cue = m.group("cue") or m.group("cue2")
        s = region.mark_end + m.start(group)
        e = region.mark_end + m.end(group)
        item.speaker = _trim_speaker(text, s, e, doc)
        item.cue = cue
        item.confidence = CONF_SURFACE
        item.chain = "surface"
        return
    before_lo = max(p_lo, region.mark_start - SURFACE_WINDOW)
    before = text[before_lo : region.mark_start]
    m = _BEFORE_CUE.search(before)
    if m:
        item.speaker = _trim_speaker(text, before_lo + m.start("spk"), before_lo + m.end("spk"), doc)
        item.cue = m.group("cue")
        item.confidence = CONF_SURFACE
        item.chain = "surface"


def _trim_speaker(text: str, start: int, end: int, doc: Any) -> tuple[int, int]:
    """Drop sentence-initial function words the regex swept in ("But Lopez" -> "Lopez")."""
    words = list(re.finditer(r"\S+", text[start:end]))
    skip = {"but", "and", "so", "then", "also", "as", "while", "when", "the", "a", "an"}
    k = 0
    while k < len(words) - 1 and words[k].group().lower() in skip:
        k += 1
    return start + words[k].start(), end


_TURN = re.compile(r"(?P<spk>[A-Z][A-Za-z.'’-]*(?:[ \t]+[A-Z][A-Za-z.'’-]*){0,3}):[ \t]+(?=\S)")
# Labels that end with a colon without naming a speaker.
_NOT_SPEAKERS = frozenset(
    {
        "update",
        "note",
        "photo",
        "photos",
        "watch",
        "read",
        "related",
        "source",
        "sources",
        "correction",
        "q",
        "a",
        "editor's note",
        "editor’s note",
        "advertisement",
        "video",
        "listen",
        "see",
        "also",
        "more",
        "warning",
        "breaking",
        "live",
        "credit",
        "caption",
        "image",
        "file",
        "clarification",
        "corrections",
        "disclosure",
        "programming note",
        "crosstalk",
        "applause",
        "laughter",
        "transcript",
        "here",
        "now",
    }
)


def _transcript_turns(
    text: str, paragraphs: Sequence[tuple[int, int]], in_quote: _QuoteMask, doc: Any
) -> list[_Found]:
    """Interview transcripts: a paragraph "WALLACE: Let's start ..." is that speaker's words, without marks."""
    out: list[_Found] = []
    for p_index, (lo, hi) in enumerate(paragraphs):
        start = lo + 1 if text[lo] in _DOUBLE else lo
        m = _TURN.match(text, start, min(hi, lo + SURFACE_WINDOW))
        if not m:
            continue
        region = in_quote.first_overlap(m.end(), hi)
        if region is not None and region.mark_start != lo:
            continue
        label = m.group("spk")
        if label.lower() in _NOT_SPEAKERS:
            continue
        letters = [c for c in label if c.isalpha()]
        person = False
        if doc is not None:
            span = doc.char_span(m.start("spk"), m.end("spk"), alignment_mode="expand")
            person = span is not None and any(t.ent_type_ == "PERSON" for t in span)
        if not (len(letters) >= 2 and all(c.isupper() for c in letters)) and not person:
            continue
        end = hi
        while end > m.end() and text[end - 1].isspace():
            end -= 1
        if _word_count(text[m.end() : end]) < MIN_UNCUED_WORDS:
            continue
        out.append(
            _Found(
                start=m.end(),
                end=end,
                kind="direct",
                cue=":",
                speaker=(m.start("spk"), m.end("spk")),
                confidence=CONF_SURFACE,
                paragraph=p_index,
                chain="surface",
            )
        )
    return out


def _indirect_quotes(doc: Any, text: str, in_quote: _QuoteMask, para_starts: Sequence[int]) -> list[_Found]:
    """Reported speech without marks: a speech verb with a clausal complement, or "according to X"."""
    candidates: list[_Found] = []
    for tok in doc:
        if in_quote(tok.idx):
            continue
        if tok.lower_ == "according" and tok.dep_ == "prep":
            obj = _according_object(tok)
            head = tok.head
            if obj is None or head.i == tok.i or head.pos_ not in ("VERB", "AUX"):
                continue
            excluded = set(range(tok.left_edge.i, tok.right_edge.i + 1))
            tokens = [t for t in head.subtree if t.i not in excluded and t.sent == tok.sent]
            content = _clause_chars(tokens, excluded)
            if content is None:
                continue
            candidates.append(_indirect(content, obj, "according to", "syntax", para_starts))
            continue
        if tok.pos_ not in ("VERB", "AUX") or tok.lemma_.lower() not in SPEECH_VERBS:
            continue
        subj = _speaker_head(tok)
        if subj is not None and "\n" in doc.text[min(subj.idx, tok.idx) : max(subj.idx, tok.idx)]:
            p = bisect.bisect_right(para_starts, tok.idx) - 1
            subj = _subject_in_paragraph(tok, (para_starts[p], tok.idx))
        if subj is None or subj.lower_ in ("it", "there"):
            continue
        for comp in tok.children:
            if comp.dep_ != "ccomp":
                continue
            tokens = list(comp.subtree)
            content = _clause_chars(tokens, set())
            if content is None:
                continue
            candidates.append(_indirect(content, subj, _cue_text(tok), "syntax", para_starts))
        if tok.dep_ == "parataxis" and tok.head.pos_ in ("VERB", "AUX") and tok.i > tok.head.i:
            excluded = set(range(tok.left_edge.i, tok.right_edge.i + 1))
            tokens = [t for t in tok.head.subtree if t.i not in excluded and t.i < tok.left_edge.i]
            content = _clause_chars(tokens, excluded)
            if content is not None:
                candidates.append(_indirect(content, subj, _cue_text(tok), "syntax", para_starts))
    out: list[_Found] = []
    for cand in candidates:
        if in_quote.overlaps(cand.start, cand.end):
            # Its quoted words are reported as direct or partial quotes. What the clause reports before the
            # marks stays an indirect quote when a separator ends it ("he and Lopez confirmed X, adding, '...'",
            # "he is not in the know ... but that '...'"), not when the marks cut a phrase ("was a 'key issue'").
            first = in_quote.first_overlap(cand.start, cand.end)
            if first is None or first.mark_start <= cand.start:
                continue
            head = text[cand.start : first.mark_start]
            cut = _SEPARATOR_TAIL.search(head)
            if cut is None or cut.start() == 0 or _word_count(head[: cut.start()]) < MIN_INDIRECT_WORDS:
                continue
            cand.end = cand.start + cut.start()
        nested = any(
            other is not cand
            and other.start <= cand.start
            and cand.end <= other.end
            and (other.end - other.start) > (cand.end - cand.start)
            for other in candidates
        )
        if not nested:
            out.append(cand)
    # Two cues for the same clause ("X said, adding that ...") keep the first one only.
    unique: dict[tuple[int, int], _Found] = {}
    for cand in out:
        unique.setdefault((cand.start, cand.end), cand)
    return list(unique.values())


def _indirect(
    content: tuple[int, int], subj: Any, cue: str, chain: str, para_starts: Sequence[int]
) -> _Found:
    start, end = content
    return _Found(
        start=start,
        end=end,
        kind="indirect",
        cue=cue,
        speaker=_np_chars(subj),
        confidence=CONF_SYNTAX,
        paragraph=max(0, bisect.bisect_right(para_starts, start) - 1),
        chain=chain,
    )


def _clause_chars(tokens: Sequence[Any], excluded: set[int]) -> tuple[int, int] | None:
    """Char span of a reported clause: contiguous run of its tokens, without "that", edges' punctuation."""
    if not tokens:
        return None
    tokens = sorted(tokens, key=lambda t: t.i)
    # Keep the longest contiguous run (an excluded attribution in the middle splits a clause).
    runs: list[list[Any]] = [[tokens[0]]]
    for t in tokens[1:]:
        if t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    run = max(runs, key=len)
    while run and (run[0].is_punct or (run[0].dep_ == "mark" and run[0].lower_ in ("that", "whether", "if"))):
        if run[0].lower_ in ("whether", "if"):
            break
        run = run[1:]
    while run and (run[-1].is_punct or run[-1].is_space or run[-1].dep_ == "cc"):
        run = run[:-1]
    if len(run) < 3 or not any(t.pos_ in ("VERB", "AUX") for t in run):
        return None
    return run[0].idx, run[-1].idx + len(run[-1].text)


def _chain_speakers(
    text: str, found: list[_Found], paragraphs: Sequence[tuple[int, int]], sentence_starts: Sequence[int]
) -> None:
    """Quotes with no cue of their own take the speaker of the neighbouring quote they continue."""
    by_para: dict[int, list[_Found]] = {}
    for f in found:
        by_para.setdefault(f.paragraph, []).append(f)
    # Multi-paragraph quotes share one speaker, whichever piece carries the cue.
    pieces: list[list[_Found]] = []
    for f in found:
        if f.region is None:
            continue
        if (
            pieces
            and pieces[-1][-1].region is not None
            and pieces[-1][-1].region.continues
            and (f.paragraph == pieces[-1][-1].paragraph + 1)
        ):
            pieces[-1].append(f)
        else:
            pieces.append([f])
    for group in pieces:
        source = next((g for g in group if g.speaker is not None), None)
        if source is None or len(group) == 1:
            continue
        for g in group:
            if g.speaker is None:
                g.speaker, g.cue = source.speaker, source.cue
                g.confidence, g.chain = source.confidence * 0.95, "chain"
                g.kind = "direct"

    for para in sorted(by_para):
        items = by_para[para]
        # The next quote of the paragraph with a cue of its own, for each position (one backward pass, so a
        # paragraph of thousands of quotes stays linear).
        next_cued: list[_Found | None] = [None] * len(items)
        following: _Found | None = None
        for k in range(len(items) - 1, -1, -1):
            next_cued[k] = following
            if items[k].speaker is not None and items[k].chain in ("syntax", "surface"):
                following = items[k]
        prev: _Found | None = None  # the last marked quote of the paragraph with a speaker
        for k, f in enumerate(items):
            if f.speaker is None and f.region is not None:
                _inherit(text, f, k, prev, next_cued[k], para, by_para, paragraphs, found, sentence_starts)
            if f.speaker is not None and f.region is not None:
                prev = f


def _inherit(
    text: str,
    f: _Found,
    k: int,
    prev: _Found | None,
    nxt: _Found | None,
    para: int,
    by_para: dict[int, list[_Found]],
    paragraphs: Sequence[tuple[int, int]],
    found: list[_Found],
    sentence_starts: Sequence[int],
) -> None:
    if f.kind == "partial":
        # A fragment inherits only from an earlier quote of its own sentence ("said that the city wants to
        # 'move forward' ... but will not budge on the 'result of the war'"); alone, it is a scare quote or a
        # title, not a chain link.
        if (
            prev is not None
            and not f.owned
            and _sentence_of(sentence_starts, prev.start) == _sentence_of(sentence_starts, f.start)
        ):
            f.speaker, f.cue = prev.speaker, prev.cue
            f.confidence, f.chain = CONF_CHAIN * (prev.confidence or 1.0), "chain"
        return
    source = prev or nxt
    if source is not None:
        f.speaker, f.cue = source.speaker, source.cue
        f.confidence, f.chain = CONF_CHAIN * (source.confidence or 1.0), "chain"
        return
    if k == 0 and _starts_paragraph(text, f, paragraphs) and para > 0:
        before = by_para.get(para - 1, [])
        source = next((g for g in reversed(before) if g.speaker is not None), None)
        if source is None:
            source = _intro_with_colon(text, paragraphs[para - 1], found)
        if source is not None:
            f.speaker, f.cue = source.speaker, source.cue
            f.confidence, f.chain = CONF_PARAGRAPH, "paragraph"


def _sentence_of(sentence_starts: Sequence[int], offset: int) -> int:
    return bisect.bisect_right(sentence_starts, offset) - 1


def _starts_paragraph(text: str, f: _Found, paragraphs: Sequence[tuple[int, int]]) -> bool:
    assert f.region is not None
    lo = paragraphs[f.paragraph][0] if paragraphs else 0
    return not text[lo : f.region.mark_start].strip()


def _intro_with_colon(text: str, paragraph: tuple[int, int], found: Iterable[_Found]) -> _Found | None:
    """A paragraph ending "Lopez told reporters:" hands its speaker to the quote paragraph that follows."""
    lo, hi = paragraph
    tail = text[max(lo, hi - SURFACE_WINDOW) : hi].rstrip()
    if not tail.endswith(":"):
        return None
    m = _BEFORE_CUE.search(text[max(lo, hi - SURFACE_WINDOW) : hi].rstrip())
    if not m:
        return None
    base = max(lo, hi - SURFACE_WINDOW)
    return _Found(
        start=hi,
        end=hi,
        kind="direct",
        cue=m.group("cue"),
        speaker=(base + m.start("spk"), base + m.end("spk")),
        confidence=CONF_SURFACE,
    )


# --- story stage -------------------------------------------------------------------------------------------


def attribute_speakers(story: Story) -> Story:
    """Resolve every quote's speaker to a story entity and list all quotes in ``story.quotes`` (q1.. in order).

    Runs after :func:`newsbrief.entities.resolve_entities` (mentions carry entity ids). Pronouns and descriptors
    go through :class:`newsbrief.coref.RulesCorefResolver`; ``speaker.name`` is the entity's canonical name, or
    the name as written when it is a proper name no entity covers, or ``None``; never a pronoun.
    """
    from .coref import RulesCorefResolver, SpeakerExpression
    from .entities import entity_profiles

    profiles = entity_profiles(story)
    names = {e.id: e.name for e in story.entities}
    resolver = RulesCorefResolver()
    analyses = []
    all_quotes: list[Quote] = []
    for analysis in story.analyses:
        expressions = [
            SpeakerExpression(span=q.speaker.span, text=q.speaker.as_written, quote=q.span)
            for q in analysis.quotes
            if q.speaker is not None and q.speaker.span is not None
        ]
        resolutions = {
            (r.span.start, r.span.end, r.quote.start): r
            for r in resolver.resolve(analysis, expressions, profiles)
        }
        quotes = []
        for q in analysis.quotes:
            speaker = q.speaker
            if speaker is not None and speaker.span is not None:
                r = resolutions.get((speaker.span.start, speaker.span.end, q.span.start))
                entity_id = r.entity_id if r is not None else None
                name = names.get(entity_id) if entity_id else None
                if name is None and r is not None and r.name:
                    name = r.name
                confidence = speaker.confidence * (r.confidence if r is not None and entity_id else 1.0)
                speaker = dataclasses.replace(
                    speaker, entity_id=entity_id, name=name, confidence=round(confidence, 3)
                )
            quotes.append(dataclasses.replace(q, speaker=speaker))
        analyses.append(dataclasses.replace(analysis, quotes=tuple(quotes)))
        all_quotes.extend(quotes)
    order = {a.article.id: i for i, a in enumerate(story.analyses)}
    all_quotes.sort(key=lambda q: (order.get(q.span.article_id, 0), q.span.start, q.span.end))
    numbered = tuple(dataclasses.replace(q, id=f"q{i + 1}") for i, q in enumerate(all_quotes))
    return dataclasses.replace(story, analyses=tuple(analyses), quotes=numbered)
