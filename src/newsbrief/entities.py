"""Entities across a story: the mentions of every article merged under all their names.

:func:`resolve_entities` (a story stage) clusters the spaCy mentions of all analyses into
:class:`~newsbrief.model.Entity` objects. Evidence, strongest first:

1. **The same name** (normalised: no leading "the", no possessive, titles dropped from person names, compass
   words unified, "X Islands" = "Xs").
2. **Declarations in the text**: "X, known (in Italy) as Y", "which A calls X and B refers to as Y",
   "X (Y in German)", acronyms defined in parentheses ("... Institute of Technology (MIT)").
3. **Aligned lists**: two coordinated lists of names of the same length that share members at the same
   positions; the remaining positions are the same things under other names when the names sound alike
   (Soundex skeleton or spelling similarity), as with transliterations between languages.
4. **Person names**: a surname (or a leading family name) joins the one full name of the article, or else of
   the story, that contains it; two people sharing a surname stay apart unless the article says which.
5. **Shorter place/organisation names** join the one entity whose longer names all contain them, unless the
   extra words are compass words ("Dakota" is neither "North Dakota" nor "South Dakota").
6. **Role descriptors** ("the French leader", "Italy's prime minister") join the person the story has
   established in that role and of that nationality (:mod:`newsbrief.coref`).

NER label errors are fixed by majority over the story, by the full name an article introduced before a bare
surname, by the outlet names of the articles and by the other members of a coordinated list. The canonical name
is the fullest proper name used for a person, and the most used name (then the longest) for anything else.
Nothing here knows any particular name: every rule is about how news English introduces and reuses names.
"""

from __future__ import annotations

import bisect
import dataclasses
import difflib
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .coref import (
    HONORIFICS_F,
    HONORIFICS_M,
    PRONOUN_GENDER,
    ROLE_NOUNS,
    EntityProfile,
    Gender,
    find_descriptors,
    match_descriptor,
)
from .model import Analysis, Entity, Mention, Span, Story
from .nlp import doc_of

__all__ = ["entity_profiles", "name_key", "resolve_entities", "soundex"]

PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# Words that precede a person's name without being part of it. Stripped when keying person names.
TITLE_WORDS = frozenset(
    {
        "president",
        "prime",
        "minister",
        "premier",
        "chancellor",
        "mr",
        "mrs",
        "ms",
        "miss",
        "dr",
        "prof",
        "professor",
        "sir",
        "lord",
        "lady",
        "dame",
        "king",
        "queen",
        "prince",
        "princess",
        "sen",
        "senator",
        "rep",
        "representative",
        "gov",
        "governor",
        "mayor",
        "gen",
        "general",
        "col",
        "colonel",
        "capt",
        "captain",
        "lt",
        "sgt",
        "adm",
        "admiral",
        "judge",
        "justice",
        "secretary",
        "foreign",
        "defense",
        "defence",
        "deputy",
        "chief",
        "vice",
        "pope",
        "sheikh",
        "imam",
        "rabbi",
        "rev",
        "reverend",
        "father",
        "saint",
        "st",
        "ambassador",
        "envoy",
        "chairman",
        "chairwoman",
        "then",
        "former",
        "late",
        "mister",
        "madam",
        "madame",
        "monsieur",
        "herr",
        "frau",
        "cabinet",
        "state",
        "supreme",
        "leader",
    }
)
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
COMPASS = {
    "north": "north",
    "northern": "north",
    "south": "south",
    "southern": "south",
    "east": "east",
    "eastern": "east",
    "west": "west",
    "western": "west",
    "northeast": "northeast",
    "northeastern": "northeast",
    "northwest": "northwest",
    "northwestern": "northwest",
    "southeast": "southeast",
    "southeastern": "southeast",
    "southwest": "southwest",
    "southwestern": "southwest",
    "upper": "upper",
    "lower": "lower",
    "central": "central",
    "new": "new",
}
# Collective heads of island groups and ranges: "the X Islands" is "the Xs" ("Falklands", "Philippines").
COLLECTIVE_HEADS = frozenset({"islands", "isles", "island", "archipelago"})
_STOP_IN_NAMES = frozenset(
    {"of", "the", "and", "for", "in", "on", "at", "de", "la", "le", "du", "der", "von"}
)
# A coordinated list must have at least this many names to align with another (two-name lists are too
# common for coincidences to mean anything).
MIN_LIST_ITEMS = 3
# Two aligned lists must share at least this many members at the same positions, and at least half of them.
MIN_SHARED_LIST_ITEMS = 2
# Spelling similarity (difflib ratio) above which two unaligned list members may be variants of one name,
# when their Soundex skeletons differ. 0.75 accepts Kharkiv/Kharkov-type transliteration variants and
# rejects different names of similar length (e.g. Austria/Australia scores 0.71).
MIN_NAME_SIMILARITY = 0.75
# Lines where at least this share of words is capitalised are headlines: their NER is unreliable and title
# words that the story also uses in lower case are trimmed from mentions ("Lopez Keen To Win ...").
TITLE_CASE_SHARE = 0.7
# How many tokens left of a name are read for titles and nationality ("Deputy Chief Cabinet Secretary").
MAX_TITLE_TOKENS = 6
# Bounds that keep hostile input (a 2 MB paragraph) linear: lists and parentheses longer than this are prose.
MAX_LIST_PAIRS = 20_000
MAX_PAREN_TOKENS = 8

_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


@dataclass(slots=True)
class _Occ:
    """One occurrence of a name or descriptor, while the story is being clustered."""

    idx: int
    a: int  # analysis index
    start: int
    end: int
    text: str
    label: str
    tokens: tuple[str, ...]
    mention: int | None  # index into analysis.mentions, or None for a mention found here
    descriptor: bool = False
    person_evidence: bool = False


