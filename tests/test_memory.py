"""A long batch process keeps its memory: freed blocks go back to the system, spaCy caches stay bounded."""

from __future__ import annotations

import subprocess
import sys

import pytest

_SCRIPT = """
import sys
if sys.argv[1] == "fixed":
    from newsbrief.allocator import return_large_blocks
    assert return_large_blocks() and return_large_blocks()
def rss():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024
base = rss()
big = bytearray(8 << 20); del big  # one freed large block raises glibc's threshold to its size
keep, blocks = [], []
for _ in range(30):  # what a batch does: large scratch arrays, small long-lived objects between them
    blocks.append(bytearray(4 << 20))
    keep.append(bytearray(1000))
del blocks
print(rss() - base)
"""


def _retained(mode: str) -> float:
    out = subprocess.run([sys.executable, "-c", _SCRIPT, mode], capture_output=True, text=True, check=True)
    return float(out.stdout)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc")
def test_freed_scratch_memory_goes_back_to_the_system() -> None:
    from newsbrief.allocator import return_large_blocks

    if not return_large_blocks():
        pytest.skip("no glibc mallopt here")
    assert _retained("default") > 60  # the behaviour being fixed: 120 MiB kept in the heap
    assert _retained("fixed") < 20  # all of it returned


def test_memory_zone_bounds_the_lemmatizer_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    from newsbrief import nlp as nlp_module

    model = nlp_module.load_nlp()
    lemmatizer = dict(model.pipeline).get("lemmatizer")
    if lemmatizer is None or not isinstance(getattr(lemmatizer, "cache", None), dict):
        pytest.skip("this model has no caching lemmatizer")
    monkeypatch.setattr(nlp_module, "PIPE_CACHE_MAX", 3)
    lemmatizer.cache.clear()
    with nlp_module.memory_zone(model):
        list(model.pipe(["The ministers were talking about the islands and the treaties for years."]))
        assert len(lemmatizer.cache) > 3  # filled while parsing
    assert lemmatizer.cache == {}  # and emptied when the zone ends
