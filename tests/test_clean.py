"""Line-by-line cleaning expectations for the five example articles, and the cleaner's rules on small cases."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsbrief.clean import clean_document, clean_lines
from newsbrief.model import RawDocument

SEEDS = Path(__file__).resolve().parents[1] / "examples" / "seeds"

# Every line of each seed that must leave the text (matched by its start), with the reason expected.
# Every other non-empty line must survive (a body paragraph, headline or standfirst).
REMOVED: dict[str, list[tuple[str, str]]] = {
    "000": [("Never miss a story again", "prompt")],
    "001": [
        ("By [Ivan Nechepurenko]", "byline"),
        ("April 29, 2013", "date-stamp"),
        ("President Vladimir Putin shaking hands", "photo-caption"),
        ("'Japan needs this problem to keep boiling.", "pull-quote"),
        ("Viktor", "fragment"),
        ("Pavlyatenko", "fragment"),
        ("Contact the author at", "contact"),
        ("Related articles:", "related-links"),
        ("- [Japanese Prime Minister Arrives", "related-links"),
        ("- [U.S. and EU Can Learn", "related-links"),
        ("- [Gazprom in Talks", "related-links"),
        ("Original url:", "source-url"),
        ("<https://www.themoscowtimes.com/", "source-url"),
    ],
    "002": [
        ("09:11 GMT02 June 2020", "date-stamp"),
        ("Listen Live", None),
        ("Get short URL", None),
        ("Kuril Islands", "photo-caption"),
        ("© Sputnik / Sergey Krasnouhov", "photo-credit"),
        ("Japan Intends to Continue", "related-links"),
        ("Russia Committed to Cooperate", "related-links"),
        ("Japan, Russia Mulling Possibility", "related-links"),
        ("Japan Seeking to Make Russia Lift", "related-links"),
        ("treaty, territorial dispute, visit", "tags"),
        ("Community standardsDiscussion", "comments"),
        ("Comment via SputnikComment via Facebook", "comments"),
    ],
    "003": [
        ("Putin Keen To Solve Japan Island Row | Independent", "page-title"),
        ("Newsletter subscribe", None),
        ("Latest News", None),
        ("Posted: Sep 2, 2016", "date-stamp"),
    ],
    "004": [("• Kyodo", "source-credit")],
}


def _seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def _plain(line: str) -> str:
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", line).replace("**", "").strip()


def _matches(line: str, start: str) -> bool:
    """Short expectations name a whole line; long ones its start."""
    line = " ".join(line.split())
    return line == start or (len(start) >= 15 and line.startswith(start))


@pytest.mark.parametrize("prefix", sorted(REMOVED))
def test_clean_seed_lines(prefix: str) -> None:
    raw_lines = [
        line.strip() for line in _seed(prefix).read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    cleaned = clean_lines(raw_lines)
    expected = REMOVED[prefix]
    for start, reason in expected:
        hits = [r for r in cleaned.removed if _matches(r.text, start)]
        assert hits, f"{prefix}: expected {start!r} to be removed"
        if reason is not None:
            assert all(r.reason == reason for r in hits), (start, [r.reason for r in hits])
    # nothing is removed that the expectations do not name
    unexpected = [r for r in cleaned.removed if not any(_matches(r.text, s) for s, _ in expected)]
    assert unexpected == []
    # and every other line survives
    text = "\n\n".join(cleaned.paragraphs)
    for line in raw_lines:
        if any(_matches(line, start) for start, _ in expected):
            continue
        assert _plain(" ".join(line.split())) in text, f"{prefix}: body line lost: {line[:80]!r}"


def test_clean_seed_metadata_read_before_dropping() -> None:
    cleaned = clean_lines(_seed("001").read_text(encoding="utf-8").splitlines())
    assert cleaned.byline == ("Ivan Nechepurenko",)
    assert cleaned.url is not None and "themoscowtimes.com" in cleaned.url
    assert cleaned.title == "Russia, Japan 'Determined' to Conclude Peace Treaty"
    assert [c.date.isoformat() for c in cleaned.date_candidates] == ["2013-04-29"]


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement", "advertisement"),
        ("We use cookies to improve your experience. Accept all cookies", "cookie-notice"),
        ("Photo: Jane Doe/Reuters", "photo-credit"),
        ("Read more: Ten things about the budget", "related-links"),
        ("Follow us on Twitter and Facebook for the latest updates!", "prompt"),
        ("By Staff Reporter", "byline"),
        ("Updated 14:05 GMT, 3 March 2021", "date-stamp"),
        ("Embed Budget cuts taxes 2:49 autoplay autoplay Copy this code to your website or blog", "prompt"),
    ],
)
def test_clean_drops_boilerplate(line: str, reason: str) -> None:
    body = "The finance minister said on Tuesday that the new budget would cut taxes for small firms."
    cleaned = clean_lines(["A Headline About The Budget", body, line, body.replace("Tuesday", "Wednesday")])
    assert [(r.text, r.reason) for r in cleaned.removed] == [(line, reason)]


def test_clean_byline_is_people_only() -> None:
    cleaned = clean_lines(
        ["Big Story Headline Here", "By Staff Reporter", "The mayor said the bridge would close."]
    )
    assert cleaned.byline == ()


def test_clean_html_without_article_is_a_diagnostic() -> None:
    raw = RawDocument(
        source="x.html", content="<html><body><nav><a href='/'>Home</a></nav></body></html>", kind="html"
    )
    article, diagnostics = clean_document(raw, "a1")
    assert article is None
    assert [d.code for d in diagnostics] == ["E-NO-ARTICLE"]


def test_clean_html_article() -> None:
    paragraphs = "".join(
        f"<p>Paragraph {i} of the report says the council voted to approve the new housing plan today.</p>"
        for i in range(6)
    )
    page = (
        "<html><head><title>Council approves plan</title></head><body><nav>Home | World | Sport</nav>"
        f"<article><h1>Council approves housing plan</h1>{paragraphs}</article>"
        "<footer>Subscribe to our newsletter</footer></body></html>"
    )
    article, diagnostics = clean_document(
        RawDocument(
            source="p.html", content=page, kind="html", url="https://www.bbc.co.uk/news/2021/03/04/x"
        ),
        "a1",
    )
    assert article is not None, diagnostics
    assert "Paragraph 5 of the report" in article.text
    assert "Subscribe" not in article.text
    assert article.outlet == "BBC"


@pytest.mark.parametrize(
    ("headline", "title"),
    [
        (
            "Story highlights Police seek the operator of a drone that hit an airliner",
            "Police seek the operator of a drone that hit an airliner",
        ),
        ("BREAKING: Strong earthquake hits the coast of Chile", "Strong earthquake hits the coast of Chile"),
        (
            "Breaking Bad star opens a restaurant in Albuquerque",
            "Breaking Bad star opens a restaurant in Albuquerque",
        ),
    ],
)
def test_clean_headline_label_is_not_part_of_the_title(headline: str, title: str) -> None:
    body = "The finance minister said on Tuesday that the new budget would cut taxes for small firms."
    cleaned = clean_lines([headline, body, body.replace("Tuesday", "Wednesday")])
    assert cleaned.title == title
