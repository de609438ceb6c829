"""The summary evaluation harness: ``newsbrief eval summarize`` and :mod:`newsbrief.evaluate`."""

from __future__ import annotations

import builtins
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from newsbrief.cli import cli
from newsbrief.evaluate import load_clusters, truncate_words

TINY = Path(__file__).parent / "fixtures" / "eval_tiny.jsonl"
SYSTEMS = ("lead-3", "sumy-lexrank", "sumy-textrank", "newsbrief")


def _scores(output: str) -> dict[str, list[float]]:
    rows = {}
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] in SYSTEMS:
            rows[parts[0]] = [float(x) for x in parts[1:]]
    return rows


def test_eval_summarize_prints_every_system() -> None:
    pytest.importorskip("sumy")
    pytest.importorskip("rouge_score")
    result = CliRunner().invoke(cli, ["eval", "summarize", "--data", str(TINY)])
    assert result.exit_code == 0, result.output
    assert "3 clusters" in result.output and "reference length" in result.output
    rows = _scores(result.output)
    assert set(rows) == set(SYSTEMS)
    for name, (r1, r2, rl, words, _seconds) in rows.items():
        assert 0 < r2 <= r1 <= 100, name
        assert 0 < rl <= 100 and words > 0, name
    # The references are 19-25 words long: every system is cut at that budget.
    assert all(rows[n][3] <= 25 for n in SYSTEMS)


def test_eval_summarize_fixed_budget_and_limit() -> None:
    pytest.importorskip("sumy")
    result = CliRunner().invoke(
        cli,
        ["eval", "summarize", "--data", str(TINY), "--limit", "2", "--words", "10", "--system", "newsbrief"],
    )
    assert result.exit_code == 0, result.output
    assert "2 clusters" in result.output and "10 words" in result.output
    rows = _scores(result.output)
    assert list(rows) == ["newsbrief"] and rows["newsbrief"][3] == 10.0


def test_eval_summarize_errors(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"documents": "not a list"\n')
    result = CliRunner().invoke(cli, ["eval", "summarize", "--data", str(bad)])
    assert result.exit_code == 1 and "bad.jsonl:1" in result.output
    result = CliRunner().invoke(cli, ["eval", "summarize", "--data", str(TINY), "--system", "gpt"])
    assert result.exit_code == 1 and "unknown system" in result.output
    result = CliRunner().invoke(cli, ["eval", "summarize"])
    assert result.exit_code == 2


def test_eval_summarize_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    real_import = builtins.__import__

    def no_eval_extra(name: str, *args: Any, **kwargs: Any) -> Any:
        if name.startswith(("sumy", "rouge_score")):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_eval_extra)
    result = CliRunner().invoke(cli, ["eval", "summarize", "--data", str(TINY)])
    assert result.exit_code == 1
    assert "pip install 'newsbrief[eval]'" in result.output
    assert "Traceback" not in result.output


def test_eval_load_clusters_and_truncate() -> None:
    clusters = load_clusters(TINY)
    assert [c.id for c in clusters] == ["tiny-1", "tiny-2", "tiny-3"]
    assert len(clusters[0].documents) == 2 and len(clusters[2].documents) == 1
    assert truncate_words("One two, three four.", 3) == "One two, three"
    assert truncate_words("One two.", 5) == "One two."
    assert truncate_words("x", 0) == ""
