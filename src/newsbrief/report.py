"""The briefing as one self-contained HTML page, rendered from the contract JSON (``newsbrief.briefing/1``).

The same fragments make the ``--format html`` file and the web app's briefing page, so both read alike:
the summary (each line links to, and highlights, the sentence it rests on), an SVG time axis and the timeline,
quotes grouped by speaker with a speaker filter, the claims/outlet grid, entities with their aliases, every
article with its metadata and date evidence, and the diagnostics.

The file makes no external request: CSS and the small script are inline, the time axis is inline SVG, and a
Content-Security-Policy meta tag forbids loading anything. Everything taken from the briefing is escaped;
links to articles are kept only for ``http(s)`` URLs. Without JavaScript the page still works: citations are
fragment links and ``:target`` marks the cited sentence; the script adds highlighting of whole spans,
opens collapsed articles, filters quotes, and opens everything before printing.
"""

from __future__ import annotations

import html
import itertools
import math
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlparse

__all__ = ["CSS", "SCRIPT", "render_article", "render_body", "to_html"]

# Entities listed before the rest is folded away: enough for the people, places and bodies a reader
# follows in one story; a long tail of one-mention names is noise on a phone screen.
ENTITIES_SHOWN = 25
# Time axis geometry (SVG user units; the SVG scales to the page width, but not below AXIS_MIN_PX: on a
# phone the axis scrolls sideways inside its frame rather than shrink its labels below ~11 px).
AXIS_WIDTH = 800
AXIS_MARGIN = 30
AXIS_MIN_PX = 640
LANE_HEIGHT = 18
# Events closer than this on the axis go to separate lanes so their marks do not overlap (about two
# dot diameters); more lanes than MAX_LANES stack on the last one rather than make the axis tall.
LANE_GAP = 14
MAX_LANES = 5
# At most this many labelled ticks on the axis (readable at phone width, where 1000 units ≈ 360 px).
MAX_TICKS = 10

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

