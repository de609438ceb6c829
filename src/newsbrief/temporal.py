"""Temporal expressions in news text: found, resolved, and used to date an undated article.

Three layers, all pure Python (no spaCy, no dateparser: a regex pass is fast enough to run on every article and,
unlike dateparser's ``RELATIVE_BASE``, handles "last September", "earlier this year" and does not read a date
into "a day after"):

* :func:`find_time_expressions` finds expressions *without* knowing the article date, each with the tense of
  its clause (from nearby auxiliaries, past-tense verbs and infinitives);
* :func:`resolve_time` anchors one expression to a reference date (the article's publication date): a month or
  weekday with no year goes forward in a future clause and backward in a past one;
* :func:`infer_publication_date` estimates when an undated article was written from the expressions alone: past
  mentions bound the publication from below, future mentions from above, "50 years ago, on May 9, 1960" anchors
  the year, and months without a year (news style omits the current year) place it within the year.
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

__all__ = [
    "ContentDating",
    "ResolvedTime",
    "TimeExpression",
    "find_time_expressions",
    "infer_publication_date",
    "on_stamp_line",
    "resolve_time",
]

Tense = str  # "past" | "present" | "future"


@dataclass(frozen=True, slots=True, kw_only=True)
class TimeExpression:
    """A time expression found without knowing the article date; offsets into the text searched."""

    start: int
    end: int
    text: str
    kind: str  # "absolute" | "month" | "year" | "weekday" | "relative" | "duration" | "range"
    tense: str  # "past" | "present" | "future": tense of its clause
    explicit_year: int | None  # a year written in the expression itself
    # The parsed value; which fields are set depends on ``kind``.
    month: int | None = None
    day: int | None = None
    end_year: int | None = None
    end_month: int | None = None
    end_day: int | None = None
    weekday: int | None = None  # Monday = 0
    count: int | None = None  # "60" in "60 years ago", "70" in "70th anniversary"
    unit: str | None = None  # day | week | weekend | month | year | decade | century | season name
    relation: str | None = (
        None  # last | next | this | ago | later | earlier | in | today | ... | old | of | anniversary
    )
    modifier: str | None = None  # early | mid | late | earlier | later | end | start
    preposition: str | None = None  # the word before the expression (in, on, since, until, ...)
    tense_cue: str | None = None  # the word that decided ``tense`` ("will", "said", "ago"), None if none did


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolvedTime:
    """An expression anchored to a reference date: ISO ``date`` to its granularity, ``end_date`` for spans."""

    date: str
    granularity: str  # "day" | "month" | "year"
    end_date: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ContentDating:
    """When an article was probably written, judged from its content alone."""

    date: str
    granularity: str
    confidence: float
    evidence: str
    earliest: _dt.date | None  # publication is on/after this (latest date the text reports as past)
    latest: _dt.date | None  # publication is on/before this (earliest date the text reports as future)
    latest_mentioned: _dt.date | None  # latest explicit date the text mentions at all


# --------------------------------------------------------------------------------------------- vocabulary

_MONTH_NUMBER = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_WEEKDAY_NUMBER = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_SMALL_NUMBERS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100,
}  # fmt: skip
_ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "fifteenth": 15, "twentieth": 20,
    "twenty-fifth": 25, "thirtieth": 30, "fortieth": 40, "fiftieth": 50, "sixtieth": 60,
    "seventieth": 70, "seventy-fifth": 75, "eightieth": 80, "ninetieth": 90, "hundredth": 100,
}  # fmt: skip
_SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "fall": (9, 11), "winter": (12, 2)}

_MONTH_FULL = "January|February|March|April|May|June|July|August|September|October|November|December"
_MONTH_ABBR = "Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec"
_MON = rf"(?:(?:{_MONTH_FULL})\b|(?:{_MONTH_ABBR})\b\.?)"
_MONF = rf"(?:{_MONTH_FULL})\b"
_WD = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b"
_DAY = r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?(?!\d)"
_YEAR = r"(?:1[6-9]\d\d|20\d\d)(?!\d)"
_NUMW = (
    r"(?:\d{1,3}|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[-\s](?:one|two|three|four|five|six"
    r"|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|a hundred|hundred)"
)
_ORDW = (
    r"(?:\d{1,3}(?:st|nd|rd|th)|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:first|second|third"
    r"|fourth|fifth|sixth|seventh|eighth|ninth)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
    r"|eleventh|twelfth|fifteenth|twentieth|thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth"
    r"|hundredth)"
)
_WDP = rf"(?:{_WD},?\s+)?"
# Nouns whose age is a date ("the 71-year-old dispute") as opposed to a person's age ("a 67-year-old man").
_AGED_NOUNS = (
    r"(?:dispute|disputes|conflict|conflicts|war|wars|feud|row|standoff|stand-off|ban|embargo|law|treaty|pact"
    r"|alliance|agreement|accord|tradition|rivalry|occupation|rule|regime|blockade|policy|institution|festival"
    r"|company|firm|business|tournament|case|mystery|quarrel|stalemate|deadlock|impasse|controversy|moratorium"
    r"|monarchy|republic|constitution|partnership|relationship|friendship|division|partition|insurgency"
    r"|struggle|crisis|issue|question|problem|claim|claims|quest|campaign|hostilities|isolation)"
)
# Nouns whose "N years of ..." dates their start ("40 years of fruitless talks").
_SPAN_NOUNS = (
    r"(?:attempts|efforts|talks|negotiations|war|warfare|conflict|fighting|rule|occupation|dispute|disputes"
    r"|rivalry|hostility|hostilities|isolation|sanctions|struggle|stalemate|deadlock|independence|diplomacy"
    r"|dialogue|peace|tension|tensions|division|separation|partition|exile|insurgency|violence|operations"
    r"|membership|marriage|service|cooperation|relations|friendship|silence|neglect|failure|failures|delays"
    r"|impasse|frozen|debate|wrangling|bickering|dictatorship|democracy)"
)

_PATTERNS: list[tuple[str, str]] = [
    (
        "iso",
        rf"(?<![\d/.-])(?P<iso_y>{_YEAR})[-/](?P<iso_m>1[0-2]|0?[1-9])[-/](?P<iso_d>3[01]|[12]\d|0?[1-9])(?![\d/])",
    ),
    ("num", rf"(?<![\d/.])(?P<num_a>\d{{1,2}})/(?P<num_b>\d{{1,2}})/(?P<num_y>{_YEAR})"),
    (
        "mdr",
        rf"{_WDP}(?P<mdr_m>{_MON})\s+(?P<mdr_d1>{_DAY})\s*(?:-|–|—|\bto\b|\bthrough\b|\band\b)\s*"
        rf"(?:(?P<mdr_m2>{_MON})\s+)?(?P<mdr_d2>{_DAY})(?:\s?,?\s+(?P<mdr_y>{_YEAR}))?",
    ),
    (
        "dmr",
        rf"(?<![\d.,])(?P<dmr_d1>{_DAY})\s*(?:-|–|\bto\b|\band\b)\s*(?P<dmr_d2>{_DAY})\s+(?:of\s+)?"
        rf"(?P<dmr_m>{_MON})(?:\s?,?\s+(?P<dmr_y>{_YEAR}))?",
    ),
    ("mdy", rf"{_WDP}(?P<mdy_m>{_MON})\s+(?P<mdy_d>{_DAY})(?:\s?,?\s+(?P<mdy_y>{_YEAR}))?"),
    (
        "dmy",
        rf"{_WDP}(?:the\s+)?(?<![\d.,])(?P<dmy_d>{_DAY})(?:\s+of)?\s+(?P<dmy_m>{_MON})(?:\s?,?\s+(?P<dmy_y>{_YEAR}))?",
    ),
    (
        "mmr",
        rf"(?:(?i:between|from)\s+)?(?P<mmr_m1>{_MONF})\s*(?:-|–|\bto\b|\bthrough\b|\band\b|\buntil\b)\s*"
        rf"(?P<mmr_m2>{_MONF}),?\s+(?:of\s+)?(?P<mmr_y>{_YEAR})",
    ),
    (
        "yr2",
        rf"(?:(?i:between|from)\s+)(?P<yr2_a>{_YEAR})\s*(?:-|–|\bto\b|\band\b|\buntil\b|\bthrough\b)\s*(?P<yr2_b>{_YEAR})"
        rf"|(?<![\d$€£¥#.,/+-])(?P<yr2_c>{_YEAR})(?:-|–)(?P<yr2_d>{_YEAR}|\d\d(?!\d))(?![-/]\d)",
    ),
    (
        "my",
        rf"(?:(?P<my_mod>(?i:early|mid|late|the end of|the beginning of|the start of|the middle of|end of|"
        rf"beginning of|start of))[\s-]+)?(?P<my_m>{_MONF}|(?:{_MONTH_ABBR})\b\.?),?\s+(?:of\s+)?(?P<my_y>{_YEAR})",
    ),
    (
        "rm",
        rf"(?:(?P<rm_mod>(?i:early|mid|late))[\s-]+)?(?P<rm_rel>(?i:last|next|this past|this coming|this))\s+"
        rf"(?P<rm_m>{_MONF})",
    ),
    (
        "ru",
        r"(?P<ru_mod>(?i:earlier|later|early|late|mid|at the end of|at the start of|at the beginning of|"
        r"by the end of|the end of|the start of|the beginning of|end of|start of|beginning of)[\s-]+)?"
        r"(?P<ru_rel>(?i:last|next|this|this past|this coming))\s+"
        r"(?P<ru_unit>week|weekend|month|year|spring|summer|autumn|fall|winter|morning|afternoon|evening|night)\b",
    ),
    (
        "ago",
        rf"(?P<ago_n>(?i:{_NUMW}|a|an|a couple of|a few))\s+(?P<ago_u>day|week|month|year|decade|century|centurie)s?"
        r"\s+(?P<ago_dir>ago|earlier|later|from now|hence)\b",
    ),
    (
        "inn",
        rf"\b(?i:in|within)\s+(?P<in_n>(?i:{_NUMW}|a|an))\s+(?P<in_u>day|week|month|year)s?(?:['’]\s*time)?\b",
    ),
    (
        "dx",
        r"\b(?P<dx_w>(?i:the day before yesterday|the day after tomorrow)|[Yy]esterday|[Tt]oday|[Tt]onight"
        r"|[Tt]omorrow|[Ll]ast night)\b",
    ),
    (
        "wd",
        rf"(?:(?P<wd_rel>(?i:last|next|this past|this coming|this|coming|early|late))\s+)?(?P<wd_day>{_WD})"
        r"(?:['’]s)?(?:\s+(?P<wd_part>morning|afternoon|evening|night))?",
    ),
    ("an", rf"(?P<an_n>(?i:{_ORDW}))\s+anniversary\b"),
    ("yo", rf"(?P<yo_n>(?i:{_NUMW}))[-\s]year[-\s]old(?=\s+(?:[\w'’-]+\s+){{0,4}}?(?i:{_AGED_NOUNS})\b)"),
    ("yof", rf"(?P<yof_n>(?i:{_NUMW}))\s+years\s+of(?=\s+(?:[\w'’-]+\s+){{0,2}}?(?i:{_SPAN_NOUNS})\b)"),
    (
        "mo",
        rf"(?:(?P<mo_mod>(?i:early|mid|late|the end of|the beginning of|the start of|the middle of|end of))"
        rf"[\s-]+)?(?P<mo_m>{_MONF})(?:['’]s)?(?!\s*\d)",
    ),
    (
        "yr",
        rf"(?:(?P<yr_mod>(?i:early|mid|late))[\s-]+)?(?<![\d$€£¥#.,/+])(?<!\d[-–])(?P<yr_y>{_YEAR})(?!%|s\b|\+|[.,]\d|[-/]\d)",
    ),
]
_MASTER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _PATTERNS))
_SINGLE = [(name, re.compile(f"(?P<{name}>{pattern})")) for name, pattern in _PATTERNS]
_NAMES = [name for name, _ in _PATTERNS]

# --- tense cues -------------------------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_FUTURE_WORDS = _words(
    """will shall 'll wo won’t won't upcoming forthcoming next scheduled slated due planned plans plan planning
    expected expects ahead later intends intend aims aim going coming soon"""
)
_MODALS = _words("would could may might should must can cannot")
# Futures only relative to their clause: a modal ("said it would close in 2009") or an infinitive ("borrowed
# a tie to give the address in 2004"). They resolve a month forward but never bound a publication date hard.
_WEAK_FUTURE_CUES = _MODALS | {"to"}
# "following <event>" / "since <date>" report something that already happened.
_PAST_WORDS = _words("was were had did ago last earlier previously since former then formerly following")
_COPULAS = _words("was were is are been be")
_REPORTING = _words(
    """said told announced reported stated added noted explained insisted warned claimed declared confirmed
    argued wrote stressed indicated signaled signalled believed believes says"""
)
_FUNCTION_WORDS = _words(
    "a an the in on at of to for by with from and or its his her their our this that another some"
)
_PRESENT_WORDS = _words("is are am says say does do remains remain")
_IRREGULAR_PAST = _words(
    """said told took met held made came went gave got left saw began became won lost led sent spent stood thought
    brought bought fell felt kept knew ran rose sold spoke wrote drew flew grew threw broke chose drove ate found
    paid struck sought fought caught taught built meant heard shot wore woke understood withdrew overtook
    undertook forgave forbade swore tore hung laid lay rode sang sank slid split spread sprang stuck stung swept
    swung wept wound froze hid bit lent dealt fed fled bred bled slept shone oversaw overthrew"""
)
_PARTICIPLES = _words(
    """taken given seen done gone written spoken begun chosen driven eaten fallen forgotten gotten known ridden
    risen shaken stolen sworn thrown woken worn broken frozen hidden held made met said told sent built paid
    signed set put cut hit kept left lost won brought bought caught sought taught fought found"""
)
_NOT_PAST_ED = _words(
    """need feed speed seed bed red shed hundred breed bleed indeed proceed succeed exceed steed weed
    based related interested concerned disputed contested so-called united limited detailed sophisticated
    advanced experienced talented skilled armed naked wicked sacred beloved aged rugged ragged crooked"""
)
_DETERMINERS = _words(
    "the a an its his her their our your my this that these those some many most more few several no any each"
)
# Base verbs after "to" that make an infinitive (future relative to the clause): a general English list.
_INFINITIVE_VERBS = _words(
    """be visit pay hold meet sign travel attend take make become start begin launch return resume discuss
    conclude host open close vote elect decide announce release publish complete finish end leave arrive come go
    join talk negotiate reach build deliver introduce implement enter present submit see raise cut increase
    reduce expand restart retire step run face stand appear testify rule review consider approve ratify adopt
    pass extend celebrate mark commemorate send dispatch deploy withdraw lift impose hand transfer move sell buy
    invest fly sail tour address speak give receive welcome play compete contest seek file issue unveil
    roll resign succeed replace form create establish set continue stop halt suspend
    restore rebuild invade attack strike sanction"""
)
_BOUNDARY_WORDS = _words(
    """which who whom whose that when where while whereas because although though but after before since
    following unless if as"""
)
_BOUNDARY_PUNCT = re.compile(r"[;:()\[\]\"“”—–|]|\s-\s|-[LR]RB-")  # -LRB-: tokenized "("
_WORD = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+")
# How far (in content words) a tense cue may sit from the expression before the clause is treated as
# tenseless: longer reaches let the main verb of a sentence override a date inside a noun phrase. Chosen on
# hand-written news sentences (tests/test_temporal.py).
TENSE_REACH_BEFORE = 6
TENSE_REACH_AFTER = 5

_YEAR_PREPOSITIONS = _words(
    "in since of from until till by before after during through around circa between and or to early late mid"
)
_MONTH_PREPOSITIONS = _words(
    "in since of from until till by before after during through around early late mid last next this"
)
_QUANTITY_WORDS = _words(
    "about some nearly almost over under around approximately than least only just roughly estimated total "
    "additional another extra No no number page pages pp"
)
_EVENT_PLURALS = _words(
    """elections talks games olympics polls protests riots attacks negotiations hearings championships finals
    playoffs sanctions floods bombings accords agreements summits events results figures reforms amendments
    midterms primaries celebrations commemorations rounds sessions meetings"""
)
_COUNT_NOUNS = _words(
    "people men women children percent per km miles metres meters feet tons tonnes dollars euros yen rubles "
    "roubles pounds votes residents troops soldiers times"
)
_NAMED_DAYS = _words("black good bloody super ash palm easter cyber holy maundy shrove")
_ABBREVIATIONS = _words(
    "mr mrs ms dr st jr sr gen col lt sgt rep sen gov pres prof inc corp co ltd no vs jan feb mar apr jun jul aug "
    "sep sept oct nov dec u.s u.k u.n e.g i.e"
)
# Words near which an expression can start; see find_time_expressions.
_TRIGGERS = (
    _words(_MONTH_FULL.lower().replace("|", " "))
    | _words(_MONTH_ABBR.lower().replace("|", " "))
    | _words(
        "monday tuesday wednesday thursday friday saturday sunday yesterday today tonight tomorrow ago later "
        "earlier hence anniversary year years last next this week weekend month months spring summer autumn fall "
        "winter night weeks days day decade decades century"
    )
)
_TRIGGERS = _TRIGGERS | {w + "'s" for w in _TRIGGERS} | {w + "’s" for w in _TRIGGERS}
# Words an expression can start with, other than its trigger word and numbers.
_STARTERS = _TRIGGERS | _words(
    """early mid late the end beginning start middle at by from between in within earlier later last next this
    coming past a an couple few one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth fifteenth twentieth thirtieth
    fortieth fiftieth sixtieth seventieth eightieth ninetieth hundredth"""
)
# The longest prefix an expression has before its trigger word ("at the beginning of last year": 20 chars).
TRIGGER_LOOKBACK_CHARS = 45
_SENTENCE_END = re.compile(r"[.!?]+[\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*")


# ---------------------------------------------------------------------------------------------- finding


def _number(text: str | None) -> int | None:
    """The value of "60", "sixty", "sixty-seven", "a"; None for vague amounts ("a few")."""
    if not text:
        return None
    t = text.lower().strip()
    if t.isdigit():
        return int(t)
    if t in _SMALL_NUMBERS:
        return _SMALL_NUMBERS[t]
    if t in ("hundred", "a hundred"):
        return 100
    parts = re.split(r"[-\s]", t)
    if parts[0] in _TENS:
        value = _TENS[parts[0]]
        if len(parts) == 2 and parts[1] in _SMALL_NUMBERS and _SMALL_NUMBERS[parts[1]] < 10:
            return value + _SMALL_NUMBERS[parts[1]]
        return value if len(parts) == 1 else None
    return None


def _ordinal(text: str) -> int | None:
    t = text.lower()
    if t[:-2].isdigit():
        return int(t[:-2])
    if t in _ORDINALS:
        return _ORDINALS[t]
    head, _, tail = t.partition("-")
    if head in _TENS and tail in _ORDINALS:
        return _TENS[head] + _ORDINALS[tail]
    return None


def _month_number(name: str) -> int:
    return _MONTH_NUMBER[name.strip(".").lower()[:3]]


def _day_number(text: str) -> int:
    return int(re.match(r"\d+", text).group())  # type: ignore[union-attr]


class _Context:
    """Word positions and sentence/clause bounds of one text, computed once for all its expressions."""

    def __init__(self, text: str, sentences: Sequence[tuple[int, int]] | None) -> None:
        self.text = text
        self._sentences = sentences
        words = list(_WORD.finditer(text))
        self.word_starts = [m.start() for m in words]
        self.words = [m.group() for m in words]

    # Sentence and clause bounds are only needed once an expression is found; most texts of a batch
    # have few, so they are computed on first use (a third of the cost of dating an article otherwise).
    @cached_property
    def _sentence_bounds(self) -> tuple[list[int], list[int]]:
        text, sentences = self.text, self._sentences
        if sentences:
            return [s for s, _ in sentences], [e for _, e in sentences]
        starts = [0]
        for m in _SENTENCE_END.finditer(text):
            before = text[max(0, m.start() - 24) : m.start()].rsplit(None, 1)
            last = before[-1].lower().rstrip(".") if before else ""
            if "\n" not in m.group() and (last in _ABBREVIATIONS or len(last) == 1):
                continue
            starts.append(m.end())
        return starts, [*starts[1:], len(text)]

    @property
    def sentence_starts(self) -> list[int]:
        return self._sentence_bounds[0]

    @property
    def sentence_ends(self) -> list[int]:
        return self._sentence_bounds[1]

    @cached_property
    def boundaries(self) -> list[int]:
        return sorted(m.start() for m in _BOUNDARY_PUNCT.finditer(self.text))

    def sentence(self, pos: int) -> tuple[int, int]:
        i = max(0, bisect_right(self.sentence_starts, pos) - 1)
        return self.sentence_starts[i], max(self.sentence_ends[i], pos)

    def word_before(self, pos: int) -> str:
        i = bisect_left(self.word_starts, pos) - 1
        return self.words[i] if i >= 0 else ""

    def words_after(self, pos: int, n: int) -> list[str]:
        i = bisect_left(self.word_starts, pos)
        return self.words[i : i + n]


def _cue(words: list[str], i: int) -> str | None:
    """The tense that word ``i`` signals, or None."""
    w = words[i]
    lw = w.lower().replace("’", "'")
    prev = words[i - 1].lower() if i > 0 else ""
    if lw in _FUTURE_WORDS or lw.endswith("'ll"):
        return "future"
    if lw in _MODALS and w[0].islower():  # "May 28": the month, not the modal
        return "future"
    if prev == "to" and lw in _INFINITIVE_VERBS:
        return "future-to"  # an infinitive: future only relative to its clause (see _tense)
    if lw in _PAST_WORDS:
        return "past"
    if lw in _PRESENT_WORDS:
        return "present"
    is_participle = lw in _PARTICIPLES or (
        len(lw) > 4 and lw.endswith("ed") and w[0].islower() and lw not in _NOT_PAST_ED
    )
    if lw in _IRREGULAR_PAST or is_participle:
        if prev in _DETERMINERS:
            return None  # "the disputed border": an adjective
        # The auxiliary decides for a participle: "will be held" / "to be held" / "was held" / "is held".
        for back in range(1, 4):
            if i - back < 0:
                break
            aux = words[i - back].lower().replace("’", "'")
            if aux in {
                "will",
                "shall",
                "to",
                "would",
                "could",
                "may",
                "might",
                "should",
                "must",
            } or aux.endswith("'ll"):
                return "future"
            if aux in {"was", "were", "had", "has", "have", "'ve", "been"}:
                return "past"
            if aux in {"is", "are", "am"}:
                return "present"
            if aux not in {"be", "being", "not", "also", "already", "just", "never", "n't", "reportedly"}:
                break
        return "past"
    return None


def _tense(ctx: _Context, start: int, end: int) -> tuple[Tense, str | None]:
    """The tense of the clause around ``text[start:end]`` (the nearest cue in the clause, then the sentence) and
    the cue word that decided it (None when no cue was found)."""
    s_start, s_end = ctx.sentence(start)
    lo = bisect_left(ctx.word_starts, s_start)
    first = bisect_left(ctx.word_starts, start)
    after = bisect_left(ctx.word_starts, end)
    hi = bisect_left(ctx.word_starts, s_end)
    words = ctx.words
    # Clause limits: punctuation or a subordinating word between the cue and the expression.
    b = bisect_right(ctx.boundaries, start) - 1
    clause_lo = max(s_start, ctx.boundaries[b] if b >= 0 else s_start)
    b2 = bisect_left(ctx.boundaries, end)
    clause_hi = min(s_end, ctx.boundaries[b2] if b2 < len(ctx.boundaries) else s_end)
    for restrict in (True, False):
        seen = 0
        for i in range(first - 1, lo - 1, -1):
            if restrict and ctx.word_starts[i] < clause_lo:
                break
            lw = words[i].lower()
            if lw in _COPULAS and i + 1 < len(words) and words[i + 1].lower() in _DETERMINERS:
                break  # "... was the announcement of a visit on <date>": the date belongs to the noun phrase
            if lw in _REPORTING and seen > 0:
                break  # "said the president travels in December": the report's own tense does not carry over
            cue = _cue(words, i)
            if cue == "future-to":
                return "future", "to"
            if cue:
                return cue, words[i].lower()
            if lw in _BOUNDARY_WORDS:
                break
            if words[i][0].islower() and lw not in _FUNCTION_WORDS:
                seen += 1
                if seen >= TENSE_REACH_BEFORE:
                    break
        seen = 0
        for i in range(after, hi):
            if (restrict and ctx.word_starts[i] >= clause_hi) or words[i].lower() in _BOUNDARY_WORDS:
                break
            cue = _cue(words, i)
            if cue == "future-to":
                return "future", "to"
            if cue:
                return cue, words[i].lower()
            if words[i][0].islower() and words[i].lower() not in _FUNCTION_WORDS:
                seen += 1
                if seen >= TENSE_REACH_AFTER:
                    break
    return "present", None


def _inherent_tense(kind_rel: str | None) -> Tense | None:
    if kind_rel in {"last", "ago", "earlier", "yesterday", "this past", "last night", "day before yesterday"}:
        return "past"
    if kind_rel in {
        "next",
        "from now",
        "hence",
        "in",
        "tomorrow",
        "this coming",
        "coming",
        "day after tomorrow",
    }:
        return "future"
    return None


def on_stamp_line(text: str, start: int, end: int) -> bool:
    """True when the expression sits on a short line with hardly any words: a date stamp or page clock."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    rest = line[: start - line_start] + line[end - line_start :]
    return len(re.findall(r"\b[a-z]{3,}\b", rest)) < 3


