"""Claims across outlets (corroborate.find_claims) and outlet framing (framing.py)."""

from __future__ import annotations

import re
from typing import Any

from builders import build_analysis
from newsbrief.briefing import build_story
from newsbrief.corroborate import CALENDAR_YEAR, _Matcher, extract_values, fact_units, find_claims
from newsbrief.framing import fact_grid, outlet_framing
from newsbrief.model import Claim, RawDocument, Story

# Unrelated news that fills a story, so that word rarity (IDF) behaves as in a real one.
_OTHER_NEWS = (
    "The central bank raised interest rates by a quarter point on Thursday. "
    "Farmers in the south harvested a record wheat crop this summer. "
    "The museum reopened its east wing after two years of repairs. "
    "A new ferry line will link the two islands from next spring. "
    "The football club sold its captain to a rival team for a record fee. "
    "Heavy snow closed the mountain pass for the third time this winter. "
    "The city council approved a budget for new bicycle lanes downtown. "
    "Scientists found a rare orchid species in the northern forest."
)


def _claim_texts(story: Story) -> str:
    return "\n".join(f"{c.status}: {c.text}" for c in story.claims)


def test_claims_seeds_seizure_is_corroborated_by_three_outlets(seeds_story: Any) -> None:
    seizure = [
        c
        for c in seeds_story.claims
        if re.search(r"seiz", c.text, re.I) and re.search(r"1945|World War II|Soviet", c.text)
    ]
    assert seizure, _claim_texts(seeds_story)
    best = max(seizure, key=lambda c: len(c.outlets))
    assert best.status == "corroborated"
    assert len(best.outlets) >= 3, best
    assert len(set(best.outlets)) == len(best.outlets)


def test_claims_seeds_have_single_source_facts(seeds_story: Any) -> None:
    single = [c for c in seeds_story.claims if c.status == "single-source"]
    assert single
    for claim in single:
        assert len(claim.outlets) == 1
        assert len({s.article_id for s in claim.sources}) == len(claim.articles) == 1


def test_claims_seeds_claim_sources_are_sentences(seeds_story: Any) -> None:
    texts = {a.article.id: a.article.text for a in seeds_story.analyses}
    sentences = {(a.article.id, s.span.start, s.span.end) for a in seeds_story.analyses for s in a.sentences}
    for claim in seeds_story.claims:
        assert claim.sources
        for span in claim.sources:
            assert (span.article_id, span.start, span.end) in sentences
        assert any(texts[s.article_id][s.start : s.end] == claim.text for s in claim.sources)


def _story(*articles: tuple[str, str]) -> Story:
    analyses = tuple(
        build_analysis(text, article_id=f"a{i}", outlet=outlet)
        for i, (outlet, text) in enumerate(articles, 1)
    )
    return Story(id="s1", analyses=analyses)


def test_claims_conflicting_casualty_figures_are_disputed() -> None:
    story = _story(
        (
            "Wire One",
            "The earthquake in the northern province killed 832 people, officials said on Tuesday. "
            "Rescue teams from three neighbouring countries arrived at the airport overnight.",
        ),
        (
            "Daily Two",
            "The earthquake in the northern province killed 844 people, officials said on Tuesday. "
            "The national football league postponed all of its weekend matches.",
        ),
        (
            "Herald Three",
            "Schools across the region will stay closed until the end of the month, the ministry announced.",
        ),
    )
    claims = find_claims(story).claims
    disputed = [c for c in claims if c.status == "disputed"]
    assert len(disputed) == 1, claims
    values = {v.value for v in disputed[0].variants}
    assert any("832" in v for v in values) and any("844" in v for v in values), values
    by_value = {v.value: v for v in disputed[0].variants}
    assert {o for v in by_value.values() for o in v.outlets} == {"Wire One", "Daily Two"}
    for variant in disputed[0].variants:
        for span in variant.sources:
            text = story.analyses[int(span.article_id[1:]) - 1].article.text
            assert ("832" in text[span.start : span.end]) or ("844" in text[span.start : span.end])
    single = [c for c in claims if c.status == "single-source"]
    assert any("football" in c.text for c in single)
    assert any("Schools" in c.text for c in single)


def test_claims_same_figures_are_corroborated_not_disputed() -> None:
    story = _story(
        ("Wire One", "The earthquake in the northern province killed 832 people, officials said on Tuesday."),
        (
            "Daily Two",
            "The quake that struck the northern province on Monday killed 832 people, officials said.",
        ),
    )
    claims = find_claims(story).claims
    assert [c.status for c in claims] == ["corroborated"]
    assert set(claims[0].outlets) == {"Wire One", "Daily Two"}


def test_claims_syndicated_copies_count_as_one_source() -> None:
    text = "The earthquake in the northern province killed 832 people, officials said on Tuesday."
    claims = find_claims(_story(("Wire One", text), ("Daily Two", text))).claims
    assert [c.status for c in claims] == ["single-source"]