CSS = """
:root{--fg:#1d2329;--muted:#5b6570;--bg:#fff;--card:#f6f7f9;--line:#d9dee3;--accent:#1f5fbf;
--hl:#ffe98a;--ok:#1c7c3c;--warn:#a15c00;--bad:#b3261e;color-scheme:light dark}
@media (prefers-color-scheme:dark){:root{--fg:#e4e8ec;--muted:#9aa5b1;--bg:#15191d;--card:#1e2429;
--line:#333c44;--accent:#7fb0ff;--hl:#6b5a00;--ok:#6fd08f;--warn:#f0b35b;--bad:#ff8a80}}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--fg);font:16px/1.55 system-ui,-apple-system,"Segoe UI",
Roboto,sans-serif;-webkit-text-size-adjust:100%}
.nb-report{max-width:62rem;margin:0 auto;padding:1rem 1rem 3rem}
.nb-report h1{font-size:1.6rem;line-height:1.25;margin:.5rem 0 .25rem}
.nb-report h2{font-size:1.25rem;margin:2rem 0 .75rem;padding-bottom:.25rem;border-bottom:2px solid var(--line)}
.nb-report h3{font-size:1.05rem;margin:1.25rem 0 .5rem}
.nb-meta,.nb-small,.nb-report small{color:var(--muted);font-size:.875rem}
.nb-toc{display:flex;flex-wrap:wrap;gap:.25rem .9rem;font-size:.95rem;margin:.5rem 0 0}
a{color:var(--accent)}
.nb-summary li{margin:.45rem 0}
.nb-line{color:inherit;text-decoration:none;border-bottom:1px dotted var(--muted)}
.nb-line:hover,.nb-line:focus{background:var(--card);border-bottom-color:var(--accent)}
.nb-chip{display:inline-block;font-size:.75rem;line-height:1.2;padding:.1rem .35rem;margin:0 .1rem;
border:1px solid var(--line);border-radius:.6rem;text-decoration:none;white-space:nowrap;vertical-align:.1em}
.nb-chip:hover{border-color:var(--accent)}
.nb-axis{margin:0 0 1rem;overflow-x:auto;-webkit-overflow-scrolling:touch}
.nb-axis svg{width:100%;min-width:AXIS_MIN_PXpx;height:auto;display:block}
.nb-axis .ax{stroke:var(--muted);stroke-width:1.5}.nb-axis .tk{stroke:var(--line)}
.nb-axis text{fill:var(--muted);font-size:14px;font-family:system-ui,sans-serif}
.nb-axis .ev{fill:var(--accent);stroke:var(--bg);stroke-width:1.5}
.nb-axis .ev.disputed{fill:var(--warn)}.nb-axis .span-ev{fill:var(--accent);opacity:.35}
.nb-axis a:hover .ev,.nb-axis a:focus .ev{fill:var(--fg)}
.nb-timeline{list-style:none;padding:0;margin:0}
.nb-timeline li{display:grid;grid-template-columns:7.5rem 1fr;gap:.2rem .75rem;padding:.45rem 0;
border-top:1px solid var(--line)}
.nb-timeline time{font-weight:600;font-variant-numeric:tabular-nums}
.nb-timeline li:target{background:var(--card)}
@media (max-width:34rem){.nb-timeline li{grid-template-columns:1fr}}
.nb-filter{margin:.25rem 0 1rem}.nb-filter select{font:inherit;padding:.3rem;max-width:100%}
.nb-quote{margin:.5rem 0 .9rem;padding:.5rem .9rem;border-left:4px solid var(--line);background:var(--card);
border-radius:0 .4rem .4rem 0}
.nb-quote p{margin:0 0 .25rem}.nb-quote.indirect p{font-style:italic}
.nb-quote footer{font-size:.85rem;color:var(--muted)}
.nb-badge{display:inline-block;font-size:.72rem;font-weight:600;padding:.05rem .4rem;border-radius:.3rem;
border:1px solid currentColor;text-transform:uppercase;letter-spacing:.03em;white-space:nowrap}
.nb-badge.corroborated{color:var(--ok)}.nb-badge.single-source{color:var(--muted)}
.nb-badge.disputed{color:var(--warn)}
.nb-scroll{overflow-x:auto;-webkit-overflow-scrolling:touch}
table.nb-table{border-collapse:collapse;width:100%;font-size:.92rem}
.nb-table th,.nb-table td{border-bottom:1px solid var(--line);padding:.4rem .5rem;text-align:left;
vertical-align:top}
.nb-table th{font-weight:600;background:var(--card)}
.nb-grid td.mark{text-align:center;font-weight:700;color:var(--ok)}
.nb-grid td.variant{text-align:center;color:var(--warn);font-weight:600}
.nb-grid th.outlet{writing-mode:horizontal-tb;white-space:nowrap;font-size:.8rem}
.nb-article{border:1px solid var(--line);border-radius:.5rem;padding:.25rem 1rem .75rem;margin:1rem 0}
.nb-article:target{border-color:var(--accent)}
.nb-article h3 .nb-id{font-family:ui-monospace,monospace;color:var(--muted);margin-right:.4rem}
dl.nb-facts{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .9rem;margin:.5rem 0;font-size:.92rem}
dl.nb-facts dt{color:var(--muted)}dl.nb-facts dd{margin:0;overflow-wrap:anywhere}
@media (max-width:34rem){dl.nb-facts{grid-template-columns:1fr}dl.nb-facts dd{margin-bottom:.3rem}}
.nb-text summary{cursor:pointer;color:var(--accent);margin:.4rem 0}
.nb-body{white-space:pre-wrap;overflow-wrap:anywhere;font-family:Georgia,"Times New Roman",serif;
font-size:1.02rem;line-height:1.65}
.nb-seg:target,.nb-seg.nb-hl{background:var(--hl);border-radius:.15rem;
box-shadow:0 0 0 2px var(--hl)}
.nb-removed li{font-size:.85rem;color:var(--muted)}
.nb-diag code{font-weight:600}.nb-diag .E{color:var(--bad)}.nb-diag .W{color:var(--warn)}
.nb-empty{color:var(--muted);font-style:italic}
.nb-foot{margin-top:3rem;color:var(--muted);font-size:.8rem}
@media print{
body{font-size:11pt;background:#fff;color:#000}.nb-report{max-width:none;padding:0}
.nb-toc,.nb-filter,.nb-noprint{display:none!important}
.nb-speaker[hidden]{display:block!important}
a{color:inherit;text-decoration:none}.nb-line{border:0}
h2,h3{break-after:avoid}.nb-quote,.nb-timeline li,tr{break-inside:avoid}
.nb-seg.nb-hl,.nb-seg:target{background:none;box-shadow:none}
.nb-scroll{overflow:visible}}
"""
CSS = CSS.replace("AXIS_MIN_PX", str(AXIS_MIN_PX))

