"""Build model objects from strings, with no model and no network (sumy tests/utils.py)."""

from __future__ import annotations

import re

from newsbrief.model import Analysis, Article, PublishedDate, Sentence, Span

_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"'”’]?|$)")


def build_article(
    text: str, *, article_id: str = "a1", outlet: str | None = None, published: str | None = None
) -> Article:
    date = (
        PublishedDate(date=published, confidence=0.95, method="provided", evidence=published)
        if published
        else None
    )
    return Article(id=article_id, source=f"{article_id}.txt", text=text, outlet=outlet, published=date)


def build_analysis(text: str, **kwargs: str | None) -> Analysis:
    """An Analysis with regex sentences (no spaCy)."""
    article = build_article(text, **kwargs)  # type: ignore[arg-type]
    sentences = []
    for i, m in enumerate(_SENTENCE.finditer(text)):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        if end > start:
            sentences.append(
                Sentence(
                    span=Span(article_id=article.id, start=start, end=end), text=text[start:end], index=i
                )
            )
    return Analysis(article=article, sentences=tuple(sentences))
