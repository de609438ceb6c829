"""Raw documents → clean :class:`~newsbrief.model.Article` with metadata.

HTML goes through trafilatura first; then every document goes through the same line cleaner, which labels each
line as kept (headline, standfirst, body) or dropped with a reason (navigation, prompt, caption, credit,
related links, byline, date stamp, ...). Metadata is read from the lines *before* they are dropped.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from . import metadata
from .errors import diagnostic
from .metadata import DateCandidate
from .model import Article, Diagnostic, RawDocument, Removed
from .settings import IngestSettings

STAGE = "clean"

# A body paragraph has at least this many words and ends like a sentence. Eight words separates prose from
# navigation labels, captions' short credit lines and related-link titles on the seeds and on the HTML
# extraction benchmark pages.
MIN_BODY_WORDS = 8
# Headlines: 3–30 words in the lines before the body starts.
MIN_TITLE_WORDS = 3
MAX_TITLE_WORDS = 30
# Prompts ("sign up to our newsletter") are only dropped when short: a long sentence that mentions a
# newsletter is news, not a widget.
MAX_PROMPT_WORDS = 30
# In extracted (HTML) text, a line of at most this many words before the first or after the last prose
# paragraph is a widget label ("Home", "Tags", "Back to Gallery"); 3 keeps list items such as "Meal 1" inside the
# body and drops the labels seen on the HTML extraction benchmark pages.
SHORT_LABEL_WORDS = 3
# A quoted line whose words are at least this share contained in a longer line is a pull quote.
PULL_QUOTE_OVERLAP = 0.75
# A cleaned text shorter than this many words gets a W-SHORT warning.
SHORT_ARTICLE_WORDS = 40

_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』）]*\s*$|[\"”’」』]\s*$")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_URL_LINE = re.compile(r"^<?https?://\S+>?$")
_LINK_ITEM = re.compile(r"^\s*(?:[-*•]\s*)?\[[^\]]+\]\([^)]*\)\s*$")
_RELATED_HEAD = re.compile(
    r"^(related(?: articles| stories| news| coverage| content| topics)?|read (?:more|also|next)|see also|"
    r"more (?:on|from|about) (?:this|the)\b.*|more stories|recommended(?: for you)?|you (?:may|might) also like|"
    r"most (?:read|popular|viewed|shared)|trending(?: now)?|further reading|also read|also on [\w ]+|"
    r"editor'?s picks)\s*[:.]?$",
    re.IGNORECASE,
)
_INLINE_RELATED = re.compile(
    r"^(?:read (?:more|also)|related|see also|also read|watch|listen)\s*[:|–—-]\s*\S", re.IGNORECASE
)
_PROMPT = re.compile(
    r"\b(sign(?:ing)? up|subscribe|subscription|newsletter|follow us|follow @|share (?:this|on|via)|"
    r"get short url|listen live|download (?:our|the) app|click here|tap here|join (?:us|our)|never miss a|"
    r"keep you up to speed|support (?:our|us)|donate|"
    r"all rights reserved|privacy policy|terms of (?:use|service)|log ?in|register now|create (?:an|your) account|"
    r"print this|email this|report (?:an )?error|send us|contact us|advertise with|got a (?:tip|story)|"
    r"copy this code|embed this|autoplay)\b",
    re.IGNORECASE,
)
# Platform names make a line a prompt only outside prose: "he wrote on Twitter" is news, "Twitter" alone is a
# share button.
_PLATFORM = re.compile(r"\b(whatsapp|telegram|facebook|twitter|instagram|youtube)\b", re.IGNORECASE)
_ADVERT = re.compile(
    r"^(?:advertisement|advert|ad|sponsored(?: content)?|promoted|partner content)\s*:?$", re.IGNORECASE
)
_COMMENTS = re.compile(
    r"^(?:comments?(?: \(\d+\))?|\d+ comments?|leave a (?:comment|reply)|add (?:a )?comment|discussion|"
    r"community standards\w*|comment via .*|show comments|view comments|join the (?:discussion|conversation))$",
    re.IGNORECASE,
)
_COOKIE = re.compile(r"\b(cookies?|gdpr|consent)\b", re.IGNORECASE)
_CREDIT = re.compile(
    r"(?:^|\s)(?:©|\(c\)|copyright\b|photo(?:graph)?s?\s*(?::|by\b|credit)|image(?:s)?\s*(?::|by\b|credit|copyright)|"
    r"picture\s*:|credit\s*:|getty images|afp/getty|ap photo|reuters/|/\s*reuters\b|/\s*afp\b|/\s*ap\b|"
    r"epa\b|shutterstock|file photo|image caption)",
    re.IGNORECASE,
)
# Section labels pasted in front of a headline by page scrapes ("Story highlights London police seek ...",
# "BREAKING: ..."); a separator is required after the short labels that can open a real headline.
_HEADLINE_LABEL = re.compile(
    r"^(?:story highlights\s*[:|–—-]?|(?:breaking(?: news)?|exclusive|watch|video|live|updated?)\s*[:|–—]|"
    r"(?:breaking(?: news)?|exclusive|watch|video|live)\s+-)\s*",
    re.IGNORECASE,
)
_BOLD_TAIL = re.compile(r"\*\*[^*]{2,60}\*\*\s*$")
_BYLINE = re.compile(r"^\s*(?:written\s+)?by\s*[:\s]\s*\S", re.IGNORECASE)
_CONTACT = re.compile(r"^(?:contact|email|e-mail|write to)\b.*@|^\S+@\S+\.\w+$", re.IGNORECASE)
_NAV_SEPARATORS = re.compile(r"\s[|»›>/]\s")
_WORD = re.compile(r"[\w’'-]+")
# Scripts written without spaces (Chinese, Japanese kana and kanji, Thai): _WORD sees a whole sentence as one
# word there, so every character counts as half a word (about two characters a word in Chinese and Japanese).
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _count_words(text: str) -> int:
    words = len(_WORD.findall(text))
    return words if text.isascii() else words + len(_UNSPACED.findall(text)) // 2


@dataclass(frozen=True, slots=True, kw_only=True)
class _Line:
    text: str
    index: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Cleaned:
    """The line cleaner's result: kept paragraphs, removed lines and the metadata read on the way."""

    paragraphs: tuple[str, ...]
    removed: tuple[Removed, ...]
    title: str | None
    byline: tuple[str, ...]
    url: str | None
    outlet: str | None
    date_candidates: tuple[DateCandidate, ...]