SCRIPT = """
(function () {
  "use strict";
  function clearMarks() {
    document.querySelectorAll(".nb-hl").forEach(function (el) { el.classList.remove("nb-hl"); });
  }
  function mark(cite) {
    clearMarks();
    var first = null;
    cite.split(";").forEach(function (part) {
      var bits = part.split(":");
      var article = document.getElementById(bits[0]);
      var start = Number(bits[1]), end = Number(bits[2]);
      if (!article) { return; }
      article.querySelectorAll("details").forEach(function (d) { d.open = true; });
      article.querySelectorAll(".nb-seg").forEach(function (seg) {
        var s = Number(seg.dataset.s), e = Number(seg.dataset.e);
        if (s < end && e > start && seg.textContent.trim()) {
          seg.classList.add("nb-hl");
          if (!first) { first = seg; }
        }
      });
    });
    if (first) { first.scrollIntoView({block: "center"}); }
    return first;
  }
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-cite]") : null;
    if (!link) { return; }
    event.preventDefault();
    if (mark(link.dataset.cite) && history.replaceState) {
      history.replaceState(null, "", link.getAttribute("href"));
    }
  });
  var select = document.getElementById("nb-speaker");
  if (select) {
    select.addEventListener("change", function () {
      var wanted = select.value;
      document.querySelectorAll(".nb-speaker").forEach(function (group) {
        group.hidden = wanted !== "" && group.dataset.speaker !== wanted;
      });
    });
  }
  function fromHash() {
    var id = decodeURIComponent(location.hash.slice(1));
    var seg = id && document.getElementById(id);
    if (seg && seg.classList.contains("nb-seg")) {
      var article = seg.closest(".nb-article");
      mark(article.id + ":" + seg.dataset.s + ":" + seg.dataset.e);
    }
  }
  window.addEventListener("hashchange", fromHash);
  fromHash();
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll("details").forEach(function (d) { d.open = true; });
  });
})();
"""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def safe_url(url: object) -> str | None:
    """``url`` when it is an absolute http(s) URL (never ``javascript:`` or ``data:`` from an upload)."""
    if not isinstance(url, str):
        return None
    parsed = urlparse(url.strip())
    return url.strip() if parsed.scheme in {"http", "https"} and parsed.netloc else None


def format_date(value: str | None) -> str:
    """``2016-12-15`` → ``15 Dec 2016``, ``2016-12`` → ``Dec 2016``; anything else unchanged."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        if len(parts) == 3:
            return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {int(parts[0])}"
    except (ValueError, IndexError):
        return value
    return value


def _cite_value(spans: Iterable[dict[str, Any]]) -> str:
    return ";".join(f"{_e(s['article'])}:{int(s['start'])}:{int(s['end'])}" for s in spans)


def _anchor(span: dict[str, Any]) -> str:
    return f"#{_e(span['article'])}-{int(span['start'])}"


class _Context:
    """Lookups shared by the sections: outlet labels per article, ordered outlets."""

    def __init__(self, briefing: dict[str, Any]) -> None:
        self.articles = {a["id"]: a for a in briefing.get("articles", [])}
        self.outlets: list[str] = list(
            dict.fromkeys(a.get("outlet") or a["id"] for a in briefing.get("articles", []))
        )

    def label(self, article_id: str) -> str:
        article = self.articles.get(article_id) or {}
        return str(article.get("outlet") or article_id)

    def chips(self, spans: Sequence[dict[str, Any]]) -> str:
        """One chip per cited article, linking to (and highlighting) that article's spans."""
        by_article: dict[str, list[dict[str, Any]]] = {}
        for span in spans:
            by_article.setdefault(span["article"], []).append(span)
        out = []
        for article_id, group in by_article.items():
            published = (self.articles.get(article_id) or {}).get("published") or {}
            title = self.label(article_id) + (f", {published['date']}" if published.get("date") else "")
            out.append(
                f'<a class="nb-chip" href="{_anchor(group[0])}" data-cite="{_cite_value(group)}" '
                f'title="{_e(title)}">{_e(self.label(article_id))} <small>{_e(article_id)}</small></a>'
            )
        return "".join(out)


# --- sections --------------------------------------------------------------------------------------------


