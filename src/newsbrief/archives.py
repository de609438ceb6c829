"""WARC/ARC web archives → :class:`~newsbrief.model.RawDocument`, streamed record by record (warcio only here)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .errors import diagnostic
from .ingest import decode_document
from .model import Diagnostic, RawDocument

STAGE = "ingest"
# Largest record body read from an archive; bigger records are skipped with a diagnostic (memory stays flat).
MAX_RECORD_BYTES = 10_000_000


def iter_archive(path: Path) -> Iterator[RawDocument | Diagnostic]:
    """Every HTML response in the archive at ``path``; the archive is never loaded whole."""
    from warcio.archiveiterator import ArchiveIterator

    with path.open("rb") as stream:
        for record in ArchiveIterator(stream, arc2warc=True):
            if record.rec_type != "response" or record.http_headers is None:
                continue
            content_type = record.http_headers.get_header("Content-Type") or ""
            if "html" not in content_type and "text/plain" not in content_type:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI")
            where = f"{path}#{url}"
            body = record.content_stream().read(MAX_RECORD_BYTES + 1)
            if len(body) > MAX_RECORD_BYTES:
                yield diagnostic(
                    "E-TOO-LARGE",
                    f"{where}: record over {MAX_RECORD_BYTES:,} bytes",
                    stage=STAGE,
                    source=where,
                )
                continue
            text, problems = decode_document(body, where)
            yield from problems
            if text is None:
                continue
            # The record's WARC-Date is the crawl time, never the publication date: it is not passed on.
            yield RawDocument(
                source=where, content=text, kind="html" if "html" in content_type else "text", url=url
            )
