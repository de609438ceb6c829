"""Batch briefing of many stories: runners give identical output, a killed batch resumes without redoing work."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from builders import mixed_story_records
from newsbrief.batch import run_batch
from newsbrief.cli import cli
from newsbrief.distributed import make_runner
from newsbrief.distributed.local import LocalRunner
from newsbrief.errors import MissingDependency
from newsbrief.store import Store


def _write_sample(path: Path, per_story: int = 2) -> Path:
    path.write_text("\n".join(json.dumps(r) for r in mixed_story_records(per_story=per_story)) + "\n")
    return path


def _outputs(out: Path) -> dict[str, str]:
    """Every file a batch wrote (the store aside), by relative path."""
    return {
        p.relative_to(out).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.suffix in {".json", ".md"}
    }


def test_batch_local_writes_one_briefing_per_story_and_index(tmp_path: Path) -> None:
    sample = _write_sample(tmp_path / "mixed.jsonl")
    result = run_batch([sample], tmp_path / "out", store=Store(tmp_path / "db.sqlite"), progress=False)
    assert [s.articles for s in result.stories()] == [2, 2, 2]
    assert (result.analysed, result.reused, result.copies) == (6, 0, 0)
    files = _outputs(tmp_path / "out")
    assert set(files) == {"index.json", "index.md"} | {
        f"stories/s{i}.{ext}" for i in (1, 2, 3) for ext in ("json", "md")
    }
    index = json.loads(files["index.json"])
    assert [s["json"] for s in index["stories"]] == ["stories/s1.json", "stories/s2.json", "stories/s3.json"]
    s1 = json.loads(files["stories/s1.json"])
    assert s1["schema"] == "newsbrief.briefing/1"
    assert all("Riverside bridge" in a["text"] or "Portland" in a["text"] for a in s1["articles"])
    assert [a["id"] for a in s1["articles"]] == ["a1", "a2"]


def test_batch_window_closes_idle_stories(tmp_path: Path) -> None:
    """--window 1: the stories interleave, so each is idle for two articles and closes before its next one."""
    sample = _write_sample(tmp_path / "mixed.jsonl")
    for window, stories in ((None, 3), (1, 6)):
        out = tmp_path / f"out-{window}"
        extra = [] if window is None else ["--window", str(window)]
        result = CliRunner().invoke(cli, ["batch", str(sample), "--out", str(out), "--no-progress", *extra])
        assert result.exit_code == 0, result.output
        assert f"{stories} stories from 6 article(s)" in result.output


def test_batch_dask_local_cluster_matches_local_runner(tmp_path: Path) -> None:
    """Acceptance 2: a real LocalCluster of 2 worker processes writes exactly what the local runner writes."""
    distributed = pytest.importorskip("distributed")
    from newsbrief.distributed.dask import DaskRunner

    sample = _write_sample(tmp_path / "mixed.jsonl")
    local = run_batch(
        [sample],
        tmp_path / "local",
        store=Store(tmp_path / "local.db"),
        runner=LocalRunner(),
        chunk_size=2,
        progress=False,
    )
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        runner = DaskRunner(client=client, window=2)
        assert list(runner.map(abs, range(-7, 0))) == [7, 6, 5, 4, 3, 2, 1]  # input order, window < items
        remote = run_batch(
            [sample],
            tmp_path / "dask",
            store=Store(tmp_path / "dask.db"),
            runner=runner,
            chunk_size=2,
            progress=False,
        )
        workers_used = len(client.scheduler_info()["workers"])
    assert workers_used == 2
    assert (remote.analysed, remote.articles) == (local.analysed, local.articles) == (6, 6)
    assert _outputs(tmp_path / "dask") == _outputs(tmp_path / "local")


def test_batch_dask_missing_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(MissingDependency, match=r"pip install 'newsbrief\[dask\]'"):
        make_runner("dask")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["batch", "x.jsonl", "--out", str(out), "--workers", "2"])
    assert result.exit_code == 1 and "newsbrief[dask]" in result.output
    assert not out.exists()  # failed before writing anything


def _saved_analyses(db: Path) -> int:
    try:
        with sqlite3.connect(db, timeout=5) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM analyses").fetchone()[0])
    except sqlite3.OperationalError:  # not created yet
        return 0


def test_batch_killed_halfway_resumes_without_redoing_articles(tmp_path: Path) -> None:
    """Acceptance 5: SIGKILL after some articles are saved; the rerun finishes the same and reuses them."""
    sample = _write_sample(tmp_path / "mixed.jsonl", per_story=4)  # 12 articles, one per task
    command = [
        sys.executable,
        "-c",
        "from newsbrief.cli import main; main()",
        "batch",
        str(sample),
        "--chunk-size",
        "1",
        "--no-progress",
    ]
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}

    killed_db = tmp_path / "killed.db"
    process = subprocess.Popen(
        [*command, "--out", str(tmp_path / "killed"), "--db", str(killed_db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    deadline = time.monotonic() + 60
    while _saved_analyses(killed_db) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    process.send_signal(signal.SIGKILL)
    process.communicate()
    saved = _saved_analyses(killed_db)
    assert 3 <= saved < 12, "the batch was not interrupted halfway"
    assert not (tmp_path / "killed" / "index.json").exists()

    rerun = subprocess.run(
        [*command, "--out", str(tmp_path / "killed"), "--db", str(killed_db)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert f"{12 - saved} analysed now, {saved} reused from the store" in rerun.stdout
    clean = subprocess.run(
        [*command, "--out", str(tmp_path / "clean"), "--db", str(tmp_path / "clean.db")],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    assert "12 analysed now, 0 reused" in clean.stdout
    assert _outputs(tmp_path / "killed") == _outputs(tmp_path / "clean")
    assert len(_outputs(tmp_path / "clean")) == 8  # 3 stories x (json, md) + index.json + index.md


@pytest.mark.parametrize("command", ["batch", "cluster"])
def test_batch_cli_help_has_examples(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "-h"])
    assert result.exit_code == 0 and "Example:" in result.output and "newsbrief " + command in result.output
