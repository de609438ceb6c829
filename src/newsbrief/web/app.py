"""The web app and HTTP API (FastAPI + Jinja templates, no JavaScript framework).

Pages: the stories list, a new-story form (uploaded files, pasted text, URLs), the briefing page (the same
fragments as the HTML report, plus forms to add or remove articles and brief again) and an article view.
Every page has a JSON twin: the same path with ``.json`` (or ``Accept: application/json``).

API under ``/api``: create a story, add and remove articles, brief (in the background, with a job status
endpoint and a bounded ``wait``), fetch the briefing as JSON (the contract), Markdown or HTML. OpenAPI at
``/openapi.json``, readable at ``/docs`` (served locally: no CDN). Every failure has one shape,
``{"ok": false, "error": ..., "errors": [...], "status": ...}``.

Safety: uploads and request bodies are capped (413), so is the number of articles per story (413); an API
token, when set, is required on every request (401); the Host header must name this server unless it is
bound to a public address (DNS rebinding), and cross-site form posts are refused (403); URL fetching refuses
private, loopback and link-local addresses, redirect hops included, unless ``ingest.allow_private``; all
text from articles is escaped, and pages carry a Content-Security-Policy that forbids inline scripts.
"""

from __future__ import annotations

import asyncio
import json
import logging
import re
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager, suppress
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote_plus, urlparse

from ..errors import ConfigError, InputError, MissingDependency, NewsbriefError
from ..model import Diagnostic, RawDocument
from ..settings import Settings
from ..store import (
    LimitError,
    Store,
    StoryExists,
    StoryNotFound,
    default_db_path,
    is_valid_story_name,
    slugify,
)
from .jobs import Job, JobRunner, diagnostic_json
from .safety import is_loopback_host, token_matches, url_refusal

try:
    import httpx
    from fastapi import FastAPI, Request
    from fastapi.exceptions import RequestValidationError
    from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
    from fastapi.staticfiles import StaticFiles
    from fastapi.templating import Jinja2Templates
    from starlette.datastructures import UploadFile
    from starlette.exceptions import HTTPException as StarletteHTTPException
except ImportError as exc:  # pragma: no cover - exercised only without the extra
    raise MissingDependency("the web app needs its extra: pip install 'newsbrief[web]'") from exc

logger = logging.getLogger(__name__)

__all__ = ["WebSettings", "create_app"]

HERE = Path(__file__).resolve().parent
Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# Longest a request may wait for a briefing job (``?wait=``); longer work is polled through /api/jobs.
MAX_WAIT_SECONDS = 60.0
# Rendered briefing pages kept in memory (a page is ~100 KB-1 MB of HTML; 32 of them is a few MB at most).
RENDERED_CACHE = 32
# Seconds between the automatic reloads of a story page while its briefing is being built.
REFRESH_SECONDS = 2
PAGE_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
    "base-uri 'none'; frame-ancestors 'none'"
)
# The standalone report inlines its style and script (it must work as a saved file).
REPORT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
TOKEN_COOKIE = "newsbrief_token"
_UPLOAD_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _help(default: Any, text: str) -> Any:
    return field(default=default, metadata={"help": text})


@dataclass(frozen=True, slots=True, kw_only=True)
class WebSettings:
    """Settings of ``newsbrief serve`` (the pipeline's own settings are :class:`newsbrief.Settings`)."""

    db: Path | None = field(
        default=None,
        metadata={"help": "SQLite file; default $NEWSBRIEF_DB or newsbrief.db in the user data dir."},
    )
    host: str = _help("127.0.0.1", "Address the server binds; anything but loopback requires a token.")
    token: str | None = _help(None, "API token required on every request (header, cookie or ?token=).")
    # 25 MB: a few dozen saved news pages (a page is typically 100 KB-2 MB of HTML) per request.
    max_upload_bytes: int = _help(25_000_000, "Largest request body in bytes; larger uploads get 413.")
    # 500: a long-running story over months; spaCy still briefs it in well under a few minutes.
    max_articles: int = _help(500, "Most articles one story may hold; more get 413.")
    # 50 URLs per request: each fetch may take the fetch timeout; the job runs in the background anyway.
    max_urls: int = _help(50, "Most URLs one request may ask to fetch.")
    workers: int = _help(1, "Briefing worker threads (spaCy is shared between them).")
    preload: bool = _help(True, "Load the spaCy model at start-up rather than on the first briefing.")
    allowed_hosts: tuple[str, ...] = _help((), "Extra Host header values to accept (reverse proxies).")