def _header(briefing: dict[str, Any], ctx: _Context) -> str:
    story = briefing.get("story") or {}
    title = story.get("title") or "Briefing"
    n = len(briefing.get("articles", []))
    bits = [
        f"{n} article{'s' if n != 1 else ''} from {len(ctx.outlets)} outlet{'s' if len(ctx.outlets) != 1 else ''}"
    ]
    if story.get("first_date"):
        first, last = format_date(story["first_date"]), format_date(story.get("last_date"))
        bits.append(first if first == last or not last else f"{first} – {last}")
    sections = [
        ("summary", "Summary", briefing.get("summary")),
        ("timeline", "Timeline", briefing.get("timeline")),
        ("quotes", "Who said what", briefing.get("quotes")),
        ("claims", "Claims by outlet", briefing.get("claims")),
        ("framing", "Outlet framing", ctx.outlets if len(ctx.outlets) > 1 else None),
        ("entities", "Entities", briefing.get("entities")),
        ("articles", "Articles", briefing.get("articles")),
        ("diagnostics", "Diagnostics", briefing.get("diagnostics")),
    ]
    toc = "".join(
        f'<a href="#{key}">{label}{f" ({len(items)})" if items and key != "summary" else ""}</a>'
        for key, label, items in sections
    )
    return (
        f'<header class="nb-head"><h1>{_e(title)}</h1><p class="nb-meta">{_e(" · ".join(bits))}</p>'
        f'<nav class="nb-toc" aria-label="Sections">{toc}</nav></header>'
    )


def _summary(briefing: dict[str, Any], ctx: _Context) -> str:
    lines = briefing.get("summary") or []
    if not lines:
        return '<section id="summary"><h2>Summary</h2><p class="nb-empty">No summary.</p></section>'
    items = []
    for number, line in enumerate(lines, start=1):
        sources = line.get("sources") or []
        text = _e(line.get("text"))
        if sources:
            text = (
                f'<a class="nb-line" id="s{number}" href="{_anchor(sources[0])}" '
                f'data-cite="{_cite_value(sources)}">{text}</a>'
            )
        items.append(f"<li>{text} {ctx.chips(sources)}</li>")
    return f'<section id="summary"><h2>Summary</h2><ol class="nb-summary">{"".join(items)}</ol></section>'


def _date_position(value: str) -> tuple[float, float] | None:
    """A date as (start, end) in fractional years; month and year dates cover their whole period."""
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return float(year), year + 1.0
        month = int(parts[1])
        if len(parts) == 2:
            return year + (month - 1) / 12, year + month / 12
        day = date(year, month, int(parts[2]))
        start = year + (day.timetuple().tm_yday - 1) / 365.25
        return start, start
    except (ValueError, IndexError):
        return None


def _ticks(low: float, high: float) -> list[tuple[float, str]]:
    """Evenly spaced labelled ticks: months for short spans, else 1, 2, 5, 10... years apart."""
    span = high - low
    if span <= 2:
        for months in (1, 2, 3, 6):
            if span * 12 / months <= MAX_TICKS:
                break
        ticks: list[tuple[float, str]] = []
        first = math.ceil(low * 12 / months) * months
        for index in range(first, math.floor(high * 12) + 1, months):
            year, month = divmod(index, 12)
            label = f"{_MONTHS[month]} {year}" if month == 0 or not ticks else _MONTHS[month]
            ticks.append((index / 12, label))
        return ticks
    step = 1
    for step in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000):
        if span / step <= MAX_TICKS:
            break
    return [(float(y), str(y)) for y in range(math.ceil(low / step) * step, math.floor(high) + 1, step)]


def time_axis_svg(events: Sequence[dict[str, Any]]) -> str:
    """An inline SVG time axis: a dot per dated event (a band for month- or year-precise ones), linked."""
    placed = []
    for number, event in enumerate(events, start=1):
        position = _date_position(str(event.get("date", "")))
        if position is not None:
            placed.append((position, number, event))
    if not placed:
        return ""
    low = min(p[0][0] for p in placed)
    high = max(p[0][1] for p in placed)
    if high - low < 1 / 12:  # one instant: show a month around it
        low, high = low - 1 / 24, high + 1 / 24
    pad = (high - low) * 0.03
    low, high = low - pad, high + pad
    width = AXIS_WIDTH - 2 * AXIS_MARGIN

    def x(value: float) -> float:
        return AXIS_MARGIN + (value - low) / (high - low) * width

    lanes: list[float] = []
    marks = []
    for (start, end), number, event in sorted(placed, key=lambda p: p[0]):
        x0, x1 = x(start), x(end)
        lane = next((i for i, right in enumerate(lanes) if right + LANE_GAP <= x0), None)
        if lane is None:
            if len(lanes) < MAX_LANES:
                lanes.append(x1)
                lane = len(lanes) - 1
            else:
                lane = len(lanes) - 1
        lanes[lane] = max(lanes[lane], x1)
        marks.append((lane, x0, x1, number, event))
    top = 12
    axis_y = top + len(lanes) * LANE_HEIGHT + 6
    height = axis_y + 28
    parts = [
        f'<svg viewBox="0 0 {AXIS_WIDTH} {height}" role="img" aria-label="Time axis of {len(placed)} '
        f'dated events">',
        f'<line class="ax" x1="{AXIS_MARGIN}" y1="{axis_y}" x2="{AXIS_WIDTH - AXIS_MARGIN}" y2="{axis_y}"/>',
    ]
    for value, label in _ticks(low, high):
        tx = x(value)
        parts.append(f'<line class="tk" x1="{tx:.1f}" y1="{top - 4}" x2="{tx:.1f}" y2="{axis_y + 5}"/>')
        parts.append(f'<text x="{tx:.1f}" y="{axis_y + 20}" text-anchor="middle">{_e(label)}</text>')
    for lane, x0, x1, number, event in marks:
        cy = top + lane * LANE_HEIGHT + LANE_HEIGHT / 2
        tip = f"{format_date(event.get('date'))}: {event.get('text', '')}"
        disputed = " disputed" if event.get("disputed_with") else ""
        shape = ""
        if x1 - x0 > 3:
            shape = f'<rect class="span-ev" x="{x0:.1f}" y="{cy - 5:.1f}" width="{x1 - x0:.1f}" height="10" rx="5"/>'
        cx = (x0 + x1) / 2
        parts.append(
            f'<a href="#ev{number}" aria-label="{_e(tip)}"><title>{_e(tip)}</title>{shape}'
            f'<circle class="ev{disputed}" cx="{cx:.1f}" cy="{cy:.1f}" r="6"/></a>'
        )
    parts.append("</svg>")
    return '<figure class="nb-axis">' + "".join(parts) + "</figure>"


