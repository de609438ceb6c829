"""The extractive summary: the seeds acceptance (coverage, cited spans, no dangling openers) and the mechanics
of candidate flags, budgeted selection and plain-text summaries."""

from __future__ import annotations

import re
from typing import Any

import numpy as np

from builders import build_analysis
from newsbrief.model import Story
from newsbrief.summarize import summarize_documents, summarize_story
from newsbrief.summarize.base import Space, build_candidate, select
from newsbrief.summarize.candidates import candidate_flags
from newsbrief.summarize.coverage import expected_counts, select_coverage, sentence_ngrams
from newsbrief.summarize.tokenize import ends_with_terminal, is_title_case, split_sentences, words

DANGLING = re.compile(
    r"^[\"“‘']?(?:he|she|it|they|him|her|his|its|their|them|this|these|those|that|but|and|so|yet|however|also)\b",
    re.IGNORECASE,
)


def test_summarize_seeds_summary_covers_the_story(seeds_story: Any) -> None:
    summary = seeds_story.summary
    assert len(summary) == 5
    text = " ".join(line.text for line in summary)
    # The dispute: the islands (four of them), seized at the end of the war (1945), and the missing treaty.
    assert re.search(r"\bfour\b[\w\s-]{0,20}islands", text), text
    assert re.search(r"seiz", text) and re.search(r"1945|World War II", text), text
    assert "peace treaty" in text
    # The 2016 visit and the joint economic activity, and the 2018 meeting.
    assert re.search(r"joint economic activit", text), text
    by_id = {a.article.id: a.article for a in seeds_story.analyses}
    years = {by_id[line.sources[0].article_id].published.date[:4] for line in summary}  # type: ignore[union-attr]
    assert {"2016", "2018"} <= years, years
    assert re.search(
        r"December|visit|travel",
        " ".join(
            line.text
            for line in summary
            if by_id[line.sources[0].article_id].published.date.startswith("2016")  # type: ignore[union-attr]
        ),
    )


def test_summarize_seeds_summary_cites_exact_sentences_and_stands_alone(seeds_story: Any) -> None:
    sentences = {(a.article.id, s.span.start, s.span.end) for a in seeds_story.analyses for s in a.sentences}
    texts = {a.article.id: a.article.text for a in seeds_story.analyses}
    for line in seeds_story.summary:
        first = line.sources[0]
        assert texts[first.article_id][first.start : first.end] == line.text
        for span in line.sources:
            assert (span.article_id, span.start, span.end) in sentences
            assert texts[span.article_id][span.start : span.end] == line.text
        assert not DANGLING.match(line.text), line.text


def test_summarize_seeds_summary_in_markdown_cites_articles(seeds_briefing: dict[str, Any]) -> None:
    from newsbrief.render import to_markdown

    md = to_markdown(seeds_briefing)
    section = md.split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert section.count("\n- ") == 5
    assert len(re.findall(r"\[a\d\]$", section, re.MULTILINE)) == 5


def test_summarize_candidate_flags() -> None:
    flags = candidate_flags(
        [
            "The council approved the new budget on Monday evening.",
            "He said it would take effect in July next year.",
            "Short line.",
            '"We will fix the roads first and then the schools," the mayor said.',
            "Sign up to our newsletter for more news every single day.",
            "Budget 2024 approved by city council members",
        ]
    )
    assert flags == [
        (True, False),
        (True, True),
        (False, False),
        (True, False),
        (False, False),
        (False, False),
    ]
    # A pronoun in a contraction looks back too.
    contracted = [
        "She’s in intensive care, her family said on Monday.",
        "It's not just the river that floods.",
    ]
    assert candidate_flags(contracted) == [(True, True), (True, True)]


def test_summarize_openers_that_only_look_back_in_form_stand_alone() -> None:
    flags = candidate_flags(
        [
            "This week, Japan and Russia agreed to resume the treaty talks.",
            "It is unclear whether the talks will resume before the summer.",
            "it 's illegal to take conch shells out of the country , officials say .",
            "It was a decision that angered many people in the region.",
            "This decision angered many people in the region on Monday.",
            "That night, the ministers met again in the capital for talks.",
        ]
    )
    assert [needs_previous for _, needs_previous in flags] == [False, False, False, True, True, True]


