"""Small helpers for running numpy-heavy steps on two threads with ordered results.

numpy, Arrow and hashlib release the GIL in their large operations, so two threads use
both cores of a laptop. Every helper gives its results in a fixed order, so the output
is the same as a serial run's (tests compare them).
"""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

__all__ = ["Job", "in_order"]


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