def _timeline(briefing: dict[str, Any], ctx: _Context) -> str:
    events = briefing.get("timeline") or []
    if not events:
        return '<section id="timeline"><h2>Timeline</h2><p class="nb-empty">No dated events.</p></section>'
    items = []
    for number, event in enumerate(events, start=1):
        sources = event.get("sources") or []
        text = _e(event.get("text"))
        if sources:
            text = f'<a class="nb-line" href="{_anchor(sources[0])}" data-cite="{_cite_value(sources)}">{text}</a>'
        extra = []
        if event.get("outlets"):
            extra.append(_e(", ".join(event["outlets"])))
        if event.get("as_written"):
            extra.append("as written: " + ", ".join(f"“{_e(w)}”" for w in event["as_written"]))
        if event.get("disputed_with"):
            extra.append("other reports: " + _e(", ".join(event["disputed_with"])))
        items.append(
            f'<li id="ev{number}"><time datetime="{_e(event.get("date"))}">{_e(format_date(event.get("date")))}'
            f"</time><div>{text} {ctx.chips(sources)}"
            f"{'<br><small>' + ' · '.join(extra) + '</small>' if extra else ''}</div></li>"
        )
    return (
        f'<section id="timeline"><h2>Timeline</h2>{time_axis_svg(events)}'
        f'<ol class="nb-timeline">{"".join(items)}</ol></section>'
    )


def _speaker_key(quote: dict[str, Any]) -> tuple[str, str]:
    speaker = quote.get("speaker") or {}
    name = speaker.get("name")
    if speaker.get("entity"):
        return str(speaker["entity"]), str(name or speaker["entity"])
    if name:
        return "n-" + "-".join(str(name).lower().split()), str(name)
    written = str(speaker.get("as_written") or "")
    if written:  # "a bank spokeswoman": the text describes the speaker without a name
        return "w-" + "-".join(written.lower().split()), f"{written[:1].upper()}{written[1:]} (no name given)"
    return "-", "Unattributed"


def speaker_groups(
    quotes: list[dict[str, Any]],
) -> list[tuple[str, tuple[str, list[dict[str, Any]]]]]:
    """Quotes grouped by speaker as ``(key, (label, quotes))``: named speakers first (most quoted first), then
    speakers the text describes without a name, then the unattributed group (key ``"-"``). Markdown and HTML
    both list them this way."""
    groups: dict[str, tuple[str, list[dict[str, Any]]]] = {}
    for quote in quotes:
        key, name = _speaker_key(quote)
        groups.setdefault(key, (name, []))[1].append(quote)
    return sorted(
        groups.items(),
        key=lambda kv: (kv[0] == "-", kv[0].startswith("w-"), -len(kv[1][1]), kv[1][0].lower()),
    )


