"""Reading inputs: files, folders, JSONL, encodings, size limits and URL fetching (through httpx.MockTransport only).

Every test writes its own inputs under ``tmp_path``; no test touches the network.
"""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import httpx
import pytest

from newsbrief.ingest import decode_bytes, iter_documents
from newsbrief.model import Diagnostic, RawDocument
from newsbrief.settings import IngestSettings

ARTICLE = (
    "Council approves the new housing plan\n\n"
    "The city council voted on Tuesday to approve a plan for 2,000 new homes near the river.\n"
    "The mayor said the vote ended a debate that had lasted for more than two years.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Council approves plan</title></head>"
    "<body><nav><a href='/'>Home</a> | <a href='/news'>News</a></nav><article><h1>Council approves plan</h1>"
    "<p>The city council voted on Tuesday to approve a plan for 2,000 new homes near the river.</p>"
    "<p>The mayor said the vote ended a debate that had lasted for more than two years.</p>"
    "</article><footer>Subscribe to our newsletter</footer></body></html>"
)
Item = RawDocument | Diagnostic


def _read(inputs: Sequence[str | Path | RawDocument], **kwargs: object) -> list[Item]:
    return list(iter_documents(inputs, **kwargs))  # type: ignore[arg-type]


def _codes(items: Sequence[Item]) -> list[str]:
    return [i.code for i in items if isinstance(i, Diagnostic)]


def _docs(items: Sequence[Item]) -> list[RawDocument]:
    return [i for i in items if isinstance(i, RawDocument)]


# --- files ------------------------------------------------------------------------------------------------


def test_ingest_text_file(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    items = _read([path])
    assert items == [RawDocument(source=str(path), content=ARTICLE, kind="text")]


@pytest.mark.parametrize("name", ["page.html", "page.htm", "page.xhtml", "page.HTML"])
def test_ingest_html_file(tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    path.write_text(PAGE, encoding="utf-8")
    (doc,) = _read([path])
    assert isinstance(doc, RawDocument)
    assert doc.kind == "html"
    assert doc.content == PAGE


def test_ingest_html_sniffed_in_a_text_file(tmp_path: Path) -> None:
    """A saved page with a .txt name (or none) is still read as HTML."""
    for name in ("saved.txt", "saved"):
        path = tmp_path / name
        path.write_text(PAGE, encoding="utf-8")
        (doc,) = _read([path])
        assert isinstance(doc, RawDocument) and doc.kind == "html"


def test_ingest_text_mentioning_tags_is_text(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("The <body> of the letter was read aloud in court on Monday.\n", encoding="utf-8")
    (doc,) = _read([path])
    assert isinstance(doc, RawDocument) and doc.kind == "text"


def test_ingest_raw_document_passes_through() -> None:
    raw = RawDocument(source="mem", content=ARTICLE, kind="text", outlet="Example News")
    assert _read([raw]) == [raw]


def test_ingest_folder_is_recursive_sorted_and_skips_hidden(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "deep").mkdir()
    (tmp_path / "a.txt").write_text(ARTICLE)
    (tmp_path / "b" / "c.html").write_text(PAGE)
    (tmp_path / "b" / "deep" / "d.txt").write_text(ARTICLE)
    (tmp_path / ".hidden.txt").write_text(ARTICLE)
    items = _read([tmp_path])
    assert _codes(items) == []
    names = [Path(d.source).relative_to(tmp_path).as_posix() for d in _docs(items)]
    assert names == ["a.txt", "b/c.html", "b/deep/d.txt"]
    assert [d.kind for d in _docs(items)] == ["text", "html", "text"]


def test_ingest_empty_folder_yields_nothing(tmp_path: Path) -> None:
    assert _read([tmp_path]) == []


def test_ingest_missing_path_is_a_diagnostic(tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = _read([tmp_path / "missing.txt", good])
    assert _codes(items) == ["E-PATH-MISSING"]
    assert len(_docs(items)) == 1
    (diag,) = [i for i in items if isinstance(i, Diagnostic)]
    assert "missing.txt" in diag.message and diag.stage == "ingest"


@pytest.mark.parametrize("content", [b"", b"   \n\t\n  ", b"\r\n"])
def test_ingest_empty_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(content)
    assert _codes(_read([path])) == ["E-EMPTY"]


@pytest.mark.parametrize(
    "content",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256)) * 8,
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(200),
        bytes(range(32)) * 50,
    ],
    ids=["png", "zip", "control-bytes"],
)
def test_ingest_binary_file(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "image.txt"
    path.write_bytes(content)
    assert _codes(_read([path])) == ["E-BINARY"]


# --- encodings ------------------------------------------------------------------------------------------


def test_ingest_latin1_is_a_warning_and_a_document(tmp_path: Path) -> None:
    text = "Le café de la gare a rouvert lundi après des travaux qui ont duré deux ans.\n"
    path = tmp_path / "latin1.txt"
    path.write_bytes(text.encode("latin-1"))
    items = _read([path])
    assert _codes(items) == ["W-ENCODING"]
    (doc,) = _docs(items)
    assert doc.content == text


def test_ingest_cp1252_punctuation_decoded(tmp_path: Path) -> None:
    text = "He said \u201cit is over\u201d \u2014 and left.\n"
    path = tmp_path / "cp1252.txt"
    path.write_bytes(text.encode("cp1252"))
    (doc,) = _docs(_read([path]))
    assert doc.content == text


def test_ingest_undecodable_is_an_error(tmp_path: Path) -> None:
    # Bytes 0x80-0x9f (five of them undefined in Windows-1252) are C1 controls in Latin-1: not text in any
    # fallback the reader tries.
    path = tmp_path / "bad.txt"
    path.write_bytes(b"Breaking news " + bytes(range(0x80, 0xA0)) * 4 + b" end")
    items = _read([path])
    assert _codes(items) == ["E-ENCODING"]
    assert _docs(items) == []


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "gbk", "shift_jis"])
def test_ingest_non_latin_legacy_encoding_is_not_read_as_mojibake(tmp_path: Path, encoding: str) -> None:
    """A Russian, Chinese or Japanese legacy-encoded file must not become a Latin-1 "article" of mojibake.

    Either it is decoded correctly or it is refused with E-ENCODING; what ``decode_bytes`` does now is return
    cp1252 mojibake ("Ìîñêâà ñåãîäíÿ ...") with only a W-ENCODING warning, and the briefing then cites it.
    """
    text = {
        "gbk": "中文新闻报道今天发布了一条重要消息。" * 10,
        "shift_jis": "日本のニュースです。今日は晴れです。" * 10,
    }.get(encoding, "Москва сегодня объявила новые меры поддержки экономики. " * 10)
    path = tmp_path / "legacy.txt"
    path.write_bytes(text.encode(encoding))
    items = _read([path])
    docs = _docs(items)
    assert (docs and docs[0].content == text) or _codes(items) == ["E-ENCODING"], (
        _codes(items),
        docs[0].content[:40] if docs else None,
    )


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (codecs.BOM_UTF8 + "naïve café".encode(), "naïve café"),
        (codecs.BOM_UTF16_LE + "naïve café".encode("utf-16-le"), "naïve café"),
        (codecs.BOM_UTF16_BE + "naïve café".encode("utf-16-be"), "naïve café"),
        (b"plain ascii", "plain ascii"),
    ],
    ids=["utf8-bom", "utf16-le", "utf16-be", "ascii"],
)
def test_ingest_decode_bytes_unicode(data: bytes, expected: str) -> None:
    assert decode_bytes(data, "x") == (expected, None)


