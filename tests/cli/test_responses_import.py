"""`surveykit responses import`: outputs, one-line summary, clear errors (exit code 1)."""
import pandas as pd
import pytest
from typer.testing import CliRunner

from surveykit.cli import app
from surveykit.datasets import example_study_path

STUDY = "respondent_profile,intergovernmental_trust,local_protectionism,reward_punishment,regional_synergy"


@pytest.fixture(autouse=True)
def _key(monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")


def test_import_writes_parquet_and_reports(tmp_path):
    out = tmp_path / "w1.parquet"
    res = CliRunner().invoke(app, ["responses", "import", str(example_study_path("wave1")),
                                   "-i", STUDY, "--version", "local_protectionism=1.0.0",
                                   "--out", str(out), "--wave", "1"])
    assert res.exit_code == 0, res.output
    assert "612 respondents × 62 items" in res.output and "gb18030" in res.output
    assert "来自IP (dropped)" in res.output
    data = pd.read_parquet(out)
    assert len(data) == 612 and "LP01" in data and "source_row" in data
    miss = pd.read_parquet(tmp_path / "w1.missing.parquet")
    assert set(miss["LP01"].unique()) <= {"", "refused", "dont_know", "invalid", "empty"}
    mapping = pd.read_csv(tmp_path / "w1.mapping.csv")
    assert (mapping["status"] == "mapped").sum() == 60    # 53 + PR06b (6 columns) + PR10
    issues = pd.read_csv(tmp_path / "w1.issues.csv")
    assert set(issues["reason"]) == {"out_of_range"}


def test_import_csv_output_and_text_download(tmp_path):
    out = tmp_path / "w2.csv"
    res = CliRunner().invoke(app, ["responses", "import", str(example_study_path("wave2")),
                                   "-i", STUDY, "--out", str(out)])
    assert res.exit_code == 0, res.output
    assert "wjx-text" in res.output
    assert len(pd.read_csv(out)) == 306


def test_wrong_version_is_one_clear_error(tmp_path):
    res = CliRunner().invoke(app, ["responses", "import", str(example_study_path("wave1")),
                                   "-i", STUDY])
    assert res.exit_code == 1
    out = res.output
    assert "error:" in out and "item(s) with no column: LP05, LP13" in out
    # the 1.0.0 wording of LP05 is not silently taken for the reworded 1.1.0 item
    assert "26、在对方地区取得的资质和证照，在本地难以得到认可。': ambiguous" in out
    assert "Traceback" not in res.output


def test_bad_out_suffix(tmp_path):
    res = CliRunner().invoke(app, ["responses", "import", str(example_study_path("wave2")),
                                   "-i", STUDY, "--out", str(tmp_path / "x.json")])
    assert res.exit_code == 1
    assert "The 'out' parameter of responses import must end in .parquet or .csv" in res.output


def test_version_syntax_error():
    res = CliRunner().invoke(app, ["responses", "import", str(example_study_path("wave2")),
                                   "-i", STUDY, "--version", "1.0.0", "--version", "x"])
    assert res.exit_code == 1 and "write ID=VERSION" in res.output