class _Union:
    def __init__(self) -> None:
        self.parent: list[int] = []

    def add(self) -> int:
        self.parent.append(len(self.parent))
        return len(self.parent) - 1

    def find(self, x: int) -> int:
        root = x
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[x] != root:
            self.parent[x], x = root, self.parent[x]
        return root

    def union(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


# --- names -------------------------------------------------------------------------------------------------


def _klass(label: str) -> str:
    if label == "PERSON":
        return "person"
    if label in PLACE_LABELS:
        return "place"
    if label == "ORG":
        return "org"
    if label == "NORP":
        return "norp"
    return "other"


def _display(text: str) -> str:
    """A surface form for lists of aliases: no leading article, no possessive, single spaces."""
    text = " ".join(text.split())
    text = re.sub(r"^(?:the|The|THE)\s+", "", text)
    text = re.sub(r"(?:'s|’s|'|’)$", "", text)
    return text.strip(" ,;:-–—\"'“”‘’()[]")


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text.replace(".", ""))]


def name_key(text: str, label: str, *, plural_stems: frozenset[str] = frozenset()) -> tuple[str, ...]:
    """The normalised key of a name: equal keys are the same name."""
    words = _words(_display(text))
    words = [w[:-2] if w.endswith("'s") else w for w in words]
    if label == "PERSON":
        while words and words[0] in TITLE_WORDS and len(words) > 1:
            words = words[1:]
        while words and words[-1] in _SUFFIXES and len(words) > 1:
            words = words[:-1]
        return tuple(words)
    words = [COMPASS.get(w, w) for w in words]
    if len(words) > 1 and words[-1] in COLLECTIVE_HEADS:
        words = words[:-1]
    if words and words[-1].endswith("s") and words[-1][:-1] in plural_stems and len(words[-1]) > 4:
        words[-1] = words[-1][:-1]
    return tuple(words)


def soundex(word: str) -> str:
    """American Soundex with the first letter reduced to 'V' for vowels (so transliterations that differ in their first vowel, like Ismir/Esmir, share a code)."""
    codes = {
        **dict.fromkeys("bfpv", "1"),
        **dict.fromkeys("cgjkqsxz", "2"),
        **dict.fromkeys("dt", "3"),
        "l": "4",
        **dict.fromkeys("mn", "5"),
        "r": "6",
    }
    letters = [c for c in word.lower() if c.isalpha()]
    if not letters:
        return ""
    first = "V" if letters[0] in "aeiouy" else letters[0].upper()
    out: list[str] = []
    prev = codes.get(letters[0], "")
    for c in letters[1:]:
        code = codes.get(c, "")
        if code and code != prev:
            out.append(code)
        if c not in "hw":
            prev = code
    return (first + "".join(out) + "000")[:4]


def _sound_alike(a: str, b: str) -> bool:
    if soundex(a) == soundex(b):
        return True
    return difflib.SequenceMatcher(None, a.lower(), b.lower()).ratio() >= MIN_NAME_SIMILARITY


# --- collecting occurrences --------------------------------------------------------------------------------


def _lowercase_vocabulary(analyses: Sequence[Analysis]) -> frozenset[str]:
    vocab: set[str] = set()
    for a in analyses:
        vocab.update(w for w in re.findall(r"\b[a-z][a-z'-]+\b", a.article.text))
    return frozenset(vocab)


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    lines = []
    for m in re.finditer(r"[^\n]+", text):
        words = re.findall(r"[A-Za-z][\w'-]*", m.group())
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= TITLE_CASE_SHARE * len(words):
            lines.append((m.start(), m.end()))
    return lines


def _trim(text: str, start: int, end: int, headline: bool, vocab: frozenset[str]) -> tuple[int, int]:
    """Cut a mention at a line break and, in a headline, drop title-case words the story uses in lower case."""
    surface = text[start:end]
    for bracket in ("(", ")", "["):
        # NER sometimes runs a name into a parenthesis ("Gdansk (Danzig"): the parenthesis starts another name.
        cut = surface.find(bracket)
        if cut > 0:
            end = start + cut
            surface = text[start:end]
    if "\n" in surface.strip():
        first = surface.strip().split("\n")[0]
        end = start + surface.index(first) + len(first)
    while end > start and not text[end - 1].isalnum() and text[end - 1] not in ".)":
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    if headline:
        words = list(re.finditer(r"\S+", text[start:end]))
        keep = [k for k, w in enumerate(words) if w.group().lower().strip(".,'’") not in vocab]
        if keep and len(keep) < len(words):
            # Keep the run of proper words (the name) and drop the headline words around it.
            if keep[-1] - keep[0] == len(keep) - 1:
                return start + words[keep[0]].start(), start + words[keep[-1]].end()
        elif not keep:
            return start, start
    return start, end


def _collect(story: Story) -> list[_Occ]:
    vocab = _lowercase_vocabulary(story.analyses)
    occs: list[_Occ] = []
    for a_i, analysis in enumerate(story.analyses):
        text = analysis.article.text
        headlines = _title_case_lines(text)
        for m_i, m in enumerate(analysis.mentions):
            headline = any(lo <= m.span.start < hi for lo, hi in headlines)
            start, end = _trim(text, m.span.start, m.span.end, headline, vocab)
            if end <= start:
                continue
            occs.append(
                _Occ(
                    idx=len(occs),
                    a=a_i,
                    start=start,
                    end=end,
                    text=text[start:end],
                    label=m.label,
                    tokens=(),
                    mention=m_i,
                )
            )
    return occs


