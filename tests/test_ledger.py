"""The batch ledger: per-article records on disk, read back in order; the index written from it is valid JSON."""

from __future__ import annotations

import json
from pathlib import Path

from builders import mixed_story_records
from newsbrief.batch import run_batch
from newsbrief.ledger import BatchLedger
from newsbrief.model import ArticleCopy, Diagnostic
from newsbrief.store import Store


def _note(source: str) -> Diagnostic:
    return Diagnostic(article_id="@", stage="clean", code="W-BOILERPLATE", message="dropped", source=source)


def test_ledger_keeps_entries_copies_and_story_order() -> None:
    with BatchLedger() as ledger:
        ledger.add("h1", "s1", "one.html", [_note("one.html")])
        ledger.add("h2", "s2", "two.html")
        ledger.add("h3", "s1", "three.html")
        assert "h2" in ledger and "h9" not in ledger and len(ledger) == 3

        wire = ArticleCopy(source="copy.html", url="https://b.example/x", outlet="B", title="T")
        assert ledger.add_copy("h1", wire)
        assert not ledger.add_copy("h1", wire)  # listed already
        assert not ledger.add_copy("h1", ArticleCopy(source="one.html"))  # the article's own file again

        assert list(ledger.stories()) == [("s1", ["h1", "h3"]), ("s2", ["h2"])]
        assert ledger.story_total() == 2
        entries = ledger.entries(["h1", "h3", "missing"])
        assert set(entries) == {"h1", "h3"}
        assert entries["h1"].copies == (wire,)
        assert entries["h1"].notes == (_note("one.html"),)
        assert entries["h3"].source == "three.html" and entries["h3"].copies == ()

        ledger.add_diagnostic(_note("bad.html"))
        assert list(ledger.diagnostics()) == [_note("bad.html")] and ledger.diagnostic_count == 1

        ledger.add_story("s2", 1, {"id": "s2", "articles": 1})
        ledger.add_story("s10", 2, {"id": "s10", "articles": 2})
        ledger.add_story("s1", 2, {"id": "s1", "articles": 2})
        assert [line["id"] for line in ledger.story_lines()] == ["s2", "s10", "s1"]
        assert [line["id"] for line in ledger.story_lines(by_size=True)] == ["s1", "s10", "s2"]


def test_ledger_reads_back_more_entries_than_one_query_holds() -> None:
    with BatchLedger() as ledger:
        hashes = [f"h{i}" for i in range(1_234)]
        for i, h in enumerate(hashes):
            ledger.add(h, f"s{i % 7}", f"{h}.txt")
        assert set(ledger.entries(hashes)) == set(hashes)
        assert sum(len(group) for _, group in ledger.stories()) == 1_234


def test_streamed_index_is_the_json_a_whole_dump_would_write(tmp_path: Path) -> None:
    records = mixed_story_records(per_story=2)
    records.append({"text": "", "url": "https://empty.example/1"})  # an input that gives a diagnostic
    sample = tmp_path / "mixed.jsonl"
    sample.write_text("\n".join(json.dumps(r) for r in records) + "\n")
    result = run_batch([sample], tmp_path / "out", store=Store(tmp_path / "db.sqlite"), progress=False)

    text = (tmp_path / "out" / "index.json").read_text(encoding="utf-8")
    index = json.loads(text)
    assert text == json.dumps(index, ensure_ascii=False, indent=2) + "\n"
    assert [s["id"] for s in index["stories"]] == [s.id for s in result.stories()] == ["s1", "s2", "s3"]
    assert result.story_count == 3 and index["articles"] == result.articles == 6
    assert result.diagnostic_count == len(index["diagnostics"]) == len(result.diagnostics()) >= 1
    assert all(d.source for d in result.diagnostics())
    markdown = (tmp_path / "out" / "index.md").read_text(encoding="utf-8")
    assert markdown.startswith("# 3 stories from 6 articles\n")
    assert markdown.count("](stories/s") == 3
