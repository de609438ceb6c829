"""Exceptions and diagnostic codes.

Exception tree::

    NewsbriefError
    ├── InputError          a path, URL or document that cannot be read at all
    ├── ConfigError         a bad setting or option
    ├── StageError          a stage broke its contract (a bug, not bad input)
    └── MissingDependency   (also ImportError) an optional extra is not installed

Article-level problems never raise out of the pipeline: they become :class:`~newsbrief.model.Diagnostic`
records with one of the stable codes below (``E-`` the article was dropped, ``W-`` it was kept with a doubt).
"""

from __future__ import annotations

from .model import Diagnostic


class NewsbriefError(Exception):
    """Base class of every error newsbrief raises on purpose."""


class InputError(NewsbriefError):
    pass


class ConfigError(NewsbriefError):
    pass


class StageError(NewsbriefError):
    pass


class MissingDependency(NewsbriefError, ImportError):
    """An optional extra is missing; the message says which ``pip install`` fixes it."""


# code -> what it means and what to do. The messages of diagnostics start from these.
CODES: dict[str, str] = {
    "E-PATH-MISSING": "The path does not exist. Check the spelling, or quote paths that contain spaces.",
    "E-READ": "The file could not be read. Check its permissions.",
    "E-EMPTY": "The document is empty. Remove it or re-download it.",
    "E-BINARY": "The file looks binary (not text or HTML). Pass text, HTML, JSONL, RSS/Atom or WARC files.",
    "E-ENCODING": "The file is not valid UTF-8 and no other encoding fitted. Convert it to UTF-8 (iconv -t utf-8).",
    "E-TOO-LARGE": "The document is larger than the size limit. Raise ingest.max_bytes or split the file.",
    "E-NO-ARTICLE": "No article text was found (the page may be an index, a paywall or a script shell).",
    "E-JSONL": "A JSONL line is not a JSON object with 'text' or 'html'. Fix or remove that line.",
    "E-FETCH": "The URL could not be fetched. Check the address and the network, or save the page and pass the file.",
    "E-URL-BLOCKED": "The URL points to a private, loopback or link-local address; allow it with the setting ingest.allow_private.",
    "E-STAGE": "A stage failed on this article; the article was dropped from the story. Please report it.",
    "W-ENCODING": "The file was not UTF-8; it was decoded with a fallback encoding.",
    "W-DUPLICATE": "The same article text appeared more than once; only the first copy is used.",
    "W-DUPLICATE-COPY": "A near-identical copy (e.g. a syndicated wire story) was merged into the first one; its outlet is listed under the article's copies.",
    "W-DATE-CRAWL": "If you know the real date, pass it (JSONL 'date' field).",
    "W-DATE-FUTURE": "If you know the real date, pass it (JSONL 'date' field).",
    "W-DATE-CONFLICT": "If you know the real date, pass it (JSONL 'date' field).",
    "W-DATE-INFERRED": "The confidence is lower than for a stated date. If you know the real date, pass it (JSONL 'date' field).",
    "W-NO-DATE": "Its date expressions cannot be resolved. If you know the real date, pass it (JSONL 'date' field).",
    "W-SHORT": "The cleaned article is very short; the extraction may have missed the body.",
    "W-TRUNCATED": "The text was truncated to the size limit.",
}


def diagnostic(
    code: str, message: str, *, stage: str, article_id: str | None = None, source: str | None = None
) -> Diagnostic:
    """A diagnostic whose message is ``message`` followed by the code's advice."""
    advice = CODES.get(code, "")
    text = f"{message}. {advice}" if advice and not message.endswith(advice) else message
    return Diagnostic(article_id=article_id, stage=stage, code=code, message=text, source=source)
