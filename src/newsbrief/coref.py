"""Resolve referring expressions (pronouns, role descriptors) to story entities.

No coreference model ships offline on PyPI, so this module holds a rules resolver built on the parse and the
discourse: the most recent compatible person, subjects and earlier speakers first, gender agreement, persons the
quote itself talks about excluded, and role descriptors ("the French leader") matched against what the story
has established about each person (titles and nationality next to their name).

It is split so that a learned resolver can replace it: :class:`CorefResolver` is the interface the quotes stage
calls, and :class:`RulesCorefResolver` is one implementation. A cluster-based model (spaCy's experimental coref,
fastcoref, ...) implements the same ``resolve`` by finding the cluster of each expression and returning the
entity id of a named mention in that cluster. The descriptor helpers (:func:`find_descriptors`,
:func:`match_descriptor`) are shared with :mod:`newsbrief.entities`, which turns resolved descriptors into
aliases.
"""

from __future__ import annotations

import bisect
import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from .model import Analysis, Mention, Span
from .nlp import doc_of

__all__ = [
    "LEADER_ROLES",
    "ROLE_NOUNS",
    "CorefResolver",
    "Descriptor",
    "EntityProfile",
    "Resolution",
    "RulesCorefResolver",
    "SpeakerExpression",
    "find_descriptors",
    "match_descriptor",
    "origins_match",
    "role_matches",
]

Gender = Literal["m", "f"]

# Nouns naming a person by role. General news English (offices, professions that newswire uses as speaker
# descriptors); a descriptor's head must be one of these.
ROLE_NOUNS = frozenset(
    {
        "president",
        "minister",
        "premier",
        "chancellor",
        "leader",
        "king",
        "queen",
        "emperor",
        "prince",
        "princess",
        "monarch",
        "governor",
        "mayor",
        "senator",
        "congressman",
        "congresswoman",
        "representative",
        "secretary",
        "spokesman",
        "spokeswoman",
        "spokesperson",
        "ambassador",
        "envoy",
        "diplomat",
        "official",
        "general",
        "commander",
        "chief",
        "head",
        "director",
        "chairman",
        "chairwoman",
        "chair",
        "ceo",
        "founder",
        "analyst",
        "expert",
        "professor",
        "researcher",
        "scholar",
        "economist",
        "lawmaker",
        "legislator",
        "politician",
        "candidate",
        "nominee",
        "judge",
        "prosecutor",
        "lawyer",
        "attorney",
        "negotiator",
        "counterpart",
        "dictator",
        "pope",
        "sheikh",
        "vice",
        "deputy",
        "mp",
        "commissioner",
        "adviser",
        "advisor",
        "aide",
        "strategist",
        "executive",
        "officer",
        "activist",
        "author",
        "historian",
        "scientist",
    }
)
# Roles that "the X leader" may refer to: heads of state or government.
LEADER_ROLES = frozenset(
    {
        "president",
        "prime minister",
        "premier",
        "chancellor",
        "king",
        "queen",
        "emperor",
        "leader",
        "monarch",
        "dictator",
        "supreme leader",
        "head of state",
        "head of government",
        "sheikh",
        "emir",
    }
)
# Title words that only precede a name (not heads of a descriptor on their own).
HONORIFICS_M = frozenset(
    {"mr", "mr.", "sir", "lord", "king", "prince", "mister", "monsieur", "herr", "señor"}
)
HONORIFICS_F = frozenset(
    {
        "mrs",
        "mrs.",
        "ms",
        "ms.",
        "miss",
        "madam",
        "madame",
        "dame",
        "lady",
        "queen",
        "princess",
        "frau",
        "señora",
    }
)
_GENDERED_ROLES = {
    "spokesman": "m",
    "chairman": "m",
    "congressman": "m",
    "businessman": "m",
    "king": "m",
    "prince": "m",
    "spokeswoman": "f",
    "chairwoman": "f",
    "congresswoman": "f",
    "businesswoman": "f",
    "queen": "f",
    "princess": "f",
}
PRONOUN_GENDER: dict[str, Gender] = {
    "he": "m",
    "him": "m",
    "his": "m",
    "himself": "m",
    "she": "f",
    "her": "f",
    "hers": "f",
    "herself": "f",
}
# Pronoun antecedent search: how many sentences back a candidate may be. Newswire re-names a speaker within a
# paragraph or two; six sentences keep "he added" after a long quote resolvable without reaching unrelated people.
MAX_SENTENCES_BACK = 6
# Scores of a pronoun antecedent candidate (higher wins): one sentence of distance costs DISTANCE_COST.
# Subjects and earlier speakers are the centres of newswire discourse ("X said ... he added"), so they outrank
# a person named in a prepositional phrase in between. Weights set by hand on the seeds, checked on PolNeAR.
DISTANCE_COST = 1.0
SUBJECT_BONUS = 1.0
SPEAKER_BONUS = 1.5
# Character bound of the same search when the article has no sentence bounds (a megabyte paragraph).
MAX_CHARS_BACK = 3000
# At most this many mentions are read inside one quote or window (keeps hostile input linear).
MAX_MENTIONS_SCANNED = 400
# Confidence of a resolution by method.
CONF_NAME = 1.0
CONF_DESCRIPTOR = 0.85
CONF_PRONOUN = 0.8
# Origins (nationality words) are matched by shared prefix: Italy/Italian, Chile/Chilean, Mexico/Mexican.
# Four letters, and all but one letter of the shorter word, keep Iran/Iraq and Austria/Australia apart.
MIN_ORIGIN_PREFIX = 4

