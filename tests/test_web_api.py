"""The HTTP API against a real uvicorn server on 127.0.0.1 (a subprocess), plus URL fetching in-process."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
TOKEN = "test-token-1234"
MAX_UPLOAD = 400_000
MAX_ARTICLES = 8
ARTICLE = (
    "LAKEVIEW, May 2, 2022 - Lakeview's water utility lifted a boil-water notice on Monday after tests found "
    "the supply safe, officials said.\n\nThe notice was issued last Thursday when a main broke near the "
    "treatment plant. Utility director Sam Patel said crews replaced 40 metres of pipe overnight."
)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(db: Path, log: Path, *extra: str) -> tuple[subprocess.Popen[bytes], str]:
    """``python -m newsbrief.web`` on a free port; returns the process and its base URL once it answers."""
    port = _free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("NEWSBRIEF_TOKEN", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "newsbrief.web", "--port", str(port), "--db", str(db), *extra],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()}")
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError(f"server did not start: {log.read_text()}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("api")
    process, base = start_server(
        folder / "api.db",
        folder / "server.log",
        "--token",
        TOKEN,
        "--max-upload-bytes",
        str(MAX_UPLOAD),
        "--max-articles",
        str(MAX_ARTICLES),
    )
    yield base
    stop_server(process)


@pytest.fixture(scope="module")
def client(server: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=90) as c:
        yield c


@pytest.fixture(scope="module")
def seeds_story(client: httpx.Client) -> dict[str, Any]:
    """The seeds uploaded as files into story ``seeds``, briefed (the job polled to the end)."""
    files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS]
    response = client.post("/api/stories", data={"name": "seeds"}, files=files)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    created["job"] = wait_job(client, created["job"]["id"])
    return created


def wait_job(client: httpx.Client, job_id: str, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job: dict[str, Any] = client.get(f"/api/jobs/{job_id}").json()["job"]
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.2)
    raise AssertionError(f"job {job_id} still running after {timeout} s")


def assert_error_shape(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    body: dict[str, Any] = response.json()
    assert body["ok"] is False and body["status"] == status
    assert isinstance(body["error"], str) and body["error"]
    assert isinstance(body["errors"], list)
    return body


def test_web_api_token_required(server: str) -> None:
    assert httpx.get(f"{server}/healthz").status_code == 200  # liveness needs no token
    for path in ("/api/stories", "/stories", "/openapi.json"):
        body = assert_error_shape(httpx.get(f"{server}{path}", headers={"Accept": "application/json"}), 401)
        assert "token" in body["error"]
    wrong = httpx.get(f"{server}/api/stories", headers={"Authorization": "Bearer nope"})
    assert_error_shape(wrong, 401)
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert httpx.get(f"{server}/api/stories", headers={"X-Newsbrief-Token": TOKEN}).status_code == 200
    # A browser opens /?token=... once; the token then lives in an HttpOnly cookie.
    with httpx.Client(base_url=server, headers={"Accept": "text/html"}) as browser:
        first = browser.get("/", params={"token": TOKEN})
        assert first.status_code == 303 and "httponly" in first.headers["set-cookie"].lower()
        assert browser.get("/new").status_code == 200


def test_web_api_create_and_fetch_briefing(client: httpx.Client, seeds_story: dict[str, Any]) -> None:
    import jsonschema

    from newsbrief.schema import __file__ as schema_init

    assert seeds_story["story"]["name"] == "seeds"
    assert [a["source"] for a in seeds_story["added"]] == [f"upload:{p.name}" for p in SEEDS]
    assert seeds_story["job"]["status"] == "done", seeds_story["job"]
    briefing = client.get("/api/stories/seeds/briefing")
    assert briefing.status_code == 200
    assert briefing.headers["x-newsbrief-current"] == "true"
    data = briefing.json()
    schema = json.loads((Path(schema_init).parent / "briefing-1.json").read_text())
    jsonschema.validate(data, schema)
    assert data["schema"] == "newsbrief.briefing/1" and len(data["articles"]) == len(SEEDS)
    markdown = client.get("/api/stories/seeds/briefing.md")
    assert markdown.headers["content-type"].startswith("text/markdown")
    assert markdown.text.startswith("# ")
    page = client.get("/api/stories/seeds/briefing", params={"format": "html"})
    assert (
        page.text.startswith("<!doctype html>") and "unsafe-inline" in page.headers["content-security-policy"]
    )
    story = client.get("/api/stories/seeds").json()
    assert story["briefing"]["current"] and len(story["articles"]) == len(SEEDS)
    assert "seeds" in [s["name"] for s in client.get("/api/stories").json()["stories"]]


def test_web_api_add_rebrief_and_remove(client: httpx.Client, seeds_story: dict[str, Any]) -> None:
    before = client.get("/api/stories/seeds/briefing").json()
    added = client.post(
        "/api/stories/seeds/articles",
        json={"documents": [{"text": ARTICLE, "outlet": "Lakeview Ledger", "source": "ledger"}]},
    )
    assert added.status_code == 200, added.text
    body = added.json()
    assert len(body["added"]) == 1 and body["job"] is not None
    done = client.post("/api/stories/seeds/brief", params={"wait": 60})
    assert done.status_code == 200 and done.json()["job"]["status"] == "done"
    after = client.get("/api/stories/seeds/briefing").json()
    assert len(after["articles"]) == len(before["articles"]) + 1
    assert after["articles"][-1]["outlet"] == "Lakeview Ledger"
    # The same article again is a duplicate, stored once.
    again = client.post("/api/stories/seeds/articles", json={"texts": [ARTICLE]}).json()
    assert again["added"] == [] and len(again["duplicates"]) == 1
    removed = client.delete(f"/api/stories/seeds/articles/{body['added'][0]['hash'][:10]}")
    assert removed.status_code == 200 and removed.json()["job"] is not None
    wait_job(client, removed.json()["job"]["id"])
    final = client.get("/api/stories/seeds/briefing").json()
    assert [a["text"] for a in final["articles"]] == [a["text"] for a in before["articles"]]


def test_web_api_briefing_runs_in_background(client: httpx.Client, seeds_story: dict[str, Any]) -> None:
    started = time.monotonic()
    response = client.post("/api/stories/seeds/brief", params={"force": "true"})
    assert time.monotonic() - started < 2.0  # the request returns at once; the job does the work
    assert response.status_code in (200, 202)
    job = response.json()["job"]
    if response.status_code == 202:
        assert response.headers["location"] == f"/api/jobs/{job['id']}"
    assert wait_job(client, job["id"])["status"] == "done"
    # Concurrent requests on the same inputs join one job.
    joined = {
        client.post("/api/stories/seeds/brief", params={"force": "true"}).json()["job"]["id"]
        for _ in range(3)
    }
    assert len(joined) == 1


def test_web_api_error_shape(client: httpx.Client, seeds_story: dict[str, Any]) -> None:
    assert_error_shape(client.get("/api/stories/nope"), 404)
    assert_error_shape(client.get("/api/stories/nope/briefing"), 404)
    assert_error_shape(client.get("/api/nothing-here"), 404)
    assert_error_shape(client.get("/api/jobs/unknown"), 404)
    assert_error_shape(client.post("/api/stories/seeds/brief", params={"wait": "soon"}), 422)
    assert_error_shape(client.put("/api/stories"), 405)
    bad_json = client.post("/api/stories", content=b"{not json", headers={"Content-Type": "application/json"})
    assert "JSON" in assert_error_shape(bad_json, 400)["error"]
    assert_error_shape(client.post("/api/stories", json={"name": "x", "documents": [{"url": "u"}]}), 400)
    assert_error_shape(client.post("/api/stories", json={"name": "seeds", "texts": [ARTICLE]}), 409)
    assert_error_shape(client.post("/api/stories", json={"name": "empty"}), 400)
    unreadable = client.post(
        "/api/stories", data={"name": "unreadable"}, files=[("files", ("e.txt", b"\x00\x01" * 50))]
    )
    message = assert_error_shape(unreadable, 400)["error"]
    assert "E-BINARY upload:e.txt" in message and "newsbrief-upload" not in message  # no temporary path
    assert client.get("/api/stories/unreadable").status_code == 404
    assert_error_shape(client.get("/api/stories/seeds/briefing.pdf"), 400)
    # HTML pages answer errors as pages, their JSON twins in the one shape.
    page = client.get("/stories/nope", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<h1>Error 404</h1>" in page.text
    assert_error_shape(client.get("/stories/nope.json"), 404)


def test_web_api_oversize_upload_413(client: httpx.Client, server: str) -> None:
    big = b"word " * (MAX_UPLOAD // 5 + 1000)
    body = assert_error_shape(
        client.post("/api/stories", data={"name": "big"}, files=[("files", ("big.txt", big, "text/plain"))]),
        413,
    )
    assert f"{MAX_UPLOAD:,}" in body["error"]

    # Without a Content-Length (chunked), the limit is enforced while the body streams in.
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b'{"name": "big", "texts": ["' + b"x" * 50_000

    streamed = client.post("/api/stories", content=chunks(), headers={"Content-Type": "application/json"})
    assert_error_shape(streamed, 413)
    too_many = [{"text": f"{ARTICLE} Item {n}.", "source": f"s{n}"} for n in range(MAX_ARTICLES + 1)]
    count = assert_error_shape(client.post("/api/stories", json={"name": "many", "documents": too_many}), 413)
    assert str(MAX_ARTICLES) in count["error"]
    assert client.get("/api/stories/big").status_code == 404  # nothing half-created


def test_web_api_uploaded_markup_is_never_rendered(client: httpx.Client) -> None:
    text = (
        "RIVERTON, May 3, 2022 - The council website showed the words <script>alert(1)</script> and "
        "<img src=x onerror=alert(2)> for an hour on Monday after a faulty update, officials said.\n\n"
        "Officials said no visitor data was exposed and the page was fixed the same afternoon."
    )
    page = (
        "<html><body><article><p>"
        + text.replace("<", "&lt;")
        + "</p><script>alert(3)</script></article></body></html>"
    )
    created = client.post(
        "/api/stories",
        data={"name": "markup"},
        files=[
            ("files", ("note.txt", text.encode(), "text/plain")),
            ("files", ("page.html", page.encode(), "text/html")),
        ],
    )
    assert created.status_code == 201, created.text
    wait_job(client, created.json()["job"]["id"])
    html_page = client.get("/stories/markup", headers={"Accept": "text/html"}).text
    report = client.get("/api/stories/markup/briefing.html").text
    for body in (html_page, report):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
        assert "<script>alert" not in body and "<img src=x" not in body and "alert(3)" not in body


def test_web_api_private_urls_refused(client: httpx.Client) -> None:
    for url in (
        "http://127.0.0.1:8080/admin",
        "http://169.254.169.254/latest/meta-data",
        "http://10.1.2.3/",
        "http://[::1]/",
        "http://localhost/x",
        "file:///etc/passwd",
    ):
        body = assert_error_shape(client.post("/api/stories", json={"name": "ssrf", "urls": [url]}), 400)
        assert "E-URL-BLOCKED" in body["error"], url


def test_web_api_host_and_origin_checks(server: str) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    rebound = httpx.get(f"{server}/api/stories", headers={**headers, "Host": "attacker.example"})
    assert_error_shape(rebound, 400)
    cross = httpx.post(
        f"{server}/api/stories", json={"name": "x"}, headers={**headers, "Origin": "https://attacker.example"}
    )
    assert_error_shape(cross, 403)


def test_web_api_openapi_docs_and_json_twins(client: httpx.Client, seeds_story: dict[str, Any]) -> None:
    schema = client.get("/openapi.json").json()
    for path in (
        "/api/stories",
        "/api/stories/{name}/articles",
        "/api/stories/{name}/brief",
        "/api/jobs/{job_id}",
        "/api/stories/{name}/briefing",
    ):
        assert path in schema["paths"], path
    docs = client.get("/docs", headers={"Accept": "text/html"})
    assert docs.status_code == 200 and "/api/stories/{name}/brief" in docs.text
    assert "cdn" not in docs.text.lower()
    for page in ("/", "/new", "/stories/seeds", "/stories/seeds/articles/a1"):
        html_page = client.get(page, headers={"Accept": "text/html"})
        assert html_page.status_code == 200 and html_page.headers["content-type"].startswith("text/html")
        assert "script-src 'self'" in html_page.headers["content-security-policy"]
        twin = page.rstrip("/") + ".json" if page != "/" else "/stories.json"
        for response in (client.get(twin), client.get(page, headers={"Accept": "application/json"})):
            assert response.status_code == 200 and response.json()["ok"] is True, (page, response.text)
    story = client.get("/stories/seeds.json").json()
    assert story["briefing"]["data"]["schema"] == "newsbrief.briefing/1"


def test_web_api_bind_needs_token(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    env.pop("NEWSBRIEF_TOKEN", None)
    result = subprocess.run(
        [sys.executable, "-m", "newsbrief.web", "--host", "0.0.0.0", "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 2 and "token" in result.stderr


# --- URL fetching through an injected transport (no network): in-process app -----------------------------

PAGE = (
    "<html><head><title>Pipe repaired</title></head><body><article><h1>Pipe repaired</h1>"
    + "".join(f"<p>{para}</p>" for para in ARTICLE.split("\n\n"))
    + "</article></body></html>"
)


def _mock_web(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/news/pipe":
        return httpx.Response(200, text=PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
    if request.url.path == "/redirect":
        return httpx.Response(302, headers={"Location": "http://10.0.0.7/internal"})
    return httpx.Response(404)


def test_web_api_fetches_urls_in_background_and_guards_redirects(tmp_path: Path) -> None:
    from newsbrief.store import Store
    from newsbrief.web.app import WebSettings, create_app

    store = Store(tmp_path / "fetch.db")
    app = create_app(web=WebSettings(preload=False), store=store, transport=httpx.MockTransport(_mock_web))

    async def run() -> tuple[httpx.Response, dict[str, Any]]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            created = await client.post(
                "/api/stories",
                json={
                    "name": "fetched",
                    "urls": ["https://news.example/news/pipe", "https://news.example/redirect"],
                    "brief": False,
                },
            )
            job = created.json()["job"]
            for _ in range(300):
                job = (await client.get(f"/api/jobs/{job['id']}")).json()["job"]
                if job["status"] in ("done", "failed"):
                    break
                await asyncio.sleep(0.1)
            return created, job

    created, job = asyncio.run(run())
    assert created.status_code == 201 and job["kind"] == "fetch"
    assert job["status"] == "done", job
    assert len(job["added"]) == 1
    refused = [d for d in job["diagnostics"] if "10.0.0.7" in d["message"]]
    assert refused and refused[0]["code"] == "E-URL-BLOCKED"
    saved = store.articles("fetched")
    assert [a.url for a in saved] == ["https://news.example/news/pipe"]
    assert "boil-water notice" in saved[0].text
