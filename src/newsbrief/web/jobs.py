"""Background briefing jobs: a small thread pool, job records with a status, and de-duplication.

Briefing a story takes seconds (minutes for big ones), so web requests only submit a job and return; clients
poll ``/api/jobs/{id}`` or wait a bounded time. Jobs of one story are de-duplicated: a request joins a job
that is queued for that story, or one running on the same inputs (same fingerprint), instead of briefing the
same thing twice. The spaCy model is loaded once per process and shared by the workers.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

import httpx

from ..allocator import release_free_memory
from ..render import diagnostic_json
from ..settings import Settings
from ..store import Store, brief_story
from .safety import GuardedTransport

logger = logging.getLogger(__name__)

__all__ = ["Job", "JobRunner", "diagnostic_json"]

JobStatus = Literal["queued", "running", "done", "failed"]
# Finished jobs kept for the status endpoint; older ones are forgotten (their briefings stay stored).
KEEP_FINISHED_JOBS = 1000


# Not frozen: a job is a live status record that the worker thread updates while clients read it.
@dataclass(slots=True, kw_only=True, eq=False)
class Job:
    id: str
    story: str
    kind: Literal["brief", "fetch"]
    force: bool = False
    brief: bool = True
    urls: tuple[str, ...] = ()
    fingerprint: str | None = None
    status: JobStatus = "queued"
    created: float = field(default_factory=time.time)
    started: float | None = None
    finished: float | None = None
    error: str | None = None
    briefed_at: str | None = None
    seconds: float | None = None
    added: list[str] = field(default_factory=list)
    diagnostics: list[dict[str, Any]] = field(default_factory=list)
    future: Future[None] | None = field(default=None, repr=False)

    @property
    def active(self) -> bool:
        return self.status in ("queued", "running")

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "story": self.story,
            "kind": self.kind,
            "status": self.status,
            "created": self.created,
            "started": self.started,
            "finished": self.finished,
            "error": self.error,
            "briefed_at": self.briefed_at,
            "seconds": self.seconds,
            "urls": list(self.urls),
            "added": self.added,
            "diagnostics": self.diagnostics,
            "url": f"/api/jobs/{self.id}",
        }


class JobRunner:
    """Runs briefing and fetch jobs on ``workers`` threads against one :class:`Store`."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        workers: int = 1,
        transport: httpx.BaseTransport | None = None,
        max_articles: int | None = None,
    ) -> None:
        self.store = store
        self.settings = settings
        self.transport = transport
        self.max_articles = max_articles
        self._pool = ThreadPoolExecutor(max_workers=max(1, workers), thread_name_prefix="newsbrief-job")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self.runs = 0  # briefings actually computed (not joined, not served from the store)

    # -- public

    def preload(self) -> Future[Any]:
        """Load the spaCy model in the background so the first briefing does not wait for it."""
        from ..nlp import load_nlp

        return self._pool.submit(load_nlp, self.settings.nlp.model)

    def submit_brief(self, story: str, *, force: bool = False) -> Job:
        """A job that briefs ``story``; joins a queued job of the story or a running one on the same inputs."""
        fingerprint = self.store.fingerprint(story, self.settings)
        with self._lock:
            for job in reversed(self._jobs.values()):
                if job.story != story or not job.active:
                    continue
                if job.status == "queued":
                    job.force = job.force or force
                    return job
                if job.kind == "brief" and job.fingerprint == fingerprint:
                    return job
            job = Job(
                id=uuid.uuid4().hex[:12], story=story, kind="brief", force=force, fingerprint=fingerprint
            )
            self._add(job)
        job.future = self._pool.submit(self._run, job)
        return job

    def submit_fetch(self, story: str, urls: Sequence[str], *, brief: bool = True) -> Job:
        """A job that fetches ``urls`` into ``story`` and then (``brief``) briefs it."""
        job = Job(id=uuid.uuid4().hex[:12], story=story, kind="fetch", urls=tuple(urls), brief=brief)
        with self._lock:
            self._add(job)
        job.future = self._pool.submit(self._run, job)
        return job

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def active_for(self, story: str) -> Job | None:
        with self._lock:
            return next((j for j in reversed(self._jobs.values()) if j.story == story and j.active), None)

    def last_for(self, story: str) -> Job | None:
        with self._lock:
            return next((j for j in reversed(self._jobs.values()) if j.story == story), None)

    def shutdown(self, wait: bool = False) -> None:
        self._pool.shutdown(wait=wait, cancel_futures=True)

    # -- internals

    def _add(self, job: Job) -> None:
        self._jobs[job.id] = job
        finished = [k for k, j in self._jobs.items() if not j.active]
        for key in finished[: max(0, len(finished) - KEEP_FINISHED_JOBS)]:
            del self._jobs[key]

    def _run(self, job: Job) -> None:
        job.status = "running"
        job.started = time.time()
        try:
            if job.kind == "fetch":
                self._fetch(job)
            if job.brief and (job.kind == "brief" or self.store.story(job.story).articles):
                self._brief(job)
        except Exception as exc:
            logger.exception("job %s (%s of %s) failed", job.id, job.kind, job.story)
            job.error = str(exc) or type(exc).__name__
            job.status = "failed"
        else:
            job.status = "done"
        finally:
            job.finished = time.time()
            # a briefing's spaCy scratch arrays are freed by now: hand the pages back, so a server that
            # briefs story after story stays at the size of its largest job, not the sum of heap fragments
            release_free_memory()

    def _fetch(self, job: Job) -> None:
        from ..ingest import iter_documents

        guard = GuardedTransport(
            self.transport,
            allow_private=self.settings.ingest.allow_private,
            # A test transport never resolves names; literal addresses are still checked.
            resolve=self.transport is None,
        )
        result = self.store.add_documents(
            job.story,
            iter_documents(job.urls, self.settings.ingest, transport=guard),
            self.settings,
            max_articles=self.max_articles,
        )
        job.added = [a.hash for a in result.added]
        job.diagnostics = [diagnostic_json(d) for d in result.diagnostics]

    def _brief(self, job: Job) -> None:
        before = self.store.latest_briefing(job.story, self.settings)
        record = brief_story(self.store, job.story, self.settings, force=job.force)
        if before is None or record.created_at != before.created_at:
            with self._lock:
                self.runs += 1
        job.fingerprint = record.fingerprint
        job.briefed_at = record.created_at
        job.seconds = record.seconds


def wait_for(job: Job, timeout: float) -> bool:
    """Block up to ``timeout`` seconds for ``job`` to finish (threads only; async code awaits the future)."""
    if job.future is None:
        return not job.active
    try:
        job.future.result(timeout=timeout)
    except TimeoutError:
        return False
    except Exception:
        return True
    return True