_ALNUM = re.compile(r"[^\W_]")
_PERSONAL_PRONOUNS = frozenset({"he", "she", "him", "her", "they", "them", "i", "we", "you", "it"})


@dataclass(frozen=True, slots=True, kw_only=True)
class EntityProfile:
    """What the story has established about an entity, for agreement checks."""

    entity_id: str
    name: str
    label: str
    gender: Gender | None = None
    roles: frozenset[str] = frozenset()  # lower-case role phrases: "prime minister", "president", "analyst"
    origins: frozenset[str] = frozenset()  # lower-case nationality/country words: "french", "italy"
    mentions: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class SpeakerExpression:
    """A speaker as written at a quote's cue, to resolve."""

    span: Span
    text: str
    quote: Span  # the quote it speaks; persons the quote talks about are not its speaker


@dataclass(frozen=True, slots=True, kw_only=True)
class Resolution:
    span: Span
    quote: Span
    entity_id: str | None
    antecedent: Span | None
    confidence: float
    method: str  # name | descriptor | pronoun | joint | none
    name: str | None = None  # a proper name as written when no entity covers it


class CorefResolver(Protocol):
    """Resolves the speaker expressions of one article to story entities (one result per expression, in order)."""

    def resolve(
        self,
        analysis: Analysis,
        expressions: Sequence[SpeakerExpression],
        profiles: Mapping[str, EntityProfile],
    ) -> list[Resolution]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Descriptor:
    """A definite role description ("the French leader", "Italy's prime minister")."""

    start: int
    end: int
    text: str
    role: str
    origin: str | None


# --- descriptors -------------------------------------------------------------------------------------------


def _letters(word: str) -> str:
    return re.sub(r"[^a-z]", "", word.lower())


def origins_match(a: str, b: str) -> bool:
    """Do two nationality/country words name the same country (shared-prefix rule)?"""
    a, b = _letters(a), _letters(b)
    if not a or not b:
        return False
    if a.startswith(b) or b.startswith(a):
        return min(len(a), len(b)) >= 2
    shared = 0
    for x, y in zip(a, b, strict=False):
        if x != y:
            break
        shared += 1
    return shared >= max(MIN_ORIGIN_PREFIX, min(len(a), len(b)) - 1)


def role_matches(descriptor_role: str, roles: frozenset[str]) -> bool:
    """``descriptor_role`` ("leader", "prime minister", "minister") fits one of a person's established roles."""
    d = descriptor_role.lower()
    for role in roles:
        if role == d or role.endswith(" " + d):
            return True
        if d == "leader" and (role in LEADER_ROLES or any(role.endswith(" " + r) for r in LEADER_ROLES)):
            return True
    return False