def test_claims_framing_exclusive_omitted_quotes_and_verbs() -> None:
    briefing: dict[str, Any] = {
        "articles": [{"id": "a1", "outlet": "A"}, {"id": "a2", "outlet": "B"}, {"id": "a3", "outlet": "C"}],
        "claims": [
            {
                "text": "Fact everyone has.",
                "status": "corroborated",
                "articles": ["a1", "a2"],
                "outlets": ["A", "B"],
            },
            {"text": "Only C has this.", "status": "single-source", "articles": ["a3"], "outlets": ["C"]},
            {
                "text": "The toll was 832.",
                "status": "disputed",
                "articles": ["a1", "a3"],
                "outlets": ["A", "C"],
                "variants": [
                    {"value": "832", "outlets": ["A"], "sources": [{"article": "a1", "start": 0, "end": 5}]},
                    {"value": "844", "outlets": ["C"], "sources": [{"article": "a3", "start": 0, "end": 5}]},
                ],
            },
        ],
        "quotes": [
            {"article": "a1", "cue": "said", "speaker": {"name": "Ann Lee"}},
            {"article": "a1", "cue": "Claimed", "speaker": {"name": "Ann Lee"}},
            {"article": "a2", "cue": "insisted", "speaker": None},
        ],
    }
    framing = {f.outlet: f for f in outlet_framing(briefing)}
    assert list(framing) == ["A", "B", "C"]
    assert framing["C"].exclusive == ("Only C has this.",)
    assert framing["A"].exclusive == ()
    assert framing["C"].omitted == ("Fact everyone has.",)
    assert framing["B"].omitted == ("The toll was 832.",)
    assert framing["A"].quoted == (("Ann Lee", 2),)
    assert framing["A"].verbs == (("claimed", 1), ("said", 1))
    assert framing["B"].unattributed_quotes == 1 and framing["B"].verbs == (("insisted", 1),)
    outlets, rows = fact_grid(briefing)
    assert outlets == ["A", "B", "C"]
    assert [r.cells for r in rows] == [("yes", "yes", "no"), ("832", "no", "844")]


def test_claims_framing_in_markdown_and_html(seeds_briefing: dict[str, Any]) -> None:
    from newsbrief.render import to_html, to_markdown

    md = to_markdown(seeds_briefing)
    assert "## Outlet framing" in md
    for article in seeds_briefing["articles"]:
        assert article["outlet"] in md.split("## Outlet framing", 1)[1]
    html = to_html(seeds_briefing)
    assert 'id="framing"' in html
    evil = {**seeds_briefing, "articles": [dict(a) for a in seeds_briefing["articles"]]}
    evil["articles"][0]["outlet"] = "<script>alert(1)</script>"
    assert "<script>alert(1)</script>" not in to_html(evil)
    assert [f["outlet"] for f in seeds_briefing["framing"]] == list(
        dict.fromkeys(a["outlet"] for a in seeds_briefing["articles"])
    )


def test_claims_two_shared_words_are_not_one_fact() -> None:
    """Sharing two words that are rare in the story ("people", "crowded") is not stating the same fact."""
    story = _story(
        ("Wire One", "Hundreds of people left the crowded station on foot."),
        ("Daily Two", "A drone near a crowded airport puts people in danger, officials warned."),
        ("Herald Three", _OTHER_NEWS),
    )
    claims = find_claims(story).claims
    assert {c.status for c in claims} == {"single-source"}, _claim_texts(find_claims(story))


def test_claims_figures_ignore_clock_times_codes_and_decades() -> None:
    stated = {(v.slot, v.value) for v in extract_values("Voting closed at 20:00 in the 1990s style, GBP=D3.")}
    assert stated == set()
    stated = {(v.slot, v.value) for v in extract_values("He served 30 months after the war ended in 1945.")}
    assert stated == {("month", "30"), (CALENDAR_YEAR, "1945")}  # a duration is not a calendar year
    # A part or an increment is not a total: "three other men" does not contradict "the four men".
    assert extract_values("Simon and three other men were charged, and two more deaths were reported.") == ()
    assert extract_values("Another 13 people were released from the hospital.") == ()


def test_claims_a_range_that_names_both_figures_is_not_a_dispute() -> None:
    story = _story(
        (
            "Wire One",
            "A county judge sentenced the former coach to at least 30 years in prison on Tuesday for abusing boys.",
        ),
        (
            "Daily Two",
            "The former coach received 30 to 60 years in prison on Tuesday for abusing ten boys, court records show.",
        ),
    )
    assert [c.status for c in find_claims(story).claims] == ["corroborated"]