def test_ingest_utf8_cut_mid_character_stays_utf8() -> None:
    """A UTF-8 file cut inside its last character (a truncated download) keeps its other accents.

    Now the one incomplete sequence at the end sends the whole file to the cp1252 fallback, and every
    "é" before it becomes "Ã©".
    """
    data = "Le café a rouvert après deux ans de travaux à Montréal.".encode()
    data += "é".encode()[:1]
    decoded = decode_bytes(data, "cut.txt")
    assert not isinstance(decoded, Diagnostic)
    text, _ = decoded
    assert text.startswith("Le café a rouvert après deux ans"), text


# --- size limit ---------------------------------------------------------------------------------------------


def test_ingest_oversize_file(tmp_path: Path) -> None:
    settings = IngestSettings(max_bytes=100)
    big, limit = tmp_path / "big.txt", tmp_path / "limit.txt"
    big.write_text("x" * 101)
    limit.write_text("y" * 100)
    items = _read([big, limit], settings=settings)
    assert _codes(items) == ["E-TOO-LARGE"]
    assert [d.content for d in _docs(items)] == ["y" * 100]  # exactly at the limit is fine
    (diag,) = [i for i in items if isinstance(i, Diagnostic)]
    assert "101" in diag.message and "max_bytes" in diag.message


# --- JSONL ----------------------------------------------------------------------------------------------------


