"""Inputs → :class:`~newsbrief.model.RawDocument`.

Reads text, HTML, JSONL, feed and web-archive files, folders (recursively) and ``http(s)`` URLs. Every problem
with one input becomes a :class:`~newsbrief.model.Diagnostic`; the rest of the batch goes on. Fetching goes
through an injectable ``httpx`` transport so tests never touch the network.
"""

from __future__ import annotations

import codecs
import ipaddress
import json
import socket
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Literal
from urllib.parse import urlparse

import httpx

from .errors import diagnostic
from .model import Diagnostic, RawDocument
from .settings import IngestSettings

STAGE = "ingest"
TEXT_SUFFIXES = {".txt", ".text", ".md"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
JSONL_SUFFIXES = {".jsonl", ".ndjson"}
FEED_SUFFIXES = {".rss", ".atom", ".xml"}
ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".arc", ".arc.gz")
# Share of control characters above which a byte string is called binary. Text files have none besides
# tab/newline; 10% leaves room for a few stray bytes in a scraped page while catching images and archives.
BINARY_CONTROL_SHARE = 0.10
# Share of undecodable or unusual characters tolerated when falling back to cp1252; above it the file is
# more likely another encoding (or binary) than Western European text.
FALLBACK_ODD_SHARE = 0.02
# Above this share of accented letters, a cp1252 reading is taken for mojibake of another script.
MOJIBAKE_ACCENTED_SHARE = 0.33
# charset-normalizer's "chaos" (share of implausible characters) above which no guess is trusted.
MAX_CHAOS = 0.2
# Legacy encodings news pages actually use; charset-normalizer's rarer guesses fit random bytes too well.
NEWS_ENCODINGS = (
    "cp125",
    "windows_125",
    "iso8859",
    "iso_8859",
    "latin",
    "koi8",
    "mac_cyrillic",
    "gb2312",
    "gbk",
    "gb18030",
    "big5",
    "shift_jis",
    "cp932",
    "euc_jp",
    "euc_kr",
    "cp949",
    "iso2022",
    "tis_620",
    "cp874",
    "utf_16",
    "utf_32",
)

Item = RawDocument | Diagnostic


def iter_documents(
    inputs: Iterable[str | Path | RawDocument],
    settings: IngestSettings | None = None,
    *,
    transport: httpx.BaseTransport | None = None,
) -> Iterator[Item]:
    """Yield a :class:`RawDocument` or a :class:`Diagnostic` for every document found in ``inputs``."""
    settings = settings or IngestSettings()
    for item in inputs:
        if isinstance(item, RawDocument):
            yield item
            continue
        text = str(item)
        if text.startswith(("http://", "https://")):
            yield from _fetch_url(text, settings, transport)
            continue
        path = Path(text)
        try:
            exists, is_dir = path.exists(), path.is_dir()
        except (OSError, ValueError) as exc:  # a name too long, a NUL byte: cannot be a file
            yield diagnostic(
                "E-PATH-MISSING", f"{text[:200]}: not a usable path ({exc})", stage=STAGE, source=text[:200]
            )
            continue
        if not exists:
            yield diagnostic("E-PATH-MISSING", f"{text}: no such file or folder", stage=STAGE, source=text)
        elif is_dir:
            for child in sorted(p for p in path.rglob("*") if p.is_file() and not p.name.startswith(".")):
                yield from _read_path(child, settings)
        else:
            yield from _read_path(path, settings)


def _read_path(path: Path, settings: IngestSettings) -> Iterator[Item]:
    source = str(path)
    name = path.name.lower()
    if name.endswith(ARCHIVE_SUFFIXES):
        yield from _guarded(lambda: _iter_archive(path), source)
        return
    try:
        size = path.stat().st_size
        if size > settings.max_bytes:
            yield diagnostic(
                "E-TOO-LARGE",
                f"{source}: {size:,} bytes is over the limit of {settings.max_bytes:,}",
                stage=STAGE,
                source=source,
            )
            return
        data = path.read_bytes()
    except OSError as exc:
        yield diagnostic("E-READ", f"{source}: {exc.strerror or exc}", stage=STAGE, source=source)
        return
    suffix = path.suffix.lower()
    if suffix in FEED_SUFFIXES and _looks_like_feed(data):
        yield from _guarded(lambda: _iter_feed(data, source), source)
        return
    text, problems = decode_document(data, source)
    yield from problems
    if text is None:
        return
    if suffix in JSONL_SUFFIXES:
        yield from _read_jsonl(text, source)
        return
    kind: Literal["text", "html"] = "html" if suffix in HTML_SUFFIXES or _looks_like_html(text) else "text"
    yield RawDocument(source=source, content=text, kind=kind)