def find_descriptors(doc: Any) -> list[Descriptor]:
    """Definite singular role phrases that stand for a person: "the French leader", "Italy's prime minister"."""
    out: list[Descriptor] = []
    if doc is None:
        return out
    for tok in doc:
        if tok.lower_ not in ROLE_NOUNS or tok.tag_ not in ("NN", "NNP") or tok.ent_type_ == "PERSON":
            continue
        if tok.dep_ == "compound" or (tok.i + 1 < len(doc) and doc[tok.i + 1].pos_ == "PROPN"):
            continue  # a title in front of a name ("President Lopez"), not a descriptor
        left = [c for c in tok.lefts]
        det = next((c for c in left if c.dep_ == "det" and c.lower_ in ("the", "this", "that")), None)
        poss = next((c for c in left if c.dep_ == "poss" and c.pos_ == "PROPN"), None)
        if det is None and poss is None:
            continue
        if any(c.dep_ == "prep" for c in tok.rights) and poss is None:
            # "the head of the institute" names its organisation; leave it to the name rules.
            continue
        role_words = [tok.lower_]
        origin: str | None = None
        for c in reversed(left):
            if (
                c.dep_ == "compound"
                and c.lower_ in ROLE_NOUNS | {"prime", "foreign", "defense", "defence", "vice"}
            ) or (
                c.dep_ == "amod" and c.lower_ in ("prime", "foreign", "vice", "deputy", "chief", "supreme")
            ):
                role_words.insert(0, c.lower_)
            elif c.dep_ in ("amod", "compound") and c.ent_type_ in ("NORP", "GPE"):
                origin = c.text
        if poss is not None and poss.ent_type_ in ("GPE", "NORP", "ORG", ""):
            origin = origin or poss.text
        start_tok = det if det is not None else poss
        assert start_tok is not None
        start = start_tok.idx if det is not None else poss.left_edge.idx  # type: ignore[union-attr]
        end = tok.idx + len(tok.text)
        role = " ".join(role_words)
        if role in ("vice", "deputy", "chief", "head") and origin is None:
            continue
        out.append(Descriptor(start=start, end=end, text=doc.text[start:end], role=role, origin=origin))
    return out


def match_descriptor(
    descriptor: Descriptor,
    profiles: Mapping[str, EntityProfile],
    recent: Mapping[str, int],
) -> tuple[str | None, float]:
    """The entity a descriptor stands for, or None. ``recent`` maps entity id -> offset of its last mention
    before the descriptor in the same article (closer is likelier)."""
    candidates = []
    for prof in profiles.values():
        if prof.label != "PERSON" or not role_matches(descriptor.role, prof.roles):
            continue
        if descriptor.origin is not None and not any(
            origins_match(descriptor.origin, o) for o in prof.origins
        ):
            continue
        candidates.append(prof)
    if not candidates:
        return None, 0.0
    if len(candidates) == 1:
        return candidates[0].entity_id, CONF_DESCRIPTOR

    def score(p: EntityProfile) -> tuple[int, int, int]:
        seen = p.entity_id in recent
        return (1 if seen else 0, recent.get(p.entity_id, -1), p.mentions)

    ranked = sorted(candidates, key=score, reverse=True)
    best, second = ranked[0], ranked[1]
    if best.entity_id not in recent and best.mentions == second.mentions:
        return None, 0.0  # two equally likely people: the text does not say which
    return best.entity_id, CONF_DESCRIPTOR * (0.9 if best.entity_id in recent else 0.75)


# --- the rules resolver ------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Candidate:
    entity_id: str
    offset: int
    sentence: int
    subject: bool
    speaker: bool
    span: Span


@dataclass(frozen=True, slots=True, kw_only=True)
class _Discourse:
    """What the rules read of one article while resolving its speakers, in text order.

    ``speakers`` and ``speaker_offsets`` grow as expressions are resolved: a resolved speaker is a candidate
    antecedent for the pronouns that follow ("he added").
    """

    text: str
    mentions: Sequence[Mention]  # with an entity id
    starts: Sequence[int]  # of ``mentions``
    sentence_starts: Sequence[int]
    doc: Any
    profiles: Mapping[str, EntityProfile]
    speakers: list[_Candidate] = field(default_factory=list)
    speaker_offsets: list[int] = field(default_factory=list)


