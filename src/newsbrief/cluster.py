"""Online story clustering: a mixed stream of articles → stories, one article at a time.

Each new article is compared with the recent members of the stories that share its most distinctive terms
(an inverted index, so the cost does not grow with the number of stories) and joins the most similar story when
the similarity reaches :data:`JOIN_THRESHOLD`; otherwise it starts a new story. Nothing already assigned is
moved: the clusterer never re-clusters the past (Story Forest's "without repeatedly restructuring previously
formed stories"; Miranda et al. 2018's streaming setting).

The similarity is a cosine over one sparse vector per article that holds the three kinds of overlap:

- **keywords**: content words of the title and text, log term frequency × an IDF learnt from the stream
  itself (no corpus is shipped), title words counted :data:`TITLE_BOOST` times;
- **entities**: the article's named-entity mentions (from the spaCy pass, when given) as extra terms, boosted
  by :data:`ENTITY_BOOST`: two articles naming the same rare person or place are likely the same story;
- **time**: when both sides are dated, an article more than :data:`TIME_WINDOW_DAYS` from a story's date range
  has its similarity to that story scaled down (a story ends; the same words a year later are a new story).

Sentences seen in more than :data:`TEMPLATE_MIN_COUNT` documents are site templates ("Breaking news emails...",
embed notices), not news: they are left out of the vectors, otherwise they glue unrelated articles together.

Memory is bounded per story (the :data:`MAX_MEMBERS` most recent members are kept for matching), stories idle
for ``max_idle_docs`` articles are closed and forgotten, the document frequencies age (halved every
``max_idle_docs`` articles, so a term not seen for a while drops out: the IDF describes the recent stream) and the
template counter is capped (:data:`MAX_TEMPLATE_KEYS`); the state round-trips through JSON (:meth:`StoryClusterer.state`)
so ``newsbrief cluster --db`` can keep stories current across runs.
"""

from __future__ import annotations

import hashlib
import math
import re
import sys
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .model import Analysis

__all__ = [
    "JOIN_THRESHOLD",
    "Assignment",
    "ClusterDoc",
    "StoryClusterer",
    "cluster_doc",
    "cluster_documents",
]

# Cosine similarity (article vs. its best-matching recent member of a story) at which an article joins the
# story. Chosen on Multi-News test clusters 1000-1499 (benchmarks/cluster.py --start 1000): B-cubed F1 is flat
# between 0.175 and 0.2 and falls on both sides; the benchmark reports clusters 0-499, never used for tuning.
JOIN_THRESHOLD = 0.19
# Terms of an article used to find candidate stories (and indexed for later articles). 30 finds the same
# candidates as the full vector on the development clusters at a fraction of the cost (15 lost 0.002 F1).
INDEX_TERMS = 30
# Terms kept in a stored member vector: the tail beyond 100 adds under 1% of a vector's weight.
VECTOR_TERMS = 100
# Recent members of a story kept for matching; older ones are forgotten (a story drifts; memory stays flat).
MAX_MEMBERS = 12
# Title words count this many times: a headline states the story in few words.
TITLE_BOOST = 2
# An entity mention counts this many times as a keyword would: names identify a story better than words.
ENTITY_BOOST = 2.0
# Days around a story's date range within which time does not weigh; beyond it the similarity decays with
# a half-life of TIME_WINDOW_DAYS more days. A week covers follow-ups of a news event without bridging to
# a separate event on the same subject months later.
TIME_WINDOW_DAYS = 7
# A sentence seen in more documents than this is template text, not news. 1: a sentence shared by two
# distinct articles is already suspicious once exact copies are removed upstream by the near-duplicate
# detector; on the development clusters 1 beats 2 by 0.002 F1 and no limit by 0.005.
TEMPLATE_MIN_COUNT = 1
# Sentences shorter than this many words are not counted as templates (datelines, "Photo: AP").
TEMPLATE_MIN_WORDS = 4
# Cap of the template counter; past it the sentences seen once are forgotten (lossy counting).
MAX_TEMPLATE_KEYS = 200_000
# ... and never more than this many keys per article of the idle window: a template recurs within the window
# or it is not a template of the stream, and a short window (a small batch) should not hold 200,000 keys.
TEMPLATE_KEYS_PER_DOC = 10
# A story that has received no article in the last MAX_IDLE_DOCS articles is closed: its members are forgotten
# (it attracts no more articles and its memory is freed), so a long stream runs in bounded memory. News stories
# run days to weeks; at a monitor's few thousand articles a day, 20,000 articles is about a week. Far above the
# benchmark's stream (about 1,400 documents), so it does not touch the reported scores.
MAX_IDLE_DOCS = 20_000
# How often (in articles) closed stories are swept.
SWEEP_EVERY = 1_000

