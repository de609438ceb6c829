"""The self-contained HTML report, rendered from contract JSON (a hand-written fixture and the seeds)."""

from __future__ import annotations

import copy
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from newsbrief import report
from newsbrief.render import to_html as render_to_html

FIXTURE = Path(__file__).parent / "fixtures" / "web_briefing.json"


@pytest.fixture
def briefing() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(FIXTURE.read_text(encoding="utf-8"))
    return data


class _Collector(HTMLParser):
    """Tags with attributes, and the text of every article segment (``.nb-seg``) per article."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.segments: dict[str, list[tuple[int, int, str]]] = {}
        self._seg: tuple[str, int, int] | None = None
        self._text: list[str] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if tag == "span" and "nb-seg" in (a.get("class") or ""):
            article = (a.get("id") or "").rsplit("-", 1)[0]
            self._seg = (article, int(a["data-s"] or 0), int(a["data-e"] or 0))
            self._text = []
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._seg is not None:
            article, start, end = self._seg
            self.segments.setdefault(article, []).append((start, end, "".join(self._text)))
            self._seg = None
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._seg is not None:
            self._text.append(data)
        if self._in_script:
            self.scripts.append(data)


def _parse(page: str) -> _Collector:
    collector = _Collector()
    collector.feed(page)
    return collector


def test_report_is_self_contained(briefing: dict[str, Any]) -> None:
    page = report.to_html(briefing)
    assert page.startswith("<!doctype html>")
    parsed = _parse(page)
    for tag, attrs in parsed.tags:
        assert tag not in ("link", "img", "iframe", "object", "embed") or attrs.get("href") == "data:,"
        assert not attrs.get("src"), f"<{tag}> loads {attrs.get('src')}"
        if tag != "a":  # only plain links may point elsewhere; nothing is loaded from anywhere
            for value in attrs.values():
                assert not re.match(r"\s*(https?:)?//", value or ""), (tag, attrs)
    assert "Content-Security-Policy" in page and "default-src 'none'" in page
    assert "@import" not in page and "url(" not in page
    assert "<svg" in page and "<style>" in page


def test_report_escapes_everything_from_the_briefing(briefing: dict[str, Any]) -> None:
    page = report.to_html(briefing)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold</b>" not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "<i>from</i>" not in page
    # A javascript: URL from an upload is shown as text, never as a link.
    hrefs = [a.get("href") or "" for tag, a in _parse(page).tags if tag == "a"]
    assert not any(h.lower().startswith("javascript") for h in hrefs)
    assert "https://coastal.example/news/bridge" in hrefs


def test_report_segments_rebuild_each_article_and_cover_every_citation(briefing: dict[str, Any]) -> None:
    parsed = _parse(report.to_html(briefing))
    texts = {a["id"]: a["text"] for a in briefing["articles"]}
    for article_id, text in texts.items():
        segments = parsed.segments[article_id]
        assert "".join(s[2] for s in segments) == text
        assert all(text[s:e] == t for s, e, t in segments)
    ids = {a.get("id") for _, a in parsed.tags}
    spans = [s for line in briefing["summary"] for s in line["sources"]]
    spans += [s for event in briefing["timeline"] for s in event["sources"]]
    spans += [q["span"] for q in briefing["quotes"]]
    for span in spans:
        assert f"{span['article']}-{span['start']}" in ids  # every citation has a segment to jump to
    cites = [a.get("data-cite") for _, a in parsed.tags if a.get("data-cite")]
    first = briefing["summary"][0]["sources"][0]
    assert f"{first['article']}:{first['start']}:{first['end']}" in cites


def test_report_summary_lines_link_to_their_sentences(briefing: dict[str, Any]) -> None:
    parsed = _parse(report.to_html(briefing))
    lines = [
        a for tag, a in parsed.tags if tag == "a" and "nb-line" in (a.get("class") or "") and a.get("id")
    ]
    assert len(lines) == len(briefing["summary"])
    for anchor, line in zip(lines, briefing["summary"], strict=True):
        span = line["sources"][0]
        assert anchor["href"] == f"#{span['article']}-{span['start']}"


def test_report_quotes_grouped_by_speaker_with_filter(briefing: dict[str, Any]) -> None:
    parsed = _parse(report.to_html(briefing))
    groups = [a["data-speaker"] for tag, a in parsed.tags if a.get("data-speaker")]
    assert groups == ["e2", "e3", "-"]  # most quoted first, unattributed last
    options = [a.get("value") for tag, a in parsed.tags if tag == "option"]
    assert options == ["", "e2", "e3", "-"]


def test_report_unnamed_speakers_grouped_as_the_text_describes_them(briefing: dict[str, Any]) -> None:
    briefing = copy.deepcopy(briefing)
    briefing["quotes"].append(
        {**briefing["quotes"][0], "id": "q9", "speaker": {"name": None, "as_written": "a city engineer"}}
    )
    page = report.to_html(briefing)
    groups = [a["data-speaker"] for tag, a in _parse(page).tags if a.get("data-speaker")]
    assert groups == ["e2", "e3", "w-a-city-engineer", "-"]
    assert "A city engineer (no name given)" in page


def test_report_time_axis_marks_each_dated_event(briefing: dict[str, Any]) -> None:
    svg = report.time_axis_svg(briefing["timeline"])
    assert svg.count("<circle") == len(briefing["timeline"])
    # Over sixty years a year-precise event is a visible band; a month is narrower than a dot, so only a dot.
    assert svg.count('class="span-ev"') == 1
    labels = [int(x) for x in re.findall(r">(\d{4})</text>", svg)]
    assert labels == sorted(labels) and labels[0] - 10 < 1964 < labels[0] and labels[-1] == 2020
    assert report.time_axis_svg([]) == ""
    assert report.time_axis_svg([{"date": "not a date", "text": "x"}]) == ""
    one = report.time_axis_svg([{"date": "2021-03-15", "text": "x"}])
    assert "Mar" in one and one.count("<circle") == 1


@pytest.mark.parametrize(
    ("value", "shown"), [("2016-12-15", "15 Dec 2016"), ("2016-12", "Dec 2016"), ("2016", "2016"), ("", "")]
)
def test_report_format_date(value: str, shown: str) -> None:
    assert report.format_date(value) == shown


def test_report_empty_briefing_renders(briefing: dict[str, Any]) -> None:
    empty = copy.deepcopy(briefing)
    for key in ("articles", "entities", "quotes", "timeline", "summary", "claims", "diagnostics"):
        empty[key] = []
    empty["story"] = {"title": None, "first_date": None, "last_date": None}
    page = report.to_html(empty)
    assert "<title>Briefing</title>" in page
    assert page.count('class="nb-empty"') >= 6


def test_report_claims_grid_has_a_column_per_outlet(briefing: dict[str, Any]) -> None:
    page = report.to_html(briefing)
    assert page.count('class="outlet"') == 2
    assert page.count('class="mark"') == 3  # corroborated by both outlets, single-source by one
    disputed = copy.deepcopy(briefing)
    disputed["claims"][1]["status"] = "disputed"
    disputed["claims"][1]["variants"] = [
        {
            "text": "Repairs cost $48 million.",
            "value": "$48 million",
            "sources": [],
            "outlets": ["River Gazette"],
        },
        {
            "text": "Repairs cost $51 million.",
            "value": "$51 million",
            "sources": [],
            "outlets": ["Coastal Times"],
        },
    ]
    page = report.to_html(disputed)
    assert '<td class="variant">$51 million</td><td class="variant">$48 million</td>' in page


def test_report_is_what_render_to_html_returns(briefing: dict[str, Any]) -> None:
    assert render_to_html(briefing) == report.to_html(briefing)


def test_report_seeds_briefing(seeds_briefing: dict[str, Any]) -> None:
    page = report.to_html(seeds_briefing)
    parsed = _parse(page)
    for article in seeds_briefing["articles"]:
        assert "".join(t for _, _, t in parsed.segments[article["id"]]) == article["text"]
        published = article.get("published")
        if published and published.get("evidence"):
            assert html.escape(published["evidence"]) in page
    assert "http://" not in page


def test_markdown_groups_quotes_under_their_speaker() -> None:
    from newsbrief.render import to_markdown

    briefing = json.loads(
        (Path(__file__).parent / "fixtures" / "web_briefing.json").read_text(encoding="utf-8")
    )
    briefing["quotes"].append(
        {**briefing["quotes"][0], "id": "q9", "speaker": {"name": None, "as_written": "a city engineer"}}
    )
    text = to_markdown(briefing)
    section = text[text.index("## Who said what") :]
    headings = [line for line in section.splitlines() if line.startswith("### ")]
    assert headings == [
        "### Lena Ortiz (2)",
        "### Omar Reyes (1)",
        "### A city engineer (no name given) (1)",
        "### No speaker in the text (1)",
    ]
    assert "We kept our promise," in section.split("### Omar Reyes")[0]
