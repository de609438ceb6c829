"""Article metadata: outlet, byline and the publication date with its evidence.

The cleaner hands over the lines it is about to drop (date stamps, bylines, credits, page titles) so that their
metadata is read *before* they leave the text. Publication-date candidates are checked against what the text
itself describes (:func:`newsbrief.temporal.infer_publication_date`): a page clock or crawl date later than the
events described is rejected, and an article with no usable date gets one inferred from its content.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from importlib import resources
from typing import Any
from urllib.parse import urlparse

from .errors import diagnostic
from .model import Diagnostic, PublishedDate, RejectedDate

STAGE = "metadata"

_MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
_MONTH_RE = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?"
    r"|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "April 29, 2013", "Sep 2, 2016", "02 June 2020", "2016-09-02", "09/02/2016" (US order: month first).
STAMP_DATE = re.compile(
    rf"(?P<mdy>(?P<m1>{_MONTH_RE})\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d))"
    rf"|(?P<dmy>(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<m2>{_MONTH_RE}),?\s+(?P<y2>(?:19|20)\d\d))"
    r"|(?P<iso>(?P<y3>(?:19|20)\d\d)-(?P<m3>\d\d)-(?P<d3>\d\d))"
    r"|(?P<us>(?P<m4>\d{1,2})/(?P<d4>\d{1,2})/(?P<y4>(?:19|20)\d\d))",
    re.IGNORECASE,
)
CLOCK = re.compile(r"\b\d{1,2}:\d\d(?::\d\d)?\s*(?:[ap]\.?m\.?|GMT|UTC|MSK|[A-Z]{2,4}T)?", re.IGNORECASE)
PUBLISH_WORDS = re.compile(r"\b(posted|published|updated|first published|last modified|created)\b", re.I)
URL_DATE = re.compile(r"/((?:19|20)\d\d)[/-](\d\d)[/-](\d\d)(?:/|[^\d]|$)")

# Confidence of each way of knowing the date. A date stated by the source (JSONL field) or a dated line under
# the headline is the most reliable; HTML meta tags are often the modification time; a URL date is the
# publication day for most news sites; a clock line (time first, timezone) is usually the page's "now".
CONFIDENCE = {"provided": 0.99, "dateline": 0.95, "html-meta": 0.9, "url": 0.9, "page-clock": 0.5}
# A candidate further than this from the content-inferred date, while the content gives a confident
# estimate, is treated as a crawl or page-clock date. A year: articles often recall last year's events.
CONTENT_CONFLICT_DAYS = 366
# Content dating must be at least this confident to overrule a stated date.
CONTENT_OVERRULE_CONFIDENCE = 0.3
# Content dating reads this many leading characters: the news peg and its tense cues sit early in an
# article, and reading whole long-reads cost more than all other cleaning (throughput benchmark).
CONTENT_DATING_CHARS = 8000
# Publication cannot be before what the text reports as past; allow a month for approximate month dates.
PAST_BOUND_SLACK_DAYS = 31


@dataclass(frozen=True, slots=True, kw_only=True)
class DateCandidate:
    date: date
    method: str
    evidence: str


@lru_cache(maxsize=1)
def outlet_knowledge() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        resources.files("newsbrief").joinpath("data/outlets.json").read_text(encoding="utf-8")
    )
    return data


def outlet_from_url(url: str | None) -> str | None:
    """The outlet for a URL's domain: from the knowledge base, else a readable form of the domain."""
    if not url:
        return None
    host = (urlparse(url).hostname or "").lower()
    if not host:
        return None
    domains: dict[str, str] = outlet_knowledge()["domains"]
    parts = host.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        if candidate in domains:
            return domains[candidate]
    labels = [p for p in parts if p not in {"www", "m", "amp", "edition", "news", "mobile"}]
    return labels[0].capitalize() if labels else host


@lru_cache(maxsize=1)
def _agency_patterns() -> tuple[re.Pattern[str], ...]:
    agencies: dict[str, str] = outlet_knowledge()["agencies"]
    names = "|".join(sorted((re.escape(a) for a in agencies), key=len, reverse=True))
    return (
        re.compile(rf"\((?P<a>{names})\)"),  # (AFP) / (Kyodo)
        re.compile(rf"^[\s•·*\-–—|]*(?P<a>{names})(?:\s+News)?[\s.]*$", re.MULTILINE),  # credit line
    )