def test_ingest_jsonl_records_and_hints(tmp_path: Path) -> None:
    path = tmp_path / "batch.jsonl"
    records = [
        {
            "text": ARTICLE,
            "url": "https://example.com/a",
            "title": "  Plan  ",
            "date": "2021-03-04",
            "outlet": "X",
        },
        {"html": PAGE, "text": "ignored when html is there"},
        {"text": "Second text article about the same council vote, with enough words."},
    ]
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n\n", encoding="utf-8")
    items = _read([path])
    assert _codes(items) == []
    first, second, third = _docs(items)
    assert first == RawDocument(
        source=f"{path}:1",
        content=ARTICLE,
        kind="text",
        url="https://example.com/a",
        title="Plan",
        date="2021-03-04",
        outlet="X",
    )
    assert second.kind == "html" and second.content == PAGE and second.source == f"{path}:2"
    assert third.kind == "text" and third.url is None


def test_ingest_jsonl_broken_lines_do_not_stop_the_file(tmp_path: Path) -> None:
    path = tmp_path / "batch.ndjson"
    lines = [
        json.dumps({"text": "First good record of the batch."}),
        '{"text": "broken',
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "no text"}),
        json.dumps({"text": "   "}),
        json.dumps({"text": 42}),
        json.dumps({"text": "Last good record of the batch."}),
    ]
    path.write_text("\n".join(lines), encoding="utf-8")
    items = _read([path])
    assert [d.content for d in _docs(items)] == [
        "First good record of the batch.",
        "Last good record of the batch.",
    ]
    diags = [i for i in items if isinstance(i, Diagnostic)]
    assert [d.code for d in diags] == ["E-JSONL"] * 5
    assert [d.source for d in diags] == [f"{path}:{n}" for n in (2, 3, 4, 5, 6)]


def test_ingest_jsonl_non_string_hints_ignored(tmp_path: Path) -> None:
    path = tmp_path / "b.jsonl"
    path.write_text(json.dumps({"text": "Body of the record.", "url": 5, "title": None, "date": ["x"]}))
    (doc,) = _docs(_read([path]))
    assert doc.url is None and doc.title is None and doc.date is None


# --- feeds ---------------------------------------------------------------------------------------------------


def test_ingest_feed_file_never_raises(tmp_path: Path) -> None:
    """An RSS file becomes documents or a diagnostic; it must not raise (now: ModuleNotFoundError
    ``newsbrief.feeds``, imported outside ``_guarded`` at ingest.py ``_read_path``)."""
    path = tmp_path / "feed.xml"
    path.write_text(
        "<?xml version='1.0'?><rss version='2.0'><channel><title>Feed</title><item><title>One</title>"
        "<link>https://example.com/1</link><description>First item of the feed.</description></item>"
        "</channel></rss>",
        encoding="utf-8",
    )
    items = _read([path])
    assert items


def test_ingest_plain_xml_is_a_document(tmp_path: Path) -> None:
    path = tmp_path / "notes.xml"
    path.write_text("<?xml version='1.0'?><notes><note>Meeting moved to Friday.</note></notes>")
    (doc,) = _read([path])
    assert isinstance(doc, RawDocument)


# --- URLs (MockTransport only) --------------------------------------------------------------------------------


def _transport(handler: Callable[[httpx.Request], httpx.Response]) -> httpx.MockTransport:
    return httpx.MockTransport(handler)


def test_ingest_url_200_html() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, html=PAGE)

    settings = IngestSettings(user_agent="newsbrief-test/9.9 (+https://example.org/bot)")
    items = _read(
        ["https://news.example.com/2021/03/04/plan"], settings=settings, transport=_transport(handler)
    )
    assert _codes(items) == []
    (doc,) = _docs(items)
    assert doc.kind == "html" and doc.content == PAGE
    assert doc.source == doc.url == "https://news.example.com/2021/03/04/plan"
    (request,) = seen
    assert request.headers["user-agent"] == "newsbrief-test/9.9 (+https://example.org/bot)"
    assert request.method == "GET"


def test_ingest_url_default_user_agent_is_newsbrief() -> None:
    agents: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        agents.append(request.headers.get("user-agent", ""))
        return httpx.Response(200, html=PAGE)

    _read(["https://news.example.com/a"], transport=_transport(handler))
    assert agents == [IngestSettings().user_agent]
    assert agents[0].startswith("newsbrief/")


def test_ingest_url_plain_text_and_charset() -> None:
    text = "Le café de la gare a rouvert lundi.\n"

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=text.encode("latin-1"), headers={"content-type": "text/plain; charset=iso-8859-1"}
        )

    items = _read(["http://news.example.com/a.txt"], transport=_transport(handler))
    assert _codes(items) == []  # the declared charset is used: no fallback warning
    (doc,) = _docs(items)
    assert doc.kind == "text" and doc.content == text


def test_ingest_url_redirect_keeps_final_url() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/short":
            return httpx.Response(301, headers={"location": "https://news.example.com/long/article"})
        return httpx.Response(200, html=PAGE)

    (doc,) = _docs(_read(["https://news.example.com/short"], transport=_transport(handler)))
    assert doc.source == "https://news.example.com/short"
    assert doc.url == "https://news.example.com/long/article"


