"""Tests of newsbrief.temporal: finding, resolving and dating from content (no spaCy, no network)."""

from __future__ import annotations

from datetime import date

import pytest

from newsbrief.temporal import (
    ContentDating,
    TimeExpression,
    find_time_expressions,
    infer_publication_date,
    resolve_time,
)

THU = date(2016, 12, 15)  # a Thursday
SAT = date(2018, 5, 26)  # a Saturday
MON = date(2013, 4, 29)  # a Monday
FRI = date(2016, 9, 2)  # a Friday

# (sentence, reference date, expression as written, expected ISO resolution or None for "no date here").
# Reference dates are chosen so that forward/backward resolution matters. Rows marked "dateparser" are ones
# dateparser 1.5 (parse / search.search_dates with RELATIVE_BASE) gets wrong or cannot parse, checked by hand:
# "last September" -> None / the coming September; "earlier this year", "later this year", "late last month",
# "71-year-old" -> nothing; "next March" -> the past March; "a day after" and "2+2" -> false dates.
CASES: list[tuple[str, date, str, str | None]] = [
    # --- absolute dates in the common news forms
    ("The summit was held on Dec. 15.", THU, "Dec. 15", "2016-12-15"),
    ("The summit was held on Dec 15.", THU, "Dec 15", "2016-12-15"),
    ("He arrived on 15 December 2016.", THU, "15 December 2016", "2016-12-15"),
    ("He arrived on December 15, 2016, by plane.", THU, "December 15, 2016", "2016-12-15"),
    ("He arrived on December 15th.", THU, "December 15th", "2016-12-15"),
    ("Officials met on 2016-12-15 in Tokyo.", THU, "2016-12-15", "2016-12-15"),
    ("The accord was signed on Oct 19, 1956.", THU, "Oct 19, 1956", "1956-10-19"),
    ("The accord was signed on October 19, 1956.", THU, "October 19, 1956", "1956-10-19"),
    ("The accord was signed on 19 October 1956.", THU, "19 October 1956", "1956-10-19"),
    ("The accord was signed on 19th October, 1956.", THU, "19th October, 1956", "1956-10-19"),
    ("We met on the 5th of May.", THU, "the 5th of May", "2016-05-05"),
    ("The decree dated 12/25/2015 was published.", THU, "12/25/2015", "2015-12-25"),
    ("The decree dated 25/12/2015 was published.", THU, "25/12/2015", "2015-12-25"),
    ("Posted: Sep 2, 2016 at 9:34 am", THU, "Sep 2, 2016", "2016-09-02"),
    ("Sept. 11, 2001 changed everything.", THU, "Sept. 11, 2001", "2001-09-11"),
    ("On Saturday, 25 April 2009, experts warned.", THU, "Saturday, 25 April 2009", "2009-04-25"),
    ("The meeting on Jan. 3 was cancelled.", THU, "Jan. 3", "2016-01-03"),
    ("The talks will resume on Jan. 3.", THU, "Jan. 3", "2017-01-03"),
    ("Trump will meet Kim on June 12 in Singapore.", SAT, "June 12", "2018-06-12"),
    ("Elections were held on June 12.", SAT, "June 12", "2017-06-12"),
    ("The visit was announced for December 15.", date(2016, 10, 20), "December 15", "2016-12-15"),
    (
        "One of the outcomes was the announcement of a visit on December 15.",
        date(2016, 10, 20),
        "December 15",
        "2016-12-15",
    ),
    ("The vote on March 3 was close.", SAT, "March 3", "2018-03-03"),
    ("Nothing happened on February 29, 2016.", THU, "February 29, 2016", "2016-02-29"),
    # --- ranges
    ("The talks are set for December 15-16.", THU, "December 15-16", "2016-12-15"),
    ("The talks were held December 15–16, 2016.", THU, "December 15–16, 2016", "2016-12-15"),
    ("The forum runs 15-16 December.", THU, "15-16 December", "2016-12-15"),
    ("The forum ran 2 to 3 September 2016.", THU, "2 to 3 September 2016", "2016-09-02"),
    ("It will take place from March to May 2017.", THU, "from March to May 2017", "2017-03"),
    ("Talks were held between 2010 and 2012.", THU, "between 2010 and 2012", "2010"),
    ("He ruled from 2000 to 2008.", THU, "from 2000 to 2008", "2000"),
    ("The 2014-2016 plan failed.", THU, "2014-2016", "2014"),
    ("The 2014-16 plan failed.", THU, "2014-16", "2014"),
    ("The festival ran March-April 2015.", THU, "March-April 2015", "2015-03"),
    (
        "Talks were held December 30 to January 2.",
        date(2017, 1, 10),
        "December 30 to January 2",
        "2016-12-30",
    ),
    # --- month and year mentions
    ("The plan was agreed in March 2017.", THU, "March 2017", "2017-03"),
    ("The plan was agreed in March of 2017.", THU, "March of 2017", "2017-03"),
    ("It opened in late March 2017.", THU, "late March 2017", "2017-03"),
    ("It opened at the end of March 2017.", THU, "the end of March 2017", "2017-03"),
    ("Putin will travel to Japan in December.", FRI, "December", "2016-12"),
    ("Abe took part in the forum in September.", date(2016, 10, 20), "September", "2016-09"),
    ("He secured another term in an election in March.", SAT, "March", "2018-03"),
    ("Prices rose in January.", THU, "January", "2016-01"),
    ("Prices will rise in January.", THU, "January", "2017-01"),
    ("Prices are expected to rise in January.", THU, "January", "2017-01"),
    ("The island was seized in May.", THU, "May", "2016-05"),
    ("The December meeting may be the best time.", date(2016, 10, 20), "December", "2016-12"),
    ("Lavrov spoke about it in November.", THU, "November", "2016-11"),
    ("The budget is due in February.", THU, "February", "2017-02"),
    ("A visit in mid-April is planned.", THU, "mid-April", "2017-04"),
    ("The ban was lifted in early June.", THU, "early June", "2016-06"),
    ("He said it in 2010.", THU, "2010", "2010"),
    ("The islands were seized by the Soviet Union in 1945.", THU, "1945", "1945"),
    ("Abe invited Putin to pay an official visit to Tokyo in 2014.", MON, "2014", "2014"),
    ("The 2012 summit was held in the city.", THU, "2012", "2012"),
    ("Medvedev's 2010 visit to the islands angered Tokyo.", THU, "2010", "2010"),
    ("She left in early 2015.", THU, "early 2015", "2015"),
    ("The event happened in mid-2015.", THU, "mid-2015", "2015"),
    ("It was in the summer of 2014.", THU, "2014", "2014"),
    ("His first trip to the country since 2005 is due.", THU, "2005", "2005"),
    ("The 2016 elections were close.", THU, "2016", "2016"),
    ("He visited the islands in 1812.", THU, "1812", "1812"),
    ("The 2016's results were good.", THU, "2016", "2016"),
    # --- weekdays
    ("The talks were held on Monday.", THU, "Monday", "2016-12-12"),
    ("They will meet on Monday.", THU, "Monday", "2016-12-19"),
    ("Abe and Putin reaffirmed Saturday they will make efforts.", SAT, "Saturday", "2018-05-26"),
    ("Putin said Moscow was keen ahead of talks Friday.", FRI, "Friday", "2016-09-02"),
    ("The disputed islands will be addressed in Friday’s talks.", date(2016, 9, 1), "Friday’s", "2016-09-02"),
    ("In a Friday joint interview, Putin said a treaty is possible.", SAT, "Friday", "2018-05-25"),
    ("In one achievement at Monday's meeting, they agreed.", MON, "Monday's", "2013-04-29"),
    ("Police said on Tuesday that two men were held.", THU, "Tuesday", "2016-12-13"),
    ("The vote is scheduled for Sunday.", THU, "Sunday", "2016-12-18"),
    ("He died Wednesday night.", THU, "Wednesday night", "2016-12-14"),
    ("The report came out Thursday.", THU, "Thursday", "2016-12-15"),
    ("Shoppers flocked to stores on Black Friday.", THU, "Friday", None),
    # --- relative expressions
    ("The vote took place last Saturday.", THU, "last Saturday", "2016-12-10"),
    ("Just last Saturday morning, jets were scrambled.", MON, "last Saturday morning", "2013-04-27"),
    ("He will visit next Friday.", THU, "next Friday", "2016-12-16"),
    ("They meet this Friday.", THU, "this Friday", "2016-12-16"),
    ("They met this past Monday.", THU, "this past Monday", "2016-12-12"),
    ("The deal was agreed to last September.", SAT, "last September", "2017-09"),  # dateparser
    ("The deal was agreed to last September.", date(2016, 10, 20), "last September", "2016-09"),
    ("The deal was agreed to last December.", date(2016, 12, 20), "last December", "2015-12"),
    ("They will meet next March.", THU, "next March", "2017-03"),  # dateparser
    ("They will meet next December.", date(2016, 12, 1), "next December", "2017-12"),
    ("They signed it earlier this year.", THU, "earlier this year", "2016"),  # dateparser
    ("Talks will resume later this year.", SAT, "later this year", "2018"),  # dateparser
    ("The ministers met earlier this month.", THU, "earlier this month", "2016-12"),
    ("Prices rose late last month.", THU, "late last month", "2016-11"),  # dateparser
    ("Prices rose early last month.", date(2016, 1, 10), "early last month", "2015-12"),
    ("Prices will rise early next month.", date(2016, 12, 10), "early next month", "2017-01"),
    ("Prices rose last month.", THU, "last month", "2016-11"),
    ("Prices will rise next month.", THU, "next month", "2017-01"),
    ("Profits rose this month.", THU, "this month", "2016-12"),
    ("Medvedev infuriated Tokyo last year.", THU, "last year", "2015"),
    ("Elections will be held next year.", THU, "next year", "2017"),
    ("Profits rose this year.", THU, "this year", "2016"),
    ("Growth slowed at the end of last year.", THU, "at the end of last year", "2015"),
    ("Growth will slow by the end of next year.", THU, "by the end of next year", "2017"),
    ("They met last week.", THU, "last week", "2016-12-05"),
    ("They meet next week.", THU, "next week", "2016-12-19"),
    ("They met earlier this week.", THU, "earlier this week", "2016-12-12"),
    ("He will travel there this weekend.", THU, "this weekend", "2016-12-17"),
    ("Fighting broke out last weekend.", THU, "last weekend", "2016-12-10"),
    ("The treaty was signed 60 years ago.", date(2016, 10, 20), "60 years ago", "1956"),
    ("The war ended seventy years ago.", date(2015, 5, 9), "seventy years ago", "1945"),
    ("Abe proposed the package two years ago.", SAT, "two years ago", "2016"),
    ("He resigned three days ago.", THU, "three days ago", "2016-12-12"),
    ("He resigned a week ago.", THU, "a week ago", "2016-12-08"),
    ("He resigned a month ago.", THU, "a month ago", "2016-11"),
    ("He resigned six months ago.", THU, "six months ago", "2016-06"),
    ("He resigned a year ago.", THU, "a year ago", "2015"),
    ("The plant closed a decade ago.", THU, "a decade ago", "2006"),
    ("The plant closed twenty-five years ago.", THU, "twenty-five years ago", "1991"),
    ("The ban was lifted 10 years ago this month.", THU, "10 years ago", "2006"),
    ("He will return in two weeks.", THU, "in two weeks", "2016-12-29"),
    ("The law will take effect in six months.", THU, "in six months", "2017-06"),
    ("The law takes effect three months from now.", THU, "three months from now", "2017-03"),
    ("He was released yesterday.", THU, "yesterday", "2016-12-14"),
    ("She will arrive tomorrow.", THU, "tomorrow", "2016-12-16"),
    ("Today, the president spoke.", THU, "Today", "2016-12-15"),
    ("The vote is today.", THU, "today", "2016-12-15"),
    ("Last night, rebels attacked.", THU, "Last night", "2016-12-14"),
    ("Rebels will attack tonight.", THU, "tonight", "2016-12-15"),
    ("He spoke the day before yesterday.", THU, "the day before yesterday", "2016-12-13"),
    ("He will speak the day after tomorrow.", THU, "the day after tomorrow", "2016-12-17"),
    ("The deal was signed this morning.", THU, "this morning", "2016-12-15"),
    ("Three days later, he resigned.", THU, "Three days later", "2016-12-18"),
    ("Crops failed last summer.", THU, "last summer", "2016-06"),
    ("Crops failed last summer.", date(2017, 3, 1), "last summer", "2016-06"),
    ("Talks resume next spring.", THU, "next spring", "2017-03"),
    ("Talks resume this autumn.", date(2016, 5, 1), "this autumn", "2016-09"),
    # --- durations and anniversaries that imply a date
    (
        "Russia calls it the 71-year-old territorial dispute.",
        date(2016, 10, 20),
        "71-year-old",
        "1945",
    ),  # dateparser
    ("The 67-year-old feud goes on.", MON, "67-year-old", "1946"),
    ("It ends 67 years of largely futile attempts.", MON, "67 years of", "1946"),
    ("They marked 25 years of cooperation.", THU, "25 years of", "1991"),
    (
        "The ceremony marked the 70th anniversary of the victory.",
        date(2015, 5, 9),
        "70th anniversary",
        "1945",
    ),
    ("It is the seventieth anniversary of the landing.", date(2014, 6, 6), "seventieth anniversary", "1944"),
    ("They celebrated the sixty-fifth anniversary of the treaty.", THU, "sixty-fifth anniversary", "1951"),
    # --- numbers that are not dates (dateparser finds false dates in several of these)
    ("A 67-year-old man was arrested.", THU, "67-year-old", None),
    ("He was elected 2+2 times.", THU, "2", None),  # dateparser
    ("So-called two-plus-two talks continue.", THU, "two", None),
    ("About 2000 people protested.", THU, "2000", None),
    ("More than 1500 soldiers were deployed.", THU, "1500", None),
    ("The company's 1850 employees struck.", THU, "1850", None),
    ("It cost $2015 in total.", THU, "2015", None),
    ("It happened a day after the vote.", THU, "a day after", None),  # dateparser
    ("Moon and Kim met for the second time in a month.", SAT, "in a month", None),
    ("May I help you?", THU, "May", None),
    ("April Smith said so.", THU, "April", None),
    ("USA Today reported it.", THU, "Today", None),
    ("Two Russian Tu-142 planes flew close.", THU, "142", None),
    ("He lives at 1600 Pennsylvania Avenue.", THU, "1600", None),
    ("A few years ago, things were different.", THU, "A few years ago", None),
    ("It took 2000 years.", THU, "2000", None),
    ("Voters will march on Washington.", THU, "march", None),
    ("Exports fell 2.5 percent.", THU, "2.5", None),
    ("The vote was 2016 to 14.", THU, "2016 to 14", None),
    ("Police counted 1999 protesters.", THU, "1999", None),
    ("He spent 10 years in prison.", THU, "10 years", None),
    ("A six-year term ends.", THU, "six-year", None),
]


