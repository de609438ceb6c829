"""Outlet framing: how each outlet tells the story, compared with the others.

Per outlet: the facts only it reports (its ``single-source`` claims), the widely reported facts it omits
(claims carried by at least :data:`WIDELY_REPORTED_SHARE` of the story's outlets that none of its articles
carries), whom it quotes and how often (speaker names of its quotes), and its reporting verbs (the cues of its
quotes: "said" vs "claimed", "insisted").

Everything is computed from the briefing dict (the ``newsbrief.briefing/1`` contract), so the Markdown and
HTML renderers and any consumer of the JSON get the same answer; :func:`fact_grid` is the compact outlet x fact
table both renderers show.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = [
    "WIDELY_REPORTED_SHARE",
    "FactRow",
    "OutletFraming",
    "fact_grid",
    "framing_json",
    "outlet_framing",
    "outlets_of",
]

# A fact is widely reported when at least this share of the story's outlets carry it (the issue: "facts
# corroborated by at least half the outlets").
WIDELY_REPORTED_SHARE = 0.5
# The grid shows the most widely carried facts first and at most this many rows (a compact overview; the full
# list of claims is in its own section).
GRID_ROWS = 12


@dataclass(frozen=True, slots=True, kw_only=True)
class OutletFraming:
    """How one outlet covers the story. Facts are claim texts; counts are sorted, largest first."""

    outlet: str
    articles: tuple[str, ...]
    exclusive: tuple[str, ...]
    omitted: tuple[str, ...]
    quoted: tuple[tuple[str, int], ...]
    verbs: tuple[tuple[str, int], ...]
    unattributed_quotes: int = 0


@dataclass(frozen=True, slots=True, kw_only=True)
class FactRow:
    """One row of the outlet x fact grid: per outlet ``"yes"``, ``"no"`` or the value it gives (disputed)."""

    text: str
    status: str
    cells: tuple[str, ...]


def outlets_of(briefing: Mapping[str, Any]) -> tuple[list[str], dict[str, str]]:
    """The story's outlets in article order, and each article id's outlet (its id when the outlet is unknown)."""
    by_article = {str(a["id"]): str(a.get("outlet") or a["id"]) for a in briefing.get("articles", [])}
    ordered = list(dict.fromkeys(by_article.values()))
    return ordered, by_article


def _claim_outlets(claim: Mapping[str, Any], by_article: Mapping[str, str]) -> set[str]:
    found = set(claim.get("outlets") or [])
    found.update(by_article[a] for a in claim.get("articles") or [] if a in by_article)
    return found


def _counts(values: Sequence[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def outlet_framing(briefing: Mapping[str, Any]) -> list[OutletFraming]:
    """One :class:`OutletFraming` per outlet, in article order."""
    outlets, by_article = outlets_of(briefing)
    claims = list(briefing.get("claims") or [])
    carried = [_claim_outlets(c, by_article) for c in claims]
    widely = max(2, math.ceil(len(outlets) * WIDELY_REPORTED_SHARE))  # and never a fact of one outlet
    out: list[OutletFraming] = []
    for outlet in outlets:
        exclusive = tuple(str(c["text"]) for c, who in zip(claims, carried, strict=True) if who == {outlet})
        omitted = tuple(
            str(c["text"])
            for c, who in zip(claims, carried, strict=True)
            if len(who) >= widely and outlet not in who
        )
        quotes = [q for q in briefing.get("quotes") or [] if by_article.get(str(q.get("article"))) == outlet]
        names = [str(q["speaker"]["name"]) for q in quotes if (q.get("speaker") or {}).get("name")]
        verbs = [str(q["cue"]).lower() for q in quotes if q.get("cue")]
        out.append(
            OutletFraming(
                outlet=outlet,
                articles=tuple(a for a, o in by_article.items() if o == outlet),
                exclusive=exclusive,
                omitted=omitted,
                quoted=_counts(names),
                verbs=_counts(verbs),
                unattributed_quotes=len(quotes) - len(names),
            )
        )
    return out


def fact_grid(briefing: Mapping[str, Any], *, max_rows: int = GRID_ROWS) -> tuple[list[str], list[FactRow]]:
    """The outlets (columns) and the facts (rows) of the outlet x fact grid.

    Rows are the claims carried by two or more outlets (disputed ones included), most widely carried first;
    a disputed claim's cell shows the value the outlet gives.
    """
    outlets, by_article = outlets_of(briefing)
    rows: list[tuple[int, int, FactRow]] = []
    for order, claim in enumerate(briefing.get("claims") or []):
        who = _claim_outlets(claim, by_article)
        if len(who) < 2:
            continue
        values: dict[str, list[str]] = {}
        for variant in claim.get("variants") or []:
            variant_outlets = set(variant.get("outlets") or [])
            for span in variant.get("sources") or []:
                if str(span.get("article")) in by_article:
                    variant_outlets.add(by_article[str(span["article"])])
            for o in variant_outlets:
                values.setdefault(o, []).append(str(variant.get("value")))
        cells = tuple(
            "/".join(dict.fromkeys(values[o])) if o in values else ("yes" if o in who else "no")
            for o in outlets
        )
        rows.append(
            (-len(who), order, FactRow(text=str(claim["text"]), status=str(claim["status"]), cells=cells))
        )
    rows.sort(key=lambda r: (r[0], r[1]))
    return outlets, [r[2] for r in rows[:max_rows]]


def framing_json(briefing: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The framing as JSON-ready dicts (the optional ``framing`` field of the briefing)."""
    return [
        {
            "outlet": f.outlet,
            "articles": list(f.articles),
            "exclusive": list(f.exclusive),
            "omitted": list(f.omitted),
            "quoted": [{"name": n, "count": k} for n, k in f.quoted],
            "verbs": [{"verb": v, "count": k} for v, k in f.verbs],
            "unattributed_quotes": f.unattributed_quotes,
        }
        for f in outlet_framing(briefing)
    ]