def test_summarize_spaced_closing_quote_ends_its_sentence() -> None:
    # Tokenized text spaces the closing mark off: it belongs to the quotation it closes, and the sentence
    # after it neither opens a quotation nor continues one.
    text = 'He threatened to " send me home. " merritt said he became suicidal. The trial goes on.'
    sentences = [text[s:e] for s, e in split_sentences(text)]
    assert sentences == [
        'He threatened to " send me home. "',
        "merritt said he became suicidal.",
        "The trial goes on.",
    ]
    # A mark that opens a new quotation stays with the sentence it opens.
    text = 'The mayor spoke on Monday. " we will win, " she said.'
    assert [text[s:e] for s, e in split_sentences(text)][1] == '" we will win, " she said.'
    assert candidate_flags(['The first point reads, " bar the entry of potential terrorists. "']) == [
        (True, False)
    ]


def test_summarize_terminal_punctuation_is_one_rule_for_summary_and_claims() -> None:
    assert ends_with_terminal('He said it was " tragic . "')  # closes its quotation
    assert ends_with_terminal("It was tragic.\u201d") and ends_with_terminal("Done (really.)")
    # A spaced-off mark that leaves a quotation open opens the next sentence's quotation (a splitter's miss).
    assert not ends_with_terminal('"It is not new to us," the office said in a statement. "')
    assert not ends_with_terminal("Putin meets Abe in Tokyo")  # a headline


def test_summarize_title_case_lines_are_not_sentences() -> None:
    # A related link, a caption or a heading that ends with a full stop is still not a sentence of the article.
    for line in (
        "Uncovering the New World Columbus Created.",
        "Escape Maneuver in a Flying Fly from Michael Dickinson on Vimeo.",
        "Q: HOW HIGH CAN AN A320 SAFELY FLY?",
    ):
        assert is_title_case(line), line
        assert candidate_flags([line]) == [(False, False)]
    for sentence in ("Putin met Abe in Tokyo on Monday.", "Gov. Steven L. Beshear is a Democrat."):
        assert not is_title_case(sentence), sentence


def test_summarize_coverage_selection() -> None:
    texts = [
        "The storm cut power to thousands of homes on Friday.",
        "It also closed several roads near the coast.",
        "The storm cut power to thousands of homes on Friday night.",
        "Schools will reopen on Tuesday, officials said.",
        "A local bakery gave away free bread to neighbours.",
    ]
    cands = _candidates(texts, docs=[0, 0, 1, 1, 1])
    grams = [sentence_ngrams(c.text) for c in cands]
    assert grams[0]["storm"] == 1 and grams[0][("the", "storm")] == 1
    expected = expected_counts(cands, grams, 20)
    assert abs(sum(v for k, v in expected.items() if isinstance(k, str)) - 20) < 1e-9
    assert expected["storm"] > expected["bakery"]  # in both documents vs in one
    sim = np.eye(5)
    sim[0, 2] = sim[2, 0] = 0.9
    space = Space(vectors=np.eye(5), similarity=sim)
    scores = np.array([1.0, 0.9, 0.95, 0.5, 0.1])
    chosen = select_coverage(cands, scores, space, max_words=20)
    assert not {0, 2} <= set(chosen[:2])  # the near-copy is not taken while others are left
    assert sum(cands[i].n_words for i in chosen) >= 20
    if 1 in chosen:
        assert 0 in chosen[: chosen.index(1)]  # "It also ..." only after its antecedent
    assert select_coverage(cands, scores, space, max_words=0) == []
    assert (
        select_coverage(
            [], np.zeros(0), Space(vectors=np.zeros((0, 1)), similarity=np.zeros((0, 0))), max_words=5
        )
        == []
    )


def _candidates(texts: list[str], docs: list[int] | None = None) -> list[Any]:
    docs = docs or [0] * len(texts)
    return [
        build_candidate(d, i, i, t, needs_previous=bool(DANGLING.match(t)))
        for i, (d, t) in enumerate(zip(docs, texts, strict=False))
    ]


def test_summarize_select_respects_budget_antecedents_and_redundancy() -> None:
    texts = [
        "The storm cut power to thousands of homes on Friday.",
        "It also closed several roads near the coast.",
        "The storm cut power to thousands of homes on Friday night.",
        "Schools will reopen on Tuesday, officials said.",
    ]
    cands = _candidates(texts)
    scores = np.array([1.0, 0.9, 0.95, 0.5])
    sim = np.eye(4)
    sim[0, 2] = sim[2, 0] = 0.9
    space = Space(vectors=np.eye(4), similarity=sim)
    chosen = select(cands, scores, space, max_sentences=3)
    assert chosen == [0, 1, 3]  # the near-copy (2) is skipped; the pronoun sentence follows its antecedent
    assert select(cands, scores, space, max_sentences=1) == [0]
    # Without its antecedent chosen, "It also ..." cannot be picked.
    assert 1 not in select(cands, np.array([0.1, 0.9, 0.95, 0.5]), space, max_sentences=2)
    # A word budget is a hard ceiling: a sentence that would overrun it is passed over for a shorter one.
    sizes = [cands[i].n_words for i in range(4)]
    assert sizes == [10, 8, 11, 7]
    assert select(cands, scores, space, max_words=18) == [0, 1]
    assert select(cands, scores, space, max_words=17) == [0, 3]
    assert select(cands, scores, space, max_words=9) == [3]


