"""The web app under load: 50 concurrent briefing requests for the seeds story, against a real server.

A server (``python -m newsbrief.web``, uvicorn, one worker thread, a fresh SQLite file) runs in a subprocess
on 127.0.0.1. The seeds (``examples/seeds``, in the repository: no eval data is needed) are uploaded as a
story and briefed once. Then, with 50 clients at the same time:

1. ``brief``: ``POST /api/stories/seeds/brief?force=true&wait=60`` then ``GET /api/stories/seeds/briefing``
   (a forced re-briefing: the server must brief, and concurrent requests on the same inputs join one job);
2. ``get-json``: ``GET /api/stories/seeds/briefing`` (the stored briefing);
3. ``get-page``: ``GET /stories/seeds`` (the HTML briefing page);
4. ``distinct``: ``--distinct`` clients (default 10) each create their own story from the seeds, each
   article with one added line of its own, and wait for its briefing: nothing can be shared (other stories,
   other content hashes, so no cached analysis), the worst case; the jobs queue on the one worker.

A request succeeds when it answers 200 and, for briefings, the body is a ``newsbrief.briefing/1`` object with
every seed article. Latency is per client, from its first request to its last response. Peak memory is the
server process's ``VmHWM`` (peak resident set, spaCy model included), read from ``/proc/<pid>/status``.

Baseline, side by side: one cold ``newsbrief brief examples/seeds --format json`` (a CLI process per request,
what a naive service would do), and one warm in-process ``build_story`` + ``to_json`` (the work of one
briefing with the model loaded), both measured in this run on the same data.

Run: ``python benchmarks/web.py [--clients 50] [--distinct 10]``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import print_table

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "examples" / "seeds").glob("*.txt"))
SCHEMA = "newsbrief.briefing/1"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _hwm_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def _is_briefing(response: Any) -> bool:
    if response.status_code != 200:
        return False
    body = response.json()
    return bool(body.get("schema") == SCHEMA and len(body.get("articles", [])) == len(SEEDS))


async def _run_clients(n: int, one: Callable[[int], Awaitable[bool]]) -> tuple[list[float], int, float]:
    async def timed(i: int) -> tuple[float, bool]:
        start = time.perf_counter()
        try:
            ok = await one(i)
        except Exception as exc:  # a failed request counts as a failure, with its reason shown
            print(f"  client {i}: {type(exc).__name__}: {exc}", file=sys.stderr)
            ok = False
        return time.perf_counter() - start, ok

    start = time.perf_counter()
    results = await asyncio.gather(*(timed(i) for i in range(n)))
    wall = time.perf_counter() - start
    return [r[0] for r in results], sum(1 for r in results if r[1]), wall


async def _scenarios(base: str, clients: int, distinct: int, pid: int) -> list[list[object]]:
    import httpx

    rows: list[list[object]] = []
    limits = httpx.Limits(max_connections=clients + distinct, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, timeout=300, limits=limits) as client:

        async def runs() -> int:
            value: int = (await client.get("/healthz")).json()["briefings_run"]
            return value

        async def wait_job(job: dict[str, Any]) -> None:
            while job["status"] not in ("done", "failed"):
                await asyncio.sleep(0.2)
                job = (await client.get(job["url"])).json()["job"]

        async def brief(_: int) -> bool:
            response = await client.post("/api/stories/seeds/brief", params={"force": "true", "wait": 60})
            if response.status_code == 202:
                await wait_job(response.json()["job"])
            elif response.status_code != 200:
                return False
            return _is_briefing(await client.get("/api/stories/seeds/briefing"))

        async def get_json(_: int) -> bool:
            return _is_briefing(await client.get("/api/stories/seeds/briefing"))

        async def get_page(_: int) -> bool:
            response = await client.get("/stories/seeds", headers={"Accept": "text/html"})
            return response.status_code == 200 and 'id="briefing"' in response.text

        files = [(p.name, p.read_bytes()) for p in SEEDS]

        async def own_story(i: int) -> bool:
            # A line of its own in every article makes new content hashes: no cached analysis applies.
            note = f"\n\nThis copy was made for load test number {i}.\n".encode()
            created = await client.post(
                "/api/stories",
                data={"name": f"seeds-{i}"},
                files=[("files", (name, data + note, "text/plain")) for name, data in files],
            )
            if created.status_code != 201:
                return False
            await wait_job(created.json()["job"])
            return _is_briefing(await client.get(f"/api/stories/seeds-{i}/briefing"))

        scenarios: list[tuple[str, int, Callable[[int], Awaitable[bool]]]] = [
            ("brief (forced re-brief, shared)", clients, brief),
            ("get-json (stored briefing)", clients, get_json),
            ("get-page (HTML briefing page)", clients, get_page),
        ]
        if distinct:
            scenarios.append((f"distinct ({distinct} new stories)", distinct, own_story))
        for name, n, fn in scenarios:
            before = await runs()
            latencies, ok, wall = await _run_clients(n, fn)
            rows.append(
                [
                    name,
                    n,
                    f"{ok}/{n}",
                    statistics.median(latencies),
                    _percentile(latencies, 0.95),
                    max(latencies),
                    wall,
                    await runs() - before,
                    _hwm_mib(pid),
                ]
            )
    return rows


def _baselines() -> list[list[object]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "newsbrief.cli",
            "brief",
            str(ROOT / "examples" / "seeds"),
            "--format",
            "json",
            "--no-progress",
        ],
        capture_output=True,
        env=env,
        check=False,
    )
    cold = time.perf_counter() - start
    if done.returncode != 0:
        print(done.stderr.decode(errors="replace"), file=sys.stderr)
    from newsbrief.briefing import build_story
    from newsbrief.nlp import load_nlp
    from newsbrief.render import to_json

    load_nlp()
    build_story(SEEDS, progress=False)  # warm-up
    start = time.perf_counter()
    to_json(build_story(SEEDS, progress=False))
    warm = time.perf_counter() - start
    return [
        [
            "baseline: CLI process per request (cold)",
            1,
            "1/1" if done.returncode == 0 else "0/1",
            cold,
            cold,
            cold,
            cold,
            1,
            float("nan"),
        ],
        ["baseline: one in-process briefing (warm)", 1, "1/1", warm, warm, warm, warm, 1, float("nan")],
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--distinct", type=int, default=10)
    args = parser.parse_args()
    try:
        import fastapi  # noqa: F401
        import httpx
        import uvicorn  # noqa: F401
    except ImportError:
        print("skipped: the web extra is not installed (pip install -e '.[web]')")
        return 0
    with tempfile.TemporaryDirectory(prefix="newsbrief-bench-") as folder:
        port = _free_port()
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", "")}
        env.pop("NEWSBRIEF_TOKEN", None)
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "newsbrief.web",
                "--port",
                str(port),
                "--db",
                str(Path(folder) / "bench.db"),
                "--log-level",
                "error",
            ],
            env=env,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            started = time.perf_counter()
            while True:
                try:
                    if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.TransportError:
                    if time.perf_counter() - started > 60:
                        raise
                    time.sleep(0.1)
            start = time.perf_counter()
            created = httpx.post(
                f"{base}/api/stories",
                data={"name": "seeds"},
                files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in SEEDS],
                timeout=60,
            ).json()
            job = created["job"]
            while job["status"] not in ("done", "failed"):
                time.sleep(0.1)
                job = httpx.get(f"{base}{job['url']}").json()["job"]
            first = time.perf_counter() - start
            print(
                f"server up; seeds story ({len(SEEDS)} articles) uploaded and first briefed in {first:.2f} s "
                f"(job {job['status']})"
            )
            rows = asyncio.run(_scenarios(base, args.clients, args.distinct, server.pid))
        finally:
            server.terminate()
            server.wait(timeout=30)
    rows += _baselines()
    print()
    print_table(
        [
            "scenario",
            "clients",
            "ok",
            "p50 s",
            "p95 s",
            "max s",
            "wall s",
            "pipeline runs",
            "server peak MiB",
        ],
        rows,
        floatfmt=".2f",
    )
    failed = [r for r in rows if str(r[2]).split("/")[0] != str(r[2]).split("/")[1]]
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