@pytest.mark.parametrize("status", [404, 410, 500, 503])
def test_ingest_url_http_error_is_e_fetch(status: int) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, html="<p>error page</p>")

    items = _read(
        ["https://news.example.com/gone", RawDocument(source="m", content="x", kind="text")],
        transport=_transport(handler),
    )
    assert _codes(items) == ["E-FETCH"]
    assert str(status) in items[0].message  # type: ignore[union-attr]
    assert len(_docs(items)) == 1  # the next input is still read


def test_ingest_url_body_over_cap_is_too_large() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            200, content=b"<p>" + b"x" * 5000 + b"</p>", headers={"content-type": "text/html"}
        )

    items = _read(
        ["https://news.example.com/big"],
        settings=IngestSettings(max_bytes=1000),
        transport=_transport(handler),
    )
    assert _codes(items) == ["E-TOO-LARGE"]
    assert _docs(items) == []


@pytest.mark.parametrize(
    "error",
    [httpx.ConnectTimeout("timed out"), httpx.ReadTimeout("timed out"), httpx.ConnectError("refused")],
    ids=["connect-timeout", "read-timeout", "connect-error"],
)
def test_ingest_url_timeout_is_e_fetch(error: httpx.HTTPError) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    items = _read(["https://news.example.com/slow"], transport=_transport(handler))
    assert _codes(items) == ["E-FETCH"]
    assert type(error).__name__ in items[0].message  # type: ignore[union-attr]


def test_ingest_url_empty_body_is_e_empty() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=b"", headers={"content-type": "text/html"})

    assert _codes(_read(["https://news.example.com/empty"], transport=_transport(handler))) == ["E-EMPTY"]


def test_ingest_private_url_blocked_without_fetching() -> None:
    """The private-address guard answers before any connection (an IP literal needs no DNS either)."""
    items = _read(["http://127.0.0.1:9/article", "http://10.0.0.1/x", "http://169.254.169.254/latest"])
    assert _codes(items) == ["E-URL-BLOCKED"] * 3


@pytest.mark.parametrize(
    "target", ["http://169.254.169.254/latest/meta-data", "http://10.0.0.7/", "http://[::1]/"]
)
def test_ingest_redirect_to_private_address_is_refused_at_the_hop(target: str) -> None:
    fetched: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        fetched.append(str(request.url))
        if request.url.host == "news.example.com":
            return httpx.Response(302, headers={"location": target})
        return httpx.Response(200, text="internal secrets")

    items = _read(["https://news.example.com/story"], transport=_transport(handler))
    assert _codes(items) == ["E-URL-BLOCKED"]
    assert fetched == ["https://news.example.com/story"]  # the private hop was never sent


def test_ingest_redirect_to_private_address_allowed_by_setting() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.host == "news.example.com":
            return httpx.Response(302, headers={"location": "http://10.0.0.7/article"})
        return httpx.Response(200, html=PAGE)

    settings = IngestSettings(allow_private=True)
    (doc,) = _docs(
        _read(["https://news.example.com/story"], settings=settings, transport=_transport(handler))
    )
    assert doc.url == "http://10.0.0.7/article"


@pytest.mark.parametrize(
    "url", ["http://[::1", "http://", "https://[bad]/x", "http://\x1f", "http://a\x80b.com/"]
)
def test_ingest_malformed_url_is_a_diagnostic(url: str) -> None:
    """A malformed URL is one bad input, not a crash: now ``urlparse(url).hostname`` (ingest.py
    ``_fetch_url``) raises ValueError, and httpx raises ValueError or ``httpx.InvalidURL``, neither of which is
    an ``httpx.HTTPError``."""

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, html=PAGE)

    for transport in (None, _transport(handler)):
        items = _read([url, RawDocument(source="m", content="x", kind="text")], transport=transport)
        assert len(_docs(items)) == 1 and len(_codes(items)) == 1, items


@pytest.mark.parametrize(
    "name", ["x" * 300, "folder/" + "y" * 300 + "/file.txt"], ids=["long-name", "long-part"]
)
def test_ingest_impossible_path_is_a_diagnostic(tmp_path: Path, name: str) -> None:
    """A path the OS refuses to look up (a name over 255 bytes: ENAMETOOLONG) is one bad input. Now
    ``path.exists()`` in ``iter_documents`` raises OSError out of the generator."""
    good = tmp_path / "good.txt"
    good.write_text(ARTICLE)
    items = _read([str(tmp_path / name), good])
    assert len(_codes(items)) == 1 and len(_docs(items)) == 1