def _guarded(items: Callable[[], Iterable[Item]], source: str) -> Iterator[Item]:
    """Stream items from a feed or archive reader; a broken container becomes one diagnostic."""
    try:
        yield from items()
    except Exception as exc:  # a corrupt archive must not end the batch
        yield diagnostic("E-READ", f"{source}: cannot read ({exc})", stage=STAGE, source=source)


def _iter_feed(data: bytes, source: str) -> Iterator[Item]:
    from .feeds import iter_feed

    yield from iter_feed(data, source)


def _iter_archive(path: Path) -> Iterator[Item]:
    from .archives import iter_archive

    yield from iter_archive(path)


def decode_document(
    data: bytes, source: str, *, charset: str | None = None
) -> tuple[str | None, list[Diagnostic]]:
    """The text of ``data`` (None when unreadable) and the diagnostics about its encoding.

    A declared ``charset`` (HTTP header) is tried first, then :func:`decode_bytes`.
    """
    if charset:
        try:
            return data.decode(charset), []
        except (LookupError, UnicodeDecodeError):
            pass
    decoded = decode_bytes(data, source)
    if isinstance(decoded, Diagnostic):
        return None, [decoded]
    text, warning = decoded
    return text, [] if warning is None else [warning]


def decode_bytes(data: bytes, source: str) -> tuple[str, Diagnostic | None] | Diagnostic:
    """Decode bytes as UTF-8 (with or without BOM), UTF-16 with BOM, or cp1252 as a last resort."""
    if not data.strip():
        return diagnostic("E-EMPTY", f"{source}: the document is empty", stage=STAGE, source=source)
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            try:
                return data.decode(encoding), None
            except UnicodeDecodeError:
                break
    sample = data[:65536]
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in sample or controls > BINARY_CONTROL_SHARE * len(sample):
        return diagnostic("E-BINARY", f"{source}: the file is binary", stage=STAGE, source=source)
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as exc:
        position = exc.start
        # A file cut inside its last multi-byte character is still UTF-8: drop the broken tail.
        if position >= len(data) - 3 and data[:position].strip():
            try:
                return data[:position].decode("utf-8-sig"), None
            except UnicodeDecodeError:
                pass
    guess = _detect_encoding(data)
    if guess is None:
        return diagnostic(
            "E-ENCODING",
            f"{source}: not UTF-8 (bad byte at offset {position}) and no other encoding fits",
            stage=STAGE,
            source=source,
        )
    text, encoding = guess
    warning = diagnostic(
        "W-ENCODING",
        f"{source}: not UTF-8 (bad byte at offset {position}); read as {encoding}",
        stage=STAGE,
        source=source,
    )
    return text, warning


def _detect_encoding(data: bytes) -> tuple[str, str] | None:
    """Windows-1252 when it reads as mostly-ASCII Western text, else charset-normalizer's best guess."""
    text = data.decode("cp1252", errors="replace")
    odd = sum(1 for ch in text if ch == "\ufffd" or 0x80 <= ord(ch) < 0xA0)
    letters = [ch for ch in text if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) > 0x7F)
    # Western European text is mostly ASCII letters; Cyrillic or CJK read as cp1252 is mostly accented
    # letters (mojibake such as "Ìîñêâà"). A third separates the two on French, German and Russian samples.
    if odd <= FALLBACK_ODD_SHARE * len(text) and accented <= MOJIBAKE_ACCENTED_SHARE * max(len(letters), 1):
        return text, "cp1252"
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:200_000]).best()
    except ImportError:  # pragma: no cover - charset-normalizer comes with trafilatura
        best = None
    if best is None or not best.encoding or best.chaos > MAX_CHAOS:
        return None
    if not best.encoding.lower().replace("-", "_").startswith(NEWS_ENCODINGS):
        return None  # an exotic code page fitting random bytes is a guess, not a reading
    try:
        return data.decode(best.encoding), best.encoding
    except (LookupError, UnicodeDecodeError):
        return None


def _looks_like_html(text: str) -> bool:
    head = text[:2048].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or ("<body" in head and "</" in head)


def _looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lower()
    return b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head