def test_summarize_documents_fills_the_budget_in_document_order() -> None:
    docs = [
        "The city council approved a new budget on Monday after a long debate. The budget adds money for "
        "schools and road repairs. Council members voted seven to two in favour of the plan.",
        "Local officials passed the annual budget on Monday, with seven votes for and two against. Schools and "
        "road repairs get more money under the plan. The new budget starts in July.",
    ]
    out = summarize_documents(docs, max_words=25)
    assert sum(len(s.split()) for s in out) >= 25
    positions = [
        (next(d for d, doc in enumerate(docs) if s in doc), min(doc.find(s) for doc in docs if s in doc))
        for s in out
    ]
    assert positions == sorted(positions)
    assert summarize_documents([], max_words=10) == []
    assert summarize_documents(["", "   "], max_words=10) == []


def test_summarize_story_skips_dangling_and_cites_copies() -> None:
    lead = "The earthquake in the northern province killed 832 people, officials said on Tuesday."
    dangling = "He said rescue teams were still searching the ruins of the earthquake in the province."
    story = Story(
        id="s",
        analyses=(
            build_analysis(f"{dangling} {lead}", article_id="a1", outlet="A"),
            build_analysis(
                f"{lead} Schools across the region will stay closed this week.", article_id="a2", outlet="B"
            ),
            build_analysis(f"{lead} {dangling}", article_id="a3", outlet="C"),
        ),
    )
    summary = summarize_story(story, max_sentences=3).summary
    texts = [line.text for line in summary]
    assert texts[0] == lead
    assert {s.article_id for s in summary[0].sources} == {"a1", "a2", "a3"}  # verbatim copies are cited too
    for n, line in enumerate(summary):
        if line.text == dangling:  # only right after its own antecedent (a3's lead), never alone
            assert n > 0 and texts[n - 1] == lead
            assert next(s.article_id for s in line.sources) == "a3"


def test_summarize_story_draws_on_more_than_one_article() -> None:
    """One long article that restates the story's core must not fill the whole summary."""
    main = (
        "The earthquake in the northern province killed 120 people, officials in the province said on Monday. "
        "The earthquake destroyed hundreds of homes across the northern province and cut power to its towns. "
        "Officials said the earthquake in the northern province was the strongest in the region for decades. "
        "Hospitals in the northern province treated hundreds of people injured in the earthquake overnight. "
        "The earthquake triggered landslides that buried roads and villages in the northern province. "
        "Aftershocks from the earthquake shook the northern province for hours, officials said."
    )
    other = (
        "Rescue teams searched collapsed homes in the northern province after the earthquake killed dozens. "
        "The government sent army engineers to the earthquake zone to clear blocked mountain roads."
    )
    third = (
        "Aid agencies said families left homeless by the earthquake needed tents, water and blankets. "
        "Schools in the northern province will stay closed while engineers inspect damaged buildings."
    )
    story = Story(
        id="s",
        analyses=(
            build_analysis(main, article_id="a1", outlet="Wire One"),
            build_analysis(other, article_id="a2", outlet="Daily Two"),
            build_analysis(third, article_id="a3", outlet="Herald Three"),
        ),
    )
    summary = summarize_story(story, max_sentences=5).summary
    articles = [line.sources[0].article_id for line in summary]
    assert len(summary) == 5
    assert articles.count("a1") <= 3 and len(set(articles)) >= 2, articles


def test_summarize_story_by_word_budget_uses_coverage_within_the_ceiling(seeds_story: Any) -> None:
    """``max_sentences=0`` + a word budget: the evaluated coverage selection, but the budget is a hard limit
    and no sentence is repeated or left without its antecedent."""
    texts = {a.article.id: a.article.text for a in seeds_story.analyses}
    for budget in (40, 120):
        summary = summarize_story(seeds_story, max_sentences=0, max_words=budget).summary
        assert summary, budget
        assert sum(len(words(line.text)) for line in summary) <= budget
        for line in summary:
            span = line.sources[0]
            assert texts[span.article_id][span.start : span.end] == line.text
            assert not DANGLING.match(line.text), line.text
    longer = summarize_story(seeds_story, max_sentences=0, max_words=120).summary
    assert len(longer) > len(summarize_story(seeds_story, max_sentences=0, max_words=40).summary)