def clean_document(
    raw: RawDocument, article_id: str, settings: IngestSettings | None = None
) -> tuple[Article | None, list[Diagnostic]]:
    """Clean one raw document into an article; ``None`` plus an ``E-`` diagnostic when no article is in it."""
    settings = settings or IngestSettings()
    diagnostics: list[Diagnostic] = []
    content = raw.content
    html_meta: dict[str, str | None] = {}
    if raw.kind == "html":
        extracted = extract_html(content, url=raw.url)
        if extracted is None:
            diagnostics.append(
                diagnostic(
                    "E-NO-ARTICLE",
                    f"{raw.source}: no article text found in the HTML",
                    stage=STAGE,
                    source=raw.source,
                )
            )
            return None, diagnostics
        content, html_meta = extracted
    cleaned = clean_lines(content.splitlines(), extracted=raw.kind == "html")
    text = "\n\n".join(cleaned.paragraphs)
    if len(text) > settings.max_text_chars:
        cut = text.rfind("\n\n", 0, settings.max_text_chars)
        text = text[: cut if cut > 0 else settings.max_text_chars]
        diagnostics.append(
            diagnostic(
                "W-TRUNCATED",
                f"{raw.source}: text cut at {len(text):,} characters",
                stage=STAGE,
                article_id=article_id,
                source=raw.source,
            )
        )
    if not _WORD.search(text):
        diagnostics.append(
            diagnostic(
                "E-NO-ARTICLE",
                f"{raw.source}: nothing but boilerplate was found",
                stage=STAGE,
                source=raw.source,
            )
        )
        return None, diagnostics
    if len(_WORD.findall(text)) < SHORT_ARTICLE_WORDS:
        diagnostics.append(
            diagnostic(
                "W-SHORT",
                f"{raw.source}: only {len(_WORD.findall(text))} words of text",
                stage=STAGE,
                article_id=article_id,
                source=raw.source,
            )
        )
    url = raw.url or html_meta.get("url") or cleaned.url
    outlet = (
        raw.outlet
        or metadata.outlet_from_url(url)
        or html_meta.get("sitename")
        or cleaned.outlet
        or metadata.agency_in(text[:400])
        or metadata.outlet_from_signature(content)
    )
    candidates = [
        c
        for c in (
            metadata.iso_candidate(raw.date, "provided"),
            metadata.iso_candidate(html_meta.get("date"), "html-meta"),
            metadata.url_candidate(url),
        )
        if c is not None
    ]
    candidates.extend(cleaned.date_candidates)
    published, rejected, date_diags = metadata.choose_published(candidates, text, article_id=article_id)
    diagnostics.extend(date_diags)
    author = html_meta.get("author")
    byline = cleaned.byline or (metadata.byline_names(author) if author else ())
    article = Article(
        id=article_id,
        source=raw.source,
        text=text,
        url=url,
        outlet=outlet,
        title=raw.title or html_meta.get("title") or cleaned.title,
        byline=byline,
        published=published,
        rejected_dates=rejected,
        removed=cleaned.removed,
        content_hash=content_hash(text),
    )
    return article, diagnostics