def find_time_expressions(
    text: str, sentences: Sequence[tuple[int, int]] | None = None
) -> list[TimeExpression]:
    """All time expressions of ``text`` in order, each with its kind, clause tense and written year.

    ``sentences`` (optional ``(start, end)`` offsets, e.g. spaCy's) sharpen the clause tense; a regex splitter is
    used otherwise. Numbers that are not dates (ages, counts, "2+2") are not returned.
    """
    if not text:
        return []
    ctx = _Context(text, sentences)
    # Expressions start at most a few words before a trigger word (a month, a weekday, a number, "ago", "last"):
    # trying the patterns only there is ~20x faster than scanning every position.
    starts = ctx.word_starts
    candidates: set[int] = set()
    lowered = [w.lower() for w in ctx.words]
    for k, word in enumerate(lowered):
        if word in _TRIGGERS or word[0].isdigit():
            j = k
            while j >= 0 and starts[k] - starts[j] <= TRIGGER_LOOKBACK_CHARS:
                if j == k or lowered[j] in _STARTERS or lowered[j][0].isdigit():
                    candidates.add(j)
                j -= 1
    out: list[TimeExpression] = []
    done = -1
    for j in sorted(candidates):
        pos = starts[j]
        if pos < done:
            continue
        m = _MASTER.match(text, pos)
        if m is None or m.end() == pos:
            continue
        expr = _build(m, ctx)
        if expr is None:
            # The first form that matched was rejected ("May 3 and 4 others"): try the later forms here.
            later = [p for name, p in _SINGLE if name != m.lastgroup][_NAMES.index(m.lastgroup or "") :]
            for pattern in later:
                m = pattern.match(text, pos)
                if m is not None and m.end() > pos:
                    expr = _build(m, ctx)
                    if expr is not None:
                        break
        if expr is not None and m is not None:
            out.append(expr)
            done = m.end()
    return out


