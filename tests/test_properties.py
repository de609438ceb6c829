"""Hypothesis properties of reading and cleaning: whatever the input, nothing raises, and every input ends up as
an article or a diagnostic.

Inputs are random bytes, random Unicode and truncations of a small HTML page written here, saved to temporary
files and read through ``iter_documents`` + ``clean_document`` (the path every real input takes). Example counts
keep the whole module to a few seconds; no example database is written.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import httpx
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from newsbrief.clean import clean_document, clean_lines
from newsbrief.ingest import iter_documents
from newsbrief.model import Article, Diagnostic, RawDocument
from newsbrief.settings import IngestSettings

SUFFIXES = (".txt", ".html", ".htm", ".jsonl", ".md", "")
# Small enough that the size limit is hit now and then by the generated inputs too.
SETTINGS = IngestSettings(max_bytes=4096, max_text_chars=2000)
# Example counts per property keep the module near 20 s on the shared 2-core machine.
PROPERTY_SETTINGS = settings(
    deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _examples(n: int) -> settings:
    return settings(PROPERTY_SETTINGS, max_examples=n)


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Storm closes the coast road | Example Times</title>
<meta property="og:title" content="Storm closes the coast road"><meta name="author" content="Ana Pérez">
<meta property="article:published_time" content="2021-03-04T08:00:00Z"></head>
<body><nav><a href="/">Home</a> | <a href="/world">World</a> | <a href="/sport">Sport</a></nav>
<article><h1>Storm closes the coast road</h1><p class="byline">By Ana Pérez</p>
<p>A storm closed the coast road near Saint-Émilion on Thursday after waves washed stones onto the lanes.</p>
<p>“We have never seen the sea this high,” said Zoë Müller, who runs a café by the harbour — for 30 years.</p>
<figure><img src="x.jpg"><figcaption>The road on Thursday. Photo: Jean Dupont/AFP</figcaption></figure>
<p>The regional council said the road would stay shut until engineers had checked the sea wall, probably
until Monday. Buses will take a detour through the hills, adding about 40 minutes to the journey.</p>
<p>Sign up to our newsletter</p></article>
<aside><h2>Related</h2><ul><li><a href="/a">Floods hit the valley</a></li></ul></aside>
<footer>© 2021 Example Times. All rights reserved.</footer></body></html>
"""


def _check_document(raw: RawDocument, article_id: str) -> list[Article | Diagnostic]:
    """Clean one document; it must give an article or an error diagnostic, and never raise."""
    article, diagnostics = clean_document(raw, article_id, SETTINGS)
    assert all(isinstance(d, Diagnostic) and d.code[:2] in {"E-", "W-"} for d in diagnostics)
    if article is None:
        assert any(d.code.startswith("E-") for d in diagnostics), diagnostics
        return list(diagnostics)
    assert article.id == article_id
    assert article.text.strip(), "an article has text"
    assert article.text == article.text.strip()
    assert len(article.text) <= SETTINGS.max_text_chars
    assert article.content_hash
    return [article, *diagnostics]


def _check_path(path: Path) -> list[Article | Diagnostic]:
    """Read a file and clean what it holds: at least one article or diagnostic comes out."""
    outcome: list[Article | Diagnostic] = []
    for n, item in enumerate(iter_documents([path], SETTINGS), start=1):
        if isinstance(item, Diagnostic):
            assert item.stage == "ingest" and item.code[:2] in {"E-", "W-"}
            outcome.append(item)
            continue
        assert isinstance(item, RawDocument)
        outcome.extend(_check_document(item, f"a{n}"))
    assert outcome, f"{path.name} produced neither an article nor a diagnostic"
    return outcome


def _write(data: bytes, suffix: str) -> tuple[tempfile.TemporaryDirectory[str], Path]:
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / f"input{suffix}"
    path.write_bytes(data)
    return folder, path


def _run_file(data: bytes, suffix: str) -> list[Article | Diagnostic]:
    folder, path = _write(data, suffix)
    with folder:
        return _check_path(path)


_texty = st.text(alphabet=st.characters(codec="utf-8"), max_size=400)  # any encodable character
_latin = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=400)
_bytes = st.one_of(
    st.binary(max_size=2000),
    _texty.map(lambda s: s.encode("utf-8")),
    _latin.map(lambda s: s.encode("latin-1")),
    st.binary(min_size=4000, max_size=5000),  # over the size limit
)


@_examples(300)
@given(data=_bytes, suffix=st.sampled_from(SUFFIXES))
def test_properties_random_bytes(data: bytes, suffix: str) -> None:
    _run_file(data, suffix)


_words = st.lists(
    st.one_of(
        st.sampled_from(
            [
                "the",
                "council",
                "said",
                "on",
                "Monday",
                "“We",
                "will",
                "build,”",
                "By",
                "Photo:",
                "AFP",
                "Reuters",
                "Sign",
                "up",
                "newsletter",
                "©",
                "2021",
                "|",
                "Home",
                "Related",
                "-",
                "[link](http://x.y)",
                "**bold**",
            ]
        ),
        st.text(min_size=1, max_size=12),
    ),
    max_size=40,
).map(" ".join)
_document = st.lists(st.one_of(_words, _texty), max_size=25).map("\n".join)