def content_hash(text: str) -> str:
    """A hash of the normalised text, so the same article from two files or fetches is stored once."""
    normal = " ".join(unicodedata.normalize("NFKC", text).lower().split())
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()


def extract_html(html: str, *, url: str | None = None) -> tuple[str, dict[str, str | None]] | None:
    """Main text and metadata of an HTML page via trafilatura, or None when it holds no article."""
    import trafilatura

    try:
        document = trafilatura.bare_extraction(
            html, url=url, include_comments=False, include_tables=True, favor_recall=False, with_metadata=True
        )
    except Exception:  # trafilatura raises on some malformed markup; that page simply has no article
        return None
    if document is None:
        return None
    text = getattr(document, "text", None)
    if not text or not text.strip():
        return None
    title = getattr(document, "title", None)
    meta = {
        "title": title,
        "author": getattr(document, "author", None),
        "date": getattr(document, "date", None),
        "sitename": getattr(document, "sitename", None),
        "url": getattr(document, "url", None),
    }
    # The page's headline stays in ``Article.title`` (HTML knows it apart from the body); the text is the body.
    return text, meta


def clean_lines(raw_lines: Sequence[str], *, extracted: bool = False) -> Cleaned:
    """Label every line as kept or removed (with its reason) and read metadata from the removed ones.

    ``extracted`` says the lines come from trafilatura, which already removed the page chrome using the DOM:
    then a line is not dropped for where it stands (before the first or after the last prose paragraph, a short
    line inside the body), only for what it says (prompts, credits, bylines, related-link headings, ...).
    """
    lines = [_Line(text=_normalise(t), index=i) for i, t in enumerate(raw_lines)]
    lines = [line for line in lines if line.text]
    removed: dict[int, str] = {}
    title: str | None = None
    byline: tuple[str, ...] = ()
    url: str | None = None
    outlet: str | None = None
    dates: list[DateCandidate] = []
    texts = [line.text for line in lines]
    body = [_is_prose(t) and not _is_boilerplate_prose(t) for t in texts]
    first_body = next((i for i, b in enumerate(body) if b), len(lines))
    last_body = max((i for i, b in enumerate(body) if b), default=-1)
    in_related = False
    after_credit = False
    headline_kept = False

    for i, line in enumerate(lines):
        text = line.text
        plain = _MD_LINK.sub(r"\1", text).strip()
        words = _count_words(plain)
        reason: str | None = None
        if (
            _URL_LINE.match(text) and not extracted
        ):  # in an extracted body a bare link is body (a list of links)
            reason = "source-url"
            url = url or text.strip("<>")
        elif re.match(r"^(?:original|source)\s+url\s*:?$", plain, re.IGNORECASE):
            reason = "source-url"
        elif _LINK_ITEM.match(text):
            reason = "related-links"
        elif _RELATED_HEAD.match(plain) or (_INLINE_RELATED.match(plain) and not body[i]):
            reason = "related-links"
            # A "Related" label above the headline is a menu item; below the body it opens a link list.
            in_related = i > first_body
        elif _BYLINE.match(plain) and words <= 12 and not _SENTENCE_END.search(plain.rstrip("*_")):
            reason = "byline"
            byline = byline or metadata.byline_names(plain)
        elif words <= 14 and metadata.is_date_stamp(plain):
            reason = "date-stamp"
            candidate = metadata.stamp_candidate(plain)
            if candidate is not None and i < max(first_body, 1) + 3:
                dates.append(candidate)
            # "Posted: ... / by / Name" carries a byline too.
            by = re.search(r"\bby\b\s*(.+)$", plain, re.IGNORECASE)
            if by and not byline:
                byline = metadata.byline_names(by.group(1))
        elif _CONTACT.match(plain):
            reason = "contact"
        elif _ADVERT.match(plain):
            reason = "advertisement"
        elif _COMMENTS.match(plain) or (
            re.search(r"\bcomments?\b", plain, re.I) and words <= 4 and not _SENTENCE_END.search(plain)
        ):
            reason = "comments"
        elif (
            words <= MAX_PROMPT_WORDS
            and _COOKIE.search(plain)
            and re.search(r"\b(we|our|you|accept)\b", plain, re.I)
        ):
            reason = "cookie-notice"
        elif _CREDIT.search(plain) and (words <= 14 or not body[i]):
            reason = "photo-credit"
            after_credit = True
            outlet = outlet or metadata.outlet_from_signature(plain)
        elif (_BOLD_TAIL.search(text) and not body[i]) or (
            _BOLD_TAIL.search(text) and words <= 40 and i < first_body + 2
        ):
            reason = "photo-caption"
        elif (
            words <= MAX_PROMPT_WORDS
            and _is_prompt(plain, prose=body[i])
            and (not body[i] or re.search(r"\b(our|us|you|your|we)\b", plain, re.IGNORECASE))
        ):
            reason = "prompt"
        elif not body[i]:
            reason = _classify_non_prose(
                lines, i, first_body, last_body, in_related, after_credit, texts, extracted=extracted
            )
            if reason == "headline":
                title_text, site = _split_site(plain)
                title_text = _HEADLINE_LABEL.sub("", title_text) or title_text
                if site:
                    outlet = outlet or site
                if headline_kept:
                    reason = "duplicate" if _same(title_text, title) else "navigation"
                elif site and any(_same(title_text, other) for j, other in enumerate(texts) if j > i):
                    # "Headline | Site" page title; the bare headline line follows and is kept instead.
                    reason = "page-title"
                    title = title or title_text
                else:
                    reason = None
                    headline_kept = True
                    title = title_text
                    lines[i] = _Line(text=title_text, index=line.index)
            elif reason == "source-credit":
                outlet = outlet or metadata.agency_in(plain)
        else:
            in_related = False
            # trafilatura already drops DOM pull-quote boxes; a quoted line left in its output is body text.
            if not extracted and _is_pull_quote(plain, texts, i):
                reason = "pull-quote"
        if reason is None and body[i]:
            after_credit = False
        if reason is not None:
            removed[i] = reason

    paragraphs = tuple(_strip_markup(line.text) for i, line in enumerate(lines) if i not in removed)
    removed_items = tuple(Removed(text=lines[i].text, reason=removed[i]) for i in sorted(removed))
    return Cleaned(
        paragraphs=paragraphs,
        removed=removed_items,
        title=title,
        byline=byline,
        url=url,
        outlet=outlet,
        date_candidates=tuple(dates),
    )


