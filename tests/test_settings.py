from __future__ import annotations

from pathlib import Path

import pytest

from newsbrief.errors import ConfigError
from newsbrief.settings import iter_fields, load_settings


def test_settings_every_field_documented() -> None:
    for name, _, help_text in iter_fields():
        assert len(help_text) > 10, name


def test_settings_layers(tmp_path: Path) -> None:
    config = tmp_path / "nb.toml"
    config.write_text("[summary]\nmax_sentences = 7\n[timeline]\nmax_events = 9\n")
    settings = load_settings(
        config, {"summary.max_sentences": "3"}, env={"NEWSBRIEF_TIMELINE__MAX_EVENTS": "4"}
    )
    assert settings.summary.max_sentences == 3
    assert settings.timeline.max_events == 4


def test_settings_unknown_key_is_clear() -> None:
    with pytest.raises(ConfigError, match=r"unknown setting 'summary\.nope'"):
        load_settings(None, {"summary.nope": "1"}, env={})