def _quotes(briefing: dict[str, Any], ctx: _Context) -> str:
    quotes = briefing.get("quotes") or []
    if not quotes:
        return '<section id="quotes"><h2>Who said what</h2><p class="nb-empty">No quotes found.</p></section>'
    order = speaker_groups(quotes)
    options = [f'<option value="">All speakers ({len(quotes)})</option>'] + [
        f'<option value="{_e(key)}">{_e(name)} ({len(items)})</option>' for key, (name, items) in order
    ]
    sections = []
    for key, (name, items) in order:
        blocks = []
        for quote in items:
            kind = quote.get("kind", "direct")
            span = quote.get("span") or {"article": quote.get("article"), "start": 0, "end": 0}
            words = _e(quote.get("text"))
            shown = words if kind == "indirect" else f"“{words}”"
            speaker = quote.get("speaker") or {}
            notes = [kind]
            as_written = speaker.get("as_written")
            if as_written and as_written != speaker.get("name"):
                notes.append(f"as written: {_e(as_written)}")
            if quote.get("cue"):
                notes.append(f"cue: {_e(quote['cue'])}")
            blocks.append(
                f'<blockquote class="nb-quote {_e(kind)}" id="{_e(quote.get("id"))}">'
                f'<p><a class="nb-line" href="{_anchor(span)}" data-cite="{_cite_value([span])}">{shown}</a></p>'
                f"<footer>{' · '.join(notes)} {ctx.chips([span])}</footer></blockquote>"
            )
        sections.append(
            f'<section class="nb-speaker" data-speaker="{_e(key)}"><h3>{_e(name)} '
            f"<small>{len(items)} quote{'s' if len(items) != 1 else ''}</small></h3>{''.join(blocks)}</section>"
        )
    return (
        '<section id="quotes"><h2>Who said what</h2>'
        f'<p class="nb-filter"><label>Speaker <select id="nb-speaker">{"".join(options)}</select></label></p>'
        f"{''.join(sections)}</section>"
    )


def _claims(briefing: dict[str, Any], ctx: _Context) -> str:
    claims = briefing.get("claims") or []
    if not claims:
        return '<section id="claims"><h2>Claims by outlet</h2><p class="nb-empty">No claims compared.</p></section>'
    head = "".join(f'<th class="outlet" scope="col">{_e(o)}</th>' for o in ctx.outlets)
    rows = []
    for claim in claims:
        status = str(claim.get("status", ""))
        by_outlet: dict[str, str] = {}
        for variant in claim.get("variants") or []:
            for outlet in variant.get("outlets") or []:
                by_outlet.setdefault(outlet, str(variant.get("value", "")))
        cells = []
        for outlet in ctx.outlets:
            if outlet in by_outlet:
                cells.append(f'<td class="variant">{_e(by_outlet[outlet])}</td>')
            elif outlet in (claim.get("outlets") or []):
                cells.append('<td class="mark" title="reports this">✓</td>')
            else:
                cells.append("<td></td>")
        sources = claim.get("sources") or []
        text = _e(claim.get("text"))
        if sources:
            text = f'<a class="nb-line" href="{_anchor(sources[0])}" data-cite="{_cite_value(sources)}">{text}</a>'
        variants = "".join(
            f"<li>{_e(v.get('value'))}: {_e(v.get('text'))} {ctx.chips(v.get('sources') or [])}</li>"
            for v in claim.get("variants") or []
        )
        rows.append(
            f'<tr><td><span class="nb-badge {_e(status)}">{_e(status)}</span> {text} {ctx.chips(sources)}'
            f"{'<ul>' + variants + '</ul>' if variants else ''}</td>{''.join(cells)}</tr>"
        )
    return (
        '<section id="claims"><h2>Claims by outlet</h2><div class="nb-scroll"><table class="nb-table nb-grid">'
        f'<thead><tr><th scope="col">Claim</th>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
        "</section>"
    )


def _framing(briefing: dict[str, Any], ctx: _Context) -> str:
    """Per outlet: facts only it reports, widely reported facts it omits, whom it quotes, its reporting verbs."""
    from .framing import outlet_framing

    framings = outlet_framing(briefing)
    if len(framings) < 2:
        return (
            '<section id="framing"><h2>Outlet framing</h2>'
            '<p class="nb-empty">One outlet only: nothing to compare.</p></section>'
        )

    def listing(items: Sequence[str]) -> str:
        if not items:
            return "—"
        inner = "".join(f"<li>{_e(t)}</li>" for t in items)
        return f"<details><summary>{len(items)}</summary><ul>{inner}</ul></details>"

    def counts(pairs: Sequence[tuple[str, int]]) -> str:
        return _e(", ".join(f"{name} ({n})" for name, n in pairs)) or "—"

    rows = "".join(
        f'<tr><th scope="row">{_e(f.outlet)}</th><td>{listing(f.exclusive)}</td><td>{listing(f.omitted)}</td>'
        f"<td>{counts(f.quoted)}</td><td>{counts(f.verbs)}</td></tr>"
        for f in framings
    )
    return (
        '<section id="framing"><h2>Outlet framing</h2><div class="nb-scroll"><table class="nb-table">'
        '<thead><tr><th scope="col">Outlet</th><th scope="col">Only it reports</th>'
        '<th scope="col">Omits (widely reported)</th><th scope="col">Quotes</th>'
        f'<th scope="col">Reporting verbs</th></tr></thead><tbody>{rows}</tbody></table></div></section>'
    )