class BodyTooLarge(StarletteHTTPException):
    def __init__(self, limit: int) -> None:
        super().__init__(
            413, f"request body larger than the limit of {limit:,} bytes; send fewer or smaller files"
        )


# --- responses --------------------------------------------------------------------------------------------


def _wants_json(request: Request) -> bool:
    path = request.url.path
    if path.startswith("/api/") or path.endswith(".json"):
        return True
    accept = request.headers.get("accept", "")
    return "application/json" in accept and "text/html" not in accept


def error_body(status: int, message: str, errors: list[Any] | None = None, **extra: Any) -> dict[str, Any]:
    """The one error shape of the API."""
    return {"ok": False, "error": message, "errors": errors or [], "status": status, **extra}


def _error_json(status: int, message: str, errors: list[Any] | None = None, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse(error_body(status, message, errors, **extra), status_code=status, headers=headers)


def _status_of(exc: Exception) -> int:
    if isinstance(exc, StoryNotFound):
        return 404
    if isinstance(exc, LimitError):
        return 413
    if isinstance(exc, StoryExists):
        return 409
    if isinstance(exc, InputError | ConfigError):
        return 400
    return 500


def _twin(value: str) -> tuple[str, bool]:
    """``("seeds", True)`` for ``"seeds.json"``: the JSON twin of a page."""
    return (value[:-5], True) if value.endswith(".json") else (value, False)


# --- ASGI guards (outermost: they answer before the app parses anything) ---------------------------------


class Guard:
    """Body size cap, token check, Host and Origin checks, security headers; errors in the API's shape."""

    def __init__(self, app: ASGIApp, web: WebSettings) -> None:
        self.app = app
        self.web = web
        self.open_hosts = not is_loopback_host(web.host)
        self.hosts = {"127.0.0.1", "localhost", "::1", "[::1]", web.host.lower(), *web.allowed_hosts}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        failure = self._check(headers, path, method, scope)
        if failure is not None:
            await self._reject(scope, send, headers, path, *failure)
            return
        limit = self.web.max_upload_bytes
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLarge(limit)
            return message

        async def secured_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                raw = list(message.get("headers", []))
                names = {k.lower() for k, _ in raw}
                for name, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"referrer-policy", b"no-referrer"),
                    (b"x-frame-options", b"DENY"),
                    (b"content-security-policy", PAGE_CSP.encode()),
                ):
                    if name not in names:
                        raw.append((name, value))
                message["headers"] = raw
            await send(message)

        await self.app(scope, counted_receive, secured_send)

    def _check(self, headers: dict[str, str], path: str, method: str, scope: Scope) -> tuple[int, str] | None:
        host = headers.get("host", "")
        hostname = urlparse(f"//{host}").hostname or ""
        if not self.open_hosts and hostname not in self.hosts and host not in self.hosts:
            return 400, f"unexpected Host header {host!r}; this server answers to {self.web.host} only"
        if method not in ("GET", "HEAD", "OPTIONS"):
            origin = headers.get("origin")
            if origin and origin != "null" and urlparse(origin).netloc != host:
                return 403, f"cross-site request from {origin} refused"
            length = headers.get("content-length")
            if length and length.isdigit() and int(length) > self.web.max_upload_bytes:
                return 413, (
                    f"request body of {int(length):,} bytes is larger than the limit of "
                    f"{self.web.max_upload_bytes:,}; send fewer or smaller files"
                )
        token = self.web.token
        if token and path != "/healthz" and not path.startswith(("/assets/", "/static/")):
            given = self._token(headers, scope)
            if not token_matches(given, token):
                return (
                    401,
                    "an API token is required: send 'Authorization: Bearer TOKEN' (or open /?token=TOKEN)",
                )
        return None

    @staticmethod
    def _token(headers: dict[str, str], scope: Scope) -> str | None:
        auth = headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            return auth[7:].strip()
        if "x-newsbrief-token" in headers:
            return headers["x-newsbrief-token"]
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == TOKEN_COOKIE:
                return value
        query = scope.get("query_string", b"").decode("latin-1")
        for part in query.split("&"):
            name, _, value = part.partition("=")
            if name == "token":
                return unquote_plus(value)
        return None

    async def _reject(
        self, scope: Scope, send: Send, headers: dict[str, str], path: str, status: int, message: str
    ) -> None:
        accept = headers.get("accept", "")
        as_json = path.startswith("/api/") or path.endswith(".json") or "text/html" not in accept
        if as_json:
            response: Response = _error_json(status, message)
        else:
            response = HTMLResponse(_plain_error_page(status, message), status_code=status)
        response.headers["content-security-policy"] = PAGE_CSP
        if status == 401:
            response.headers["www-authenticate"] = "Bearer"

        async def empty_receive() -> Message:
            return {"type": "http.disconnect"}

        await response(scope, empty_receive, send)


