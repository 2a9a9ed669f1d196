"""`surveykit responses clean|score` on the bundled (simulated) Wenjuanxing export."""
import hashlib
import shutil

import pandas as pd
import pytest
from typer.testing import CliRunner

from surveykit.cleaning import LOG_COLUMNS, SUMMARY_COLUMNS
from surveykit.cli import app

INSTRUMENT = ("respondent_profile,intergovernmental_trust,local_protectionism@1.0.0,"
              "reward_punishment,regional_synergy")
RULES = f"""\
instrument: {INSTRUMENT}
rules:
  - rule: duplicates
  - rule: speeders
    action: exclude
  - rule: longstring
  - rule: irv
  - rule: mahalanobis
  - rule: evenodd
  - rule: psychsyn
    critval: 0.4
  - rule: attention
  - rule: missing
  - rule: invalid
"""


@pytest.fixture
def export(tmp_path):
    datasets = pytest.importorskip("surveykit.datasets")
    src = datasets.example_study_path("wave1")
    dst = tmp_path / src.name
    shutil.copy(src, dst)
    return dst


def run(*args):
    return CliRunner().invoke(app, list(map(str, args)))


def test_clean_writes_outputs_and_one_line(tmp_path, export, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    sha = hashlib.sha256(export.read_bytes()).hexdigest()
    out = tmp_path / "clean"
    res = run("responses", "clean", export, "--rules", rules, "--out", out)
    assert res.exit_code == 0, res.output
    line = res.stdout.strip().splitlines()[-1]
    assert line.startswith(f"{export.name}: 612 rows in, ")
    assert "excluded (duplicates 12, speeders" in line
    kept = pd.read_parquet(out / "kept.parquet")
    excluded = pd.read_parquet(out / "excluded.parquet")
    assert len(kept) + len(excluded) == 612
    log = pd.read_csv(out / "cleaning_log.csv", encoding="utf-8-sig")
    summary = pd.read_csv(out / "cleaning_summary.csv", encoding="utf-8-sig")
    assert tuple(log.columns) == LOG_COLUMNS and tuple(summary.columns) == SUMMARY_COLUMNS
    assert summary["excluded"].sum() == len(excluded)
    assert set(excluded.index) <= set(log["respondent"])
    assert (out / "cleaning_indices.parquet").exists()
    assert "warning: SIMULATED_wave1" in res.stderr and "not valid answers" in res.stderr
    assert hashlib.sha256(export.read_bytes()).hexdigest() == sha     # raw file untouched

    scored = tmp_path / "scores.csv"
    res = run("responses", "score", out / "kept.parquet", "--instrument", INSTRUMENT,
              "--out", scored, "--z")
    assert res.exit_code == 0, res.output
    assert f"{len(kept)} rows scored on " in res.stdout
    table = pd.read_csv(scored, encoding="utf-8-sig")
    assert {"market_barriers", "market_barriers_n_valid", "market_barriers_z",
            "local_protectionism"} <= set(table.columns)


def test_clean_csv_format(tmp_path, export, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"instrument: {INSTRUMENT}\nrules:\n  - rule: duplicates\n", encoding="utf-8")
    res = run("responses", "clean", export, "--rules", rules, "--out", tmp_path / "o", "--format", "csv")
    assert res.exit_code == 0, res.output
    assert (tmp_path / "o" / "kept.csv").exists() and (tmp_path / "o" / "excluded.csv").exists()


def test_score_an_export_directly(tmp_path, export, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    ids = INSTRUMENT.replace("@1.0.0", "")           # version given as in 'responses import'
    res = run("responses", "score", export, "-i", ids, "--version", "local_protectionism=1.0.0",
              "--out", tmp_path / "s.parquet", "--scales", "market_barriers,regional_synergy")
    assert res.exit_code == 0, res.output
    s = pd.read_parquet(tmp_path / "s.parquet")
    assert len(s) == 612 and "regional_synergy_n_valid" in s


@pytest.mark.parametrize("args, message", [
    (["--format", "xlsx"], "The '--format' option of clean must be one of {'parquet', 'csv'}. Got 'xlsx'"),
    (["--no-instrument"], "No instrument given. Name the questionnaire with --instrument ID"),
    (["--bad-rules"], "1 problem(s) in the cleaning rules"),
])
def test_clean_errors_are_one_message(tmp_path, export, args, message):
    rules = tmp_path / "rules.yaml"
    text = RULES
    if "--no-instrument" in args:
        text = "rules:\n  - rule: duplicates\n"
    if "--bad-rules" in args:
        text = f"instrument: {INSTRUMENT}\nrules:\n  - rule: speeders\n    seconds_per_item: 0\n"
    rules.write_text(text, encoding="utf-8")
    extra = [a for a in args if not a.startswith("--no-") and a != "--bad-rules"]
    res = run("responses", "clean", export, "--rules", rules, "--out", tmp_path / "o", *extra)
    assert res.exit_code == 1
    assert message in " ".join(res.output.split())
    assert "Traceback" not in res.output


def test_score_errors(tmp_path, export):
    res = run("responses", "score", export, "-i", INSTRUMENT, "--out", tmp_path / "s.xlsx")
    assert res.exit_code == 1 and "--out must end in .parquet or .csv" in res.output
    res = run("responses", "score", tmp_path / "nope.csv", "-i", INSTRUMENT, "--out", tmp_path / "s.csv")
    assert res.exit_code == 1 and "does not exist" in res.output
    res = run("responses", "score", export, "-i", INSTRUMENT, "--out", tmp_path / "s.csv",
              "--scales", "nope")
    assert res.exit_code == 1 and "The 'scales' parameter of score must name scales" in " ".join(res.output.split())


def test_import_then_clean_then_score(tmp_path, export, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    ids = INSTRUMENT.replace("@1.0.0", "")
    data = tmp_path / "wave1.parquet"
    res = run("responses", "import", export, "-i", ids, "--version", "local_protectionism=1.0.0",
              "--out", data)
    assert res.exit_code == 0, res.output
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - rule: duplicates\n  - rule: attention\n  - rule: invalid\n",
                     encoding="utf-8")
    res = run("responses", "clean", data, "--rules", rules, "--out", tmp_path / "c",
              "-i", ids, "--version", "local_protectionism=1.0.0")
    assert res.exit_code == 0, res.output
    assert "612 rows in" in res.stdout
    log = pd.read_csv(tmp_path / "c" / "cleaning_log.csv", encoding="utf-8-sig")
    assert (log["rule"] == "invalid").sum() > 0            # missing reasons came along
    res = run("responses", "score", data, "-i", ids, "--version", "local_protectionism=1.0.0",
              "--out", tmp_path / "s.csv")
    assert res.exit_code == 0, res.output


@pytest.mark.parametrize("setting, message", [
    ("    seconds_per_item: " + "9" * 400, "setting 'seconds_per_item': a number of 400 digits"),
    ("    name: [fast, slow]", "setting 'name': a list where one value belongs"),
])
def test_clean_hostile_rule_file_is_one_located_message(tmp_path, export, setting, message):
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"instrument: {INSTRUMENT}\nrules:\n  - rule: speeders\n{setting}\n",
                     encoding="utf-8")
    res = run("responses", "clean", export, "--rules", rules, "--out", tmp_path / "o")
    text = " ".join(res.output.split())
    assert res.exit_code == 1 and "Traceback" not in res.output
    assert "rules.yaml:4:5: rule 'speeders'," in text and message in text


# -- --mapping for clean and score; score/clean remember the instrument of an import (#15)
IDS = INSTRUMENT.replace("@1.0.0", "")
MAPPING = 'columns:\n  "来源详情": "meta:referrer"\n'


def _mapping(tmp_path):
    p = tmp_path / "map.yaml"
    p.write_text(MAPPING, encoding="utf-8")
    return p


def test_clean_and_score_take_a_mapping(tmp_path, export, monkeypatch):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    rules = tmp_path / "rules.yaml"
    rules.write_text(f"instrument: {INSTRUMENT}\nrules:\n  - rule: duplicates\n", encoding="utf-8")
    res = run("responses", "clean", export, "--rules", rules, "--out", tmp_path / "c",
              "--mapping", _mapping(tmp_path))
    assert res.exit_code == 0, res.output
    assert "referrer" in pd.read_parquet(tmp_path / "c" / "kept.parquet").columns
    res = run("responses", "score", export, "-i", INSTRUMENT, "--out", tmp_path / "s.csv",
              "-m", _mapping(tmp_path))
    assert res.exit_code == 0, res.output
    assert "referrer" in pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig").columns
    # without the mapping the column is not called that
    res = run("responses", "score", export, "-i", INSTRUMENT, "--out", tmp_path / "s2.csv")
    assert "referrer" not in pd.read_csv(tmp_path / "s2.csv", encoding="utf-8-sig").columns


def test_score_and_clean_remember_the_instrument_of_an_import(tmp_path, export, monkeypatch):
    import json

    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    data = tmp_path / "wave1.parquet"
    res = run("responses", "import", export, "-i", IDS, "--version", "local_protectionism=1.0.0",
              "--out", data)
    assert res.exit_code == 0, res.output
    note = json.loads((tmp_path / "wave1.import.json").read_text(encoding="utf-8"))
    latest = {"respondent_profile": "1.1.0"}          # the others' latest release is 1.0.0
    assert note["instrument"] == [f"{i}@{latest.get(i, '1.0.0')}" for i in IDS.split(",")]
    assert note["files"]["data"] == "wave1.parquet" and note["n_respondents"] == 612
    res = run("responses", "score", data, "--out", tmp_path / "s.csv")          # no -i
    assert res.exit_code == 0, res.output
    assert "instrument from wave1.import.json" in res.output
    scored = pd.read_csv(tmp_path / "s.csv", encoding="utf-8-sig")
    assert len(scored) == 612 and "market_barriers" in scored.columns
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  - rule: invalid\n", encoding="utf-8")           # no instrument:
    res = run("responses", "clean", data, "--rules", rules, "--out", tmp_path / "c")
    assert res.exit_code == 0, res.output and "612 rows in" in res.stdout
    # and clean's kept table remembers it too
    res = run("responses", "score", tmp_path / "c" / "kept.parquet", "--out", tmp_path / "k.csv")
    assert res.exit_code == 0, res.output
    assert "instrument from cleaning.json" in res.output
    # an explicit -i still wins; a mapping is refused for an import (already mapped)
    res = run("responses", "score", data, "-m", _mapping(tmp_path), "--out", tmp_path / "x.csv")
    assert res.exit_code == 1
    assert ("--mapping applies to a survey export; wave1.parquet was imported already (its "
            "mapping is wave1.mapping.csv)") in " ".join(res.output.split())


def test_score_without_instrument_or_note_says_how(tmp_path, export):
    t = tmp_path / "t.csv"
    t.write_text("LP01\n3\n", encoding="utf-8")
    res = run("responses", "score", t, "--table", "--out", tmp_path / "s.csv")
    assert res.exit_code == 1
    assert "No instrument given. Name the questionnaire with --instrument ID" in " ".join(res.output.split())


def test_clean_export_sav_and_responses_export_dta(tmp_path, export, monkeypatch):
    pyreadstat = pytest.importorskip("pyreadstat")
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    res = run("responses", "clean", export, "--rules", rules, "--out", tmp_path / "c",
              "--export", "sav", "--lang", "en")
    assert res.exit_code == 0, res.output
    kept = pd.read_parquet(tmp_path / "c" / "kept.parquet")
    df, meta = pyreadstat.read_sav(str(tmp_path / "c" / "kept.sav"), user_missing=True)
    assert len(df) == len(kept) and meta.missing_ranges["LP01"]
    assert meta.column_names_to_labels["LP01"].startswith("Our local government tends")
    # the import output to Stata
    data = tmp_path / "w1.parquet"
    assert run("responses", "import", export, "-i", IDS, "--version", "local_protectionism=1.0.0",
               "-o", data).exit_code == 0
    res = run("responses", "export", data, "--to", "dta", "-o", tmp_path / "w1.dta")
    assert res.exit_code == 0, res.output
    assert "612 respondents × 62 items → " in res.stdout   # 53 + PR06b (6 + text), PR10 (+ text)
    df, meta = pyreadstat.read_dta(str(tmp_path / "w1.dta"), user_missing=True)
    assert len(df) == 612 and "a" in set(df["LP01"].dropna().astype(str))


@pytest.mark.parametrize("args, message", [
    (["--to", "xlsx", "-o", "w.xlsx"], "The '--to' option of export must be one of {'sav', 'dta'}"),
    (["--to", "sav", "-o", "w.dta"], "--to sav needs an --out file ending in .sav or .zsav"),
    (["-o", "w.csv"], "The 'path' parameter of write_responses must end in .sav, .zsav or .dta"),
])
def test_export_errors(tmp_path, export, monkeypatch, args, message):
    monkeypatch.setenv("SURVEYKIT_PSEUDONYM_KEY", "test-key")
    args = [str(tmp_path / a) if a.startswith("w.") else a for a in args]
    res = run("responses", "export", export, "-i", INSTRUMENT, *args)
    assert res.exit_code == 1 and message in " ".join(res.output.split())
    assert "Traceback" not in res.output
