"""Online story clustering: a mixed stream grouped into stories, without re-clustering the past."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import mixed_story_records
from newsbrief.cli import cli
from newsbrief.cluster import ClusterDoc, StoryClusterer, cluster_documents


def _docs() -> tuple[list[ClusterDoc], list[str]]:
    records = mixed_story_records(per_story=4)
    gold = [r["url"].split("/")[3] for r in records]
    docs = [
        ClusterDoc(key=str(i), text=r["text"], title=r["title"], date=r["date"])
        for i, r in enumerate(records)
    ]
    return docs, gold


def _partition(labels: list[str]) -> set[frozenset[int]]:
    groups: dict[str, set[int]] = defaultdict(set)
    for i, label in enumerate(labels):
        groups[label].add(i)
    return {frozenset(g) for g in groups.values()}


def test_cluster_mixed_stream_finds_the_stories() -> None:
    docs, gold = _docs()
    assignments = cluster_documents(docs)
    assert _partition([a.story for a in assignments]) == _partition(gold)
    assert [a.new for a in assignments[:3]] == [True, True, True]
    assert not any(a.new for a in assignments[3:])


@pytest.mark.parametrize("count", [0, 1])
def test_cluster_empty_and_single(count: int) -> None:
    docs, _ = _docs()
    assignments = cluster_documents(docs[:count])
    assert [a.story for a in assignments] == ["s1"][:count]


def test_cluster_state_round_trip_continues_the_same_stories() -> None:
    docs, _ = _docs()
    whole = cluster_documents(docs)
    first = StoryClusterer()
    head = [first.add(d) for d in docs[:5]]
    restored = StoryClusterer.from_state(json.loads(json.dumps(first.state())))
    tail = [restored.add(d) for d in docs[5:]]
    assert [a.story for a in head + tail] == [a.story for a in whole]


def test_cluster_same_words_a_year_later_is_a_new_story() -> None:
    docs, _ = _docs()
    bridge = [d for d in docs if "bridge" in d.text.lower()]
    clusterer = StoryClusterer()
    clusterer.add(bridge[0])
    same_week = clusterer.add(ClusterDoc(key="b", text=bridge[1].text, date="2023-04-05"))
    next_year = clusterer.add(ClusterDoc(key="c", text=bridge[2].text, date="2024-04-05"))
    assert same_week.story == "s1" and not same_week.new
    assert next_year.new


def test_cluster_cli_prints_and_stores_and_continues(tmp_path: Path) -> None:
    records = mixed_story_records(per_story=3)
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    first.write_text("\n".join(json.dumps(r) for r in records[:6]) + "\n")
    second.write_text("\n".join(json.dumps(r) for r in records[6:]) + "\n")
    db = tmp_path / "news.db"
    runner = CliRunner()
    result = runner.invoke(cli, ["cluster", str(first), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["story"] for line in lines] == ["s1", "s2", "s3", "s1", "s2", "s3"]
    again = runner.invoke(cli, ["cluster", str(second), "--db", str(db), "--json"])
    assert [json.loads(line)["story"] for line in again.stdout.splitlines()] == ["s1", "s2", "s3"]
    listed = runner.invoke(cli, ["stories", "--db", str(db), "--json"])
    sizes = {json.loads(line)["name"]: json.loads(line)["articles"] for line in listed.stdout.splitlines()}
    assert sizes == {"story-s1": 3, "story-s2": 3, "story-s3": 3}


def test_cluster_idle_story_is_closed_and_forgotten() -> None:
    docs, gold = _docs()
    bridge = [d for d, g in zip(docs, gold, strict=True) if g == "bridge"]
    others = [d for d, g in zip(docs, gold, strict=True) if g != "bridge"]
    clusterer = StoryClusterer(max_idle_docs=3)  # swept every 3 articles
    assert clusterer.add(bridge[0]).story == "s1"
    for doc in others[:6]:
        clusterer.add(doc)
    assert clusterer.member_count == 6  # the idle bridge story's one member was forgotten, the others kept
    late = clusterer.add(bridge[1])
    assert late.new and late.story != "s1"


def test_cluster_state_stays_bounded_on_a_long_stream() -> None:
    """Stories idle past the window are dropped, document frequencies age: the state levels off."""
    vocabulary = [f"word{n:05d}" for n in range(20_000)]
    clusterer = StoryClusterer(max_idle_docs=50)
    sizes = []
    for i in range(1_000):  # every document is its own story made of words nobody uses again
        words = vocabulary[(i * 20) % len(vocabulary) : (i * 20) % len(vocabulary) + 20]
        clusterer.add(ClusterDoc(key=str(i), text=" ".join(words) + "."))
        if i % 100 == 99:
            sizes.append((len(clusterer.state()["df"]), len(clusterer.story_sizes()), clusterer.member_count))
    assert clusterer.story_count == 1_000  # every story counted, and ids never reused
    assert max(df for df, _, _ in sizes) <= 100 * 20  # at most two windows of terms
    assert max(open_ for _, open_, _ in sizes) <= 100 and max(m for _, _, m in sizes) <= 100
    restored = StoryClusterer.from_state(json.loads(json.dumps(clusterer.state())))
    assert (
        restored.add(ClusterDoc(key="new", text="Something else entirely happened today.")).story == "s1001"
    )


def test_cluster_ageing_keeps_recurring_terms() -> None:
    docs, gold = _docs()
    clusterer = StoryClusterer(max_idle_docs=3)  # ages the frequencies every 6 documents
    assignments = [clusterer.add(d) for d in docs]
    assert _partition([a.story for a in assignments]) == _partition(gold)