def _classify_non_prose(
    lines: list[_Line],
    i: int,
    first_body: int,
    last_body: int,
    in_related: bool,
    after_credit: bool,
    texts: list[str],
    *,
    extracted: bool = False,
) -> str | None:
    """Reason for a line that is not a body paragraph, or "headline" for a headline candidate."""
    plain = _MD_LINK.sub(r"\1", lines[i].text).strip()
    words = _WORD.findall(plain)
    n_words = _count_words(plain)
    if metadata.agency_in(plain) and len(words) <= 3:
        return "source-credit"
    if not extracted and _is_tag_list(plain):
        return "tags"
    if in_related:
        return "related-links"
    neighbours = [texts[j] for j in (i - 1, i + 1) if 0 <= j < len(texts)]
    if extracted:
        # Lists, tables, hard-wrapped lines and sub-headings of an extracted body stay; only the first line
        # (the headline extract_html puts back) is a headline candidate.
        headline = i == 0 < first_body and MIN_TITLE_WORDS <= n_words <= MAX_TITLE_WORDS
        if headline and not plain.endswith(":"):
            return "headline"
        if after_credit or any(_CREDIT.search(n) for n in neighbours):
            return "photo-caption"
        # A label of a few words outside the prose ("Home", "Tags", "Updated") is a leftover widget.
        outside = i < first_body or i > last_body
        return "navigation" if outside and n_words <= SHORT_LABEL_WORDS else None
    if i < first_body:
        if MIN_TITLE_WORDS <= n_words <= MAX_TITLE_WORDS and not plain.endswith(":"):
            return "headline"
        return "navigation"
    if after_credit or any(_CREDIT.search(n) for n in neighbours):
        return "photo-caption"
    if i > last_body:
        return "related-links" if len(words) >= 4 else "navigation"
    if _is_pull_quote(plain, texts, i):
        return "pull-quote"
    if len(words) <= 3:
        # A name split over lines or a lone label inside the body: pull-quote attributions, widget labels.
        return "fragment"
    if _SENTENCE_END.search(plain) or len(words) >= MIN_BODY_WORDS:
        return None  # a short sentence in the body is body text
    return None  # a sub-heading inside the body stays


