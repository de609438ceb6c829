"""Tests of newsbrief.timeline: per-article times, dating undated articles, event selection (no spaCy unless
marked; the seeds test uses the full pipeline through the shared ``seeds_story`` fixture)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from newsbrief.model import Analysis, Article, PublishedDate, Sentence, Span, Story
from newsbrief.timeline import (
    build_timeline,
    date_undated_articles,
    event_line,
    find_times,
    parse_reference,
)

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’]?|$)")


def _analysis(
    text: str,
    *,
    article_id: str = "a1",
    outlet: str | None = None,
    published: str | None = None,
    method: str = "provided",
) -> Analysis:
    """An Analysis with regex sentences (no spaCy)."""
    date = (
        PublishedDate(date=published, confidence=0.9, method=method, evidence=published)
        if published
        else None
    )
    article = Article(id=article_id, source=f"{article_id}.txt", text=text, outlet=outlet, published=date)
    sentences = []
    for m in _SENTENCE.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            sentences.append(
                Sentence(
                    span=Span(article_id=article_id, start=start, end=end),
                    text=text[start:end],
                    index=len(sentences),
                )
            )
    return Analysis(article=article, sentences=tuple(sentences))


def _story(*analyses: Analysis) -> Story:
    return Story(id="s", analyses=tuple(find_times(a) for a in analyses))


# ------------------------------------------------------------------------------------------------ find_times


def test_timeline_find_times_resolves_against_publication_date() -> None:
    a = find_times(
        _analysis(
            "The ministers met on Monday in Tokyo. They will meet again in March.", published="2016-12-15"
        )
    )
    got = {m.as_written: (m.date, m.granularity) for m in a.times}
    assert got == {"Monday": ("2016-12-12", "day"), "March": ("2017-03", "month")}
    for m in a.times:
        assert a.article.text[m.span.start : m.span.end] == m.as_written
        assert a.sentences[m.sentence_index].span.start <= m.span.start


def test_timeline_find_times_skips_undated_article() -> None:
    a = _analysis("The ministers met on Monday in Tokyo.")
    assert find_times(a) is a


def test_timeline_find_times_month_precision_keeps_weekday_to_the_month() -> None:
    a = find_times(
        _analysis(
            "The leaders reaffirmed Saturday their plans. A summit is due on June 12.", published="2018-05"
        )
    )
    got = {m.as_written: (m.date, m.granularity) for m in a.times}
    assert got["Saturday"] == ("2018-05", "month")
    assert got["June 12"] == ("2018-06-12", "day")


def test_timeline_find_times_skips_stamps_and_implausible_dates() -> None:
    text = (
        "09:11 GMT 02 June 2020\n"
        "The fortress was built 300 years ago by the first settlers of the valley.\n"
        "The dam will be finished in 20 years, the minister said on Monday.\n"
        "The town was founded in 1703 by traders from the coast."
    )
    a = find_times(_analysis(text, published="2016-10-17"))
    written = {m.as_written: m.date for m in a.times}
    assert "02 June 2020" not in written  # a page clock line
    assert "300 years ago" not in written  # before 1900 without a written year
    assert "in 20 years" not in written  # more than a year ahead without a written year
    assert written["1703"] == "1703"  # a written year is explicit evidence
    assert written["Monday"] == "2016-10-17"


def test_timeline_find_times_anchors_narrative_later_to_written_date() -> None:
    a = find_times(
        _analysis(
            "The bank failed on September 15, 2008. Two days later, the government stepped in.",
            published="2009-01-10",
        )
    )
    got = {m.as_written: m.date for m in a.times}
    assert got["Two days later"] == "2008-09-17"


def test_timeline_parse_reference() -> None:
    assert parse_reference("2016-12-15") is not None
    assert parse_reference("2016-12")[1] == "month"  # type: ignore[index]
    assert parse_reference("2016")[1] == "year"  # type: ignore[index]
    assert parse_reference("garbage") is None


# --------------------------------------------------------------------------------------------- build_timeline


def test_timeline_empty_story() -> None:
    assert build_timeline(Story(id="s", analyses=())).timeline == ()
    lone = _story(_analysis("Nothing dated is said in this article at all.", published="2016-01-01"))
    assert build_timeline(lone).timeline == ()


def test_timeline_merges_one_event_reported_by_two_outlets() -> None:
    a = _analysis(
        "The president will travel to Japan on December 15 for two days of talks with the prime minister.",
        article_id="a1",
        outlet="Wire One",
        published="2016-10-20",
    )
    b = _analysis(
        "The Kremlin said the president travels to Japan in December for talks with the prime minister.",
        article_id="a2",
        outlet="Wire Two",
        published="2016-11-02",
    )
    events = build_timeline(_story(a, b)).timeline
    assert len(events) == 1
    event = events[0]
    assert event.date == "2016-12-15" and event.granularity == "day"
    assert set(event.outlets) == {"Wire One", "Wire Two"}
    assert {s.article_id for s in event.sources} == {"a1", "a2"}
    assert set(event.as_written) == {"December 15", "December"}


def test_timeline_keeps_distinct_events_apart_and_sorted() -> None:
    a = _analysis(
        "The islands were seized by Soviet troops in 1945 at the end of the war. "
        "The two leaders met at the Kremlin on Monday to discuss a peace treaty.",
        outlet="Paper",
        published="2013-04-29",
    )
    events = build_timeline(_story(a)).timeline
    assert [e.date for e in events] == ["1945", "2013-04-29"]
    assert [e.granularity for e in events] == ["year", "day"]


def test_timeline_keeps_conflicting_dates_as_a_disputed_pair() -> None:
    a = _analysis(
        "The rebel commander Ivan Zorkin was captured by border guards near the river crossing on March 3.",
        article_id="a1",
        outlet="Wire One",
        published="2015-03-10",
    )
    b = _analysis(
        "The rebel commander Ivan Zorkin was captured by border guards near the river crossing on March 5.",
        article_id="a2",
        outlet="Wire Two",
        published="2015-03-10",
    )
    events = build_timeline(_story(a, b)).timeline
    assert [e.date for e in events] == ["2015-03-03", "2015-03-05"]
    assert events[0].disputed_with == ("2015-03-05",)
    assert events[1].disputed_with == ("2015-03-03",)


def test_timeline_caps_events_and_keeps_the_most_reported() -> None:
    shared = "The central bank raised interest rates sharply on January 14 to defend the currency."
    analyses = [
        _analysis(shared, article_id="a1", outlet="A", published="2015-02-01"),
        _analysis(shared.replace("sharply", "steeply"), article_id="a2", outlet="B", published="2015-02-01"),
    ]
    singles = [
        _analysis(sentence, article_id=f"a{i + 3}", outlet="C", published="2015-02-01")
        for i, sentence in enumerate(
            [
                "The national orchestra performed in the capital on January 3 before a large crowd.",
                "Heavy snow closed the northern mountain passes on January 5 for several hours.",
                "A new museum of modern art opened its doors to visitors on January 7 downtown.",
                "Farmers protested against grain import quotas outside parliament on January 9.",
            ]
        )
    ]
    events = build_timeline(_story(*analyses, *singles), max_events=2).timeline
    assert len(events) == 2
    assert "2015-01-14" in [e.date for e in events]
    assert [e.date for e in events] == sorted(e.date for e in events)


def test_timeline_event_text_is_extractive() -> None:
    text = (
        "On Monday, the foreign minister of the republic said that the government remains committed to "
        "developing close cooperation with its neighbour on the basis of the joint declaration signed "
        "60 years ago, on October 19, 1956, in the capital of the former empire by both heads of state."
    )
    start = text.index("October")
    line, a, b = event_line(text, 0, len(text), start, start + len("October 19, 1956"))
    assert "October 19, 1956" in line
    assert len(line.split()) <= 34
    assert line.strip("…") in re.sub(r"\s+", " ", text[a:b])
    for word in re.findall(r"\w+", line):
        assert word in text


# ------------------------------------------------------------------------------------------ undated articles


def test_timeline_dates_undated_article_from_matching_event() -> None:
    dated = _analysis(
        "Experts say the president's visit to Japan in December may be the last chance to sign a peace treaty.",
        article_id="a1",
        outlet="Wire One",
        published="2016-10-20",
    )
    other = _analysis(
        "The finance ministers met in Brussels on Monday to discuss the budget rules of the union.",
        article_id="a2",
        outlet="Wire Two",
        published="2014-03-10",
    )
    undated = _analysis(
        "While in Japan, the president said that signing a peace treaty with Japan remains a priority. "
        "The two-day visit ended with a news conference.",
        article_id="a3",
        outlet="Wire Three",
    )
    story = date_undated_articles(Story(id="s", analyses=(dated, other, undated)))
    published = story.analyses[2].article.published
    assert published is not None
    assert published.date == "2016-12"
    assert published.method == "inferred"
    assert published.confidence <= 0.5
    assert "a1" in published.evidence
    assert any(d.code == "W-DATE-INFERRED" and d.article_id == "a3" for d in story.diagnostics)
    # the dated articles are untouched
    assert story.analyses[0] is dated


def test_timeline_leaves_unmatched_article_undated() -> None:
    dated = _analysis(
        "The finance ministers met in Brussels on Monday to discuss budgets.", published="2014-03-10"
    )
    undated = _analysis("A rare orchid bloomed in the botanical garden of the old city.", article_id="a2")
    story = Story(id="s", analyses=(dated, undated))
    assert date_undated_articles(story) is story


# ------------------------------------------------------------------------------------------ the seeds story

# Every dated event of the five seed files, judged by hand: (file prefix, date, expression as written).
# Dates of the wire story without a dateline (004) are at month precision: its publication month is inferred.
SEEDS_GOLD = [
    ("001", "1945", "1945"),
    ("001", "2010", "2010"),
    ("001", "2012", "2012"),
    ("001", "2013-04-27", "last Saturday morning"),
    ("001", "2013-04-29", "Monday"),
    ("001", "2014", "2014"),
    ("002", "1956-10-19", "October 19, 1956"),
    ("002", "2016-09", "September"),
    ("002", "2016-12-15", "December 15"),
    ("002", "2016-12", "December"),
    ("002", "2014", "2014"),
    ("003", "2016-09-02", "Friday"),
    ("003", "2016-12", "December"),
    ("003", "2005", "2005"),
    ("003", "2015", "last year"),
    ("003", "2016", "earlier this year"),
    ("004", "2018-05", "Saturday"),
    ("004", "2018-03", "March"),
    ("004", "2017-09", "last September"),
    ("004", "2018-06-12", "June 12"),
    ("004", "2017-03", "March 2017"),
    ("004", "2017", "last year"),
    ("004", "2016", "two years ago"),
    ("004", "2018", "later this year"),
]


def _by_file(story: Any) -> dict[str, str]:
    return {Path(a.article.source).name[:3]: a.article.id for a in story.analyses}


@pytest.mark.parametrize(("prefix", "gold", "written"), SEEDS_GOLD)
def test_timeline_seeds_gold_events(seeds_story: Any, prefix: str, gold: str, written: str) -> None:
    article_id = _by_file(seeds_story)[prefix]
    matches = [
        e
        for e in seeds_story.timeline
        if e.date.startswith(gold)
        and written in e.as_written
        and any(s.article_id == article_id for s in e.sources)
    ]
    assert matches, f"no event {gold} '{written}' from {prefix}"


def test_timeline_seeds_acceptance_events(seeds_story: Any) -> None:
    ids = _by_file(seeds_story)
    timeline = seeds_story.timeline

    def find(date_prefix: str, *prefixes: str) -> bool:
        wanted = {ids[p] for p in prefixes}
        return any(
            e.date.startswith(date_prefix) and wanted <= {s.article_id for s in e.sources} for e in timeline
        )

    assert find("1945", "001")  # the seizure of the islands
    assert find("1956-10-19", "002")  # the joint declaration
    assert find("2013-04", "001")  # Abe's visit to Moscow
    assert find("2016-09", "002", "003")  # the Vladivostok talks
    assert find("2016-12", "002", "003")  # Putin's visit to Japan
    assert find("2018-05", "004")  # the Kremlin meeting
    assert not any(e.date.startswith("2020") for e in timeline)  # never the page clock
    assert [e.date for e in timeline] == sorted(e.date for e in timeline)
    for e in timeline:
        assert e.sources and e.text


def test_timeline_seeds_undated_article_is_dated_from_the_story(seeds_story: Any) -> None:
    rt = next(a.article for a in seeds_story.analyses if Path(a.article.source).name.startswith("000"))
    assert rt.published is not None
    assert rt.published.date.startswith("2016-12")
    assert rt.published.method == "inferred"
    assert rt.published.confidence <= 0.5
