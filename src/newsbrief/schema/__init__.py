"""The JSON Schema of the briefing contract, and a validator."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=1)
def briefing_schema() -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(
        resources.files("newsbrief.schema").joinpath("briefing-1.json").read_text(encoding="utf-8")
    )
    return schema


def validation_errors(briefing: dict[str, Any]) -> list[str]:
    """Every way ``briefing`` breaks the schema or its span rules (empty when valid)."""
    import jsonschema

    validator = jsonschema.Draft202012Validator(briefing_schema())
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(briefing)]
    texts = {a["id"]: a["text"] for a in briefing.get("articles", [])}

    def check(span: dict[str, Any], where: str) -> None:
        text = texts.get(span["article"])
        if text is None:
            errors.append(f"{where}: unknown article {span['article']}")
        elif not 0 <= span["start"] <= span["end"] <= len(text):
            errors.append(f"{where}: span {span['start']}:{span['end']} outside the article")

    for q in briefing.get("quotes", []):
        check(q["span"], f"quotes/{q['id']}")
    for key in ("timeline", "summary", "claims"):
        for i, item in enumerate(briefing.get(key, [])):
            for span in item.get("sources", []):
                check(span, f"{key}/{i}")
    return errors
