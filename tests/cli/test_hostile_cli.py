"""CLI on hostile paths (#15): exit codes, unwritable outputs, atomic writes, no silent no-op."""
import errno
import os

import pandas as pd
import pytest
from typer.testing import CliRunner

import surveykit
from surveykit import _files
from surveykit.cli import app
from surveykit.datasets import example_study_path
from surveykit.errors import OutputError

STUDY = "respondent_profile,intergovernmental_trust,local_protectionism,reward_punishment,regional_synergy"
WAVE1 = ["responses", "import", str(example_study_path("wave1")), "-i", STUDY,
         "--version", "local_protectionism=1.0.0"]


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")


def test_version_and_short_help():
    res = CliRunner().invoke(app, ["--version"])
    assert res.exit_code == 0 and res.output.strip() == f"surveykit {surveykit.__version__}"
    res = CliRunner().invoke(app, ["responses", "import", "-h"])
    assert res.exit_code == 0 and "--instrument" in res.output


def test_usage_errors_exit_1_like_every_user_mistake():
    res = CliRunner().invoke(app, ["responses", "import", "--bogus"])
    assert res.exit_code == 1 and "No such option" in res.output
    res = CliRunner().invoke(app, ["responses", "import"])           # missing argument
    assert res.exit_code == 1


def test_import_without_out_says_nothing_was_written(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = CliRunner().invoke(app, WAVE1)
    assert res.exit_code == 0
    assert "no --out given, so nothing was written" in res.output
    assert list(tmp_path.iterdir()) == []


def test_out_under_a_file_is_one_message(tmp_path):
    (tmp_path / "afile").write_text("x")
    res = CliRunner().invoke(app, WAVE1 + ["--out", str(tmp_path / "afile" / "w1.parquet")])
    assert res.exit_code == 1
    assert "Cannot write" in res.output and "afile is a file, not a folder" in res.output
    assert "Traceback" not in res.output


def test_out_that_is_a_folder_is_one_message(tmp_path):
    (tmp_path / "w1.parquet").mkdir()
    res = CliRunner().invoke(app, WAVE1 + ["--out", str(tmp_path / "w1.parquet")])
    assert res.exit_code == 1 and "it is a folder. Give a file name" in res.output


@pytest.mark.parametrize("code,text", [(errno.ENOSPC, "the disk is full"),
                                       (errno.EACCES, "permission denied")])
def test_full_disk_or_read_only_leaves_no_file(tmp_path, monkeypatch, code, text):
    real = pd.DataFrame.to_parquet

    def fail_midway(self, path, *a, **k):
        real(self, path, *a, **k)              # bytes written … then the disk fills up
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(pd.DataFrame, "to_parquet", fail_midway)
    out = tmp_path / "w1.parquet"
    res = CliRunner().invoke(app, WAVE1 + ["--out", str(out)])
    assert res.exit_code == 1 and text in res.output, res.output
    assert list(tmp_path.iterdir()) == []      # neither the final name nor a temporary file


def test_killed_writer_leaves_no_truncated_file(tmp_path):
    """SIGKILL can only stop a write before the rename: the final name never holds a part."""
    out = tmp_path / "w.parquet"
    with pytest.raises(KeyboardInterrupt):
        with _files.atomic_path(out) as tmp:
            tmp.write_bytes(b"PAR1 half a file")
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []
    _files.write_bytes(out, b"complete")
    assert out.read_bytes() == b"complete" and [p.name for p in tmp_path.iterdir()] == ["w.parquet"]
    assert oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())


def _umask():
    old = os.umask(0)
    os.umask(old)
    return old


