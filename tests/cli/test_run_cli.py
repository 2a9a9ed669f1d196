"""`surveykit run SCRIPT`: runs a plain-Python study script and gathers its report."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest
from typer.testing import CliRunner

from surveykit.cli import app

GOOD = textwrap.dedent('''
    import pandas as pd
    from surveykit.report import Report, run

    def main(report: Report) -> None:
        report.title = {"zh": "脚本研究", "en": "Script study"}
        with report.stage("load", input="wave1.csv"):
            df = pd.DataFrame({"scale": ["IT", "LP"], "mean": [3.25, 2.5]})
        report.section("描述统计", "Descriptives")
        report.add(df, caption={"zh": "均值", "en": "Means"})

    if __name__ == "__main__":
        run(main)
''')

TOP_LEVEL = textwrap.dedent('''
    import pandas as pd
    from surveykit.report import current

    report = current()
    report.section("结果", "Results")
    report.add(pd.DataFrame({"a": [1.5]}), caption="A")

    if __name__ == "__main__":
        report.write("plain_out", lang="en")
''')

FAILING = textwrap.dedent('''
    from surveykit.errors import DataError
    from surveykit.report import Report

    def main(report: Report) -> None:
        report.section("信度", "Reliability")
        with report.stage("load", input="wave1.csv"):
            pass
        with report.stage("clean", input="data/wave2.csv"):
            raise DataError("wave2.csv: item LP03 has 4 values outside 1–5 (rows 12, 40: 7, 9). "
                            "Mark them invalid in the mapping or fix the export.")
''')

BUG = "def main(report):\n    {}['missing']\n"


@pytest.fixture
def runner():
    return CliRunner()


def _script(tmp_path, text, name="study.py"):
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_run_writes_the_report(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _script(tmp_path, GOOD)
    res = runner.invoke(app, ["run", "study.py", "--out", "out", "--lang", "en"])
    assert res.exit_code == 0, res.output
    assert "report written: out/report.html" in res.output
    html = (tmp_path / "out/report.html").read_text(encoding="utf-8")
    assert "<title>Script study</title>" in html and ">Means<" in html
    m = json.loads((tmp_path / "out/manifest.json").read_text(encoding="utf-8"))
    assert m["command_line"] == ["surveykit", "run", "study.py", "--out", "out", "--lang", "en"]
    assert m["language"] == "en"


def test_default_out_folder_and_language(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _script(tmp_path, GOOD, "regional.py")
    res = runner.invoke(app, ["run", "regional.py", "--no-progress"])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "report/regional/report.html").read_text(encoding="utf-8")
    assert "<title>脚本研究</title>" in html


def test_top_level_script_uses_current(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _script(tmp_path, TOP_LEVEL)
    res = runner.invoke(app, ["run", "study.py", "--out", "out"])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "out/tables/01_a.csv").exists()
    assert not (tmp_path / "plain_out").exists()  # the __main__ block is for plain python only


def test_failing_stage_one_line_exit_1(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _script(tmp_path, FAILING)
    res = runner.invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 1
    assert "Traceback" not in res.output
    lines = [l for l in res.output.splitlines() if l.strip()]
    assert len(lines) == 1, res.output
    assert lines[0].startswith("error: stage 'clean' failed (input: data/wave2.csv): wave2.csv: "
                               "item LP03 has 4 values outside 1–5")
    assert "partial output in out is marked INCOMPLETE" in lines[0]
    assert not (tmp_path / "out/report.html").exists()
    assert (tmp_path / "out/FAILED.txt").exists() and (tmp_path / "out/report-INCOMPLETE.html").exists()
    assert "Traceback" in (tmp_path / "out/FAILED.txt").read_text(encoding="utf-8")  # for developers


def test_bug_outside_any_stage_names_the_script(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _script(tmp_path, BUG)
    res = runner.invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 1
    assert "error: stage 'script' failed (input: study.py): KeyError: 'missing'" in res.output
    assert "Traceback" not in res.output


def test_missing_script_and_bad_language(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["run", "nope.py", "--no-progress"])
    assert res.exit_code == 1
    assert "error: nope.py: no such study script" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "report").exists()
    _script(tmp_path, GOOD)
    res = runner.invoke(app, ["run", "study.py", "--lang", "fr"])
    assert res.exit_code == 1
    assert ("The 'lang' parameter of surveykit run must be one of {'zh', 'en'}. Got 'fr' instead."
            in res.output)


def test_plain_python_runs_the_same_script(tmp_path):
    _script(tmp_path, GOOD)
    proc = subprocess.run([sys.executable, "study.py", "--out", "py_out", "--lang", "zh"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "py_out/report.html").exists()
    m = json.loads((tmp_path / "py_out/manifest.json").read_text(encoding="utf-8"))
    assert m["command_line"] == ["python", "study.py", "--out", "py_out", "--lang", "zh"]
    _script(tmp_path, FAILING, "bad.py")
    (tmp_path / "bad.py").write_text(FAILING + "\nfrom surveykit.report import run\nrun(main)\n",
                                     encoding="utf-8")
    proc = subprocess.run([sys.executable, "bad.py", "--out", "bad_out"], cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "stage 'clean' failed (input: data/wave2.csv)" in proc.stderr


WARNS = textwrap.dedent('''
    import warnings
    import pandas as pd
    from surveykit.errors import DataWarning

    def main(report):
        for _ in range(3):
            warnings.warn("item LP03 is nearly constant (98% answered 5)", DataWarning)
        report.add(pd.DataFrame({"a": [1.0]}), caption="A")
''')


def test_warnings_shown_once_and_kept_in_the_manifest(tmp_path, runner, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _script(tmp_path, WARNS)
    res = runner.invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert res.output.count("warning: DataWarning: item LP03 is nearly constant") == 1
    m = json.loads((tmp_path / "out/manifest.json").read_text(encoding="utf-8"))
    assert m["warnings"] == ["DataWarning: item LP03 is nearly constant (98% answered 5)"]
    html = (tmp_path / "out/report.html").read_text(encoding="utf-8")
    assert "<li>DataWarning: item LP03 is nearly constant (98% answered 5)</li>" in html


def test_run_study_callable_interrupt_marks_the_stage(tmp_path, capsys):
    from surveykit.report.runner import run_study

    def main(report):
        with report.stage("bootstrap", input="scores.csv"):
            raise KeyboardInterrupt

    code = run_study(main, out=tmp_path / "o", progress=False)
    assert code == 130          # 128 + SIGINT; the INCOMPLETE report is kept
    err = capsys.readouterr().err
    assert "error: stage 'bootstrap' failed (input: scores.csv): KeyboardInterrupt" in err
    assert (tmp_path / "o/FAILED.txt").exists() and not (tmp_path / "o/report.html").exists()


VALIDATION = textwrap.dedent('''
    from surveykit.errors import Problem, ValidationError
    from surveykit.report import Report, run

    def main(report: Report) -> None:
        with report.stage("clean", input="rules.yaml"):
            raise ValidationError(
                [Problem("rules.yaml", 4, 5, "unknown rule 'speeder'. Did you mean 'speeders'?"),
                 *(Problem("rules.yaml", 9 + k, 5, f"unknown key 'treshold{k}'") for k in range(2))],
                header="rules.yaml: 3 problem(s) in the cleaning rules:")

    if __name__ == "__main__":
        run(main)
''')


@pytest.mark.parametrize("n_problems", [1, 3])
def test_validation_failure_line_names_stage_input_and_first_problem(tmp_path, runner, monkeypatch,
                                                                      n_problems):
    """A ValidationError's one line holds its header, first problem and 'and N more'; the
    whole list is in FAILED.txt."""
    monkeypatch.chdir(tmp_path)
    script = VALIDATION if n_problems == 3 else VALIDATION.replace("range(2)", "range(0)").replace(
        "3 problem(s)", "1 problem(s)")
    _script(tmp_path, script)
    res = runner.invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 1
    lines = [l for l in res.output.splitlines() if l.strip()]
    assert len(lines) == 1, res.output
    more = r" \(and 2 more\)" if n_problems == 3 else ""
    assert __import__("re").match(
        rf"error: stage 'clean' failed \(input: rules\.yaml\): rules\.yaml: {n_problems} problem\(s\) in the "
        rf"cleaning rules: rules\.yaml:4:5: unknown rule 'speeder'\. Did you mean 'speeders'\?{more} "
        r"at study\.py line 7 \(full message in out/FAILED\.txt\)", lines[0]), lines[0]
    failed = (tmp_path / "out/FAILED.txt").read_text(encoding="utf-8")
    assert all(f"unknown key 'treshold{k}'" in failed for k in range(n_problems - 1))