def _find(sentence: str, written: str) -> TimeExpression | None:
    for expr in find_time_expressions(sentence):
        if expr.text == written:
            return expr
    return None


@pytest.mark.parametrize(("sentence", "reference", "written", "expected"), CASES)
def test_temporal_resolves_expression(
    sentence: str, reference: date, written: str, expected: str | None
) -> None:
    expr = _find(sentence, written)
    if expected is None:
        found = [e.text for e in find_time_expressions(sentence)]
        assert all(written not in text and text not in written for text in found), found
        return
    assert expr is not None, [e.text for e in find_time_expressions(sentence)]
    assert sentence[expr.start : expr.end] == expr.text
    resolved = resolve_time(expr, reference)
    assert resolved is not None
    assert resolved.date == expected
    assert resolved.granularity == {1: "year", 2: "month", 3: "day"}[len(expected.split("-"))]


def test_temporal_has_enough_cases() -> None:
    assert len(CASES) >= 150


@pytest.mark.parametrize(
    ("sentence", "written", "tense"),
    [
        ("Putin will travel to Japan in December.", "December", "future"),
        ("Abe took part in the forum in September.", "September", "past"),
        ("The talks, to be held in March, are key.", "March", "future"),
        ("The talks will be held in March.", "March", "future"),
        ("The talks were held in March.", "March", "past"),
        ("Talks have been held since 2005.", "2005", "past"),
        (
            "They agreed on a new round later this year following a session in March 2017.",
            "March 2017",
            "past",
        ),
        ("Abe invited Putin to pay an official visit to Tokyo in 2014.", "2014", "future"),
        ("On Monday, the minister said the talks went well.", "Monday", "past"),
        ("Experts doubt the upcoming summit in June will help.", "June", "future"),
    ],
)
def test_temporal_clause_tense(sentence: str, written: str, tense: str) -> None:
    expr = _find(sentence, written)
    assert expr is not None
    assert expr.tense == tense