def _rekey(occs: Iterable[_Occ]) -> None:
    occs = list(occs)
    stems = frozenset(t for o in occs for t in name_key(o.text, o.label))
    for o in occs:
        if not o.descriptor:
            o.tokens = name_key(o.text, o.label, plural_stems=stems)


# --- label fixing ------------------------------------------------------------------------------------------


def _fix_labels(story: Story, occs: list[_Occ], list_votes: Mapping[tuple[str, ...], Counter[str]]) -> None:
    """Majority label per name over the story, with article-local and outlet evidence."""
    by_article: dict[int, list[_Occ]] = defaultdict(list)
    for o in occs:
        by_article[o.a].append(o)
    # A bare surname after the article introduced the full name is that person, whatever NER said.
    for items in by_article.values():
        items.sort(key=lambda o: o.start)
        full_names: set[str] = set()
        for o in items:
            if o.label == "PERSON" and len(o.tokens) >= 2:
                full_names.add(o.tokens[-1])
                full_names.add(o.tokens[0])
            elif len(o.tokens) == 1 and o.tokens[0] in full_names and o.label != "PERSON":
                o.person_evidence = True
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for o in occs:
        votes[o.tokens][o.label] += 1
        if o.person_evidence:
            votes[o.tokens]["PERSON"] += 1
    outlets = {name_key(a.article.outlet, "ORG") for a in story.analyses if a.article.outlet}
    for key in outlets:
        if key in votes:
            votes[key]["ORG"] += 10
    for key, extra in list_votes.items():
        if key in votes:
            top = votes[key].most_common(2)
            if (len(top) > 1 and top[0][1] == top[1][1]) or (top and top[0][1] == 1 and len(votes[key]) == 1):
                votes[key].update(extra)
    for o in occs:
        if o.person_evidence:
            o.label = "PERSON"
            continue
        ranked = votes[o.tokens].most_common()
        if ranked and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
            o.label = ranked[0][0]


# --- declarations, acronyms and lists ----------------------------------------------------------------------


def _propn_run(doc: Any, i: int, direction: int) -> tuple[int, int] | None:
    """Token range [lo, hi) of the proper-noun run at or next to token ``i`` going ``direction`` (+1/-1)."""
    n = len(doc)
    k = i
    if direction > 0:
        while k < n and doc[k].lower_ in ("the", "a", "an"):
            k += 1
        if k >= n or doc[k].pos_ != "PROPN":
            return None
        hi = k
        while hi < n and (
            doc[hi].pos_ == "PROPN" or (doc[hi].text in "-–" and hi + 1 < n and doc[hi + 1].pos_ == "PROPN")
        ):
            hi += 1
        return k, hi
    hops = 0
    while k >= 0 and hops < 4 and doc[k].pos_ != "PROPN":
        if doc[k].pos_ not in ("NOUN", "PUNCT", "DET", "ADJ") or doc[k].text in (".", ";", ":"):
            return None
        k -= 1
        hops += 1
    if k < 0 or doc[k].pos_ != "PROPN":
        return None
    lo = k
    while lo - 1 >= 0 and doc[lo - 1].pos_ == "PROPN":
        lo -= 1
    return lo, k + 1


class _Linker:
    """Finds or creates occurrences for name chunks of one article and records alias links."""

    def __init__(self, occs: list[_Occ], a_i: int, analysis: Analysis, union: _Union) -> None:
        self.occs = occs
        self.a_i = a_i
        self.text = analysis.article.text
        self.union = union
        self.mine = sorted((o for o in occs if o.a == a_i and not o.descriptor), key=lambda o: o.start)
        self.starts = [o.start for o in self.mine]
        self.links: list[tuple[int, int]] = []

    def overlapping(self, start: int, end: int) -> _Occ | None:
        k = bisect.bisect_left(self.starts, end)
        for o in self.mine[max(0, k - 4) : k]:
            if o.start < end and start < o.end:
                return o
        return None

    def occ_for(self, doc: Any, run: tuple[int, int] | None, label_hint: str) -> _Occ | None:
        if run is None:
            return None
        start = doc[run[0]].idx
        end = doc[run[1] - 1].idx + len(doc[run[1] - 1].text)
        hit = self.overlapping(start, end)
        if hit is not None:
            return hit
        if end - start < 2:
            return None
        occ = _Occ(
            idx=len(self.occs),
            a=self.a_i,
            start=start,
            end=end,
            text=self.text[start:end],
            label=label_hint,
            tokens=(),
            mention=None,
        )
        self.occs.append(occ)
        self.union.add()
        k = bisect.bisect_left(self.starts, start)
        self.mine.insert(k, occ)
        self.starts.insert(k, start)
        return occ

    def link(self, a: _Occ | None, b: _Occ | None) -> None:
        if a is not None and b is not None and a.idx != b.idx:
            self.links.append((a.idx, b.idx))


_KNOWN_AS = frozenset({"known", "referred", "called", "dubbed", "nicknamed", "named", "renamed"})
_NAMING_VERBS = frozenset({"call", "name", "know", "refer", "dub"})
_AFTER_NAME_OK = frozenset({"and", "in", "while", "whereas", "but", "by", "or", "as", "for"})


