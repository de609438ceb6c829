"""Near-duplicate (syndicated) copies: MinHash/LSH detection, kept once with every outlet listed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from builders import build_article, write_warc
from newsbrief.briefing import read_articles
from newsbrief.dedup import NearDuplicateIndex, deduplicate
from newsbrief.errors import CODES
from newsbrief.schema import validation_errors

WIRE = (
    "Firefighters in northern Greece battled a large wildfire near the city of Alexandroupolis for a third day "
    "on Wednesday, as strong winds pushed the flames toward villages in the Evros region. The fire service said "
    "more than two hundred firefighters, nine aircraft and dozens of volunteers were fighting the blaze. "
    "Residents of four villages were told to leave their homes overnight, and the main hospital of the city "
    "moved patients to a ferry in the port as a precaution. Civil protection minister Vassilis Kikilias said the "
    "coming hours would be critical because the winds were expected to strengthen again in the afternoon. "
    "Greece has been hit by several large fires this summer after weeks of record heat across southern Europe."
)
OTHER_REPORT = (
    "Thousands of people fled their homes in the Evros region of Greece as a wildfire near Alexandroupolis "
    "spread for a third day. Kikilias, the minister for civil protection, warned that stronger winds in the "
    "afternoon could push the fire into more villages. Patients of the Alexandroupolis hospital were taken to a "
    "ferry docked in the port. Scientists link the string of summer fires to the heatwave that has gripped the "
    "Mediterranean for weeks, and local officials asked the European Union for more firefighting planes."
)


def test_dedup_syndicated_copy_kept_once_with_its_outlet() -> None:
    original = build_article("ALEXANDROUPOLIS, Greece (AP) — " + WIRE, article_id="a1", outlet="AP")
    copy = build_article(
        "By The Associated Press. " + WIRE + " Copyright 2023 The Associated Press. All rights reserved.",
        article_id="a2",
        outlet="Daily Example",
    )
    report = build_article(OTHER_REPORT, article_id="a3", outlet="Reuters")
    kept, diagnostics = deduplicate([original, copy, report])
    assert [a.id for a in kept] == ["a1", "a3"]
    assert [c.outlet for c in kept[0].copies] == ["Daily Example"]
    assert kept[0].copies[0].source == "a2.txt" and not kept[1].copies
    assert [(d.code, d.article_id, d.source) for d in diagnostics] == [("W-DUPLICATE-COPY", "a1", "a2.txt")]
    assert "W-DUPLICATE-COPY" in CODES


@pytest.mark.parametrize(
    ("texts", "kept"),
    [
        ((), 0),  # empty
        ((WIRE,), 1),  # one article
        ((WIRE, OTHER_REPORT), 2),  # two reports of one event in their own words: not copies
        (("Short notice.", "Short notice!"), 2),  # too short to compare: never merged
        (
            (WIRE, WIRE.replace("Wednesday", "Thursday"), WIRE + " More to follow."),
            1,
        ),  # small edits of one text
    ],
)
def test_dedup_edge_cases(texts: tuple[str, ...], kept: int) -> None:
    articles = [build_article(t, article_id=f"a{i}") for i, t in enumerate(texts, start=1)]
    assert len(deduplicate(articles)[0]) == kept


def test_dedup_index_prefers_earliest_and_does_not_index_copies() -> None:
    index = NearDuplicateIndex()
    assert index.add("x", WIRE) is None
    assert index.add("y", WIRE + " Updated.") == "x"
    assert index.add("z", WIRE) == "x"
    assert len(index) == 1


def _warc_with_wire_story(path: Path) -> None:
    paragraphs = [p.strip() + "." for p in WIRE.split(". ") if p.strip()]
    page = (
        "<html><head><title>Wildfire rages near Alexandroupolis</title></head><body><nav>Home | World</nav>"
        "<article><h1>Wildfire rages near Alexandroupolis</h1>"
        + "".join(f"<p>{p.rstrip('.')}.</p>" for p in paragraphs)
        + "</article><footer>Copyright AP</footer></body></html>"
    )
    write_warc(path, "https://apnews.com/article/greece-wildfire-evros", page)


def _rss_with_wire_story(path: Path) -> None:
    body = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in WIRE.split(". "))
    path.write_text(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Daily Example</title>'
        "<item><title>Greek wildfire forces evacuations</title><link>https://example.com/fire</link>"
        f"<pubDate>Wed, 23 Aug 2023 10:00:00 GMT</pubDate><description>{body}</description></item>"
        "<item><title>Other news</title><link>https://example.com/other</link>"
        f"<pubDate>Wed, 23 Aug 2023 11:00:00 GMT</pubDate><description>{OTHER_REPORT}</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )


def test_dedup_warc_and_rss_wire_copy_appears_once_with_both_outlets(tmp_path: Path) -> None:
    """Acceptance 4: the same wire story in a WARC crawl and an RSS feed is one source with two outlets."""
    from newsbrief.batch import run_batch
    from newsbrief.store import Store

    inputs = tmp_path / "in"
    inputs.mkdir()
    _warc_with_wire_story(inputs / "crawl.warc.gz")
    _rss_with_wire_story(inputs / "feed.rss")

    articles, diagnostics = read_articles([inputs])
    wire = [a for a in articles if "Alexandroupolis for a third day" in a.text]
    assert len(wire) == 1 and len(articles) == 2
    outlets = {wire[0].outlet, *(c.outlet for c in wire[0].copies)}
    assert outlets == {"AP", "Daily Example"}
    assert [d.code for d in diagnostics if d.code == "W-DUPLICATE-COPY"] == ["W-DUPLICATE-COPY"]

    result = run_batch([inputs], tmp_path / "out", store=Store(tmp_path / "db.sqlite"), progress=False)
    assert result.copies == 1 and result.articles == 2
    briefings = [json.loads((tmp_path / "out" / s.json).read_text()) for s in result.stories()]
    listed = [a for b in briefings for a in b["articles"] if "Alexandroupolis for a third day" in a["text"]]
    assert len(listed) == 1
    assert {listed[0]["outlet"], *(c["outlet"] for c in listed[0]["copies"])} == {"AP", "Daily Example"}
    assert all(validation_errors(b) == [] for b in briefings)
    index = json.loads((tmp_path / "out" / "index.json").read_text())
    story = next(s for s in index["stories"] if "AP" in s["outlets"])
    assert set(story["outlets"]) >= {"AP", "Daily Example"}


def test_dedup_index_forgets_beyond_its_window() -> None:
    index = NearDuplicateIndex(max_keys=1)
    assert index.add("x", WIRE) is None
    assert index.add("y", OTHER_REPORT) is None  # pushes "x" out of the window
    assert len(index) == 1
    assert index.add("z", WIRE) is None  # the original is forgotten: memory stays bounded
