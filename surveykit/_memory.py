"""Large fresh memory as ordinary pages while surveykit's heavy steps run.

``read_responses``, ``clean`` and ``score`` allocate blocks of hundreds of MB on a
million-row file (Arrow's parse buffers, the values block, the kept rows). Arrow's
allocator (mimalloc) and numpy both ask the kernel for *transparent huge pages* for such
blocks. On a machine whose memory is fragmented the kernel then compacts memory before it
can fault a 2 MB page in, and that system time dominates: measured on the 2-core
benchmark machine, parsing the 1M × 60 CSV took 2.2–3.1 s wall with 2.2–3.9 s of system
time, and 1.25–1.30 s with 0.5 s once huge pages were off; the kept-rows copy after the
cleaning rules 0.9–1.3 s instead of 0.2 s (docs/performance.md).

:func:`plain_pages` turns transparent huge pages off for the process while the step runs
(Linux ``prctl(PR_SET_THP_DISABLE)``, a documented per-process switch that also covers
allocations made by Arrow's threads) and restores the previous setting afterwards. It
nests and is thread-safe (a counter; the setting is restored when the outermost step ends).
Elsewhere (macOS, Windows, or when ``prctl`` is refused) it does nothing.
"""
from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import functools
import sys
import threading
from collections.abc import Iterator

__all__ = ["plain_pages"]

_PR_SET_THP_DISABLE = 41
_PR_GET_THP_DISABLE = 42
_lock = threading.Lock()
_depth = 0
_previous = 0


@functools.cache
def _prctl():
    """libc's ``prctl`` (Linux only), or None."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or None, use_errno=True)
        fn = libc.prctl
    except (OSError, AttributeError):
        return None
    fn.restype = ctypes.c_int
    fn.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                   ctypes.c_ulong]
    if fn(_PR_GET_THP_DISABLE, 0, 0, 0, 0) < 0:       # kernel without the switch (< 3.15)
        return None
    return fn


def thp_disabled() -> bool | None:
    """Whether transparent huge pages are off for this process (None: not Linux)."""
    fn = _prctl()
    return None if fn is None else bool(fn(_PR_GET_THP_DISABLE, 0, 0, 0, 0))


@contextlib.contextmanager
def plain_pages() -> Iterator[None]:
    """Context (and decorator, via ``plain_pages()``) running its body without huge pages."""
    global _depth, _previous
    fn = _prctl()
    if fn is None:
        yield
        return
    with _lock:
        if _depth == 0:
            _previous = fn(_PR_GET_THP_DISABLE, 0, 0, 0, 0)
            if not _previous:
                fn(_PR_SET_THP_DISABLE, 1, 0, 0, 0)
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and not _previous:
                fn(_PR_SET_THP_DISABLE, 0, 0, 0, 0)
