"""A batch's per-article bookkeeping on disk, so the driver's memory does not grow with the stream.

A batch must remember, for every article it has read, which story it joined, where it came from, its cleaning
notes and the syndicated copies folded into it, until the stories are briefed and the index written. Held in
Python objects that is about half a kilobyte per article: a stream of a million articles would need half a
gigabyte. :class:`BatchLedger` keeps those records, the batch's diagnostics and its index lines in a private
temporary SQLite database instead (deleted when it is closed), and reads them back in order, one story at a
time, when they are needed.

Not the :class:`~newsbrief.store.Store`: these rows describe one run (a resumed run re-reads its inputs and
rebuilds them); the store keeps what outlives a run (texts, analyses, briefings).
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import sqlite3
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .model import ArticleCopy, Diagnostic

__all__ = ["BatchLedger", "LedgerEntry"]

# Rows looked up per query when reading entries back by hash (SQLite's default limit of host parameters is
# 32,766; far fewer keep each statement cheap to prepare).
_LOOKUP_CHUNK = 500

_SCHEMA = """
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,
    hash TEXT NOT NULL UNIQUE,
    story TEXT NOT NULL,
    source TEXT NOT NULL,
    notes TEXT NOT NULL,
    copies TEXT NOT NULL
);
CREATE INDEX articles_story ON articles (story, seq);
CREATE TABLE diagnostics (seq INTEGER PRIMARY KEY, data TEXT NOT NULL);
CREATE TABLE stories (seq INTEGER PRIMARY KEY, id TEXT NOT NULL, articles INTEGER NOT NULL, data TEXT NOT NULL);
"""


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerEntry:
    """What a batch remembers of one article: its story, source, cleaning notes and folded copies."""

    hash: str
    story: str
    source: str
    notes: tuple[Diagnostic, ...] = ()
    copies: tuple[ArticleCopy, ...] = ()


def _diagnostic_json(diag: Diagnostic) -> str:
    return json.dumps(dataclasses.asdict(diag), ensure_ascii=False)


def _diagnostic(data: str) -> Diagnostic:
    return Diagnostic(**json.loads(data))


def _copies(data: str) -> tuple[ArticleCopy, ...]:
    return tuple(ArticleCopy(**c) for c in json.loads(data))


class BatchLedger:
    """Per-article records, diagnostics and index lines of one batch run, in a temporary SQLite database.

    Mutable (it is the running record of a stream) and single-threaded: the batch driver owns it.
    """

    def __init__(self) -> None:
        # "" = a private temporary database on disk that SQLite deletes on close; its page cache (2 MiB by
        # default) is all it holds in memory. Nothing here must survive a crash, hence no journal and no sync.
        self._conn = sqlite3.connect("", isolation_level=None, check_same_thread=False)
        self._conn.execute("PRAGMA journal_mode=OFF")
        self._conn.execute("PRAGMA synchronous=OFF")
        self._conn.executescript(_SCHEMA)
        self._articles = 0
        self._diagnostics = 0

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> BatchLedger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- articles

    def add(self, hash: str, story: str, source: str, notes: Sequence[Diagnostic] = ()) -> None:
        self._conn.execute(
            "INSERT INTO articles (hash, story, source, notes, copies) VALUES (?, ?, ?, ?, '[]')",
            (hash, story, source, json.dumps([dataclasses.asdict(d) for d in notes], ensure_ascii=False)),
        )
        self._articles += 1

    def __contains__(self, hash: object) -> bool:
        return self._conn.execute("SELECT 1 FROM articles WHERE hash = ?", (hash,)).fetchone() is not None

    def __len__(self) -> int:
        return self._articles

    def add_copy(self, hash: str, copy: ArticleCopy) -> bool:
        """Fold ``copy`` into the article ``hash``; False when it is the article itself or already listed."""
        row = self._conn.execute("SELECT source, copies FROM articles WHERE hash = ?", (hash,)).fetchone()
        if row is None:
            raise KeyError(hash)
        source, copies = row[0], _copies(row[1])
        if copy.source == source or copy in copies:  # the same file read twice is not a copy
            return False
        data = [dataclasses.asdict(c) for c in (*copies, copy)]
        self._conn.execute(
            "UPDATE articles SET copies = ? WHERE hash = ?", (json.dumps(data, ensure_ascii=False), hash)
        )
        return True

    def entries(self, hashes: Sequence[str]) -> dict[str, LedgerEntry]:
        """The entries of ``hashes`` (those the ledger has), by hash."""
        out: dict[str, LedgerEntry] = {}
        for start in range(0, len(hashes), _LOOKUP_CHUNK):
            part = hashes[start : start + _LOOKUP_CHUNK]
            rows = self._conn.execute(
                "SELECT hash, story, source, notes, copies FROM articles "
                f"WHERE hash IN ({', '.join('?' * len(part))})",
                tuple(part),
            )
            for hash, story, source, notes, copies in rows:
                out[hash] = LedgerEntry(
                    hash=hash,
                    story=story,
                    source=source,
                    notes=tuple(Diagnostic(**d) for d in json.loads(notes)),
                    copies=_copies(copies),
                )
        return out

    def stories(self) -> Iterator[tuple[str, list[str]]]:
        """(story id, its article hashes in reading order), stories in the order of their first article.

        Streamed: one story's hashes in memory at a time.
        """
        rows = self._conn.execute(
            "SELECT a.story, a.hash FROM articles AS a "
            "JOIN (SELECT story, MIN(seq) AS first FROM articles GROUP BY story) AS f ON f.story = a.story "
            "ORDER BY f.first, a.seq"
        )
        for story, group in itertools.groupby(rows, key=lambda row: str(row[0])):
            yield story, [str(h) for _, h in group]

    # -- diagnostics of the run (inputs that gave no article)

    def add_diagnostic(self, diag: Diagnostic) -> None:
        self._conn.execute("INSERT INTO diagnostics (data) VALUES (?)", (_diagnostic_json(diag),))
        self._diagnostics += 1

    def add_diagnostics(self, diags: Sequence[Diagnostic]) -> None:
        for diag in diags:
            self.add_diagnostic(diag)

    @property
    def diagnostic_count(self) -> int:
        return self._diagnostics

    def diagnostics(self) -> Iterator[Diagnostic]:
        for (data,) in self._conn.execute("SELECT data FROM diagnostics ORDER BY seq"):
            yield _diagnostic(data)

    # -- the index: one line per briefed story

    def add_story(self, story_id: str, articles: int, line: dict[str, Any]) -> None:
        self._conn.execute(
            "INSERT INTO stories (id, articles, data) VALUES (?, ?, ?)",
            (story_id, articles, json.dumps(line, ensure_ascii=False)),
        )

    def story_lines(self, by_size: bool = False) -> Iterator[dict[str, Any]]:
        """Index lines in briefing order, or largest story first (ties by id) with ``by_size``."""
        order = "articles DESC, id" if by_size else "seq"
        for (data,) in self._conn.execute(f"SELECT data FROM stories ORDER BY {order}"):
            line: dict[str, Any] = json.loads(data)
            yield line

    def story_total(self) -> int:
        """How many stories the articles read so far belong to."""
        return int(self._conn.execute("SELECT COUNT(DISTINCT story) FROM articles").fetchone()[0])
