"""The story timeline: dated mentions per article, dates for undated articles, and the selected events.

Three stages, run by :mod:`newsbrief.briefing` in this order:

* :func:`date_undated_articles` (story stage) dates an article that still has no publication date by matching
  the events it reports against dated sentences of the other articles;
* :func:`find_times` (per article) resolves every time expression of an article against its publication date;
* :func:`build_timeline` (story stage) turns the dated sentences of all articles into events: the same event
  reported by several outlets is merged, conflicting dates for one event are kept as a disputed pair, and the
  events are selected in the manner of DATEWISE (Ghalandari & Ifrim 2020): dates are ranked by how often the
  articles mention them, and each selected date is summarised by its most central sentence.

The selection pieces (:func:`rank_dates`, :func:`summarize_date`) are public so the Timeline17 benchmark runs the
same code with the benchmark's day-level settings.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import functools
import math
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from .errors import diagnostic
from .model import Analysis, Event, Granularity, PublishedDate, Sentence, Span, Story, TimeMention
from .temporal import TimeExpression, find_time_expressions, on_stamp_line, resolve_time

__all__ = [
    "Candidate",
    "build_timeline",
    "collect_candidates",
    "date_undated_articles",
    "find_times",
    "rank_dates",
    "summarize_date",
]

STAGE_DATING = "dates.story.v1"  # the registry name briefing.py gives date_undated_articles

# ------------------------------------------------------------------------------------------------ settings

# Dates before this year are kept only when the year is written out ("in 1812"), never from "200 years ago".
EARLIEST_IMPLICIT_YEAR = 1900
# A date this far after the article is kept only when written out ("in 2030"), never from "in 20 years".
FUTURE_IMPLICIT_DAYS = 366
# A narrative "three days later" is anchored to a date written at most this many sentences before it.
NARRATIVE_ANCHOR_SENTENCES = 1
# Sentences shorter than this (in words) are captions or fragments, not events.
MIN_EVENT_WORDS = 6
# An event line longer than this many words is cut down to the clauses around its date.
MAX_LINE_WORDS = 32
# Two sentences with compatible dates describe the same event above this similarity (IDF-weighted cosine of
# content words). Chosen on hand-written pairs: paraphrases of one meeting by two outlets score 0.25-0.5,
# different events of the same story on the same month 0.05-0.2.
SAME_EVENT_SIMILARITY = 0.22
# Reports of one event by different articles often share only the few words around the date ("the minister
# will travel to Paris in May" / "the minister's visit to Paris on May 3"); across articles, and for dates at
# least as precise as a month, this lower similarity of the clause around the date is enough.
SAME_EVENT_LOCAL_SIMILARITY = 0.3
# Across articles, clauses around compatible dates (month or day) that share this many content words (usually
# the actors and places: "minister ... Paris ... May") report the same event.
SAME_EVENT_SHARED_WORDS = 2
# Members of an event compared with a new sentence (an event reported 100 times needs no 100 comparisons).
MAX_COMPARED_MEMBERS = 12
# A word in more than this share of the story's sentences (and more than COMMON_WORD_MIN_SENTENCES) is too
# common to suggest that two sentences report the same event; it still counts in the similarity itself.
COMMON_WORD_SHARE = 0.02
COMMON_WORD_MIN_SENTENCES = 20
# Up to this many events (or dated sentences) every pair is compared; beyond, only pairs found through the
# word index below, which keeps large stories near-linear.
EXHAUSTIVE_GROUPS = 300
# Sentences (and events) are compared only when they share this many distinctive words (or the article and
# the day): a same-event pair always shares at least the actor and the action.
INDEX_SHARED_WORDS = 2
# Two expressions of one sentence at most this many characters apart name the same time.
ADJACENT_CHARS = 8
# Characters either side of a date that make its clause for that comparison.
LOCAL_CHARS = 60
# Two sentences with conflicting dates are one event reported with different dates (a dispute) above this.
DISPUTE_SIMILARITY = 0.5
# ... and when the two dates are at most this far apart (a wrong weekday, a month slip); further apart, similar
# sentences are a recurring event ("two soldiers were killed in Basra") rather than a disagreement.
DISPUTE_MAX_DAYS = 62
# An undated article is dated by a dated sentence of another article above this similarity...
MATCH_SIMILARITY = 0.2
# ... when the matches for the winning month add up to at least this much.
MATCH_TOTAL = 0.5
# Confidence of a date inferred from other articles: below any stated date and below content dating.
MATCH_CONFIDENCE_MAX = 0.5
MATCH_CONFIDENCE_MIN = 0.2


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Articles whose time expressions are kept between find_times and build_timeline (a story's worth).
EXPRESSION_CACHE_SIZE = 512

_GRANULARITY_RANK = {"year": 0, "month": 1, "day": 2}
# Expressions whose resolution needs the day of the reference (coarsened when only the month is known).
_DAY_RELATIVE_UNITS = frozenset({"day", "week", "weekend", "morning", "afternoon", "evening", "night"})

_STOPWORDS = _words(
    """a about above after again against all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have having he
    her here hers herself him himself his how i if in into is it its itself just me more most my myself no nor
    not now of off on once only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under until up very was we
    were what when where which while who whom why will with would you your yours yourself yourselves said says
    say told according would could may might also one two three four five six seven eight nine ten year years
    month months week weeks day days time last next first new monday tuesday wednesday thursday friday saturday
    sunday january february march april may june july august september october november december mr ms mrs
    percent people since ago earlier later today yesterday tomorrow"""
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]+")


@functools.lru_cache(
    maxsize=16_384
)  # bounded like summarize.tokenize.stem: a long batch meets new words forever
def _stem(word: str) -> str:
    """A crude stem so that "visit", "visits" and "visited" meet; enough for overlap counting."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    for suffix, keep in (("ies", 4), ("ing", 5), ("ed", 4), ("es", 4), ("s", 3)):
        if w.endswith(suffix) and len(w) - len(suffix) >= keep - 1 and not w.endswith("ss"):
            return w[: -len(suffix)]
    return w


