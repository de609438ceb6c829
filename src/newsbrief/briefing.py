"""Inputs → a briefed :class:`~newsbrief.model.Story`. The only module that knows the stage order.

``build_story`` runs ingest → clean → spaCy → per-article stages → story stages. One bad document or one failing
stage on one article becomes a diagnostic; the rest of the story is still briefed.
"""

from __future__ import annotations

import dataclasses
import functools
import logging
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import httpx

from .clean import clean_document
from .errors import diagnostic
from .model import Analysis, Article, Diagnostic, RawDocument, Story
from .pipeline import StageSpec, check_order
from .settings import Settings

logger = logging.getLogger(__name__)

# Above this many articles a progress bar is shown (when stderr is a terminal).
PROGRESS_MIN_ARTICLES = 5

Input = str | Path | RawDocument


def _stage_specs(settings: Settings) -> tuple[list[StageSpec], list[StageSpec]]:
    """The registered stages in run order: (per-article stages, story stages)."""
    from . import corroborate, entities, quotes, summarize, timeline

    s = settings
    article: list[StageSpec] = [
        StageSpec(
            name="quotes.rules.v1",
            kind="article",
            fn=quotes.extract_quotes,
            requires=("sentences", "doc"),
            provides=("quotes",),
        ),
    ]
    story = [
        StageSpec(
            name="entities.merge.v1",
            kind="story",
            fn=entities.resolve_entities,
            requires=("mentions",),
            provides=("entities",),
        ),
        StageSpec(
            name="speakers.rules.v1",
            kind="story",
            fn=quotes.attribute_speakers,
            requires=("quotes", "entities"),
            provides=("speakers",),
        ),
        StageSpec(
            name="claims.overlap.v1",
            kind="story",
            fn=corroborate.find_claims,
            requires=("sentences", "entities"),
            provides=("claims",),
        ),
        StageSpec(
            name="dates.story.v1",
            kind="story",
            fn=timeline.date_undated_articles,
            requires=("article.published", "sentences"),
            provides=("article.published.story",),
        ),
        StageSpec(
            name="times.resolve.v1",
            kind="story",
            fn=_per_article("times.resolve.v1", timeline.find_times),
            requires=("article.published.story", "sentences"),
            provides=("times",),
        ),
        StageSpec(
            name="timeline.datewise.v1",
            kind="story",
            fn=functools.partial(timeline.build_timeline, max_events=s.timeline.max_events),
            requires=("times",),
            provides=("timeline",),
        ),
        StageSpec(
            name="summarize.centroid.v1",
            kind="story",
            fn=functools.partial(
                summarize.summarize_story,
                max_sentences=s.summary.max_sentences,
                max_words=s.summary.max_words or None,
            ),
            requires=("sentences",),
            provides=("summary",),
        ),
    ]
    check_order(article + story)
    return article, story


def _per_article(name: str, fn: Callable[[Analysis], Analysis]) -> Callable[[Story], Story]:
    """A per-article stage run over every analysis of a story (for stages that need the story first)."""

    def run(story: Story) -> Story:
        analyses, diags = _map_article_stage(name, fn, story.analyses)
        return dataclasses.replace(
            story, analyses=tuple(analyses), diagnostics=story.diagnostics + tuple(diags)
        )

    return run


def read_articles(
    inputs: Iterable[Input], settings: Settings | None = None, *, transport: httpx.BaseTransport | None = None
) -> tuple[list[Article], list[Diagnostic]]:
    """Ingest and clean ``inputs``: articles ``a1, a2, ...`` in input order, and the diagnostics."""
    from .ingest import iter_documents

    settings = settings or Settings()
    articles: list[Article] = []
    diagnostics: list[Diagnostic] = []
    seen: dict[str, str] = {}
    near: Any = None  # the near-duplicate index (newsbrief.dedup), built when a second article arrives
    for item in iter_documents(inputs, settings.ingest, transport=transport):
        if isinstance(item, Diagnostic):
            diagnostics.append(item)
            continue
        article_id = f"a{len(articles) + 1}"
        try:
            article, diags = clean_document(item, article_id, settings.ingest)
        except Exception as exc:  # a cleaner bug on one page must not sink the batch
            logger.exception("cleaning %s failed", item.source)
            diagnostics.append(
                diagnostic(
                    "E-STAGE", f"{item.source}: cleaning failed ({exc!r})", stage="clean", source=item.source
                )
            )
            continue
        if article is not None and article.content_hash in seen:
            diagnostics.append(
                diagnostic(
                    "W-DUPLICATE",
                    f"{item.source}: same text as {seen[article.content_hash]}; skipped",
                    stage="clean",
                    source=item.source,
                )
            )
            continue
        if article is not None and articles:
            from .dedup import NearDuplicateIndex, copy_diagnostic, copy_of, with_copies

            if (
                near is None
            ):  # built at the second article: one article needs no index (datasketch is slow to import)
                near = NearDuplicateIndex()
                near.add(articles[0].id, articles[0].text)
            original = near.add(article.id, article.text)
            if original is not None:  # a syndicated copy: kept once, its outlet listed on the original
                position = int(original[1:]) - 1
                articles[position] = with_copies(articles[position], [copy_of(article)])
                diagnostics.append(copy_diagnostic(article, articles[position]))
                continue
        diagnostics.extend(diags)
        if article is not None:
            seen[article.content_hash] = f"{article_id} ({item.source})"
            articles.append(article)
    return articles, diagnostics