def _declarations(doc: Any, linker: _Linker) -> None:
    """ "X, known (in Y) as Z", "which A calls X and B refers to as Z", "X (Z in German)", "X (ACRONYM)"."""
    n = len(doc)
    for sent in doc.sents:
        pairs: list[tuple[Any, _Occ]] = []
        for tok in sent:
            low = tok.lower_
            if low in _KNOWN_AS and tok.tag_ == "VBN":
                prev = doc[tok.i - 1] if tok.i > 0 else None
                if prev is not None and prev.lemma_ == "have":
                    continue
                target = _name_after_cue(doc, tok, sent.end)
                if target is None:
                    continue
                y = linker.occ_for(doc, target, "LOC")
                left = tok.i - 1
                if prev is not None and prev.lower_ in ("also", "is", "are", "was", "were", "be"):
                    left -= 1
                x = linker.occ_for(doc, _propn_run(doc, left, -1), y.label if y else "LOC")
                if x is not None and y is not None and x.start < y.start:
                    linker.link(x, y)
            elif tok.lemma_.lower() in _NAMING_VERBS and tok.tag_ in ("VBZ", "VBP", "VBD"):
                target = _name_after_cue(doc, tok, sent.end)
                if target is None:
                    continue
                after = doc[target[1]] if target[1] < n else None
                if after is not None and not (after.is_punct or after.lower_ in _AFTER_NAME_OK):
                    continue  # "called Biden a loser": a judgement, not a name
                y = linker.occ_for(doc, target, "LOC")
                if y is not None and y.label != "PERSON":
                    pairs.append((tok, y))
        if len(pairs) >= 2:
            for (_, a), (_, b) in itertools.pairwise(pairs):
                linker.link(a, b)
        elif len(pairs) == 1:
            verb, y = pairs[0]
            rel = next(
                (t for t in doc[max(sent.start, verb.i - 4) : verb.i] if t.lower_ in ("which", "that")), None
            )
            if rel is not None and rel.i > 0 and doc[rel.i - 1].is_punct:
                x = linker.occ_for(doc, _propn_run(doc, rel.i - 2, -1), y.label)
                if x is not None and (x.end <= rel.idx):
                    linker.link(x, y)
    # Parentheses: "Name (ACRONYM)", "Name (Other in Language)", "Name (also known as Other)".
    for tok in doc:
        if tok.text != "(" or tok.i == 0:
            continue
        close = next((t.i for t in doc[tok.i + 1 : min(n, tok.i + MAX_PAREN_TOKENS)] if t.text == ")"), None)
        if close is None:
            continue
        inner = doc[tok.i + 1 : close]
        words = [t.lower_ for t in inner]
        k = tok.i + 1
        marker = False
        if words[:3] == ["also", "known", "as"]:
            k, marker = tok.i + 4, True
        elif words[:1] in (["formerly"], ["or"]):
            k, marker = tok.i + 2, True
        run = _propn_run(doc, k, +1)
        if run is None or run[1] > close:
            continue
        rest = [t.lower_ for t in doc[run[1] : close]]
        acronym = run[1] - run[0] == 1 and _is_acronym(doc[run[0]].text)
        language = len(rest) >= 2 and rest[0] in ("in", "as") and doc[run[1] + 1].text[:1].isupper()
        if not (acronym or language or (marker and not rest)):
            continue
        if not acronym and rest and not language:
            continue
        x_run = _propn_run(doc, tok.i - 1, -1)
        if x_run is None or x_run[1] != tok.i:
            continue
        if acronym and x_run[1] - x_run[0] < 2 and not _spans_words(doc, tok.i - 1):
            continue
        x = linker.occ_for(doc, _name_ending_at(doc, linker, tok.i), "ORG")
        y = linker.occ_for(doc, run, x.label if x else "ORG")
        linker.link(x, y)


def _spans_words(doc: Any, i: int) -> bool:
    ent = doc[i].ent_type_
    return bool(ent) and doc[i].ent_iob_ != "B"


def _name_ending_at(doc: Any, linker: _Linker, paren: int) -> tuple[int, int] | None:
    """The full name right before a parenthesis (an NER mention when there is one, else the proper-noun run)."""
    end_char = doc[paren - 1].idx + len(doc[paren - 1].text)
    hit = linker.overlapping(end_char - 1, end_char)
    for o in (hit,) if hit is not None else ():
        if o.end == end_char:
            span = doc.char_span(o.start, o.end, alignment_mode="expand")
            if span is not None:
                return span.start, span.end
    return _propn_run(doc, paren - 1, -1)


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return (
        2 <= len(letters) <= 10
        and sum(c.isupper() for c in letters) >= 0.6 * len(letters)
        and (word[0].isupper())
    )


def _name_after_cue(doc: Any, cue: Any, limit: int) -> tuple[int, int] | None:
    """The proper-noun run a naming cue introduces: after "as" for know/refer, directly for call/name/dub."""
    k = cue.i + 1
    needs_as = cue.lemma_.lower() in ("know", "refer") or cue.lower_ in ("known", "referred")
    if needs_as:
        for j in range(cue.i + 1, min(limit, cue.i + 6)):
            if doc[j].lower_ == "as":
                k = j + 1
                break
        else:
            return None
    if k >= limit:
        return None
    run = _propn_run(doc, k, +1)
    if run is None or run[1] > limit:
        return None
    return run


def _lists(doc: Any, linker: _Linker) -> list[list[_Occ]]:
    """Coordinated lists of names ("A, B, C and D") as occurrences, in order."""
    out: list[list[_Occ]] = []
    for tok in doc:
        if tok.dep_ == "conj" or not any(c.dep_ == "conj" for c in tok.children):
            continue
        items = [tok]
        frontier = tok
        while True:
            nxt = next((c for c in frontier.children if c.dep_ == "conj"), None)
            if nxt is None or len(items) > 50:
                break
            items.append(nxt)
            frontier = nxt
        if len(items) < MIN_LIST_ITEMS:
            continue
        occs: list[_Occ] = []
        for item in items:
            run = None
            if item.pos_ == "PROPN":
                lo = item.i
                while lo - 1 >= 0 and doc[lo - 1].pos_ == "PROPN" and doc[lo - 1].dep_ == "compound":
                    lo -= 1
                run = (lo, item.i + 1)
            else:
                # "the Farne islet group": the name is the proper-noun run among the item's modifiers.
                names = [t for t in doc[item.left_edge.i : item.i] if t.pos_ == "PROPN"]
                if names:
                    lo = names[0].i
                    hi = lo
                    while hi < item.i and doc[hi].pos_ == "PROPN":
                        hi += 1
                    run = (lo, hi)
            occ = linker.occ_for(doc, run, "LOC")
            if occ is None:
                break
            occs.append(occ)
        else:
            out.append(occs)
    return out


