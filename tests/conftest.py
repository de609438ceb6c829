"""Shared fixtures (the only place fixtures live). The seeds story is briefed once per test session."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "examples" / "seeds"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


@pytest.fixture(scope="session")
def seeds_story() -> Any:
    """The example story briefed with default settings (built once: spaCy and all stages)."""
    from newsbrief.briefing import build_story

    return build_story([SEEDS], progress=False)


@pytest.fixture(scope="session")
def seeds_briefing(seeds_story: Any) -> dict[str, Any]:
    from newsbrief.render import to_json

    return to_json(seeds_story)


@pytest.fixture(scope="session")
def seeds_by_file(seeds_briefing: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Articles of the seeds briefing keyed by file name (000_..., 001_...)."""
    return {Path(a["source"]).name[:3]: a for a in seeds_briefing["articles"]}