def test_temporal_explicit_year_and_kind() -> None:
    exprs = {
        e.text: e for e in find_time_expressions("Signed on October 19, 1956, it lapsed in 2014 and in May.")
    }
    assert exprs["October 19, 1956"].explicit_year == 1956
    assert exprs["October 19, 1956"].kind == "absolute"
    assert exprs["2014"].kind == "year"
    assert exprs["May"].kind == "month"
    assert exprs["May"].explicit_year is None


def test_temporal_empty_text() -> None:
    assert find_time_expressions("") == []
    assert infer_publication_date("") is None
    assert infer_publication_date("No dates at all in this text, only words.") is None


def _year_month(dating: ContentDating) -> tuple[int, int]:
    parts = dating.date.split("-")
    return int(parts[0]), int(parts[1]) if len(parts) > 1 else 0


WIRE_STORY = (
    "The prime minister and the president reaffirmed Saturday they will make efforts to conclude a treaty.\n\n"
    "The two leaders discussed joint projects on the islands, as agreed to last September.\n\n"
    "The president, who secured another six-year term in a presidential election in March, is expected to decide.\n\n"
    "A summit could take place as planned on June 12 in a third country.\n\n"
    "The ministers agreed on the next round of talks later this year following a session in March 2017 in the capital."
)


