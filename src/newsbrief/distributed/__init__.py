"""Runners: where the per-article and per-story work of a batch runs.

A :class:`Runner` has one method, ``map(fn, items) -> Iterator``, like httpx's ``BaseTransport.handle_request``:
the batch decides *what* runs, the runner decides *where*. Every runner yields results in input order (as spaCy's
``Language.pipe`` does) and gives exactly the output of :class:`~newsbrief.distributed.local.LocalRunner`, the
reference. ``items`` may be a lazy iterator: a runner consumes it only a bounded window ahead of what it has
yielded, so a stream of any length runs in flat memory.

``fn`` must be picklable for the Dask runner (a module-level function or a ``functools.partial`` of one) and so
must the items and results: the batch ships analyses without their spaCy ``Doc`` for that reason.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, Protocol, TypeVar, runtime_checkable

T = TypeVar("T")
R = TypeVar("R")

__all__ = ["Runner", "make_runner"]


@runtime_checkable
class Runner(Protocol):
    """Maps a function over items somewhere, yielding the results in input order."""

    def map(self, fn: Callable[[T], R], items: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


def make_runner(
    kind: str = "local",
    *,
    scheduler: str | None = None,
    workers: int = 2,
    **options: Any,
) -> Runner:
    """A runner by name: ``local``, or ``dask`` (``scheduler`` address, else a LocalCluster of ``workers``).

    Raises :class:`~newsbrief.errors.MissingDependency` naming the extra when Dask is not installed.
    """
    if kind == "local":
        from .local import LocalRunner

        return LocalRunner()
    if kind == "dask":
        from .dask import DaskRunner

        return DaskRunner(scheduler=scheduler, n_workers=workers, **options)
    from ..errors import ConfigError

    raise ConfigError(f"unknown runner {kind!r}; use 'local' or 'dask'")