_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]*")
# A compact English stop-word list (scikit-learn's, which is what the TF-IDF baseline uses), inlined to avoid
# importing scikit-learn on the driver of every batch.
_STOP = frozenset(
    """a about above across after afterwards again against all almost alone along already also although always
    am among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at
    back be became because become becomes becoming been before beforehand behind being below beside besides
    between beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do
    done down due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone
    everything everywhere except few fifteen fifty fill find fire first five for former formerly forty found
    four from front full further get give go had has hasnt have he hence her here hereafter hereby herein
    hereupon hers herself him himself his how however hundred i ie if in inc indeed interest into is it its
    itself keep last latter latterly least less ltd made many may me meanwhile might mill mine more moreover
    most mostly move much must my myself name namely neither never nevertheless next nine no nobody none noone
    nor not nothing now nowhere of off often on once one only onto or other others otherwise our ours
    ourselves out over own part per perhaps please put rather re same see seem seemed seeming seems serious
    several she should show side since sincere six sixty so some somehow someone something sometime sometimes
    somewhere still such system take ten than that the their them themselves then thence there thereafter
    thereby therefore therein thereupon these they thick thin third this those though three through
    throughout thru thus to together too top toward towards twelve twenty two un under until up upon us very
    via was we well were what whatever when whence whenever where whereafter whereas whereby wherein
    whereupon wherever whether which while whither who whoever whole whom whose why will with within without
    would yet you your yours yourself yourselves said says say""".split()  # noqa: SIM905 - a word list reads best as text
)


@dataclass(frozen=True, slots=True, kw_only=True)
class ClusterDoc:
    """What the clusterer reads of one article: its text, title, entity names and date (ISO, if known)."""

    key: str
    text: str
    title: str | None = None
    entities: tuple[str, ...] = ()
    date: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Assignment:
    """Where an article went: its story, the similarity that decided it (0 for a new story), and if new."""

    key: str
    story: str
    similarity: float
    new: bool


def cluster_doc(analysis: Analysis, key: str | None = None) -> ClusterDoc:
    """The clusterer's view of an analysed article: text, title, entity mentions and publication date."""
    article = analysis.article
    return ClusterDoc(
        key=key or article.content_hash or article.id,
        text=article.text,
        title=article.title,
        entities=tuple(m.text for m in analysis.mentions),
        date=article.published.date if article.published else None,
    )


def _terms(text: str) -> list[str]:
    """Content words, lower-cased, possessives and plural -s stripped (a crude stem that keeps names whole)."""
    out: list[str] = []
    for match in _TOKEN.finditer(text.lower()):
        word = match.group().replace("’", "'").strip("'-")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 3 or word in _STOP:
            continue
        if len(word) > 4 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            word = word[:-1]
        out.append(sys.intern(word))  # one copy of each term, however many stored vectors hold it
    return out


def _entity_term(name: str) -> str | None:
    words = [w for w in _TOKEN.findall(name.lower()) if w not in {"the", "a", "an"}]
    return sys.intern("@" + " ".join(words)) if words else None


