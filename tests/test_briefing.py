"""The briefing end to end on the example story: contract, spans, errors in a batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from newsbrief.briefing import build_story
from newsbrief.render import to_json
from newsbrief.schema import validation_errors


def test_briefing_seeds_validate(seeds_briefing: dict[str, Any]) -> None:
    assert validation_errors(seeds_briefing) == []
    assert seeds_briefing["schema"] == "newsbrief.briefing/1"
    assert [a["id"] for a in seeds_briefing["articles"]] == ["a1", "a2", "a3", "a4", "a5"]


def test_briefing_every_span_resolves(seeds_briefing: dict[str, Any]) -> None:
    texts = {a["id"]: a["text"] for a in seeds_briefing["articles"]}
    for article in seeds_briefing["articles"]:
        for sentence in article["sentences"]:
            piece = article["text"][sentence["start"] : sentence["end"]]
            assert piece and piece == piece.strip()
    for quote in seeds_briefing["quotes"]:
        span = quote["span"]
        if quote["kind"] != "indirect":
            assert texts[span["article"]][span["start"] : span["end"]] == quote["text"]
    for line in seeds_briefing["summary"]:
        spans = line["sources"]
        assert any(texts[s["article"]][s["start"] : s["end"]] == line["text"] for s in spans)
    for key in ("timeline", "claims"):
        for item in seeds_briefing[key]:
            for s in item["sources"]:
                assert 0 <= s["start"] < s["end"] <= len(texts[s["article"]])


def test_briefing_has_summary(seeds_briefing: dict[str, Any]) -> None:
    assert 1 <= len(seeds_briefing["summary"]) <= 5


def test_briefing_bad_inputs_do_not_sink_the_batch(tmp_path: Path, seeds_dir: Path) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "nav.html").write_text("<html><body><nav><a href='/'>Home</a></nav></body></html>")
    (tmp_path / "dup.txt").write_text((seeds_dir / "000_d848a06cc7ce5cdf.txt").read_text())
    good = sorted(seeds_dir.glob("00[04]_*.txt"))
    story = build_story([*good, tmp_path, tmp_path / "missing.txt"], progress=False)
    briefing = to_json(story)
    assert len(briefing["articles"]) == 2
    codes = sorted(d["code"] for d in briefing["diagnostics"] if d["code"].startswith(("E-", "W-DUP")))
    assert codes == ["E-BINARY", "E-EMPTY", "E-NO-ARTICLE", "E-PATH-MISSING", "W-DUPLICATE"]
    for diag in briefing["diagnostics"]:
        assert len(diag["message"]) > 20  # says what happened and what to do


def test_briefing_story_title_skips_a_stray_page_headline() -> None:
    import dataclasses

    from builders import build_article
    from newsbrief.briefing import story_title

    flood = "Floodwaters rose along the river on Monday and forced thousands from their homes in the valley."
    articles = [
        dataclasses.replace(build_article(flood, article_id="a1"), title="Tweet with a location"),
        build_article(
            "Rescue crews said the river crested overnight as floodwaters reached homes.", article_id="a2"
        ),
        dataclasses.replace(
            build_article("Thousands left their homes as the river flooded the valley.", article_id="a3"),
            title="River floods valley homes",
        ),
    ]
    assert story_title(articles) == "River floods valley homes"
    lead = "Floodwaters forced thousands of people from their homes in the valley on Monday, officials said."
    assert (
        story_title(articles[:2], fallback=lead)
        == "Floodwaters forced thousands of people from their homes in the valley on Monday, officials…"
    )
    assert story_title(articles[:2]) is None
    assert story_title(articles[:2], fallback="LONDON — Rescue crews worked overnight.") == (
        "Rescue crews worked overnight."
    )