def _entity_rows(entities: Sequence[dict[str, Any]]) -> str:
    rows = []
    for entity in entities:
        aliases = [a for a in entity.get("aliases") or [] if a != entity.get("name")]
        rows.append(
            f'<tr id="{_e(entity.get("id"))}"><td>{_e(entity.get("name"))}</td><td>{_e(entity.get("type"))}</td>'
            f"<td>{_e(entity.get('mentions'))}</td><td>{_e(', '.join(entity.get('articles') or []))}</td>"
            f"<td>{_e('; '.join(aliases))}</td></tr>"
        )
    return "".join(rows)


def _entities(briefing: dict[str, Any], ctx: _Context) -> str:
    entities = briefing.get("entities") or []
    if not entities:
        return '<section id="entities"><h2>Entities</h2><p class="nb-empty">No entities.</p></section>'
    head = (
        '<thead><tr><th scope="col">Name</th><th scope="col">Type</th><th scope="col">Mentions</th>'
        '<th scope="col">Articles</th><th scope="col">Also called</th></tr></thead>'
    )
    table = (
        f'<div class="nb-scroll"><table class="nb-table">{head}<tbody>'
        f"{_entity_rows(entities[:ENTITIES_SHOWN])}</tbody></table></div>"
    )
    rest = entities[ENTITIES_SHOWN:]
    if rest:
        table += (
            f"<details><summary>{len(rest)} more</summary><div class='nb-scroll'><table class='nb-table'>"
            f"{head}<tbody>{_entity_rows(rest)}</tbody></table></div></details>"
        )
    return f'<section id="entities"><h2>Entities</h2>{table}</section>'


def _cited_spans(briefing: dict[str, Any]) -> dict[str, set[int]]:
    """Every offset where a citation starts or ends, per article (segments are cut there)."""
    cuts: dict[str, set[int]] = {}

    def add(span: dict[str, Any] | None) -> None:
        if span and "article" in span:
            cuts.setdefault(span["article"], set()).update((int(span["start"]), int(span["end"])))

    for key in ("summary", "timeline", "claims"):
        for item in briefing.get(key) or []:
            for span in item.get("sources") or []:
                add(span)
            for variant in item.get("variants") or []:
                for span in variant.get("sources") or []:
                    add(span)
    for quote in briefing.get("quotes") or []:
        add(quote.get("span"))
    return cuts


def _article_body(article: dict[str, Any], cuts: set[int], highlight: tuple[int, int] | None = None) -> str:
    """The article text cut into segments at sentence and citation bounds; each segment is addressable."""
    text = str(article.get("text") or "")
    article_id = _e(article.get("id"))
    bounds = {0, len(text)}
    for sentence in article.get("sentences") or []:
        bounds.update((int(sentence["start"]), int(sentence["end"])))
    bounds.update(cuts)
    points = sorted(b for b in bounds if 0 <= b <= len(text))
    out = []
    for start, end in itertools.pairwise(points):
        marked = (
            " nb-hl"
            if highlight and start < highlight[1] and end > highlight[0] and text[start:end].strip()
            else ""
        )
        out.append(
            f'<span class="nb-seg{marked}" id="{article_id}-{start}" data-s="{start}" data-e="{end}">'
            f"{_e(text[start:end])}</span>"
        )
    return "".join(out)