class RulesCorefResolver:
    """Speaker resolution from names in the expression, role descriptors and pronoun antecedents in discourse."""

    def resolve(
        self,
        analysis: Analysis,
        expressions: Sequence[SpeakerExpression],
        profiles: Mapping[str, EntityProfile],
    ) -> list[Resolution]:
        mentions = sorted((m for m in analysis.mentions if m.entity_id), key=lambda m: m.span.start)
        ctx = _Discourse(
            text=analysis.article.text,
            mentions=mentions,
            starts=[m.span.start for m in mentions],
            sentence_starts=[s.span.start for s in analysis.sentences],
            doc=doc_of(analysis),
            profiles=profiles,
        )
        results: list[Resolution] = []
        cache: dict[tuple[int, int], Resolution] = {}
        for expr in sorted(expressions, key=lambda e: (e.span.start, e.quote.start)):
            key = (expr.span.start, expr.span.end)
            if key in cache:
                results.append(dataclasses.replace(cache[key], span=expr.span, quote=expr.quote))
                continue
            res = self._resolve_one(expr, ctx)
            cache[key] = res
            results.append(res)
            if res.entity_id is not None:
                ctx.speakers.append(
                    _candidate(res.entity_id, expr.span, ctx.sentence_starts, subject=True, speaker=True)
                )
                ctx.speaker_offsets.append(expr.span.start)
        return results

    def _resolve_one(self, expr: SpeakerExpression, ctx: _Discourse) -> Resolution:
        span, profiles = expr.span, ctx.profiles
        inside = _between(ctx.mentions, ctx.starts, span.start, span.end)
        inside = [m for m in inside if m.span.end <= span.end]
        # Only a mention at the head of the phrase names the speaker: "some French experts" is not France,
        # "Italy's Defense Ministry" is the ministry. Persons count wherever they stand ("analyst X Y").
        inside = [
            m
            for m in inside
            if _label(profiles, m.entity_id) == "PERSON" or not _ALNUM.search(ctx.text[m.span.end : span.end])
        ]
        if inside:
            people = {m.entity_id for m in inside if _label(profiles, m.entity_id) == "PERSON"}
            if len(people) > 1:
                return Resolution(
                    span=span,
                    quote=expr.quote,
                    entity_id=None,
                    antecedent=None,
                    confidence=0.0,
                    method="joint",
                )
            if people:
                pid = next(iter(people))
                m = next(m for m in reversed(inside) if m.entity_id == pid)
            else:
                m = max(inside, key=lambda m: m.span.end)
            method = "descriptor" if m.label == "PERSON" and _is_descriptor_text(m.text) else "name"
            return Resolution(
                span=span,
                quote=expr.quote,
                entity_id=m.entity_id,
                antecedent=m.span,
                confidence=CONF_NAME if method == "name" else CONF_DESCRIPTOR,
                method=method,
            )
        word = expr.text.strip().lower()
        if word in PRONOUN_GENDER:
            return self._pronoun(expr, PRONOUN_GENDER[word], ctx)
        proper = _proper_name(expr.text)
        return Resolution(
            span=span,
            quote=expr.quote,
            entity_id=None,
            antecedent=None,
            confidence=0.0,
            method="none",
            name=proper,
        )

    def _pronoun(self, expr: SpeakerExpression, gender: Gender, ctx: _Discourse) -> Resolution:
        mentions, starts, sentence_starts, profiles = (
            ctx.mentions,
            ctx.starts,
            ctx.sentence_starts,
            ctx.profiles,
        )
        here = expr.span.start
        sent_here = max(0, bisect.bisect_right(sentence_starts, here) - 1)
        lo_sent = max(0, sent_here - MAX_SENTENCES_BACK)
        lo = sentence_starts[lo_sent] if sentence_starts else 0
        lo = max(lo, here - MAX_CHARS_BACK)
        quote = expr.quote
        talked_about = {m.entity_id for m in _between(mentions, starts, quote.start, quote.end)}
        candidates: list[_Candidate] = []
        for m in _between(mentions, starts, lo, here):
            if quote.start <= m.span.start < quote.end or m.entity_id is None:
                continue
            if _label(profiles, m.entity_id) != "PERSON":
                continue
            subject, speaking = _role_in_clause(ctx.doc, m)
            candidates.append(
                _candidate(m.entity_id, m.span, sentence_starts, subject=subject, speaker=speaking)
            )
        offsets = ctx.speaker_offsets
        candidates.extend(ctx.speakers[bisect.bisect_left(offsets, lo) : bisect.bisect_left(offsets, here)])
        best: tuple[float, int, _Candidate] | None = None
        for c in candidates:
            prof = profiles.get(c.entity_id)
            if prof is not None and prof.gender is not None and prof.gender != gender:
                continue
            if c.entity_id in talked_about:
                continue
            score = -DISTANCE_COST * (sent_here - c.sentence)
            score += SUBJECT_BONUS if c.subject else 0.0
            score += SPEAKER_BONUS if c.speaker else 0.0
            if best is None or (score, c.offset) > (best[0], best[1]):
                best = (score, c.offset, c)
        if best is None:
            return Resolution(
                span=expr.span,
                quote=expr.quote,
                entity_id=None,
                antecedent=None,
                confidence=0.0,
                method="pronoun",
            )
        conf = CONF_PRONOUN if best[0] >= 0 else CONF_PRONOUN * 0.75
        return Resolution(
            span=expr.span,
            quote=expr.quote,
            entity_id=best[2].entity_id,
            antecedent=best[2].span,
            confidence=conf,
            method="pronoun",
        )