def _read_jsonl(text: str, source: str) -> Iterator[Item]:
    records = 0
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield diagnostic("E-JSONL", f"{where}: invalid JSON ({exc.msg})", stage=STAGE, source=where)
            continue
        if not isinstance(record, dict):
            yield diagnostic("E-JSONL", f"{where}: not a JSON object", stage=STAGE, source=where)
            continue
        html, body = record.get("html"), record.get("text")
        content = html if isinstance(html, str) and html.strip() else body
        if not isinstance(content, str) or not content.strip():
            yield diagnostic("E-JSONL", f"{where}: no 'text' or 'html' string", stage=STAGE, source=where)
            continue
        records += 1
        yield RawDocument(
            source=where,
            content=content,
            kind="html" if content is html else "text",
            url=_str_or_none(record.get("url")),
            title=_str_or_none(record.get("title")),
            date=_str_or_none(record.get("date")),
            outlet=_str_or_none(record.get("outlet")),
        )
    if records == 0 and not text.strip():
        yield diagnostic("E-EMPTY", f"{source}: the JSONL file has no records", stage=STAGE, source=source)


def _str_or_none(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def is_public_host(host: str) -> bool:
    """True when every address ``host`` resolves to is public (not private, loopback, link-local, reserved)."""
    try:
        infos = socket.getaddrinfo(host, None)
    except (socket.gaierror, UnicodeError):
        return False
    for info in infos:
        address = ipaddress.ip_address(info[4][0])
        if (
            address.is_private
            or address.is_loopback
            or address.is_link_local
            or address.is_reserved
            or address.is_multicast
            or address.is_unspecified
        ):
            return False
    return True


class UrlBlocked(httpx.TransportError):
    """A request to a non-public address was refused (an ``httpx`` error, so fetchers report it per URL)."""


def _private_hop_guard(resolve: bool) -> Callable[[httpx.Request], None]:
    """A request hook refusing hosts that are not public; names are looked up only when ``resolve``."""

    def refuse(request: httpx.Request) -> None:
        host = request.url.host
        try:
            ipaddress.ip_address(host)
            literal = True  # getaddrinfo answers with the address itself: no lookup
        except ValueError:
            literal = False
        if (literal or resolve) and not is_public_host(host):
            raise UrlBlocked(f"request to {host!r} refused: not a public address", request=request)

    return refuse


def _fetch_url(url: str, settings: IngestSettings, transport: httpx.BaseTransport | None) -> Iterator[Item]:
    try:
        yield from _fetch_checked_url(url, settings, transport)
    except (ValueError, UnicodeError, httpx.InvalidURL) as exc:  # malformed address: say so, go on
        yield diagnostic("E-FETCH", f"{url[:200]}: not a valid URL ({exc})", stage=STAGE, source=url[:200])


def _fetch_checked_url(
    url: str, settings: IngestSettings, transport: httpx.BaseTransport | None
) -> Iterator[Item]:
    host = urlparse(url).hostname or ""
    if not host:
        raise ValueError("no host name")
    # A test transport never resolves names; the private-address guard applies to real network fetches.
    if transport is None and not settings.allow_private and not is_public_host(host):
        yield diagnostic(
            "E-URL-BLOCKED", f"{url}: host {host!r} is not a public address", stage=STAGE, source=url
        )
        return
    headers = {
        "User-Agent": settings.user_agent,
        "Accept": "text/html,application/xhtml+xml,text/plain;q=0.9",
    }
    # httpx sends every redirect hop through the request hooks: a public page that redirects to a private
    # address (http://169.254.169.254/...) is refused at that hop, not fetched.
    # A test transport resolves no names, so only literal addresses are checked behind it.
    hooks = {} if settings.allow_private else {"request": [_private_hop_guard(resolve=transport is None)]}
    try:
        with (
            httpx.Client(
                transport=transport,
                timeout=settings.fetch_timeout,
                follow_redirects=True,
                headers=headers,
                event_hooks=hooks,
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                yield diagnostic("E-FETCH", f"{url}: HTTP {response.status_code}", stage=STAGE, source=url)
                return
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > settings.max_bytes:
                    yield diagnostic(
                        "E-TOO-LARGE",
                        f"{url}: more than {settings.max_bytes:,} bytes",
                        stage=STAGE,
                        source=url,
                    )
                    return
                chunks.append(chunk)
            content_type = response.headers.get("content-type", "")
            final_url = str(response.url)
            charset = response.charset_encoding
    except UrlBlocked as exc:
        yield diagnostic("E-URL-BLOCKED", f"{url}: {exc}", stage=STAGE, source=url)
        return
    except httpx.HTTPError as exc:
        yield diagnostic("E-FETCH", f"{url}: {type(exc).__name__}: {exc}", stage=STAGE, source=url)
        return
    data = b"".join(chunks)
    if "xml" in content_type and _looks_like_feed(data):
        yield from _guarded(lambda: _iter_feed(data, url), url)
        return
    text, problems = decode_document(data, url, charset=charset)
    yield from problems
    if text is None:
        return
    kind: Literal["text", "html"] = "text" if content_type.startswith("text/plain") else "html"
    yield RawDocument(source=url, content=text, kind=kind, url=final_url)