def test_claims_years_conflict_only_about_the_same_thing() -> None:
    founded = _story(
        ("Wire One", "The colony was founded in 1607 by English settlers on the James River."),
        ("Daily Two", "The colony was founded in 1608 by English settlers on the James River."),
    )
    claims = find_claims(founded).claims
    assert [c.status for c in claims] == ["disputed"]
    assert {v.value for v in claims[0].variants} == {"1607", "1608"}
    two_events = _story(
        (
            "Wire One",
            "Archaeologists of the Jamestown Rediscovery dig unearthed the girl's skull, a photo from 2012 shows.",
        ),
        (
            "Daily Two",
            "The girl's skull was unearthed by the Jamestown Rediscovery dig, which began in 1994.",
        ),
    )
    assert [c.status for c in find_claims(two_events).claims] == ["corroborated"]


def test_claims_actors_disputed_only_for_the_same_act() -> None:
    """Who did it, from the parse: the same verb and object with another actor is a dispute; another object
    (each governor declared something of their own) or a negated verb ("did not respond") is not."""

    def claims(*texts: str) -> list[Claim]:
        docs = [RawDocument(source=f"outlet{i}.txt", content=t, kind="text") for i, t in enumerate(texts)]
        return list(build_story(docs, progress=False).claims)

    rocket = claims(
        "Hamas fired the rocket that struck the Gaza City hospital on Tuesday night, officials said.",
        "The rocket that struck the Gaza City hospital on Tuesday night was fired by Israel, health officials said.",
    )
    assert [c.status for c in rocket] == ["disputed"]
    assert {v.value for v in rocket[0].variants} == {"Hamas", "Israel"}
    emergencies = claims(
        "Governor Andrew Cuomo declared an emergency across New York on Wednesday as the blizzard hit.",
        "Governor Chris Christie declared a state of emergency across New Jersey on Wednesday as the blizzard hit.",
    )
    assert "disputed" not in {c.status for c in emergencies}
    # An article that names the other actor anywhere does not contradict it (Washington / the United States).
    tariffs = claims(
        "The United States imposed 25 percent tariffs on $34 billion of Chinese goods on July 6, officials said.",
        "Washington imposed 25 percent tariffs on $34 billion worth of Chinese goods on Friday. "
        "The United States accuses Beijing of stealing technology from American companies.",
    )
    assert "disputed" not in {c.status for c in tariffs}, [(c.status, c.text) for c in tariffs]
    silence = claims(
        "Michael Cohen did not respond to requests for comment about the payments from the company.",
        "Stephen Ryan did not respond to requests for comment about the payments from the company.",
    )
    assert "disputed" not in {c.status for c in silence}


def test_claims_a_shared_name_is_one_anchor() -> None:
    """Two sentences that share only a long name ("Affordable Care Act") state two facts, not one."""
    story = _story(
        ("Wire One", "The Affordable Care Act website crashed within hours of its launch on Tuesday."),
        ("Daily Two", "Most voters in the state still oppose the Affordable Care Act, a new poll found."),
        ("Herald Three", _OTHER_NEWS),
    )
    assert {c.status for c in find_claims(story).claims} == {"single-source"}, _claim_texts(
        find_claims(story)
    )
    # The same fact in other words is still one claim.
    story = _story(
        ("Wire One", "The Affordable Care Act website crashed within hours of its launch on Tuesday."),
        ("Daily Two", "Hours after its launch, the Affordable Care Act website went down, officials said."),
        ("Herald Three", _OTHER_NEWS),
    )
    assert [c.status for c in find_claims(story).claims].count("corroborated") == 1


def test_claims_words_of_different_names_are_not_shared() -> None:
    """ "Far East" and "East Asia" share a word, not a place; the same name on both sides is one anchor."""
    story = _story(
        (
            "Wire One",
            "Moscow wants Japanese firms to invest in the Far East and to trade across Asia Pacific.",
        ),
        ("Daily Two", "Closer ties matter for the balance of power in East Asia and the Pacific region."),
        ("Herald Three", _OTHER_NEWS),
    )
    units = fact_units(story)
    assert _Matcher(units).anchors(0, 1) == 1  # "pacific" alone
    assert {c.status for c in find_claims(story).claims} == {"single-source"}
    same_name = _story(
        ("Wire One", "Moscow wants Japanese firms to invest in the Far East, officials said."),
        ("Daily Two", "Japanese money for the Far East is what Moscow wants most."),
        ("Herald Three", _OTHER_NEWS),
    )
    assert _Matcher(fact_units(same_name)).anchors(0, 1) == 4  # the Far East (once), moscow, japanes, want


def test_claims_titles_name_the_actor_not_the_fact() -> None:
    """Two sentences that share only the leaders and their titles state two facts."""
    docs = [
        RawDocument(
            source="wire.txt",
            content="Japanese Prime Minister Shinzo Abe met Russian President "
            "Vladimir Putin in Sochi on Friday to discuss fishing quotas.",
            kind="text",
        ),
        RawDocument(
            source="daily.txt",
            content="Russian President Vladimir Putin will host Japanese Prime "
            "Minister Shinzo Abe for a state dinner in Moscow next spring.",
            kind="text",
        ),
    ]
    claims = build_story(docs, progress=False).claims
    assert {c.status for c in claims} == {"single-source"}, [(c.status, c.text) for c in claims]
