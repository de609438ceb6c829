"""The SQLite store on real files: dedup by content hash, re-briefing, migrations, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsbrief.errors import ConfigError, InputError
from newsbrief.ingest import iter_documents
from newsbrief.model import RawDocument
from newsbrief.store import (
    MIGRATIONS,
    LimitError,
    Store,
    StoryNotFound,
    brief_story,
    slugify,
)

ROOT = Path(__file__).resolve().parents[1]

FERRY = (
    "PORT ELLEN, June 3, 2021 - The island ferry service will resume on Monday after a three-week strike by "
    "deck crews ended with a new pay agreement, the operator said on Thursday.\n\n"
    "The operator said the agreement raises wages by 6 percent over two years. Union leader Maria Costa said "
    "members voted to accept the offer by a wide margin.\n\n"
    "Island businesses said the strike cost them thousands of bookings during the busiest weeks of spring."
)
FERRY_2 = (
    "Ferries to the islands will sail again from Monday, June 7, the operator confirmed. The strike began in "
    "mid-May when talks over pay broke down.\n\n"
    "Maria Costa, who leads the crews' union, said the deal was fair. Tourism officials welcomed the news and "
    "said hotels expect a busy summer."
)
FERRY_3 = (
    "The ferry operator announced on Friday, June 4, 2021, that extra sailings will run in the first week to "
    "clear the backlog of passengers and freight.\n\n"
    "Regional minister Alan Brodie said the government would review how lifeline services are protected "
    "during industrial disputes."
)


def _doc(text: str, source: str) -> RawDocument:
    return RawDocument(source=source, content=text, kind="text")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store(tmp_path / "stories.db")


def test_store_same_article_twice_stored_once(store: Store, tmp_path: Path) -> None:
    first = store.add_documents("ferry", [_doc(FERRY, "a.txt"), _doc(FERRY_2, "b.txt")])
    assert [a.source for a in first.added] == ["a.txt", "b.txt"]
    again = store.add_documents("ferry", [_doc(FERRY, "a-copy.txt")])
    assert again.added == () and [d.source for d in again.duplicates] == ["a-copy.txt"]
    assert [d.code for d in again.diagnostics] == ["W-DUPLICATE"]
    # A second story: the same text with other case and spacing is the same article (content hash), so
    # it links to the stored copy; its raw input is kept as a document of its own.
    other = store.add_documents(
        "ferry-followup",
        [_doc(FERRY.upper().replace("\n\n", "\n\n\n"), "shouting.txt"), _doc(FERRY_3, "c.txt")],
    )
    assert len(other.added) == 2
    assert other.added[0].hash == first.added[0].hash
    documents, articles = store.document_count()
    assert articles == 3  # FERRY, FERRY_2, FERRY_3
    assert documents == 4  # a.txt, b.txt, shouting.txt, c.txt
    assert [a.source for a in store.saved_articles("ferry")] == ["a.txt", "b.txt"]
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0] == 3


def test_store_rebrief_after_adding_article_changes_briefing(store: Store) -> None:
    store.add_documents("ferry", [_doc(FERRY, "a.txt"), _doc(FERRY_2, "b.txt")])
    first = brief_story(store, "ferry")
    assert [a["id"] for a in first.briefing["articles"]] == ["a1", "a2"]
    assert store.latest_briefing("ferry") is not None and store.latest_briefing("ferry").current  # type: ignore[union-attr]
    # Briefing again with nothing changed returns the stored briefing, not a new one.
    assert brief_story(store, "ferry").created_at == first.created_at

    store.add_documents("ferry", [_doc(FERRY_3, "c.txt")])
    stale = store.latest_briefing("ferry")
    assert stale is not None and not stale.current
    second = brief_story(store, "ferry")
    assert second.created_at != first.created_at and second.current
    assert len(second.briefing["articles"]) == 3
    assert second.briefing["articles"][2]["text"].startswith("The ferry operator announced")
    assert second.briefing != first.briefing

    removed = store.remove_article("ferry", store.articles("ferry")[0].content_hash[:8])
    assert removed.source == "a.txt"
    third = brief_story(store, "ferry")
    assert [a["source"] for a in third.briefing["articles"]] == ["b.txt", "c.txt"]
    assert [a["id"] for a in third.briefing["articles"]] == ["a1", "a2"]


def test_store_cached_analyses_give_the_same_briefing(store: Store) -> None:
    from newsbrief.briefing import build_story
    from newsbrief.render import to_json

    docs = [_doc(FERRY, "a.txt"), _doc(FERRY_2, "b.txt"), _doc(FERRY_3, "c.txt")]
    store.add_documents("ferry", docs[:2])
    brief_story(store, "ferry")  # caches the analyses of a1 and a2
    store.add_documents("ferry", docs[2:])
    cached = brief_story(store, "ferry").briefing  # a1, a2 from the cache; a3 analysed now
    fresh = brief_story(store, "ferry", force=True, use_cache=False).briefing
    one_shot = to_json(build_story(docs, story_id="ferry", progress=False))
    assert cached == fresh
    assert cached == one_shot
    # The same articles at other positions in another story: ids, spans and diagnostics are remapped.
    store.add_documents("reordered", [docs[2], docs[0]])
    reordered = brief_story(store, "reordered").briefing
    assert reordered == to_json(build_story([docs[2], docs[0]], story_id="reordered", progress=False))


def test_store_unreadable_document_becomes_a_diagnostic_in_the_briefing(store: Store, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "good.txt").write_text(FERRY, encoding="utf-8")
    (inputs / "empty.txt").write_text("   \n", encoding="utf-8")
    (inputs / "binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = store.add_documents("ferry", iter_documents([inputs]))
    assert len(result.added) == 1
    assert sorted(d.code for d in result.diagnostics) == ["E-BINARY", "E-EMPTY"]
    briefing = brief_story(store, "ferry").briefing
    assert {"E-BINARY", "E-EMPTY"} <= {d["code"] for d in briefing["diagnostics"]}


def test_store_story_names_and_missing_stories(store: Store) -> None:
    with pytest.raises(InputError, match="bad story name"):
        store.create_story("Ferry Strike!")
    assert slugify("Ferry Strike! 2021") == "ferry-strike-2021"
    store.create_story("ferry-strike-2021", "Ferry strike")
    with pytest.raises(InputError, match="already exists"):
        store.create_story("ferry-strike-2021")
    with pytest.raises(StoryNotFound):
        store.story("nope")
    with pytest.raises(StoryNotFound):
        brief_story(store, "nope")
    with pytest.raises(InputError, match="no articles"):
        brief_story(store, "ferry-strike-2021")
    store.delete_story("ferry-strike-2021")
    assert store.stories() == []


def test_store_article_limit(store: Store) -> None:
    with pytest.raises(LimitError, match="limit"):
        store.add_documents(
            "ferry", [_doc(t, f"{i}.txt") for i, t in enumerate((FERRY, FERRY_2, FERRY_3))], max_articles=2
        )
    # The articles before the limit stay saved (each was committed and reported on its own).
    assert len(store.saved_articles("ferry")) == 2


def test_store_export_round_trips_through_add(store: Store, tmp_path: Path) -> None:
    store.add_documents("ferry", [_doc(FERRY, "a.txt"), _doc(FERRY_2, "b.txt")])
    out = tmp_path / "ferry.jsonl"
    out.write_text("".join(json.dumps(r) + "\n" for r in store.export_articles("ferry")), encoding="utf-8")
    store.add_documents("copy", iter_documents([out]))
    assert [a.hash for a in store.saved_articles("copy")] == [a.hash for a in store.saved_articles("ferry")]


def test_store_migrations_are_versioned(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    old = Store(path, migrate=False)
    assert old.migrate(target=1) == 1
    with sqlite3.connect(path) as conn:
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "analyses" not in tables  # added by migration 2
    old.add_documents("ferry", [_doc(FERRY, "a.txt")])
    upgraded = Store(path)
    assert upgraded.schema_version == len(MIGRATIONS) >= 2
    assert [a.source for a in upgraded.saved_articles("ferry")] == ["a.txt"]
    assert Store(path).schema_version == len(MIGRATIONS)  # opening again changes nothing
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 99")
    with pytest.raises(ConfigError, match="newer"):
        Store(path)


_WRITER = textwrap.dedent(
    """
    import sys
    from newsbrief.model import RawDocument
    from newsbrief.store import Store

    store = Store(sys.argv[1])

    def saved(article):
        print(article.hash, flush=True)

    def documents():
        n = 0
        while True:
            n += 1
            body = " ".join(f"Paragraph {n}.{k}: the council met again to discuss item {k} of the budget."
                            for k in range(400))
            yield RawDocument(source=f"gen-{n}.txt", content=f"Report number {n}.\\n\\n{body}", kind="text")

    if len(sys.argv) > 2:
        # Stall inside the write transaction of article number argv[2], after its rows are inserted and
        # before COMMIT, and say so: the parent kills the process exactly mid-write.
        stall_at = int(sys.argv[2])
        touch = Store._touch
        calls = [0]

        def stalling_touch(self, conn, story_id):
            touch(self, conn, story_id)
            calls[0] += 1
            if calls[0] == stall_at:  # one call per article, inside its transaction
                print("MID", flush=True)
                import time
                time.sleep(60)

        Store._touch = stalling_touch

    store.add_documents("crash", documents(), on_saved=saved)
    """
)


@pytest.mark.parametrize(("kill_after", "mid_write"), [(3, False), (11, False), (5, True)])
def test_store_killed_writer_loses_no_saved_article(tmp_path: Path, kill_after: int, mid_write: bool) -> None:
    path = tmp_path / "crash.db"
    Store(path)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    args = [sys.executable, "-c", _WRITER, str(path)] + ([str(kill_after + 1)] if mid_write else [])
    child = subprocess.Popen(args, stdout=subprocess.PIPE, text=True, env=env)
    reported: list[str] = []
    assert child.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = child.stdout.readline().strip()
        if not line or line == "MID":
            assert line == "MID" or not mid_write, "the writer died before stalling mid-write"
            break
        reported.append(line)
        if len(reported) >= kill_after and not mid_write:
            break
    # Killed without warning while it is writing the next article.
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=10)
    child.stdout.close()
    assert len(reported) >= kill_after, "the writer died before reporting enough articles"
    reopened = Store(path)
    assert reopened.integrity_check() == "ok"
    stored = {a.hash for a in reopened.saved_articles("crash")}
    assert set(reported) <= stored
    if mid_write:  # the article being written when the process died is absent, not half-stored
        assert len(stored) == len(reported) == kill_after
        assert reopened.document_count() == (kill_after, kill_after)
    # The file is still writable after the crash.
    reopened.add_documents("crash", [_doc(FERRY, "after.txt")])
    assert FERRY.startswith(reopened.articles("crash")[-1].text[:40])


def test_store_cli_add_stories_brief_export(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsbrief.cli import cli

    db = str(tmp_path / "cli.db")
    (tmp_path / "a.txt").write_text(FERRY, encoding="utf-8")
    (tmp_path / "b.txt").write_text(FERRY_2, encoding="utf-8")
    runner = CliRunner()
    for command in ("add", "stories", "export", "serve"):
        result = runner.invoke(cli, [command, "--help"])
        assert result.exit_code == 0 and "Example:" in result.output
    added = runner.invoke(cli, ["add", str(tmp_path / "a.txt"), "--story", "ferry", "--db", db])
    assert added.exit_code == 0, added.output
    assert "ferry: 1 article(s)" in added.output
    again = runner.invoke(
        cli, ["add", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"), "--story", "ferry", "--db", db]
    )
    assert "already in the story" in again.output and "ferry: 2 article(s)" in again.output
    listed = runner.invoke(cli, ["stories", "--db", db, "--json"])
    assert json.loads(listed.stdout)["articles"] == 2
    briefed = runner.invoke(cli, ["brief", "--story", "ferry", "--db", db, "--format", "json"])
    assert briefed.exit_code == 0, briefed.output
    briefing = json.loads(briefed.stdout)
    assert [a["source"] for a in briefing["articles"]] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    exported = runner.invoke(cli, ["export", "--story", "ferry", "--db", db, "-f", "html"])
    assert exported.stdout.startswith("<!doctype html>")
    lines = runner.invoke(cli, ["export", "--story", "ferry", "--db", db, "-f", "jsonl"]).stdout.splitlines()
    assert [json.loads(line)["text"] for line in lines] == [FERRY, FERRY_2]
    missing = runner.invoke(cli, ["brief", "--story", "nope", "--db", db])
    assert missing.exit_code == 1 and "no story named 'nope'" in missing.output
    got = runner.invoke(cli, ["serve", "--db", db, "--get", "/api/stories/ferry"])
    assert got.exit_code == 0 and json.loads(got.stdout)["briefing"]["current"] is True