def content_words(text: str) -> frozenset[str]:
    """The stemmed content words of ``text`` (no stopwords, no dates)."""
    return frozenset(_stem(t) for t in _TOKEN.findall(text) if t.lower() not in _STOPWORDS and len(t) > 2)


class _Idf:
    """Inverse document frequency over sentences, for similarity weights (squared weights and norms cached)."""

    def __init__(self, documents: Iterable[frozenset[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for doc in documents:
            df.update(doc)
            n += 1
        self.n = max(n, 1)
        self.df = df
        self._unseen = (math.log(self.n + 1) + 1.0) ** 2
        self._w2: dict[str, float] = {w: (math.log((self.n + 1) / (k + 1)) + 1.0) ** 2 for w, k in df.items()}
        self._norms: dict[frozenset[str], float] = {}

    def weight(self, word: str) -> float:
        return math.sqrt(self._w2.get(word, self._unseen))

    def _norm(self, words: frozenset[str]) -> float:
        norm = self._norms.get(words)
        if norm is None:
            w2 = self._w2
            unseen = self._unseen
            norm = self._norms[words] = math.sqrt(sum(w2.get(w, unseen) for w in words))
        return norm

    def cosine(self, a: frozenset[str], b: frozenset[str]) -> float:
        if not a or not b:
            return 0.0
        shared = a & b
        if not shared:
            return 0.0
        w2 = self._w2
        unseen = self._unseen
        return sum(w2.get(w, unseen) for w in shared) / (self._norm(a) * self._norm(b))


# --------------------------------------------------------------------------------------------- find_times


def parse_reference(value: str) -> tuple[date, Granularity] | None:
    """The reference day and precision of an ISO date ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``."""
    parts = value.strip()[:10].split("-")
    try:
        year = int(parts[0])
        if len(parts) >= 3:
            return date(year, int(parts[1]), int(parts[2])), "day"
        if len(parts) == 2:
            return date(year, int(parts[1]), 15), "month"  # the middle: weekdays land in the right month
        return date(year, 7, 1), "year"
    except (ValueError, IndexError):
        return None


@functools.lru_cache(maxsize=EXPRESSION_CACHE_SIZE)
def _expressions(text: str, bounds: tuple[tuple[int, int], ...] | None) -> tuple[TimeExpression, ...]:
    """The expressions of one article, computed once for find_times and the timeline."""
    return tuple(find_time_expressions(text, bounds))


def _day_relative(expr: TimeExpression) -> bool:
    if expr.kind == "weekday" or expr.weekday is not None:
        return True
    if expr.kind != "relative":
        return False
    if expr.relation in {"yesterday", "today", "tonight", "tomorrow", "last night", "day before yesterday"}:
        return True
    if expr.relation == "day after tomorrow":
        return True
    return expr.unit in _DAY_RELATIVE_UNITS


def _month_relative(expr: TimeExpression) -> bool:
    return expr.kind == "relative" and expr.unit in {"month", "month-name"} and expr.explicit_year is None


def _coarsen(iso: str, granularity: str, precision: str) -> tuple[str, Granularity]:
    if _GRANULARITY_RANK[granularity] <= _GRANULARITY_RANK[precision]:
        return iso, granularity  # type: ignore[return-value]
    keep = 7 if precision == "month" else 4
    return iso[:keep], precision  # type: ignore[return-value]


def _sentence_index(sentences: Sequence[Sentence], starts: Sequence[int], pos: int) -> int:
    i = bisect_right(starts, pos) - 1
    if i >= 0 and sentences[i].span.start <= pos < sentences[i].span.end:
        return sentences[i].index
    return -1


def find_times(analysis: Analysis) -> Analysis:
    """Resolve every time expression of the article against its publication date (``analysis.times``).

    Articles without a publication date are returned unchanged. With a month-precision date, expressions that
    need the day ("Saturday", "yesterday") resolve to the month only. Page-clock and date-stamp lines are
    metadata, not content, and are skipped.
    """
    article = analysis.article
    if article.published is None:
        return analysis
    parsed = parse_reference(article.published.date)
    if parsed is None:
        return analysis
    reference, precision = parsed
    text = article.text
    bounds = [(s.span.start, s.span.end) for s in analysis.sentences] or None
    mentions: list[TimeMention] = []
    starts = [s.span.start for s in analysis.sentences]
    anchors: list[tuple[int, date, str]] = []  # (sentence index, date, granularity) of written dates
    for expr in _expressions(text, tuple(bounds) if bounds else None):
        if on_stamp_line(text, expr.start, expr.end):
            continue
        sentence_index = _sentence_index(analysis.sentences, starts, expr.start)
        ref = reference
        narrative = (
            expr.kind == "relative" and expr.relation in {"later", "earlier"} and expr.count is not None
        )
        if narrative:
            near = [a for a in anchors if 0 <= sentence_index - a[0] <= NARRATIVE_ANCHOR_SENTENCES]
            if near:
                ref = near[-1][1]
        resolved = resolve_time(expr, ref)
        if resolved is None:
            continue
        iso, granularity = resolved.date, resolved.granularity
        if precision != "day" and (
            _day_relative(expr) or (precision == "year" and _month_relative(expr)) or narrative
        ):
            iso, granularity = _coarsen(iso, granularity, precision)
        first = parse_reference(iso)
        if first is None:
            continue
        explicit = expr.explicit_year is not None
        if not explicit and first[0].year < EARLIEST_IMPLICIT_YEAR:
            continue
        if not explicit and first[0] - reference > timedelta(days=FUTURE_IMPLICIT_DAYS):
            continue
        if explicit and expr.kind in {"absolute", "month"}:
            anchors.append((sentence_index, first[0], granularity))
        mentions.append(
            TimeMention(
                span=Span(article_id=article.id, start=expr.start, end=expr.end),
                as_written=expr.text,
                date=iso,
                granularity=granularity,  # type: ignore[arg-type]
                sentence_index=sentence_index,
            )
        )
    return dataclasses.replace(analysis, times=tuple(mentions))


# ------------------------------------------------------------------------------------------- candidates


@dataclass(frozen=True, slots=True, kw_only=True)
class Candidate:
    """One dated sentence: the raw material of timeline events."""

    article_id: str
    outlet: str
    date: str
    granularity: Granularity
    sentence: Sentence
    words: frozenset[str]
    as_written: str
    expr_start: int
    expr_end: int
    published: _dt.date | None
    kind: str = "mention"  # "mention" (a date written in it) or "published" (undated, dated by its article)
    explicit: bool = False
    local: frozenset[str] = frozenset()  # content words of the clause around the date


def collect_candidates(
    analyses: Sequence[Analysis],
    *,
    include_durations: bool = False,
    lead_sentences: int = 0,
    lead_days: int = 2,
) -> list[Candidate]:
    """The dated sentences of ``analyses`` (from ``analysis.times``), one per (sentence, date).

    With ``lead_sentences`` > 0, the first sentences of an article that state no date are also candidates for
    its publication day and the ``lead_days - 1`` days before it (DATEWISE's "PM" collector: a news lead reports
    what just happened).
    """
    out: list[Candidate] = []
    for analysis in analyses:
        article = analysis.article
        if lead_sentences > 0:
            out.extend(_lead_candidates(analysis, lead_sentences, lead_days))
        if not analysis.times:
            continue
        by_index = {s.index: s for s in analysis.sentences}
        bounds = tuple((s.span.start, s.span.end) for s in analysis.sentences) or None
        expressions = {(e.start, e.end): e for e in _expressions(article.text, bounds)}
        reference = parse_reference(article.published.date) if article.published else None
        published = reference[0] if reference else None
        seen: set[tuple[int, str]] = set()
        for mention in analysis.times:
            sentence = by_index.get(mention.sentence_index)
            if sentence is None:
                continue
            expr = expressions.get((mention.span.start, mention.span.end))
            if expr is not None and expr.kind == "duration" and not include_durations:
                continue
            if (sentence.index, mention.date) in seen:
                continue
            seen.add((sentence.index, mention.date))
            if len(sentence.text.split()) < MIN_EVENT_WORDS:
                continue
            out.append(
                Candidate(
                    article_id=article.id,
                    outlet=article.outlet or article.source,
                    date=mention.date,
                    granularity=mention.granularity,
                    sentence=sentence,
                    words=content_words(sentence.text),
                    as_written=mention.as_written,
                    expr_start=mention.span.start,
                    expr_end=mention.span.end,
                    published=published,
                    explicit=bool(expr is not None and expr.explicit_year is not None),
                    local=content_words(_window(article.text, sentence.span, mention.span)),
                )
            )
    return out


def _lead_candidates(analysis: Analysis, n: int, days: int) -> list[Candidate]:
    article = analysis.article
    reference = parse_reference(article.published.date) if article.published else None
    if reference is None or reference[1] != "day":
        return []
    dated = {m.sentence_index for m in analysis.times}
    out = []
    for sentence in analysis.sentences[:n]:
        if sentence.index in dated or len(sentence.text.split()) < MIN_EVENT_WORDS:
            continue
        words = content_words(sentence.text)
        for back in range(days):
            day = reference[0] - timedelta(days=back)
            out.append(
                Candidate(
                    article_id=article.id,
                    outlet=article.outlet or article.source,
                    date=day.isoformat(),
                    granularity="day",
                    sentence=sentence,
                    words=words,
                    as_written="",
                    expr_start=sentence.span.start,
                    expr_end=sentence.span.start,
                    published=reference[0],
                    kind="published",
                    local=words,
                )
            )
    return out


def _window(text: str, sentence: Span, expr: Span) -> str:
    """The words of the sentence within LOCAL_CHARS of the date expression."""
    start = max(sentence.start, expr.start - LOCAL_CHARS)
    end = min(sentence.end, expr.end + LOCAL_CHARS)
    return text[start:end]


def _compatible(a: str, b: str) -> bool:
    """Whether two ISO dates of any granularity can denote the same time ("2011-05" and "2011-05-02")."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def _conflicting(a: Candidate, b: Candidate) -> bool:
    """Different dates at the same granularity (or a day outside the other's month)."""
    return not _compatible(a.date, b.date) and a.granularity != "year" and b.granularity != "year"


# ------------------------------------------------------------------------------------ DATEWISE selection


def rank_dates(candidates: Sequence[Candidate]) -> list[tuple[str, float]]:
    """Dates ranked by importance: how many articles and sentences mention them (DATEWISE's MentionCount),
    counting each article once per date so that one long article cannot dominate, plus a small preference for
    precise dates. Returns ``(date, score)`` best first.
    """
    sentences: Counter[str] = Counter()
    articles: dict[str, set[str]] = defaultdict(set)
    for c in candidates:
        sentences[c.date] += 1
        articles[c.date].add(c.article_id)
    scored = []
    for d, n in sentences.items():
        precision = len(d.split("-")) - 1  # 0 year, 1 month, 2 day
        scored.append((d, 2.0 * len(articles[d]) + math.log1p(n) + 0.25 * precision))
    scored.sort(key=lambda x: (-x[1], x[0]))
    return scored


def summarize_date(
    candidates: Sequence[Candidate], k: int, idf: _Idf | None = None, *, max_similarity: float = 0.7
) -> list[Candidate]:
    """The ``k`` most central sentences of one date (closest to the date's word centroid, as DATEWISE's
    centroid summarizer), skipping near-duplicates of sentences already chosen.
    """
    if not candidates:
        return []
    idf = idf or _Idf(c.words for c in candidates)
    centroid: Counter[str] = Counter()
    for c in candidates:
        for w in c.words:
            centroid[w] += 1
    weights = {w: n * idf.weight(w) for w, n in centroid.items()}
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0

    def score(c: Candidate) -> float:
        if not c.words:
            return 0.0
        dot = sum(weights.get(w, 0.0) * idf.weight(w) for w in c.words)
        own = math.sqrt(sum(idf.weight(w) ** 2 for w in c.words))
        # Sentences that state the date themselves are better summaries than those dated by their article.
        return dot / (norm * own) * (1.0 if c.kind == "mention" else 0.9)

    ranked = sorted(candidates, key=lambda c: (-score(c), c.article_id, c.sentence.index))
    chosen: list[Candidate] = []
    for c in ranked:
        if len(chosen) >= k:
            break
        if any(idf.cosine(c.words, o.words) > max_similarity for o in chosen):
            continue
        chosen.append(c)
    return chosen


# ------------------------------------------------------------------------------------------ event lines

_CLAUSE_CUT = re.compile(r"\s*[;:—–]\s+|,\s+|\s+\(|\)\s*")
_LEFT_CUT_WORDS = _words("that which who of on with for about to and but while as")
_CLAUSE_WORDS = _words("that which who when while as but and")
_PHRASE_WORDS = _words("of on with for about to from by")


def event_line(text: str, start: int, end: int, expr_start: int, expr_end: int) -> tuple[str, int, int]:
    """A readable one-line summary of the sentence ``text[start:end]`` around the date at ``expr_start``:
    the sentence itself when short, else the clauses around the date; always words of the text (extractive).
    Returns the line and the offsets of the span it was taken from.
    """
    sentence = text[start:end]
    words = sentence.split()
    if len(words) <= MAX_LINE_WORDS:
        return _tidy(sentence), start, end
    # Clause pieces, never cutting inside the date expression itself.
    cuts = [
        (m.start() + start, m.end() + start)
        for m in _CLAUSE_CUT.finditer(sentence)
        if not (expr_start - 1 <= m.start() + start < expr_end)
    ]
    pieces: list[tuple[int, int]] = []
    cursor = start
    for a, b in cuts:
        if a > cursor:
            pieces.append((cursor, a))
        cursor = b
    if cursor < end:
        pieces.append((cursor, end))
    if not pieces:
        return _tidy(sentence), start, end
    home = next((i for i, (a, b) in enumerate(pieces) if a <= expr_start < b), 0)
    lo = hi = home

    def n_words(i: int, j: int) -> int:
        return len(text[pieces[i][0] : pieces[j][1]].split())

    # Grow towards the subject first (a clause starting "which"/"when" needs what it refers to).
    while n_words(lo, hi) < 12 or text[pieces[lo][0] : pieces[lo][1]].split()[0].lower() in _LEFT_CUT_WORDS:
        if lo > 0 and n_words(lo - 1, hi) <= MAX_LINE_WORDS + 8:
            lo -= 1
        elif hi + 1 < len(pieces) and n_words(lo, hi + 1) <= MAX_LINE_WORDS:
            hi += 1
        else:
            break
    a, b = pieces[lo][0], pieces[hi][1]
    chunk = text[a:b]
    chunk_words = chunk.split()
    if len(chunk_words) > MAX_LINE_WORDS:
        # Keep the date and the rest of its clause; start at a clause or phrase boundary so the line reads.
        spans = [(m.start(), m.end()) for m in re.finditer(r"\S+", chunk)]
        date_word = next((i for i, (x, _) in enumerate(spans) if a + x >= expr_start), len(spans) - 1)
        last = min(len(spans), max(date_word + 6, MAX_LINE_WORDS))
        first = max(0, last - MAX_LINE_WORDS)
        for cut_words in (_CLAUSE_WORDS, _PHRASE_WORDS):
            starts = [
                i
                for i in range(max(1, last - MAX_LINE_WORDS), date_word - 3)
                if chunk_words[i - 1].lower().strip(",") in cut_words
            ]
            if starts:
                first = starts[0]
                break
        a, b = a + spans[first][0], a + spans[last - 1][1]
    line = _tidy(text[a:b])
    if a > start:
        line = "…" + line
    if b < end:
        line = line.rstrip(",;:") + "…"
    return line, a, b


def _tidy(text: str) -> str:
    line = re.sub(r"\s+", " ", text).strip()
    line = line.strip("•·*- ")
    return line


# ------------------------------------------------------------------------------------------ build_timeline


@dataclass(slots=True, eq=False)  # mutable while grouping; compared by identity
class _Group:
    members: list[Candidate]
    date: str
    granularity: str

    def articles(self) -> set[str]:
        return {m.article_id for m in self.members}


def _more_precise(a: str, b: str) -> str:
    return a if len(a) >= len(b) else b


def _group_events(candidates: Sequence[Candidate], idf: _Idf) -> list[_Group]:
    """Same event, several sentences (and outlets): compatible dates and similar words, or one article's
    sentences on the same day. Only groups sharing a distinctive word (or the day and the article) are compared,
    so the cost stays near-linear in the number of dated sentences."""
    groups: list[_Group] = []
    by_date: dict[str, list[_Group]] = defaultdict(list)  # exact date -> groups
    by_word: dict[str, list[_Group]] = defaultdict(list)  # content word -> groups with it
    common = _common_words(idf)
    # Precise dates first, so that a month mention joins the day it belongs to.
    order = sorted(candidates, key=lambda c: (-_GRANULARITY_RANK[c.granularity], c.date, c.article_id))
    for c in order:
        shared: Counter[int] = Counter()
        pool: dict[int, _Group] = {}
        for w in (c.words | c.local) - common:
            for g in by_word.get(w, ()):
                shared[id(g)] += 1
                pool[id(g)] = g
        for g in by_date.get(c.date, ()):
            if any(m.article_id == c.article_id for m in g.members[:MAX_COMPARED_MEMBERS]):
                shared[id(g)] += INDEX_SHARED_WORDS
                pool[id(g)] = g
        exhaustive = len(groups) <= EXHAUSTIVE_GROUPS
        best: _Group | None = None
        best_sim = 0.0
        for g in groups if exhaustive else pool.values():
            if not exhaustive and shared[id(g)] < INDEX_SHARED_WORDS:
                continue
            if not _compatible(g.date, c.date):
                continue
            sim = _join_similarity(c, g, idf)
            if sim >= SAME_EVENT_SIMILARITY and sim > best_sim:
                best, best_sim = g, sim
        if best is None:
            best = _Group(members=[c], date=c.date, granularity=c.granularity)
            groups.append(best)
            by_date[c.date].append(best)
        else:
            best.members.append(c)
        if len(best.members) <= MAX_COMPARED_MEMBERS:
            for w in (c.words | c.local) - common:
                postings = by_word[w]
                if not postings or postings[-1] is not best:
                    postings.append(best)
    return groups


def _join_similarity(c: Candidate, g: _Group, idf: _Idf) -> float:
    members = g.members[:MAX_COMPARED_MEMBERS]
    if any(m.sentence is c.sentence and m.date != c.date and not _adjacent(m, c) for m in members):
        return 0.0  # two dates in one sentence are two events ("a visit on <day>, postponed from <year>")
    sim = max(idf.cosine(c.words, m.words) for m in members)
    if c.granularity != "year" and g.granularity != "year":
        for m in members:
            local = idf.cosine(c.local, m.local)
            other_article = m.article_id != c.article_id
            if local >= SAME_EVENT_LOCAL_SIMILARITY or (
                other_article and len(c.local & m.local) >= SAME_EVENT_SHARED_WORDS
            ):
                sim = max(sim, SAME_EVENT_SIMILARITY + local / 10)
    if c.granularity == "day" and g.date == c.date and any(m.article_id == c.article_id for m in members):
        sim = max(sim, SAME_EVENT_SIMILARITY + 0.01)  # one article, one day: one event
    return sim


def _common_words(idf: _Idf) -> frozenset[str]:
    """Words in so many sentences that sharing them says nothing (they are left out of the word index)."""
    limit = max(COMMON_WORD_MIN_SENTENCES, idf.n * COMMON_WORD_SHARE)
    return frozenset(w for w, n in idf.df.items() if n > limit)


def _adjacent(a: Candidate, b: Candidate) -> bool:
    """Two expressions written side by side name one time ("50 years ago, on May 9, 1960")."""
    gap = max(a.expr_start, b.expr_start) - min(a.expr_end, b.expr_end)
    return gap <= ADJACENT_CHARS


def _group_score(g: _Group) -> float:
    """DATEWISE-style importance: mentions across articles, each article once, plus precision."""
    articles = g.articles()
    precision = _GRANULARITY_RANK[g.granularity]
    explicit = any(m.explicit for m in g.members)
    return 2.0 * len(articles) + math.log1p(len(g.members)) + 0.25 * precision + (0.25 if explicit else 0.0)


def _representative(g: _Group, idf: _Idf) -> Candidate:
    """The most central of the sentences that state the event's (most precise) date."""
    precise = [m for m in g.members if m.date == g.date] or g.members
    chosen = summarize_date(precise, 1, idf)
    return chosen[0] if chosen else precise[0]


def build_timeline(story: Story, max_events: int = 30) -> Story:
    """Fill ``story.timeline`` with up to ``max_events`` events, sorted by date.

    Each event merges the sentences that report it (all their sources and outlets); a date that contradicts
    another outlet's date for the same event is kept, with both events pointing at each other through
    ``disputed_with``.
    """
    candidates = collect_candidates(story.analyses)
    if not candidates:
        return dataclasses.replace(story, timeline=())
    idf = _Idf(
        [content_words(s.text) for a in story.analyses for s in a.sentences] or [c.words for c in candidates]
    )
    groups = _group_events(candidates, idf)
    disputes = _disputes(groups, idf)
    ranked = sorted(groups, key=lambda g: (-_group_score(g), g.date))
    partners: dict[int, list[_Group]] = defaultdict(list)
    for a, b in disputes:
        partners[id(a)].append(b)
        partners[id(b)].append(a)
    # A disputed pair stays together (dropping one side would hide the disagreement), within the cap.
    keep: list[_Group] = []
    kept_ids: set[int] = set()
    for g in ranked:
        if id(g) in kept_ids:
            continue
        block = [g] + [p for p in partners.get(id(g), []) if id(p) not in kept_ids]
        if len(keep) + len(block) > max_events:
            if len(keep) < max_events and not partners.get(id(g)):
                block = [g]
            else:
                continue
        keep.extend(block)
        kept_ids.update(id(x) for x in block)
    texts = {a.article.id: a.article.text for a in story.analyses}
    events: list[Event] = []
    for g in keep:
        events.append(_event(g, idf, texts, partners.get(id(g), [])))
    events.sort(key=lambda e: (e.date, e.text))
    return dataclasses.replace(story, timeline=tuple(events))


def _disputes(groups: Sequence[_Group], idf: _Idf) -> list[tuple[_Group, _Group]]:
    """Pairs of events from different articles that describe the same thing with conflicting dates."""
    common = _common_words(idf)
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, g in enumerate(groups):
        if g.granularity == "year":
            continue
        for w in frozenset().union(*(m.words for m in g.members[:MAX_COMPARED_MEMBERS])) - common:
            by_word[w].append(i)
    pairs: list[tuple[_Group, _Group]] = []
    shared: Counter[tuple[int, int]] = Counter()
    for postings in by_word.values():
        for x, i in enumerate(postings):
            for j in postings[x + 1 :]:
                if groups[i].date != groups[j].date:
                    shared[(i, j)] += 1
    if len(groups) <= EXHAUSTIVE_GROUPS:
        shared = Counter(
            {(i, j): INDEX_SHARED_WORDS for i in range(len(groups)) for j in range(i + 1, len(groups))}
        )
    for (i, j), n in shared.items():
        if n >= INDEX_SHARED_WORDS and groups[i].granularity != "year" and groups[j].granularity != "year":
            a, b = groups[i], groups[j]
            if _compatible(a.date, b.date) or a.articles() & b.articles():
                continue
            if _outlets(a) & _outlets(b) or _days_apart(a.date, b.date) > DISPUTE_MAX_DAYS:
                continue  # one outlet does not dispute itself; far-apart dates are recurring events
            members_a = a.members[:MAX_COMPARED_MEMBERS]
            members_b = b.members[:MAX_COMPARED_MEMBERS]
            sim = max(idf.cosine(p.words, q.words) for p in members_a for q in members_b)
            if sim >= DISPUTE_SIMILARITY:
                pairs.append((a, b))
    return pairs


def _outlets(g: _Group) -> set[str]:
    return {m.outlet for m in g.members}


def _days_apart(a: str, b: str) -> int:
    first, second = parse_reference(a), parse_reference(b)
    if first is None or second is None:
        return 10**6
    return abs((first[0] - second[0]).days)


def _event(g: _Group, idf: _Idf, texts: Mapping[str, str], disputed: Sequence[_Group]) -> Event:
    rep = _representative(g, idf)
    text = texts.get(rep.article_id, "")
    s = rep.sentence.span
    line, _, _ = (
        event_line(text, s.start, s.end, rep.expr_start, rep.expr_end) if text else (rep.sentence.text, 0, 0)
    )
    members = sorted(g.members, key=lambda m: (m is not rep, m.article_id, m.sentence.index))
    sources: list[Span] = []
    seen: set[tuple[str, int]] = set()
    for m in members:
        key = (m.article_id, m.sentence.index)
        if key not in seen:
            seen.add(key)
            sources.append(m.sentence.span)
    outlets = tuple(dict.fromkeys(m.outlet for m in members))
    written = tuple(dict.fromkeys(m.as_written for m in members))
    return Event(
        date=g.date,
        granularity=g.granularity,  # type: ignore[arg-type]
        text=line,
        sources=tuple(sources),
        outlets=outlets,
        as_written=written,
        disputed_with=tuple(sorted({d.date for d in disputed})),
    )


# ------------------------------------------------------------------------------------ date_undated_articles


def date_undated_articles(story: Story) -> Story:
    """Date each article whose ``published`` is still None from the other articles of the story.

    The events an undated article reports are matched (IDF-weighted word overlap) against the dated sentences of
    the dated articles; the month whose sentences match best dates the article at/after that event, with month
    precision, ``method="inferred"`` and a confidence of at most 0.5. The evidence names the matched sentence.
    """
    undated = [a for a in story.analyses if a.article.published is None]
    dated = [a for a in story.analyses if a.article.published is not None]
    if not undated or not dated:
        return story
    targets = collect_candidates([find_times(a) for a in dated])
    if not targets:
        return story
    idf = _Idf(content_words(s.text) for a in story.analyses for s in a.sentences)
    replaced: dict[str, Analysis] = {}
    diagnostics = list(story.diagnostics)
    for analysis in undated:
        dating = _match_date(analysis, targets, idf)
        if dating is None:
            continue
        published, evidence_note = dating
        article = dataclasses.replace(analysis.article, published=published)
        replaced[analysis.article.id] = dataclasses.replace(analysis, article=article)
        diagnostics.append(
            diagnostic(
                "W-DATE-INFERRED",
                f"no date in the article; dated {published.date} from {evidence_note}",
                stage=STAGE_DATING,
                article_id=analysis.article.id,
            )
        )
    if not replaced:
        return story
    analyses = tuple(replaced.get(a.article.id, a) for a in story.analyses)
    return dataclasses.replace(story, analyses=analyses, diagnostics=tuple(diagnostics))


def _match_date(
    analysis: Analysis, targets: Sequence[Candidate], idf: _Idf
) -> tuple[PublishedDate, str] | None:
    sentences = [s for s in analysis.sentences if len(s.text.split()) >= MIN_EVENT_WORDS]
    if not sentences:
        return None
    # For each of the article's sentences, its best-matching dated sentence per month; months add up.
    totals: dict[str, float] = defaultdict(float)
    best_pair: dict[str, tuple[float, Sentence, Candidate]] = {}
    common = _common_words(idf)
    by_word: dict[str, list[int]] = defaultdict(list)
    for i, t in enumerate(targets):
        for w in t.words - common:
            by_word[w].append(i)
    for s in sentences:
        words = content_words(s.text)
        per_month: dict[str, tuple[float, Candidate]] = {}
        hits: Counter[int] = Counter(i for w in words - common for i in by_word.get(w, ()))
        if len(targets) <= EXHAUSTIVE_GROUPS:
            near = list(range(len(targets)))
        else:
            near = sorted(i for i, n in hits.items() if n >= INDEX_SHARED_WORDS)
        for t in (targets[i] for i in near):
            if t.article_id == analysis.article.id:
                continue
            sim = idf.cosine(words, t.words)
            if sim < MATCH_SIMILARITY:
                continue
            month = t.date[:7]
            if month not in per_month or sim > per_month[month][0]:
                per_month[month] = (sim, t)
        for month, (sim, t) in per_month.items():
            totals[month] += sim
            if month not in best_pair or sim > best_pair[month][0]:
                best_pair[month] = (sim, s, t)
    if not totals:
        return None
    month, total = max(totals.items(), key=lambda kv: (kv[1], kv[0]))
    if total < MATCH_TOTAL:
        return None
    sim, own, target = best_pair[month]
    confidence = round(min(MATCH_CONFIDENCE_MAX, MATCH_CONFIDENCE_MIN + 0.15 * total), 2)
    evidence = (
        f"reports what {target.article_id} ({target.outlet}) dates {target.date}: "
        f"“{_short(own.text)}” ~ “{_short(target.sentence.text)}” (similarity {sim:.2f}, month total {total:.2f})"
    )
    published = PublishedDate(date=month, confidence=confidence, method="inferred", evidence=evidence)
    return published, f"{target.article_id}'s sentence “{_short(target.sentence.text, 60)}”"


def _short(text: str, limit: int = 90) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
