"""newsbrief: many articles about one story in, one cited briefing out.

Python quickstart::

    from newsbrief import build_story, to_json
    story = build_story(["examples/seeds/"])
    briefing = to_json(story)          # the newsbrief.briefing/1 contract
"""

from __future__ import annotations

import logging

__version__ = "0.1.0"

logging.getLogger(__name__).addHandler(logging.NullHandler())

from .briefing import brief_analyses, build_story, read_articles  # noqa: E402
from .render import to_html, to_json, to_markdown  # noqa: E402
from .settings import Settings, load_settings  # noqa: E402

__all__ = [
    "Settings",
    "__version__",
    "brief_analyses",
    "build_story",
    "load_settings",
    "read_articles",
    "to_html",
    "to_json",
    "to_markdown",
]