def build_story(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    story_id: str = "story",
    transport: httpx.BaseTransport | None = None,
    progress: bool | None = None,
    nlp: Any = None,
) -> Story:
    """Read, clean, analyse and brief ``inputs`` (paths, URLs or raw documents) as one story."""
    settings = settings or Settings()
    articles, diagnostics = read_articles(inputs, settings, transport=transport)
    analyses = analyse_articles(articles, settings, progress=progress, nlp=nlp)
    return brief_analyses(analyses, settings, story_id=story_id, diagnostics=diagnostics)


def analyse_articles(
    articles: Sequence[Article],
    settings: Settings | None = None,
    *,
    progress: bool | None = None,
    nlp: Any = None,
) -> list[Analysis]:
    """spaCy plus the per-article stages, for each article (order kept)."""
    from . import nlp as nlp_module

    settings = settings or Settings()
    if not articles:
        return []
    model = nlp if nlp is not None else nlp_module.load_nlp(settings.nlp.model)
    iterator: Iterable[Analysis] = nlp_module.iter_analyses(
        articles, nlp=model, batch_size=settings.nlp.batch_size, batch_chars=settings.nlp.batch_chars
    )
    show = sys.stderr.isatty() if progress is None else progress
    if show and len(articles) > PROGRESS_MIN_ARTICLES:
        from tqdm import tqdm

        iterator = tqdm(iterator, total=len(articles), desc="analysing", unit="article", file=sys.stderr)
    article_stages, _ = _stage_specs(settings)
    out: list[Analysis] = []
    for analysis in iterator:
        for stage in article_stages:
            analysis = _run_article_stage(stage.name, stage.fn, analysis)  # type: ignore[arg-type]
        out.append(analysis)
    return out


def brief_analyses(
    analyses: Sequence[Analysis],
    settings: Settings | None = None,
    *,
    story_id: str = "story",
    diagnostics: Sequence[Diagnostic] = (),
) -> Story:
    """Run the story stages over analysed articles and return the briefed story."""
    settings = settings or Settings()
    story = Story(
        id=story_id,
        analyses=tuple(analyses),
        diagnostics=tuple(diagnostics) + tuple(d for a in analyses for d in a.diagnostics),
        settings=settings.as_dict(),
    )
    _, story_stages = _stage_specs(settings)
    for stage in story_stages:
        try:
            story = stage.fn(story)  # type: ignore[assignment]
        except Exception as exc:  # one failing story stage leaves its part of the briefing empty
            logger.exception("story stage %s failed", stage.name)
            story = dataclasses.replace(
                story,
                diagnostics=(
                    *story.diagnostics,
                    diagnostic(
                        "E-STAGE",
                        f"stage {stage.name} failed ({exc!r}); its part of the briefing is empty",
                        stage=stage.name,
                    ),
                ),
            )
    lead = story.summary[0].text if story.summary else None
    return dataclasses.replace(story, title=story.title or story_title(story.articles, fallback=lead))


def _run_article_stage(name: str, fn: Callable[[Analysis], Analysis], analysis: Analysis) -> Analysis:
    try:
        return fn(analysis)
    except Exception as exc:
        logger.exception("stage %s failed on %s", name, analysis.article.id)
        return dataclasses.replace(
            analysis,
            diagnostics=(
                *analysis.diagnostics,
                diagnostic(
                    "E-STAGE",
                    f"stage {name} failed ({exc!r}); its results for this article are missing",
                    stage=name,
                    article_id=analysis.article.id,
                ),
            ),
        )


def _map_article_stage(
    name: str, fn: Callable[[Analysis], Analysis], analyses: Sequence[Analysis]
) -> tuple[list[Analysis], list[Diagnostic]]:
    out = [_run_article_stage(name, fn, a) for a in analyses]
    new = [
        d
        for before, after in zip(analyses, out, strict=True)
        for d in after.diagnostics[len(before.diagnostics) :]
    ]
    return out, new


# A headline names the story when, on average, this share of its words occur in each other article.
TITLE_MIN_SHARED = 0.4
TITLE_FALLBACK_WORDS = 14
# Function words long enough to pass _TITLE_WORD: sharing them says nothing about the story.
_TITLE_STOP = frozenset(
    re.findall(
        r"\w+",
        "with from that this have been will what when were they their them about after over into more says said "
        "than your just also could would should there where which while here only some such most other",
    )
)
# "LONDON — ", "MOSCOW (Reuters) - ": a dateline opens a lead sentence but is no part of a title.
_DATELINE = re.compile(r"^[A-Z][A-Z .,'’-]{1,40}(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+")
_TITLE_WORD = re.compile(r"[A-Za-z][A-Za-z'-]{3,}")


def story_title(articles: Sequence[Article], *, fallback: str | None = None) -> str | None:
    """The headline that shares the most words with the other articles: the most representative one.

    A headline whose words the other articles mostly do not use belongs to a stray page (a cookie notice,
    a social-media widget scraped as an article), not to the story: then the first words of ``fallback``
    (the summary's lead sentence) name the story instead.
    """
    vocab = [_title_words(a.text) for a in articles]

    def shared(index: int) -> float:
        words = _title_words(articles[index].title or "")
        others = [v for j, v in enumerate(vocab) if j != index]
        if not words or not others:
            return 1.0 if words else 0.0
        return sum(1 for v in others for w in words if w in v) / (len(words) * len(others))

    scores = {i: shared(i) for i, a in enumerate(articles) if a.title}
    titled = [i for i, score in scores.items() if score >= TITLE_MIN_SHARED]
    if titled:
        return articles[max(titled, key=scores.__getitem__)].title
    if fallback:
        words = _DATELINE.sub("", fallback).split()
        return " ".join(words[:TITLE_FALLBACK_WORDS]) + ("…" if len(words) > TITLE_FALLBACK_WORDS else "")
    return None


def _title_words(text: str) -> set[str]:
    return {w.lower() for w in _TITLE_WORD.findall(text)} - _TITLE_STOP
