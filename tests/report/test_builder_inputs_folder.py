"""Report.input_file takes a folder: every file in it and below goes into the manifest."""
from __future__ import annotations

import pytest

from surveykit.errors import ReportError
from surveykit.report import Report


def test_a_folder_records_every_file_sorted(tmp_path):
    (tmp_path / "notes" / "sub").mkdir(parents=True)
    for name in ("b.md", "a.md", "sub/c.md"):
        (tmp_path / "notes" / name).write_text("x", encoding="utf-8")
    r = Report()
    assert r.input_file(tmp_path / "notes") == str(tmp_path / "notes")
    r.input_file(tmp_path / "notes" / "a.md")                 # recorded once
    assert r._inputs == [str(tmp_path / "notes" / n) for n in ("a.md", "b.md", "sub/c.md")]


def test_a_missing_path_names_it_and_the_fix(tmp_path):
    with pytest.raises(ReportError, match=r"Report.input_file: .*nope does not exist or is not a "
                                          r"file or folder\. Check the path\."):
        Report().input_file(tmp_path / "nope")