def _plain_error_page(status: int, message: str) -> str:
    import html

    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Error</title>"
        "<link rel='stylesheet' href='/assets/report.css'><link rel='stylesheet' href='/static/app.css'></head>"
        f"<body><main class='nb-report'><h1>Error {status}</h1><p class='nb-error'>{html.escape(message)}</p>"
        "<p><a href='/'>Back to the stories</a></p></main></body></html>"
    )


# --- reading submissions ----------------------------------------------------------------------------------


@dataclass(slots=True)
class Submission:
    """Articles sent in one request: documents read now, URLs fetched by a background job."""

    name: str = ""
    title: str | None = None
    documents: list[RawDocument | Diagnostic] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)
    brief: bool = True


def _read_uploads(files: list[tuple[str, str, bytes]], settings: Settings) -> list[RawDocument | Diagnostic]:
    """Uploaded files and pasted texts, ``(shown source, file name, bytes)``, through the ingest readers.

    Written to a temporary folder so the same readers as ``newsbrief brief`` apply (text or HTML sniffing,
    JSONL, feeds, archives, encodings); the temporary paths are replaced by the shown sources.
    """
    import dataclasses

    from ..ingest import iter_documents

    out: list[RawDocument | Diagnostic] = []
    with tempfile.TemporaryDirectory(prefix="newsbrief-upload-") as folder:
        paths: dict[str, str] = {}
        for number, (shown, filename, data) in enumerate(files):
            path = Path(folder) / f"{number:04d}-{_upload_name(filename)[:120]}"
            path.write_bytes(data)
            paths[str(path)] = shown

        def rename(source: str) -> str:
            for temp, shown in paths.items():
                if source.startswith(temp):
                    return shown + source[len(temp) :]
            return source

        for item in iter_documents(list(paths), settings.ingest):
            item = dataclasses.replace(item, source=rename(item.source or ""))
            if isinstance(item, Diagnostic):  # messages name the file too: never show the temporary path
                message = item.message
                for temp, shown in paths.items():
                    message = message.replace(temp, shown)
                item = dataclasses.replace(item, message=message)
            out.append(item)
    return out


def _upload_name(filename: str) -> str:
    return _UPLOAD_NAME.sub("_", Path(filename or "upload").name).strip("._") or "upload"


def _split_urls(value: Any) -> list[str]:
    if isinstance(value, str):
        return [line.strip() for line in value.splitlines() if line.strip()]
    if isinstance(value, list):
        return [str(v).strip() for v in value if str(v).strip()]
    return []


