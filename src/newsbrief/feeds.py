"""RSS/Atom feeds → :class:`~newsbrief.model.RawDocument`, one per entry (feedparser is imported only here)."""

from __future__ import annotations

import html
import re
import time
from collections.abc import Iterator
from typing import Any

from .errors import diagnostic
from .model import Diagnostic, RawDocument

STAGE = "ingest"


def iter_feed(data: bytes, source: str) -> Iterator[RawDocument | Diagnostic]:
    """Every entry of the feed ``data`` that carries text, as an HTML raw document with its metadata."""
    import feedparser

    parsed: Any = feedparser.parse(data)
    if parsed.get("bozo") and not parsed.entries:
        yield diagnostic(
            "E-READ",
            f"{source}: not a readable RSS/Atom feed ({parsed.get('bozo_exception')})",
            stage=STAGE,
            source=source,
        )
        return
    outlet = (parsed.feed.get("title") or "").strip() or None
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{source}#{number}"
        contents = [c.get("value", "") for c in entry.get("content", []) if c.get("value")]
        body = max(contents, key=len) if contents else entry.get("summary", "")
        if not body or not body.strip():
            yield diagnostic(
                "E-EMPTY",
                f"{where}: the feed entry has no text (only a link); fetch the link instead",
                stage=STAGE,
                source=where,
            )
            continue
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        yield RawDocument(
            source=where,
            content=fragment_text(body),
            kind="text",
            url=entry.get("link"),
            title=(entry.get("title") or "").strip() or None,
            date=time.strftime("%Y-%m-%d", stamp) if stamp else None,
            outlet=outlet,
        )


_BLOCK = re.compile(r"</?(?:p|div|br|li|h[1-6]|blockquote|tr)\b[^>]*>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


def fragment_text(fragment: str) -> str:
    """A feed entry's HTML fragment as text: one paragraph a line, tags dropped (it is never rendered)."""
    text = _TAG.sub("", _BLOCK.sub("\n", fragment))
    return "\n".join(line.strip() for line in html.unescape(text).splitlines() if line.strip())