def agency_in(text: str) -> str | None:
    """A wire agency named in a dateline or credit: "MOSCOW (AFP) -", "(Kyodo)", "• Kyodo", "— Reuters"."""
    agencies: dict[str, str] = outlet_knowledge()["agencies"]
    for pattern in _agency_patterns():
        match = pattern.search(text.strip())
        if match:
            return agencies[match.group("a")]
    return None


def outlet_from_signature(text: str) -> str | None:
    """An outlet recognised by boilerplate only it prints (a footer prompt, a photo-credit form)."""
    lowered = text.lower()
    for signature in outlet_knowledge()["signatures"]:
        needed = signature.get("requires")
        if signature["pattern"].lower() in lowered and (needed is None or needed.lower() in lowered):
            return str(signature["outlet"])
    return None


_NOT_NAMES = re.compile(
    r"\b(staff|reporter|correspondent|editor|editors|desk|agency|agencies|news|wire|team|writer|contributor|"
    r"minute|read|published|updated|am|pm|edt|est|gmt|utc|comments?)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"^[A-Z][a-zA-Z'’.-]+(?:\s+(?:[A-Z][a-zA-Z'’.-]+|de|van|von|der|da|bin|al-\w+)){1,3}$")


def byline_names(line: str) -> tuple[str, ...]:
    """Person names from a byline such as "By [Ivan Petrov](#) and Jane Roe, Reuters"; never dates or roles."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line)  # markdown links
    text = re.sub(r"^\s*(?:written\s+)?by[:\s]+", "", text, flags=re.IGNORECASE)
    text = STAMP_DATE.sub(" ", text)
    names: list[str] = []
    for part in re.split(r"\s*(?:,|;|/|\||\band\b|&|\bin\b|\bfor\b)\s*", text):
        part = part.strip(" *_.-–—")
        if not part or _NOT_NAMES.search(part) or any(ch.isdigit() for ch in part):
            continue
        if _NAME.match(part) and part not in outlet_knowledge()["agencies"]:
            names.append(part)
    return tuple(dict.fromkeys(names))


def parse_stamp_date(text: str) -> date | None:
    """The first full calendar date written in ``text`` (a date stamp or dateline), or None."""
    for match in STAMP_DATE.finditer(text):
        groups = match.groupdict()
        try:
            if groups["mdy"]:
                return date(int(groups["y1"]), _month(groups["m1"]), int(groups["d1"]))
            if groups["dmy"]:
                return date(int(groups["y2"]), _month(groups["m2"]), int(groups["d2"]))
            if groups["iso"]:
                return date(int(groups["y3"]), int(groups["m3"]), int(groups["d3"]))
            if groups["us"]:
                return date(int(groups["y4"]), int(groups["m4"]), int(groups["d4"]))
        except (ValueError, KeyError):
            continue
    return None


def _month(name: str) -> int:
    return _MONTHS[name.strip(".").lower()[:3]]


def is_date_stamp(line: str) -> bool:
    """A line that is a date stamp (with optional time, "Posted:", "/ by /"), not a sentence about a date."""
    match = STAMP_DATE.search(line)
    if not match:
        return False
    rest = STAMP_DATE.sub(" ", line)
    rest = CLOCK.sub(" ", rest)
    rest = PUBLISH_WORDS.sub(" ", rest)
    rest = re.sub(r"\b(at|on|by|comments?|\(\d+\)|GMT|UTC|am|pm|last|\w+day)\b", " ", rest, flags=re.I)
    words = re.findall(r"[A-Za-z]{2,}", rest)
    return len(words) <= 2


def stamp_candidate(line: str) -> DateCandidate | None:
    """A publication-date candidate from a date-stamp line; clock-first lines are page clocks."""
    day = parse_stamp_date(line)
    if day is None:
        return None
    clock = CLOCK.search(line)
    stamp = STAMP_DATE.search(line)
    # "09:11 GMT02 June 2020" (time before the date, no "posted"/"published") is how pages print their clock.
    clock_first = clock is not None and stamp is not None and clock.start() < stamp.start()
    method = "page-clock" if clock_first and not PUBLISH_WORDS.search(line) else "dateline"
    return DateCandidate(date=day, method=method, evidence=line.strip())


def url_candidate(url: str | None) -> DateCandidate | None:
    if not url:
        return None
    match = URL_DATE.search(url)
    if not match:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return DateCandidate(date=day, method="url", evidence=url)


def iso_candidate(value: str | None, method: str) -> DateCandidate | None:
    """A candidate from an ISO-like string (JSONL ``date`` field, HTML meta)."""
    if not value:
        return None
    match = re.match(r"\s*((?:1[0-9]|20|21)\d\d)-(\d\d)-(\d\d)", value)
    day: date | None
    if match:
        try:
            day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        except ValueError:
            day = None
    else:
        day = parse_stamp_date(value)
    return DateCandidate(date=day, method=method, evidence=value.strip()) if day else None


def choose_published(
    candidates: list[DateCandidate],
    text: str,
    *,
    article_id: str,
    today: date | None = None,
) -> tuple[PublishedDate | None, tuple[RejectedDate, ...], list[Diagnostic]]:
    """Pick the publication date among ``candidates``, checked against the content; else infer one."""
    today = today or date.today()
    diagnostics: list[Diagnostic] = []
    rejected: list[RejectedDate] = []
    try:
        from .temporal import infer_publication_date

        dating = infer_publication_date(text[:CONTENT_DATING_CHARS])
    except Exception:  # content dating is a check, never a reason to lose the article
        dating = None
    content_day = _iso_to_date(dating.date) if dating else None
    kept: list[DateCandidate] = []
    for cand in candidates:
        iso = cand.date.isoformat()
        if cand.date > today + timedelta(days=1):
            rejected.append(RejectedDate(date=iso, reason="in the future", evidence=cand.evidence))
            diagnostics.append(
                diagnostic(
                    "W-DATE-FUTURE",
                    f"{cand.method} date {iso} is after today; ignored",
                    stage=STAGE,
                    article_id=article_id,
                )
            )
            continue
        reason = _content_conflict(cand, dating, content_day)
        if reason:
            rejected.append(RejectedDate(date=iso, reason=reason, evidence=cand.evidence))
            diagnostics.append(
                diagnostic(
                    "W-DATE-CRAWL",
                    f"{cand.method} date {iso} is {reason}; ignored",
                    stage=STAGE,
                    article_id=article_id,
                )
            )
            continue
        kept.append(cand)
    if kept:
        best = max(kept, key=lambda c: CONFIDENCE.get(c.method, 0.5))
        others = {c.date for c in kept if c.method != "page-clock"} - {best.date}
        confidence = CONFIDENCE.get(best.method, 0.5)
        if others:
            confidence = round(confidence * 0.8, 2)
            diagnostics.append(
                diagnostic(
                    "W-DATE-CONFLICT",
                    f"date candidates disagree ({', '.join(sorted(d.isoformat() for d in others))}); "
                    f"used {best.date.isoformat()} from the {best.method}",
                    stage=STAGE,
                    article_id=article_id,
                )
            )
        published = PublishedDate(
            date=best.date.isoformat(), confidence=confidence, method=best.method, evidence=best.evidence
        )
        return published, tuple(rejected), diagnostics
    if dating is not None:
        published = PublishedDate(
            date=dating.date, confidence=dating.confidence, method="inferred", evidence=dating.evidence
        )
        diagnostics.append(
            diagnostic(
                "W-DATE-INFERRED",
                f"no usable date stated; inferred {dating.date} from the content",
                stage=STAGE,
                article_id=article_id,
            )
        )
        return published, tuple(rejected), diagnostics
    return None, tuple(rejected), diagnostics


def _content_conflict(cand: DateCandidate, dating: Any, content_day: date | None) -> str | None:
    """Why the content says ``cand`` cannot be the publication date, or None."""
    if dating is None:
        return None
    latest = getattr(dating, "latest", None)
    earliest = getattr(dating, "earliest", None)
    if latest is not None and cand.date > latest + timedelta(days=PAST_BOUND_SLACK_DAYS):
        return f"later than {latest.isoformat()}, which the text still describes as ahead"
    if (
        content_day is not None
        and dating.confidence >= CONTENT_OVERRULE_CONFIDENCE
        and cand.date - content_day > timedelta(days=CONTENT_CONFLICT_DAYS)
    ):
        return f"later than the events described (the text points to {dating.date}); page clock / crawl time"
    if earliest is not None and cand.date < earliest - timedelta(days=PAST_BOUND_SLACK_DAYS):
        return f"earlier than {earliest.isoformat()}, which the text already reports"
    return None


def _iso_to_date(value: str) -> date | None:
    parts = value.split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 7
        day = int(parts[2]) if len(parts) > 2 else 15
        return date(year, month, day)
    except (ValueError, IndexError):
        return None
