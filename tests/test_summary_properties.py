"""Hypothesis properties of the summary and the claims: whatever the articles, every summary sentence and every
claim source (and claim variant source) is a verbatim span of its article, and the budget is kept.

Stories are built from generated sentences (a small news vocabulary, numbers, quotes, pronoun openers) with
regex sentence splitting (tests/builders.py), so no spaCy model is needed and the module runs in seconds.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import build_analysis
from newsbrief.corroborate import find_claims
from newsbrief.model import Story
from newsbrief.summarize import summarize_documents, summarize_story

PROPERTY_SETTINGS = settings(
    max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
OUTLETS = ("Wire One", "Daily Two", "Herald Three", "Post Four")
VOCABULARY = [
    "the",
    "council",
    "minister",
    "police",
    "storm",
    "earthquake",
    "killed",
    "people",
    "officials",
    "said",
    "islands",
    "treaty",
    "talks",
    "meeting",
    "president",
    "agreed",
    "economic",
    "joint",
    "visit",
    "budget",
    "schools",
    "roads",
    "province",
    "coast",
    "army",
    "troops",
    "seized",
    "reported",
    "claimed",
    "insisted",
    "on",
    "Monday",
    "Tuesday",
    "in",
    "December",
    "2016",
    "1945",
    "of",
    "to",
    "and",
    "a",
    "for",
    "with",
    "by",
]
OPENERS = ("He", "She", "This", "But", "The", "Officials", "In", "“We", '"It')

_sentence = st.builds(
    lambda opener, words, number, end: " ".join([opener, *words, number]).strip() + end,
    st.sampled_from(OPENERS),
    st.lists(st.sampled_from(VOCABULARY), min_size=2, max_size=25),
    st.sampled_from(("", "832", "844", "12.5", "three", "2018")),
    st.sampled_from((".", "!", "?", ".”", '."', "", ",")),
)
_article = st.lists(_sentence, min_size=1, max_size=12).map(" ".join)
_articles = st.lists(_article, min_size=1, max_size=4)


def _story(texts: list[str], repeat_first: bool) -> Story:
    if repeat_first and texts:
        texts = [*texts, texts[0]]  # a syndicated copy
    analyses = tuple(
        build_analysis(text, article_id=f"a{i}", outlet=OUTLETS[(i - 1) % len(OUTLETS)])
        for i, text in enumerate(texts, 1)
    )
    return Story(id="s", analyses=analyses)


@PROPERTY_SETTINGS
@given(texts=_articles, repeat_first=st.booleans(), max_sentences=st.integers(min_value=1, max_value=6))
def test_properties_summary_and_claims_are_verbatim_spans(
    texts: list[str], repeat_first: bool, max_sentences: int
) -> None:
    story = _story(texts, repeat_first)
    article_text = {a.article.id: a.article.text for a in story.analyses}
    summary = summarize_story(story, max_sentences=max_sentences).summary
    assert len(summary) <= max_sentences
    for line in summary:
        assert line.sources
        for span in line.sources:
            assert article_text[span.article_id][span.start : span.end] == line.text
    claims = find_claims(story).claims
    for claim in claims:
        assert claim.status in ("corroborated", "single-source", "disputed")
        assert claim.sources
        assert any(article_text[s.article_id][s.start : s.end] == claim.text for s in claim.sources)
        for span in claim.sources:
            assert 0 <= span.start < span.end <= len(article_text[span.article_id])
        for variant in claim.variants:
            for span in variant.sources:
                assert 0 <= span.start < span.end <= len(article_text[span.article_id])
                assert article_text[span.article_id][span.start : span.end].strip()
        if claim.status == "disputed":
            assert len(claim.variants) >= 2


@PROPERTY_SETTINGS
@given(texts=_articles, budget=st.integers(min_value=1, max_value=80))
def test_properties_plain_summary_sentences_come_from_the_documents(texts: list[str], budget: int) -> None:
    sentences = summarize_documents(texts, max_words=budget)
    for sentence in sentences:
        assert any(sentence in text for text in texts)