async def read_submission(request: Request, web: WebSettings, settings: Settings) -> Submission:
    """Parse a JSON body or a form (multipart or urlencoded) into a :class:`Submission`; limits apply."""
    content_type = request.headers.get("content-type", "")
    sub = Submission()
    uploads: list[tuple[str, str, bytes]] = []  # (shown source, file name, content)
    if content_type.startswith("application/json"):
        try:
            body = json.loads(await request.body() or b"{}")
        except json.JSONDecodeError as exc:
            raise InputError(f"the request body is not valid JSON: {exc.msg}") from exc
        if not isinstance(body, dict):
            raise InputError("the request body must be a JSON object")
        sub.name = str(body.get("name") or "")
        sub.title = str(body["title"]) if body.get("title") else None
        sub.brief = bool(body.get("brief", True))
        for number, doc in enumerate(body.get("documents") or [], start=1):
            if not isinstance(doc, dict):
                raise InputError(f"documents[{number - 1}] must be an object with 'text' or 'html'")
            html_text, text = doc.get("html"), doc.get("text")
            content = html_text if isinstance(html_text, str) and html_text.strip() else text
            if not isinstance(content, str) or not content.strip():
                raise InputError(f"documents[{number - 1}] has no 'text' or 'html' string")
            sub.documents.append(
                RawDocument(
                    source=str(doc.get("source") or f"api:{number}"),
                    content=content,
                    kind="html" if content is html_text else "text",
                    **{k: str(doc[k]) for k in ("url", "title", "date", "outlet") if doc.get(k)},
                )
            )
        for number, text in enumerate(body.get("texts") or [], start=1):
            if isinstance(text, str) and text.strip():
                uploads.append((f"pasted:{number}", "pasted.txt", text.encode("utf-8")))
        sub.urls = _split_urls(body.get("urls"))
    elif content_type.startswith(("multipart/form-data", "application/x-www-form-urlencoded")):
        try:
            form = await request.form(
                max_files=web.max_articles + 1, max_fields=1000, max_part_size=web.max_upload_bytes
            )
        except TypeError:  # Starlette < 0.40 has no max_part_size (its fields were unlimited then)
            form = await request.form(max_files=web.max_articles + 1, max_fields=1000)
        try:
            sub.name = str(form.get("name") or "").strip()
            title = form.get("title")
            sub.title = title.strip() if isinstance(title, str) and title.strip() else None
            for item in form.getlist("files"):
                if isinstance(item, UploadFile) and (item.filename or item.size):
                    data = await item.read()
                    if data:
                        name = item.filename or "upload"
                        uploads.append((f"upload:{_upload_name(name)}", name, data))
            text = form.get("text")
            if isinstance(text, str) and text.strip():
                uploads.append(("pasted:1", "pasted.txt", text.encode("utf-8")))
            urls = form.get("urls")
            sub.urls = _split_urls(urls if isinstance(urls, str) else "")
        finally:
            await form.close()
    elif await request.body():
        raise InputError(
            f"unsupported content type {content_type!r}: send JSON, multipart/form-data or a urlencoded form"
        )
    if len(uploads) + len(sub.documents) > web.max_articles:
        raise LimitError(
            f"{len(uploads) + len(sub.documents)} documents in one request; the limit is {web.max_articles}"
        )
    if len(sub.urls) > web.max_urls:
        raise LimitError(f"{len(sub.urls)} URLs in one request; the limit is {web.max_urls}")
    for url in sub.urls:
        refusal = url_refusal(url, allow_private=settings.ingest.allow_private, resolve=False)
        if refusal:
            raise InputError(
                f"E-URL-BLOCKED {url}: {refusal} (allow it with the setting ingest.allow_private)"
            )
    if uploads:
        sub.documents.extend(await asyncio.to_thread(_read_uploads, uploads, settings))
    return sub


# --- the app ----------------------------------------------------------------------------------------------


