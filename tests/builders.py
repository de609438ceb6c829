"""Build model objects from strings, with no model and no network (sumy tests/utils.py)."""

from __future__ import annotations

import io
import re
from pathlib import Path

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


def write_warc(path: Path, url: str, page: str) -> None:
    """A gzipped WARC file holding one HTTP response: ``page`` (HTML) served at ``url``."""
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        headers = StatusAndHeaders(
            "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
        )
        writer.write_record(
            writer.create_warc_record(
                url, "response", payload=io.BytesIO(page.encode()), http_headers=headers
            )
        )


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


# --- mixed streams of several stories (tests of dedup, clustering and batch) ---------------------------------

STORY_SENTENCES: dict[str, tuple[str, ...]] = {
    "bridge": (
        "The Riverside bridge in Portland will close for repairs after engineers found cracks in its steel girders.",
        "Mayor Ted Wheeler said the Riverside bridge closure would last at least six weeks.",
        "Portland commuters were told to use the Hawthorne crossing while the girders are replaced.",
        "Engineers from the Oregon transportation department inspected the bridge on Monday.",
        "The cracks were discovered during a routine inspection of the bridge deck and girders.",
        "Local businesses near the Riverside bridge fear the repairs will keep customers away.",
        "The Portland city council approved emergency funding for the bridge repairs on Tuesday.",
        "Wheeler said safety came first and the bridge would reopen only when engineers were satisfied.",
    ),
    "election": (
        "Voters in Finland chose a new parliament on Sunday, and the National Coalition party won the most seats.",
        "Petteri Orpo, the National Coalition leader, said he would start coalition talks in Helsinki this week.",
        "Prime Minister Sanna Marin conceded defeat after her Social Democrats finished third in the parliament vote.",
        "Turnout in the Finnish election reached seventy two percent, the election commission in Helsinki said.",
        "The Finns Party came second with its strongest result ever in a parliament election.",
        "Orpo promised to cut public debt and said coalition talks would focus on the economy.",
        "Marin thanked Finnish voters and said her party would respect the election result.",
        "Analysts in Helsinki expect weeks of coalition negotiations before a government is formed.",
    ),
    "vaccine": (
        "A new malaria vaccine developed at Oxford University was approved for use in Ghana on Thursday.",
        "The R21 malaria vaccine showed high efficacy in trials among children in Burkina Faso.",
        "Adrian Hill, who led the Oxford vaccine team, said millions of doses could be produced each year.",
        "The Serum Institute of India will manufacture the malaria vaccine at low cost.",
        "Malaria kills hundreds of thousands of children in Africa every year, according to the World Health Organization.",
        "Health officials in Ghana said the vaccine would first go to children in high risk regions.",
        "Hill said the Oxford team hoped other African countries would approve the vaccine soon.",
        "The World Health Organization is reviewing the R21 vaccine trial data.",
    ),
}
OUTLETS = ("Daily Courier", "Morning Post", "Evening Star", "City Herald", "Global Wire", "Tribune Online")


def mixed_story_records(
    per_story: int = 4, stories: tuple[str, ...] = ("bridge", "election", "vaccine")
) -> list[dict[str, str]]:
    """JSONL records of ``per_story`` distinct articles for each story, interleaved (story 1, 2, 3, 1, 2, ...).

    Article ``i`` of a story uses four of its eight sentences, starting at ``2 * i``: two articles share at
    most two sentences, so none is a near-duplicate of another, while all share the story's names.
    """
    records: list[dict[str, str]] = []
    for i in range(per_story):
        for number, name in enumerate(stories):
            pool = STORY_SENTENCES[name]
            picked = [pool[(2 * i + k) % len(pool)] for k in range(4)]
            outlet = OUTLETS[(i + number) % len(OUTLETS)]
            records.append(
                {
                    "text": " ".join(picked) + f" Reporting by the {outlet} staff, report number {i + 1}.",
                    "title": picked[0].split(",")[0][:60],
                    "outlet": outlet,
                    "date": f"2023-04-{3 + i:02d}",
                    "url": f"https://{outlet.lower().replace(' ', '')}.example/{name}/{i}",
                }
            )
    return records