def render_article(
    article: dict[str, Any],
    cuts: set[int] | None = None,
    *,
    highlight: tuple[int, int] | None = None,
    open_text: bool = False,
    heading: str = "h3",
) -> str:
    """One article card: metadata, date evidence, rejected dates, removed boilerplate and the text."""
    aid = _e(article.get("id"))
    title = article.get("title") or "(untitled)"
    facts = []
    published = article.get("published")
    if published:
        facts.append(
            (
                "Published",
                f"<strong>{_e(format_date(published.get('date')))}</strong> "
                f"<small>({_e(published.get('method'))}, confidence {float(published.get('confidence') or 0):.2f}"
                f"{'; evidence: “' + _e(published.get('evidence')) + '”' if published.get('evidence') else ''})"
                "</small>",
            )
        )
    else:
        facts.append(("Published", "<em>unknown</em>"))
    for rejected in article.get("rejected_dates") or []:
        evidence = f" (“{_e(rejected.get('evidence'))}”)" if rejected.get("evidence") else ""
        facts.append(("Rejected date", f"{_e(rejected.get('date'))}: {_e(rejected.get('reason'))}{evidence}"))
    if article.get("byline"):
        facts.append(("Byline", _e(", ".join(article["byline"]))))
    url = safe_url(article.get("url"))
    if url:
        facts.append(("URL", f'<a href="{_e(url)}" rel="noopener noreferrer nofollow">{_e(url)}</a>'))
    elif article.get("url"):
        facts.append(("URL", _e(article["url"])))
    facts.append(("Source", _e(article.get("source"))))
    if article.get("language"):
        facts.append(("Language", _e(article["language"])))
    removed = article.get("removed") or []
    if removed:
        listed = "".join(f"<li><b>{_e(r.get('reason'))}</b>: {_e(r.get('text'))}</li>" for r in removed)
        facts.append(
            (
                "Removed",
                f"<details><summary>{len(removed)} block{'s' if len(removed) != 1 else ''} of "
                f"boilerplate</summary><ul class='nb-removed'>{listed}</ul></details>",
            )
        )
    dl = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in facts)
    sentences = len(article.get("sentences") or [])
    body = _article_body(article, cuts or set(), highlight)
    return (
        f'<article class="nb-article" id="{aid}"><{heading}><span class="nb-id">{aid}</span>'
        f"{_e(article.get('outlet') or 'Unknown outlet')}: {_e(title)}</{heading}>"
        f'<dl class="nb-facts">{dl}</dl>'
        f'<details class="nb-text"{" open" if open_text else ""}><summary>Text '
        f"({len(str(article.get('text') or '').split())} words, {sentences} sentences)</summary>"
        f'<div class="nb-body">{body}</div></details></article>'
    )


def _articles(briefing: dict[str, Any], ctx: _Context) -> str:
    cuts = _cited_spans(briefing)
    cards = "".join(render_article(a, cuts.get(a["id"], set())) for a in briefing.get("articles") or [])
    return (
        f'<section id="articles"><h2>Articles</h2>{cards or "<p class=nb-empty>No articles.</p>"}</section>'
    )


def _diagnostics(briefing: dict[str, Any], ctx: _Context) -> str:
    diags = briefing.get("diagnostics") or []
    if not diags:
        return '<section id="diagnostics"><h2>Diagnostics</h2><p class="nb-empty">Nothing doubtful.</p></section>'
    rows = "".join(
        f'<tr><td><code class="{_e(str(d.get("code", "?"))[:1])}">{_e(d.get("code"))}</code></td>'
        f"<td>{_e(d.get('article') or d.get('source') or '')}</td><td>{_e(d.get('stage'))}</td>"
        f"<td>{_e(d.get('message'))}</td></tr>"
        for d in diags
    )
    return (
        '<section id="diagnostics"><h2>Diagnostics</h2><div class="nb-scroll"><table class="nb-table nb-diag">'
        '<thead><tr><th scope="col">Code</th><th scope="col">Where</th><th scope="col">Stage</th>'
        f'<th scope="col">Message</th></tr></thead><tbody>{rows}</tbody></table></div></section>'
    )


def render_body(briefing: dict[str, Any]) -> str:
    """The report's sections as an HTML fragment (no ``<html>``, styles or script)."""
    ctx = _Context(briefing)
    generator = briefing.get("generator") or {}
    parts = [
        _header(briefing, ctx),
        _summary(briefing, ctx),
        _timeline(briefing, ctx),
        _quotes(briefing, ctx),
        _claims(briefing, ctx),
        _framing(briefing, ctx),
        _entities(briefing, ctx),
        _articles(briefing, ctx),
        _diagnostics(briefing, ctx),
        f'<footer class="nb-foot">{_e(generator.get("name", "newsbrief"))} {_e(generator.get("version", ""))}'
        f" · {_e(briefing.get('schema', ''))}</footer>",
    ]
    return "".join(parts)


def to_html(briefing: dict[str, Any]) -> str:
    """A briefing (the contract dict) as one self-contained HTML document."""
    title = (briefing.get("story") or {}).get("title") or "Briefing"
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="referrer" content="no-referrer"><link rel="icon" href="data:,">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f'<body><main class="nb-report">{render_body(briefing)}</main><script>{SCRIPT}</script></body></html>\n'
    )
