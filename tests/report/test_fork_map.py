"""Report.each(parallel=True): the serial run's results, order, warnings and failures."""
from __future__ import annotations

import os
import sys
import warnings

import pytest

from surveykit.errors import ParameterError
from surveykit.report import Report, fork_map

linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="fork only on Linux")


def _pid_and_square(v):
    if v % 2:
        warnings.warn(f"odd value {v}", UserWarning, stacklevel=1)
    return os.getpid(), v * v


@linux
def test_second_half_runs_in_a_child_and_comes_back_in_order(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    report = Report()
    with pytest.warns(UserWarning) as caught:
        out = report.each("squares", list(range(6)), _pid_and_square, parallel=True)
    assert list(out) == list(range(6)) and [v for _, v in out.values()] == [0, 1, 4, 9, 16, 25]
    pids = [p for p, _ in out.values()]
    assert pids[:3] == [os.getpid()] * 3 and len(set(pids[3:])) == 1 and pids[3] != os.getpid()
    # the warnings of both halves, in item order, recorded under the stage too
    assert [str(w.message) for w in caught] == ["odd value 1", "odd value 3", "odd value 5"]
    st = report.stages[-1]
    assert st.warnings == ["UserWarning: odd value 1", "UserWarning: odd value 3",
                           "UserWarning: odd value 5"]
    assert st.status == "done" and st.item is None


def test_parallel_equals_serial_without_fork(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "0")
    report = Report()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = report.each("squares", {"a": 3, "b": 4}, _pid_and_square, parallel=True)
    assert out == {"a": (os.getpid(), 9), "b": (os.getpid(), 16)}
    with pytest.raises(ParameterError, match="'parallel' parameter of Report.each"):
        report.each("x", [1], str, parallel="yes")


@linux
def test_failure_in_the_child_half_names_the_item(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    report = Report()
    with pytest.raises(ZeroDivisionError):
        report.each("divide", [1, 2, 0, 4], lambda v: 1 / v, parallel=True)
    assert report.failed.name == "divide" and report.failed.item == "0"


@linux
def test_report_methods_in_the_worker_run_here_instead(monkeypatch):
    """A func that adds to the report cannot do it in the child: the item runs here."""
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    report = Report()
    report.section("s", "s")

    def add_text(v):
        report.text(zh=f"第{v}项", en=f"item {v}")
        return os.getpid()

    out = report.each("texts", [1, 2, 3, 4], add_text, parallel=True)
    assert set(out.values()) == {os.getpid()}
    texts = [b for b in report._current().blocks]
    assert len(texts) == 4


@linux
def test_unpicklable_result_is_computed_here(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    out = Report().each("fn", [1, 2], lambda v: (lambda: v), parallel=True)
    assert out[1]() == 1 and out[2]() == 2


def test_run_split_serial_inside_a_worker(monkeypatch):
    monkeypatch.setattr(fork_map, "_worker", True)
    assert fork_map.run_split(lambda v: (os.getpid(), v), [1, 2, 3]) == \
        [(os.getpid(), 1), (os.getpid(), 2), (os.getpid(), 3)]


@linux
def test_in_background_writes_in_a_child_and_reruns_here_on_failure(tmp_path, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")
    target = tmp_path / "out.txt"
    writers: list[int] = []

    def job():
        target.write_text(str(os.getpid()), encoding="utf-8")
        writers.append(os.getpid())

    finish = fork_map.in_background(job)
    finish()
    assert target.read_text(encoding="utf-8") != str(os.getpid()) and writers == []

    def broken():
        writers.append(os.getpid())
        raise OSError("disk full")

    finish = fork_map.in_background(broken)
    with pytest.raises(OSError, match="disk full"):
        finish()
    assert writers == [os.getpid()]          # the error comes from the rerun here


@linux
def test_in_background_warning_is_shown_by_the_rerun_here(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_FIGURE_PROCESSES", "1")

    def job():
        warnings.warn("font substituted", UserWarning, stacklevel=1)

    finish = fork_map.in_background(job)
    with pytest.warns(UserWarning, match="font substituted"):
        finish()