def create_app(
    settings: Settings | None = None,
    *,
    web: WebSettings | None = None,
    store: Store | None = None,
    transport: httpx.BaseTransport | None = None,
) -> ASGIApp:
    """The ASGI app: pages, JSON twins and the API over ``store`` (default: ``web.db``)."""
    from .. import __version__
    from ..render import to_markdown
    from ..report import CSS, SCRIPT, render_article, render_body
    from ..report import to_html as report_html

    settings = settings or Settings()
    web = web or WebSettings()
    store = store or Store(web.db or default_db_path())
    runner = JobRunner(
        store, settings, workers=web.workers, transport=transport, max_articles=web.max_articles
    )
    templates = Jinja2Templates(directory=str(HERE / "templates"))

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> Any:
        if web.preload:
            runner.preload()
        yield
        runner.shutdown()

    app = FastAPI(
        title="newsbrief",
        version=__version__,
        summary="Many news articles about one story in, one cited briefing out.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.runner = runner
    app.state.settings = settings
    app.state.web = web
    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")

    # -- errors: one shape

    def failure(
        request: Request, status: int, message: str, errors: list[Any] | None = None, **extra: Any
    ) -> Response:
        if _wants_json(request):
            return _error_json(status, message, errors, **extra)
        return templates.TemplateResponse(
            request,
            "error.html",
            {"status": status, "message": message, "errors": errors or []},
            status_code=status,
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        message = str(exc.detail) if exc.detail else "error"
        if exc.status_code == 404 and message == "Not Found":
            message = f"nothing at {request.url.path}"
        return failure(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = [{"loc": list(e.get("loc", ())), "msg": e.get("msg", "")} for e in exc.errors()]
        summary = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in errors)
        return failure(request, 422, f"invalid request: {summary}", errors)

    @app.exception_handler(NewsbriefError)
    async def newsbrief_error(request: Request, exc: NewsbriefError) -> Response:
        return failure(request, _status_of(exc), str(exc))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception) -> Response:
        logger.exception("unhandled error on %s", request.url.path)
        return failure(request, 500, f"internal error ({type(exc).__name__}); see the server log")

    # -- helpers

    def story_json(name: str, *, with_briefing: bool = False) -> dict[str, Any]:
        """A story with its articles, newest briefing (its data too if ``with_briefing``) and jobs."""
        info = store.story(name)
        record = store.latest_briefing(name, settings, parse=with_briefing)
        active = runner.active_for(name)
        last = runner.last_for(name)
        return {
            "story": asdict(info),
            "articles": [asdict(a) for a in store.saved_articles(name)],
            "briefing": None
            if record is None
            else {
                "current": record.current,
                "created_at": record.created_at,
                "seconds": record.seconds,
                "fingerprint": record.fingerprint,
                "url": f"/api/stories/{name}/briefing",
                **({"data": record.briefing} if with_briefing else {}),
            },
            "job": active.as_json() if active else None,
            "last_job": last.as_json() if last and not active else None,
        }

    def start_jobs(name: str, sub: Submission, added: int) -> Job | None:
        if sub.urls:
            return runner.submit_fetch(name, sub.urls, brief=sub.brief)
        if not sub.brief or not store.story(name).articles:
            return None
        if added or store.latest_briefing(name, settings) is None:
            return runner.submit_brief(name)
        return None

    def add_result_json(result: Any) -> dict[str, Any]:
        return {
            "added": [asdict(a) for a in result.added],
            "duplicates": [asdict(a) for a in result.duplicates],
            "diagnostics": [diagnostic_json(d) for d in result.diagnostics],
        }

    async def create_from(sub: Submission) -> tuple[str, dict[str, Any], Job | None]:
        name = sub.name if is_valid_story_name(sub.name) else slugify(sub.name or sub.title or "")
        if not name:
            raise InputError("give the story a name (letters, digits, '-' or '_')")
        if not sub.documents and not sub.urls:
            raise InputError("a new story needs at least one article: upload files, paste text or give URLs")
        if not sub.urls and not any(isinstance(d, RawDocument) for d in sub.documents):
            problems = "; ".join(f"{d.code} {d.message}" for d in sub.documents if isinstance(d, Diagnostic))
            raise InputError(f"no article could be read, so no story was created: {problems}")
        await asyncio.to_thread(store.create_story, name, sub.title)
        result = await asyncio.to_thread(
            store.add_documents, name, sub.documents, settings, max_articles=web.max_articles
        )
        job = start_jobs(name, sub, len(result.added))
        return name, add_result_json(result), job

    async def add_to(name: str, sub: Submission) -> tuple[dict[str, Any], Job | None]:
        info = await asyncio.to_thread(store.story, name)
        incoming = len(sub.documents) + len(sub.urls)
        if not incoming:
            raise InputError("nothing to add: upload files, paste text or give URLs")
        documents = sum(1 for d in sub.documents if isinstance(d, RawDocument))
        if info.articles + documents > web.max_articles:
            raise LimitError(
                f"story {name!r} has {info.articles} articles; adding {documents} would pass the limit of "
                f"{web.max_articles}"
            )
        result = await asyncio.to_thread(
            store.add_documents, name, sub.documents, settings, max_articles=web.max_articles
        )
        return add_result_json(result), start_jobs(name, sub, len(result.added))

    async def wait_job(job: Job | None, seconds: float) -> None:
        if job is None or job.future is None or seconds <= 0:
            return
        with suppress(TimeoutError):
            await asyncio.wait_for(
                asyncio.shield(asyncio.wrap_future(job.future)), min(seconds, MAX_WAIT_SECONDS)
            )

    bodies: OrderedDict[tuple[str, str], str] = OrderedDict()
    bodies_lock = threading.Lock()

    def rendered_body(name: str, created_at: str, briefing: dict[str, Any]) -> str:
        """The report fragment of a stored briefing, rendered once (briefings never change once stored)."""
        key = (name, created_at)
        with bodies_lock:
            if key in bodies:
                bodies.move_to_end(key)
                return bodies[key]
        body = render_body(briefing)
        with bodies_lock:
            bodies[key] = body
            while len(bodies) > RENDERED_CACHE:
                bodies.popitem(last=False)
        return body

    # -- static assets generated from the report module (one source for the file and the pages)

    @app.get("/assets/report.css", include_in_schema=False)
    def report_css() -> Response:
        return Response(CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})

    @app.get("/assets/report.js", include_in_schema=False)
    def report_js() -> Response:
        return Response(SCRIPT, media_type="text/javascript", headers={"Cache-Control": "max-age=3600"})

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, Any]:
        # briefings_run: pipeline runs actually computed (not joined, not served from the store).
        return {"ok": True, "version": __version__, "briefings_run": runner.runs}

    # -- pages (each with a JSON twin)

    def page(request: Request, template: str, data: dict[str, Any], twin: bool, **extra: Any) -> Response:
        if twin or _wants_json(request):
            return JSONResponse({"ok": True, **data})
        return templates.TemplateResponse(request, template, {**data, **extra, "version": __version__})

    @app.get("/", include_in_schema=False)
    @app.get("/stories", include_in_schema=False)
    @app.get("/stories.json", include_in_schema=False)
    @app.get("/index.json", include_in_schema=False)
    def index(request: Request) -> Response:
        twin = request.url.path.endswith(".json")
        stories = []
        for info in store.stories():
            active = runner.active_for(info.name)
            stories.append({**asdict(info), "job": active.as_json() if active else None})
        if web.token and request.query_params.get("token") and not twin:
            response = RedirectResponse("/", status_code=303)
            response.set_cookie(TOKEN_COOKIE, request.query_params["token"], httponly=True, samesite="strict")
            return response
        return page(request, "index.html", {"stories": stories}, twin)

    def limits() -> dict[str, Any]:
        return {
            "max_upload_bytes": web.max_upload_bytes,
            "max_articles": web.max_articles,
            "max_urls": web.max_urls,
            "allow_private_urls": settings.ingest.allow_private,
        }

    @app.get("/new", include_in_schema=False)
    @app.get("/new.json", include_in_schema=False)
    def new_story(request: Request) -> Response:
        fields = ["name", "title", "files", "text", "urls"]
        return page(
            request, "new.html", {"fields": fields, "limits": limits()}, request.url.path.endswith(".json")
        )

    @app.post("/stories", include_in_schema=False)
    async def create_story_form(request: Request) -> Response:
        sub = await read_submission(request, web, settings)
        name, _, _ = await create_from(sub)
        return RedirectResponse(f"/stories/{name}", status_code=303)

    @app.get("/stories/{name}", include_in_schema=False)
    def story_page(request: Request, name: str) -> Response:
        name, twin = _twin(name)
        data = story_json(name, with_briefing=True)
        if twin or _wants_json(request):
            return JSONResponse({"ok": True, **data})
        briefing = data["briefing"]
        body = rendered_body(name, briefing["created_at"], briefing["data"]) if briefing else ""
        return templates.TemplateResponse(
            request,
            "story.html",
            {
                **data,
                "name": name,
                "body": body,
                "refresh": REFRESH_SECONDS if data["job"] else None,
                "limits": limits(),
                "version": __version__,
            },
        )

    @app.get("/stories/{name}/articles/{article_id}", include_in_schema=False)
    def article_page(request: Request, name: str, article_id: str) -> Response:
        article_id, twin = _twin(article_id)
        record = store.latest_briefing(name, settings)
        if record is None:
            raise StoryNotFound(f"story {name!r} has no briefing yet")
        article = next((a for a in record.briefing.get("articles", []) if a["id"] == article_id), None)
        if article is None:
            raise StarletteHTTPException(404, f"story {name!r} has no article {article_id!r}")
        highlight = None
        match = re.fullmatch(r"(\d+)-(\d+)", request.query_params.get("hl", ""))
        if match:
            highlight = (int(match.group(1)), int(match.group(2)))
        if twin or _wants_json(request):
            return JSONResponse({"ok": True, "story": name, "article": article, "highlight": highlight})
        html = render_article(article, highlight=highlight, open_text=True, heading="h1")
        return templates.TemplateResponse(
            request, "article.html", {"name": name, "article": article, "body": html, "version": __version__}
        )

    @app.post("/stories/{name}/add", include_in_schema=False)
    async def add_form(request: Request, name: str) -> Response:
        sub = await read_submission(request, web, settings)
        await add_to(name, sub)
        return RedirectResponse(f"/stories/{name}", status_code=303)

    @app.post("/stories/{name}/brief", include_in_schema=False)
    def brief_form(request: Request, name: str) -> Response:
        store.story(name)
        runner.submit_brief(name, force=True)
        return RedirectResponse(f"/stories/{name}", status_code=303)

    @app.post("/stories/{name}/remove/{article_hash}", include_in_schema=False)
    def remove_form(request: Request, name: str, article_hash: str) -> Response:
        store.remove_article(name, article_hash)
        if store.story(name).articles:
            runner.submit_brief(name)
        return RedirectResponse(f"/stories/{name}", status_code=303)

    @app.post("/stories/{name}/delete", include_in_schema=False)
    def delete_form(request: Request, name: str) -> Response:
        store.delete_story(name)
        return RedirectResponse("/", status_code=303)

    @app.get("/docs", include_in_schema=False)
    @app.get("/docs.json", include_in_schema=False)
    def docs(request: Request) -> Response:
        schema = app.openapi()
        if request.url.path.endswith(".json") or _wants_json(request):
            return JSONResponse(schema)
        operations = [
            {
                "method": method.upper(),
                "path": path,
                "summary": op.get("summary", ""),
                "description": op.get("description", ""),
                "params": op.get("parameters", []),
            }
            for path, methods in schema.get("paths", {}).items()
            for method, op in methods.items()
        ]
        return templates.TemplateResponse(
            request, "docs.html", {"operations": operations, "version": __version__, "limits": limits()}
        )

    # -- the API

    submission_body = {
        "requestBody": {
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string", "pattern": "^[a-z0-9][a-z0-9_-]{0,63}$"},
                            "title": {"type": "string"},
                            "documents": {
                                "type": "array",
                                "items": {
                                    "type": "object",
                                    "properties": {
                                        k: {"type": "string"}
                                        for k in ("text", "html", "url", "title", "date", "outlet", "source")
                                    },
                                },
                            },
                            "texts": {"type": "array", "items": {"type": "string"}},
                            "urls": {"type": "array", "items": {"type": "string", "format": "uri"}},
                            "brief": {"type": "boolean", "default": True},
                        },
                    }
                },
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "properties": {
                            "name": {"type": "string"},
                            "title": {"type": "string"},
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}},
                            "text": {"type": "string"},
                            "urls": {"type": "string", "description": "one URL per line"},
                        },
                    }
                },
            }
        }
    }

    @app.get("/api/stories", tags=["stories"], summary="List stories")
    def api_stories() -> dict[str, Any]:
        return {"ok": True, "stories": [asdict(s) for s in store.stories()]}

    @app.post(
        "/api/stories",
        tags=["stories"],
        summary="Create a story from documents, texts or URLs",
        status_code=201,
        openapi_extra=submission_body,
    )
    async def api_create(request: Request) -> JSONResponse:
        """Creates the story and adds the articles; a briefing job starts (URLs are fetched by that job)."""
        sub = await read_submission(request, web, settings)
        name, added, job = await create_from(sub)
        info = await asyncio.to_thread(store.story, name)
        return JSONResponse(
            {"ok": True, "story": asdict(info), **added, "job": job.as_json() if job else None},
            status_code=201,
            headers={"Location": f"/api/stories/{name}"},
        )

    @app.get("/api/stories/{name}", tags=["stories"], summary="A story: its articles, briefing and job")
    def api_story(name: str) -> dict[str, Any]:
        return {"ok": True, **story_json(name)}

    @app.delete("/api/stories/{name}", tags=["stories"], summary="Delete a story and its briefings")
    def api_delete(name: str) -> dict[str, Any]:
        store.delete_story(name)
        return {"ok": True, "deleted": name}

    @app.post(
        "/api/stories/{name}/articles",
        tags=["articles"],
        summary="Add articles to a story",
        openapi_extra=submission_body,
    )
    async def api_add(request: Request, name: str) -> JSONResponse:
        """Same body as creating a story (``name`` is ignored). A briefing job starts when anything was added."""
        sub = await read_submission(request, web, settings)
        added, job = await add_to(name, sub)
        return JSONResponse({"ok": True, "story": name, **added, "job": job.as_json() if job else None})

    @app.delete(
        "/api/stories/{name}/articles/{article_hash}",
        tags=["articles"],
        summary="Remove an article (by hash or a unique prefix of 6+ characters)",
    )
    def api_remove(name: str, article_hash: str) -> dict[str, Any]:
        removed = store.remove_article(name, article_hash)
        job = runner.submit_brief(name) if store.story(name).articles else None
        return {"ok": True, "removed": asdict(removed), "job": job.as_json() if job else None}

    @app.post("/api/stories/{name}/brief", tags=["briefings"], summary="Brief the story (in the background)")
    async def api_brief(name: str, force: bool = False, wait: float = 0.0) -> JSONResponse:
        """Starts (or joins) a briefing job. With ``wait`` (seconds, at most 60) the request waits that long
        for it: 200 when the job finished, 202 with the job to poll otherwise."""
        await asyncio.to_thread(store.story, name)
        job = await asyncio.to_thread(runner.submit_brief, name, force=force)
        await wait_job(job, wait)
        if job.status == "failed":
            return _error_json(500, f"briefing failed: {job.error}", job=job.as_json())
        done = job.status == "done"
        return JSONResponse(
            {"ok": True, "job": job.as_json(), "briefing_url": f"/api/stories/{name}/briefing"},
            status_code=200 if done else 202,
            headers=None if done else {"Location": job.as_json()["url"], "Retry-After": "1"},
        )

    @app.get("/api/jobs/{job_id}", tags=["briefings"], summary="Status of a background job")
    def api_job(job_id: str) -> dict[str, Any]:
        job = runner.get(job_id)
        if job is None:
            raise StarletteHTTPException(404, f"no job {job_id!r} (jobs are kept in memory until a restart)")
        return {"ok": True, "job": job.as_json()}

    @app.get(
        "/api/stories/{name}/briefing",
        tags=["briefings"],
        summary="The briefing: JSON (the newsbrief.briefing/1 contract), Markdown or HTML",
    )
    @app.get("/api/stories/{name}/briefing.{fmt}", tags=["briefings"], summary="The briefing in one format")
    def api_briefing(request: Request, name: str, fmt: str = "", format: str = "") -> Response:
        """The newest briefing. ``X-Newsbrief-Current: false`` says articles or settings changed since; a job
        may be refreshing it (``POST .../brief``). 404 when the story was never briefed."""
        kind = (fmt or format or "json").lower()
        if kind not in ("json", "md", "markdown", "html"):
            raise InputError(f"unknown format {kind!r}: use json, md or html")
        record = store.latest_briefing(name, settings, parse=kind != "json")
        if record is None:
            active = runner.active_for(name)
            return _error_json(
                404,
                f"story {name!r} has no briefing yet"
                + ("; one is being built" if active else f"; POST /api/stories/{name}/brief"),
                job=active.as_json() if active else None,
            )
        headers = {
            "X-Newsbrief-Current": "true" if record.current else "false",
            "X-Newsbrief-Briefed-At": record.created_at,
        }
        if kind == "json":  # sent as stored: no parse and dump per request
            return Response(record.text, media_type="application/json", headers=headers)
        if kind in ("md", "markdown"):
            return PlainTextResponse(
                to_markdown(record.briefing), media_type="text/markdown; charset=utf-8", headers=headers
            )
        return HTMLResponse(
            report_html(record.briefing), headers={**headers, "Content-Security-Policy": REPORT_CSP}
        )

    return Guard(app, web)