def _build(m: re.Match[str], ctx: _Context) -> TimeExpression | None:
    g = m.groupdict()
    name = m.lastgroup or ""
    start, end = m.start(), m.end()
    text = ctx.text
    prep = ctx.word_before(start).lower()
    fields: dict[str, object] = {}
    kind: str
    year: int | None = None
    relation: str | None = None
    if name == "iso":
        year = int(g["iso_y"])
        kind, fields = "absolute", {"month": int(g["iso_m"]), "day": int(g["iso_d"])}
    elif name == "num":
        a, b_ = int(g["num_a"]), int(g["num_b"])
        month, day = (b_, a) if a > 12 else (a, b_)  # US order unless the first part cannot be a month
        if month > 12:
            return None
        year = int(g["num_y"])
        kind, fields = "absolute", {"month": month, "day": day}
    elif name == "mdr":
        month = _month_number(g["mdr_m"])
        month2 = _month_number(g["mdr_m2"]) if g["mdr_m2"] else month
        d1, d2 = _day_number(g["mdr_d1"]), _day_number(g["mdr_d2"])
        if (month2, d2) <= (month, d1) and not (g["mdr_m2"] and month2 < month):
            return None
        year = int(g["mdr_y"]) if g["mdr_y"] else None
        kind = "range"
        fields = {"month": month, "day": d1, "end_month": month2, "end_day": d2, "end_year": year}
    elif name == "dmr":
        month = _month_number(g["dmr_m"])
        d1, d2 = _day_number(g["dmr_d1"]), _day_number(g["dmr_d2"])
        if d2 <= d1:
            return None
        year = int(g["dmr_y"]) if g["dmr_y"] else None
        kind = "range"
        fields = {"month": month, "day": d1, "end_month": month, "end_day": d2, "end_year": year}
    elif name == "mdy":
        year = int(g["mdy_y"]) if g["mdy_y"] else None
        kind, fields = "absolute", {"month": _month_number(g["mdy_m"]), "day": _day_number(g["mdy_d"])}
    elif name == "dmy":
        year = int(g["dmy_y"]) if g["dmy_y"] else None
        kind, fields = "absolute", {"month": _month_number(g["dmy_m"]), "day": _day_number(g["dmy_d"])}
        if year is None and prep in _QUANTITY_WORDS:
            return None
    elif name == "mmr":
        year = int(g["mmr_y"])
        m1, m2 = _month_number(g["mmr_m1"]), _month_number(g["mmr_m2"])
        kind = "range"
        fields = {"month": m1, "end_month": m2, "end_year": year}
        if m2 < m1:  # "December-January 2017": the span crosses the new year into the written year
            year -= 1
    elif name == "yr2":
        if g["yr2_a"]:
            y1, y2 = int(g["yr2_a"]), int(g["yr2_b"])
        else:
            y1 = int(g["yr2_c"])
            tail = g["yr2_d"]
            y2 = int(tail) if len(tail) == 4 else (y1 // 100) * 100 + int(tail)
        if not y1 < y2 <= y1 + 50:
            return None
        year = y1
        kind, fields = "range", {"end_year": y2}
    elif name == "my":
        year = int(g["my_y"])
        kind = "month"
        fields = {"month": _month_number(g["my_m"]), "modifier": _modifier(g["my_mod"])}
    elif name == "rm":
        relation = g["rm_rel"].lower()
        kind = "relative"
        fields = {"month": _month_number(g["rm_m"]), "modifier": _modifier(g["rm_mod"]), "unit": "month-name"}
    elif name == "ru":
        relation = g["ru_rel"].lower()
        unit = g["ru_unit"].lower()
        modifier = _modifier(g["ru_mod"])
        if unit == "night" and relation != "last":
            return None
        kind, fields = "relative", {"unit": unit, "modifier": modifier}
    elif name == "ago":
        n = _number(g["ago_n"])
        if n is None:
            return None  # "a few years ago" is not a date
        relation = g["ago_dir"].lower()
        unit = g["ago_u"].lower().replace("centurie", "century")
        kind, fields = "relative", {"count": n, "unit": unit}
    elif name == "inn":
        n = _number(g["in_n"])
        if n is None:
            return None
        relation = "in"
        kind, fields = "relative", {"count": n, "unit": g["in_u"].lower()}
    elif name == "dx":
        relation = g["dx_w"].lower()
        if relation.startswith("the "):
            relation = relation[4:]
        if g["dx_w"] == "Today" and start > 0 and text[start - 1] not in '\n"“‘(':
            # "USA Today": a name, unless the sentence starts with it.
            s_start, _ = ctx.sentence(start)
            if text[s_start:start].strip():
                return None
        kind = "relative"
    elif name == "wd":
        rel = (g["wd_rel"] or "").lower()
        if prep in _NAMED_DAYS or rel in _NAMED_DAYS:
            return None
        if rel in {"early", "late"}:
            start = m.start("wd_day")
            rel = ""
        relation = rel or None
        kind = "relative" if relation else "weekday"
        fields = {"weekday": _WEEKDAY_NUMBER[g["wd_day"][:3].lower()]}
    elif name == "an":
        n = _ordinal(g["an_n"])
        if not n:
            return None
        relation = "anniversary"
        kind, fields = "duration", {"count": n, "unit": "year"}
    elif name in ("yo", "yof"):
        n = _number(g[f"{name}_n"])
        if not n or n < 2:
            return None
        relation = "old" if name == "yo" else "of"
        kind, fields = "duration", {"count": n, "unit": "year"}
    elif name == "mo":
        month_name = g["mo_m"]
        nxt = ctx.words_after(m.end("mo_m"), 1)
        has_prep = prep in _MONTH_PREPOSITIONS or bool(g["mo_mod"])
        if (
            month_name == "May"
            and not has_prep
            and text[m.end("mo_m") : m.end("mo_m") + 2] not in ("'s", "’s")
        ):
            return None  # "may" the modal
        if nxt and nxt[0][0].isupper() and not has_prep:
            return None  # "April Smith", "August Storm": a name
        if month_name == "March" and nxt and nxt[0] in {"on", "to", "through", "against"} and not has_prep:
            return None
        kind, fields = "month", {"month": _month_number(month_name), "modifier": _modifier(g["mo_mod"])}
    elif name == "yr":
        year = int(g["yr_y"])
        if not _plausible_year(ctx, m.start("yr_y"), m.end("yr_y"), year, prep if not g["yr_mod"] else "in"):
            return None
        kind, fields = "year", {"modifier": _modifier(g["yr_mod"])}
    else:  # pragma: no cover - every alternative is handled above
        return None
    tense, cue = _tense(ctx, start, end)
    inherent = _inherent_tense(relation)
    written_modifier = fields.get("modifier")
    if relation == "this" and written_modifier in {"earlier", "later"}:
        inherent = "past" if written_modifier == "earlier" else "future"
    if relation in {"in"} and tense != "future":
        return None  # "for the second time in a month": a span, not a date
    if prep == "for" and tense == "past" and year is None:
        tense = "present"  # "was announced for May 3": a schedule, taken to the nearest date
    if prep == "by" and tense == "past":
        tense = "present"  # "were predicting $5 gas by 2012": a deadline seen from the past
    if inherent and tense == "present":
        tense = inherent
    return TimeExpression(
        start=start,
        end=end,
        text=text[start:end],
        kind=kind,
        tense=tense,
        explicit_year=year,
        tense_cue=cue,
        relation=relation,
        preposition=prep or None,
        **fields,  # type: ignore[arg-type]
    )


def _modifier(text: str | None) -> str | None:
    if not text:
        return None
    t = text.lower().strip(" -")
    for key in ("earlier", "later", "early", "mid", "late", "middle", "end", "beginning", "start"):
        if key in t:
            return {"middle": "mid", "beginning": "start"}.get(key, key)
    return None


def _plausible_year(ctx: _Context, start: int, end: int, year: int, prep: str) -> bool:
    """Whether a bare four-digit number is a year rather than a count, an amount or an address."""
    text = ctx.text
    before = text[max(0, start - 12) : start]
    if re.search(r"(?:[$€£¥#]|No\.|no\.)\s*$", before):
        return False
    words_before = before.split()[-2:]
    if any(w.strip(",.").lower() in _QUANTITY_WORDS for w in words_before) and prep not in {
        "in",
        "since",
        "of",
    }:
        return False
    if year < 1900 and prep not in {
        "in",
        "since",
        "of",
        "from",
        "until",
        "till",
        "by",
        "before",
        "after",
        "during",
        "circa",
    }:
        return False  # "the 1850 troops": before 1900 only with a preposition that makes it a date
    if re.match(r"\s*(?:-|–|to)\s*\d{1,3}\b(?!\s*(?:%|percent))", text[end : end + 8]):
        return False  # "2011 to 14": a score or a count
    nxt = ctx.words_after(end, 1)
    if nxt and text[end : end + 1] == " ":
        w = nxt[0]
        plural = w[0].islower() and w.endswith("s") and not w.endswith(("ss", "us", "is"))
        if plural and w not in _EVENT_PLURALS and prep not in _YEAR_PREPOSITIONS:
            return False  # "the 2000 troops": a count
        if w.lower() in _COUNT_NOUNS:
            return False
    return True


# -------------------------------------------------------------------------------------------- resolving


def _shift_months(year: int, month: int, delta: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _direction(tense: str) -> int:
    return -1 if tense == "past" else 1 if tense == "future" else 0


def _month_year(month: int, ref: date, direction: int, strict: bool = False) -> int:
    """The year of ``month`` seen from ``ref``: the last one (-1), the next one (+1) or the nearest (0)."""
    if direction < 0:
        return ref.year if (month < ref.month or (month == ref.month and not strict)) else ref.year - 1
    if direction > 0:
        return ref.year if (month > ref.month or (month == ref.month and not strict)) else ref.year + 1
    best = min(
        (ref.year - 1, ref.year, ref.year + 1),
        key=lambda y: (abs((y - ref.year) * 12 + month - ref.month), y != ref.year),
    )
    return best


def _day_year(month: int, day: int, ref: date, direction: int) -> int | None:
    candidates = []
    for y in (ref.year - 1, ref.year, ref.year + 1):
        d = _safe_date(y, month, day)
        if d is not None:
            candidates.append(d)
    if not candidates:
        return None
    if direction < 0:
        past = [d for d in candidates if d <= ref]
        return max(past).year if past else None
    if direction > 0:
        future = [d for d in candidates if d >= ref]
        return min(future).year if future else None
    return min(candidates, key=lambda d: (abs((d - ref).days), d != ref)).year


def _iso(day: date, granularity: str) -> str:
    if granularity == "year":
        return f"{day.year:04d}"
    if granularity == "month":
        return f"{day.year:04d}-{day.month:02d}"
    return day.isoformat()


def _rt(day: date, granularity: str, end: date | None = None) -> ResolvedTime:
    end_iso = _iso(end, granularity) if end is not None else None
    return ResolvedTime(date=_iso(day, granularity), granularity=granularity, end_date=end_iso)


def resolve_time(expr: TimeExpression, reference: date) -> ResolvedTime | None:
    """Anchor ``expr`` to ``reference`` (the publication date); None when it names no definite time.

    A month or day without a year is taken forward in a future clause, backward in a past clause and to its
    nearest occurrence otherwise; a bare weekday is the last one (or this one) unless its clause is future.
    """
    ref = reference
    direction = _direction(expr.tense)
    year = expr.explicit_year
    if expr.kind == "absolute":
        assert expr.month is not None and expr.day is not None
        if year is None:
            year = _day_year(expr.month, expr.day, ref, direction)
            if year is None:
                return None
        day = _safe_date(year, expr.month, expr.day)
        return _rt(day, "day") if day else None
    if expr.kind == "range":
        if expr.month is None:  # years
            assert year is not None and expr.end_year is not None
            return _rt(date(year, 1, 1), "year", date(expr.end_year, 1, 1))
        if expr.day is None:  # months
            assert year is not None and expr.end_month is not None
            end_year = expr.end_year or year
            return _rt(date(year, expr.month, 1), "month", date(end_year, expr.end_month, 1))
        assert expr.end_month is not None and expr.end_day is not None
        if year is None:
            year = _day_year(expr.month, expr.day, ref, direction)
            if year is None:
                return None
        first = _safe_date(year, expr.month, expr.day)
        last = _safe_date(year + (1 if expr.end_month < expr.month else 0), expr.end_month, expr.end_day)
        if first is None or last is None:
            return None
        return _rt(first, "day", last)
    if expr.kind == "month":
        assert expr.month is not None
        if year is None:
            year = _month_year(expr.month, ref, direction)
        return _rt(date(year, expr.month, 1), "month")
    if expr.kind == "year":
        assert year is not None
        return _rt(date(year, 1, 1), "year")
    if expr.kind == "weekday":
        assert expr.weekday is not None
        if direction > 0:
            return _rt(ref + timedelta(days=(expr.weekday - ref.weekday()) % 7), "day")
        return _rt(ref - timedelta(days=(ref.weekday() - expr.weekday) % 7), "day")
    if expr.kind == "duration":
        n = expr.count or 0
        return _rt(date(ref.year - n, 1, 1), "year")
    if expr.kind == "relative":
        return _resolve_relative(expr, ref)
    return None


def _resolve_relative(expr: TimeExpression, ref: date) -> ResolvedTime | None:
    rel = expr.relation or ""
    unit = expr.unit or ""
    if expr.weekday is not None:
        wd = expr.weekday
        if rel in {"last", "this past"}:
            return _rt(ref - timedelta(days=(ref.weekday() - wd - 1) % 7 + 1), "day")
        if rel in {"next", "this coming", "coming"}:
            return _rt(ref + timedelta(days=(wd - ref.weekday() - 1) % 7 + 1), "day")
        # "this Friday": the one of this week, forward unless the clause is past
        if expr.tense == "past":
            return _rt(ref - timedelta(days=(ref.weekday() - wd) % 7), "day")
        return _rt(ref + timedelta(days=(wd - ref.weekday()) % 7), "day")
    if unit == "month-name":
        assert expr.month is not None
        if rel in {"last", "this past"}:
            year = _month_year(expr.month, ref, -1, strict=True)
        elif rel in {"next", "this coming"}:
            year = _month_year(expr.month, ref, +1, strict=True)
        else:
            year = _month_year(expr.month, ref, _direction(expr.tense))
        return _rt(date(year, expr.month, 1), "month")
    if rel in {"yesterday", "last night"}:
        return _rt(ref - timedelta(days=1), "day")
    if rel in {"today", "tonight"}:
        return _rt(ref, "day")
    if rel == "tomorrow":
        return _rt(ref + timedelta(days=1), "day")
    if rel == "day before yesterday":
        return _rt(ref - timedelta(days=2), "day")
    if rel == "day after tomorrow":
        return _rt(ref + timedelta(days=2), "day")
    if rel in {"last", "next", "this", "this past", "this coming"}:
        step = -1 if rel in {"last", "this past"} else 1 if rel in {"next", "this coming"} else 0
        if unit == "night" and step < 0:
            return _rt(ref - timedelta(days=1), "day")
        if unit in {"morning", "afternoon", "evening", "night"}:
            return _rt(ref, "day")
        if unit == "week":
            monday = ref - timedelta(days=ref.weekday()) + timedelta(weeks=step)
            return _rt(monday, "day", monday + timedelta(days=6))
        if unit == "weekend":
            saturday = (
                ref - timedelta(days=(ref.weekday() - 5) % 7)
                if step <= 0
                else ref + timedelta(days=(5 - ref.weekday()) % 7 or 7)
            )
            if step == 0 and ref.weekday() < 5:
                saturday = ref + timedelta(days=5 - ref.weekday())
            return _rt(saturday, "day", saturday + timedelta(days=1))
        if unit == "month":
            y, mo = _shift_months(ref.year, ref.month, step)
            return _rt(date(y, mo, 1), "month")
        if unit == "year":
            return _rt(date(ref.year + step, 1, 1), "year")
        if unit in _SEASON_MONTHS:
            first, last = _SEASON_MONTHS[unit]
            season_year = ref.year
            # The season whose start month is nearest this way: "last summer" in March is last year's summer.
            if step < 0 and (ref.month < first or (first == 12 and ref.month < 12)):
                season_year -= 1
            if step > 0 and ref.month >= first and first != 12:
                season_year += 1
            end_year = season_year + (1 if last < first else 0)
            return _rt(date(season_year, first, 1), "month", date(end_year, last, 1))
        return None
    if rel in {"ago", "earlier", "later", "from now", "hence", "in"}:
        n = expr.count or 0
        sign = -1 if rel in {"ago", "earlier"} else 1
        if unit == "day":
            return _rt(ref + timedelta(days=sign * n), "day")
        if unit == "week":
            day = ref + timedelta(weeks=sign * n)
            return _rt(day, "day" if n <= 2 else "month")
        if unit == "month":
            y, mo = _shift_months(ref.year, ref.month, sign * n)
            return _rt(date(y, mo, 1), "month")
        if unit in {"year", "decade", "century"}:
            years = n * {"year": 1, "decade": 10, "century": 100}[unit]
            return _rt(date(ref.year + sign * years, 1, 1), "year")
    return None


# ------------------------------------------------------------------------------------------------ dating

# Weights of the evidence for the publication date. A tense bound is hard evidence (2); the news-style
# conventions (the current year is not written; an undated month is this year's) are soft (1) so they give
# way when they contradict a tense bound; an anchor ("50 years ago, on May 9, 1960") outweighs either.
HARD_WEIGHT = 2
SOFT_WEIGHT = 1
ANCHOR_WEIGHT = 4
# When the text bounds the date on one side only, news reports recent history: the publication is assumed
# to lie within this many days of the nearest bound (a wire story citing "a session in March <last year>").
CLOSENESS_DAYS = 548
# Above this width, months without a year cannot tell which year is meant: the estimate stays at year level.
CYCLIC_MAX_DAYS = 4 * 366
# Width of the feasible interval up to which the estimate is given to the month (else to the year).
MONTH_PRECISION_DAYS = 400
# A weekday pins the day when the feasible interval is at most a week.
WEEKDAY_PIN_DAYS = 7
# Confidences, below those of a stated date (the metadata stage overrules stated dates at >= 0.3).
CONFIDENCE_ANCHOR = 0.6
CONFIDENCE_TIGHT = 0.5  # two-sided bounds no wider than TIGHT_DAYS
CONFIDENCE_BOUNDED = 0.4
CONFIDENCE_WIDE = 0.25  # bounds up to WIDE_DAYS apart: below the 0.3 at which metadata overrules a date
CONFIDENCE_VAGUE = 0.1
CONFIDENCE_ONE_SIDED = 0.25
TIGHT_DAYS = 120
WIDE_DAYS = 2 * 366
# How many words may separate "N years ago" from the written date it anchors ("signed 60 years ago, on ...").
ANCHOR_WINDOW_CHARS = 60


# "March 2, 2012 at 11:13 am": a timestamp (a comment, an update line), not something the article reports.
_TIMESTAMP_AFTER = re.compile(r"\s*,?\s*(?:at\s+)?\d{1,2}:\d\d")


@dataclass(frozen=True, slots=True)
class _Bound:
    day: date
    lower: bool  # t >= day (else t <= day)
    weight: int
    note: str
    hard: bool = False
    since: bool = False


@dataclass(frozen=True, slots=True)
class _Cyclic:
    """Within-year constraint from a date without year: day-of-year window [first, last] (month, day pairs)."""

    first: tuple[int, int]
    last: tuple[int, int]
    weight: int
    note: str


def _period(expr: TimeExpression) -> tuple[date, date] | None:
    """First and last day of an expression that carries its year."""
    y = expr.explicit_year
    if y is None:
        return None
    try:
        if expr.kind == "absolute":
            assert expr.month is not None and expr.day is not None
            d = date(y, expr.month, expr.day)
            return d, d
        if expr.kind == "month":
            assert expr.month is not None
            return date(y, expr.month, 1), date(y, expr.month, calendar.monthrange(y, expr.month)[1])
        if expr.kind == "year":
            return date(y, 1, 1), date(y, 12, 31)
        if expr.kind == "range":
            if expr.month is None:
                return date(y, 1, 1), date(expr.end_year or y, 12, 31)
            end_year = expr.end_year or y
            end_month = expr.end_month or expr.month
            if expr.day is None:
                return date(y, expr.month, 1), date(
                    end_year, end_month, calendar.monthrange(end_year, end_month)[1]
                )
            return date(y, expr.month, expr.day), date(end_year, end_month, expr.end_day or expr.day)
    except ValueError:
        return None
    return None


def _q(expr: TimeExpression) -> str:
    return f"'{expr.text}'"


def _anchor(expr: TimeExpression, exprs: list[TimeExpression], text: str) -> tuple[int, str] | None:
    """A publication year implied by "N years ago"/"Nth anniversary"/"N-year-old" next to a written year."""
    if expr.count is None:
        return None
    if not (
        (expr.kind == "relative" and expr.relation == "ago" and expr.unit in {"year", "decade"})
        or (expr.kind == "duration" and expr.relation in {"anniversary", "old"})
    ):
        return None
    years = expr.count * (10 if expr.unit == "decade" else 1)
    for other in exprs:
        if other is expr or other.explicit_year is None or other.kind == "range":
            continue
        gap = other.start - expr.end if other.start >= expr.end else expr.start - other.end
        if (
            gap < 0
            or gap > ANCHOR_WINDOW_CHARS
            or re.search(r"[.;!?]\s", text[min(expr.end, other.end) : max(expr.start, other.start)])
        ):
            continue
        return other.explicit_year + years, f"{_q(expr)} + {_q(other)}"
    return None


def infer_publication_date(
    text: str, sentences: Sequence[tuple[int, int]] | None = None
) -> ContentDating | None:
    """Estimate when ``text`` was written from its content alone; None when it has no usable evidence.

    Past-tense mentions with a year bound the date from below, future ones from above; "50 years ago, on
    May 9, 1960" anchors the year; months and days written without a year (news style leaves out the current
    year) place it within the year. The estimate is the middle of the feasible interval.
    """
    exprs = find_time_expressions(text, sentences)
    if not exprs:
        return None
    today = date.today()
    bounds: list[_Bound] = []
    cyclic: list[_Cyclic] = []
    weekdays: list[TimeExpression] = []
    latest_mentioned: date | None = None
    anchors: list[str] = []
    for e in exprs:
        period = _period(e)
        if period is not None:
            latest_mentioned = max(latest_mentioned or period[0], period[0])
        if on_stamp_line(text, e.start, e.end) or _TIMESTAMP_AFTER.match(text, e.end):
            continue  # a date stamp, page clock or comment time: the metadata stage judges those
        anchor = _anchor(e, exprs, text)
        if anchor is not None:
            year, note = anchor
            bounds.append(_Bound(date(year, 1, 1), True, ANCHOR_WEIGHT, f"{note} → {year}", hard=True))
            bounds.append(_Bound(date(year, 12, 31), False, ANCHOR_WEIGHT, f"{note} → {year}", hard=True))
            anchors.append(note)
            continue
        if period is not None and e.tense in {"past", "future"}:
            first, last = period
            since = e.preposition == "since"
            if e.tense == "past":
                if first > today:
                    continue  # nothing written can report a later time as past: a misread number
                bounds.append(_Bound(first, True, HARD_WEIGHT, f"past {_q(e)}", hard=True, since=since))
                # News style writes the year only when it is not the current one.
                bounds.append(
                    _Bound(date(last.year + 1, 1, 1), True, SOFT_WEIGHT, f"past {_q(e)}", since=since)
                )
            elif e.tense_cue in _WEAK_FUTURE_CUES:
                # "would"/"could" futures are often futures seen from the past ("said it would close in
                # 2009"): a hint, never a bound the metadata stage may use to reject a stated date.
                bounds.append(_Bound(last, False, SOFT_WEIGHT, f"future {_q(e)}"))
            else:
                bounds.append(_Bound(last, False, HARD_WEIGHT, f"future {_q(e)}", hard=True))
                bounds.append(_Bound(date(first.year - 1, 12, 31), False, SOFT_WEIGHT, f"future {_q(e)}"))
            continue
        if period is not None and e.tense == "present" and e.explicit_year is not None and e.day is not None:
            # A full date in a clause the tagger reads as present ("earned ... between Jan. 1, 2016, and
            # June") is mostly reported from after it; only announcements of fixed dates say otherwise.
            bounds.append(_Bound(period[0], True, SOFT_WEIGHT, f"present {_q(e)}"))
            continue
        if e.explicit_year is None and e.month is not None and e.kind in {"absolute", "month", "range"}:
            if e.tense == "past":
                cyclic.append(_Cyclic((e.month, e.day or 1), (12, 31), SOFT_WEIGHT, f"past {_q(e)}"))
                if e.kind == "month":  # the current month would be "this month"
                    nxt = e.month % 12 + 1
                    if nxt != 1:
                        cyclic.append(_Cyclic((nxt, 1), (12, 31), SOFT_WEIGHT, f"past {_q(e)}"))
            elif e.tense == "future":
                if e.kind == "month":
                    last_day = (e.month, calendar.monthrange(2001, e.month)[1])
                else:
                    last_day = (e.month, max(1, (e.day or 1) - 1))
                cyclic.append(_Cyclic((1, 1), last_day, SOFT_WEIGHT, f"future {_q(e)}"))
                if e.kind == "month" and e.month > 1:
                    prev = e.month - 1
                    cyclic.append(
                        _Cyclic(
                            (1, 1), (prev, calendar.monthrange(2001, prev)[1]), SOFT_WEIGHT, f"future {_q(e)}"
                        )
                    )
            continue
        if e.kind == "relative" and e.unit == "year" and e.relation == "this":
            if e.modifier == "later":
                cyclic.append(_Cyclic((1, 1), (11, 30), SOFT_WEIGHT, f"{_q(e)}"))
            elif e.modifier == "earlier":
                cyclic.append(_Cyclic((2, 1), (12, 31), SOFT_WEIGHT, f"{_q(e)}"))
            continue
        if e.weekday is not None and e.tense != "future" and e.relation in {None, "last", "this past"}:
            weekdays.append(e)
    if not bounds:
        return None
    lo, hi, used = _best_segment(bounds)
    if lo is None and hi is None:
        return None
    one_sided = lo is None or hi is None
    upper_open = hi is None
    if hi is None:
        assert lo is not None
        if all(b.since for b in used if b.lower):
            return None  # "since 2005" alone says nothing about how long since
        hi = lo + timedelta(days=CLOSENESS_DAYS)
    if lo is None:
        lo = hi - timedelta(days=CLOSENESS_DAYS)
    first, last, cyc_used = _best_block(lo, hi, cyclic, prefer_early=upper_open)
    width = (last - first).days
    mid = first + timedelta(days=width // 2)
    granularity = "month" if width <= MONTH_PRECISION_DAYS else "year"
    notes = [b.note for b in used] + [c.note for c in cyc_used]
    if width <= WEEKDAY_PIN_DAYS and weekdays:
        wd = weekdays[0].weekday
        pinned = [
            first + timedelta(days=i) for i in range(width + 1) if (first + timedelta(days=i)).weekday() == wd
        ]
        if pinned:
            mid, granularity = pinned[-1], "day"
            notes.append(f"weekday {_q(weekdays[0])}")
    if anchors:
        confidence = CONFIDENCE_ANCHOR
    elif one_sided:
        confidence = CONFIDENCE_ONE_SIDED if cyc_used else CONFIDENCE_ONE_SIDED - 0.05
    elif width <= TIGHT_DAYS:
        confidence = CONFIDENCE_TIGHT
    elif width <= MONTH_PRECISION_DAYS:
        confidence = CONFIDENCE_BOUNDED
    elif width <= WIDE_DAYS:
        confidence = CONFIDENCE_WIDE
    else:
        confidence = CONFIDENCE_VAGUE
    hard_lower = [b.day for b in used if b.hard and b.lower and b.weight == HARD_WEIGHT]
    hard_upper = [b.day for b in used if b.hard and not b.lower and b.weight == HARD_WEIGHT]
    evidence = "; ".join(dict.fromkeys(notes))
    return ContentDating(
        date=_iso(mid, granularity),
        granularity=granularity,
        confidence=confidence,
        evidence=evidence,
        earliest=max(hard_lower) if hard_lower else None,
        latest=min(hard_upper) if hard_upper else None,
        latest_mentioned=latest_mentioned,
    )


def _best_segment(bounds: list[_Bound]) -> tuple[date | None, date | None, list[_Bound]]:
    """The interval satisfying the heaviest set of half-line bounds (ties: the later interval)."""
    points = sorted({b.day if b.lower else b.day + timedelta(days=1) for b in bounds})
    # Segments: (-inf, p0), [p0, p1), ..., [pn, +inf); each has a constant score.
    edges: list[date | None] = [None, *points]
    best_score = -1
    best: tuple[date | None, date | None] = (None, None)
    for i, seg_lo in enumerate(edges):
        seg_hi = points[i] - timedelta(days=1) if i < len(points) else None
        probe = seg_lo if seg_lo is not None else (points[0] - timedelta(days=1))
        score = sum(b.weight for b in bounds if (probe >= b.day if b.lower else probe <= b.day))
        if score >= best_score:
            best_score, best = score, (seg_lo, seg_hi)
    lo, hi = best
    probe = lo if lo is not None else (hi if hi is not None else date(2000, 1, 1))
    used = [b for b in bounds if (probe >= b.day if b.lower else probe <= b.day)]
    # A side is bounded only if a satisfied bound sits on it.
    if not any(b.lower for b in used):
        lo = None
    if not any(not b.lower for b in used):
        hi = None
    used.sort(key=lambda b: (not b.lower, -b.weight))
    return lo, hi, used


def _best_block(
    lo: date, hi: date, cyclic: list[_Cyclic], *, prefer_early: bool
) -> tuple[date, date, list[_Cyclic]]:
    """The stretch of [lo, hi] satisfying the most within-year constraints."""
    if not cyclic or (hi - lo).days > CYCLIC_MAX_DAYS:
        return lo, hi, []
    # The score is constant between the constraints' edges, so the year is cut into segments at those edges.
    edges = sorted(
        {(1, 1)} | {c.first for c in cyclic} | {_next_key(c.last) for c in cyclic if c.last != (12, 31)}
    )
    segments: list[tuple[date, date, int]] = []
    for year in range(lo.year, hi.year + 1):
        for i, key in enumerate(edges):
            first = _key_date(year, key)
            last = (
                _key_date(year, edges[i + 1]) - timedelta(days=1)
                if i + 1 < len(edges)
                else date(year, 12, 31)
            )
            first, last = max(first, lo), min(last, hi)
            if first <= last:
                score = sum(c.weight for c in cyclic if c.first <= key <= c.last)
                if segments and segments[-1][2] == score and segments[-1][1] + timedelta(days=1) == first:
                    segments[-1] = (segments[-1][0], last, score)
                else:
                    segments.append((first, last, score))
    best = max(score for _, _, score in segments)
    blocks = [(first, last) for first, last, score in segments if score == best]
    chosen = blocks[0] if prefer_early else max(blocks, key=lambda b: ((b[1] - b[0]).days, b[0]))
    key = (chosen[0].month, chosen[0].day)
    used = [c for c in cyclic if c.first <= key <= c.last] if best else []
    return chosen[0], chosen[1], used


def _next_key(key: tuple[int, int]) -> tuple[int, int]:
    nxt = date(2000, *key) + timedelta(days=1)  # a leap year: every (month, day) exists
    return nxt.month, nxt.day


def _key_date(year: int, key: tuple[int, int]) -> date:
    return _safe_date(year, *key) or date(year, 3, 1)  # 29 February in a common year starts on 1 March