def _align_lists(lists: Sequence[tuple[int, list[_Occ]]], union: _Union) -> list[tuple[int, int]]:
    """Links between members of same-length lists that share members at the same positions."""
    links: list[tuple[int, int]] = []
    by_len: dict[int, list[tuple[int, list[_Occ]]]] = defaultdict(list)
    for a_i, items in lists:
        by_len[len(items)].append((a_i, items))
    pairs = 0
    for group in by_len.values():
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                pairs += 1
                if pairs > MAX_LIST_PAIRS:
                    return links
                a_items, b_items = group[x][1], group[y][1]
                keys_a = [o.tokens for o in a_items]
                keys_b = [o.tokens for o in b_items]
                shared = [i for i in range(len(keys_a)) if keys_a[i] == keys_b[i]]
                if len(shared) < MIN_SHARED_LIST_ITEMS or 2 * len(shared) < len(keys_a):
                    continue
                if set(keys_a) == set(keys_b) and keys_a != keys_b:
                    continue  # the same names in another order: no alignment
                rest = [i for i in range(len(keys_a)) if i not in shared]
                if any(keys_a[i] in keys_b or keys_b[i] in keys_a for i in rest):
                    continue  # a member moved position: not the same list
                if all(
                    _sound_alike(" ".join(keys_a[i]), " ".join(keys_b[i]))
                    and a_items[i].label != "PERSON"
                    and b_items[i].label != "PERSON"
                    for i in rest
                ):
                    links.extend((a_items[i].idx, b_items[i].idx) for i in rest)
    return links


# --- clustering --------------------------------------------------------------------------------------------


def _union_same_keys(occs: Sequence[_Occ], union: _Union) -> None:
    first: dict[tuple[str, ...], int] = {}
    for o in occs:
        if not o.tokens or o.descriptor:
            continue
        if o.label == "PERSON" and len(o.tokens) == 1:
            continue  # bare surnames are placed by _merge_persons (two people may share one)
        key = o.tokens
        if key in first:
            union.union(first[key], o.idx)
        else:
            first[key] = o.idx


def _merge_persons(occs: Sequence[_Occ], union: _Union) -> None:
    """Bare surnames (or leading family names) join the full name the article or the story makes unique."""
    full = [o for o in occs if o.label == "PERSON" and len(o.tokens) >= 2]
    story_last: dict[str, set[int]] = defaultdict(set)
    story_any: dict[str, set[int]] = defaultdict(set)
    for o in full:
        root = union.find(o.idx)
        story_last[o.tokens[-1]].add(root)
        for t in o.tokens[:-1]:
            story_any[t].add(root)
    singles = [o for o in occs if o.label == "PERSON" and len(o.tokens) == 1]
    by_article: dict[tuple[int, str], list[_Occ]] = defaultdict(list)
    for o in full:
        for t in set(o.tokens):
            by_article[(o.a, t)].append(o)
    unplaced: dict[str, list[_Occ]] = defaultdict(list)
    for o in singles:
        word = o.tokens[0]
        local = by_article.get((o.a, word), [])
        chosen: int | None = None
        if local:
            last = [f for f in local if f.tokens[-1] == word] or local
            roots = {union.find(f.idx) for f in last}
            if len(roots) == 1:
                chosen = roots.pop()
            else:
                before = [f for f in last if f.start < o.start]
                if before:
                    chosen = union.find(max(before, key=lambda f: f.start).idx)
        else:
            roots = story_last.get(word) or story_any.get(word) or set()
            roots = {union.find(r) for r in roots}
            if len(roots) == 1:
                chosen = roots.pop()
        if chosen is not None:
            union.union(chosen, o.idx)
        else:
            unplaced[word].append(o)
    for items in unplaced.values():
        for o in items[1:]:
            union.union(items[0].idx, o.idx)


def _group_labels(occs: Sequence[_Occ], union: _Union) -> dict[int, str]:
    votes: dict[int, Counter[str]] = defaultdict(Counter)
    for o in occs:
        if not o.descriptor:
            votes[union.find(o.idx)][o.label] += 1
    return {root: c.most_common(1)[0][0] for root, c in votes.items()}


def _merge_shorter_names(occs: Sequence[_Occ], union: _Union) -> None:
    """A shorter place/organisation name joins the one entity all its longer forms belong to."""
    labels = _group_labels(occs, union)
    keys: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for o in occs:
        if o.tokens and not o.descriptor and o.label != "PERSON":
            keys[o.tokens].add(union.find(o.idx))
    by_token: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for key in keys:
        for t in key:
            by_token[t].add(key)
    for key, roots in list(keys.items()):
        if len(roots) != 1:
            continue
        root = next(iter(roots))
        klass = _klass(labels.get(root, "ORG"))
        cands = set.intersection(*(by_token[t] for t in key)) if key else set()
        supers = [k for k in cands if len(k) > len(key) and set(key) < set(k)]
        supers = [k for k in supers if _klass(labels.get(next(iter(keys[k])), "ORG")) == klass]
        if not supers:
            # Initials: "US" for "United States", "UN" for "United Nations".
            if len(key) == 1 and len(key[0]) >= 2:
                initials = [
                    k
                    for k in keys
                    if len(k) >= 2
                    and "".join(w[0] for w in k if w not in _STOP_IN_NAMES) == key[0]
                    and _klass(labels.get(next(iter(keys[k])), "ORG")) == klass
                ]
                targets = {union.find(next(iter(keys[k]))) for k in initials}
                if len(targets) == 1:
                    union.union(targets.pop(), root)
            continue
        targets = {union.find(r) for k in supers for r in keys[k]}
        if len(targets) != 1:
            continue
        if all(all(w in COMPASS for w in set(k) - set(key)) for k in supers):
            continue  # "Dakota" is not "South Dakota"
        union.union(targets.pop(), root)