def _sentence_key(sentence: str) -> int | None:
    terms = _terms(sentence)
    if len(sentence.split()) < TEMPLATE_MIN_WORDS or not terms:
        return None
    digest = hashlib.blake2b(" ".join(terms).encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1  # 63 bits: fits SQLite's and JSON's integers


def _day(iso: str | None) -> int | None:
    """Day number of an ISO date (YYYY-MM-DD; a month or year is taken at its first day), or None."""
    if not iso:
        return None
    parts = iso.split("-")
    try:
        return date(
            int(parts[0]), int(parts[1]) if len(parts) > 1 else 1, int(parts[2]) if len(parts) > 2 else 1
        ).toordinal()
    except (ValueError, IndexError):
        return None


@dataclass(slots=True)
class _Member:
    key: str
    story: str
    terms: tuple[str, ...]  # the stored vector as parallel term / weight arrays: a fifth of a dict's memory
    weights: array[float]
    index_terms: tuple[str, ...]


@dataclass(slots=True)
class _Story:
    id: str
    size: int = 0
    first_day: int | None = None
    last_day: int | None = None
    last_doc: int = 0
    members: list[int] = field(default_factory=list)  # at most MAX_MEMBERS: a list is a tenth of a deque

    def gap_days(self, day: int | None) -> int:
        if day is None or self.first_day is None or self.last_day is None:
            return 0
        return max(0, self.first_day - day, day - self.last_day)


class StoryClusterer:
    """Online story clustering; :meth:`add` places one article and never moves earlier ones.

    Mutable on purpose (it is the running state of a stream, like a file position); everything it returns
    is frozen.
    """

    def __init__(
        self,
        *,
        threshold: float = JOIN_THRESHOLD,
        index_terms: int = INDEX_TERMS,
        max_members: int = MAX_MEMBERS,
        time_window_days: int = TIME_WINDOW_DAYS,
        entity_boost: float = ENTITY_BOOST,
        max_idle_docs: int = MAX_IDLE_DOCS,
    ) -> None:
        self.threshold = threshold
        self.max_idle_docs = max_idle_docs
        self.index_terms = index_terms
        self.max_members = max_members
        self.time_window_days = time_window_days
        self.entity_boost = entity_boost
        self._df: Counter[str] = Counter()
        self._df_docs = 0  # the documents ``_df`` counts (aged with it)
        self._docs = 0
        self._templates: Counter[int] = Counter()
        self.max_template_keys = min(MAX_TEMPLATE_KEYS, TEMPLATE_KEYS_PER_DOC * max_idle_docs)
        self._stories: dict[str, _Story] = {}  # the open stories
        self._story_total = 0
        self._members: dict[int, _Member] = {}
        # term -> numbers of the members indexed under it (lists: most hold one or two numbers, and a list of
        # one costs a third of a set of one)
        self._index: dict[str, list[int]] = {}
        self._next_member = 0

    # -- placing articles

    def add(self, doc: ClusterDoc) -> Assignment:
        """Put ``doc`` into the most similar story, or start a new one."""
        counts = self._counts(doc)
        self._docs += 1
        self._df_docs += 1
        self._df.update(counts.keys())
        vector = self._vector(counts)
        day = _day(doc.date)
        best, similarity = self._best_story(vector, day)
        if best is None or similarity < self.threshold:
            self._story_total += 1
            story = _Story(id=f"s{self._story_total}")
            self._stories[story.id] = story
            new, similarity = True, 0.0
        else:
            story, new = self._stories[best], False
        self._remember(doc.key, story, vector, day)
        if self._docs % max(1, min(SWEEP_EVERY, self.max_idle_docs)) == 0:
            self._close_idle()
        return Assignment(key=doc.key, story=story.id, similarity=round(similarity, 6), new=new)

    def extend(self, docs: Iterable[ClusterDoc]) -> Iterator[Assignment]:
        for doc in docs:
            yield self.add(doc)

    def _counts(self, doc: ClusterDoc) -> Counter[str]:
        counts: Counter[str] = Counter()
        for sentence in _SENTENCE.findall(doc.text):
            key = _sentence_key(sentence)
            if key is not None:
                self._templates[key] += 1
                if self._templates[key] > TEMPLATE_MIN_COUNT:
                    continue
            counts.update(_terms(sentence))
        if len(self._templates) > self.max_template_keys:
            self._templates = Counter({k: c for k, c in self._templates.items() if c > 1})
        if doc.title:
            for _ in range(TITLE_BOOST):
                counts.update(_terms(doc.title))
        for name in doc.entities:
            term = _entity_term(name)
            if term is not None:
                counts[term] += 1
        return counts

    def _idf(self, term: str) -> float:
        return math.log((self._df_docs + 1) / (self._df[term] + 1)) + 1.0

    def _vector(self, counts: Counter[str]) -> dict[str, float]:
        weights = {
            t: (1.0 + math.log(c)) * self._idf(t) * (self.entity_boost if t.startswith("@") else 1.0)
            for t, c in counts.items()
        }
        top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:VECTOR_TERMS]
        norm = math.sqrt(sum(w * w for _, w in top)) or 1.0
        return {t: w / norm for t, w in top}

    def _best_story(self, vector: dict[str, float], day: int | None) -> tuple[str | None, float]:
        candidates: set[int] = set()
        for term in list(vector)[: self.index_terms]:
            candidates.update(self._index.get(term, ()))
        scores: dict[str, float] = {}
        for number in sorted(candidates):
            member = self._members[number]
            sim = sum(vector.get(t, 0.0) * w for t, w in zip(member.terms, member.weights, strict=True))
            if sim > scores.get(member.story, 0.0):
                scores[member.story] = sim
        best: str | None = None
        best_score = 0.0
        for story_id, score in scores.items():
            gap = self._stories[story_id].gap_days(day) - self.time_window_days
            if gap > 0:
                score *= 0.5 ** (gap / max(1, self.time_window_days))
            # Ties go to the older story (lower number): deterministic whatever the set order.
            if score > best_score or (
                score == best_score and best is not None and _story_no(story_id) < _story_no(best)
            ):
                best, best_score = story_id, score
        return best, best_score

    def _remember(self, key: str, story: _Story, vector: dict[str, float], day: int | None) -> None:
        number = self._next_member
        self._next_member += 1
        terms = tuple(list(vector)[: self.index_terms])
        self._members[number] = _Member(
            key=key,
            story=story.id,
            terms=tuple(vector),
            weights=array("d", vector.values()),
            index_terms=terms,
        )
        for term in terms:
            self._index.setdefault(term, []).append(number)
        story.members.append(number)
        story.size += 1
        story.last_doc = self._docs
        if day is not None:
            story.first_day = day if story.first_day is None else min(story.first_day, day)
            story.last_day = day if story.last_day is None else max(story.last_day, day)
        while len(story.members) > self.max_members:
            self._forget(story.members.pop(0))

    def _close_idle(self) -> None:
        """Forget stories idle for more than ``max_idle_docs`` articles, and age the document frequencies."""
        idle = [s for s in self._stories.values() if self._docs - s.last_doc > self.max_idle_docs]
        for story in idle:
            for number in story.members:
                self._forget(number)
            del self._stories[story.id]
        if self._df_docs >= 2 * self.max_idle_docs:
            self._age_df()

    def _age_df(self) -> None:
        """Halve the document frequencies and their document count; terms left at zero are dropped.

        The ratio that the IDF reads is kept, while a term seen once more than a window or two ago leaves the
        table: without ageing it would hold every word the stream ever used (about 4,500 new terms per 1,000
        Multi-News documents, never levelling off).
        """
        self._df = Counter({t: c // 2 for t, c in self._df.items() if c > 1})
        self._df_docs //= 2

    def _forget(self, number: int) -> None:
        member = self._members.pop(number)
        for term in member.index_terms:
            bucket = self._index.get(term)
            if bucket is not None and number in bucket:
                bucket.remove(number)
                if not bucket:
                    del self._index[term]

    # -- inspection and persistence

    @property
    def member_count(self) -> int:
        """Articles currently remembered for matching (bounded per story and by the idle window)."""
        return len(self._members)

    @property
    def story_count(self) -> int:
        """Stories started so far (open or closed)."""
        return self._story_total

    @property
    def document_count(self) -> int:
        return self._docs

    def story_sizes(self) -> dict[str, int]:
        """Articles per open story."""
        return {s.id: s.size for s in self._stories.values()}

    def state(self) -> dict[str, Any]:
        """The whole running state as JSON-ready data (``from_state`` restores it exactly)."""
        return {
            "version": 1,
            "settings": {
                "threshold": self.threshold,
                "index_terms": self.index_terms,
                "max_members": self.max_members,
                "time_window_days": self.time_window_days,
                "entity_boost": self.entity_boost,
                "max_idle_docs": self.max_idle_docs,
            },
            "docs": self._docs,
            "df_docs": self._df_docs,
            "story_total": self._story_total,
            "df": dict(self._df),
            "templates": [[k, c] for k, c in self._templates.items()],
            "next_member": self._next_member,
            "stories": [
                {
                    "id": s.id,
                    "size": s.size,
                    "first_day": s.first_day,
                    "last_day": s.last_day,
                    "last_doc": s.last_doc,
                    "members": list(s.members),
                }
                for s in self._stories.values()
            ],
            "members": [
                {
                    "n": n,
                    "key": m.key,
                    "story": m.story,
                    "vector": dict(zip(m.terms, m.weights, strict=True)),
                    "index": list(m.index_terms),
                }
                for n, m in self._members.items()
            ],
        }

    @classmethod
    def from_state(cls, state: dict[str, Any]) -> StoryClusterer:
        if state.get("version") != 1:
            raise ValueError(f"unknown clusterer state version {state.get('version')!r}")
        self = cls(**state["settings"])
        self._docs = int(state["docs"])
        self._df_docs = int(state.get("df_docs", self._docs))
        self._df = Counter({str(k): int(v) for k, v in state["df"].items()})
        self._templates = Counter({int(k): int(c) for k, c in state["templates"]})
        self._next_member = int(state["next_member"])
        for s in state["stories"]:
            self._stories[s["id"]] = _Story(
                id=s["id"],
                size=s["size"],
                first_day=s["first_day"],
                last_day=s["last_day"],
                last_doc=int(s.get("last_doc", 0)),
                members=[int(n) for n in s["members"]],
            )
        self._story_total = int(
            state.get("story_total", max((_story_no(s) for s in self._stories), default=0))
        )
        for m in state["members"]:
            number = int(m["n"])
            terms = tuple(sys.intern(t) for t in m["index"])
            self._members[number] = _Member(
                key=m["key"],
                story=m["story"],
                terms=tuple(sys.intern(t) for t in m["vector"]),
                weights=array("d", (float(w) for w in m["vector"].values())),
                index_terms=terms,
            )
            for term in terms:
                self._index.setdefault(term, []).append(number)
        return self


def _story_no(story_id: str) -> int:
    return int(story_id[1:])


def cluster_documents(docs: Sequence[ClusterDoc] | Iterable[ClusterDoc], **options: Any) -> list[Assignment]:
    """Cluster ``docs`` in order with a fresh :class:`StoryClusterer`; one assignment per document."""
    clusterer = StoryClusterer(**options)
    return list(clusterer.extend(docs))
