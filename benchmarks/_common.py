"""Small helpers shared by the benchmarks: the eval-data folder, peak memory, stage timers, a table printer.

Benchmarks read ``../shared/eval`` (never the tests). Without it they print one "skipped" line and exit 0, so a
clone without the data still runs them cleanly.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

EVAL_ENV = "NEWSBRIEF_EVAL_DIR"
_HWM_RESET = Path("/proc/self/clear_refs")
_STATUS = Path("/proc/self/status")


def eval_dir() -> Path:
    """``$NEWSBRIEF_EVAL_DIR`` or ``<repo>/../shared/eval`` (the folder may not exist)."""
    override = os.environ.get(EVAL_ENV)
    if override:
        return Path(override)
    return Path(__file__).resolve().parents[1].parent / "shared" / "eval"


def require_eval(*parts: str) -> Path:
    """The eval folder (or ``parts`` inside it); print the skip message and exit 0 when it is absent."""
    base = eval_dir()
    path = base.joinpath(*parts)
    if not base.is_dir():
        print(f"skipped: ../shared/eval not found ({base}; set {EVAL_ENV} to point elsewhere)")
        raise SystemExit(0)
    if not path.exists():
        print(f"skipped: {path} not found in the eval folder")
        raise SystemExit(0)
    return path


# --- peak memory -------------------------------------------------------------------------------------------


def _read_status_kib(key: str) -> int | None:
    try:
        for line in _STATUS.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        return None
    return None


def resident_mib() -> float | None:
    """This process's resident set size in MiB (``VmRSS``), or None where /proc is not available."""
    rss = _read_status_kib("VmRSS")
    return rss / 1024 if rss is not None else None


def take_peak_mib() -> float | None:
    """This process's peak RSS (MiB) since the last reset, then reset it (Linux ``VmHWM``); None elsewhere.

    Calling it at fixed points of a long run gives the peak of each stretch, so one can see whether the peak
    grows along the run rather than only the peak of the whole run (which also holds the rarest batch)."""
    hwm = _read_status_kib("VmHWM")
    try:
        _HWM_RESET.write_text("5")
    except OSError:
        return None
    return hwm / 1024 if hwm is not None else None


@dataclass(slots=True)
class PeakMemory:
    """Peak resident set size (MiB) of this process while the ``with`` block ran.

    On Linux the kernel's high-water mark (``VmHWM``) is reset on entry by writing ``5`` to
    ``/proc/self/clear_refs``, so each block gets its own peak. Elsewhere (or when that write is refused) it
    falls back to ``resource.getrusage(RUSAGE_SELF).ru_maxrss``, the peak of the whole process so far;
    ``method`` says which one was used.
    """

    method: str = ""
    start_mib: float = 0.0
    peak_mib: float = 0.0

    def __enter__(self) -> PeakMemory:
        try:
            _HWM_RESET.write_text("5")
            hwm = _read_status_kib("VmHWM")
            self.method = "VmHWM" if hwm is not None else ""
        except OSError:
            self.method = ""
        if not self.method:
            self.method = "ru_maxrss"
        self.start_mib = self._current()
        return self

    def __exit__(self, *exc: object) -> None:
        self.peak_mib = self._peak()

    def _current(self) -> float:
        rss = resident_mib()
        return rss if rss is not None else self._peak()

    def _peak(self) -> float:
        if self.method == "VmHWM":
            hwm = _read_status_kib("VmHWM")
            if hwm is not None:
                return hwm / 1024
        maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # ru_maxrss is KiB on Linux, bytes on macOS.
        return maxrss / (1024 * 1024) if sys.platform == "darwin" else maxrss / 1024

    @property
    def label(self) -> str:
        if self.method == "VmHWM":
            return "peak RSS (VmHWM, reset per phase)"
        return "peak RSS (getrusage ru_maxrss, whole process so far)"


# --- stage timers ------------------------------------------------------------------------------------------


@dataclass(slots=True)
class StageTimes:
    """Wall-clock seconds accumulated per named stage, in first-seen order (``time.perf_counter``)."""

    seconds: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def time(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - start)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    @property
    def total(self) -> float:
        return sum(self.seconds.values())


# --- output ------------------------------------------------------------------------------------------------


def print_table(headers: Sequence[str], rows: Sequence[Sequence[object]], *, floatfmt: str = ".3f") -> None:
    """Print a Markdown table (pastes straight into RESULTS.md); floats use ``floatfmt``."""

    def cell(value: object) -> str:
        if isinstance(value, float):
            return format(value, floatfmt)
        return str(value)

    cells = [[cell(v) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    numeric = [
        all(isinstance(row[i], int | float) for row in rows) and bool(rows) for i in range(len(headers))
    ]

    def line(values: Sequence[str]) -> str:
        parts = [v.rjust(w) if num else v.ljust(w) for v, w, num in zip(values, widths, numeric, strict=True)]
        return "| " + " | ".join(parts) + " |"

    print(line(list(headers)))
    print(
        "|"
        + "|".join(
            ("-" * (w + 1) + ":") if num else ("-" * (w + 2)) for w, num in zip(widths, numeric, strict=True)
        )
        + "|"
    )
    for row in cells:
        print(line(row))
