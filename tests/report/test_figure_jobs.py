"""Figures rendered in a forked child give the bytes the process itself gives."""
from __future__ import annotations

import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from surveykit.report import figure_jobs  # noqa: E402
from surveykit.report.figstyle import figure_pair, figure_style  # noqa: E402

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork only on Linux")


def _fig(label: str = "地区间各量表得分"):
    with figure_style():          # the report's fonts (CJK included)
        fig, ax = plt.subplots(figsize=(4, 3), layout="constrained")
        ax.barh(["政府间信任", "地方保护主义"], [3.2, 2.8])
        ax.set_title(label)
    return fig


@linux
def test_child_bytes_equal_in_process_bytes(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    fig = _fig()
    job = figure_jobs.render(fig)
    assert job._pid != 0          # really drawn by a child
    png, svg = job.result()
    assert (png, svg) == figure_pair(_fig())
    assert png.startswith(b"\x89PNG") and b"<svg" in svg
    assert not job._path and job not in figure_jobs._pending


@linux
def test_many_figures_at_most_max_pending_children(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    jobs = [figure_jobs.render(_fig(f"图 {i}")) for i in range(figure_jobs.MAX_PENDING + 2)]
    assert len(figure_jobs._pending) <= figure_jobs.MAX_PENDING
    figure_jobs.wait_all()
    assert not figure_jobs._pending and all(j.done() for j in jobs)
    assert jobs[0].result() == figure_pair(_fig("图 0"))


def test_switched_off_renders_in_process(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "0")
    job = figure_jobs.render(_fig())
    assert job.done() and job._pid == 0
    assert job.result() == figure_pair(_fig())


@linux
def test_a_failing_child_is_drawn_again_in_the_process(monkeypatch):
    """A child that dies (here: exits 1 at once) leaves no file; the parent draws the
    figure itself, so the report never lacks it."""
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    real = figure_jobs._pair
    parent = os.getpid()

    def dying(fig):
        if os.getpid() != parent:
            os._exit(1)
        return real(fig)

    monkeypatch.setattr(figure_jobs, "_pair", dying)
    job = figure_jobs.render(_fig())
    path = job._path
    assert job.result() == figure_pair(_fig())
    assert not os.path.exists(path)


@linux
def test_an_error_while_drawing_is_raised_in_the_process(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")

    def broken(fig):
        raise ValueError("cannot draw this figure")

    monkeypatch.setattr(figure_jobs, "_pair", broken)
    job = figure_jobs.render(_fig())
    with pytest.raises(ValueError, match="cannot draw"):
        job.result()