# --- profiles ----------------------------------------------------------------------------------------------


_ROLE_MODIFIERS = frozenset(
    {
        "prime",
        "foreign",
        "defense",
        "defence",
        "deputy",
        "vice",
        "chief",
        "cabinet",
        "supreme",
        "interior",
        "finance",
        "state",
        "general",
    }
)


def _occurrence_profile(doc: Any, start: int, end: int) -> tuple[set[str], set[str], Counter[str]]:
    """Roles, origins and gender votes read around one name occurrence."""
    roles: set[str] = set()
    origins: set[str] = set()
    gender: Counter[str] = Counter()
    if doc is None:
        return roles, origins, gender
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return roles, origins, gender
    role_words: list[str] = []
    k = span.start - 1
    steps = 0
    while k >= 0 and steps < MAX_TITLE_TOKENS and doc[k].sent == span.sent:
        tok = doc[k]
        low = tok.lower_.rstrip(".")
        if low in HONORIFICS_M or tok.lower_ in HONORIFICS_M:
            gender["m"] += 2
        elif low in HONORIFICS_F or tok.lower_ in HONORIFICS_F:
            gender["f"] += 2
        elif low in ROLE_NOUNS or low in _ROLE_MODIFIERS:
            role_words.insert(0, low)
        elif tok.ent_type_ in ("NORP", "GPE") and tok.pos_ in ("ADJ", "PROPN"):
            origins.add(tok.text)
        elif (
            tok.text in ("'s", "’s", "-", "–", "then", "former")
            or tok.lower_ in ("then", "former")
            or tok.pos_ == "ADJ"
        ):
            pass
        else:
            break
        k -= 1
        steps += 1
    if role_words:
        role = _role_phrase(role_words)
        if role:
            roles.add(role)
    root = span.root
    for child in root.children:
        if child.dep_ == "appos" and child.lower_ in ROLE_NOUNS:
            words = [c.lower_ for c in child.lefts if c.lower_ in ROLE_NOUNS | _ROLE_MODIFIERS] + [
                child.lower_
            ]
            role = _role_phrase(words)
            if role:
                roles.add(role)
            for c in child.subtree:
                if c.ent_type_ == "NORP" or (c.dep_ == "poss" and c.ent_type_ == "GPE"):
                    origins.add(c.text)
                    break
    for word in roles:
        g = {
            "spokesman": "m",
            "chairman": "m",
            "spokeswoman": "f",
            "chairwoman": "f",
            "king": "m",
            "queen": "f",
        }.get(word.split()[-1])
        if g:
            gender[g] += 2
    if root.dep_ in ("nsubj", "nsubjpass"):
        for tok in doc[span.end : min(span.sent.end, span.end + 25)]:
            if tok.ent_type_ == "PERSON":
                break
            g = PRONOUN_GENDER.get(tok.lower_)
            if g:
                gender[g] += 1
                break
    return roles, origins, gender


def _role_phrase(words: Sequence[str]) -> str:
    words = list(words)
    while words and words[-1] not in ROLE_NOUNS:
        words.pop()
    while (
        words
        and words[0] not in ROLE_NOUNS
        and words[0] not in ("prime", "foreign", "vice", "deputy", "defense", "defence", "chief", "supreme")
    ):
        words.pop(0)
    return " ".join(words)


def _build_profiles(
    groups: Mapping[str, Sequence[tuple[Analysis, int, int, bool]]],
    labels: Mapping[str, str],
    names: Mapping[str, str],
) -> dict[str, EntityProfile]:
    profiles: dict[str, EntityProfile] = {}
    for eid, items in groups.items():
        label = labels[eid]
        roles: set[str] = set()
        origins: set[str] = set()
        gender: Counter[str] = Counter()
        if label == "PERSON":
            for analysis, start, end, descriptor in items:
                if descriptor:
                    continue
                doc = doc_of(analysis)
                r, o, g = _occurrence_profile(doc, start, end)
                roles |= r
                origins |= o
                gender.update(g)
        g_top = gender.most_common(2)
        sex: Gender | None = None
        if g_top and (len(g_top) == 1 or g_top[0][1] >= 2 * g_top[1][1]):
            sex = "m" if g_top[0][0] == "m" else "f"
        profiles[eid] = EntityProfile(
            entity_id=eid,
            name=names[eid],
            label=label,
            gender=sex,
            roles=frozenset(roles),
            origins=frozenset(origins),
            mentions=len(items),
        )
    return profiles


def entity_profiles(story: Story) -> dict[str, EntityProfile]:
    """What the story establishes about each entity (gender, roles, nationality), from its mentions."""
    groups: dict[str, list[tuple[Analysis, int, int, bool]]] = defaultdict(list)
    for analysis in story.analyses:
        for m in analysis.mentions:
            if m.entity_id:
                groups[m.entity_id].append((analysis, m.span.start, m.span.end, _is_descriptor(m)))
    labels = {e.id: e.label for e in story.entities}
    names = {e.id: e.name for e in story.entities}
    for eid in groups:
        labels.setdefault(eid, "ORG")
        names.setdefault(eid, eid)
    return _build_profiles(groups, labels, names)


