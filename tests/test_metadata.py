"""Outlet, byline and publication-date rules, and the seeds' metadata (issue 3, acceptance 2)."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from newsbrief import metadata
from newsbrief.metadata import DateCandidate, choose_published


@pytest.mark.parametrize(
    ("url", "outlet"),
    [
        ("https://www.themoscowtimes.com/2013/04/29/x", "The Moscow Times"),
        ("https://edition.cnn.com/2020/01/01/world/x", "CNN"),
        ("https://news.example-daily.com/story", "Example-daily"),
        (None, None),
    ],
)
def test_metadata_outlet_from_url(url: str | None, outlet: str | None) -> None:
    assert metadata.outlet_from_url(url) == outlet


@pytest.mark.parametrize(
    ("text", "agency"),
    [
        ("MOSCOW (AFP) - The Kremlin said on Monday ...", "AFP"),
        ("TOKYO (Kyodo) -- Prime Minister ...", "Kyodo"),
        ("• Kyodo", "Kyodo"),
        ("— Reuters", "Reuters"),
        ("The minister spoke to reporters.", None),
    ],
)
def test_metadata_agency_dateline(text: str, agency: str | None) -> None:
    assert metadata.agency_in(text) == agency


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("By [Ivan Petrov](#)", ("Ivan Petrov",)),
        ("By Jane Roe and John Smith, Reuters", ("Jane Roe", "John Smith")),
        ("By Staff Reporter", ()),
        ("By AFP", ()),
        ("By Sun October 12, 2020 Minute Read", ()),
    ],
)
def test_metadata_byline_people_only(line: str, names: tuple[str, ...]) -> None:
    assert metadata.byline_names(line) == names


@pytest.mark.parametrize(
    ("line", "iso", "method"),
    [
        ("April 29, 2013", "2013-04-29", "dateline"),
        ("Posted: Sep 2, 2016 at 9:34 am / by / comments (0)", "2016-09-02", "dateline"),
        ("09:11 GMT02 June 2020", "2020-06-02", "page-clock"),
        ("Published 14:05 GMT, 3 March 2021", "2021-03-03", "dateline"),
    ],
)
def test_metadata_stamp_candidate(line: str, iso: str, method: str) -> None:
    assert metadata.is_date_stamp(line)
    candidate = metadata.stamp_candidate(line)
    assert candidate is not None
    assert (candidate.date.isoformat(), candidate.method) == (iso, method)


def test_metadata_sentence_is_not_a_stamp() -> None:
    assert not metadata.is_date_stamp("The treaty was signed on October 19, 1956 in Moscow by both leaders.")


def test_metadata_future_date_rejected() -> None:
    cand = DateCandidate(date=date(2090, 1, 1), method="provided", evidence="2090-01-01")
    published, rejected, diags = choose_published(
        [cand], "The council met on Monday.", article_id="a1", today=date(2026, 1, 1)
    )
    assert [r.date for r in rejected] == ["2090-01-01"]
    assert "W-DATE-FUTURE" in [d.code for d in diags]
    assert published is None or published.date != "2090-01-01"


def test_metadata_stated_date_kept() -> None:
    cand = DateCandidate(date=date(2019, 5, 3), method="dateline", evidence="May 3, 2019")
    published, rejected, _ = choose_published(
        [cand], "The mayor will open the bridge next month.", article_id="a1"
    )
    assert published is not None and published.date == "2019-05-03" and published.method == "dateline"
    assert rejected == ()


def test_metadata_seeds(seeds_by_file: dict[str, dict[str, Any]]) -> None:
    assert len(seeds_by_file) == 5
    mt, sputnik, afp = seeds_by_file["001"], seeds_by_file["002"], seeds_by_file["003"]
    assert mt["published"]["date"] == "2013-04-29" and mt["outlet"] == "The Moscow Times"
    assert mt["byline"] == ["Ivan Nechepurenko"]
    assert afp["published"]["date"] == "2016-09-02"
    # Sputnik: the 2020 page clock is rejected; the inferred date lies in 2016.
    assert [r["date"][:4] for r in sputnik["rejected_dates"]] == ["2020"]
    assert sputnik["published"]["date"].startswith("2016")
    assert sputnik["published"]["method"] == "inferred"
    assert sputnik["outlet"] == "Sputnik"
    # The undated RT and Kyodo articles get inferred dates in the right month.
    assert seeds_by_file["000"]["outlet"] == "RT"
    assert seeds_by_file["000"]["published"]["date"][:7] == "2016-12"
    assert seeds_by_file["004"]["outlet"] == "Kyodo"
    assert seeds_by_file["004"]["published"]["date"][:7] == "2018-05"
    for article in seeds_by_file.values():
        assert article["published"]["evidence"]
        if article["published"]["method"] == "inferred":
            assert article["published"]["confidence"] < 0.9


def test_metadata_seed_crawl_diagnostic(
    seeds_briefing: dict[str, Any], seeds_by_file: dict[str, Any]
) -> None:
    sputnik_id = seeds_by_file["002"]["id"]
    codes = {(d["article"], d["code"]) for d in seeds_briefing["diagnostics"]}
    assert (sputnik_id, "W-DATE-CRAWL") in codes
