"""Stage protocols, the stage registry and the requires/provides check.

Two kinds of stage: an :data:`ArticleStage` maps one :class:`Analysis` to a new one (these run per article, in
parallel on a runner), a :data:`StoryStage` maps a :class:`Story` to a new one. Each declares what it
``requires`` and ``provides`` (names of Analysis/Story fields), as spaCy components declare ``requires`` and
``assigns``; :func:`check_order` refuses an order in which a stage runs before what it needs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal

from .errors import StageError
from .model import Analysis, Story

ArticleStage = Callable[[Analysis], Analysis]
StoryStage = Callable[[Story], Story]


@dataclass(frozen=True, slots=True, kw_only=True)
class StageSpec:
    name: str  # versioned registry name, e.g. "quotes.rules.v1"
    kind: Literal["article", "story"]
    fn: Callable[..., object]
    requires: tuple[str, ...] = ()
    provides: tuple[str, ...] = ()


# What exists before any registered stage runs: the article and what the spaCy pass fills in.
BASE_PROVIDES = ("article", "article.published", "sentences", "mentions", "doc")


def check_order(stages: Sequence[StageSpec], available: Sequence[str] = BASE_PROVIDES) -> None:
    """Raise :class:`StageError` when a stage requires something no earlier stage provides."""
    have = set(available)
    for stage in stages:
        missing = [r for r in stage.requires if r not in have]
        if missing:
            raise StageError(
                f"stage {stage.name} requires {', '.join(missing)}, which no earlier stage provides"
            )
        have.update(stage.provides)
