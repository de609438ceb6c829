from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from newsbrief.cli import cli


def test_cli_help_has_examples() -> None:
    runner = CliRunner()
    for args in ([], ["brief"], ["settings"]):
        result = runner.invoke(cli, [*args, "--help"])
        assert result.exit_code == 0
        assert "Example:" in result.output


def test_cli_no_article_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    result = CliRunner().invoke(cli, ["brief", str(tmp_path / "empty.txt"), str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert "E-EMPTY" in result.output and "E-PATH-MISSING" in result.output


def test_cli_usage_error_exits_2() -> None:
    result = CliRunner().invoke(cli, ["brief", "x", "--format", "pdf"])
    assert result.exit_code == 2
    result = CliRunner().invoke(cli, ["brief", "x", "--set", "nonsense"])
    assert result.exit_code == 2


def test_cli_brief_json_and_html(tmp_path: Path, seeds_dir: Path) -> None:
    out, report = tmp_path / "b.json", tmp_path / "b.html"
    one = next(seeds_dir.glob("004_*.txt"))
    result = CliRunner().invoke(
        cli, ["brief", str(one), "--format", "json", "-o", str(out), "--html", str(report)]
    )
    assert result.exit_code == 0, result.output
    briefing = json.loads(out.read_text())
    assert briefing["schema"] == "newsbrief.briefing/1"
    page = report.read_text()
    assert page.startswith("<!doctype html") or page.lower().startswith("<!doctype html")
    assert "http://" not in page.replace("http://www.w3.org", "") and "<script src" not in page
