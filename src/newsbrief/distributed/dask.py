"""The Dask runner: items mapped on a Dask cluster, results yielded in input order (the only module importing dask).

Either connects to an existing scheduler (``scheduler="tcp://host:8786"``) or starts a ``LocalCluster`` of worker
*processes* (``processes=True``: spaCy holds the GIL, threads would not run in parallel). Each worker process
loads the spaCy model once: :func:`newsbrief.nlp.load_nlp` is cached per process, so the first task on a worker
pays for it and later tasks reuse it; :meth:`DaskRunner.warm_up` does that up front on every worker.

At most ``window`` tasks are in flight (submitted but not yet yielded); the input iterator is read only as results
are handed out, so memory stays flat however long the stream is.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

from ..errors import MissingDependency

T = TypeVar("T")
R = TypeVar("R")

INSTALL_HINT = "pip install 'newsbrief[dask]'"
# Tasks in flight per worker thread: 2 keeps every worker busy while the driver collects the previous result
# (one queued behind the one running), without reading the input far ahead of the output.
TASKS_PER_THREAD = 2


def _import_distributed() -> Any:
    try:
        import distributed
    except ImportError as exc:
        raise MissingDependency(f"the Dask runner needs Dask: {INSTALL_HINT}") from exc
    return distributed


class DaskRunner:
    """Runs ``map`` on a Dask cluster: an existing one (``scheduler``) or a LocalCluster started here."""

    def __init__(
        self,
        scheduler: str | None = None,
        *,
        n_workers: int = 2,
        threads_per_worker: int = 1,
        processes: bool = True,
        window: int | None = None,
        client: Any = None,
        dashboard: bool = False,
    ) -> None:
        distributed = _import_distributed()
        self._cluster: Any = None
        self._own_client = client is None
        if client is not None:
            self.client = client
        elif scheduler:
            self.client = distributed.Client(scheduler)
        else:
            self._cluster = distributed.LocalCluster(
                n_workers=n_workers,
                threads_per_worker=threads_per_worker,
                processes=processes,
                dashboard_address=":0" if dashboard else None,
            )
            self.client = distributed.Client(self._cluster)
        threads = sum(self.client.nthreads().values()) or n_workers * threads_per_worker
        self.window = window or max(1, TASKS_PER_THREAD * threads)
        self._counter = itertools.count()

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]:
        """Submit ``fn(item)`` for each item, at most ``window`` ahead, and yield the results in input order.

        A task that raises re-raises here (the batch's own functions turn article-level failures into
        diagnostics, so this only happens for bugs and lost workers).
        """
        pending: deque[Any] = deque()
        name = getattr(fn, "__name__", None) or getattr(getattr(fn, "func", None), "__name__", "task")
        try:
            for item in items:
                key = f"newsbrief-{name}-{next(self._counter)}"
                pending.append(self.client.submit(fn, item, key=key, pure=False))
                if len(pending) >= self.window:
                    yield self._collect(pending.popleft())
            while pending:
                yield self._collect(pending.popleft())
        finally:
            for future in pending:  # an abandoned map (error, generator closed) cancels its leftovers
                future.cancel()

    @staticmethod
    def _collect(future: Any) -> Any:
        result = future.result()
        future.release()
        return result

    def warm_up(self, fn: Callable[[], object]) -> None:
        """Run ``fn`` once on every worker (e.g. load the spaCy model) before the first task."""
        self.client.run(fn)

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info().get("workers", {}))

    def close(self) -> None:
        if self._own_client:
            self.client.close()
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None

    def __enter__(self) -> DaskRunner:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"DaskRunner({self.client.scheduler.address if self.client.scheduler else '?'})"