def _is_descriptor(m: Mention) -> bool:
    first = m.text.split()[0].lower() if m.text.split() else ""
    return m.label == "PERSON" and (first in ("the", "this", "that") or m.text[:1].islower())


# --- descriptors -------------------------------------------------------------------------------------------


def _resolve_descriptors(story: Story, occs: list[_Occ], union: _Union) -> None:
    labels = _group_labels(occs, union)
    groups: dict[str, list[tuple[Analysis, int, int, bool]]] = defaultdict(list)
    names: dict[str, str] = {}
    for o in occs:
        root = str(union.find(o.idx))
        groups[root].append((story.analyses[o.a], o.start, o.end, o.descriptor))
        names.setdefault(root, o.text)
    str_labels = {str(k): v for k, v in labels.items()}
    for root in groups:
        str_labels.setdefault(root, "ORG")
    profiles = _build_profiles(groups, str_labels, names)
    for a_i, analysis in enumerate(story.analyses):
        doc = doc_of(analysis)
        if doc is None:
            continue
        mine = sorted((o for o in occs if o.a == a_i and not o.descriptor), key=lambda o: o.start)
        person_spans = [(o.start, o.end) for o in mine if o.label == "PERSON"]
        person_starts = [p[0] for p in person_spans]
        recent: dict[str, int] = {}
        cursor = 0
        for desc in find_descriptors(doc):
            while cursor < len(mine) and mine[cursor].start < desc.start:
                recent[str(union.find(mine[cursor].idx))] = mine[cursor].start
                cursor += 1
            k = bisect.bisect_left(person_starts, desc.end)
            if any(s < desc.end and desc.start < e for s, e in person_spans[max(0, k - 3) : k]):
                continue
            entity, _conf = match_descriptor(desc, profiles, recent)
            if entity is None:
                continue
            occ = _Occ(
                idx=len(occs),
                a=a_i,
                start=desc.start,
                end=desc.end,
                text=desc.text,
                label="PERSON",
                tokens=(),
                mention=None,
                descriptor=True,
            )
            occs.append(occ)
            union.add()
            union.union(int(entity), occ.idx)


# --- definite descriptions of places ----------------------------------------------------------------------

# Determiners of a description that points back to a place already named ("the four islands", "these
# territories"); "a"/"some" introduce new things.
_DESCRIPTION_DETERMINERS = frozenset({"the", "these", "those", "this", "that"})
# Heads of physical-geography names, which a story goes on to call by the head alone ("the islands", "the
# strait"). Political heads are left out on purpose: "the two states" is not the United States, "the
# republic" not always the Czech Republic.
GEOGRAPHIC_HEADS = frozenset(
    {
        "islands",
        "island",
        "isles",
        "archipelago",
        "territories",
        "peninsula",
        "strait",
        "straits",
        "sea",
        "river",
        "mountains",
        "valley",
        "bay",
        "gulf",
        "lake",
        "desert",
        "coast",
        "canal",
        "plateau",
        "basin",
        "delta",
        "reef",
        "channel",
        "heights",
    }
)


def _place_heads(occs: Sequence[_Occ], union: _Union) -> dict[str, set[int]]:
    """The geographic head of each multi-word place name ("islands" of "Kuril Islands", "territories" of
    "Northern Territories"), with the entities (union roots) whose names end in it."""
    heads: dict[str, set[int]] = defaultdict(set)
    for o in occs:
        if o.descriptor or o.label not in PLACE_LABELS:
            continue
        words = _words(_display(o.text))
        if len(words) > 1 and words[-1] in GEOGRAPHIC_HEADS:
            heads[words[-1]].add(union.find(o.idx))
    return heads


def _resolve_place_descriptions(story: Story, occs: list[_Occ], union: _Union) -> None:
    """Join "the four islands" to the Kuril Islands: a definite noun phrase whose head, a common noun among
    :data:`GEOGRAPHIC_HEADS`, ends the name of exactly one place of the story, with nothing but numbers,
    adjectives and participles before it. Ambiguous heads (two island groups in one story) and any phrase
    that overlaps a name are left alone."""
    heads = _place_heads(occs, union)
    if not heads:
        return
    labels = _group_labels(occs, union)
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for o in occs:
        spans[o.a].append((o.start, o.end))
    for a_i, analysis in enumerate(story.analyses):
        doc = doc_of(analysis)
        if doc is None or not doc.has_annotation("DEP"):
            continue
        taken = sorted(spans[a_i])
        for chunk in doc.noun_chunks:
            root = chunk.root
            entities = heads.get(root.text.lower())
            if root.pos_ != "NOUN" or entities is None or len(entities) != 1:
                continue
            first, modifiers = chunk[0], chunk[1:-1]
            if first.lower_ not in _DESCRIPTION_DETERMINERS or root.i != chunk.end - 1:
                continue
            if any(t.pos_ not in ("NUM", "ADJ", "ADV") and t.tag_ != "VBN" for t in modifiers):
                continue
            start, end = chunk.start_char, chunk.end_char
            k = bisect.bisect_left(taken, (end, end))
            if any(s < end and start < e for s, e in taken[max(0, k - 3) : k]):
                continue
            (entity,) = entities
            alias = first.lower_ + chunk.text[len(first.text) :]  # "The islands" and "the islands": one alias
            occ = _Occ(
                idx=len(occs),
                a=a_i,
                start=start,
                end=end,
                text=alias,
                label=labels.get(entity, "LOC"),
                tokens=(),
                mention=None,
                descriptor=True,
            )
            occs.append(occ)
            union.add()
            union.union(entity, occ.idx)


