"""Small helpers for running numpy-heavy steps on two threads with ordered results
(background jobs, jobs in order, row blocks over a small shared pool).

numpy, Arrow and hashlib release the GIL in their large operations, so two threads use
both cores of a laptop. Every helper gives its results in a fixed order, so the output
is the same as a serial run's (tests compare them).
"""
from __future__ import annotations

import os
import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["Job", "in_order", "for_blocks", "one_blas_thread", "ROW_BLOCK"]


class Job:
    """``fn(*args)`` on a background thread (at once, in this thread, with ``now=True``);
    :meth:`result` waits for it and returns its value or re-raises its error."""

    def __init__(self, fn: Callable[..., Any], *args: Any, now: bool = False) -> None:
        self._value: Any = None
        self._error: BaseException | None = None
        self._thread: threading.Thread | None = None
        if now:
            self._run(fn, args)
        else:
            self._thread = threading.Thread(target=self._run, args=(fn, args), daemon=True,
                                            name="surveykit-job")
            self._thread.start()

    def _run(self, fn: Callable[..., Any], args: tuple) -> None:
        try:
            self._value = fn(*args)
        except BaseException as e:  # noqa: BLE001 - re-raised in the caller's thread
            self._error = e

    def result(self) -> Any:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value


def in_order(fn: Callable[..., Any], jobs: list[tuple], threads: int) -> Iterator[Any]:
    """``fn(*job)`` for each job, yielded in job order; with ``threads`` > 1 computed on a
    small pool at most ``threads + 1`` jobs ahead (bounded memory), errors re-raised in order."""
    if threads <= 1 or len(jobs) < 2:
        for job in jobs:
            yield fn(*job)
        return
    with ThreadPoolExecutor(threads) as pool:
        todo = iter(jobs)
        ahead = deque(pool.submit(fn, *job) for _, job in zip(range(threads + 1), todo))
        try:
            while ahead:
                fut = ahead.popleft()
                nxt = next(todo, None)
                if nxt is not None:
                    ahead.append(pool.submit(fn, *nxt))
                yield fut.result()
        finally:
            for fut in ahead:
                fut.cancel()


#: rows per block of the row-blocked computations (~3.5 MB per 54-item float block: stays
#: in cache between the passes over it; bounded memory on a million rows)
ROW_BLOCK = 8_192


def _blocks(n: int, size: int | None = None) -> Iterator[slice]:
    size = size or ROW_BLOCK
    for start in range(0, n, size):
        yield slice(start, min(n, start + size))


_POOL: Any = None


def _forget_pool() -> None:
    """In a forked child the parent's worker threads do not exist: start afresh."""
    global _POOL
    _POOL = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_pool)


def _workers() -> int:
    """Threads for row blocks: the machine's cores, at most 2 (numpy and one-threaded
    BLAS release the GIL, so blocks run truly in parallel)."""
    return max(1, min(2, os.cpu_count() or 1))


def for_blocks(n: int, body: Callable[[slice], Any], size: int | None = None) -> list[Any]:
    """``[body(sl) for sl in row blocks of n rows]``, blocks spread over up to 2 threads.

    Results come back in block order, so sums accumulated from them are the same,
    bit for bit, as a serial loop's. ``body`` writes only its own rows of any output.
    """
    global _POOL
    blocks = list(_blocks(n, size))
    if len(blocks) < 4 or _workers() < 2:
        return [body(sl) for sl in blocks]
    if _POOL is None:
        _POOL = ThreadPoolExecutor(max_workers=_workers(), thread_name_prefix="surveykit-blocks")
    return list(_POOL.map(body, blocks))


def one_blas_thread() -> Any:
    """Tall-skinny products (rows × ~60 items) run faster on one BLAS thread than on
    several that spin-wait on a busy machine."""
    try:
        from threadpoolctl import threadpool_limits

        return threadpool_limits(1, user_api="blas")
    except Exception:  # pragma: no cover - threadpoolctl missing
        import contextlib

        return contextlib.nullcontext()
