"""Warnings never lost (#13 item 4): report.stage keeps every warning raised inside it (report,
manifest.json) and still passes each on once to the console / the warnings machinery."""
import io
import json
import warnings

import pandas as pd
import pytest
from docx import Document
from rich.console import Console

from surveykit.errors import DataWarning
from surveykit.report import Report

MSG = "item LP03 is nearly constant (98% answered 5)"
TEXT = f"DataWarning: {MSG}"


def _study(report: Report) -> None:
    report.section("结果", "Results")
    with report.stage("reliability", input="wave1.csv"):
        for _ in range(3):                           # raised three times, kept and shown once
            warnings.warn(MSG, DataWarning, stacklevel=1)
        report.add(pd.DataFrame({"a": [1.0]}), caption="A")
    with report.stage("quiet"):
        pass


def test_stage_records_and_passes_each_warning_on_once(tmp_path):
    report = Report(lang="en")
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("default")
        _study(report)
    assert [str(w.message) for w in outside] == [MSG]
    assert outside[0].category is DataWarning
    assert outside[0].filename == __file__                 # where it was raised, not stage()
    assert report.stages[0].warnings == [TEXT] and report.stages[1].warnings == []
    out = report.write(tmp_path / "out", lang="en")
    m = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert m["warnings"] == [TEXT]
    assert m["stage_warnings"] == [{"stage": "reliability", "input": "wave1.csv",
                                    "warning": TEXT}]
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Stage “reliability” (wave1.csv)" in html and f"<li>{TEXT}</li>" in html
    doc = Document(str(out / "report.docx"))
    texts = [p.text for p in doc.paragraphs]
    assert "Warnings during the run" in texts and "Stage “reliability” (wave1.csv)" in texts
    assert TEXT in texts


def test_zh_report_names_the_stage_in_chinese(tmp_path):
    report = Report(lang="zh")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DataWarning)  # nothing shown, nothing recorded
        with report.stage("ignored"):
            warnings.warn("filtered out", DataWarning, stacklevel=1)
    with pytest.warns(DataWarning, match="nearly constant"):
        _study(report)
    out = report.write(tmp_path / "out", lang="zh")
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "阶段“reliability”（wave1.csv）" in html and "运行警告" in html
    assert "filtered out" not in html


def test_nested_stages_keep_a_warning_once_under_the_inner_stage():
    report = Report()
    with warnings.catch_warnings(record=True) as outside:
        warnings.simplefilter("default")
        with report.stage("outer"):
            with report.stage("inner"):
                warnings.warn(MSG, DataWarning, stacklevel=1)
            warnings.warn("outer only", DataWarning, stacklevel=1)
    assert [str(w.message) for w in outside] == [MSG, "outer only"]
    assert report.stages[0].warnings == ["DataWarning: outer only"]
    assert report.stages[1].warnings == [TEXT]
    assert [e["stage"] for e in report.warning_entries()] == ["outer", "inner"]


def test_a_failing_stage_keeps_its_warnings(tmp_path):
    report = Report(lang="en")
    with pytest.warns(DataWarning), pytest.raises(ValueError, match="boom"):
        with report.stage("clean", input="rules.yaml"):
            warnings.warn(MSG, DataWarning, stacklevel=1)
            raise ValueError("boom")
    assert report.stages[0].status == "failed" and report.stages[0].warnings == [TEXT]


def test_run_shows_stage_warnings_once_and_lists_them(tmp_path):
    from surveykit.report.runner import run_study

    buf = io.StringIO()
    code = run_study(_study, out=tmp_path / "out", progress=False,
                     console=Console(file=buf, width=200))
    assert code == 0
    assert buf.getvalue().count(f"warning: {TEXT}") == 1
    m = json.loads((tmp_path / "out" / "manifest.json").read_text(encoding="utf-8"))
    assert m["warnings"] == [TEXT]
    assert m["stage_warnings"][0]["stage"] == "reliability"
