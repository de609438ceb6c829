"""Claims across outlets: which facts several outlets report, which only one does, and where they disagree.

Every sentence that states something (a full sentence with terminal punctuation, at least
:data:`MIN_WORDS` words, not a title-case headline or caption) is a *fact unit*. Two units from different
outlets state the same fact when they share enough of their content (:func:`same_fact`): an IDF-weighted
overlap of their content terms, with at least :data:`MIN_SHARED_ANCHORS` shared *anchors*: specific terms
(rare in the story), not a person's name or title (sharing "Prime Minister Shinzo Abe" is not sharing a fact)
nor an attribution word ("spokeswoman"), and a multi-word name counted once ("Affordable Care Act"). Units are
grouped around the unit that most outlets match (a star, not a chain, so A~B and B~C does not put A with C).

A group is ``corroborated`` when two or more *independent* outlets carry it (near-identical sentences from
syndicated copies count once), ``single-source`` otherwise, and ``disputed`` when its outlets give
conflicting figures for the same thing ("832 people" vs "844 people"), conflicting years for the same event,
or, when the spaCy parse is available, different actors for the same act (verb and object). A sentence that
names both values ("30 to 60 years", "Democrats and Republicans") contradicts neither, and a negated act
("did not respond") is no one's to dispute: outlets are only put in conflict when they really differ.

Every claim source is a sentence span: ``article.text[span.start:span.end]`` is the sentence.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from .model import Claim, ClaimStatus, ClaimVariant, Span, Story
from .summarize.tokenize import STOP_WORDS, ends_with_terminal, is_title_case, stem, words

__all__ = [
    "FactUnit",
    "fact_groups",
    "fact_units",
    "find_claims",
    "outlet_of",
]

# Shorter sentences are captions, bylines or fragments, not facts.
MIN_WORDS = 6
# Longer ones are run-on lists.
MAX_WORDS = 90
# A term is *specific* (can anchor a match) when at most this share of the story's sentences use it: the
# story's topic words ("peace", "treaty", the leaders' names in the seeds) are in every other sentence and
# say nothing about which fact a sentence states. 0.05-0.2 tried on the seeds and made-up stories.
ANCHOR_MAX_DF_SHARE = 0.1
# In a small story every term is rare; below this many sentences the share above is not meaningful.
ANCHOR_MIN_SENTENCES = 5
# Two units state the same fact when they share at least MIN_SHARED_ANCHORS specific terms (person names
# excluded), the cosine of their IDF-weighted term sets is at least MATCH_SIMILARITY and the cosine over
# their specific terms alone at least SPECIFIC_SIMILARITY. Set on 20 hand-labelled seed pairs: the four
# "islands seized by the Soviet Union" sentences pair at 0.18-0.31 (specific) with 2-5 shared specific terms;
# sentences that only share the story's topic and actors share at most one, or score under 0.18.
MIN_SHARED_ANCHORS = 2
MATCH_SIMILARITY = 0.15
SPECIFIC_SIMILARITY = 0.18
# Two shared specific terms are weak evidence on their own: in a larger story, "people" and "crowd" or
# "force" and "security" are rare enough to count as specific while the sentences state different facts
# (seen on mixed Multi-News stories). With only two anchors the sentences must also be this similar overall;
# three or more anchors keep the looser MATCH_SIMILARITY. Set on 220 labelled raw Multi-News sentence pairs
# (benchmarks/claims.py): 0.25 -> 0.35 with one anchor per name took grouped-pair precision from 0.66 to 0.80
# for recall 0.83 -> 0.77. MATCH and SPECIFIC cannot rise: the seeds' "seized by the Soviet Union" pairs
# score 0.19-0.23.
TWO_ANCHOR_SIMILARITY = 0.35
# Near-identical sentences (share of the smaller unit's IDF mass) are syndicated copies: one source.
COPY_OVERLAP = 0.9
# Conflicting values are only reported between units that match this closely: a looser match may be a
# different fact that happens to carry another number (the dispute would be invented).
DISPUTE_OVERLAP = 0.35
# The slot of a calendar year ("in 1945"): not a word, so no counted noun ("30 people") shares it.
CALENDAR_YEAR = "calendar year"
# Content words this many tokens either side of a figure are its context. Two calendar years conflict only
# when their contexts share a word: "founded in 1607" and "founded in 1608" do; "this August 2012 photo
# shows" and "the project begun in 1994" do not (two events). Other figures have a slot noun to tell what
# they count; requiring shared context there too dropped as many real discrepancies as invented ones on 250
# raw Multi-News stories ("three minutes for Portugal's captain" / "four minutes of play").
CONTEXT_TOKENS = 4
# A name at least this long (letters only) counts as written in a sentence even with other spacing.
MIN_SOLID_NAME = 6
# Single-source claims kept in ``Story.claims`` (the most salient ones): a long story has hundreds.
MAX_SINGLE_SOURCE = 20

_REPORTING = {
    stem(w)
    for w in [
        "said",
        "says",
        "say",
        "told",
        "tell",
        "added",
        "add",
        "according",
        "reported",
        "report",
        "noted",
        "stated",
    ]
}
_SPELLED = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
            "twenty",
        ]
    )
}
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# A figure next to one of these counts part of a total or an increment ("three other men", "two more
# deaths", "another 13 people"): another outlet's total ("the four men") does not contradict it.
_RELATIVE = frozenset(
    {"other", "others", "more", "additional", "another", "extra", "further", "fewer", "less"}
)
_NOT_CONTEXT = STOP_WORDS | _SPELLED.keys() | _SCALE.keys()
_YEAR = re.compile(r"^(1[89]\d\d|20\d\d)$")
# A figure: digits not glued to a letter, a colon or another figure ("G7", "20:00", "1990s" are not figures).
_VALUE_TOKEN = re.compile(r"(?<![\w:.,])\d(?:[\d,.]*\d)?%?(?![\w:])|[A-Za-z]+")
_ACTOR_LABELS = frozenset({"PERSON", "ORG", "NORP", "GPE"})


@dataclass(frozen=True, slots=True, kw_only=True)
class StatedValue:
    """A figure or year a sentence states: ``slot`` is what it counts ("peopl", "percent", the calendar year),
    ``context`` the content words around it."""

    slot: str
    value: str
    context: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True, kw_only=True)
class FactUnit:
    """One fact-stating sentence of one article."""

    doc: int  # index of the analysis in the story
    sentence: int  # Sentence.index
    span: Span
    text: str
    outlet: str
    terms: frozenset[str]
    person_terms: frozenset[str]
    # The terms of each multi-word capitalised name ("Affordable Care Act"): one name is one shared anchor.
    names: tuple[frozenset[str], ...] = ()
    values: tuple[StatedValue, ...]  # ("peopl", "832"), (calendar year, "1945")
    actors: tuple[tuple[str, str], ...] = ()  # (action term, actor) from the parse, when there is one


def outlet_of(article: Any) -> str:
    """The outlet name, or the article id when the outlet is unknown (each unknown article is its own)."""
    return str(article.outlet or article.id)


# A few names news writes several ways, made one token so that "WWII" matches "World War II" and a
# multi-word name counts as one shared term, not three.
_SAME_NAMES = (
    (re.compile(r"\b(?:world war (?:ii|two|2)|second world war|wwii|ww2)\b", re.IGNORECASE), " ww2 "),
    (re.compile(r"\b(?:world war (?:i|one|1)|first world war|wwi|ww1)\b", re.IGNORECASE), " ww1 "),
    (re.compile(r"\b(?:united states|U\.S\.(?!\w)|US\b|USA\b)", re.IGNORECASE), " usa "),
    (re.compile(r"\b(?:united kingdom|U\.K\.(?!\w)|UK\b)", re.IGNORECASE), " uk "),
    (re.compile(r"\b(?:united nations|U\.N\.(?!\w)|UN\b)"), " un "),
)
_FIGURE = re.compile(
    r"\d+(?:st|nd|rd|th)\b|\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|[^\W_]+(?:['’][^\W_]+)*"
)
# Words that say who told the news, not what happened: sharing "spokeswoman" or "statement" is not sharing
# a fact ("a spokeswoman said passengers were rerouted" / "a spokeswoman said police interviewed people").
_ATTRIBUTION_TERMS = frozenset(
    stem(w) for w in ("spokesman", "spokeswoman", "spokesperson", "source", "sources", "statement", "news")
)
# Lower-case words that may sit inside a name ("Center on Wrongful Convictions", "Bank of America"); not
# "and" or "at", which join two names ("Russia and Japan", "Putin at the Kremlin").
_NAME_JOINERS = frozenset({"of", "on", "the", "for", "de", "&"})
# The capitalised words (and joiners) right before a name, up to any punctuation: its title.
_TITLE = re.compile(r"(?:(?:[A-Z][\w'’.-]*|of|on|the|for|de|&)\s+)+$")


def _terms(text: str) -> list[str]:
    for pattern, token in _SAME_NAMES:
        text = pattern.sub(token, text)
    out: list[str] = []
    for token in _FIGURE.findall(text):
        low = token.lower()
        if low[0].isdigit():
            out.append(low.replace(",", ""))
            continue
        if len(low) < 2 or low in STOP_WORDS:
            continue
        term = stem(low)
        if term not in _REPORTING:
            out.append(term)
    return out


def _name_terms(text: str) -> tuple[frozenset[str], ...]:
    """The terms of every run of two or more capitalised words (joined by "of", "the" ...) in ``text``."""
    names: list[frozenset[str]] = []
    run: list[str] = []
    for token in [*_FIGURE.findall(text), ""]:
        if token and (token[0].isupper() or (run and token.lower() in _NAME_JOINERS)):
            run.append(token)
            continue
        capitalised = [t for t in run if t[0].isupper()]
        if len(capitalised) >= 2:
            terms = frozenset(_terms(" ".join(capitalised)))
            if len(terms) >= 2:
                names.append(terms)
        run = []
    return tuple(names)


def _title_terms(before: str) -> list[str]:
    """The terms of the capitalised words that end ``before`` (the title before a name: "Prime Minister")."""
    found = _TITLE.search(before)
    if found is None:
        return []
    return _terms(" ".join(w for w in found.group(0).split() if w[0].isupper()))


def _number_value(raw: str) -> str:
    value = raw.replace(",", "")
    return value[:-2] if value.endswith(".0") else value


def extract_values(text: str) -> tuple[StatedValue, ...]:
    """Figures and years of a sentence: the slot of a figure is the next content word.

    "killed 832 people" -> ("peopl", "832"); "five areas" -> ("area", "5"); "in 1945" -> (calendar year,
    "1945"); "8.2 percent" -> ("percent", "8.2"). Left out: figures whose slot cannot be told apart,
    relative figures ("three other men", "another 13 people") and digits inside a word, a code or a clock
    time ("G7", "GBP=D3", "20:00", "the 1990s"). Each value keeps the content words around it
    (:data:`CONTEXT_TOKENS` either side) as its context.
    """
    tokens = [m.group(0) for m in _VALUE_TOKEN.finditer(text)]
    values: dict[tuple[str, str], frozenset[str]] = {}
    for i, token in enumerate(tokens):
        low = token.lower()
        number: str | None = None
        if token[0].isdigit():
            number = _number_value(token.rstrip("%"))
        elif low in _SPELLED:
            number = str(_SPELLED[low])
        if number is None:
            continue
        context = frozenset(
            stem(w.lower())
            for w in tokens[max(0, i - CONTEXT_TOKENS) : i + CONTEXT_TOKENS + 1]
            if w.isalpha() and len(w) > 1 and w.lower() not in _NOT_CONTEXT
        )
        if token.endswith("%"):
            values.setdefault(("percent", number), context - {"percent"})
            continue
        j = i + 1
        if (j < len(tokens) and tokens[j].lower() in _RELATIVE) or (i and tokens[i - 1].lower() in _RELATIVE):
            continue  # "three other men", "another 13 people": a part or an increment, not the total
        if j < len(tokens) and tokens[j].lower() in _SCALE:
            with contextlib.suppress(ValueError):
                number = _number_value(str(float(number) * _SCALE[tokens[j].lower()]))
            j += 1
        slot = None
        while j < len(tokens) and j <= i + 3:
            nxt = tokens[j].lower()
            if nxt in ("percent",):
                slot = "percent"
                break
            if nxt.isalpha() and nxt not in STOP_WORDS and nxt not in _SPELLED:
                slot = stem(nxt)
                break
            j += 1
        if _YEAR.match(number) and (slot is None or slot not in {"peopl", "person", "dollar", "year"}):
            values.setdefault((CALENDAR_YEAR, number), context)
        elif slot is not None:
            values.setdefault((slot, number), context - {slot})
    return tuple(StatedValue(slot=k[0], value=k[1], context=c) for k, c in values.items())


def _actors(analysis: Any, start: int, end: int, terms: frozenset[str]) -> tuple[tuple[str, str], ...]:
    """(action, actor) pairs from the dependency parse: the subject or passive agent of each verb.

    The action is the verb with its object when it has one ("declar:emergency", "shot:protester"): two
    governors who each "declared" something did not dispute who declared one thing.
    """
    doc = analysis.doc
    if doc is None or not getattr(doc, "has_annotation", lambda _: False)("DEP"):
        return ()
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return ()
    out: list[tuple[str, str]] = []
    for token in span:
        if token.pos_ != "VERB":
            continue
        action = stem(token.text.lower())
        if action not in terms or action in _REPORTING:
            continue
        if any(child.dep_ == "neg" for child in token.children):
            continue  # "X did not respond": not doing something is no one's act to dispute
        patient = _patient(token)
        if patient is not None:
            action = f"{action}:{stem(patient.lemma_.lower())}"
        actor = None
        for child in token.children:
            if child.dep_ == "nsubj":
                actor = child
            elif child.dep_ == "agent":
                objects = [g for g in child.children if g.dep_ == "pobj"]
                actor = objects[0] if objects else None
        if actor is None or actor.ent_type_ not in _ACTOR_LABELS:
            continue
        ent = next((e for e in doc.ents if e.start <= actor.i < e.end), None)
        name = (ent.text if ent is not None else actor.text).strip()
        out.append((action, re.sub(r"^(?:the|a|an)\s+", "", name, flags=re.IGNORECASE)))
    return tuple(out)


def _patient(verb: Any) -> Any:
    """What the verb acts on: its object or passive subject, the noun a participle modifies ("the account
    controlled by Cohen"), or for the second of two verbs the first one's ("owned and controlled by")."""
    for child in verb.children:
        if child.dep_ in ("dobj", "nsubjpass"):
            return child
    if verb.dep_ == "acl":
        return verb.head
    if verb.dep_ == "conj" and verb.head.pos_ == "VERB":
        return _patient(verb.head)
    return None


def fact_units(story: Story) -> list[FactUnit]:
    """The fact-stating sentences of every article of ``story``."""
    units: list[FactUnit] = []
    for d, analysis in enumerate(story.analyses):
        article = analysis.article
        outlet = outlet_of(article)
        persons = [m for m in analysis.mentions if m.label == "PERSON"]
        for sentence in analysis.sentences:
            start, end = sentence.span.start, sentence.span.end
            text = article.text[start:end]
            n = len(words(text))
            if (
                not (MIN_WORDS <= n <= MAX_WORDS)
                or not ends_with_terminal(text)
                or is_title_case(text)
                or text.rstrip().endswith("?")
            ):
                continue
            terms = frozenset(_terms(text))
            if not terms:
                continue
            inside = [m for m in persons if start <= m.span.start and m.span.end <= end]
            # A person's name with the capitalised title before it ("Japanese Prime Minister Shinzo Abe")
            # names the actor, not the fact.
            person_terms = frozenset(
                t
                for m in inside
                for t in (*_terms(m.text), *_title_terms(article.text[start : m.span.start]))
            )
            units.append(
                FactUnit(
                    doc=d,
                    sentence=sentence.index,
                    span=sentence.span,
                    text=text,
                    outlet=outlet,
                    terms=terms,
                    person_terms=person_terms,
                    names=_name_terms(text),
                    values=extract_values(text),
                    actors=_actors(analysis, start, end, terms),
                )
            )
    return units


class _Matcher:
    """Pairwise same-fact scores over one story's units (IDF over the story's fact units)."""

    def __init__(self, units: Sequence[FactUnit]) -> None:
        self.units = units
        n = len(units)
        df: Counter[str] = Counter()
        for u in units:
            df.update(u.terms)
        self.idf = {t: math.log((n + 1) / (k + 0.5)) for t, k in df.items()}
        limit = max(ANCHOR_MIN_SENTENCES, ANCHOR_MAX_DF_SHARE * n)
        self.specific = {t for t, k in df.items() if k <= limit}
        self.mass = [math.fsum(self.idf[t] for t in u.terms) for u in units]
        self.name_words = [frozenset().union(*u.names) for u in units]
        # Per unit, the terms that may anchor a match: specific, not a person's name, not attribution.
        self.anchor_terms = [
            frozenset(t for t in u.terms if t in self.specific) - u.person_terms - _ATTRIBUTION_TERMS
            for u in units
        ]
        self.postings: dict[str, list[int]] = {}
        for i, u in enumerate(units):
            for t in u.terms:
                if t in self.specific:
                    self.postings.setdefault(t, []).append(i)

    def overlap(self, i: int, j: int) -> float:
        a, b = self.units[i], self.units[j]
        shared = a.terms & b.terms
        denominator = min(self.mass[i], self.mass[j]) or 1.0
        return math.fsum(self.idf[t] for t in shared) / denominator

    def cosine(self, i: int, j: int) -> float:
        a, b = self.units[i], self.units[j]
        shared = math.fsum(self.idf[t] for t in a.terms & b.terms)
        return shared / (math.sqrt(self.mass[i] * self.mass[j]) or 1.0)

    def specific_cosine(self, i: int, j: int) -> float:
        a, b = self.units[i].terms & self.specific, self.units[j].terms & self.specific
        shared = math.fsum(self.idf[t] for t in a & b)
        norm = math.sqrt(math.fsum(self.idf[t] for t in a) * math.fsum(self.idf[t] for t in b))
        return shared / norm if norm else 0.0

    def anchors(self, i: int, j: int) -> int:
        a, b = self.units[i], self.units[j]
        shared = self.anchor_terms[i] & self.anchor_terms[j]
        if not (a.names and b.names and shared):
            return len(shared)
        # Words of names count by name: a name both sentences write is one anchor however many words it has
        # ("Center on Wrongful Convictions"), and a word of two different names is none ("Far East" and
        # "East Asia" share no place). A word that is a name's on one side only counts as a word.
        in_a, in_b = self.name_words[i], self.name_words[j]
        count = len(shared - (in_a & in_b))
        for name in a.names:
            if name & shared and any(name <= other or other <= name for other in b.names):
                count += 1
        return count

    def matches(self, i: int) -> dict[int, float]:
        """Units of other outlets that state the same fact as unit ``i``, with their overlap."""
        counts: Counter[int] = Counter()
        for t in self.units[i].terms:
            if t in self.specific:
                counts.update(self.postings.get(t, ()))
        out: dict[int, float] = {}
        for j in sorted(counts):  # a fixed order: term sets iterate in a per-process hash order
            if j == i or self.units[j].outlet == self.units[i].outlet:
                continue
            if self.same(i, j):
                out[j] = self.cosine(i, j)
        return out

    def same(self, i: int, j: int) -> bool:
        anchors = self.anchors(i, j)
        if anchors < MIN_SHARED_ANCHORS:
            return False
        needed = TWO_ANCHOR_SIMILARITY if anchors == MIN_SHARED_ANCHORS else MATCH_SIMILARITY
        return self.cosine(i, j) >= needed and self.specific_cosine(i, j) >= SPECIFIC_SIMILARITY


def same_fact(a: FactUnit, b: FactUnit, units: Sequence[FactUnit]) -> bool:
    """Whether ``a`` and ``b`` (both in ``units``) state the same fact by the rule of this module."""
    matcher = _Matcher(units)
    return matcher.same(units.index(a), units.index(b))


def fact_groups(units: Sequence[FactUnit]) -> list[list[int]]:
    """Groups of unit indices stating the same fact, the centre first, best-supported groups first.

    Star grouping: the unit matched by the most outlets becomes a centre and takes, from each other outlet,
    its best-matching unit still free. Every unit ends up in exactly one group (possibly alone).
    """
    if not units:
        return []
    matcher = _Matcher(units)
    matches = [matcher.matches(i) for i in range(len(units))]

    def strength(i: int) -> tuple[int, float]:
        outlets = {units[j].outlet for j in matches[i]}
        return len(outlets), math.fsum(matches[i].values())

    free = set(range(len(units)))
    groups: list[list[int]] = []
    for centre in sorted(range(len(units)), key=lambda i: (-strength(i)[0], -strength(i)[1], i)):
        if centre not in free:
            continue
        free.discard(centre)
        best: dict[str, tuple[float, int]] = {}
        for j, score in matches[centre].items():
            if j in free:
                outlet = units[j].outlet
                if outlet not in best or score > best[outlet][0]:
                    best[outlet] = (score, j)
        members = [j for _, j in sorted(best.values(), key=lambda sj: (-sj[0], sj[1]))]
        free.difference_update(members)
        groups.append([centre, *members])
    return groups


def independent_outlets(units: Sequence[FactUnit], group: Sequence[int]) -> int:
    """Outlets in ``group``, counting near-identical sentences (syndicated copies) once."""
    matcher = _Matcher([units[i] for i in group])
    sources: list[int] = []
    for k in range(len(group)):
        if not any(matcher.overlap(k, s) >= COPY_OVERLAP for s in sources):
            sources.append(k)
    return len({units[group[k]].outlet for k in sources})


def _variants(
    units: Sequence[FactUnit], group: Sequence[int], matcher: _Matcher, articles: Sequence[str]
) -> list[ClaimVariant]:
    """Conflicting values for one slot across the group's outlets, as variants (empty: no dispute).

    Outlets conflict when each states only its own value: a sentence that also names the other value
    ("30 to 60 years", "Democrats and Republicans") does not contradict it, and for who did it, an article
    that names the other actor anywhere ("Kristian Perez" in the article whose sentence says "Kristan")
    does not either. Calendar years must also be about the same thing: their contexts share a word (see
    :data:`CONTEXT_TOKENS`). ``articles`` holds each document's text, by ``FactUnit.doc``.
    """
    centre = group[0]
    close = [centre, *(j for j in group[1:] if matcher.overlap(centre, j) >= DISPUTE_OVERLAP)]
    by_slot: dict[str, dict[str, list[int]]] = {}
    contexts: dict[tuple[str, str], set[str]] = {}
    for i in close:
        for stated in units[i].values:
            by_slot.setdefault(stated.slot, {}).setdefault(stated.value, []).append(i)
            contexts.setdefault((stated.slot, stated.value), set()).update(stated.context)
        for action, actor in units[i].actors:
            by_slot.setdefault(f"actor:{action}", {}).setdefault(actor, []).append(i)
    for slot, values in sorted(by_slot.items()):
        if len(values) < 2 or len({units[i].outlet for m in values.values() for i in m}) < 2:
            continue
        is_actor = slot.startswith("actor:")
        exclusive = {
            v: [
                i
                for i in members
                if not any(
                    _states(units[i], w, articles[units[i].doc] if is_actor else None)
                    for w in values
                    if w != v
                )
            ]
            for v, members in values.items()
        }
        exclusive = {v: m for v, m in exclusive.items() if m}
        if slot == CALENDAR_YEAR:
            exclusive = {
                v: m
                for v, m in exclusive.items()
                if any(contexts[(slot, v)] & contexts[(slot, w)] for w in exclusive if w != v)
            }
        if len(exclusive) < 2 or len({units[m[0]].outlet for m in exclusive.values()}) < 2:
            continue
        if is_actor and _same_actor(list(exclusive)):
            continue
        return [
            ClaimVariant(
                text=units[members[0]].text,
                value=value,
                sources=tuple(units[i].span for i in members),
                outlets=tuple(dict.fromkeys(units[i].outlet for i in members)),
            )
            for value, members in sorted(exclusive.items(), key=lambda vm: vm[1][0])
        ]
    return []


def _states(unit: FactUnit, value: str, article: str | None = None) -> bool:
    """Whether ``unit`` states the figure ``value`` anywhere in its sentence, or, given its ``article``,
    whether that article names the actor ``value`` anywhere."""
    if article is not None:
        if re.search(rf"(?<!\w){re.escape(value)}(?!\w)", article, re.IGNORECASE):
            return True
        # The same name written solid or spaced ("VanWert", "Van Wert"); short names only as words above.
        solid = re.sub(r"\W", "", value).lower()
        return len(solid) >= MIN_SOLID_NAME and solid in re.sub(r"\W", "", article).lower()
    return any(
        _number_value(m.group(0).rstrip("%")) == value
        for m in _VALUE_TOKEN.finditer(unit.text)
        if m.group(0)[0].isdigit()
    ) or any(stated.value == value for stated in unit.values)


def _same_actor(names: Sequence[str]) -> bool:
    """ "Putin" and "Vladimir Putin" are one actor: every name's words are inside the longest name."""
    longest = max(names, key=len).lower().split()
    return all(set(n.lower().split()) <= set(longest) for n in names)


def find_claims(story: Story) -> Story:
    """Fill ``story.claims``: corroborated and disputed facts, then the most salient single-source ones."""
    units = fact_units(story)
    if not units:
        return dataclasses.replace(story, claims=())
    matcher = _Matcher(units)
    articles = [analysis.article.text for analysis in story.analyses]
    claims: list[tuple[tuple[int, float, int], Claim]] = []
    singles: list[tuple[tuple[int, float, int], Claim]] = []
    for group in fact_groups(units):
        members = [units[i] for i in group]
        variants = _variants(units, group, matcher, articles) if len(group) > 1 else []
        independent = independent_outlets(units, group)
        status: ClaimStatus
        if variants:
            status = "disputed"
        elif independent >= 2:
            status = "corroborated"
        else:
            status = "single-source"
        claim = Claim(
            text=members[0].text,
            status=status,
            articles=_ordered(story, (story.analyses[u.doc].article.id for u in members)),
            outlets=tuple(dict.fromkeys(u.outlet for u in sorted(members, key=lambda u: u.doc))),
            sources=tuple(u.span for u in members),
            variants=tuple(variants),
        )
        # Order: most outlets first, then the more specific (more IDF mass) fact, then text order.
        key = (-len(claim.outlets), -matcher.mass[group[0]], group[0])
        (singles if status == "single-source" else claims).append((key, claim))
    claims.sort(key=lambda kc: kc[0])
    singles.sort(key=lambda kc: kc[0])
    kept = [c for _, c in claims] + [c for _, c in singles[:MAX_SINGLE_SOURCE]]
    return dataclasses.replace(story, claims=tuple(kept))


def _ordered(story: Story, ids: Iterable[str]) -> tuple[str, ...]:
    wanted = set(ids)
    return tuple(a.article.id for a in story.analyses if a.article.id in wanted)


def claim_support(story: Story) -> dict[tuple[int, int], tuple[int, int]]:
    """``(analysis index, sentence index) -> (fact group id, independent outlets carrying that fact)``."""
    units = fact_units(story)
    support: dict[tuple[int, int], tuple[int, int]] = {}
    for g, group in enumerate(fact_groups(units)):
        count = independent_outlets(units, group) if len(group) > 1 else 1
        for i in group:
            support[(units[i].doc, units[i].sentence)] = (g, count)
    return support
