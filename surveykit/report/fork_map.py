"""The second half of a :meth:`Report.each` on the second core (``parallel=True``).

``run_split(func, items)`` returns ``[func(item) for item in items]``: the first half runs
here, in order; the second half runs at the same time in one forked child (POSIX ``fork``:
the child sees the data as they are, nothing but the results is pickled), which sends
back, per item, the result and the warnings it raised. The parent then gives the second
half's results in order and raises their warnings again, at that point, as a serial run
would have raised them (the stage records them as usual).

Serial rather than forked, whatever ``parallel`` says: off Linux, inside a child, with
fewer than two items, or with ``SURVEYKIT_FIGURE_PROCESSES=0`` (the one switch for
surveykit's child processes). Whenever the child cannot give an item's result — it raised
(the item is run again here, so the error comes with its ordinary traceback and the
stage's item name), the result or a warning could not be pickled, the child died — the
rest of the second half is run here, in order: the outcome is a serial run's.

``func`` must return what it computes: changes it makes to objects of the parent (adding
to a report, appending to a list) happen in the child and are lost, so Report methods
refuse to run inside the child.
"""
from __future__ import annotations

import os
import pickle
import sys
import tempfile
import warnings
from collections.abc import Callable, Sequence
from typing import Any

from . import figure_jobs

__all__ = ["run_split", "in_background", "in_worker", "WorkerSideEffect"]

_worker = False


class WorkerSideEffect(RuntimeError):
    """A Report method called inside a forked ``each`` worker (its effect would be lost)."""


def in_worker() -> bool:
    """Whether this process is a forked ``each`` worker."""
    return _worker


def _enabled(n: int) -> bool:
    return n >= 2 and not _worker and figure_jobs._enabled()


def _child(func: Callable[[Any], Any], items: Sequence[Any], fd: int) -> None:
    global _worker
    _worker = True
    figure_jobs._in_child = True
    code = 1
    try:
        done: list[tuple[bool, Any, list]] = []
        for item in items:
            with warnings.catch_warnings(record=True) as log:
                try:
                    value = func(item)
                except BaseException:   # noqa: BLE001 - the parent runs the item again
                    done.append((False, None, []))
                    break
            caught = [(w.message, w.category, w.filename, w.lineno) for w in log]
            try:
                pickle.dumps((value, caught))
            except Exception:       # noqa: BLE001 - not picklable: the parent runs it
                done.append((False, None, []))
                break
            done.append((True, value, caught))
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(done, fh, protocol=pickle.HIGHEST_PROTOCOL)
        code = 0
    except BaseException:           # noqa: BLE001 - the parent runs the whole half
        code = 1
    finally:
        os._exit(code)


def _collect(pid: int, path: str) -> list[tuple[bool, Any, list]]:
    try:
        _, status = figure_jobs._waitpid(pid)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            return []
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:               # noqa: BLE001 - nothing usable: run the half here
        return []
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass


def run_split(func: Callable[[Any], Any], items: Sequence[Any],
              each_done: Callable[[int], None] | None = None) -> list[Any]:
    """``[func(x) for x in items]``, the second half in a forked child (see the module).

    ``each_done(i)`` is called before item ``i`` runs here or its result is taken over
    from the child (the stage names the item in a failure).
    """
    items = list(items)
    tick = each_done or (lambda i: None)
    if not _enabled(len(items)):
        out = []
        for i, x in enumerate(items):
            tick(i)
            out.append(func(x))
        return out
    half = (len(items) + 1) // 2
    fd, path = tempfile.mkstemp(prefix="surveykit-each-", suffix=".pkl")
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except OSError:
        os.close(fd)
        os.unlink(path)
        pid = -1
    if pid == 0:
        _child(func, items[half:], fd)
    out: list[Any] = []
    if pid > 0:
        os.close(fd)
    try:
        for i in range(half):
            tick(i)
            out.append(func(items[i]))
    except BaseException:
        if pid > 0:
            _collect(pid, path)     # no zombie, no stray file
        raise
    done = _collect(pid, path) if pid > 0 else []
    for j, i in enumerate(range(half, len(items))):
        tick(i)
        if j < len(done) and done[j][0]:
            _, value, caught = done[j]
            for message, category, filename, lineno in caught:
                warnings.warn_explicit(message, category, filename, lineno)
            out.append(value)
        else:
            out.append(func(items[i]))
    return out


def in_background(job: Callable[[], Any]) -> Callable[[], None]:
    """Start ``job()`` (a function writing a file, its result unused) in a forked child;
    return ``finish()``, which waits for it and runs ``job()`` here if the child did not
    complete it (so errors are raised here, with their traceback). Serial where
    :func:`run_split` is serial."""
    if not _enabled(2):
        job()
        return lambda: None
    try:
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
    except OSError:
        job()
        return lambda: None
    if pid == 0:
        global _worker
        _worker = True
        figure_jobs._in_child = True
        code = 1
        try:
            with warnings.catch_warnings(record=True) as log:
                job()
            code = 0 if not log else 2   # a warning: the parent reruns and shows it
        except BaseException:       # noqa: BLE001 - the parent runs the job again
            code = 1
        finally:
            os._exit(code)

    def finish() -> None:
        _, status = figure_jobs._waitpid(pid)
        if not (os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0):
            job()

    return finish
