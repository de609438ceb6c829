"""The frozen data model of newsbrief.

The flow is ``RawDocument -> Article -> Analysis`` (per-article stages) ``-> Story`` (per-story stages)
and the finished ``Story`` is the briefing that ``render`` turns into JSON, Markdown or HTML.
Every object is immutable; stages return new objects with :func:`dataclasses.replace`.
Everything the briefing says carries at least one :class:`Span` into an article's cleaned ``text``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

Granularity = Literal["day", "month", "year"]
QuoteKind = Literal["direct", "partial", "indirect"]
ClaimStatus = Literal["corroborated", "single-source", "disputed"]

_FROZEN = {"frozen": True, "slots": True, "kw_only": True}


@dataclass(**_FROZEN)
class Span:
    """Character offsets ``[start, end)`` into the cleaned ``text`` of article ``article_id``."""

    article_id: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}:{self.end}")

    def resolve(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(**_FROZEN)
class Diagnostic:
    """Something doubtful or dropped; ``code`` is stable (``E-...`` errors, ``W-...`` warnings)."""

    article_id: str | None
    stage: str
    code: str
    message: str
    source: str | None = None


@dataclass(**_FROZEN)
class RawDocument:
    """One input document as read, before cleaning.

    ``content`` is ``str`` for text we decoded ourselves; hints come from JSONL fields or HTTP headers.
    """

    source: str
    content: str
    kind: Literal["text", "html"]
    url: str | None = None
    title: str | None = None
    date: str | None = None
    outlet: str | None = None


@dataclass(**_FROZEN)
class Removed:
    text: str
    reason: str


@dataclass(**_FROZEN)
class PublishedDate:
    """The publication date and why we believe it."""

    date: str  # ISO: YYYY-MM-DD, YYYY-MM or YYYY
    confidence: float
    method: str  # provided | html-meta | url | dateline | page-clock | inferred
    evidence: str


@dataclass(**_FROZEN)
class RejectedDate:
    date: str
    reason: str
    evidence: str = ""


@dataclass(**_FROZEN)
class ArticleCopy:
    """Another outlet's near-identical copy of an article (a syndicated wire story), kept only as a reference."""

    source: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None


@dataclass(**_FROZEN)
class Article:
    """A cleaned article with its metadata; ``text`` is what every span points into."""

    id: str
    source: str
    text: str
    url: str | None = None
    outlet: str | None = None
    title: str | None = None
    byline: tuple[str, ...] = ()
    published: PublishedDate | None = None
    rejected_dates: tuple[RejectedDate, ...] = ()
    language: str = "en"
    removed: tuple[Removed, ...] = ()
    content_hash: str = ""
    # Near-duplicate copies of this article from other outlets (newsbrief.dedup); not part of the hash.
    copies: tuple[ArticleCopy, ...] = ()


@dataclass(**_FROZEN)
class Sentence:
    span: Span
    text: str
    index: int


@dataclass(**_FROZEN)
class Mention:
    """An entity mention; ``label`` is spaCy's (PERSON, ORG, GPE, LOC, NORP, ...)."""

    span: Span
    text: str
    label: str
    entity_id: str | None = None


@dataclass(**_FROZEN)
class Speaker:
    entity_id: str | None
    name: str | None
    as_written: str
    confidence: float
    # Where ``as_written`` stands in the article (added by the quotes stage; None when not known).
    span: Span | None = None


@dataclass(**_FROZEN)
class Quote:
    id: str
    span: Span
    text: str
    kind: QuoteKind
    speaker: Speaker | None = None
    cue: str | None = None


@dataclass(**_FROZEN)
class TimeMention:
    """A date expression of one article resolved against that article's publication date."""

    span: Span
    as_written: str
    date: str  # ISO, to its granularity
    granularity: Granularity
    sentence_index: int


@dataclass(**_FROZEN)
class Event:
    date: str
    granularity: Granularity
    text: str
    sources: tuple[Span, ...]
    outlets: tuple[str, ...] = ()
    as_written: tuple[str, ...] = ()
    disputed_with: tuple[str, ...] = ()


@dataclass(**_FROZEN)
class Analysis:
    """One article and everything the per-article stages found in it."""

    article: Article
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[Mention, ...] = ()
    quotes: tuple[Quote, ...] = ()
    times: tuple[TimeMention, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    # The spaCy Doc of ``article.text``, kept for later stages (parse, tags); never serialised or compared.
    doc: Any = field(default=None, compare=False, repr=False)


@dataclass(**_FROZEN)
class Entity:
    id: str
    name: str
    label: str
    aliases: tuple[str, ...] = ()
    mentions: int = 0
    articles: tuple[str, ...] = ()


@dataclass(**_FROZEN)
class Cited:
    """A line of the briefing and the spans it rests on."""

    text: str
    sources: tuple[Span, ...]


@dataclass(**_FROZEN)
class ClaimVariant:
    text: str
    value: str
    sources: tuple[Span, ...]
    outlets: tuple[str, ...] = ()


@dataclass(**_FROZEN)
class Claim:
    text: str
    status: ClaimStatus
    articles: tuple[str, ...]
    outlets: tuple[str, ...]
    sources: tuple[Span, ...]
    variants: tuple[ClaimVariant, ...] = ()


@dataclass(**_FROZEN)
class Story:
    """A set of analysed articles about one story, enriched by the story stages into a briefing."""

    id: str
    analyses: tuple[Analysis, ...]
    title: str | None = None
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    timeline: tuple[Event, ...] = ()
    summary: tuple[Cited, ...] = ()
    claims: tuple[Claim, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()
    settings: dict[str, Any] = field(default_factory=dict, compare=False)

    @property
    def articles(self) -> tuple[Article, ...]:
        return tuple(a.article for a in self.analyses)