# --- the stage ---------------------------------------------------------------------------------------------


def resolve_entities(story: Story) -> Story:
    """Merge the mentions of all articles into entities ``e1..`` (by mention count) and tag every mention."""
    occs = _collect(story)
    union = _Union()
    for _ in occs:
        union.add()
    _rekey(occs)

    linkers: list[_Linker] = []
    lists: list[tuple[int, list[_Occ]]] = []
    for a_i, analysis in enumerate(story.analyses):
        doc = doc_of(analysis)
        linker = _Linker(occs, a_i, analysis, union)
        linkers.append(linker)
        if doc is None or not doc.has_annotation("DEP"):
            continue
        _declarations(doc, linker)
        lists.extend((a_i, items) for items in _lists(doc, linker))
    _rekey(occs)

    list_votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for _a, items in lists:
        labels = Counter(o.label for o in items)
        top, count = labels.most_common(1)[0]
        if count * 3 >= 2 * len(items):
            for o in items:
                if o.label != top:
                    list_votes[o.tokens][top] += 1
    _fix_labels(story, occs, list_votes)
    _rekey(occs)

    _union_same_keys(occs, union)
    for linker in linkers:
        for a, b in linker.links:
            union.union(a, b)
    for a, b in _align_lists(lists, union):
        union.union(a, b)
    _merge_persons(occs, union)
    _merge_shorter_names(occs, union)
    _resolve_descriptors(story, occs, union)
    _resolve_place_descriptions(story, occs, union)
    return _emit(story, occs, union)


def _emit(story: Story, occs: Sequence[_Occ], union: _Union) -> Story:
    groups: dict[int, list[_Occ]] = defaultdict(list)
    for o in occs:
        if o.tokens or o.descriptor:
            groups[union.find(o.idx)].append(o)
    groups = {r: g for r, g in groups.items() if any(not o.descriptor for o in g)}
    order = {a.article.id: i for i, a in enumerate(story.analyses)}

    def first_seen(items: Sequence[_Occ]) -> tuple[int, int]:
        return min((o.a, o.start) for o in items)

    ranked = sorted(groups.values(), key=lambda g: (-len(g), first_seen(g)))
    entities: list[Entity] = []
    entity_of: dict[int, tuple[str, str]] = {}
    for n, items in enumerate(ranked, start=1):
        eid = f"e{n}"
        label = Counter(o.label for o in items if not o.descriptor).most_common(1)[0][0]
        name = _canonical_name(items, label)
        forms = Counter(_display(o.text) if not o.descriptor else " ".join(o.text.split()) for o in items)
        firsts: dict[str, tuple[int, int]] = {}
        for o in items:
            form = _display(o.text) if not o.descriptor else " ".join(o.text.split())
            firsts.setdefault(form, (o.a, o.start))
        aliases = sorted((f for f in forms if f), key=lambda f: (f != name, -forms[f], firsts[f]))
        articles = sorted({story.analyses[o.a].article.id for o in items}, key=lambda a: order[a])
        entities.append(
            Entity(
                id=eid,
                name=name,
                label=label,
                aliases=tuple(aliases),
                mentions=len(items),
                articles=tuple(articles),
            )
        )
        for o in items:
            entity_of[o.idx] = (eid, label)

    analyses: list[Analysis] = []
    for a_i, analysis in enumerate(story.analyses):
        text = analysis.article.text
        by_mention = {o.mention: o for o in occs if o.a == a_i and o.mention is not None}
        mentions: list[Mention] = []
        for m_i, m in enumerate(analysis.mentions):
            occ = by_mention.get(m_i)
            if occ is None or occ.idx not in entity_of:
                mentions.append(dataclasses.replace(m, entity_id=None))
                continue
            eid, label = entity_of[occ.idx]
            span = Span(article_id=m.span.article_id, start=occ.start, end=occ.end)
            mentions.append(
                dataclasses.replace(m, span=span, text=text[occ.start : occ.end], label=label, entity_id=eid)
            )
        for o in occs:
            if o.a == a_i and o.mention is None and o.idx in entity_of:
                eid, label = entity_of[o.idx]
                mentions.append(
                    Mention(
                        span=Span(article_id=analysis.article.id, start=o.start, end=o.end),
                        text=text[o.start : o.end],
                        label=label,
                        entity_id=eid,
                    )
                )
        mentions.sort(key=lambda m: (m.span.start, m.span.end))
        analyses.append(dataclasses.replace(analysis, mentions=tuple(mentions)))
    return dataclasses.replace(story, analyses=tuple(analyses), entities=tuple(entities))


def _canonical_name(items: Sequence[_Occ], label: str) -> str:
    names = [o for o in items if not o.descriptor]
    counts = Counter(_display(o.text) for o in names)
    if label == "PERSON":

        def person_score(form: str) -> tuple[int, int, int]:
            key = name_key(form, "PERSON")
            return (len(key), counts[form], -len(form))

        best = max(counts, key=person_score)
        # The fullest name without the titles in front of it ("President Maria Lopez" -> "Maria Lopez").
        key = name_key(best, "PERSON")
        words = best.split()
        while len(words) > len(key) and words and words[0].lower().rstrip(".") in TITLE_WORDS:
            words = words[1:]
        return " ".join(words)
    first: dict[str, tuple[int, int]] = {}
    for o in sorted(names, key=lambda o: (o.a, o.start)):
        first.setdefault(_display(o.text), (o.a, o.start))
    # The most used name; then the one with more words (a full name over its acronym); then the first used.
    return max(counts, key=lambda f: (counts[f], len(f.split()), tuple(-x for x in first[f])))
