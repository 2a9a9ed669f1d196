"""Figures rendered beside the analysis: each one in a forked copy of the process.

Saving a figure (a 150-dpi PNG with every text label measured for the tight box, then an
SVG with the text drawn as paths so that Chinese glyphs need no font on the reader's
side) costs about 0.4 s per figure with long CJK item labels, more than most analyses of
a study. :class:`~surveykit.report.builder.Report.figure` therefore starts the rendering
and goes on: :func:`render` forks the process (POSIX ``fork``: the child sees the figure
exactly as it is at that moment, nothing is pickled), the child writes PNG + SVG to a
private temporary file and exits; the bytes are collected when the report needs them
(:meth:`Rendering.result`, at the latest when it is written). On a laptop's second core
the figures are drawn while the next analyses run.

The bytes are those :func:`~surveykit.report.figstyle.figure_pair` gives in the process
itself (the same code runs in the child on a copy of the same objects), so reports stay
byte-identical from run to run and between the two ways. The process way is used on
Linux only (fork is not safe with the macOS GUI frameworks and does not exist on
Windows), with at most :data:`MAX_PENDING` children at a time, and never inside a
child. ``SURVEYKIT_FIGURE_PROCESSES=0`` turns it off (everything rendered in the
process, in order); any failure of a child (killed, out of memory, an error while
drawing) is not reported from the child: the figure is rendered again in the process,
where the error, if any, is raised with its ordinary traceback.
"""
from __future__ import annotations

import os
import sys
import tempfile
import weakref
from collections import deque
from typing import Any

__all__ = ["render", "Rendering", "MAX_PENDING", "wait_all"]

#: Children rendering at the same time (the next figure waits for the oldest).
MAX_PENDING = 3

_pending: deque[Rendering] = deque()
_in_child = False


def _enabled() -> bool:
    if _in_child or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    return os.environ.get("SURVEYKIT_FIGURE_PROCESSES", "1").strip() not in ("0", "false", "no")


class Rendering:
    """PNG + SVG bytes of one figure, being rendered (in a child) or already rendered."""

    def __init__(self, fig: Any) -> None:
        self._fig: Any = fig
        self._value: tuple[bytes, bytes] | None = None
        self._pid = 0
        self._path = ""
        self._finalizer: Any = None

    # -- in the parent ------------------------------------------------------------------
    def _start(self) -> None:
        global _in_child
        fd, self._path = tempfile.mkstemp(prefix="surveykit-figure-", suffix=".bin")
        try:
            sys.stdout.flush()
            sys.stderr.flush()
            pid = os.fork()
        except OSError:              # no memory for a child, process limit: draw here
            os.close(fd)
            self._cleanup()
            self._value = _pair(self._fig)
            self._fig = None
            return
        if pid == 0:                 # the child: render, write, leave without cleanup
            _in_child = True
            code = 1
            try:
                png, svg = _pair(self._fig)
                with os.fdopen(fd, "wb") as fh:
                    fh.write(len(png).to_bytes(8, "little"))
                    fh.write(png)
                    fh.write(svg)
                code = 0
            except BaseException:    # noqa: BLE001 - the parent draws again and reports
                code = 1
            finally:
                os._exit(code)
        os.close(fd)
        self._pid = pid
        self._finalizer = weakref.finalize(self, _reap, pid, self._path)

    def done(self) -> bool:
        """Whether the bytes are here (without waiting)."""
        return self._value is not None

    def result(self) -> tuple[bytes, bytes]:
        """``(png, svg)``: waits for the child; draws in the process if the child failed."""
        if self._value is not None:
            return self._value
        ok = False
        if self._pid:
            self._finalizer.detach()
            _, status = _waitpid(self._pid)
            self._pid = 0
            if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
                try:
                    with open(self._path, "rb") as fh:
                        data = fh.read()
                    k = int.from_bytes(data[:8], "little")
                    self._value = (data[8:8 + k], data[8 + k:])
                    ok = 8 + k <= len(data)
                except OSError:
                    ok = False
            self._cleanup()
        if not ok:
            self._value = _pair(self._fig)
        self._fig = None
        if self in _pending:
            _pending.remove(self)
        return self._value

    def _cleanup(self) -> None:
        if self._path:
            try:
                os.unlink(self._path)
            except OSError:
                pass
            self._path = ""


def _pair(fig: Any) -> tuple[bytes, bytes]:
    from .figstyle import figure_pair

    return figure_pair(fig)


def _waitpid(pid: int) -> tuple[int, int]:
    while True:
        try:
            return os.waitpid(pid, 0)
        except InterruptedError:
            continue
        except ChildProcessError:    # already reaped elsewhere: treat as failed
            return pid, 1 << 8


def _reap(pid: int, path: str) -> None:
    """A rendering dropped without :meth:`Rendering.result`: no zombie, no stray file."""
    try:
        os.waitpid(pid, 0)
    except (ChildProcessError, OSError):
        pass
    try:
        os.unlink(path)
    except OSError:
        pass


def render(fig: Any) -> Rendering:
    """Start rendering ``fig`` to PNG + SVG (in a child process where possible).

    Returns at once with a :class:`Rendering` whose :meth:`~Rendering.result` gives the
    bytes :func:`~surveykit.report.figstyle.figure_pair` gives. The figure must not be
    changed afterwards (the child renders it as it is now; in the process it would be
    rendered as it is when the result is asked for: same bytes only if unchanged).
    """
    job = Rendering(fig)
    if not _enabled():
        job._value = _pair(fig)
        job._fig = None
        return job
    while len(_pending) >= MAX_PENDING:
        _pending[0].result()
    job._start()
    if not job.done():
        _pending.append(job)
    return job


def wait_all() -> None:
    """Collect every rendering still running (e.g. before timing or writing)."""
    while _pending:
        _pending[0].result()
