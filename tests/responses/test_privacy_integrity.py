"""Privacy (keyed pseudonyms, dropped personal data) and integrity (raw file untouched)."""
import hashlib
import hmac
import warnings

import pandas as pd
import pytest

from surveykit import read_responses
from surveykit.responses.privacy import PseudonymKeyWarning, hmac_prefixes

from responses_helpers import HEADERS_ZH, write_csv

ROWS = [["E1001", "1", "3", "4", "5", "2"], ["E1002", "2", "", "2", "2", "1"]]


def _file(tmp_path):
    return write_csv(tmp_path / "ids.csv", ["工号"] + HEADERS_ZH, ROWS)


def test_hmac_equals_standard_library():
    msgs = [b"", b"1", "序号".encode(), b"x" * 200]
    for key in (b"k", b"k" * 100):
        got = hmac_prefixes(msgs, key)
        want = b"".join(hmac.digest(key, m, "sha256")[:8] for m in msgs)
        assert got == want


def test_ids_pseudonymised_with_key(tmp_path, mini):
    r = read_responses(_file(tmp_path), mini, id_column="工号", key="study-secret")
    want = "p" + hmac.new(b"study-secret", b"E1001", hashlib.sha256).hexdigest()[:16]
    assert r.meta["respondent_id"].iloc[0] == want and r.index[0] == want
    flat = r.to_frame().astype(str).to_string() + r.issues.to_string() + r.mapping.to_string()
    assert "E1001" not in flat and "study-secret" not in flat
    # the key from the environment gives the same pseudonyms as key=
    r2 = read_responses(_file(tmp_path), mini, id_column="工号")
    assert r2.meta["respondent_id"].iloc[0] == "p" + hmac.new(
        b"test-key", b"E1001", hashlib.sha256).hexdigest()[:16]


def test_no_key_warns_and_uses_run_key(tmp_path, mini, monkeypatch):
    monkeypatch.delenv("SURVEYKIT_PSEUDONYM_KEY")
    with pytest.warns(PseudonymKeyWarning, match="random key made for this run"):
        a = read_responses(_file(tmp_path), mini, id_column="工号")
    with pytest.warns(PseudonymKeyWarning):
        b = read_responses(_file(tmp_path), mini, id_column="工号")
    assert a.index.equals(b.index)                       # stable within one run


def test_pseudonymise_false_keeps_ids(tmp_path, mini):
    r = read_responses(_file(tmp_path), mini, id_column="工号", pseudonymise=False)
    assert r.meta["respondent_id"].tolist() == ["E1001", "E1002"]


def test_cli_outputs_hold_no_raw_ids_or_ip(tmp_path, wjx_code_csv, mini):
    from surveykit.cli.responses import write_outputs

    r = read_responses(_file(tmp_path), mini, id_column="工号")
    paths = write_outputs(r, tmp_path / "out" / "data.csv")
    text = "".join(p.read_text(encoding="utf-8") for p in paths.values())
    assert "E1001" not in text and "test-key" not in text
    r = read_responses(wjx_code_csv, mini)
    paths = write_outputs(r, tmp_path / "out2" / "data.csv")
    text = "".join(p.read_text(encoding="utf-8") for p in paths.values())
    assert "192.0.2" not in text


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "sav"])
def test_raw_file_sha256_unchanged(tmp_path, mini, suffix):
    p = _file(tmp_path)
    if suffix == "xlsx":
        x = tmp_path / "ids.xlsx"
        pd.read_csv(p, dtype=str).to_excel(x, index=False)
        p = x
    elif suffix == "sav":
        import pyreadstat

        df = pd.read_csv(p)
        df.columns = ["id", "PR06", "PR06a", "LP01", "LP02", "LP03"]
        x = tmp_path / "ids.sav"
        pyreadstat.write_sav(df, str(x))
        p = x
    before = hashlib.sha256(p.read_bytes()).hexdigest()
    mtime = p.stat().st_mtime_ns
    r = read_responses(p, mini, id_column="工号" if suffix != "sav" else "id")
    assert r.sources[0].sha256 == before
    assert hashlib.sha256(p.read_bytes()).hexdigest() == before
    assert p.stat().st_mtime_ns == mtime


def test_same_id_same_pseudonym_whatever_its_type():
    from surveykit.responses.privacy import pseudonymise_ids

    key = b"k"
    a = pseudonymise_ids(pd.Series([1.0, float("nan"), 2.0]), key)
    b = pseudonymise_ids(pd.Series([1, 2]), key)
    c = pseudonymise_ids(pd.Series(["1", " 2"]), key)
    assert a.iloc[0] == b.iloc[0] == c.iloc[0] and a.iloc[2] == b.iloc[1] == c.iloc[1]
    assert pd.isna(a.iloc[1])