def _is_prose(text: str) -> bool:
    plain = _MD_LINK.sub(r"\1", text).strip().rstrip("*_ ")
    words = _count_words(plain)
    if words >= MIN_BODY_WORDS and _SENTENCE_END.search(plain):
        return True
    # A long line without final punctuation (a quote cut by the scraper) is still body text.
    return words >= 3 * MIN_BODY_WORDS


def _is_boilerplate_prose(text: str) -> bool:
    plain = _MD_LINK.sub(r"\1", text).strip()
    words = _count_words(plain)
    if (
        words <= MAX_PROMPT_WORDS
        and _is_prompt(plain, prose=True)  # only called for prose lines
        and re.search(r"\b(our|us|you|your)\b", plain, re.I)
    ):
        return True
    return bool(words <= 14 and _CREDIT.search(plain))


def _is_prompt(plain: str, *, prose: bool) -> bool:
    return bool(_PROMPT.search(plain) or (not prose and _PLATFORM.search(plain)))


def _is_tag_list(text: str) -> bool:
    items = [p.strip() for p in text.split(",")]
    return (
        len(items) >= 4
        and all(0 < len(_WORD.findall(p)) <= 3 for p in items)
        and not _SENTENCE_END.search(text)
    )


def _is_pull_quote(text: str, texts: list[str], index: int) -> bool:
    stripped = text.strip()
    if not stripped or stripped[0] not in "'\"‘“«":
        return False
    mine = {w.lower() for w in _WORD.findall(stripped)}
    if len(mine) < 4:
        return False
    for j, other in enumerate(texts):
        if j == index or len(other) <= len(stripped):
            continue
        if len(mine & _word_set(other)) >= PULL_QUOTE_OVERLAP * len(mine):
            return True
    return False


@lru_cache(maxsize=4096)
def _word_set(text: str) -> frozenset[str]:
    """Lower-cased words of a line; cached because every quoted line is compared with every longer line."""
    return frozenset(w.lower() for w in _WORD.findall(text))


def _split_site(text: str) -> tuple[str, str | None]:
    """ "Headline | Site Name" → ("Headline", "Site Name")."""
    parts = _NAV_SEPARATORS.split(text)
    if len(parts) == 2 and 1 <= len(_WORD.findall(parts[1])) <= 5:
        return parts[0].strip(), parts[1].strip()
    return text, None


def _same(a: str, b: str | None) -> bool:
    if b is None:
        return False

    def norm(s: str) -> str:
        return " ".join(w.lower() for w in _WORD.findall(s))

    return norm(a) == norm(b)


def _strip_markup(text: str) -> str:
    """Markdown links and emphasis left by scrapers → plain text."""
    text = _MD_LINK.sub(r"\1", text)
    return re.sub(r"\*\*([^*]+)\*\*|__([^_]+)__", lambda m: m.group(1) or m.group(2), text)


def _normalise(text: str) -> str:
    """Unicode NFC, no control characters, single spaces; markdown emphasis kept for caption detection."""
    text = unicodedata.normalize("NFC", text)
    if not text.isprintable():  # the per-character pass only for the rare line that needs it
        text = "".join(ch if ch.isprintable() or ch == "\t" else " " for ch in text)
    return re.sub(r"\s+", " ", text).strip()
