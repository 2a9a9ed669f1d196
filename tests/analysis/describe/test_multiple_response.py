"""multiple_response: SPSS MULT RESPONSE frequencies and crosstab, checked against base R."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import surveykit as sk
from surveykit.errors import AnalysisError, ParameterError

REF = Path(__file__).resolve().parents[2] / "reference" / "describe" / "multiple_response"
MULTI = Path(__file__).resolve().parents[2] / "instrument" / "valid_multi.yaml"


@pytest.fixture(scope="module")
def ref():
    return pd.read_csv(REF / "input.csv"), json.loads((REF / "expected.json").read_text())


def _check(t: pd.DataFrame, exp: dict, rtol: float) -> None:
    np.testing.assert_array_equal(t["count"].to_numpy(), exp["count"])
    np.testing.assert_allclose(t["percent_responses"], exp["percent_responses"], rtol=rtol)
    np.testing.assert_allclose(t["percent_cases"], exp["percent_cases"], rtol=rtol)


def test_frequencies_equal_r(ref):
    d, exp = ref
    mr = sk.multiple_response(d, "Q5")
    o = exp["overall"]
    _check(mr.table, o, exp["rtol"])
    assert (mr.n, mr.n_valid, mr.n_missing, mr.n_none, mr.n_not_shown, mr.n_responses) == (
        o["n"], o["n_valid"], o["n_missing"], o["n_none"], o["n_not_shown"], o["n_responses"])
    assert mr.n_valid + mr.n_missing == mr.n        # no case silently dropped
    assert mr.table["percent_responses"].sum() == pytest.approx(100)
    assert mr.table["percent_cases"].sum() > 100


def test_crosstab_equals_r(ref):
    d, exp = ref
    mr = sk.multiple_response(d, [f"Q5_{k}" for k in range(1, 6)], by="region")
    assert mr.n_dropped == exp["n_dropped"]
    for g in exp["by"]:
        part = mr.table[mr.table["group"] == g["group"]]
        _check(part, g, exp["rtol"])
        row = mr.groups.set_index("group").loc[g["group"]]
        assert (row["n"], row["n_valid"], row["n_missing"], row["n_responses"]) == (
            g["n"], g["n_valid"], g["n_missing"], g["n_responses"])
    np.testing.assert_array_equal(mr.counts.to_numpy(), exp["counts"])
    assert mr.groups["n"].sum() + mr.n_dropped == mr.n


def test_instrument_question_labels_and_missing_codes():
    ins = sk.load_instrument(MULTI)
    df = pd.DataFrame({"MS02_1": [1, 0, -99, None], "MS02_2": [1, 1, -99, None],
                       "MS02_3": [0, 0, -99, None], "MS02_4": [0, 1, -99, None]})
    mr = sk.multiple_response(df, "MS02", instrument=ins, lang="en")
    assert mr.table["label"].tolist() == ["Joint meetings", "Joint industrial parks",
                                          "Information sharing", "Other"]
    assert mr.table["count"].tolist() == [1, 2, 0, 1]
    assert (mr.n_valid, mr.n_not_shown, mr.n_none) == (2, 2, 0)   # -99 refused = not shown
    assert "multiple_response" in mr.summary() or "Multiple" in mr.summary()


def test_errors_name_column_rows_and_fix():
    df = pd.DataFrame({"Q5_1": [1, 2, 0], "Q5_2": [0, 1, 3]})
    with pytest.raises(AnalysisError, match=r"column Q5_1 has 1 value\(s\) that are not 0/1 "
                                            r"\(rows 3: 2; .*recode them"):
        sk.multiple_response(df, "Q5")
    with pytest.raises(ParameterError, match=r"'Q9' is not a multi-select question and the "
                                             r"data have no 0/1 columns named 'Q9_<code>'"):
        sk.multiple_response(df, "Q9")
    with pytest.raises(ParameterError, match=r"Got an empty list instead"):
        sk.multiple_response(df, [])
    with pytest.raises(ParameterError, match=r"The 'item' parameter of multiple_response must be"):
        sk.multiple_response(df, 3)


def test_from_a_wenjuanxing_download(tmp_path):
    """The Responses a WJX code download gives (skipped question = not shown) analyse as is."""
    import csv

    ins = sk.load_instrument(MULTI)
    head = ["序号", "提交答卷时间", "所用时间", "1、是否参与合作？", "2(联席会议)", "2(共建园区)",
            "2(信息共享)", "2(其他〖〗)", "3、单位类型", "4、园区是否运行？"]
    t = ["2024/1/1 10:00:00", "100秒"]
    rows = [["1", *t, "1", "1", "0", "0", "0", "1", "-3"],
            ["2", *t, "1", "1", "1", "0", "两地互派干部", "3〖基金会〗", "1"],
            ["3", *t, "2", "-3", "-3", "-3", "-3", "2", "-3"],
            ["4", *t, "1", "0", "0", "0", "0", "1", "-3"],
            ["5", *t, "1", "0", "0", "0", "1〖联合培训〗", "1", "-3"]]
    f = tmp_path / "code.csv"
    with f.open("w", newline="", encoding="utf-8-sig") as fh:
        csv.writer(fh).writerows([head, *rows])
    r = sk.read_responses(f, ins)
    mr = sk.multiple_response(r, "MS02", by="MS03")
    assert (mr.n, mr.n_valid, mr.n_none, mr.n_not_shown) == (5, 3, 1, 1)
    assert mr.table.query("group == '政府部门'")["count"].tolist() == [1, 0, 0, 1]
    assert mr.groups.set_index("group").loc["其他", "n_valid"] == 1