def test_temporal_infers_wire_story_between_march_and_june() -> None:
    dating = infer_publication_date(WIRE_STORY)
    assert dating is not None
    year, month = _year_month(dating)
    assert year == 2018
    assert 4 <= month <= 5
    assert dating.granularity == "month"
    assert dating.confidence <= 0.5
    assert "March 2017" in dating.evidence and "June 12" in dating.evidence
    assert dating.earliest == date(2017, 3, 1)
    assert dating.latest_mentioned == date(2017, 3, 1)


def test_temporal_infers_year_from_anchor() -> None:
    text = (
        "On Monday, the minister said the country remains committed to the joint declaration signed 60 years ago, "
        "on October 19, 1956. In September, the prime minister took part in a forum. "
        "The president will visit in December."
    )
    dating = infer_publication_date(text)
    assert dating is not None
    assert dating.date.startswith("2016-")
    assert 9 < _year_month(dating)[1] < 12
    assert dating.confidence == pytest.approx(0.6)
    assert "60 years ago" in dating.evidence


def test_temporal_infers_anniversary_anchor() -> None:
    text = "Veterans gathered to mark the 70th anniversary of the end of the war in 1945. Parades were held."
    dating = infer_publication_date(text)
    assert dating is not None
    assert dating.date.startswith("2015")