def _candidate(
    entity_id: str, span: Span, sentence_starts: Sequence[int], *, subject: bool, speaker: bool
) -> _Candidate:
    """An antecedent candidate at ``span``, with the index of the sentence it stands in."""
    sentence = max(0, bisect.bisect_right(sentence_starts, span.start) - 1)
    return _Candidate(
        entity_id=entity_id, offset=span.start, sentence=sentence, subject=subject, speaker=speaker, span=span
    )


def _between(mentions: Sequence[Mention], starts: Sequence[int], lo: int, hi: int) -> list[Mention]:
    """Mentions starting in [lo, hi), bounded by MAX_MENTIONS_SCANNED so a huge quote stays cheap."""
    first = bisect.bisect_left(starts, lo)
    last = min(bisect.bisect_left(starts, hi), first + MAX_MENTIONS_SCANNED)
    return list(mentions[first:last])


def _label(profiles: Mapping[str, EntityProfile], entity_id: str | None) -> str | None:
    if entity_id is None:
        return None
    prof = profiles.get(entity_id)
    return prof.label if prof is not None else None


def _is_descriptor_text(text: str) -> bool:
    first = text.split()[0].lower() if text.split() else ""
    return first in ("the", "this", "that") or "'s " in text or "’s " in text


def _proper_name(text: str) -> str | None:
    """A speaker written as a proper name that no entity covers keeps that name (titles dropped)."""
    words = text.split()
    if not words or words[0].lower() in _PERSONAL_PRONOUNS or words[0].lower() in ("the", "a", "an", "some"):
        return None
    caps = [w for w in words if w[:1].isupper()]
    if len(caps) != len(words):
        return None
    return text.strip()


_SPEECH_LEMMAS_CACHE: frozenset[str] | None = None


def _speech_lemmas() -> frozenset[str]:
    global _SPEECH_LEMMAS_CACHE
    if _SPEECH_LEMMAS_CACHE is None:
        from .quotes import SPEECH_VERBS

        _SPEECH_LEMMAS_CACHE = SPEECH_VERBS
    return _SPEECH_LEMMAS_CACHE


def _role_in_clause(doc: Any, mention: Mention) -> tuple[bool, bool]:
    """(is the mention a subject?, is it the subject of a speech verb or the object of "according to"?)"""
    if doc is None:
        return False, False
    span = doc.char_span(mention.span.start, mention.span.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return False, False
    root = span.root
    dep = root.dep_
    # A relative clause's subject ("X, who said") and an appositive's anchor carry the role of the noun.
    head = root.head
    if dep in ("nsubj", "nsubjpass"):
        return True, head.lemma_.lower() in _speech_lemmas()
    if dep == "pobj" and head.lower_ == "to" and head.head.lower_ == "according":
        return True, True
    for child in root.children:
        if child.dep_ == "relcl" and any(
            g.dep_ == "nsubj" and g.lower_ in ("who", "that") for g in child.children
        ):
            return True, child.lemma_.lower() in _speech_lemmas()
    if dep == "pobj":
        # "X from University Y, who said" hangs the relative clause on the organisation.
        nxt = root.i + 1
        for tok in root.doc[nxt : min(len(root.doc), nxt + 6)]:
            if tok.dep_ == "relcl" and any(g.lower_ == "who" for g in tok.children):
                return True, tok.lemma_.lower() in _speech_lemmas()
    return False, False
