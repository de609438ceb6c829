"""Story → the ``newsbrief.briefing/1`` JSON contract, Markdown and HTML. Pure functions."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from typing import Any

from . import __version__
from .model import Article, Diagnostic, Span, Story
from .report import speaker_groups

SCHEMA = "newsbrief.briefing/1"


def span_json(span: Span) -> dict[str, Any]:
    return {"article": span.article_id, "start": span.start, "end": span.end}


def _article_json(article: Article, sentences: list[dict[str, int]]) -> dict[str, Any]:
    published = article.published
    return {
        "id": article.id,
        "source": article.source,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "byline": list(article.byline),
        "published": None
        if published is None
        else {
            "date": published.date,
            "confidence": published.confidence,
            "method": published.method,
            "evidence": published.evidence,
        },
        "rejected_dates": [
            {"date": r.date, "reason": r.reason, **({"evidence": r.evidence} if r.evidence else {})}
            for r in article.rejected_dates
        ],
        "language": article.language,
        "text": article.text,
        "removed": [{"text": r.text, "reason": r.reason} for r in article.removed],
        "sentences": sentences,
        **(
            {
                "copies": [
                    {"source": c.source, "url": c.url, "outlet": c.outlet, "title": c.title}
                    for c in article.copies
                ]
            }
            if article.copies
            else {}
        ),
    }


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    """A diagnostic as in the contract's ``diagnostics[]``."""
    return {
        "article": d.article_id,
        "stage": d.stage,
        "code": d.code,
        "message": d.message,
        **({"source": d.source} if d.source else {}),
    }


def diagnostic_from_json(data: dict[str, Any]) -> Diagnostic:
    """The inverse of :func:`diagnostic_json`."""
    return Diagnostic(
        article_id=data.get("article"),
        stage=data["stage"],
        code=data["code"],
        message=data["message"],
        source=data.get("source"),
    )


def to_json(story: Story) -> dict[str, Any]:
    """The briefing as the contract's JSON object (a dict ready for ``json.dumps``)."""
    from .framing import framing_json

    dates = sorted(a.published.date for a in story.articles if a.published is not None)
    briefing: dict[str, Any] = {
        "schema": SCHEMA,
        "generator": {"name": "newsbrief", "version": __version__, "settings": story.settings},
        "story": {
            "title": story.title,
            "first_date": dates[0] if dates else None,
            "last_date": dates[-1] if dates else None,
        },
        "articles": [
            _article_json(a.article, [{"start": s.span.start, "end": s.span.end} for s in a.sentences])
            for a in story.analyses
        ],
        "entities": [
            {
                "id": e.id,
                "name": e.name,
                "type": e.label,
                "aliases": list(e.aliases),
                "mentions": e.mentions,
                "articles": list(e.articles),
            }
            for e in story.entities
        ],
        "quotes": [
            {
                "id": q.id,
                "article": q.span.article_id,
                "text": q.text,
                "kind": q.kind,
                "span": span_json(q.span),
                "cue": q.cue,
                "speaker": None
                if q.speaker is None
                else {
                    "entity": q.speaker.entity_id,
                    "name": q.speaker.name,
                    "as_written": q.speaker.as_written,
                    "confidence": q.speaker.confidence,
                },
            }
            for q in story.quotes
        ],
        "timeline": [
            {
                "date": e.date,
                "granularity": e.granularity,
                "text": e.text,
                "sources": [span_json(s) for s in e.sources],
                "outlets": list(e.outlets),
                "as_written": list(e.as_written),
                **({"disputed_with": list(e.disputed_with)} if e.disputed_with else {}),
            }
            for e in story.timeline
        ],
        "summary": [{"text": c.text, "sources": [span_json(s) for s in c.sources]} for c in story.summary],
        "claims": [
            {
                "text": c.text,
                "status": c.status,
                "articles": list(c.articles),
                "outlets": list(c.outlets),
                "sources": [span_json(s) for s in c.sources],
                "variants": [
                    {
                        "text": v.text,
                        "value": v.value,
                        "sources": [span_json(s) for s in v.sources],
                        "outlets": list(v.outlets),
                    }
                    for v in c.variants
                ],
            }
            for c in story.claims
        ],
        "diagnostics": [diagnostic_json(d) for d in story.diagnostics],
    }
    briefing["framing"] = framing_json(briefing)  # optional, additive: how each outlet covers the story
    return briefing