def test_temporal_full_date_in_present_clause_bounds_publication_from_below() -> None:
    """An old year in the past tense must not outweigh a later full date the tagger reads as present."""
    text = (
        "The firm, which he founded in 2005, is being sold. The new director earns $4.9 million from his stake "
        "between Jan. 1, 2016, and the end of June, according to the filing. He stepped down on Jan. 17."
    )
    dating = infer_publication_date(text)
    assert dating is not None
    assert int(dating.date[:4]) >= 2016
    assert "Jan. 1, 2016" in dating.evidence


def test_temporal_future_year_bounds_publication_from_above() -> None:
    text = (
        "The islands were seized in 1945. Then-president Medvedev's 2010 visit angered Tokyo. "
        "The bridges were built for the 2012 summit held in the city. "
        "The leader will travel to Tokyo in 2014, officials said."
    )
    dating = infer_publication_date(text)
    assert dating is not None
    assert dating.latest == date(2014, 12, 31)
    assert dating.earliest == date(2012, 1, 1)
    assert dating.date.startswith("2013")


def test_temporal_page_clock_line_is_not_evidence() -> None:
    text = "09:11 GMT 02 June 2020\n\nThe summit was held in March 2017, officials said on Monday."
    dating = infer_publication_date(text)
    assert dating is not None
    assert dating.latest_mentioned == date(2020, 6, 2)
    assert not dating.date.startswith("2020")


def test_temporal_since_alone_is_not_enough() -> None:
    assert infer_publication_date("It is his first trip there since 2005, aides said.") is None


def test_temporal_weekday_pins_the_day_when_bounds_are_tight() -> None:
    text = (
        "The talks were held on Saturday. The treaty was signed on May 21, 2018, officials said. "
        "The leaders will meet again on May 28, 2018."
    )
    dating = infer_publication_date(text)
    assert dating is not None
    assert dating.granularity == "day"
    assert dating.date == "2018-05-26"