@_examples(150)
@given(text=st.one_of(_texty, _document), suffix=st.sampled_from((".txt", ".html", ".md")))
def test_properties_random_unicode_file(text: str, suffix: str) -> None:
    _run_file(text.encode("utf-8"), suffix)


@_examples(200)
@given(text=st.one_of(_texty, _document), kind=st.sampled_from(("text", "html")))
def test_properties_random_unicode_document(text: str, kind: str) -> None:
    _check_document(RawDocument(source="mem", content=text, kind=kind), "a1")  # type: ignore[arg-type]


@_examples(300)
@given(lines=st.lists(st.one_of(_words, _texty), max_size=30))
def test_properties_clean_lines_accounts_for_every_line(lines: list[str]) -> None:
    """Every non-blank line is either kept as a paragraph or removed with a reason."""
    cleaned = clean_lines(lines)
    non_blank = [
        line for line in lines if " ".join("".join(c if c.isprintable() else " " for c in line).split())
    ]
    assert len(cleaned.paragraphs) + len(cleaned.removed) == len(non_blank)
    assert all(p.strip() for p in cleaned.paragraphs)
    assert all(r.reason for r in cleaned.removed)


_PAGE_BYTES = PAGE.encode("utf-8")


@_examples(150)
@given(cut=st.integers(min_value=0, max_value=len(_PAGE_BYTES)))
def test_properties_truncated_html(cut: int) -> None:
    data = _PAGE_BYTES[:cut]
    outcome = _run_file(data, ".html")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return  # cut inside a character: a fallback decoding (with its warning) is expected
    assert not any(isinstance(o, Diagnostic) and o.code == "W-ENCODING" for o in outcome)


@_examples(100)
@given(cut=st.integers(min_value=0, max_value=len(PAGE)), drop=st.integers(min_value=0, max_value=len(PAGE)))
def test_properties_html_with_a_hole(cut: int, drop: int) -> None:
    """A page with a piece cut out of its middle (broken tags, unclosed elements) still reads or reports."""
    assume(drop >= cut)
    _check_document(RawDocument(source="p.html", content=PAGE[:cut] + PAGE[drop:], kind="html"), "a1")


def test_properties_whole_page_is_an_article() -> None:
    """The untruncated page the properties cut up is itself a clean article (so the property is not vacuous)."""
    outcome = _run_file(_PAGE_BYTES, ".html")
    (article,) = [o for o in outcome if isinstance(o, Article)]
    assert "engineers had checked the sea wall" in article.text
    assert "Sign up to our newsletter" not in article.text
    assert "Zoë Müller" in article.text


_record = st.one_of(
    st.fixed_dictionaries({"text": _texty}, optional={"url": _texty, "title": st.none() | _texty}),
    st.fixed_dictionaries({"html": _texty}),
    st.dictionaries(st.text(max_size=5), st.integers() | st.none() | _texty, max_size=3),
    st.lists(st.integers(), max_size=3),
)
_jsonl_line = st.one_of(
    _record.map(json.dumps), st.text(max_size=40).filter(lambda s: "\n" not in s and "\r" not in s)
)


@_examples(100)
@given(lines=st.lists(_jsonl_line, min_size=1, max_size=12))
def test_properties_jsonl_one_outcome_per_line(lines: list[str]) -> None:
    """Each non-blank JSONL line gives exactly one document or one E-JSONL diagnostic."""
    data = "\n".join(lines).encode("utf-8")
    folder, path = _write(data, ".jsonl")
    with folder:
        items = list(iter_documents([path], IngestSettings()))
    file_level = [
        i for i in items if isinstance(i, Diagnostic) and i.code in {"E-EMPTY", "W-ENCODING", "E-BINARY"}
    ]
    if any(d.code in {"E-EMPTY", "E-BINARY"} for d in file_level):
        return
    per_line = [i for i in items if i not in file_level]
    expected = sum(1 for line in "\n".join(lines).splitlines() if line.strip())
    assert len(per_line) == expected
    assert all(isinstance(i, RawDocument) or i.code == "E-JSONL" for i in per_line)
    for item in per_line:
        if isinstance(item, RawDocument):
            _check_document(item, "a1")


def _page(request: object) -> httpx.Response:
    return httpx.Response(200, html=PAGE)


@_examples(200)
@given(
    target=st.one_of(
        st.text(max_size=60),
        st.tuples(st.sampled_from(("http://", "https://")), st.text(max_size=40)).map("".join),
    )
)
def test_properties_random_input_names(target: str) -> None:
    """Any string given as an input (a path or a URL, through a mock transport) gives an item, never raises."""
    with tempfile.TemporaryDirectory() as folder:
        # A name is looked up as a file inside an empty folder ("/" replaced: never the folder itself, its
        # parent or an absolute path elsewhere on the machine).
        plain = target.replace("/", "_").replace("\\", "_")
        assume(target.startswith(("http://", "https://")) or plain.strip(".") != "")
        name = target if target.startswith(("http://", "https://")) else str(Path(folder) / plain)
        items = list(iter_documents([name], SETTINGS, transport=httpx.MockTransport(_page)))
    assert items
    for item in items:
        if isinstance(item, RawDocument):
            _check_document(item, "a1")