def _framing_markdown(briefing: dict[str, Any], wrap: Callable[..., str]) -> list[str]:
    """The outlet x fact grid (facts carried by two or more outlets) and each outlet's framing."""
    from .framing import fact_grid, outlet_framing

    outlets, rows = fact_grid(briefing)
    framings = outlet_framing(briefing)
    if len(outlets) < 2 or not framings:
        return []
    out = ["", "## Outlet framing", ""]
    if rows:
        marks = {"yes": "✓", "no": "·"}
        out.append("| fact | " + " | ".join(o.replace("|", "/") for o in outlets) + " |")
        out.append("|---|" + "---|" * len(outlets))
        for row in rows:
            text = row.text if len(row.text) <= 80 else row.text[:77].rstrip() + "..."
            cells = " | ".join(marks.get(c, c) for c in row.cells)
            out.append(f"| {text.replace('|', '/')} [{row.status}] | {cells} |")
        out.append("")
    for f in framings:
        quoted = ", ".join(f"{name} ({n})" for name, n in f.quoted) or "nobody named"
        verbs = ", ".join(f"{verb} ({n})" for verb, n in f.verbs) or "none"
        out.append(
            wrap(
                f"**{f.outlet}**: {len(f.exclusive)} facts only it reports, omits {len(f.omitted)} widely "
                f"reported; quotes {quoted}; reporting verbs: {verbs}"
            )
        )
        for fact in f.omitted:
            out.append(wrap(f"omits: {fact}", "    - "))
    return out


def _cite(spans: list[dict[str, Any]]) -> str:
    return "".join(f"[{article}]" for article in dict.fromkeys(s["article"] for s in spans))


def to_markdown(briefing: dict[str, Any], *, width: int = 100) -> str:
    """A briefing (the contract dict) as Markdown that reads well in a terminal."""
    out: list[str] = []
    story = briefing["story"]
    out.append(f"# {story.get('title') or 'Briefing'}")
    if story.get("first_date"):
        out.append(f"_{len(briefing['articles'])} articles, {story['first_date']} – {story['last_date']}_")
    outlet_of = {a["id"]: a.get("outlet") or a["id"] for a in briefing["articles"]}

    def wrap(text: str, prefix: str = "- ") -> str:
        return textwrap.fill(text, width=width, initial_indent=prefix, subsequent_indent=" " * len(prefix))

    if briefing["summary"]:
        out += ["", "## Summary", ""]
        for line in briefing["summary"]:
            out.append(wrap(f"{line['text']} {_cite(line['sources'])}"))
    if briefing["timeline"]:
        out += ["", "## Timeline", ""]
        for event in briefing["timeline"]:
            outlets = ", ".join(event.get("outlets") or [])
            out.append(wrap(f"**{event['date']}** {event['text']} ({outlets})", "- "))
    if briefing["quotes"]:
        out += ["", "## Who said what"]
        for key, (label, quotes) in speaker_groups(briefing["quotes"]):
            speaker = "No speaker in the text" if key == "-" else label
            out += ["", f"### {speaker} ({len(quotes)})", ""]
            for quote in quotes:
                mark = "" if quote["kind"] == "indirect" else "“"
                end = "" if quote["kind"] == "indirect" else "”"
                out.append(wrap(f"{mark}{quote['text']}{end} [{quote['article']}]"))
    if briefing["claims"]:
        out += ["", "## Claims across outlets", ""]
        for claim in briefing["claims"]:
            outlets = ", ".join(claim["outlets"])
            out.append(wrap(f"[{claim['status']}] {claim['text']} ({outlets})"))
            for variant in claim.get("variants", []):
                out.append(wrap(f"{variant['value']}: {', '.join(variant.get('outlets', []))}", "    - "))
    out += _framing_markdown(briefing, wrap)
    if briefing["entities"]:
        out += ["", "## Entities", ""]
        for entity in briefing["entities"][:20]:
            aliases = ", ".join(a for a in entity["aliases"] if a != entity["name"])
            also = f" (also: {aliases})" if aliases else ""
            out.append(wrap(f"**{entity['name']}** {entity['type']}, {entity['mentions']} mentions{also}"))
    out += ["", "## Articles", ""]
    for article in briefing["articles"]:
        pub = article.get("published") or {}
        when = f"{pub['date']} ({pub['method']}, {pub['confidence']:.2f})" if pub else "undated"
        by = f" by {', '.join(article['byline'])}" if article["byline"] else ""
        out.append(
            wrap(
                f"[{article['id']}] {outlet_of[article['id']]}: "
                f"{article.get('title') or '(untitled)'}{by}, {when}"
            )
        )
    if briefing["diagnostics"]:
        out += ["", "## Diagnostics", ""]
        for diag in briefing["diagnostics"]:
            where = diag.get("article") or diag.get("source") or ""
            out.append(wrap(f"{diag['code']} {where}: {diag['message']}"))
    return "\n".join(out) + "\n"


def to_html(briefing: dict[str, Any]) -> str:
    """A briefing (the contract dict) as one self-contained HTML page (see :mod:`newsbrief.report`)."""
    from .report import to_html as report_html

    page: str = report_html(briefing)
    return page