def test_output_error_names_the_path(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(OutputError, match=r"Cannot write .*f/x\.csv: .*f is a file, not a folder"):
        _files.write_text(tmp_path / "f" / "x.csv", "a")


def test_run_out_that_is_a_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.py").write_text("def main(report):\n    pass\n")
    (tmp_path / "out").write_text("")
    res = CliRunner().invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 1
    assert "Cannot write the report to out: out is a file, not a folder" in res.output


def test_run_failure_names_the_script_line(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.py").write_text("def main(report):\n    x = 1\n    {}['missing']\n")
    res = CliRunner().invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 1 and "at study.py line 3" in res.output


def test_run_interrupted_exits_130_and_keeps_the_incomplete_report(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.py").write_text("def main(report):\n    raise KeyboardInterrupt\n")
    res = CliRunner().invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 130
    assert (tmp_path / "out" / "FAILED.txt").exists()
    assert (tmp_path / "out" / "report-INCOMPLETE.html").exists()


# -- every CLI writer: an unwritable output is one OutputError message, exit 1 (#15)
RULES = f"instrument: {STUDY}\nrules:\n  - rule: invalid\n"


def _clean(tmp_path, out):
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    return CliRunner().invoke(app, ["responses", "clean", str(example_study_path("wave1")),
                                    "-r", str(rules), "--out", str(out), "--version",
                                    "local_protectionism=1.0.0"])


def _score(tmp_path, out):
    return CliRunner().invoke(app, ["responses", "score", str(example_study_path("wave1")),
                                    "-i", STUDY, "--version", "local_protectionism=1.0.0",
                                    "--out", str(out)])


def test_clean_out_under_a_file_is_one_message(tmp_path):
    (tmp_path / "afile").write_text("x")
    res = _clean(tmp_path, tmp_path / "afile" / "cleaned")
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "Cannot write" in res.output and "afile is a file, not a folder" in res.output


def test_score_out_under_a_file_is_one_message(tmp_path):
    (tmp_path / "afile").write_text("x")
    res = _score(tmp_path, tmp_path / "afile" / "s.csv")
    assert res.exit_code == 1 and "afile is a file, not a folder" in res.output


def _deny_mkdir(monkeypatch, where):
    from pathlib import Path

    real = Path.mkdir

    def mkdir(self, *a, **k):
        if str(self).startswith(str(where)):
            raise PermissionError(errno.EACCES, "Permission denied", str(self))
        return real(self, *a, **k)

    monkeypatch.setattr(Path, "mkdir", mkdir)


def test_clean_and_score_read_only_folder(tmp_path, monkeypatch):
    _deny_mkdir(monkeypatch, tmp_path / "ro")
    for res in (_clean(tmp_path, tmp_path / "ro" / "c"), _score(tmp_path, tmp_path / "ro" / "s.csv")):
        assert res.exit_code == 1 and "Traceback" not in res.output
        assert "permission denied (read-only folder or file?)" in res.output, res.output


@pytest.mark.parametrize("cmd", ["clean", "score"])
def test_clean_and_score_full_disk_leave_no_file(tmp_path, monkeypatch, cmd):
    real = _files.os.replace

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_files.os, "replace", full)
    res = (_clean(tmp_path, tmp_path / "c") if cmd == "clean" else _score(tmp_path, tmp_path / "s.csv"))
    monkeypatch.setattr(_files.os, "replace", real)
    assert res.exit_code == 1 and "the disk is full" in res.output
    left = [p.name for p in tmp_path.rglob("*") if p.is_file()]
    assert left == ["rules.yaml"] or left == []


def test_run_report_folder_read_only_is_one_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.py").write_text("def main(report):\n    pass\n")
    _deny_mkdir(monkeypatch, tmp_path / "ro")
    res = CliRunner().invoke(app, ["run", "study.py", "--out", str(tmp_path / "ro" / "out"),
                                   "--no-progress"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "permission denied" in res.output, res.output


def test_run_full_disk_is_one_message(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "study.py").write_text("def main(report):\n    pass\n")

    def full(src, dst):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(_files.os, "replace", full)
    res = CliRunner().invoke(app, ["run", "study.py", "--out", "out", "--no-progress"])
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "the disk is full" in res.output, res.output
